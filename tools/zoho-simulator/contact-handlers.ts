// json/listsubscribe and json/listunsubscribe (docs/zoho-api.md, "Endpoints the bridge uses"). Validation order: list key, then
// contactinfo JSON, then the email, as the documented error codes suggest.
import type { CampaignsEnvelope } from './campaigns-envelope.ts';
import { judgeEmail, parseContactInfo, type FieldDefinition } from './contact-fields.ts';
import type { Answer, RequestContext } from './http-kit.ts';
import type { MailingLists } from './mailing-lists.ts';

export interface ContactHandlerDeps {
  lists: MailingLists;
  fields: FieldDefinition[];
  envelope: CampaignsEnvelope;
}

const CONFIRMATION_SENT = 'A confirmation email is sent to the user. User needs to confirm to successfully subscribe.';
/** [U] Zoho's wording for a list without double opt-in was never captured. */
const SUBSCRIBED = 'User successfully subscribed.';
const UNSUBSCRIBED = 'User successfully unsubscribed.';

export function listSubscribe(deps: ContactHandlerDeps, request: RequestContext): Answer {
  const { envelope } = deps;
  const { params } = request;
  const list = deps.lists.find(params.listkey);
  if (!list) return envelope.error('listsubscribe', '2501', 'Listkey is empty or invalid.');
  const info = parseContactInfo(params.contactinfo);
  if (!info) return envelope.error('listsubscribe', '2001', 'Please enter correct XML(or)JSON format.');
  const email = info['Contact Email'];
  const verdict = judgeEmail(email);
  if (verdict === 'invalid') return envelope.error('listsubscribe', '2004', 'Invalid contact email address.');
  if (verdict === 'group') return envelope.error('listsubscribe', '2005', 'Group email address added.');

  // Keys are matched exactly against display names; anything else is silently ignored [U].
  const known = new Set(deps.fields.map((f) => f.displayName));
  const fields = Object.fromEntries(Object.entries(info).filter(([name]) => known.has(name)));
  const outcome = deps.lists.subscribe(list, email!, fields, {
    resubscribe: params.donotmail_resub?.toLowerCase() === 'true',
    ...(params.source === undefined ? {} : { source: params.source }),
  });
  // A contact who stays unsubscribed still gets a success answer [U]: nothing in Zoho's docs says
  // it errors, and this is the silent case a bridge has to notice through getlistsubscribers.
  return envelope.success('listsubscribe', {}, outcome === 'pending' ? CONFIRMATION_SENT : SUBSCRIBED);
}

export function listUnsubscribe(deps: ContactHandlerDeps, request: RequestContext): Answer {
  const { envelope } = deps;
  const { params } = request;
  const list = deps.lists.find(params.listkey);
  // 2102 is the error table's "list key invalid" for the unsubscribe family (docs/zoho-api.md, "Error codes").
  if (!list) return envelope.error('listunsubscribe', '2102', 'Listkey is empty or invalid.');
  const info = parseContactInfo(params.contactinfo);
  if (!info) return envelope.error('listunsubscribe', '2001', 'Please enter correct XML(or)JSON format.');
  const email = info['Contact Email'];
  if (judgeEmail(email) === 'invalid') return envelope.error('listunsubscribe', '2004', 'Invalid contact email address.');
  if (!deps.lists.unsubscribe(list, email!)) return envelope.error('listunsubscribe', '2103', 'Contact does not exist');
  return envelope.success('listunsubscribe', {}, UNSUBSCRIBED);
}
