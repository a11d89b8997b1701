// The operator commands for stores, webhooks, backfills, status, key rotation and erasure, registered on the CLI program
// (src/cli/index.ts) with one call, each with the environment that gives it its use cases.
import type { Command } from 'commander';
import { registerBackfillCommand, type BackfillNeeds } from './backfill.ts';
import type { CommandEnvironment } from './environment.ts';
import { registerForgetCommand, type ForgetNeeds } from './forget.ts';
import { registerRotateKeyCommand } from './rotate-key.ts';
import type { KeyRotationRepositories } from '../../use-cases/rotate-key.ts';
import { registerStatusCommand, type StatusNeeds } from './status.ts';
import { registerStoreCommands, type StoreCommandNeeds } from './stores.ts';
import { registerWebhookCommands, type WebhookCommandNeeds } from './webhooks.ts';

export interface OperatorEnvironments {
  stores: CommandEnvironment<StoreCommandNeeds>;
  webhooks: CommandEnvironment<WebhookCommandNeeds>;
  backfill: CommandEnvironment<BackfillNeeds>;
  status: CommandEnvironment<StatusNeeds>;
  rotateKey: CommandEnvironment<KeyRotationRepositories>;
  forget: CommandEnvironment<ForgetNeeds>;
}

export function registerOperatorCommands(program: Command, env: OperatorEnvironments): void {
  registerStoreCommands(program, env.stores);
  registerWebhookCommands(program, env.webhooks);
  registerBackfillCommand(program, env.backfill);
  registerStatusCommand(program, env.status);
  registerRotateKeyCommand(program, env.rotateKey);
  registerForgetCommand(program, env.forget);
}
