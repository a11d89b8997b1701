// What an operator command needs from outside: the use cases it works with (opened and closed
// around the command by the composition root, src/cli/context.ts) and somewhere to write. The CLI
// passes the real ones; tests pass a running test bridge's and a capturing output, and drive the
// same commander program.
import type { CliOutput } from '../output.ts';

export interface CommandEnvironment<Needs> {
  run<T>(work: (needs: Needs) => Promise<T>): Promise<T>;
  output: CliOutput;
  /** Tests only: shorter waits between page retries, and backfill jobs spaced closer together. */
  tuning?: { retryDelaysMs?: number[]; minSpacingMs?: number };
}
