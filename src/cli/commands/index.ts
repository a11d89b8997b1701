// The operator commands for stores, webhooks, backfills and status, registered on the CLI program
// (src/cli/index.ts) with one call, each with the environment that gives it its use cases.
import type { Command } from 'commander';
import { registerBackfillCommand, type BackfillNeeds } from './backfill.ts';
import type { CommandEnvironment } from './environment.ts';
import { registerStatusCommand, type StatusNeeds } from './status.ts';
import { registerStoreCommands, type StoreCommandNeeds } from './stores.ts';
import { registerWebhookCommands, type WebhookCommandNeeds } from './webhooks.ts';

export interface OperatorEnvironments {
  stores: CommandEnvironment<StoreCommandNeeds>;
  webhooks: CommandEnvironment<WebhookCommandNeeds>;
  backfill: CommandEnvironment<BackfillNeeds>;
  status: CommandEnvironment<StatusNeeds>;
}

export function registerOperatorCommands(program: Command, env: OperatorEnvironments): void {
  registerStoreCommands(program, env.stores);
  registerWebhookCommands(program, env.webhooks);
  registerBackfillCommand(program, env.backfill);
  registerStatusCommand(program, env.status);
}
