// `rotate-key`: re-seals every stored secret under ENCRYPTION_KEY, after the old key was moved to
// ENCRYPTION_KEY_PREVIOUS (docs/security.md, "Key rotation").
import type { Command } from 'commander';
import { rotateEncryptionKey, type KeyRotationRepositories } from '../../use-cases/rotate-key.ts';
import type { CommandEnvironment } from './environment.ts';

export function registerRotateKeyCommand(program: Command, env: CommandEnvironment<KeyRotationRepositories>): void {
  program
    .command('rotate-key')
    .description('Re-encrypt every stored secret under ENCRYPTION_KEY (give the old key in ENCRYPTION_KEY_PREVIOUS first)')
    .action(() =>
      env.run(async (repositories) => {
        const result = await rotateEncryptionKey(repositories);
        const total = result.storeSecrets + result.zohoTokens;
        env.output.line(
          `Re-encrypted ${total} stored secret${total === 1 ? '' : 's'} under the current key ` +
            `(${result.storeSecrets} store secret${result.storeSecrets === 1 ? '' : 's'}, ${result.zohoTokens} Zoho token${result.zohoTokens === 1 ? '' : 's'}).`,
        );
        env.output.line(
          total === 0
            ? 'Everything was already sealed with the current key.'
            : 'Every stored secret now opens with ENCRYPTION_KEY alone: ENCRYPTION_KEY_PREVIOUS can be removed.',
        );
      }),
    );
}
