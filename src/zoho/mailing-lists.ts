// Reads getmailinglists answers (docs/zoho-api.md, "Endpoints the bridge uses"): the owner picks the lists to sync to from these.
// Counts arrive as strings ("noofcontacts": "15"); anything unreadable is left out, never guessed.
import type { ZohoCallResult } from './outcome.ts';

export interface MailingList {
  key: string;
  name: string;
  /** Active contacts, when Zoho says. */
  contacts: number | undefined;
}

/** Zoho answers 2401 instead of an empty array when the account has no list yet. */
const NO_LISTS_CODE = '2401';

export function mailingListsOf(result: ZohoCallResult): MailingList[] | undefined {
  if (result.outcome !== 'done') return result.code === NO_LISTS_CODE ? [] : undefined;
  const rows = result.body?.list_of_details;
  if (!Array.isArray(rows)) return [];
  return rows.flatMap((row: unknown) => {
    const { listkey, listname, noofcontacts } = (row ?? {}) as Record<string, unknown>;
    if (typeof listkey !== 'string' || listkey === '') return [];
    const contacts = Number(noofcontacts);
    return [
      {
        key: listkey,
        name: typeof listname === 'string' && listname !== '' ? listname : listkey,
        contacts: noofcontacts === undefined || Number.isNaN(contacts) ? undefined : contacts,
      },
    ];
  });
}
