// Server-side exchanges: drafts from every service input become Exchange objects
// (side 'server'). A uwsgi request line has no request id; when the same
// service's oslo.log line for the same method and URI lies within a second or so,
// the two are one request and the uwsgi line is folded into it.
import { formatTimestamp } from '../chain/time.js';
import type { Exchange } from '../model/schema.js';
import { ownExchangeStrings } from '../chain/own.js';
import type { ServerDraft } from './collector.js';

/** uwsgi prints whole seconds; its start can be up to 1 s before the oslo.log request start. */
const UWSGI_MATCH_MS = 1500;

export function mergeUwsgiDrafts(drafts: ServerDraft[]): ServerDraft[] {
  const uwsgi = drafts.filter((d) => d.style === 'uwsgi');
  if (uwsgi.length === 0) return drafts;
  const others = drafts.filter((d) => d.style !== 'uwsgi');
  const taken = new Set<ServerDraft>();
  const kept: ServerDraft[] = [];
  for (const u of uwsgi) {
    let best: ServerDraft | null = null;
    let bestGap = Number.POSITIVE_INFINITY;
    for (const d of others) {
      if (taken.has(d) || d.service !== u.service || d.method !== u.method || d.path !== u.path) continue;
      if (u.status !== null && d.status !== null && u.status !== d.status) continue;
      const a = d.startMs ?? d.endMs;
      if (a === null || u.startMs === null) continue;
      const gap = Math.abs(a - u.startMs);
      if (gap <= UWSGI_MATCH_MS && gap < bestGap) { best = d; bestGap = gap; }
    }
    if (best) {
      taken.add(best);
      best.serverTimeMs ??= u.serverTimeMs;
      best.mergedFrom.push({ source: u.source, line: u.line });
    } else kept.push(u);
  }
  return [...others, ...kept];
}

export function draftToExchange(d: ServerDraft, id: number): Exchange {
  return ownExchangeStrings(serverExchange(d, id));
}

function serverExchange(d: ServerDraft, id: number): Exchange {
  const durationMs = d.startMs !== null && d.endMs !== null ? Math.max(0, Math.round((d.endMs - d.startMs) * 1000) / 1000) : d.serverTimeMs;
  return {
    id, source: d.source, line: d.line, endLine: d.endLine, side: 'server', method: d.method, url: d.url, path: d.path,
    service: d.service, status: d.status, requestId: d.requestId, globalRequestId: d.globalRequestId, microversion: d.microversion,
    startedAt: d.startMs !== null ? formatTimestamp(d.startMs) : null, durationMs, timing: d.startMs !== null || d.serverTimeMs !== null ? 'server' : null,
    serverTimeMs: d.serverTimeMs, complete: d.complete, incompleteReason: d.incompleteReason, kind: 'request', resendOf: null,
    error: d.error ? { message: d.error, code: null } : null, command: null, action: d.action,
  };
}
