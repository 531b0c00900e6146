// Server-side exchanges: drafts from every service input become Exchange objects
// (side 'server'). A uwsgi request line has no request id; when the same
// service's oslo.log line for the same method and URI lies within a second or so,
// the two are one request and the uwsgi line is folded into it.
import { formatTimestamp } from '../core/time.js';
import type { Exchange } from '../model/schema.js';
import { ownExchangeStrings } from '../chain/own.js';
import type { ErrorTextCall } from './calls.js';
import type { ServerDraft } from './collector.js';
import { foldable } from './draft-store.js';
import { apiFamilyOf } from './labels.js';
import { maskText } from '../secrets/mask.js';
import { column } from '../core/columns.js';

/** uwsgi prints whole seconds; its start can be up to 1 s before the oslo.log request start. */
const UWSGI_MATCH_MS = 1500;
/** How far apart the clocks of a uwsgi log and its oslo.log may be and still be matched. */
const UWSGI_SKEW_SEARCH_MS = 10 * 60_000;

/**
 * A draft's moment for the match: the start, else the end (a uwsgi line is matched by its
 * start; an Apache line, timed only by the log it is in, by when it was written).
 */
const timeOf = (d: ServerDraft) => (d.style === 'uwsgi' ? d.startMs : (d.startMs ?? d.endMs));
const keyOf = (d: ServerDraft) => `${d.service ?? ''}\u0000${d.method ?? ''}\u0000${d.path ?? ''}`;

/** One input's drafts in line order. */
export interface DraftList extends Iterable<ServerDraft> {
  readonly length: number;
  readonly uwsgiCount: number;
  /** Made in the order of their lines (else they are sorted when read). */
  readonly inLineOrder: boolean;
  /** Read no more: its file is closed. */
  dispose(): void;
}

/** What the merge of uwsgi lines decided, by a draft's place in the run (inputs in order, each in line order). */
export interface UwsgiMerge {
  /** 1: a uwsgi line folded into its oslo.log request (no exchange of its own). */
  folded: Uint8Array;
  /** The folded uwsgi line's own time for the request it was folded into (NaN: none). */
  serverTimeMs: Float64Array;
}

/**
 * The drafts of the run as columns, one entry per draft in run order: only what the
 * merge reads, so a long run's drafts need not be objects at once.
 */
interface Columns {
  uwsgi: Uint8Array;
  /** Service, method and path as a number: -1 when no uwsgi line has them. */
  key: Int32Array;
  /** timeOf (NaN: none). */
  ms: Float64Array;
  /** The draft's input by its name (two inputs may share one). */
  input: Int32Array;
  /** How many names. */
  sources: number;
  /** -1: none. */
  status: Int32Array;
  serverTimeMs: Float64Array;
}

/**
 * uwsgi request lines have no request id: each is folded into the same service's oslo.log
 * request of the same method and path within a second or so (clocks shifted per log pair),
 * the nearest not taken yet. `inputs` are read twice (each an iterable of its drafts in line order).
 */
export function mergeUwsgiDrafts(inputs: readonly DraftList[]): UwsgiMerge | null {
  if (!inputs.some((list) => list.uwsgiCount > 0)) return null;
  const keys = new Map<string, number>();
  for (const list of inputs)
    if (list.uwsgiCount > 0)
      for (const d of list) if (foldable(d) && !keys.has(keyOf(d))) keys.set(keyOf(d), keys.size);
  const c = columnsOf(inputs, keys);
  const n = c.key.length;
  const statusFits = (u: number, d: number) => c.status[u] === -1 || c.status[d] === -1 || c.status[u] === c.status[d];

  // Each key's requests in time order (a tie goes to the earlier in the run): [from, to) in `byKey`.
  const listed: number[] = [];
  for (let g = 0; g < n; g++) if (c.uwsgi[g] === 0 && c.key[g] !== -1 && !Number.isNaN(c.ms[g]!)) listed.push(g);
  const byKey = Int32Array.from(listed).sort((a, b) => c.key[a]! - c.key[b]! || c.ms[a]! - c.ms[b]! || a - b);
  const from = column(Int32Array, keys.size).fill(-1);
  const to = column(Int32Array, keys.size);
  /** A request's place in its key's list. */
  const order = column(Int32Array, n);
  for (let i = 0; i < byKey.length; i++) {
    const k = c.key[byKey[i]!]!;
    if (from[k] === -1) from[k] = i;
    to[k] = i + 1;
    order[byKey[i]!] = i - from[k]!;
  }
  const sources = c.sources;
  const shift = uwsgiClockShifts(c, byKey, from, to, statusFits, sources);

  // Each key's requests per input, in time order: a uwsgi line looks only at those near it.
  const bySource = Int32Array.from(byKey).sort(
    (a, b) => c.key[a]! - c.key[b]! || c.input[a]! - c.input[b]! || c.ms[a]! - c.ms[b]! || a - b,
  );
  const groups = new Map<number, Array<{ input: number; from: number; to: number }>>();
  for (let i = 0; i < bySource.length; i++) {
    const g = bySource[i]!;
    const list = groups.get(c.key[g]!) ?? [];
    if (list.length === 0) groups.set(c.key[g]!, list);
    const last = list[list.length - 1];
    if (last && last.input === c.input[g]) last.to = i + 1;
    else list.push({ input: c.input[g]!, from: i, to: i + 1 });
  }
  const taken = column(Uint8Array, n);
  const merge: UwsgiMerge = { folded: column(Uint8Array, n), serverTimeMs: column(Float64Array, n).fill(Number.NaN) };
  for (let u = 0; u < n; u++) {
    if (c.uwsgi[u] === 0 || Number.isNaN(c.ms[u]!)) continue;
    let best = -1;
    let bestGap = Number.POSITIVE_INFINITY;
    for (const group of groups.get(c.key[u]!) ?? []) {
      // on the oslo.log's clock: the two files may come from hosts that disagree
      const at = c.ms[u]! + (shift.get(c.input[u]! * sources + group.input) ?? 0);
      for (let i = firstAtOrAfter(bySource, c.ms, group.from, group.to, at - UWSGI_MATCH_MS - 1); i < group.to; i++) {
        const d = bySource[i]!;
        const ms = c.ms[d]!;
        if (ms > at + UWSGI_MATCH_MS + 1) break;
        if (taken[d] === 1 || !statusFits(u, d)) continue;
        const gap = Math.abs(ms - at);
        if (gap <= UWSGI_MATCH_MS && (gap < bestGap || (gap === bestGap && order[d]! < order[best]!))) {
          best = d;
          bestGap = gap;
        }
      }
    }
    if (best >= 0) {
      taken[best] = 1;
      merge.folded[u] = 1;
      merge.serverTimeMs[best] = c.serverTimeMs[u]!;
    }
  }
  return merge;
}

function columnsOf(inputs: readonly DraftList[], keys: Map<string, number>): Columns {
  const n = inputs.reduce((sum, list) => sum + list.length, 0);
  const sources = new Map<string, number>();
  const c: Columns = {
    sources: 0,
    uwsgi: column(Uint8Array, n),
    key: column(Int32Array, n),
    ms: column(Float64Array, n),
    input: column(Int32Array, n),
    status: column(Int32Array, n),
    serverTimeMs: column(Float64Array, n),
  };
  let g = 0;
  for (const list of inputs)
    for (const d of list) {
      let input = sources.get(d.source);
      if (input === undefined) sources.set(d.source, (input = sources.size));
      c.uwsgi[g] = foldable(d) ? 1 : 0;
      c.key[g] = keys.get(keyOf(d)) ?? -1;
      c.ms[g] = timeOf(d) ?? Number.NaN;
      c.input[g] = input;
      c.status[g] = d.status ?? -1;
      c.serverTimeMs[g] = d.serverTimeMs ?? Number.NaN;
      g++;
    }
  if (g !== n) throw new Error('server drafts changed while merged');
  c.sources = sources.size;
  return c;
}

/** First index in [from, to) of `list` (sorted by ms) whose ms is ≥ at. */
function firstAtOrAfter(list: Int32Array, ms: Float64Array, from: number, to: number, at: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ms[list[mid]!]! < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * How far each uwsgi log's clock is behind each oslo.log of the same service
 * (ms to add to uwsgi times), from the requests both logged: the densest group
 * of time differences between same-method, same-path requests. Zero unless the
 * difference is more than whole-second rounding explains. Keyed uwsgi input × count + oslo.log input.
 */
function uwsgiClockShifts(
  c: Columns,
  byKey: Int32Array,
  from: Int32Array,
  to: Int32Array,
  statusFits: (u: number, d: number) => boolean,
  count: number,
): Map<number, number> {
  const gaps = new Map<number, number[]>();
  for (let u = 0; u < c.key.length; u++) {
    const k = c.key[u]!;
    if (c.uwsgi[u] === 0 || from[k] === -1 || Number.isNaN(c.ms[u]!)) continue;
    // the nearest few candidates on each side are enough: a shift shows in most requests
    const at = firstAtOrAfter(byKey, c.ms, from[k]!, to[k]!, c.ms[u]!);
    for (let i = Math.max(from[k]!, at - 2); i < Math.min(to[k]!, at + 2); i++) {
      const d = byKey[i]!;
      const gap = c.ms[d]! - c.ms[u]!;
      if (!statusFits(u, d) || Math.abs(gap) > UWSGI_SKEW_SEARCH_MS) continue;
      const key = c.input[u]! * count + c.input[d]!;
      const g = gaps.get(key);
      if (g) g.push(gap);
      else gaps.set(key, [gap]);
    }
  }
  const out = new Map<number, number>();
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

/**
 * The run's drafts in exchange order, from each input's in line order: the uwsgi merge's
 * decisions applied, and on one line (a flattened log) the oslo.log drafts before uwsgi ones.
 */
export function* draftsInRunOrder(inputs: readonly DraftList[], merge: UwsgiMerge | null): Generator<ServerDraft> {
  let g = 0;
  for (const list of inputs) {
    if (!list.inLineOrder) {
      // Rare (lines taken out of order): this input's drafts are sorted as objects.
      const others: ServerDraft[] = [];
      const kept: ServerDraft[] = [];
      for (const d of list) {
        const at = g++;
        if (folded(d, at, merge)) continue;
        (foldable(d) ? kept : others).push(d);
      }
      yield* others.concat(kept).sort((a, b) => a.line - b.line);
      continue;
    }
    let uwsgi: ServerDraft[] = [];
    for (const d of list) {
      const at = g++;
      if (uwsgi.length > 0 && uwsgi[0]!.line !== d.line) {
        yield* uwsgi;
        uwsgi = [];
      }
      if (folded(d, at, merge)) continue;
      if (foldable(d)) uwsgi.push(d);
      else yield d;
    }
    yield* uwsgi;
  }
}

/** The merge's decision for the draft at run place `at`: folded away, or given the uwsgi line's time. */
function folded(d: ServerDraft, at: number, merge: UwsgiMerge | null): boolean {
  if (merge === null) return false;
  if (merge.folded[at] === 1) return true;
  const time = merge.serverTimeMs[at]!;
  if (!Number.isNaN(time)) d.serverTimeMs ??= time;
  return false;
}

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
    // A password in the URL (`?password=`) is masked where the exchange is made: every report, JSON too.
    url: d.url === null ? null : maskText(d.url),
    path: d.path === null ? null : maskText(d.path),
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
 * answered with the status and callee request id the text gives (and the callee, when it names
 * it). Method, URL and times are not in the text: null (its line's time is when the error was logged, not when the
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
    service: c.callee ?? null,
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
