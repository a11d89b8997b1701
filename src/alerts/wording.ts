// What each message says, in words for a shop owner: what happened, what it affects, what to do,
// and a link to the page where it is done. Pure: the details come from the incident.
import type { IncidentDetails, IncidentKind, MessageKind } from './incident.ts';

export interface AlertText {
  title: string;
  /** The body: what happened, what it affects, what to do (one paragraph each). */
  text: string;
  /** The dashboard page to open. */
  link: string;
}

interface Explanation {
  title: string;
  happened: string;
  affects: string;
  action: string;
  path: string;
  /** The title of the "it is over" message. */
  resolvedTitle: string;
}

const str = (value: unknown, fallback = '') => (typeof value === 'string' || typeof value === 'number' ? String(value) : fallback);
const count = (value: unknown) => (typeof value === 'number' ? value : 0);
const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
const when = (iso: unknown) => (typeof iso === 'string' ? new Date(iso).toUTCString().replace(' GMT', ' UTC') : 'soon');
const hours = (ms: unknown) => Math.round(count(ms) / 3_600_000);

function explain(kind: IncidentKind, d: IncidentDetails): Explanation {
  switch (kind) {
    case 'zoho_reconnect':
      return {
        title: 'Zoho Campaigns needs reconnecting',
        happened: `Zoho no longer accepts the bridge's access (${str(d.reason, 'the access was revoked or refused')}).`,
        affects: `Nothing reaches your Zoho lists until you reconnect: ${plural(count(d.waiting), 'change is', 'changes are')} waiting. Nothing is lost; they are sent once you reconnect.`,
        action: 'Open the dashboard and choose "Reconnect Zoho Campaigns".',
        path: '/admin#zoho',
        resolvedTitle: 'Zoho Campaigns is connected again',
      };
    case 'woocommerce_webhooks':
      return {
        title: `WooCommerce webhooks of ${str(d.store)} need attention`,
        happened: `${str(d.message)}${Array.isArray(d.topics) && d.topics.length > 0 ? ` Topics concerned: ${d.topics.join(', ')}.` : ''}`,
        affects: 'WooCommerce sends nothing on a disabled webhook, so those changes never reach the bridge or Zoho.',
        action:
          'Open the store on the dashboard and repair its webhooks (or set them to Active in WooCommerce, Settings, Advanced, Webhooks). Changes made meanwhile can be brought over with a backfill.',
        path: `/admin#store-${str(d.storeId)}`,
        resolvedTitle: `WooCommerce webhooks of ${str(d.store)} are active again`,
      };
    case 'store_quiet':
      return {
        title: `${str(d.store)} has gone quiet`,
        happened: `No delivery has arrived from ${str(d.store)} for ${hours(d.silentForMs)} hours, although it sent changes on ${count(d.activeDays)} of the 7 days before, and its longest pause then was ${plural(Math.max(1, hours(d.usualSilenceMs)), 'hour', 'hours')}.`,
        affects:
          'If WooCommerce stopped sending (a disabled webhook, a changed URL or secret, a site problem), changes to your customers are not reaching Zoho.',
        action: 'Check in WooCommerce (Settings, Advanced, Webhooks) that the bridge webhooks are Active, and look at the refused deliveries on the dashboard.',
        path: `/admin#store-${str(d.storeId)}`,
        resolvedTitle: `${str(d.store)} is sending deliveries again`,
      };
    case 'changes_failed': {
      const reasons = Array.isArray(d.topReasons) && d.topReasons.length > 0 ? ` Most common reasons: ${d.topReasons.join('; ')}.` : '';
      return {
        title: `${plural(count(d.count), 'change', 'changes')} failed to reach Zoho`,
        happened: `In the last 24 hours ${plural(count(d.count), 'change', 'changes')} failed for good after every retry.${reasons}`,
        affects: 'The customers concerned are not on the Zoho lists they belong on (or not off them).',
        action: 'Open the sync log of failed changes, fix what the reason says (a list, a field, the address) and choose Retry.',
        path: '/admin/events?status=failed',
        resolvedTitle: 'No more changes failed in the last 24 hours',
      };
    }
    case 'zoho_paused':
      return {
        title: `Zoho paused the bridge's ${str(d.endpoint)} calls`,
        happened:
          d.reason === 'daily'
            ? `The daily allowance of ${str(d.endpoint)} calls (${count(d.limit).toLocaleString('en')} a day) is used up.`
            : `Zoho's limit on ${str(d.endpoint)} calls was exceeded, and Zoho locks it for a while.`,
        affects: `Changes wait; they are sent automatically when it resumes, around ${when(d.resumesAt)}.`,
        action: 'Nothing, unless this happens often: then another tool may share the Zoho account, or a large import ran.',
        path: '/admin',
        resolvedTitle: `The bridge's ${str(d.endpoint)} calls to Zoho resumed`,
      };
    case 'receiver_storage':
      return {
        title: 'The bridge cannot store deliveries',
        happened: `The bridge could not reach its database${d.since ? ` since ${when(d.since)}` : ''}${count(d.refused) > 0 ? `, and answered ${plural(count(d.refused), 'delivery', 'deliveries')} with an error` : ''}.`,
        affects: 'WooCommerce does not send a refused delivery again, and disables a webhook after repeated failures: changes made now may be missing.',
        action: 'Ask whoever runs the bridge to check the database server. Afterwards, run a backfill of the store to bring over what was missed.',
        path: '/admin',
        resolvedTitle: 'The bridge can store deliveries again',
      };
    case 'backfill':
      return d.status === 'done'
        ? {
            title: `The ${str(d.what)} import of ${str(d.store)} finished`,
            happened: `The import of existing ${str(d.what)} finished: ${plural(count(d.items), 'item was', 'items were')} handed to the sync.`,
            affects: 'They reach Zoho over the next minutes or hours, at the pace Zoho allows.',
            action: 'Nothing; the sync log shows each of them.',
            path: '/admin/events',
            resolvedTitle: `The ${str(d.what)} import of ${str(d.store)} finished`,
          }
        : {
            title: `The ${str(d.what)} import of ${str(d.store)} stopped with an error`,
            happened: `The import of existing ${str(d.what)} stopped after ${plural(count(d.pages), 'page', 'pages')}: ${str(d.error, 'an error')}.`,
            affects: 'Customers on the remaining pages were not brought over yet.',
            action: 'Fix what the error says, then start the backfill again: it continues where it stopped.',
            path: '/admin',
            resolvedTitle: `The ${str(d.what)} import of ${str(d.store)} is no longer stopped`,
          };
  }
}

export function alertText(kind: IncidentKind, message: MessageKind, details: IncidentDetails, publicUrl: string): AlertText {
  const e = explain(kind, details);
  const link = `${publicUrl}${e.path}`;
  if (message === 'resolved') return { title: `Resolved: ${e.resolvedTitle}`, text: `${e.resolvedTitle}. There is nothing more to do.`, link };
  const prefix = message === 'reminder' ? 'Still open: ' : message === 'digest' ? 'Update: ' : '';
  return { title: `${prefix}${e.title}`, text: `${e.happened}\n\nWhat it affects: ${e.affects}\n\nWhat to do: ${e.action}`, link };
}

/** The message the "Send a test alert" button sends. */
export function testAlertText(publicUrl: string): AlertText {
  return {
    title: 'Test alert from woo-zoho-bridge',
    text: 'This is a test. When something needs you (Zoho needs reconnecting, a store webhook is disabled, changes fail), a message like this one says what happened and what to do.',
    link: `${publicUrl}/admin/notifications`,
  };
}
