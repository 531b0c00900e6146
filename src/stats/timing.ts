// What the reports and statistics treat as an exchange's timing, in one place.
import { timestampMs } from '../core/time.js';
import type { Exchange } from '../model/schema.js';

/** The exchange's duration: its own, or for a server-side exchange the time the service logged. */
export function durationOf(e: Exchange): number | null {
  if (e.durationMs !== null) return e.durationMs;
  return e.side === 'server' ? e.serverTimeMs : null;
}

/** Start in ms on the log's own wall clock, when the log said when the request began. */
export function startOf(e: Exchange): number | null {
  if (e.startedAt === null) return null;
  return timestampMs(e.startedAt);
}

/** Answered with an HTTP error, or never answered. */
export function isError(e: Exchange): boolean {
  return !e.complete || (e.status !== null && e.status >= 400);
}

/** Round to a tenth of a millisecond: enough for logs with ms or µs precision, and stable output. */
export function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}
