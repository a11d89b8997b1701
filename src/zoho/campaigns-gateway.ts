// Everything a Zoho Campaigns write needs, in the order it needs it: a booked slot in the shared
// quota, a valid token, the call, and one retry with a new token if Zoho refuses the token
// (docs/zoho-api.md, "Campaigns calls" leaves the exact "expired token" answer unconfirmed, so any auth-looking answer
// counts). Every HTTP call is reported to `onCall` for the sync log.
import type { ZohoConnectionRepository } from '../db/zoho-connection.ts';
import type { ContactInfo, ZohoCampaignsClient } from './campaigns-client.ts';
import { recordQuotaWait, recordZohoCall } from '../metrics.ts';
import { WaitForZohoError } from './errors.ts';
import type { ZohoCallResult } from './outcome.ts';
import type { ZohoEndpoint } from '../zoho-names.ts';
import type { ZohoQuota } from './quota.ts';
import type { AccessToken, TokenSource } from './token-source.ts';

export type CallRecorder = (result: ZohoCallResult) => Promise<void>;

/** Reads change nothing in Zoho, so they are not written to the sync log. */
const ignoreCall: CallRecorder = async () => undefined;

export class CampaignsGateway {
  constructor(
    private readonly campaigns: ZohoCampaignsClient,
    private readonly tokens: TokenSource,
    private readonly quota: ZohoQuota,
    private readonly connections: ZohoConnectionRepository,
  ) {}

  subscribe(listKey: string, contactInfo: ContactInfo, onCall: CallRecorder): Promise<ZohoCallResult> {
    return this.#call('listsubscribe', onCall, (token) => this.campaigns.listSubscribe(token.campaignsUrl, token.token, listKey, contactInfo));
  }

  /** addlistsubscribersinbulk, on its own allowance. Not in the sync log: it names ten people at once. */
  bulkSubscribe(listKey: string, emails: readonly string[]): Promise<ZohoCallResult> {
    return this.#call('addlistsubscribersinbulk', ignoreCall, (token) =>
      this.campaigns.addListSubscribersInBulk(token.campaignsUrl, token.token, listKey, emails),
    );
  }

  unsubscribe(listKey: string, email: string, onCall: CallRecorder): Promise<ZohoCallResult> {
    return this.#call('listunsubscribe', onCall, (token) => this.campaigns.listUnsubscribe(token.campaignsUrl, token.token, listKey, email));
  }

  /** The account's mailing lists (raw result; read it with mailingListsOf). Not part of the sync log. */
  mailingLists(): Promise<ZohoCallResult> {
    return this.#call('getmailinglists', ignoreCall, (token) => this.campaigns.getMailingLists(token.campaignsUrl, token.token));
  }

  /** contact/allfields, counted against its own limit (100 per 5 minutes): callers cache it. */
  allFields(): Promise<ZohoCallResult> {
    return this.#call('allfields', ignoreCall, (token) => this.campaigns.getAllFields(token.campaignsUrl, token.token));
  }

  listSubscribers(listKey: string, query: { status: 'active' | 'unsub' | 'bounce'; fromIndex: number; range: number }): Promise<ZohoCallResult> {
    return this.#call('getlistsubscribers', ignoreCall, (token) => this.campaigns.getListSubscribers(token.campaignsUrl, token.token, listKey, query));
  }

  async #call(endpoint: ZohoEndpoint, onCall: CallRecorder, send: (token: AccessToken) => Promise<ZohoCallResult>): Promise<ZohoCallResult> {
    const token = await this.tokens.get();
    await this.#bookSlot(endpoint);
    const first = await send(token);
    recordZohoCall(endpoint, first);
    await onCall(first);
    if (first.outcome === 'rate_limited') return this.#lockedOut(endpoint, first);
    if (first.outcome !== 'auth') return first;

    const fresh = await this.tokens.replaceRejected(token);
    await this.#bookSlot(endpoint);
    const second = await send(fresh);
    recordZohoCall(endpoint, second);
    await onCall(second);
    if (second.outcome === 'rate_limited') return this.#lockedOut(endpoint, second);
    if (second.outcome === 'auth') {
      await this.connections.markNeedsReconnect(
        fresh.connection,
        `Zoho Campaigns refused a freshly refreshed token (${second.message}). Reconnect Zoho Campaigns.`,
      );
      this.tokens.forget();
      throw new WaitForZohoError("Zoho Campaigns refuses the bridge's tokens; reconnect Zoho.", 60_000, 'needs_reconnect');
    }
    return second;
  }

  async #bookSlot(endpoint: ZohoEndpoint): Promise<void> {
    const decision = await this.quota.take(endpoint);
    if (decision.granted) return;
    if (decision.lockedOut) {
      recordQuotaWait(endpoint, 'locked_out', decision.waitMs);
      throw new WaitForZohoError(
        `${endpoint} is paused until ${decision.until.toISOString()}: Zoho reported its limit exceeded (a suspected lock-out), and any call before then may extend it.`,
        decision.waitMs,
        'locked_out',
      );
    }
    recordQuotaWait(endpoint, 'quota', decision.waitMs);
    throw new WaitForZohoError(
      `Zoho's ${endpoint} limit is reached; waiting until ${decision.until.toISOString()} (${Math.ceil(decision.waitMs / 1000)} s).`,
      decision.waitMs,
      'quota',
    );
  }

  async #lockedOut(endpoint: ZohoEndpoint, result: ZohoCallResult): Promise<never> {
    const lockMs = this.quota.lockPeriodMs(endpoint);
    const until = await this.quota.lockOut(endpoint, lockMs);
    recordQuotaWait(endpoint, 'locked_out', lockMs);
    throw new WaitForZohoError(
      `Zoho reports the ${endpoint} limit exceeded (${result.message}): ${endpoint} is paused on every worker until ${until.toISOString()} (${describeDuration(lockMs)}), its lock period.`,
      lockMs,
      'locked_out',
    );
  }
}

function describeDuration(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.ceil(ms / 1000)} s`;
}
