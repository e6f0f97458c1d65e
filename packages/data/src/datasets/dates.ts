import { DataArgumentError } from '../errors';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** A calendar date (proleptic Gregorian, no time zone). */
export interface CalendarDate {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
}

function ordinal(n: number): string {
  const t = n % 100;
  if (t >= 11 && t <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}
const p2 = (n: number) => String(n).padStart(2, '0');
const yy = (y: number) => p2(y % 100);
const mon = (m: number) => MONTHS[m - 1].slice(0, 3);
const weekday = (d: CalendarDate) =>
  DAYS[new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay()];

/**
 * The human formats of the date-normalization task, by name, with 3 March 2019 as the example.
 * Slashed numeric dates are US month-first (03/03/19); dotted ones with the year last are
 * day-first (03.03.2019); two-digit years are read 1950–2049.
 */
export const DATE_FORMATS: Record<string, (d: CalendarDate) => string> = {
  /** 3rd of March 2019 */
  'ordinal-of-month': (d) => `${ordinal(d.day)} of ${MONTHS[d.month - 1]} ${d.year}`,
  /** the 3rd of March, 2019 */
  'the-ordinal-of-month': (d) => `the ${ordinal(d.day)} of ${MONTHS[d.month - 1]}, ${d.year}`,
  /** 03/03/19 */
  'mm/dd/yy': (d) => `${p2(d.month)}/${p2(d.day)}/${yy(d.year)}`,
  /** 3/3/2019 */
  'm/d/yyyy': (d) => `${d.month}/${d.day}/${d.year}`,
  /** Mar 3, 2019 */
  'mon-d-yyyy': (d) => `${mon(d.month)} ${d.day}, ${d.year}`,
  /** Mar. 3, 2019 */
  'mon.-d-yyyy': (d) => `${mon(d.month)}. ${d.day}, ${d.year}`,
  /** mar 3 2019 */
  'lower-mon-d-yyyy': (d) => `${mon(d.month).toLowerCase()} ${d.day} ${d.year}`,
  /** March 3rd, 2019 */
  'month-ordinal-yyyy': (d) => `${MONTHS[d.month - 1]} ${ordinal(d.day)}, ${d.year}`,
  /** March 3, 2019 */
  'month-d-yyyy': (d) => `${MONTHS[d.month - 1]} ${d.day}, ${d.year}`,
  /** MARCH 3, 2019 */
  'upper-month-d-yyyy': (d) => `${MONTHS[d.month - 1].toUpperCase()} ${d.day}, ${d.year}`,
  /** 2019.03.03 */
  'yyyy.mm.dd': (d) => `${d.year}.${p2(d.month)}.${p2(d.day)}`,
  /** 2019/03/03 */
  'yyyy/mm/dd': (d) => `${d.year}/${p2(d.month)}/${p2(d.day)}`,
  /** 20190303 */
  yyyymmdd: (d) => `${d.year}${p2(d.month)}${p2(d.day)}`,
  /** 03.03.2019 */
  'dd.mm.yyyy': (d) => `${p2(d.day)}.${p2(d.month)}.${d.year}`,
  /** 3 Mar 2019 */
  'd-mon-yyyy': (d) => `${d.day} ${mon(d.month)} ${d.year}`,
  /** 3-Mar-2019 */
  'd-mon-yyyy-dashed': (d) => `${d.day}-${mon(d.month)}-${d.year}`,
  /** 3 March 2019 */
  'd-month-yyyy': (d) => `${d.day} ${MONTHS[d.month - 1]} ${d.year}`,
  /** Sunday, March 3, 2019 */
  'weekday-month-d-yyyy': (d) => `${weekday(d)}, ${MONTHS[d.month - 1]} ${d.day}, ${d.year}`,
  /** Sun, 3 Mar 2019 */
  'wkd-d-mon-yyyy': (d) => `${weekday(d).slice(0, 3)}, ${d.day} ${mon(d.month)} ${d.year}`,
  /** Sunday 3rd March 2019 */
  'weekday-ordinal-month-yyyy': (d) =>
    `${weekday(d)} ${ordinal(d.day)} ${MONTHS[d.month - 1]} ${d.year}`,
};

/** 2019-03-03 */
export function isoDate(d: CalendarDate): string {
  return `${String(d.year).padStart(4, '0')}-${p2(d.month)}-${p2(d.day)}`;
}

/** Writes `date` in the named human format (see DATE_FORMATS). */
export function formatDate(date: CalendarDate, format: string): string {
  const f = DATE_FORMATS[format];
  if (!f)
    throw new DataArgumentError(
      `Unknown date format '${format}'. Formats: ${Object.keys(DATE_FORMATS).join(', ')}.`,
    );
  return f(date);
}

/** The date `days` days after 1970-01-01. */
export function dateFromDays(days: number): CalendarDate {
  const t = new Date(days * 86_400_000);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

export function daysOf(d: CalendarDate): number {
  return Math.round(Date.UTC(d.year, d.month - 1, d.day) / 86_400_000);
}
