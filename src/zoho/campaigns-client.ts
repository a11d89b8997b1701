// Zoho Campaigns API v1.1 calls the bridge makes (docs/zoho-api.md, "Endpoints the bridge uses"). Each call returns a classified
// result instead of throwing, so the caller records every attempt in the sync log.
import type { Got } from 'got';
import { getUrl, postForm } from './http.ts';
import { ALREADY_DONE_ON_UNSUBSCRIBE, classifyCampaignsResponse, type ZohoCallResult } from './outcome.ts';

export type ContactInfo = Record<string, string>;

export class ZohoCampaignsClient {
  constructor(private readonly http: Got) {}

  listSubscribe(campaignsUrl: string, accessToken: string, listKey: string, contactInfo: ContactInfo): Promise<ZohoCallResult> {
    return this.post(campaignsUrl, accessToken, 'json/listsubscribe', {
      resfmt: 'JSON',
      listkey: listKey,
      contactinfo: JSON.stringify(contactInfo),
      source: 'WooCommerce',
    });
  }

  /** Up to ten addresses, nothing else; what Zoho did with each is read back with getListSubscribers. */
  addListSubscribersInBulk(campaignsUrl: string, accessToken: string, listKey: string, emails: readonly string[]): Promise<ZohoCallResult> {
    return this.post(campaignsUrl, accessToken, 'addlistsubscribersinbulk', { resfmt: 'JSON', listkey: listKey, emailids: emails.join(',') });
  }

  async listUnsubscribe(campaignsUrl: string, accessToken: string, listKey: string, email: string): Promise<ZohoCallResult> {
    const response = await postForm(
      this.http,
      `${campaignsUrl}/api/v1.1/json/listunsubscribe`,
      { resfmt: 'JSON', listkey: listKey, contactinfo: JSON.stringify({ 'Contact Email': email }) },
      authorization(accessToken),
    );
    return classifyCampaignsResponse(response, ALREADY_DONE_ON_UNSUBSCRIBE);
  }

  async getMailingLists(campaignsUrl: string, accessToken: string): Promise<ZohoCallResult> {
    const response = await getUrl(
      this.http,
      `${campaignsUrl}/api/v1.1/getmailinglists`,
      { resfmt: 'JSON', sort: 'asc', fromindex: '1', range: '1000' },
      authorization(accessToken),
    );
    return classifyCampaignsResponse(response);
  }

  /** One page of a list's contacts in one status; paging past the end answers code 2502. */
  async getListSubscribers(
    campaignsUrl: string,
    accessToken: string,
    listKey: string,
    query: { status: 'active' | 'unsub' | 'bounce'; fromIndex: number; range: number },
  ): Promise<ZohoCallResult> {
    const response = await getUrl(
      this.http,
      `${campaignsUrl}/api/v1.1/getlistsubscribers`,
      { resfmt: 'JSON', listkey: listKey, status: query.status, sort: 'asc', fromindex: String(query.fromIndex), range: String(query.range) },
      authorization(accessToken),
    );
    return classifyCampaignsResponse(response);
  }

  async getAllFields(campaignsUrl: string, accessToken: string): Promise<ZohoCallResult> {
    // This endpoint takes `type`, not `resfmt` (docs/zoho-api.md, "Endpoints the bridge uses").
    const response = await getUrl(this.http, `${campaignsUrl}/api/v1.1/contact/allfields`, { type: 'json' }, authorization(accessToken));
    return classifyCampaignsResponse(response);
  }

  private async post(campaignsUrl: string, accessToken: string, path: string, form: Record<string, string>): Promise<ZohoCallResult> {
    const response = await postForm(this.http, `${campaignsUrl}/api/v1.1/${path}`, form, authorization(accessToken));
    return classifyCampaignsResponse(response);
  }
}

function authorization(accessToken: string): Record<string, string> {
  return { authorization: `Zoho-oauthtoken ${accessToken}` };
}
