// The simulated Campaigns organisation: mailing lists and their contacts. One organisation is
// shared by every DC, so tests can vary the DC without re-seeding data.
import type { ContactStatus, SimContact, SimListSpec } from './types.ts';

export interface StoredContact extends SimContact {
  email: string;
  addedAt: number;
  zuid: string;
}

export interface MailingList {
  listkey: string;
  listname: string;
  doubleOptIn: boolean;
  createdAt: number;
  /** Keyed by lower-cased email: Zoho treats addresses case-insensitively. */
  contacts: Map<string, StoredContact>;
}

export type SubscribeOutcome = 'subscribed' | 'pending' | 'still-unsubscribed';

/** What addlistsubscribersinbulk did with one address (its answer's arrays, docs/zoho-api.md, "Endpoints the bridge uses"). */
export type BulkAddOutcome = 'added' | 'existing' | 'readded';

export class MailingLists {
  private lists = new Map<string, MailingList>();
  private nextZuid = 7000001;

  constructor(
    private readonly specs: SimListSpec[],
    private readonly now: () => number,
  ) {
    this.reset();
  }

  all(): MailingList[] {
    return [...this.lists.values()];
  }

  find(listkey: string | undefined): MailingList | undefined {
    return listkey === undefined ? undefined : this.lists.get(listkey);
  }

  get(listkey: string): MailingList {
    const list = this.lists.get(listkey);
    if (!list) throw new Error(`Unknown listkey "${listkey}"; known: ${[...this.lists.keys()].join(', ')}`);
    return list;
  }

  /**
   * Upsert a contact's fields and decide its status. A contact who unsubscribed stays
   * unsubscribed unless `resubscribe` (the undocumented `donotmail_resub=true`, docs/zoho-api.md, "Endpoints the bridge uses")
   * [U]: Zoho must respect opt-outs, and keepsuit needed that flag to resubscribe.
   */
  subscribe(list: MailingList, email: string, fields: Record<string, string>, options: { resubscribe: boolean; source?: string }): SubscribeOutcome {
    const key = email.trim().toLowerCase();
    const existing = list.contacts.get(key);
    const contact: StoredContact = existing ?? {
      email: email.trim(),
      status: 'pending',
      fields: {},
      addedAt: this.now(),
      zuid: String(this.nextZuid++),
    };
    Object.assign(contact.fields, fields);
    if (options.source !== undefined) contact.source = options.source;
    list.contacts.set(key, contact);

    if (existing?.status === 'active') return 'subscribed';
    if (existing?.status === 'unsubscribed' && !options.resubscribe) return 'still-unsubscribed';
    // New, pending or resubscribing contacts go through the list's confirmation rule again.
    contact.status = list.doubleOptIn ? 'pending' : 'active';
    return list.doubleOptIn ? 'pending' : 'subscribed';
  }

  /**
   * The bulk add: an address only, no fields, and no confirmation asked even on a double opt-in
   * list [U], and a contact who unsubscribed is put back on the list (`readd_contacts`). Both are
   * the harms a client must avoid itself; the simulator does them so that tests can see it did.
   */
  bulkAdd(list: MailingList, email: string): BulkAddOutcome {
    const key = email.trim().toLowerCase();
    const existing = list.contacts.get(key);
    const before = existing?.status;
    if (before === 'active') return 'existing';
    const contact: StoredContact = existing ?? {
      email: email.trim(),
      status: 'active',
      fields: { 'Contact Email': email.trim() },
      addedAt: this.now(),
      zuid: String(this.nextZuid++),
    };
    contact.status = 'active';
    list.contacts.set(key, contact);
    return before === 'unsubscribed' ? 'readded' : 'added';
  }

  /** False when the contact is not in the list (code 2103). */
  unsubscribe(list: MailingList, email: string): boolean {
    const contact = list.contacts.get(email.trim().toLowerCase());
    if (!contact) return false;
    contact.status = 'unsubscribed';
    return true;
  }

  setStatus(listkey: string, email: string, status: ContactStatus): void {
    const list = this.get(listkey);
    const key = email.trim().toLowerCase();
    const contact = list.contacts.get(key);
    if (contact) contact.status = status;
    else list.contacts.set(key, { email: email.trim(), status, fields: { 'Contact Email': email.trim() }, addedAt: this.now(), zuid: String(this.nextZuid++) });
  }

  snapshot(listkey: string): Map<string, SimContact> {
    const copy = new Map<string, SimContact>();
    for (const [key, c] of this.get(listkey).contacts) {
      copy.set(key, { status: c.status, fields: { ...c.fields }, ...(c.source === undefined ? {} : { source: c.source }) });
    }
    return copy;
  }

  reset(): void {
    const createdAt = this.now();
    this.lists = new Map(
      this.specs.map((spec, i) => [
        spec.listkey,
        {
          listkey: spec.listkey,
          listname: spec.listname,
          doubleOptIn: spec.doubleOptIn ?? false,
          createdAt: createdAt + i,
          contacts: new Map(),
        },
      ]),
    );
  }
}
