// Read endpoints: getmailinglists, getlistsubscribers, contact/allfields (docs/zoho-api.md, "Endpoints the bridge uses").
// Counts and ids are strings, as Zoho sends them ("noofcontacts": "15").
import { pageOf, type CampaignsEnvelope } from './campaigns-envelope.ts';
import { escapeHtml, type Answer, type RequestContext } from './http-kit.ts';
import type { FieldDefinition } from './contact-fields.ts';
import type { MailingList, MailingLists, StoredContact } from './mailing-lists.ts';

export interface ListHandlerDeps {
  lists: MailingLists;
  fields: FieldDefinition[];
  envelope: CampaignsEnvelope;
}

/** [U] Zoho documents no default page size; 20 is a common one. */
const DEFAULT_RANGE = 20;
/** [U] keepsuit caps `range` at 650 per request; the simulator clamps to it. */
const MAX_RANGE = 650;

export function getMailingLists(deps: ListHandlerDeps, request: RequestContext): Answer {
  const all = deps.lists.all().sort((a, b) => a.createdAt - b.createdAt);
  if (request.params.sort === 'desc') all.reverse();
  const page = pageOf(all, request.params, DEFAULT_RANGE, MAX_RANGE);
  // 2401 when there are no lists, and [U] also past the last page, mirroring getlistsubscribers.
  if (page.length === 0) return deps.envelope.error('getmailinglists', '2401', 'No mailing list has been created.');
  return deps.envelope.success('getmailinglists', { list_of_details: page.map((list) => listSummary(list, all.indexOf(list))) });
}

function listSummary(list: MailingList, index: number): Record<string, unknown> {
  const contacts = [...list.contacts.values()];
  const count = (status: StoredContact['status']): string => String(contacts.filter((c) => c.status === status).length);
  return {
    listkey: list.listkey,
    listname: list.listname,
    noofcontacts: count('active'),
    noofunsubcnt: count('unsubscribed'),
    noofbouncecnt: '0',
    created_date: String(list.createdAt),
    lockstatus: 'false',
    is_public: list.doubleOptIn ? 'true' : 'false',
    owner: 'owner@zoho-simulator.test',
    segments: [],
    zuid: '7000000',
    listunino: String(index + 1),
  };
}

export function getListSubscribers(deps: ListHandlerDeps, request: RequestContext): Answer {
  const { params } = request;
  const list = deps.lists.find(params.listkey);
  if (!list) return deps.envelope.error('getlistsubscribers', '2501', 'Listkey is empty or invalid.');
  // [U] without `status` Zoho's sample queries ask for active; recent/mostrecent are active, newest first.
  const status = params.status ?? 'active';
  const wanted = status === 'unsub' ? 'unsubscribed' : ['active', 'recent', 'mostrecent'].includes(status) ? 'active' : undefined;
  const matching = [...list.contacts.values()].filter((c) => c.status === wanted).sort((a, b) => a.addedAt - b.addedAt);
  if (params.sort === 'desc' || status === 'recent' || status === 'mostrecent') matching.reverse();
  const page = pageOf(matching, params, DEFAULT_RANGE, MAX_RANGE);
  // Paging past the end is an error, not an empty array (docs/zoho-api.md, "Endpoints the bridge uses").
  if (page.length === 0) return deps.envelope.error('getlistsubscribers', '2502', 'Yet,There are no contacts in this list.');
  return deps.envelope.success('getlistsubscribers', { list_of_details: page.map(subscriberRow) });
}

function subscriberRow(contact: StoredContact): Record<string, string> {
  return {
    contact_email: contact.email,
    firstname: contact.fields['First Name'] ?? '',
    lastname: contact.fields['Last Name'] ?? '',
    companyname: contact.fields['Company Name'] ?? '',
    phone: contact.fields.Phone ?? '',
    added_time: String(contact.addedAt),
    zuid: contact.zuid,
  };
}

/** `type` (not `resfmt`) picks the format here (docs/zoho-api.md, "Endpoints the bridge uses"). */
export function getAllFields(deps: ListHandlerDeps, request: RequestContext): Answer {
  const type = request.params.type?.toLowerCase();
  if (type === 'xml') return xmlFields(deps.fields);
  // [U] error for a missing/unknown `type`: the table's "mandatory fields missing".
  if (type !== 'json') return deps.envelope.error('allfields', '903', 'Mandatory fields missing.');
  const fieldname = deps.fields.map((f) => ({
    DISPLAY_NAME: f.displayName,
    FIELD_NAME: f.fieldName,
    IS_MANDATORY: f.mandatory,
    FIELD_ID: f.fieldId,
  }));
  return deps.envelope.success('allfields', { response: { fieldnames: { fieldname } } });
}

function xmlFields(fields: FieldDefinition[]): Answer {
  const rows = fields.map(
    (f, i) =>
      `<fieldname no="${i + 1}"><DISPLAY_NAME>${escapeHtml(f.displayName)}</DISPLAY_NAME>` +
      `<FIELD_NAME>${escapeHtml(f.fieldName)}</FIELD_NAME><IS_MANDATORY>${f.mandatory}</IS_MANDATORY><FIELD_ID>${f.fieldId}</FIELD_ID></fieldname>`,
  );
  const body = `<?xml version="1.0" encoding="UTF-8"?><response uri="/api/v1.1/contact/allfields" version="1.1"><status>success</status><code>0</code><fieldnames>${rows.join('')}</fieldnames></response>`;
  return { status: 200, contentType: 'application/xml;charset=UTF-8', body };
}
