import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.ts';
import { callbackDataCentre } from '../src/zoho/authorization.ts';
import { dataCentreOfAccountsServer, dataCentreFromLocation, hostsFor } from '../src/zoho/data-centres.ts';

describe('configuration', () => {
  it('starts with sensible defaults and nothing set', () => {
    const config = loadConfig({});
    assert.equal(config.port, 8080);
    assert.equal(config.databaseUrl, 'postgresql://postgres@127.0.0.1:5432/woo_zoho_bridge');
    assert.equal(config.redisUrl, 'redis://127.0.0.1:6379');
    assert.equal(config.publicUrl, 'http://localhost:8080');
    assert.equal(config.zoho.dataCentre, 'com');
    assert.deepEqual(config.customerRoles, ['customer', 'subscriber']);
    assert.ok(Object.isFrozen(config));
  });

  it('believes forwarded client addresses only from the peers TRUST_PROXY names', () => {
    assert.deepEqual(loadConfig({}).trustProxy, ['loopback']);
    assert.equal(loadConfig({ TRUST_PROXY: 'true' }).trustProxy, true);
    assert.equal(loadConfig({ TRUST_PROXY: 'false' }).trustProxy, false);
    assert.deepEqual(loadConfig({ TRUST_PROXY: ' 10.0.0.0/8, 127.0.0.1,fd00::/8 ' }).trustProxy, ['10.0.0.0/8', '127.0.0.1', 'fd00::/8']);
    for (const wrong of ['yes', '10.0.0.0/33', '10.0.0.1/8/1', 'proxy.example.com', ',']) {
      assert.throws(() => loadConfig({ TRUST_PROXY: wrong }), /TRUST_PROXY: must be true, false, or addresses, CIDR ranges/, wrong);
    }
  });

  it('keeps sessions 12 hours idle and 7 days at most, and the setup code in .local/, unless told otherwise', () => {
    const config = loadConfig({});
    assert.equal(config.owner.sessionIdleMs, 12 * 3_600_000);
    assert.equal(config.owner.sessionMaxMs, 7 * 86_400_000);
    assert.equal(config.owner.setupCodeFile, resolve('.local/setup-code'));
    const chosen = loadConfig({ SESSION_IDLE_HOURS: '2', SESSION_MAX_DAYS: '1', SETUP_CODE_FILE: '/var/lib/bridge/setup-code' });
    assert.deepEqual({ ...chosen.owner }, { setupCodeFile: '/var/lib/bridge/setup-code', sessionIdleMs: 2 * 3_600_000, sessionMaxMs: 86_400_000 });
    assert.throws(() => loadConfig({ SESSION_IDLE_HOURS: '48', SESSION_MAX_DAYS: '1' }), /SESSION_IDLE_HOURS: must not be longer than SESSION_MAX_DAYS/);
    assert.throws(() => loadConfig({ SESSION_IDLE_HOURS: '0' }), /SESSION_IDLE_HOURS/);
  });

  it('trusts only Caddy in docker-compose.yml, at the address the compose file gives it', () => {
    const compose = readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8');
    const trusted = /TRUST_PROXY: \$\{TRUST_PROXY:-([^}]+)\}/.exec(compose)?.[1];
    const caddy = /caddy:[\s\S]*?ipv4_address: ([\d.]+)/.exec(compose)?.[1];
    const subnet = /subnet: ([\d./]+)/.exec(compose)?.[1];
    assert.ok(trusted && caddy && subnet, "the compose file names a TRUST_PROXY default, Caddy's address and the subnet");
    assert.deepEqual(loadConfig({ TRUST_PROXY: trusted }).trustProxy, ['loopback', caddy]);
    assert.ok(caddy.startsWith(subnet.replace(/\.0\/24$/, '.')), "Caddy's address is in the subnet");
  });

  it('keeps personal data for the documented times and bounds refusals by default', () => {
    const config = loadConfig({});
    assert.deepEqual(config.retention, { deliveriesDays: 90, syncLogDays: 365, refusalsDays: 30 });
    assert.deepEqual(config.refusals, { keptPerStore: 1000, keptWithoutStore: 200, perAddressPerMinute: 30 });
    assert.deepEqual(loadConfig({ RETAIN_DELIVERIES_DAYS: '30', RETAIN_SYNC_LOG_DAYS: '90' }).retention, {
      deliveriesDays: 30,
      syncLogDays: 90,
      refusalsDays: 30,
    });
    assert.throws(() => loadConfig({ RETAIN_REFUSALS_DAYS: '0' }), /RETAIN_REFUSALS_DAYS/);
  });

  it('takes previous encryption keys, comma-separated, each checked like ENCRYPTION_KEY', () => {
    const [a, b] = [Buffer.alloc(32, 1).toString('base64'), Buffer.alloc(32, 2).toString('base64')];
    assert.deepEqual(loadConfig({}).previousEncryptionKeys, []);
    assert.deepEqual(loadConfig({ ENCRYPTION_KEY_PREVIOUS: ` ${a}, ${b} ` }).previousEncryptionKeys, [a, b]);
    assert.throws(() => loadConfig({ ENCRYPTION_KEY_PREVIOUS: `${a},short` }), /ENCRYPTION_KEY_PREVIOUS: each key/);
  });

  it('reads where alerts go, and refuses an email server without sender and recipients', () => {
    const config = loadConfig({
      SMTP_URL: 'smtp://u:p@smtp.example.com:587',
      ALERT_EMAIL_FROM: 'a@example.com',
      ALERT_EMAIL_TO: ' o@example.com, h@example.com ,',
      ALERT_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/x',
    });
    assert.deepEqual(config.alerts.emailTo, ['o@example.com', 'h@example.com']);
    assert.equal(config.alerts.webhookUrl, 'https://hooks.slack.com/services/T/B/x');
    assert.throws(() => loadConfig({ SMTP_URL: 'smtp://smtp.example.com' }), /SMTP_URL: needs ALERT_EMAIL_FROM and ALERT_EMAIL_TO/);
    assert.throws(() => loadConfig({ SMTP_URL: 'mail.example.com' }), /SMTP_URL must look like smtp:\/\/user:password@smtp\.example\.com:587/);
    assert.throws(() => loadConfig({ ALERT_WEBHOOK_URL: 'slack' }), /ALERT_WEBHOOK_URL must be a URL/);
  });

  it('lists every problem at once, in words', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty', ZOHO_DC: 'mars', ENCRYPTION_KEY: 'short', ZOHO_REFRESH_TOKEN: '1000.x' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        const text = error.message;
        assert.match(text, /PORT/);
        assert.match(text, /ZOHO_DC must be one of com, eu, in, com.au, jp, zohocloud.ca, com.cn/);
        return true;
      },
    );
    assert.throws(() => loadConfig({ ENCRYPTION_KEY: 'short' }), /ENCRYPTION_KEY: must be 32 random bytes/);
    assert.throws(() => loadConfig({ ZOHO_REFRESH_TOKEN: '1000.x' }), /needs ZOHO_CLIENT_ID and ZOHO_CLIENT_SECRET/);
    assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /ENCRYPTION_KEY: required when NODE_ENV=production/);
  });
});

describe('Zoho data centres', () => {
  it('derives accounts and Campaigns hosts, including the odd Canadian one', () => {
    assert.deepEqual(hostsFor('eu'), { accountsServer: 'https://accounts.zoho.eu', campaignsUrl: 'https://campaigns.zoho.eu' });
    assert.deepEqual(hostsFor('zohocloud.ca'), {
      accountsServer: 'https://accounts.zohocloud.ca',
      campaignsUrl: 'https://campaigns.zohocloud.ca',
    });
  });

  it('applies {dc} host overrides and accepts only allowlisted accounts servers', () => {
    const overrides = { accountsUrlTemplate: 'http://127.0.0.1:4010/dc/{dc}/accounts' };
    assert.equal(hostsFor('in', overrides).accountsServer, 'http://127.0.0.1:4010/dc/in/accounts');
    assert.equal(dataCentreOfAccountsServer('http://127.0.0.1:4010/dc/jp/accounts', overrides), 'jp');
    assert.equal(dataCentreOfAccountsServer('https://accounts.zoho.in'), 'in');
    assert.equal(dataCentreOfAccountsServer('https://accounts.evil.example'), undefined);
    assert.equal(dataCentreFromLocation('us'), 'com');
    assert.equal(dataCentreFromLocation('au'), 'com.au');
  });

  it('knows every accounts server Zoho runs, and derives each Campaigns host from it', () => {
    const expected = {
      'https://accounts.zoho.com': ['com', 'https://campaigns.zoho.com'],
      'https://accounts.zoho.eu': ['eu', 'https://campaigns.zoho.eu'],
      'https://accounts.zoho.in': ['in', 'https://campaigns.zoho.in'],
      'https://accounts.zoho.com.au': ['com.au', 'https://campaigns.zoho.com.au'],
      'https://accounts.zoho.jp': ['jp', 'https://campaigns.zoho.jp'],
      'https://accounts.zohocloud.ca': ['zohocloud.ca', 'https://campaigns.zohocloud.ca'],
      'https://accounts.zoho.com.cn': ['com.cn', 'https://campaigns.zoho.com.cn'],
      'https://accounts.zoho.sa': ['sa', 'https://campaigns.zoho.sa'],
      'https://accounts.zoho.uk': ['uk', 'https://campaigns.zoho.uk'],
      'https://accounts.zoho.ae': ['ae', 'https://campaigns.zoho.ae'],
    } as const;
    for (const [server, [dataCentre, campaigns]] of Object.entries(expected)) {
      assert.equal(dataCentreOfAccountsServer(server), dataCentre, server);
      assert.equal(hostsFor(dataCentre).campaignsUrl, campaigns);
    }
    for (const location of ['sa', 'uk', 'ae']) assert.equal(callbackDataCentre(`https://accounts.zoho.${location}`, location, {}), location);
    for (const lookalike of ['https://accounts.zoho.sa.evil.example', 'http://accounts.zoho.uk', 'https://accounts.zoho.ae:8443', 'https://zoho.ae']) {
      assert.equal(callbackDataCentre(lookalike, undefined, {}), undefined, lookalike);
    }
  });

  it('behind a single ZOHO_ACCOUNTS_URL (a proxy), takes the data centre from the callback', () => {
    const proxy = { accountsUrlTemplate: 'https://zoho-proxy.internal/accounts' };
    assert.equal(hostsFor('eu', proxy).accountsServer, 'https://zoho-proxy.internal/accounts');
    // Zoho names its own server; the code is then exchanged through the proxy.
    assert.equal(callbackDataCentre('https://accounts.zoho.eu', 'eu', proxy), 'eu');
    // A proxy that rewrites the callback names itself: the location says which data centre.
    assert.equal(callbackDataCentre('https://zoho-proxy.internal/accounts/', 'eu', proxy), 'eu');
    assert.equal(callbackDataCentre('https://zoho-proxy.internal/accounts', 'mars', proxy), undefined);
    assert.equal(callbackDataCentre('https://accounts.zoho.eu', 'us', proxy), undefined, 'server and location disagree');
    assert.equal(callbackDataCentre('https://elsewhere.example/accounts', 'eu', proxy), undefined);
  });
});
