// Timestamps as logged carry no zone (oslo.log, osc --log-file) and sometimes no
// year (journald short-precise). They are read as UTC wall-clock values: only
// differences and ordering matter, and printing them back gives what the log said.

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

/** The year assumed for journald timestamps, which have none. */
let assumedYear = new Date().getUTCFullYear();
export function setAssumedYear(year: number): void {
  assumedYear = year;
}

/** Milliseconds since the epoch (fractional for µs precision), or null. */
export function timestampMs(ts: string): number | null {
  // 2026-11-25 20:13:58.834 / 2026-11-25T20:13:58.834123 / 2026-11-25 20:13:58,834
  if (ts.length >= 19 && ts.charCodeAt(4) === 45) {
    const ms = Date.UTC(
      +ts.slice(0, 4),
      +ts.slice(5, 7) - 1,
      +ts.slice(8, 10),
      +ts.slice(11, 13),
      +ts.slice(14, 16),
      +ts.slice(17, 19),
    );
    return Number.isNaN(ms) ? null : ms + fraction(ts.slice(19));
  }
  // Jul 10 02:07:43.123456
  const mon = MONTHS[ts.slice(0, 3)];
  if (mon === undefined) return null;
  const m = /^\w{3} +(\d{1,2}) (\d\d):(\d\d):(\d\d)(\.\d+)?/.exec(ts);
  if (!m) return null;
  const ms = Date.UTC(assumedYear, mon, +m[1]!, +m[2]!, +m[3]!, +m[4]!);
  return ms + fraction(m[5] ?? '');
}

function fraction(s: string): number {
  if (s.length < 2 || (s[0] !== '.' && s[0] !== ',')) return 0;
  const digits = s.slice(1).replace(/\D.*$/, '');
  return digits ? Number(`0.${digits}`) * 1000 : 0;
}

/** `2026-11-25T20:13:58.834` (milliseconds, no zone: the log's own wall clock). */
export function formatTimestamp(ms: number): string {
  return new Date(Math.floor(ms)).toISOString().slice(0, 23);
}

/** The HTTP `Date` header (second precision), or null. */
export function dateHeaderMs(value: string | null): number | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}
