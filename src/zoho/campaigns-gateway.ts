// Everything a Zoho Campaigns write needs, in the order it needs it: a booked slot in the shared
// quota, a valid token, the call, and one retry with a new token if Zoho refuses the token
// (zoho.md §2.1 leaves the exact "expired token" answer unconfirmed, so any auth-looking answer
// counts). Every HTTP call is reported to `onCall` for the sync log.
import type { ZohoConnectionRepository } from '../db/zoho-connection.ts';
import type { ContactInfo, ZohoCampaignsClient } from './campaigns-client.ts';
import { WaitForZohoError } from './errors.ts';
import type { ZohoCallResult } from './outcome.ts';
import type { ZohoEndpoint, ZohoQuota } from './quota.ts';
import type { AccessToken, TokenSource } from './token-source.ts';

/** Zoho locks an endpoint for 30 minutes when its limit is exceeded (zoho.md §2.5). */
const LOCK_OUT_MS = 30 * 60_000;

export type CallRecorder = (result: ZohoCallResult) => Promise<void>;

export class CampaignsGateway {
  constructor(
    private readonly campaigns: ZohoCampaignsClient,
    private readonly tokens: TokenSource,
    private readonly quota: ZohoQuota,
    private readonly connections: ZohoConnectionRepository,
  ) {}

  subscribe(listKey: string, contactInfo: ContactInfo, onCall: CallRecorder): Promise<ZohoCallResult> {
    return this.#call('listsubscribe', onCall, (token) =>
      this.campaigns.listSubscribe(token.campaignsUrl, token.token, listKey, contactInfo),
    );
  }

  unsubscribe(listKey: string, email: string, onCall: CallRecorder): Promise<ZohoCallResult> {
    return this.#call('listunsubscribe', onCall, (token) =>
      this.campaigns.listUnsubscribe(token.campaignsUrl, token.token, listKey, email),
    );
  }

  async #call(
    endpoint: ZohoEndpoint,
    onCall: CallRecorder,
    send: (token: AccessToken) => Promise<ZohoCallResult>,
  ): Promise<ZohoCallResult> {
    const token = await this.tokens.get();
    await this.#bookSlot(endpoint);
    const first = await send(token);
    await onCall(first);
    if (first.outcome === 'rate_limited') return this.#lockedOut(endpoint, first);
    if (first.outcome !== 'auth') return first;

    const fresh = await this.tokens.replaceRejected(token.token);
    await this.#bookSlot(endpoint);
    const second = await send(fresh);
    await onCall(second);
    if (second.outcome === 'rate_limited') return this.#lockedOut(endpoint, second);
    if (second.outcome === 'auth') {
      await this.connections.markNeedsReconnect(
        `Zoho Campaigns refused a freshly refreshed token (${second.message}). Reconnect Zoho Campaigns.`,
      );
      this.tokens.forget();
      throw new WaitForZohoError('Zoho Campaigns refuses the bridge\'s tokens; reconnect Zoho.', 60_000, 'needs_reconnect');
    }
    return second;
  }

  async #bookSlot(endpoint: ZohoEndpoint): Promise<void> {
    const waitMs = await this.quota.take(endpoint);
    if (waitMs > 0) {
      throw new WaitForZohoError(`Zoho's ${endpoint} limit is reached; waiting ${Math.ceil(waitMs / 1000)} s.`, waitMs, 'quota');
    }
  }

  async #lockedOut(endpoint: ZohoEndpoint, result: ZohoCallResult): Promise<never> {
    await this.quota.lockOut(endpoint, LOCK_OUT_MS);
    throw new WaitForZohoError(
      `Zoho reports the ${endpoint} limit exceeded (${result.message}); the bridge pauses ${endpoint} for 30 minutes.`,
      LOCK_OUT_MS,
      'locked_out',
    );
  }
}
