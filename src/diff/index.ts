// `ostrace diff`: two finished runs compared (layer after explain, before report). A
// reading of what each run's stages computed — flow verdicts, rule findings, endpoint
// statistics — so a passing CI job and a failing one can be told apart in one screen.
import type { DiffResult, LatencyShift } from '../model/diff-schema.js';
import type { RunResult } from '../model/schema.js';
import type { EndpointStat } from '../model/stats-schema.js';
import { newFindingKinds, newHttpErrors } from './errors.js';
import { diffFlows } from './flows.js';

function latency(base: RunResult, head: RunResult): LatencyShift[] {
  const keyOf = (e: EndpointStat) => JSON.stringify([e.side, e.service, e.method, e.template]);
  const before = new Map((base.stats?.byEndpoint ?? []).map((e) => [keyOf(e), e]));
  const out: LatencyShift[] = [];
  for (const h of head.stats?.byEndpoint ?? []) {
    const b = before.get(keyOf(h));
    // Only where both sides have timings: an untimed side says nothing about speed.
    if (!b?.durationMs || !h.durationMs) continue;
    const ratio = (x: number, y: number) => (x === 0 ? (y === 0 ? 1 : null) : y / x);
    out.push({
      side: h.side,
      service: h.service,
      method: h.method,
      template: h.template,
      base: { timed: b.timed, p50: b.durationMs.p50, p95: b.durationMs.p95 },
      head: { timed: h.timed, p50: h.durationMs.p50, p95: h.durationMs.p95 },
      p50Ratio: ratio(b.durationMs.p50, h.durationMs.p50),
      p95Ratio: ratio(b.durationMs.p95, h.durationMs.p95),
    });
  }
  const shift = (r: number | null) => (r === null ? Infinity : Math.abs(Math.log(r || 1e-9)));
  return out.sort((a, b) => shift(b.p50Ratio) - shift(a.p50Ratio));
}

/**
 * A side whose logs show no command, HTTP call, operation step or service request (an empty
 * capture, binary junk) has nothing to judge, as explain says of it: its line counts; else null.
 */
function nothingToJudge(run: RunResult): DiffResult['head']['nothingToJudge'] {
  const lists = [run.commands, run.exchanges, run.flows, run.chains, run.serviceEvents];
  if (lists.some((l) => l.length > 0)) return null;
  return {
    lines: run.inputs.reduce((sum, i) => sum + i.lines, 0),
    unrecognized: run.inputs.reduce((sum, i) => sum + i.unrecognizedLines, 0),
  };
}

export function diffRuns(base: RunResult, head: RunResult): DiffResult {
  const { flows, matched } = diffFlows(base, head);
  const httpErrors = newHttpErrors(base, head);
  const findingKinds = newFindingKinds(base, head);
  const reasons: string[] = [];
  for (const f of flows.filter((x) => x.worse)) {
    const what = `${f.flow}${f.variant ? ` (${f.variant})` : ''}${f.command ? ` of \`${f.command}\`` : ''}`;
    if (f.match === 'head-only') reasons.push(`${what}: ${f.head!.verdict} in HEAD, not run in BASE`);
    else {
      const d = f.firstDivergence;
      reasons.push(
        `${what}: ${f.base!.verdict} in BASE, ${f.head!.verdict} in HEAD${d ? `; first divergence: ${d.step} ${d.base ?? 'not on the route'} → ${d.head ?? 'not on the route'}` : ''}`,
      );
    }
  }
  for (const e of httpErrors)
    reasons.push(`new HTTP error: ${e.service ?? '?'} ${e.method ?? '?'} ${e.template ?? '?'} → ${e.status}`);
  for (const k of findingKinds.filter((x) => x.severity === 'error')) reasons.push(`new error finding: ${k.ruleId}`);
  const headNothing = nothingToJudge(head);
  return {
    base: { inputs: base.inputs.map((i) => i.name), nothingToJudge: nothingToJudge(base) },
    head: { inputs: head.inputs.map((i) => i.name), nothingToJudge: headNothing },
    // An empty HEAD has no failure because it shows nothing: not a pass (a CI gate read it as one).
    worse: headNothing ? null : reasons.length > 0,
    reasons,
    flows,
    matchedFlows: matched,
    newHttpErrors: httpErrors,
    newFindingKinds: findingKinds,
    latency: latency(base, head),
  };
}
