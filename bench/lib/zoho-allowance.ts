// What Zoho would have allowed: the fastest schedule the rolling windows permit (docs/zoho-api.md, "Rate limits"),
// to compare the bridge's real call times against. A call is admitted when fewer than `limit`
// calls fall in the `windowMs` before it, exactly as the simulator (and Zoho) count.

export interface Window {
  limit: number;
  windowMs: number;
}

/** listsubscribe: 500 per minute, 12,500 per hour, 75,000 per day. */
export const LISTSUBSCRIBE_WINDOWS: Window[] = [
  { limit: 500, windowMs: 60_000 },
  { limit: 12_500, windowMs: 3_600_000 },
  { limit: 75_000, windowMs: 86_400_000 },
];

/**
 * Times of the first `count` calls of a client that sends each call the moment the windows allow
 * it, starting at `start` (calls take no time): the greedy, best possible schedule.
 */
export function idealSchedule(start: number, count: number, windows: Window[] = LISTSUBSCRIBE_WINDOWS): number[] {
  const times: number[] = [];
  for (let k = 0; k < count; k++) {
    let at = start;
    for (const { limit, windowMs } of windows) {
      // Call k needs call k - limit to have left the window: t_k >= t_(k-limit) + windowMs.
      if (k >= limit) at = Math.max(at, times[k - limit]! + windowMs);
    }
    times.push(at);
  }
  return times;
}

/** How many calls the ideal schedule makes before `end`. */
export function permittedBefore(start: number, end: number, windows: Window[] = LISTSUBSCRIBE_WINDOWS): number {
  const times: number[] = [];
  for (;;) {
    const k = times.length;
    let at = start;
    for (const { limit, windowMs } of windows) if (k >= limit) at = Math.max(at, times[k - limit]! + windowMs);
    if (at >= end) return k;
    times.push(at);
  }
}

/** Calls per whole minute since `start` (index 0 = the first minute). */
export function callsPerMinute(start: number, times: number[]): number[] {
  const minutes: number[] = [];
  for (const at of times) {
    const index = Math.floor((at - start) / 60_000);
    while (minutes.length <= index) minutes.push(0);
    minutes[index]!++;
  }
  return minutes;
}

/** The most calls any sliding window of `windowMs` contained (must stay ≤ the limit). */
export function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}
