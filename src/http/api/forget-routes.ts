// DELETE /api/v1/contacts/{email}: erasure of one person, as the CLI's `forget` and the customer
// page do it (src/use-cases/forget-person.ts).
import type { FastifyInstance } from 'fastify';
import { describeForgetting, ForgetUnsubscribeError } from '../../use-cases/forget-person.ts';
import type { ForgetOptions, ForgetReport } from '../../use-cases/forget-person.ts';
import { forgetResultSchema, problemSchema } from './schemas.ts';

export interface ForgetApiOptions {
  forgetPerson: (email: string, options: ForgetOptions) => Promise<ForgetReport>;
}

export async function forgetApiRoutes(app: FastifyInstance, options: ForgetApiOptions): Promise<void> {
  app.delete<{ Params: { email: string }; Querystring: { unsubscribe?: boolean } }>(
    '/contacts/:email',
    {
      schema: {
        tags: ['Customers'],
        summary: 'Forget one person: remove everything the bridge stores about this email address',
        description:
          'Removes the contacts with this address in every store, the deliveries about them, their subscriptions and refused deliveries ' +
          'that mention the address; sync log entries stay, with the address replaced by a code. With unsubscribe=true the address is ' +
          'first unsubscribed from the Zoho lists the bridge put it on; when Zoho does not confirm that, nothing is removed (502). ' +
          'A later delivery about the address is treated as a new customer.',
        params: { type: 'object', properties: { email: { type: 'string', minLength: 3, maxLength: 320 } }, required: ['email'] },
        querystring: { type: 'object', properties: { unsubscribe: { type: 'boolean', default: false } }, additionalProperties: false },
        response: { 200: forgetResultSchema, 400: problemSchema, 401: problemSchema, 502: problemSchema },
      },
    },
    async (request, reply) => {
      try {
        const report = await options.forgetPerson(request.params.email, { unsubscribeFromZoho: request.query.unsubscribe === true });
        const { unsubscribedFrom, ...removed } = report;
        return { ok: true, removed, unsubscribedFrom, message: describeForgetting(report) };
      } catch (error) {
        if (!(error instanceof ForgetUnsubscribeError)) throw error;
        return reply.code(502).send({ ok: false, error: 'zoho_unsubscribe_failed', message: error.message });
      }
    },
  );
}
