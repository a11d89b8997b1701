// The operator commands for stores, webhooks, backfills, status, key rotation and erasure, registered on the CLI program
// (src/cli/index.ts) with one call.
import type { Command } from 'commander';
import { registerBackfillCommand } from './backfill.ts';
import { defaultEnvironment, type CommandEnvironment } from './environment.ts';
import { registerForgetCommand } from './forget.ts';
import { registerRotateKeyCommand } from './rotate-key.ts';
import { registerStatusCommand } from './status.ts';
import { registerStoreCommands } from './stores.ts';
import { registerWebhookCommands } from './webhooks.ts';

export function registerOperatorCommands(program: Command, env: CommandEnvironment = defaultEnvironment): void {
  registerStoreCommands(program, env);
  registerWebhookCommands(program, env);
  registerBackfillCommand(program, env);
  registerStatusCommand(program, env);
  registerRotateKeyCommand(program, env);
  registerForgetCommand(program, env);
}
