// Turns "what Zoho should show" and "what the bridge last made true" into the Zoho calls needed.
// Pure, so email changes, list moves and no-op redeliveries are tested without I/O.
import type { ContactInfo } from '../zoho/campaigns-client.ts';

export type SyncOperation =
  | { action: 'subscribe'; listKey: string; email: string; contactInfo: ContactInfo }
  | { action: 'unsubscribe'; listKey: string; email: string };

export interface SyncedState {
  email: string | null;
  lists: readonly string[];
  fieldsHash: string | null;
}

export interface DesiredState {
  email: string;
  lists: readonly string[];
  contactInfo: ContactInfo;
  fieldsHash: string;
  /**
   * Lists never used for a fields-only update: on a double opt-in list each listsubscribe may
   * send the confirmation email again.
   */
  quietLists?: readonly string[];
  /**
   * The owner asked for the newest state to be sent: every list they belong on is sent again,
   * even where the bridge believes Zoho has it already (quiet lists only when they join them).
   * Lists are still only left where the bridge put them: leaving is an unsubscribe only the
   * person can undo. @defaultValue false
   */
  resend?: boolean;
}

export function planOperations(synced: SyncedState, desired: DesiredState): SyncOperation[] {
  const operations: SyncOperation[] = [];
  const subscribe = (listKey: string) => operations.push({ action: 'subscribe', listKey, email: desired.email, contactInfo: desired.contactInfo });

  const emailChanged = synced.email !== null && synced.email.toLowerCase() !== desired.email.toLowerCase();
  if (emailChanged) {
    // The old address leaves every managed list, the new one joins the lists it belongs on.
    for (const listKey of synced.lists) operations.push({ action: 'unsubscribe', listKey, email: synced.email! });
    for (const listKey of desired.lists) subscribe(listKey);
    return operations;
  }

  const again = (list: string) => desired.resend === true && !desired.quietLists?.includes(list);
  const joining = desired.lists.filter((list) => !synced.lists.includes(list) || again(list));
  const leaving = synced.lists.filter((list) => !desired.lists.includes(list));
  for (const listKey of joining) subscribe(listKey);
  for (const listKey of leaving) {
    operations.push({ action: 'unsubscribe', listKey, email: synced.email ?? desired.email });
  }
  // listsubscribe also updates an existing contact's fields: one call carries changed fields.
  const fieldsChanged = synced.fieldsHash !== desired.fieldsHash;
  const firstList = desired.lists.find((list) => !desired.quietLists?.includes(list));
  if (fieldsChanged && joining.length === 0 && firstList !== undefined) subscribe(firstList);
  return operations;
}
