// Runs operator commands in-process against a test bridge: the real commander program and
// command code (the Zoho and the operator commands), with the bridge's services and an output that
// keeps every line.
import { Command } from 'commander';
import { registerOperatorCommands } from '../../src/cli/commands/index.ts';
import { registerZohoCommands } from '../../src/cli/commands/zoho.ts';
import type { CommandEnvironment } from '../../src/cli/commands/environment.ts';
import { commandEnvironments } from '../../src/cli/context.ts';
import { capturingOutput } from '../../src/cli/output.ts';
import type { TestBridge } from './bridge.ts';
import { startWooCommerceSimulator, type WooCommerceSimulator, type WooCommerceSimulatorOptions } from '../../tools/woocommerce-simulator/index.ts';

export type CliRun = ReturnType<typeof capturingOutput>;

/** `woo-zoho-bridge <args…>`; resolves with what it printed and its exit code (undefined = 0). */
export async function runCli(
  bridge: TestBridge,
  args: string[],
  tuning: CommandEnvironment<unknown>['tuning'] = { retryDelaysMs: [5, 5], minSpacingMs: 2 },
): Promise<CliRun> {
  const output = capturingOutput();
  const program = new Command().exitOverride().configureOutput({
    writeOut: (text) => output.line(text.trimEnd()),
    writeErr: (text) => output.warn(text.trimEnd()),
  });
  const env = commandEnvironments((work) => work(bridge.services), output, tuning);
  registerZohoCommands(program, env.zoho);
  registerOperatorCommands(program, env.operator);
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    output.warn(`woo-zoho-bridge: ${error instanceof Error ? error.message : String(error)}`);
    output.fail(1);
  }
  return output;
}

/** A WooCommerce store whose REST key is given to the bridge as a new store; returns its id. */
export async function addSimulatedStore(
  bridge: TestBridge,
  options: WooCommerceSimulatorOptions = {},
): Promise<{ store: WooCommerceSimulator; storeId: string; secret: string }> {
  const store = await startWooCommerceSimulator(options);
  const run = await runCli(bridge, [
    'stores',
    'add',
    '--url',
    store.baseUrl,
    '--name',
    'Simulated shop',
    '--consumer-key',
    store.consumerKey,
    '--consumer-secret',
    store.consumerSecret,
  ]);
  if (run.exitCode) throw new Error(`stores add failed: ${run.text()}`);
  const storeId = /Added store "([^"]+)"/.exec(run.text())?.[1];
  const secret = /Webhook secret: (\S+)/.exec(run.text())?.[1];
  if (!storeId || !secret) throw new Error(`stores add printed no id or secret: ${run.text()}`);
  return { store, storeId, secret };
}
