// Zoho list names for the owner's pages: "Customers" means something, "3f1c6a0e…" does not. Read
// from the cached catalog (one getmailinglists call per 10 minutes at most); a page never waits
// long for Zoho: without an answer in time, keys are shown instead.
import type { ZohoCatalog } from '../zoho/catalog.ts';
import type { MailingList } from '../zoho/mailing-lists.ts';
import { within } from './within.ts';

const WAIT_MS = 1_500;

export type ListNamer = (listKey: string) => string;

/** The account's lists, or undefined when Zoho cannot tell right now. */
export async function availableLists(catalog: ZohoCatalog, waitMs = WAIT_MS): Promise<MailingList[] | undefined> {
  const answer = await within(catalog.mailingLists(), waitMs);
  return answer?.ok ? answer.value : undefined;
}

export function namerOf(lists: MailingList[] | undefined): ListNamer {
  const names = new Map((lists ?? []).map((list) => [list.key, list.name]));
  return (listKey) => names.get(listKey) ?? listKey;
}

export async function listNamer(catalog: ZohoCatalog): Promise<ListNamer> {
  return namerOf(await availableLists(catalog));
}
