// Operator commands for the Zoho connection, for servers without a browser at hand: connect with
// a Self Client grant code (docs/zoho-api.md, "Self Client"), disconnect, and look at the connection and its lists.
import { InvalidArgumentError, type Command } from 'commander';
import type { StoreRepository } from '../../db/stores.ts';
import { effectiveSettings, type SettingsDefaults } from '../../sync/store-settings.ts';
import { ZOHO_SCOPE } from '../../zoho/authorization.ts';
import type { ConnectProblem, ZohoConnector } from '../../zoho/connector.ts';
import { ZOHO_DATA_CENTRES, type ZohoDataCentre } from '../../zoho-names.ts';
import { DATA_CENTRE_NAMES, dataCentreFromLocation, isZohoDataCentre } from '../../zoho/data-centres.ts';
import type { CliOutput } from '../output.ts';
import type { CommandEnvironment } from './environment.ts';

export interface ZohoCommandNeeds {
  connector: Pick<ZohoConnector, 'connectWithCode' | 'disconnect' | 'status' | 'mailingLists'>;
  stores: Pick<StoreRepository, 'list'>;
  settingsDefaults: SettingsDefaults;
  publicUrl: string;
}

export function registerZohoCommands(program: Command, env: CommandEnvironment<ZohoCommandNeeds>): void {
  const { output } = env;
  program
    .command('connect')
    .description('Connect Zoho Campaigns with a grant code made in the Zoho API console (Self Client › Generate Code)')
    .requiredOption('--code <code>', `the grant code; generate it with scope ${ZOHO_SCOPE} and use it at once`)
    .requiredOption('--dc <dc>', `your Zoho data centre: ${ZOHO_DATA_CENTRES.join(', ')} (or us, au, ca, cn)`, parseDataCentre)
    .action((options: { code: string; dc: ZohoDataCentre }) => env.run((needs) => connect(needs, output, options.code.trim(), options.dc)));

  program
    .command('disconnect')
    .description('Give the Zoho refresh token back to Zoho (revoke it) and forget the connection')
    .action(() => env.run((needs) => disconnect(needs, output)));

  const zoho = program.command('zoho').description('The Zoho Campaigns connection');
  zoho
    .command('status')
    .description('Show the connection, its tokens and the chosen lists (exits 1 unless connected)')
    .action(() => env.run((needs) => status(needs, output)));
  zoho
    .command('lists')
    .description('Show the mailing lists of the connected Zoho Campaigns account, with their keys')
    .action(() => env.run((needs) => lists(needs, output)));
}

export function parseDataCentre(value: string): ZohoDataCentre {
  const normalised = value
    .trim()
    .toLowerCase()
    .replace(/^(accounts\.)?zoho\./, '');
  const dataCentre = isZohoDataCentre(normalised) ? normalised : dataCentreFromLocation(normalised);
  if (!dataCentre) throw new InvalidArgumentError(`use one of ${ZOHO_DATA_CENTRES.join(', ')} (the end of the Zoho address you sign in at).`);
  return dataCentre;
}

async function connect(needs: ZohoCommandNeeds, out: CliOutput, code: string, dataCentre: ZohoDataCentre): Promise<void> {
  const { connector } = needs;
  const result = await connector.connectWithCode({ code, dataCentre, redirectUri: undefined, origin: 'self-client' });
  if (!result.ok) {
    out.warn(`Not connected. ${problemMessage(result.problem, dataCentre, needs.publicUrl)}`);
    if (result.detail && result.problem !== 'not_configured') out.warn(`(Zoho said: ${result.detail})`);
    out.fail(1);
    return;
  }
  out.line(`Connected to Zoho Campaigns in ${DATA_CENTRE_NAMES[dataCentre]}. Deliveries waiting for Zoho now sync.`);
  if (!(await printLists(needs, out))) out.fail(1);
  out.line(`Choose the list(s) to fill at ${needs.publicUrl}/admin, or set ZOHO_LIST_KEY to one of the keys above.`);
}

async function disconnect(needs: ZohoCommandNeeds, out: CliOutput): Promise<void> {
  const result = await needs.connector.disconnect();
  if (!result.wasConnected) {
    out.line(result.message);
    return;
  }
  out.line(
    result.revoked
      ? 'Disconnected: the refresh token was revoked at Zoho and forgotten here.'
      : `Disconnected here, but Zoho could not revoke the token (${result.message}). Remove the app under Connected Apps at accounts.zoho.com to be sure.`,
  );
  if (result.origin === 'config') out.line('Remove ZOHO_REFRESH_TOKEN from the settings too, or it is used again at the next start.');
  if (!result.revoked) out.fail(1);
}

async function status(needs: ZohoCommandNeeds, out: CliOutput): Promise<void> {
  const state = await needs.connector.status();
  const when = (date: Date | undefined) => (date ? date.toISOString() : 'not yet');
  if (state.state === 'not_connected') {
    out.line('Zoho Campaigns: not connected.');
    out.line(
      state.clientConfigured
        ? `Connect it at ${needs.publicUrl}/admin, or: woo-zoho-bridge connect --code <grant code> --dc <dc>`
        : 'Set ZOHO_CLIENT_ID and ZOHO_CLIENT_SECRET first (docs/zoho-connection.md).',
    );
  } else {
    const where = isZohoDataCentre(state.dataCentre ?? '') ? DATA_CENTRE_NAMES[state.dataCentre as ZohoDataCentre] : state.dataCentre;
    out.line(
      `Zoho Campaigns: ${state.state === 'connected' ? 'connected' : 'NEEDS RECONNECTING'} (${where}), since ${when(state.connectedAt)}, via ${state.origin}.`,
    );
    if (state.reason) out.line(state.state === 'connected' ? `Note: ${state.reason}` : `Why: ${state.reason}`);
    out.line(`Access token valid until: ${when(state.accessTokenExpiresAt)}.`);
    if (state.refreshPausedUntil) out.line(`Token refreshes paused until ${when(state.refreshPausedUntil)} (Zoho throttling).`);
  }
  out.line(`Token refreshes in the last 10 minutes: ${state.refreshesUsed} (Zoho allows 10).`);
  for (const store of await needs.stores.list()) {
    const { lists } = effectiveSettings(store.settings, needs.settingsDefaults);
    const chosen = Object.entries(lists)
      .filter(([, key]) => key)
      .map(([role, key]) => `${role}=${key}`);
    out.line(`Store "${store.name}" (${store.id}) lists: ${chosen.length ? chosen.join(', ') : 'none chosen yet'}.`);
  }
  if (state.state !== 'connected') out.fail(1);
}

async function lists(needs: ZohoCommandNeeds, out: CliOutput): Promise<void> {
  if (!(await printLists(needs, out))) out.fail(1);
}

async function printLists(needs: ZohoCommandNeeds, out: CliOutput): Promise<boolean> {
  const result = await needs.connector.mailingLists();
  if (!result.ok) {
    out.warn(`Could not read the mailing lists: ${result.message}`);
    return false;
  }
  if (result.lists.length === 0) out.line('The account has no mailing list yet: create one in Zoho Campaigns.');
  for (const list of result.lists) {
    out.line(`  ${list.key}  ${list.name}${list.contacts === undefined ? '' : ` (${list.contacts} contacts)`}`);
  }
  return true;
}

export function problemMessage(problem: ConnectProblem, dataCentre: ZohoDataCentre, publicUrl: string): string {
  const where = DATA_CENTRE_NAMES[dataCentre];
  switch (problem) {
    case 'invalid_code':
      return 'The code expired or was used; generate a new one, codes last 3–10 minutes (API console › Self Client › Generate Code), and run this command right away.';
    case 'invalid_client':
      return `Zoho's ${where} data centre does not know ZOHO_CLIENT_ID. Check --dc: it must be where your Zoho account lives (the address you sign in at: zoho.com → com, zoho.eu → eu, …), and ZOHO_CLIENT_ID must be the Self Client's Client ID.`;
    case 'invalid_client_secret':
      return "ZOHO_CLIENT_SECRET is not this client's secret (API console › Self Client › Client Secret).";
    case 'invalid_redirect_uri':
      return `This code belongs to a server-based client, which needs the browser flow: open ${publicUrl}/admin. For this command, generate the code in the Self Client.`;
    case 'no_refresh_token':
      return 'Zoho returned no refresh token, so the connection would stop working within an hour. Generate a new code and try again.';
    case 'missing_scope':
      return `The code was generated for other scopes. Generate a new one with the scope ${ZOHO_SCOPE}.`;
    case 'throttled':
      return 'Zoho is refusing token requests for now (too many in 10 minutes). Wait 10 minutes, generate a new code and try again.';
    case 'unreachable':
      return 'Zoho could not be reached. Check the network; codes expire within minutes, so generate a new one when you try again.';
    case 'not_configured':
      return "Set ZOHO_CLIENT_ID and ZOHO_CLIENT_SECRET to the Self Client's Client ID and Client Secret (in .env or the environment) first.";
    case 'other':
      return 'Zoho refused the code.';
  }
}
