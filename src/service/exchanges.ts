// Server-side exchanges: drafts from every service input become Exchange objects
// (side 'server'). A uwsgi request line has no request id; when the same
// service's oslo.log line for the same method and URI lies within a second or so,
// the two are one request and the uwsgi line is folded into it.
import { bisector } from 'd3-array';
import { formatTimestamp } from '../core/time.js';
import type { Exchange } from '../model/schema.js';
import { ownExchangeStrings } from '../chain/own.js';
import type { ErrorTextCall } from './calls.js';
import type { ServerDraft } from './collector.js';
import { apiFamilyOf } from './labels.js';

/** uwsgi prints whole seconds; its start can be up to 1 s before the oslo.log request start. */
const UWSGI_MATCH_MS = 1500;
/** How far apart the clocks of a uwsgi log and its oslo.log may be and still be matched. */
const UWSGI_SKEW_SEARCH_MS = 10 * 60_000;

const timeOf = (d: ServerDraft) => d.startMs ?? d.endMs;
const keyOf = (d: ServerDraft) => `${d.service ?? ''}\u0000${d.method ?? ''}\u0000${d.path ?? ''}`;
const statusFits = (u: ServerDraft, d: ServerDraft) => u.status === null || d.status === null || u.status === d.status;

export function mergeUwsgiDrafts(drafts: ServerDraft[]): ServerDraft[] {
  const uwsgi = drafts.filter((d) => d.style === 'uwsgi');
  if (uwsgi.length === 0) return drafts;
  const others = drafts.filter((d) => d.style !== 'uwsgi');
  const byKey = new Map<string, ServerDraft[]>();
  for (const d of others) {
    if (timeOf(d) === null) continue;
    const list = byKey.get(keyOf(d));
    if (list) list.push(d);
    else byKey.set(keyOf(d), [d]);
  }
  for (const list of byKey.values()) list.sort((a, b) => timeOf(a)! - timeOf(b)!);
  const shift = uwsgiClockShifts(uwsgi, byKey);
  // Each key's requests per input, in time order, with their place in the key's list
  // (a tie goes to the earlier one there): a uwsgi line looks only at those near it.
  const bySource = new Map<string, Map<string, Placed[]>>();
  for (const [key, list] of byKey) {
    const sources = new Map<string, Placed[]>();
    list.forEach((d, order) => {
      const placed = sources.get(d.source);
      if (placed) placed.push({ d, order, ms: timeOf(d)! });
      else sources.set(d.source, [{ d, order, ms: timeOf(d)! }]);
    });
    bySource.set(key, sources);
  }
  const taken = new Set<ServerDraft>();
  const kept: ServerDraft[] = [];
  for (const u of uwsgi) {
    let best: Placed | null = null;
    let bestGap = Number.POSITIVE_INFINITY;
    for (const [source, list] of u.startMs === null ? [] : (bySource.get(keyOf(u)) ?? [])) {
      // on the oslo.log's clock: the two files may come from hosts that disagree
      const at = u.startMs! + (shift.get(`${u.source}\u0000${source}`) ?? 0);
      for (let i = byPlacedTime.left(list, at - UWSGI_MATCH_MS - 1); i < list.length; i++) {
        const p = list[i]!;
        if (p.ms > at + UWSGI_MATCH_MS + 1) break;
        if (taken.has(p.d) || !statusFits(u, p.d)) continue;
        const gap = Math.abs(p.ms - at);
        if (gap <= UWSGI_MATCH_MS && (gap < bestGap || (gap === bestGap && p.order < best!.order))) {
          best = p;
          bestGap = gap;
        }
      }
    }
    if (best) {
      taken.add(best.d);
      best.d.serverTimeMs ??= u.serverTimeMs;
      best.d.mergedFrom.push({ source: u.source, line: u.line });
    } else kept.push(u);
  }
  return [...others, ...kept];
}

/**
 * How far each uwsgi log's clock is behind each oslo.log of the same service
 * (ms to add to uwsgi times), from the requests both logged: the densest group
 * of time differences between same-method, same-path requests. Zero unless the
 * difference is more than whole-second rounding explains.
 */
function uwsgiClockShifts(uwsgi: ServerDraft[], byKey: Map<string, ServerDraft[]>): Map<string, number> {
  const gaps = new Map<string, number[]>();
  for (const u of uwsgi) {
    const list = byKey.get(keyOf(u));
    if (!list || u.startMs === null) continue;
    // the nearest few candidates on each side are enough: a shift shows in most requests
    const at = lowerBound(list, u.startMs);
    for (let i = Math.max(0, at - 2); i < Math.min(list.length, at + 2); i++) {
      const d = list[i]!;
      const gap = timeOf(d)! - u.startMs;
      if (!statusFits(u, d) || Math.abs(gap) > UWSGI_SKEW_SEARCH_MS) continue;
      const key = `${u.source}\u0000${d.source}`;
      const g = gaps.get(key);
      if (g) g.push(gap);
      else gaps.set(key, [gap]);
    }
  }
  const out = new Map<string, number>();
  for (const [key, list] of gaps) {
    list.sort((a, b) => a - b);
    // the window of width 2 × UWSGI_MATCH_MS holding the most differences
    let bestFrom = 0;
    let bestCount = 0;
    for (let i = 0, j = 0; i < list.length; i++) {
      while (list[j]! < list[i]! - 2 * UWSGI_MATCH_MS) j++;
      if (i - j + 1 > bestCount) {
        bestCount = i - j + 1;
        bestFrom = j;
      }
    }
    const window = list.slice(bestFrom, bestFrom + bestCount);
    const mid = window[Math.floor(window.length / 2)]!;
    // uwsgi's whole second is up to 1 s before the precise start: aim at the middle of that
    if (Math.abs(mid) > UWSGI_MATCH_MS) out.set(key, mid - 500);
  }
  return out;
}

/** A request of one key and input, with its place in the key's time-ordered list. */
interface Placed {
  d: ServerDraft;
  order: number;
  ms: number;
}
const byPlacedTime = bisector((p: Placed) => p.ms);

/** First index whose time is ≥ ms (list sorted by time). */
const byTime = bisector((d: ServerDraft) => timeOf(d)!);
const lowerBound = (list: ServerDraft[], ms: number): number => byTime.left(list, ms);

export function draftToExchange(d: ServerDraft, id: number): Exchange {
  return ownExchangeStrings(serverExchange(d, id));
}

function serverExchange(d: ServerDraft, id: number): Exchange {
  // Whole-second times tell no duration of their own: only a measured one (an access line's) stands.
  const durationMs =
    d.startMs !== null && d.endMs !== null && d.wholeSeconds !== true
      ? Math.max(0, Math.round((d.endMs - d.startMs) * 1000) / 1000)
      : d.serverTimeMs;
  return {
    id,
    source: d.source,
    line: d.line,
    endLine: d.endLine,
    side: 'server',
    method: d.method,
    url: d.url,
    path: d.path,
    service: d.service,
    status: d.status,
    requestId: d.requestId,
    globalRequestId: d.globalRequestId,
    microversion: d.microversion,
    startedAt: d.startMs !== null ? formatTimestamp(d.startMs) : null,
    durationMs,
    timing: d.startMs !== null || d.serverTimeMs !== null ? 'server' : null,
    serverTimeMs: d.serverTimeMs,
    complete: d.complete,
    incompleteReason: d.incompleteReason,
    kind: 'request',
    resendOf: null,
    error: d.error ? { message: d.error, code: null } : null,
    command: null,
    action: d.action,
    serviceType: apiFamilyOf(d.service),
  };
}

/**
 * A call a service's record told only by its error text: a client exchange of that service,
 * answered with the status and callee request id the text gives. Method, URL, callee and
 * times are not in the text: null (its line's time is when the error was logged, not when the
 * request went out). `endLine` is the line too: the record's traceback is the service's own.
 */
export function errorTextExchange(c: ErrorTextCall, source: string, id: number): Exchange {
  return ownExchangeStrings({
    id,
    source,
    line: c.line,
    endLine: c.line,
    side: 'client',
    method: null,
    url: null,
    path: null,
    service: null,
    status: c.status,
    requestId: c.requestId,
    globalRequestId: null,
    microversion: null,
    startedAt: null,
    durationMs: null,
    timing: null,
    serverTimeMs: null,
    complete: true,
    incompleteReason: null,
    kind: 'bare',
    resendOf: null,
    error: c.message ? { message: c.message, code: null } : null,
    command: null,
    action: null,
    caller: { service: c.service, requestId: c.callerRequestId, seen: 'error-text' },
  });
}
