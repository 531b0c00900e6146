// The flows stage: load the flow models (grammars/ plus --flows DIRs), cut the
// run into flow instances (one per CLI command for client flows, one per global
// request id for service-side flows), replay each, and write flows[] and the
// flow/* findings into the RunResult.
import type { Analysis } from '../analyze.js';
import type { Exchange, Finding, RunResult } from '../model/schema.js';
import type { FlowResult } from '../model/flow-schema.js';
import type { PipelineOptions } from '../pipeline.js';
import { ConfigError } from '../cli/errors.js';
import { recognizes, type CompiledFlow } from './compile.js';
import { exchangeEvents, markerCaptures, orderEvents, type FlowEvent } from './events.js';
import { Observer } from './grammar-schema.js';
import { formatDiagnostic, loadFlowSet, type FlowSet } from './load.js';
import { replayInstance } from './replay.js';

let builtinCache: FlowSet | null = null;

/** Built-ins are read once per process; user directories each run. */
export function flowSetFor(flowDirs: readonly string[] = []): FlowSet {
  if (flowDirs.length === 0) {
    builtinCache ??= loadFlowSet();
    return builtinCache;
  }
  return loadFlowSet(flowDirs);
}

/** Service-log step markers (result.serviceEvents) as flow events. */
export function markerEvents(result: Pick<RunResult, 'serviceEvents'>): FlowEvent[] {
  const out: FlowEvent[] = [];
  for (const s of result.serviceEvents ?? []) {
    const observer = Observer.safeParse(s.service);
    if (!observer.success) continue;
    const t = s.timestamp ? Date.parse(s.timestamp.replace(' ', 'T')) : NaN;
    out.push({
      seq: 0, type: 'marker', observer: observer.data, service: null, method: null, resource: null, query: new Map(),
      captures: markerCaptures(s), action: null,
      status: null, kind: null, marker: s.marker, message: s.message, requestId: s.requestId, globalRequestId: s.globalRequestId,
      microversion: null, exchange: null, source: s.source, line: s.line, atMs: Number.isNaN(t) ? null : t, error: null,
    });
  }
  return out;
}

export interface ReplayOutput { flows: FlowResult[]; findings: Finding[] }

/** Replay every flow over a run's exchanges and service events. */
export function replayRun(flows: readonly CompiledFlow[], result: Pick<RunResult, 'exchanges' | 'commands' | 'serviceEvents'>): ReplayOutput {
  const out: ReplayOutput = { flows: [], findings: [] };
  const push = (o: ReturnType<typeof replayInstance>) => {
    if (!o) return;
    out.flows.push(o.result);
    out.findings.push(...o.findings);
  };
  const commandFlows = flows.filter((f) => f.def.scope === 'command');
  const requestFlows = flows.filter((f) => f.def.scope === 'request');
  const byId = new Map(result.exchanges.map((e) => [e.id, e]));

  // Client flows: one instance per command whose name a flow is triggered by.
  for (const cmd of result.commands) {
    const matching = commandFlows.filter((f) => cmd.name !== null && f.def.trigger?.command?.includes(cmd.name));
    if (matching.length === 0) continue;
    const exchanges = cmd.exchanges.map((id) => byId.get(id)).filter((e): e is Exchange => e !== undefined && e.side === 'client');
    const events = orderEvents(exchangeEvents(exchanges));
    const label = `command \`${cmd.name}\` at ${cmd.source}:${cmd.line}`;
    for (const flow of matching) push(replayInstance(flow, events, { command: cmd.id, requestId: null, source: cmd.source, line: cmd.line, label }));
  }
  // Client exchanges outside any command (a pasted fragment): the flow whose
  // anchor call they contain, e.g. the POST os-volume_attachments.
  const loose = result.exchanges.filter((e) => e.side === 'client' && e.command === null);
  if (loose.length > 0) {
    const events = orderEvents(exchangeEvents(loose));
    for (const flow of commandFlows) {
      const anchors = flow.allSteps.filter((s) => s.def.anchor);
      if (anchors.length === 0 || !events.some((e) => anchors.some((a) => recognizes(a, e, true)))) continue;
      push(replayInstance(flow, events, { command: null, requestId: null, source: loose[0]!.source, line: loose[0]!.line, label: 'the requests outside any command' }));
    }
  }
  // Service-side flows: one instance per global request id (nova's req id, which
  // cinder logs as the global id and nova-compute logs as its own).
  if (requestFlows.length > 0) {
    const server = [...exchangeEvents(result.exchanges.filter((e) => e.side === 'server')), ...markerEvents(result)];
    const groups = new Map<string, FlowEvent[]>();
    for (const ev of server) {
      const key = ev.globalRequestId ?? ev.requestId;
      if (!key) continue;
      let g = groups.get(key);
      if (!g) { g = []; groups.set(key, g); }
      g.push(ev);
    }
    // One global request id is one API request, so one operation: the flow whose anchor
    // comes first (a swap's PUT before the os-begin_detaching and POST /attachments it
    // causes, which alone would also start a detach and an attach); ties go to the first declared.
    for (const [key, group] of groups) {
      const events = orderEvents(group);
      let chosen: { flow: CompiledFlow; first: FlowEvent } | null = null;
      for (const flow of requestFlows) {
        const anchors = flow.allSteps.filter((s) => s.def.anchor);
        const first = events.find((e) => anchors.some((a) => recognizes(a, e, true)));
        if (first && (chosen === null || first.seq < chosen.first.seq)) chosen = { flow, first };
      }
      if (!chosen) continue;
      const { flow, first } = chosen;
      push(replayInstance(flow, events, { command: null, requestId: key, source: first.source, line: first.line, label: `request ${key}` }));
    }
  }
  return out;
}

/** The pipeline stage. An invalid user flow file stops the run (exit 2) with its diagnostics. */
export function replayFlows(analysis: Analysis, options: PipelineOptions): void {
  const set = flowSetFor(options.flowDirs ?? []);
  if (set.diagnostics.length > 0) {
    throw new ConfigError(`invalid flow file(s):\n${set.diagnostics.map(formatDiagnostic).join('\n')}`);
  }
  const { flows, findings } = replayRun(set.flows, analysis.result);
  // One push per element: a long CI log can hold more results than a spread may pass as arguments.
  for (const f of flows) analysis.result.flows.push(f);
  for (const f of findings) analysis.result.findings.push(f);
}

