// `forget <email>`: erasure of one person, as the customer page and the API do it
// (src/use-cases/forget-person.ts; docs/security.md, "Erasure").
import type { Command } from 'commander';
import { describeForgetting, ForgetUnsubscribeError, type ForgetOptions, type ForgetReport } from '../../use-cases/forget-person.ts';
import type { CommandEnvironment } from './environment.ts';

export interface ForgetNeeds {
  forgetPerson: (email: string, options: ForgetOptions) => Promise<ForgetReport>;
}

export function registerForgetCommand(program: Command, env: CommandEnvironment<ForgetNeeds>): void {
  program
    .command('forget')
    .argument('<email>', "the person's email address")
    .option('--unsubscribe', 'first unsubscribe them from the Zoho lists the bridge put them on')
    .description('Remove everything the bridge stores about one person (contacts, deliveries, subscriptions; the sync log keeps a code instead of the address)')
    .action((email: string, options: { unsubscribe?: boolean }) =>
      env.run(async (needs) => {
        try {
          const report = await needs.forgetPerson(email, { unsubscribeFromZoho: options.unsubscribe === true });
          env.output.line(describeForgetting(report));
          env.output.line('A later delivery from WooCommerce about this address is treated as a new customer.');
        } catch (error) {
          if (!(error instanceof ForgetUnsubscribeError)) throw error;
          env.output.warn(error.message);
          env.output.fail(1);
        }
      }),
    );
}
