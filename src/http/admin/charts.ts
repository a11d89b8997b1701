// The overview's charts, drawn by the server (views/partials/day-bars.eta, list-line.eta): the
// geometry is worked out here, the markup is in the views. Every position is a percentage of the
// chart's own box, so a chart fills any width without stretching its text, and needs neither a
// script nor a style attribute (the pages' CSP allows neither). The numbers are also given as rows
// for the table under each chart.
import { formatDay, formatNumber } from '../../readable.ts';
import type { DayOutcomes, ListSizeTrend } from '../../use-cases/overview-trend.ts';

/** Room above the highest value for the top gridline's label, in percent of the height. */
const TOP = 12;
/** Share of a day's slot its bar fills. */
const BAR_SHARE = 0.7;

export type Outcome = 'sent' | 'failed' | 'waiting';

export const OUTCOME_WORDS: Record<Outcome, string> = { sent: 'sent to Zoho', failed: 'failed', waiting: 'not sent yet' };

export interface Gridline {
  y: number;
  label: string;
}

export interface AxisLabel {
  x: number;
  anchor: 'start' | 'middle' | 'end';
  text: string;
}

/** One day's slot: where it is, what pointing at it says, and what is drawn in it. */
export interface DaySlot {
  x: number;
  width: number;
  tooltip: string;
}

export interface DayBarsChart {
  title: string;
  description: string;
  empty: boolean;
  gridlines: Gridline[];
  slots: Array<DaySlot & { bars: Array<{ outcome: Outcome; x: number; width: number; y: number; height: number }> }>;
  xLabels: AxisLabel[];
  totals: Record<Outcome, string>;
  rows: Array<{ day: string; sent: string; failed: string; waiting: string }>;
}

export interface ListLineChart {
  title: string;
  description: string;
  empty: boolean;
  /** The newest count, and how it moved since the first count in the chart. */
  latest: { contacts: string; change: string } | undefined;
  gridlines: Gridline[];
  slots: DaySlot[];
  segments: Array<{ x1: number; y1: number; x2: number; y2: number }>;
  points: Array<{ x: number; y: number; last: boolean }>;
  xLabels: AxisLabel[];
  rows: Array<{ day: string; contacts: string }>;
}

/** Changes per day, stacked by what became of them. */
export function dayBarsChart(title: string, days: DayOutcomes[]): DayBarsChart {
  const totals = { sent: 0, failed: 0, waiting: 0 };
  for (const day of days) for (const outcome of OUTCOMES) totals[outcome] += day[outcome];
  const heights = days.map((day) => day.sent + day.failed + day.waiting);
  const top = niceCeiling(Math.max(0, ...heights));
  const busiest = days[heights.indexOf(Math.max(...heights))];
  const slot = 100 / days.length;
  const y = (value: number) => round(TOP + (100 - TOP) * (1 - value / top));
  const slots = days.map((day, index) => {
    let stacked = 0;
    const bars = OUTCOMES.filter((outcome) => day[outcome] > 0).map((outcome) => {
      const bottom = y(stacked);
      stacked += day[outcome];
      return {
        outcome,
        x: round(index * slot + (slot * (1 - BAR_SHARE)) / 2),
        width: round(slot * BAR_SHARE),
        y: y(stacked),
        height: round(bottom - y(stacked)),
      };
    });
    return { x: round(index * slot), width: round(slot), tooltip: `${formatDay(day.day, { weekday: true })}: ${outcomeWords(day)}`, bars };
  });
  const empty = heights.every((height) => height === 0);
  const spanWords = `the last ${days.length} days`;
  return {
    title,
    description: empty
      ? `No changes arrived in ${spanWords}.`
      : `In ${spanWords}: ${outcomeWords(totals)}. The busiest day was ${formatDay(busiest!.day, { weekday: true })}, with ${formatNumber(Math.max(...heights))}.`,
    empty,
    gridlines: gridlines(top, y),
    slots,
    xLabels: dayLabels(days.map((day) => day.day)),
    totals: { sent: formatNumber(totals.sent), failed: formatNumber(totals.failed), waiting: formatNumber(totals.waiting) },
    rows: days.map((day) => ({
      day: formatDay(day.day, { weekday: true }),
      sent: formatNumber(day.sent),
      failed: formatNumber(day.failed),
      waiting: formatNumber(day.waiting),
    })),
  };
}

/** A list's active contacts at the end of each day, as a line with a dot per count. */
export function listLineChart(title: string, list: ListSizeTrend): ListLineChart {
  const counted = list.sizes.flatMap((size, index) => (size.contacts === undefined ? [] : [{ ...size, contacts: size.contacts, index }]));
  const first = counted[0];
  const last = counted.at(-1);
  const slot = 100 / list.sizes.length;
  const slots = list.sizes.map((size, index) => ({
    x: round(index * slot),
    width: round(slot),
    tooltip: `${formatDay(size.day, { weekday: true })}: ${size.contacts === undefined ? 'not counted' : `${formatNumber(size.contacts)} ${contactsWord(size.contacts)}`}`,
  }));
  const rows = list.sizes.map((size) => ({
    day: formatDay(size.day, { weekday: true }),
    contacts: size.contacts === undefined ? 'not counted' : formatNumber(size.contacts),
  }));
  const xLabels = dayLabels(list.sizes.map((size) => size.day));
  if (!first || !last) {
    return { title, description: 'Not counted yet.', empty: true, latest: undefined, gridlines: [], slots, segments: [], points: [], xLabels, rows };
  }
  const values = counted.map((size) => size.contacts);
  const { low, high } = niceRange(Math.min(...values), Math.max(...values));
  const y = (value: number) => round(TOP + (100 - TOP) * (1 - (value - low) / (high - low)));
  const x = (index: number) => round((index + 0.5) * slot);
  const points = counted.map((size) => ({ x: x(size.index), y: y(size.contacts), last: size === last }));
  const segments = counted.slice(1).flatMap((size, index) => {
    const previous = counted[index]!;
    // A day without a count leaves a gap rather than a line drawn through it.
    return previous.index === size.index - 1 ? [{ x1: x(previous.index), y1: y(previous.contacts), x2: x(size.index), y2: y(size.contacts) }] : [];
  });
  const change = last.contacts - first.contacts;
  const changeWords =
    first === last ? 'first counted today' : `${change === 0 ? 'no change' : `${change > 0 ? '+' : ''}${formatNumber(change)}`} since ${formatDay(first.day)}`;
  return {
    title,
    description: `${formatNumber(last.contacts)} ${contactsWord(last.contacts)} on ${formatDay(last.day)}; ${changeWords}.`,
    empty: false,
    latest: { contacts: formatNumber(last.contacts), change: changeWords },
    gridlines: [
      { y: y(high), label: formatNumber(high) },
      { y: y(low), label: formatNumber(low) },
    ],
    slots,
    segments,
    points,
    xLabels,
    rows,
  };
}

const OUTCOMES: Outcome[] = ['sent', 'failed', 'waiting'];

function outcomeWords(counts: Record<Outcome, number>): string {
  return OUTCOMES.map((outcome) => `${formatNumber(counts[outcome])} ${OUTCOME_WORDS[outcome]}`).join(', ');
}

function contactsWord(count: number): string {
  return count === 1 ? 'contact' : 'contacts';
}

/** The top gridline, and a middle one when it falls on a whole number. */
function gridlines(top: number, y: (value: number) => number): Gridline[] {
  const lines = [{ y: y(top), label: formatNumber(top) }];
  if (top >= 2) lines.push({ y: y(top / 2), label: formatNumber(top / 2) });
  return lines;
}

/** The smallest of 1, 2, 4, 6, 8, 10, 20, 40… at or above `value`: halves stay whole numbers. */
export function niceCeiling(value: number): number {
  if (value <= 1) return 1;
  let scale = 1;
  for (;;) {
    for (const step of [1, 2, 4, 6, 8]) if (step * scale >= value) return step * scale;
    scale *= 10;
  }
}

/** Whole-number bounds around `min`–`max` with a little room, so a flat line sits mid-chart. */
function niceRange(min: number, max: number): { low: number; high: number } {
  const spread = Math.max(max - min, Math.ceil(max * 0.02), 2);
  const step = niceCeiling(spread / 2);
  const low = Math.max(0, Math.floor((min - spread / 4) / step) * step);
  return { low, high: Math.max(Math.ceil((max + spread / 4) / step) * step, low + step) };
}

/** Five days named under the chart: the first, every week before the last, and the last. */
function dayLabels(days: string[]): AxisLabel[] {
  const slot = 100 / days.length;
  const last = days.length - 1;
  // Labels closer than four days to either end would run into the end's own label.
  return [0, last - 21, last - 14, last - 7, last]
    .filter((index, position, all) => all.indexOf(index) === position && (index === 0 || index === last || (index >= 4 && last - index >= 4)))
    .map((index) => ({
      x: round(index === 0 ? 0 : index === last ? 100 : (index + 0.5) * slot),
      anchor: index === 0 ? ('start' as const) : index === last ? ('end' as const) : ('middle' as const),
      text: formatDay(days[index]!),
    }));
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
