// Timestamps as logged carry no zone (oslo.log, osc --log-file) and sometimes no
// year (journald short-precise, syslog: `Dec 04 10:11:12`). They are read as UTC
// wall-clock values: only differences and ordering matter, and printing them back
// gives what the log said. A year-less timestamp takes its year from the run itself
// (a YearBasis: `--year`, or a dated moment of the same run), never from the clock.
import { UsageError } from './errors.js';

const MONTHS: Record<string, number> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

/**
 * The year of year-less timestamps when nothing in the run gives one and `--year` is not
 * set: fixed, so a report does not change with the day it is made; a leap year, so that
 * `Feb 29` stays a date.
 */
export const FALLBACK_YEAR = 2000;

/** Where year-less timestamps take their year from. */
export interface YearBasis {
  /** `--year`: every year-less timestamp is in this year. */
  year?: number;
  /** A dated moment of the same run: the year that puts the timestamp nearest to it (a log may cross New Year). */
  nearMs?: number;
}

/** `2026-11-25 20:13:58…` / `2026-11-25T20:13:58…`: a timestamp with its year. */
function isDated(ts: string): boolean {
  return ts.length >= 19 && ts.charCodeAt(4) === 45;
}

/** A `Jul 10 02:07:43` timestamp: it needs a year from elsewhere. */
export function lacksYear(ts: string): boolean {
  return !isDated(ts) && MONTHS[ts.slice(0, 3)] !== undefined;
}

/**
 * The last minute read (`2026-11-25 20:13`) and its moment: a log's lines share their minute
 * with the line before, so most timestamps need only their seconds and fraction read.
 */
let lastMinute = '';
let lastMinuteMs = NaN;

/** Milliseconds since the epoch (fractional for µs precision), or null. */
export function timestampMs(ts: string, basis: YearBasis = {}): number | null {
  // 2026-11-25 20:13:58.834 / 2026-11-25T20:13:58.834123 / 2026-11-25 20:13:58,834
  if (isDated(ts)) {
    if (!ts.startsWith(lastMinute) || lastMinute === '') {
      lastMinute = ts.slice(0, 16);
      lastMinuteMs = Date.UTC(
        +ts.slice(0, 4),
        +ts.slice(5, 7) - 1,
        +ts.slice(8, 10),
        +ts.slice(11, 13),
        +ts.slice(14, 16),
      );
    }
    // Whole milliseconds far below 2^53: adding the seconds is exact, as Date.UTC's own sum is.
    const ms = lastMinuteMs + +ts.slice(17, 19) * 1000;
    return Number.isNaN(ms) ? null : ms + fractionAt(ts, 19);
  }
  // Jul 10 02:07:43.123456
  const mon = MONTHS[ts.slice(0, 3)];
  if (mon === undefined) return null;
  const m = /^\w{3} +(\d{1,2}) (\d\d):(\d\d):(\d\d)(\.\d+)?/.exec(ts);
  if (!m) return null;
  const at = (year: number) => Date.UTC(year, mon, +m[1]!, +m[2]!, +m[3]!, +m[4]!);
  return yearLess(at, basis) + fraction(m[5] ?? '');
}

/** The moment of a year-less timestamp (`at(year)`) in the year its basis gives. */
function yearLess(at: (year: number) => number, basis: YearBasis): number {
  if (basis.year !== undefined) return at(basis.year);
  const near = basis.nearMs;
  if (near === undefined) return at(FALLBACK_YEAR);
  const year = new Date(near).getUTCFullYear();
  let best = at(year);
  for (const candidate of [at(year - 1), at(year + 1)])
    if (Math.abs(candidate - near) < Math.abs(best - near)) best = candidate;
  return best;
}

/** `fraction(s.slice(at))` without the slice and the pattern for the usual `.123456` (digits to the end). */
function fractionAt(s: string, at: number): number {
  let end = at + 1;
  while (end < s.length && s.charCodeAt(end) >= 48 && s.charCodeAt(end) <= 57) end++;
  if (end < s.length) return fraction(s.slice(at));
  const sep = s.charCodeAt(at);
  if (end - at < 2 || (sep !== 46 && sep !== 44)) return 0;
  return Number(`0.${s.slice(at + 1, end)}`) * 1000;
}

function fraction(s: string): number {
  if (s.length < 2 || (s[0] !== '.' && s[0] !== ',')) return 0;
  const digits = s.slice(1).replace(/\D.*$/, '');
  return digits ? Number(`0.${digits}`) * 1000 : 0;
}

/** The last whole second formatted (`2026-11-25T20:13:58.`): an exchange's times share it with the one before. */
let lastSecond = NaN;
let lastSecondText = '';

/** `2026-11-25T20:13:58.834` (milliseconds, no zone: the log's own wall clock). */
export function formatTimestamp(ms: number): string {
  const whole = Math.floor(ms);
  const second = Math.floor(whole / 1000);
  if (second !== lastSecond) {
    const iso = new Date(second * 1000).toISOString();
    // Years beyond 0–9999 are written wider (`+010000-…`): those take the whole date's text.
    if (iso.length !== 24) return new Date(whole).toISOString().slice(0, 23);
    lastSecond = second;
    lastSecondText = iso.slice(0, 20);
  }
  const milli = whole - second * 1000;
  return `${lastSecondText}${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}`;
}

/** The HTTP `Date` header (second precision), or null. */
export function dateHeaderMs(value: string | null): number | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** `--year YYYY`: a usage error unless it is a four-digit year. */
export function parseYearOption(value: string): number {
  if (!/^[1-9]\d{3}$/.test(value)) throw new UsageError(`--year: expected a four-digit year, got "${value}"`);
  return Number(value);
}
