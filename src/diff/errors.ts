// New errors in HEAD: HTTP errors a rule reported (http/*) whose kind — side, service,
// method, endpoint template, status — BASE never had, and rules that fired in HEAD
// only. The rules already judged which statuses matter (an expected name-lookup 404 is not one).
import type { FindingKindDiff, HttpErrorDiff } from '../model/diff-schema.js';
import type { Exchange, Finding, RunResult } from '../model/schema.js';
import { maskText } from '../secrets/mask.js';
import { pathTemplate } from '../stats/template.js';

interface ErrorKind {
  count: number;
  first: Exchange;
}

function keyOf(e: Exchange): string {
  return JSON.stringify([e.side, e.service, e.method, pathTemplate(e.path), e.status]);
}

/** The exchanges an http/* finding was made on, by kind. */
function httpErrors(run: RunResult): Map<string, ErrorKind> {
  const ids = new Set<number>();
  const places = new Set<string>();
  for (const f of run.findings) {
    if (!f.ruleId.startsWith('http/')) continue;
    if (f.exchange !== null) ids.add(f.exchange);
    else if (f.source !== null) places.add(`${f.source}:${f.line}`);
  }
  const out = new Map<string, ErrorKind>();
  for (const e of run.exchanges) {
    if (e.status === null || e.status < 400) continue;
    if (!ids.has(e.id) && !places.has(`${e.source}:${e.line}`)) continue;
    const key = keyOf(e);
    const had = out.get(key);
    if (had) had.count++;
    else out.set(key, { count: 1, first: e });
  }
  return out;
}

export function newHttpErrors(base: RunResult, head: RunResult): HttpErrorDiff[] {
  const before = httpErrors(base);
  // An error BASE had at all (even one no rule reported) is not new.
  const seen = new Set<string>();
  for (const e of base.exchanges) if (e.status !== null && e.status >= 400) seen.add(keyOf(e));
  const out: HttpErrorDiff[] = [];
  for (const [key, { count, first: e }] of httpErrors(head)) {
    if (seen.has(key)) continue;
    out.push({
      side: e.side,
      service: e.service,
      method: e.method,
      template: pathTemplate(e.path),
      status: e.status!,
      base: before.get(key)?.count ?? 0,
      head: count,
      error: e.error?.message ? maskText(e.error.message) : null,
      requestId: e.requestId,
      source: e.source,
      line: e.line,
    });
  }
  return out;
}

export function newFindingKinds(base: RunResult, head: RunResult): FindingKindDiff[] {
  const before = new Set(base.findings.map((f) => f.ruleId));
  const firsts = new Map<string, { first: Finding; count: number }>();
  for (const f of head.findings) {
    if (before.has(f.ruleId)) continue;
    const had = firsts.get(f.ruleId);
    if (had) had.count++;
    else firsts.set(f.ruleId, { first: f, count: 1 });
  }
  return [...firsts.values()].map(({ first, count }) => ({
    ruleId: first.ruleId,
    severity: first.severity,
    base: 0,
    head: count,
    message: maskText(first.message),
    source: first.source,
    line: first.line,
  }));
}
