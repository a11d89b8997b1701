// Notifications (/admin/notifications): where alerts go (email over SMTP, a webhook such as Slack
// or Discord), and a button that sends a test alert and says what happened in plain words.
// The route only reads the form and calls the use cases in src/alerts/notification-settings.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FormProblem, NotificationSettings, NotificationsForm, TestResult } from '../../alerts/notification-settings.ts';
import { formField } from './form.ts';
import type { OwnerOnly } from './route-options.ts';
import { renderPage } from './pages.ts';
import { setFlash } from './session.ts';

function formOf(body: unknown): NotificationsForm {
  return {
    smtpUrl: formField(body, 'smtp_url'),
    smtpPassword: formField(body, 'smtp_password'),
    emailFrom: formField(body, 'email_from'),
    emailTo: formField(body, 'email_to'),
    webhookUrl: formField(body, 'webhook_url'),
    webhookSecret: formField(body, 'webhook_secret'),
    removeWebhook: formField(body, 'remove_webhook') === 'yes',
  };
}

export interface NotificationsRouteOptions extends OwnerOnly {
  notifications: NotificationSettings;
}

export async function notificationsRoutes(app: FastifyInstance, options: NotificationsRouteOptions): Promise<void> {
  const { notifications, ownerOnly } = options;

  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { form?: NotificationsForm; problems?: FormProblem[]; results?: TestResult[] } = {},
  ) => {
    const current = await notifications.view();
    const problems = extra.problems ?? [];
    const form = extra.form ?? {
      smtpUrl: current.smtpServer ?? '',
      smtpPassword: '',
      emailFrom: current.emailFrom,
      emailTo: current.emailTo,
      webhookUrl: '',
      webhookSecret: '',
      removeWebhook: false,
    };
    return renderPage(
      request,
      reply,
      'notifications',
      {
        title: 'Notifications',
        section: 'notifications',
        current,
        form: { ...form, smtpPassword: '', webhookSecret: '', webhookUrl: extra.form ? form.webhookUrl : '' },
        problems,
        problemOf: (field: string) => problems.find((problem) => problem.field === field)?.message,
        results: extra.results,
      },
      problems.length > 0 ? 400 : 200,
    );
  };

  app.get('/admin/notifications', { preHandler: ownerOnly }, (request, reply) => page(request, reply));

  app.post('/admin/notifications', { preHandler: ownerOnly }, async (request, reply) => {
    const form = formOf(request.body);
    const saved = await notifications.save(form);
    if (!saved.ok) return page(request, reply, { form, problems: saved.problems });
    request.log.info('Owner saved where alerts go');
    setFlash(request, 'Saved. Alerts go to these addresses from now on.');
    return reply.redirect('/admin/notifications', 303);
  });

  app.post('/admin/notifications/test', { preHandler: ownerOnly, config: { rateLimit: { max: 10, timeWindow: 60_000 } } }, async (request, reply) => {
    const results = await notifications.sendTest();
    request.log.info({ results: results.map((result) => ({ channel: result.channel, ok: result.ok })) }, 'Owner sent a test alert');
    return page(request, reply, { results });
  });
}
