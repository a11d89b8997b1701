// The operator CLI: `npm run cli -- <command>`, or `woo-zoho-bridge <command>` through
// bin/woo-zoho-bridge.mjs. Each command uses the same settings (.env, environment) as the server.
import { Command } from 'commander';
import { prepareDatabase } from '../startup.ts';
import { readProcessConfig } from '../config.ts';
import { cliLogger, commandEnvironments, withServices } from './context.ts';
import { registerOperatorCommands } from './commands/index.ts';
import { consoleOutput } from './output.ts';
import { registerZohoCommands } from './commands/zoho.ts';

const program = new Command()
  .name('woo-zoho-bridge')
  .description('Operator commands for woo-zoho-bridge. Settings come from .env and the environment, as for npm start.')
  .showHelpAfterError();

const environments = commandEnvironments(withServices, consoleOutput);
registerZohoCommands(program, environments.zoho);
registerOperatorCommands(program, environments.operator);

program
  .command('migrate')
  .description('Create the database if it is missing and apply the migrations (npm start does this too)')
  .action(async () => {
    const config = readProcessConfig();
    await prepareDatabase(config, cliLogger(config));
    console.log('The database is up to date.');
  });

try {
  await program.parseAsync();
} catch (error) {
  console.error(`woo-zoho-bridge: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
