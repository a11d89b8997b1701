// Small pieces of the owner's sign-in that need no server: password hashing, where a sign-in may
// send the browser next, what the request log keeps of a URL, and that every connection problem
// has words for the owner.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { hashPassword, verifyPassword } from '../../src/crypto/password-hash.ts';
import { problemPage, type BrowserConnectProblem } from '../../src/http/admin/connect-problems.ts';
import { safeNextPath } from '../../src/http/admin/pages.ts';
import { withoutSecrets } from '../../src/logger.ts';

describe('owner password hashing (scrypt)', () => {
  it('verifies the right password only, and never throws on a damaged hash', async () => {
    const hash = await hashPassword('Grüße aus Köln, 2026');
    assert.equal(await verifyPassword('Grüße aus Köln, 2026', hash), true);
    assert.equal(await verifyPassword('Grüße aus Köln, 2025', hash), false);
    assert.notEqual(await hashPassword('same'), await hashPassword('same'));
    for (const damaged of ['', 'scrypt$', 'bcrypt$10$x', hash.replace(/\$\d+\$/, '$3$'), hash.slice(0, -4)]) {
      assert.equal(await verifyPassword('Grüße aus Köln, 2026', damaged), false, damaged);
    }
  });
});

describe('ADMIN_PASSWORD', () => {
  it('is optional, and refused when too short to protect anything', () => {
    assert.equal(loadConfig({}).adminPassword, undefined);
    assert.equal(loadConfig({ ADMIN_PASSWORD: '  long enough here ' }).adminPassword, 'long enough here');
    assert.throws(() => loadConfig({ ADMIN_PASSWORD: 'short' }), /ADMIN_PASSWORD must be at least 10 characters/);
  });
});

describe('where signing in leads', () => {
  it("stays on the bridge's dashboard, however the address is dressed up", () => {
    assert.equal(safeNextPath('/admin/zoho/lists?store=default'), '/admin/zoho/lists?store=default');
    assert.equal(safeNextPath('/admin/contacts/ana%40example.com#log'), '/admin/contacts/ana%40example.com#log');
    // What the URL parser makes of it, never what a browser might: the answer is always a path under /admin.
    assert.equal(safeNextPath('/admin/../admin/events'), '/admin/events');
    assert.equal(safeNextPath('/admin/events?q=<script>'), '/admin/events?q=%3Cscript%3E');
    // Query values arrive decoded: "%09" is a tab, "%0a" a line break, "%5c" a backslash.
    const away = [
      '/\t/evil.example/again',
      '/\n/x',
      '/\r\n/evil.example',
      '\t//evil.example',
      '/\u0000/evil.example',
      '//evil.example',
      '///evil.example',
      '/\\evil.example',
      '/\\/evil.example',
      '/admin\\..\\..\\/evil.example',
      'https://evil.example',
      'http:/evil.example',
      'HTTPS://evil.example/admin',
      'javascript:alert(1)',
      'evil.example/admin',
      '/%2F%2Fevil.example',
      '/..//evil.example',
      '/admin/..//evil.example',
      '/admin/../../evil.example',
      '/oauth/zoho/callback?code=1',
      '/',
      '',
      undefined,
      ['/admin'],
    ];
    for (const next of away) {
      const path = safeNextPath(next);
      assert.ok(path === '/admin' || /^\/admin(\/|$)/.test(path), JSON.stringify(next));
      assert.equal(new URL(path, 'https://bridge.example').host, 'bridge.example', JSON.stringify(next));
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters.
      assert.doesNotMatch(path, /[\u0000-\u001f\\]/, JSON.stringify(next));
    }
    assert.equal(safeNextPath('/\t/evil.example/again'), '/admin');
    assert.equal(safeNextPath('/%2F%2Fevil.example'), '/admin');
  });
});

describe('request URLs in the log', () => {
  it('keep the path and harmless parameters but blank codes, states and tokens', () => {
    assert.equal(
      withoutSecrets('/oauth/zoho/callback?state=abc&code=1000.secret&location=eu&accounts-server=https%3A%2F%2Faccounts.zoho.eu'),
      '/oauth/zoho/callback?state=%5Bredacted%5D&code=%5Bredacted%5D&location=eu&accounts-server=https%3A%2F%2Faccounts.zoho.eu',
    );
    assert.equal(withoutSecrets('/admin'), '/admin');
  });
});

describe('connection problems', () => {
  it('each say what happened and at least one thing to do', () => {
    const problems: BrowserConnectProblem[] = [
      'invalid_code',
      'invalid_client',
      'invalid_client_secret',
      'invalid_redirect_uri',
      'throttled',
      'unreachable',
      'other',
      'no_refresh_token',
      'missing_scope',
      'not_configured',
      'consent_denied',
      'state_mismatch',
      'unknown_server',
    ];
    for (const problem of problems) {
      const page = problemPage(problem, { dataCentreName: 'Europe (zoho.eu)', redirectUri: 'https://b.example/oauth/zoho/callback', detail: undefined });
      assert.ok(page.title && page.happened && page.nextSteps.length > 0, problem);
      assert.ok(page.statusCode >= 400, problem);
    }
    assert.match(
      problemPage('invalid_redirect_uri', { dataCentreName: undefined, redirectUri: 'https://b.example/oauth/zoho/callback', detail: undefined }).nextSteps[0]!,
      /https:\/\/b\.example\/oauth\/zoho\/callback/,
    );
  });
});
