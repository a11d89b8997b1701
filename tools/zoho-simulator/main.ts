// Standalone Zoho simulator for trying the bridge by hand:
//   npx tsx tools/zoho-simulator/main.ts [--port 4010] [--host 127.0.0.1]
// Prints the environment that points the bridge at it (stdout, so `> .env.sim` works) and keeps
// running until Ctrl-C. Open the printed URL to watch lists fill up.
import { bridgeEnvironment, DEFAULT_LISTS, startZohoSimulator } from './index.ts';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const port = Number(argument('port') ?? process.env.ZOHO_SIM_PORT ?? 4010);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid port "${argument('port') ?? process.env.ZOHO_SIM_PORT}"`);
  process.exit(2);
}

const simulator = await startZohoSimulator({ port, host: argument('host') ?? '127.0.0.1' });

const environment = bridgeEnvironment(simulator);
for (const [name, value] of Object.entries(environment)) console.log(`${name}=${value}`);

console.error(`\nZoho simulator listening on ${simulator.baseUrl}  (open it in a browser to see lists and contacts)`);
console.error(`Lists: ${DEFAULT_LISTS.map((l) => `${l.listkey}${l.doubleOptIn ? ' (double opt-in)' : ''}`).join(', ')}.`);
console.error('OAuth browser flow: any http://127.0.0.1 or http://localhost redirect URI is accepted. Ctrl-C to stop.');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void simulator.close().then(() => process.exit(0));
  });
}
