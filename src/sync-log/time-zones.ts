// Times in the owner's own time zone (chosen in Settings; UTC until then). Intl is used only once a
// zone other than UTC is chosen: the first Intl object maps in ICU's data for the life of the
// process (src/readable.ts), a cost only owners who want local times pay.
import { formatDate } from '../readable.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, Intl.DateTimeFormat>();

/** Whether `zone` is an IANA time zone this process knows ("Europe/Paris", "UTC"). */
export function isTimeZone(zone: string): boolean {
  if (zone === 'UTC') return true;
  if (!/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+){0,2}$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Every zone to choose from, UTC first. */
export function timeZoneChoices(): string[] {
  return ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];
}

/** "8 Dec 2026, 15:04 CET" in `zone`; the fixed UTC format without one. */
export function formatIn(zone: string | undefined, date: Date | undefined): string {
  if (!zone || zone === 'UTC' || !date || Number.isNaN(date.getTime())) return formatDate(date);
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formatters.set(zone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(date).map((part) => [part.type, part.value]));
  return `${parts.day} ${parts.month} ${parts.year}, ${parts.hour}:${parts.minute} ${parts.timeZoneName}`;
}

/** Milliseconds `zone` is ahead of UTC at `instant`. */
function offsetAt(zone: string, instant: number): number {
  let formatter = offsets.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    offsets.set(zone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(new Date(instant)).map((part) => [part.type, Number(part.value)]));
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return asUtc - (instant - (instant % 1000));
}

/** The instant a day ("2026-12-08") begins in `zone`: midnight there, as a UTC Date. */
export function dayStartIn(zone: string | undefined, day: string): Date {
  const midnightUtc = Date.parse(`${day}T00:00:00Z`);
  if (!zone || zone === 'UTC') return new Date(midnightUtc);
  // The offset at local midnight can differ from the offset at UTC midnight (a DST change that day),
  // so it is looked up twice.
  const first = midnightUtc - offsetAt(zone, midnightUtc);
  return new Date(midnightUtc - offsetAt(zone, first));
}

/** The day ("2026-12-08") it is in `zone` at `date`. */
export function dayIn(zone: string | undefined, date: Date): string {
  const offset = !zone || zone === 'UTC' ? 0 : offsetAt(zone, date.getTime());
  return new Date(date.getTime() + offset).toISOString().slice(0, 10);
}

/** "2026-12-31" and 1 → "2027-01-01"; a negative count goes back. */
export function addDays(day: string, count: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + count * 86_400_000).toISOString().slice(0, 10);
}
