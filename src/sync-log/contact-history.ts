// Everything that happened to one email address, across every store: who the bridge knows under
// it, which Zoho lists it is on now (as far as the bridge made them so), where Zoho reports it
// unsubscribed, and every delivery and call to Zoho about it, newest first.
import { customerEditUrl } from '../woocommerce/admin-links.ts';
import type { ListNamer } from '../use-cases/list-names.ts';
import { personOf } from './people.ts';
import { SyncLog, type LogRow, type SyncLogRepositories } from './sync-log.ts';

const EVENTS_SHOWN = 100;
/** Contacts one address may belong to; more means something is wrong with the search. */
const MAX_CONTACTS = 500;

export interface ContactView {
  storeId: string;
  storeName: string;
  /** The contact's key in its store ("42", or "guest:<email>"). */
  customerKey: string;
  /** The customer's page in the store's WordPress admin. */
  editUrl: string | undefined;
  customerId: number | null;
  name: string | undefined;
  email: string;
  /** The address the bridge last sent to Zoho, when it differs from the current one. */
  syncedEmail: string | null;
  lists: string[];
  unsubscribedIn: string[];
  lastSyncedAt: Date | null;
  deletedAt: Date | null;
}

export interface ContactHistory {
  email: string;
  contacts: ContactView[];
  events: LogRow[];
  /** More events exist than are shown (the sync log, searched by this address, has them all). */
  more: boolean;
}

export async function contactHistory(repositories: SyncLogRepositories, email: string, names: ListNamer): Promise<ContactHistory> {
  const keys = await repositories.contacts.refsByEmail(email, MAX_CONTACTS);
  const [contacts, stores] = await Promise.all([repositories.contacts.findMany(keys), repositories.stores.list()]);
  const page = await new SyncLog(repositories).page({ q: email }, { limit: EVENTS_SHOWN }, names);
  return {
    email,
    contacts: contacts.map((contact) => ({
      storeId: contact.storeId,
      storeName: stores.find((store) => store.id === contact.storeId)?.name ?? contact.storeId,
      customerKey: contact.customerKey,
      editUrl: customerEditUrl(stores.find((store) => store.id === contact.storeId)?.url, contact.customerId),
      customerId: contact.customerId,
      name: personOf('customer.updated', contact.snapshot, undefined).name,
      email: contact.email,
      syncedEmail: contact.syncedEmail && contact.syncedEmail.toLowerCase() !== contact.email.toLowerCase() ? contact.syncedEmail : null,
      lists: contact.syncedLists.map(names),
      unsubscribedIn: contact.zohoUnsubscribedLists.map(names),
      lastSyncedAt: contact.lastSyncedAt,
      deletedAt: contact.deletedAt,
    })),
    events: page.rows,
    more: page.older !== undefined,
  };
}
