// Every flow file carries samples: logs (or inline service events) with the exact
// flow results they must give. Checking them in both directions: each sample
// gives exactly its expectations, and each step of each flow is matched by at
// least one sample (a step no sample exercises is reported).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { analyzeText } from '../analyze.js';
import type { Exchange, RunResult } from '../model/schema.js';
import type { ServiceEvent } from '../model/service-schema.js';
import type { FlowResult } from '../model/flow-schema.js';
import { builtinMarkers, matchMarker } from '../service/markers.js';
import type { Sample, SampleEvent } from './grammar-schema.js';
import { replayRun } from './index.js';
import type { Diagnostic, LoadedFlowFile } from './load.js';
import { stepRuleId } from './verdicts.js';

/** Exchanges and service events from inline sample events; each observer is its own log, as in real life. */
function inlineRun(events: SampleEvent[], name: string): Pick<RunResult, 'exchanges' | 'commands' | 'serviceEvents'> {
  const exchanges: Exchange[] = [];
  const serviceEvents: ServiceEvent[] = [];
  // One second apart, so the replay orders them as written.
  const at = (i: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString().replace('T', ' ').replace('Z', '');
  events.forEach((e, i) => {
    const line = e.line ?? i + 1;
    if (e.type === 'exchange') {
      const service =
        e.service ?? (e.observer === 'nova-api' ? 'compute' : e.observer === 'cinder-api' ? 'volume' : null);
      exchanges.push({
        id: exchanges.length + 1,
        source: `${name}#${e.observer}`,
        line,
        endLine: line,
        side: e.observer === 'client' ? 'client' : 'server',
        method: e.method ?? null,
        url: e.path ?? null,
        path: e.path ?? null,
        service,
        status: e.status ?? null,
        requestId: e.requestId ?? null,
        globalRequestId: e.globalRequestId ?? null,
        microversion: e.microversion ?? null,
        startedAt: at(i),
        durationMs: null,
        timing: 'server',
        serverTimeMs: null,
        complete: e.status !== undefined,
        incompleteReason: null,
        kind: e.kind ?? 'request',
        resendOf: null,
        error: null,
        command: null,
        action: e.action ?? null,
      });
    } else {
      // The marker's captures come from its message, as they would from a real log line.
      const found = e.message !== undefined ? matchMarker(builtinMarkers(), e.observer, e.message) : null;
      const caps = found !== null && found.id === e.marker ? found.captures : {};
      serviceEvents.push({
        source: `${name}#${e.observer}`,
        line,
        endLine: line,
        service: e.observer,
        timestamp: at(i),
        requestId: e.requestId ?? null,
        globalRequestId: e.globalRequestId ?? null,
        instance: e.instance ?? caps.instance ?? null,
        volume: caps.volume ?? null,
        attachment: caps.attachment ?? null,
        level: 'INFO',
        message: e.message ?? '',
        marker: e.marker ?? '',
      });
    }
  });
  return { exchanges, commands: [], serviceEvents };
}

/** The run a sample describes. */
export function sampleRun(file: string, sample: Sample): Pick<RunResult, 'exchanges' | 'commands' | 'serviceEvents'> {
  if (sample.events) return inlineRun(sample.events, sample.name);
  const inputs = (sample.logs ?? []).map((log) => {
    const path = resolve(dirname(file), log);
    return { name: path, text: readFileSync(path, 'utf8') };
  });
  const { result } = analyzeText(inputs);
  return result;
}

function sortKeys(o: Record<string, string>): Array<[string, string]> {
  return Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function describeResult(r: FlowResult): string {
  return `${r.flow} ${r.variant ?? '-'} ${r.verdict} [${r.steps.map((s) => `${s.step}:${s.status}`).join(', ')}]`;
}

/** Run the samples of one loaded file; diagnostics for every mismatch. */
export function checkSamples(loaded: LoadedFlowFile): Diagnostic[] {
  const out: Diagnostic[] = [];
  const exercised = new Set<string>();
  loaded.samples.forEach((sample, si) => {
    const absent = (sample.logs ?? []).findIndex((log) => !existsSync(resolve(dirname(loaded.file), log)));
    if (absent >= 0) {
      out.push({
        file: loaded.file,
        at: `/samples/${si}/logs/${absent}`,
        message: `sample log not found: ${resolve(dirname(loaded.file), sample.logs![absent]!)}`,
      });
      return;
    }
    let run: ReturnType<typeof sampleRun>;
    try {
      run = sampleRun(loaded.file, sample);
    } catch (e) {
      out.push({ file: loaded.file, at: `/samples/${si}`, message: `cannot read the sample: ${(e as Error).message}` });
      return;
    }
    const { flows } = replayRun(loaded.flows, run);
    for (const r of flows)
      for (const s of r.steps)
        if (s.status === 'matched' || s.status === 'failed') exercised.add(`${r.flow}\u0000${s.step}`);
    const at = (ei: number | null, what = '') => `/samples/${si}${ei === null ? '' : `/expect/${ei}`}${what}`;
    if (flows.length !== sample.expect.length) {
      out.push({
        file: loaded.file,
        at: at(null, '/expect'),
        message: `sample "${sample.name}": expected ${sample.expect.length} flow result(s), got ${flows.length}: ${flows.map(describeResult).join(' | ') || 'none'}`,
      });
      return;
    }
    sample.expect.forEach((exp, ei) => {
      const r = flows[ei]!;
      const bad = (what: string, expected: string, got: string) =>
        out.push({
          file: loaded.file,
          at: at(ei, what),
          message: `sample "${sample.name}": expected ${expected}, got ${got} (${describeResult(r)})`,
        });
      if (r.flow !== exp.flow) bad('/flow', exp.flow, r.flow);
      if (exp.variant !== undefined && r.variant !== exp.variant)
        bad('/variant', String(exp.variant), String(r.variant));
      if (r.verdict !== exp.verdict) bad('/verdict', exp.verdict, r.verdict);
      if (exp.steps) {
        const got = JSON.stringify(r.steps.map((s) => [s.step, s.status]));
        if (got !== JSON.stringify(exp.steps)) bad('/steps', JSON.stringify(exp.steps), got);
      }
      if (exp.findings) {
        const got = JSON.stringify(r.steps.map((s) => [stepRuleId(s.status), s.step]).filter(([id]) => id !== null));
        if (got !== JSON.stringify(exp.findings)) bad('/findings', JSON.stringify(exp.findings), got);
      }
      if (exp.explains !== undefined && r.explains.length !== exp.explains)
        bad('/explains', `${exp.explains} explained exchanges`, String(r.explains.length));
      if (
        exp.captures !== undefined &&
        JSON.stringify(sortKeys(r.captures ?? {})) !== JSON.stringify(sortKeys(exp.captures))
      ) {
        bad('/captures', JSON.stringify(sortKeys(exp.captures)), JSON.stringify(sortKeys(r.captures ?? {})));
      }
      if (exp.guard !== undefined) {
        const guard = r.guard ?? null;
        const ok = exp.guard === null ? guard === null : guard !== null && guard.includes(exp.guard);
        if (!ok)
          bad(
            '/guard',
            exp.guard === null ? 'no version-guard note' : `a version-guard note containing "${exp.guard}"`,
            JSON.stringify(r.guard),
          );
      }
    });
  });
  // The other direction: a step no sample matches is an untested claim.
  loaded.flows.forEach((flow, fi) => {
    const reported = new Set<string>();
    for (const step of flow.allSteps) {
      if (step.def.optional || reported.has(step.def.step) || exercised.has(`${flow.def.id}\u0000${step.def.step}`))
        continue;
      reported.add(step.def.step);
      out.push({
        file: loaded.file,
        at: `/flows/${fi}`,
        message: `step "${step.def.step}" of ${flow.def.id} is required but no sample matches it; add a sample that exercises it`,
      });
    }
  });
  return out;
}
