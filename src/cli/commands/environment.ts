// What an operator command needs from outside: the bridge's services (opened and closed around the
// command) and somewhere to write. The CLI passes the real ones; tests pass a running test
// bridge's services and a capturing output, and drive the same commander program.
import type { Services } from '../../services.ts';
import { withServices } from '../context.ts';
import { consoleOutput, type CliOutput } from '../output.ts';

export interface CommandEnvironment {
  run<T>(work: (services: Services) => Promise<T>): Promise<T>;
  output: CliOutput;
  /** Tests only: shorter waits between page retries, and backfill jobs spaced closer together. */
  tuning?: { retryDelaysMs?: number[]; minSpacingMs?: number };
}

export const defaultEnvironment: CommandEnvironment = { run: withServices, output: consoleOutput };
