// Answers from Zoho's token endpoint that the simulator does not give on its own: a grant without a
// refresh token, and one for the wrong scopes. Neither may become a stored connection.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TokenResult, ZohoAccountsClient } from '../../src/zoho/accounts-client.ts';
import { ZohoConnector } from '../../src/zoho/connector.ts';
import { startBridge, type TestBridge } from '../support/bridge.ts';

describe('ZohoConnector.connectWithCode', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge({ zohoConnected: false, workers: false });
  });
  after(() => bridge.close());

  function connectorAnswering(answer: TokenResult) {
    const revoked: string[] = [];
    const forgotten = { count: 0 };
    const accounts = {
      exchangeCode: async () => answer,
      revoke: async (_server: string, token: string) => {
        revoked.push(token);
        return { ok: true, message: 'Revoked at Zoho.' };
      },
    } as unknown as ZohoAccountsClient;
    const { services, config } = bridge;
    const connector = new ZohoConnector({
      connections: services.repositories.zohoConnection,
      accounts,
      tokens: services.zoho.tokens,
      gateway: services.zoho.gateway,
      credentials: { clientId: config.zoho.clientId!, clientSecret: config.zoho.clientSecret! },
      hosts: config.zoho,
      resumeWaitingJobs: async () => undefined,
      forgetAccountData: async () => {
        forgotten.count += 1;
      },
      log: services.log,
    });
    return { connector, revoked, forgotten };
  }

  const granted = (tokens: { refreshToken: string | undefined; scope: string | undefined }): TokenResult => ({
    ok: true,
    tokens: { accessToken: '1000.access', expiresInSeconds: 3600, ...tokens },
  });

  it('stores nothing when Zoho grants no refresh token', async () => {
    const { connector } = connectorAnswering(granted({ refreshToken: undefined, scope: 'ZohoCampaigns.contact.ALL' }));
    const result = await connector.connectWithCode({ code: '1000.c', dataCentre: 'com', redirectUri: undefined, origin: 'self-client' });
    assert.deepEqual(result.ok ? 'connected' : result.problem, 'no_refresh_token');
    assert.equal(await bridge.services.repositories.zohoConnection.get(), null);
  });

  it('stores nothing, and hands the token back, when the grant lacks the Campaigns contact scope', async () => {
    const { connector, revoked } = connectorAnswering(granted({ refreshToken: '1000.refresh', scope: 'ZohoCRM.modules.ALL' }));
    const result = await connector.connectWithCode({ code: '1000.c', dataCentre: 'com', redirectUri: undefined, origin: 'self-client' });
    assert.deepEqual(result.ok ? 'connected' : result.problem, 'missing_scope');
    assert.deepEqual(revoked, ['1000.refresh']);
    assert.equal(await bridge.services.repositories.zohoConnection.get(), null);
  });

  it('forgets the cached lists and fields of the previous account when a new one connects', async () => {
    const { connector, forgotten } = connectorAnswering(granted({ refreshToken: '1000.new-refresh', scope: 'ZohoCampaigns.contact.ALL' }));
    const result = await connector.connectWithCode({ code: '1000.c', dataCentre: 'com', redirectUri: undefined, origin: 'self-client' });
    assert.equal(result.ok, true);
    assert.equal(forgotten.count, 1);
    await connector.disconnect();
    assert.equal(forgotten.count, 2);
  });
});
