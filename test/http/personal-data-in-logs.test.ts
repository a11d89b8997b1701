// Customers' emails and names stay out of the log at info and below (docs/security.md): a sync
// logs ids, and the request log redacts the paths and searches that carry a person.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { withoutSecrets } from '../../src/logger.ts';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { signedInBrowser } from '../support/owner.ts';
import { deliver } from '../support/sync.ts';
import { customerBody } from '../support/woocommerce.ts';

const EMAIL = 'ana.privacy@example.com';
const PERSONAL = [EMAIL, encodeURIComponent(EMAIL), 'Anabela', 'Quaresma'];

interface LogLine {
  level: number;
  msg?: string;
  req?: { url?: string };
}

describe('personal data in logs', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge({ captureLogs: true });
  });
  after(() => bridge.close());

  const linesAtInfoAndBelow = () => bridge.logs.map((line) => JSON.parse(line) as LogLine).filter((line) => line.level <= 30);
  const personalIn = (lines: LogLine[]) => lines.filter((line) => PERSONAL.some((value) => JSON.stringify(line).includes(value)));

  it('logs a sync by event and contact id, never by email or name', async () => {
    const event = await deliver(
      bridge,
      'customer.created',
      customerBody({
        id: 4201,
        email: EMAIL,
        first_name: 'Anabela',
        last_name: 'Quaresma',
        billing: { first_name: 'Anabela', last_name: 'Quaresma', email: EMAIL },
      }),
    );
    assert.equal(event.status, 'synced');
    assert.match(event.statusReason ?? '', /ana\.privacy@example\.com/, 'the owner still sees who was synced, on the event');
    // The worker logs the sync just after it stored the event's status, which deliver() waits for.
    const isSyncLine = (line: LogLine) => line.msg === `subscribed to sim-customers (event ${event.id})`;
    await waitFor('the sync is logged', async () => linesAtInfoAndBelow().some(isSyncLine));
    const lines = linesAtInfoAndBelow();
    const synced = lines.find(isSyncLine);
    assert.match(JSON.stringify(synced), /"contactId":"\d+"/);
    assert.deepEqual(personalIn(lines), []);
  });

  it('redacts contact paths and searches from the request log', async () => {
    const browser = await signedInBrowser(bridge);
    await browser.get(`/admin/contacts/${encodeURIComponent(EMAIL)}`);
    await browser.get(`/admin/contacts?email=${encodeURIComponent(EMAIL)}`, { follow: false });
    await browser.get(`/admin/events?q=${encodeURIComponent(EMAIL)}&status=failed`);
    await browser.get('/admin/events?q=Quaresma');
    await fetch(`${bridge.url}/api/v1/contacts/${encodeURIComponent(EMAIL)}`);
    const requests = linesAtInfoAndBelow().filter((line) => line.req?.url);
    const urls = requests.map((line) => line.req!.url!);
    assert.ok(urls.includes('/admin/contacts/[redacted]'), urls.join('\n'));
    assert.ok(urls.includes('/api/v1/contacts/[redacted]'), urls.join('\n'));
    assert.ok(urls.includes('/admin/events?q=%5Bredacted%5D&status=failed'), urls.join('\n'));
    assert.deepEqual(personalIn(linesAtInfoAndBelow()), []);
  });

  it('keeps the rest of a URL as it was', () => {
    assert.equal(withoutSecrets('/admin/events?status=failed&store=default'), '/admin/events?status=failed&store=default');
    assert.equal(withoutSecrets('/admin/contacts'), '/admin/contacts');
    assert.equal(withoutSecrets('/admin/contacts/x%40y.example/forget?z=1'), '/admin/contacts/[redacted]/forget?z=1');
  });
});
