// When is a store "quiet"? Judged from its own history (docs/alerts.md, "A store has gone quiet"):
//
// - History: the hours in which the store sent at least one delivery, over the 7 days before its
//   latest delivery.
// - Only a regular store is judged: one with deliveries on at least 5 of those 7 days. A store
//   that sends a few changes a week is never called quiet, since silence is normal for it.
// - Its usual silence is the longest gap between two active hours in that history (a store busy
//   every day but asleep each night has a usual silence of about 8 to 12 hours).
// - It is quiet when the time since its latest delivery exceeds twice its usual silence, and at
//   least 24 hours: busy daytime stores are not flagged overnight, and nothing faster than a day
//   is claimed from hourly history.
// The incident resolves with the next delivery.

const HOUR_MS = 60 * 60_000;
const DAY_MS = 24 * HOUR_MS;
export const QUIET_HISTORY_DAYS = 7;
export const QUIET_MIN_ACTIVE_DAYS = 5;
export const QUIET_MIN_SILENCE_MS = DAY_MS;

export interface StoreActivity {
  /** The latest delivery from the store, if any. */
  lastDeliveryAt: Date | undefined;
  /** Starts of the hours with at least one delivery, in the 7 days before lastDeliveryAt. */
  activeHours: readonly Date[];
}

export type QuietVerdict = { quiet: false } | { quiet: true; silentForMs: number; thresholdMs: number; usualSilenceMs: number; activeDays: number };

export function judgeQuiet(activity: StoreActivity, now: Date): QuietVerdict {
  const last = activity.lastDeliveryAt;
  if (!last) return { quiet: false };
  const hours = [...activity.activeHours].map((hour) => hour.getTime()).sort((a, b) => a - b);
  const activeDays = new Set(hours.map((hour) => Math.floor((last.getTime() - hour) / DAY_MS)).filter((day) => day < QUIET_HISTORY_DAYS)).size;
  if (activeDays < QUIET_MIN_ACTIVE_DAYS) return { quiet: false };
  let usualSilence = 0;
  for (let index = 1; index < hours.length; index++) usualSilence = Math.max(usualSilence, hours[index]! - hours[index - 1]!);
  const thresholdMs = Math.max(QUIET_MIN_SILENCE_MS, 2 * usualSilence);
  const silentForMs = now.getTime() - last.getTime();
  return silentForMs > thresholdMs ? { quiet: true, silentForMs, thresholdMs, usualSilenceMs: usualSilence, activeDays } : { quiet: false };
}
