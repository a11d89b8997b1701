// The browser connect flow for accounts outside the US: Zoho's newer data centres (Saudi Arabia,
// the UK, the UAE) and a single ZOHO_ACCOUNTS_URL without {dc}, as a proxy in front of Zoho gives.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { textOf } from '../support/browser.ts';
import { callbackUrlFromZoho, connectInBrowser, signedInBrowser } from '../support/owner.ts';

async function connectedConnection(bridge: TestBridge) {
  return bridge.services.db.zohoConnection.findUniqueOrThrow({ where: { id: 1 } });
}

describe('connecting a Zoho account in any data centre', () => {
  const bridges: TestBridge[] = [];
  after(() => Promise.all(bridges.map((bridge) => bridge.close())));

  for (const [dc, name] of [
    ['sa', 'Saudi Arabia'],
    ['uk', 'United Kingdom'],
    ['ae', 'United Arab Emirates'],
  ] as const) {
    it(`connects an account in ${name} and reads its lists from that data centre's Campaigns`, async () => {
      const bridge = await startBridge({ zohoConnected: false, listKey: null, simulator: { userDc: dc } });
      bridges.push(bridge);
      const lists = await connectInBrowser(await signedInBrowser(bridge));
      assert.equal(lists.status, 200, textOf(lists.body));
      assert.match(textOf(lists.body), new RegExp(`Zoho Campaigns is connected \\(${name} \\(zoho\\.${dc}\\)\\)`));
      assert.ok(textOf(lists.body).includes('Customers'));
      const connection = await connectedConnection(bridge);
      assert.equal(connection.dataCentre, dc);
      assert.equal(connection.accountsServer, bridge.sim.accountsUrl(dc));
      assert.equal(bridge.sim.callsTo('getmailinglists').at(-1)?.dc, dc, 'lists were read from the same data centre');
    });
  }

  it('works behind a single ZOHO_ACCOUNTS_URL for an EU account, whichever server the callback names', async () => {
    // One fixed address for every data centre: here the simulator's EU accounts server plays the proxy.
    const bridge = await startBridge({ zohoConnected: false, listKey: null, simulator: { userDc: 'eu' }, zohoAccountsUrl: (sim) => sim.accountsUrl('eu') });
    bridges.push(bridge);
    const browser = await signedInBrowser(bridge);

    // The callback names the proxy's own address (what the simulator behind it says).
    const lists = await connectInBrowser(browser);
    assert.equal(lists.status, 200, textOf(lists.body));
    assert.match(textOf(lists.body), /Zoho Campaigns is connected \(Europe \(zoho\.eu\)\)/);
    assert.equal((await connectedConnection(bridge)).dataCentre, 'eu');

    // The callback names Zoho's real EU server, as Zoho does: the code still goes only to the proxy.
    const callback = await callbackUrlFromZoho(browser);
    callback.searchParams.set('accounts-server', 'https://accounts.zoho.eu');
    const exchanges = bridge.sim.callsTo('token').length;
    const again = await browser.get(callback.toString());
    assert.equal(again.status, 200, textOf(again.body));
    assert.match(textOf(again.body), /Zoho Campaigns is connected \(Europe \(zoho\.eu\)\)/);
    assert.equal(bridge.sim.callsTo('token').length, exchanges + 1, 'exchanged once, at the proxy');
    assert.equal((await connectedConnection(bridge)).accountsServer, bridge.sim.accountsUrl('eu'));
  });
});
