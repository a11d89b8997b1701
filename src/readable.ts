// How the bridge writes moments and counts for people: "27 Nov 2026, 15:04 UTC", "12,500".
//
// Written out here rather than with Intl or toLocaleString: the first Intl object a process makes
// maps in Node's ICU data and builds its tables, about 8 MiB of resident memory kept for the life
// of the process. The pages use one fixed format in English and UTC,
// which needs no locale data.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "27 Nov 2026, 15:04 UTC" (Intl's en-GB medium date and short time, in UTC), or '' without a date. */
export function formatDate(date: Date | undefined): string {
  if (!date || Number.isNaN(date.getTime())) return '';
  const twoDigits = (value: number) => String(value).padStart(2, '0');
  const day = `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
  return `${day}, ${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())} UTC`;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** A calendar day ("2026-12-08") as "8 Dec", or with its weekday as "Tue 8 Dec". */
export function formatDay(day: string, options: { weekday?: boolean } = {}): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  const short = `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}`;
  return options.weekday ? `${WEEKDAYS[date.getUTCDay()]} ${short}` : short;
}

/** 12500 -> "12,500", -1234.5 -> "-1,234.5" (English digit grouping). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const [whole = '', fraction] = String(Math.abs(value)).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  return `${value < 0 ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}
