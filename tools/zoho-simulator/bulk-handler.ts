// addlistsubscribersinbulk (docs/zoho-api.md, "Endpoints the bridge uses"): up to ten addresses,
// comma-separated, no other fields. The answer's arrays come from one implementer [L]/[U], so a
// client should not trust them: the simulator sends them, and also really leaves out the
// addresses it says it ignored, so a client that checks with getlistsubscribers sees the truth.
import type { CampaignsEnvelope } from './campaigns-envelope.ts';
import { judgeEmail } from './contact-fields.ts';
import type { Answer, RequestContext } from './http-kit.ts';
import type { MailingLists } from './mailing-lists.ts';

export interface BulkHandlerDeps {
  lists: MailingLists;
  envelope: CampaignsEnvelope;
}

export const MAX_BULK_ADDRESSES = 10;

/**
 * [U] Domains Zoho drops silently in a bulk add: one implementer saw disposable and unusual
 * domains land in `ignored_contacts`. These stand in for Zoho's unpublished list.
 */
const IGNORED_DOMAINS = new Set(['mailinator.com', 'guerrillamail.com', 'yopmail.com', 'example.invalid']);

export function addListSubscribersInBulk(deps: BulkHandlerDeps, request: RequestContext): Answer {
  const { envelope } = deps;
  const { params } = request;
  const raw = params.emailids?.trim();
  if (!params.listkey || !raw) return envelope.error('addlistsubscribersinbulk', '903', 'Mandatory fields missing.');
  const list = deps.lists.find(params.listkey);
  // [U] no code is documented for an unknown key here; 2206 is this endpoint's "list deleted".
  if (!list) return envelope.error('addlistsubscribersinbulk', '2206', 'List has been deleted.');
  const emails = raw
    .split(',')
    .map((email) => email.trim())
    .filter((email) => email !== '');
  // "maximum of ten (10) EMAILID's"; [U] the answer to eleven is undocumented: refused whole.
  if (emails.length > MAX_BULK_ADDRESSES) {
    return envelope.error('addlistsubscribersinbulk', '1005', `Please enter correct data type format: at most ${MAX_BULK_ADDRESSES} email addresses.`);
  }
  const existing: string[] = [];
  const ignored: string[] = [];
  const readded: string[] = [];
  for (const email of emails) {
    if (judgeEmail(email) !== 'valid' || IGNORED_DOMAINS.has(email.split('@')[1]!.toLowerCase())) {
      ignored.push(email);
      continue;
    }
    const outcome = deps.lists.bulkAdd(list, email);
    if (outcome === 'existing') existing.push(email);
    if (outcome === 'readded') readded.push(email);
  }
  return envelope.success('addlistsubscribersinbulk', {
    listkey: list.listkey,
    listname: list.listname,
    existing_contacts: existing,
    ignored_contacts: ignored,
    readd_contacts: readded,
  });
}
