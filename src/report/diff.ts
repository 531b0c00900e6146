// `ostrace diff` output: text, markdown and JSON of a DiffResult. Verdict first, then
// the flows that diverged, new errors, new finding kinds and latency shifts.
import type { DiffResult, FlowDiff, LatencyShift, StepChange } from '../model/diff-schema.js';
import { maskText } from '../secrets/mask.js';
import { code, inline, table } from './markdown.js';
import { makeStyle } from './style.js';
import { printable } from './style.js';

export interface DiffContext {
  color: boolean;
  showSecrets: boolean;
}

/** Latency rows in the text and markdown output (JSON has them all). */
export const LATENCY_ROWS = 10;

/** `12 lines, 12 unrecognized` */
function counted({ lines, unrecognized }: { lines: number; unrecognized: number }): string {
  return `${lines} line${lines === 1 ? '' : 's'}, ${unrecognized} unrecognized`;
}

const SHOW_NOTHING = 'show no OpenStack command, HTTP call or step of an operation ostrace follows';

function verdictLine(d: DiffResult): string {
  const head = d.head.nothingToJudge;
  const base = d.base.nothingToJudge;
  // An empty or junk HEAD has no failure because it shows nothing: saying "not worse" of it passed a CI gate.
  if (head && base)
    return `Nothing to judge: the logs of both sides ${SHOW_NOTHING} (BASE: ${counted(base)}; HEAD: ${counted(head)}); whether HEAD is worse cannot be said.`;
  if (head)
    return `Nothing to judge in HEAD: its logs ${SHOW_NOTHING} (${counted(head)}); whether it is worse than BASE cannot be said.`;
  const reasons = `${d.reasons.length} reason${d.reasons.length === 1 ? '' : 's'}`;
  if (base)
    return d.worse
      ? `HEAD is worse than BASE (${reasons}); BASE has nothing to judge: its logs ${SHOW_NOTHING} (${counted(base)}), so every failure in HEAD counts as new.`
      : `Nothing to judge in BASE: its logs ${SHOW_NOTHING} (${counted(base)}); nothing to compare HEAD with, and on its own HEAD shows no failure or error.`;
  return d.worse
    ? `HEAD is worse than BASE (${reasons}).`
    : `HEAD is not worse than BASE: ${d.matchedFlows} flow instance${d.matchedFlows === 1 ? '' : 's'} matched, no new failure, missing step or new error.`;
}

function flowName(f: FlowDiff): string {
  return `${f.flow}${f.variant ? ` (${f.variant})` : ''}${f.command ? ` of \`${f.command}\`` : ''}${f.occurrence > 1 ? ` #${f.occurrence}` : ''}`;
}

function stepText(s: StepChange): string {
  const where = s.source ? ` at ${s.source}${s.line === null ? '' : `:${s.line}`}` : '';
  return `${s.change} ${s.step}: ${s.base ?? 'not on the route'} → ${s.head ?? 'not on the route'}${where}`;
}

function ms(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${Math.round(n)} ms`;
}

function ratio(r: number | null): string {
  return r === null ? 'from 0' : `×${r.toFixed(2)}`;
}

function latencyCells(l: LatencyShift): string[] {
  return [
    `${l.side} ${l.service} ${l.method} ${l.template}`,
    `${l.base.timed} / ${l.head.timed}`,
    `${ms(l.base.p50)} → ${ms(l.head.p50)} (${ratio(l.p50Ratio)})`,
    `${ms(l.base.p95)} → ${ms(l.head.p95)} (${ratio(l.p95Ratio)})`,
  ];
}

export function diffText(d: DiffResult, ctx: DiffContext): string {
  const s = makeStyle(ctx.color);
  const clean = (t: string) => printable(ctx.showSecrets ? t : maskText(t));
  const out = [s.bold('Verdict'), `  ${d.worse === false ? s.green(verdictLine(d)) : s.red(verdictLine(d))}`];
  for (const r of d.reasons) out.push(`  - ${clean(r)}`);
  out.push('', s.bold(`Base: ${d.base.inputs.length} input(s); head: ${d.head.inputs.length} input(s)`));
  const diverged = d.flows.filter((f) => f.match === 'matched');
  out.push('', s.bold(`Flows (${d.matchedFlows} matched, ${diverged.length} diverged)`));
  if (diverged.length === 0) out.push('  no matched flow instance diverged');
  for (const f of diverged) {
    out.push(`  ${clean(flowName(f))}: ${f.base!.verdict} → ${f.head!.verdict}`);
    if (f.firstDivergence) out.push(`    first divergence: ${clean(stepText(f.firstDivergence))}`);
    for (const st of f.steps) if (st !== f.firstDivergence) out.push(`    ${clean(stepText(st))}`);
    if (f.firstDivergence?.message) out.push(`    ${s.dim(clean(f.firstDivergence.message))}`);
  }
  const only = (m: FlowDiff['match']) => d.flows.filter((f) => f.match === m);
  for (const [m, title] of [
    ['head-only', 'Only in HEAD'],
    ['base-only', 'Only in BASE (not run in HEAD)'],
  ] as const) {
    const list = only(m);
    if (list.length === 0) continue;
    out.push('', s.bold(`${title} (${list.length})`));
    for (const f of list) out.push(`  ${clean(flowName(f))}: ${(f.head ?? f.base)!.verdict}`);
  }
  out.push('', s.bold(`New HTTP errors (${d.newHttpErrors.length})`));
  for (const e of d.newHttpErrors)
    out.push(
      `  ${e.side} ${e.service ?? '?'} ${e.method ?? '?'} ${e.template ?? '?'} → ${e.status}  ×${e.head}  ${e.source ?? ''}:${e.line ?? ''}${e.requestId ? `  ${e.requestId}` : ''}`,
      ...(e.error ? [`    ${s.dim(clean(e.error))}`] : []),
    );
  out.push('', s.bold(`New finding kinds (${d.newFindingKinds.length})`));
  for (const k of d.newFindingKinds)
    out.push(
      `  ${k.severity}  ${k.ruleId}  ×${k.head}  ${k.source ?? ''}:${k.line ?? ''}`,
      `    ${s.dim(clean(k.message))}`,
    );
  out.push('', s.bold(`Latency (${d.latency.length} endpoint(s) timed on both sides; largest p50 shifts first)`));
  if (d.latency.length > 0) {
    const rows = [
      ['endpoint', 'timed base/head', 'p50 base → head', 'p95 base → head'],
      ...d.latency.slice(0, LATENCY_ROWS).map(latencyCells),
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows)
      out.push(
        `  ${r
          .map((c, i) => c.padEnd(widths[i]!))
          .join('  ')
          .trimEnd()}`,
      );
  }
  return `${out.join('\n')}\n`;
}

export function diffMarkdown(d: DiffResult, ctx: DiffContext): string {
  const clean = (t: string) => (ctx.showSecrets ? t : maskText(t));
  const md = (t: string) =>
    clean(t)
      .split('`')
      .map((part, i) => (i % 2 === 1 ? code(part) : inline(part)))
      .join('');
  const out = ['# ostrace diff', '', '## Verdict', '', inline(verdictLine(d))];
  if (d.reasons.length > 0) out.push('', ...d.reasons.map((r) => `- ${md(r)}`));
  const diverged = d.flows.filter((f) => f.match === 'matched');
  out.push('', `## Flows (${d.matchedFlows} matched, ${diverged.length} diverged)`, '');
  if (diverged.length === 0) out.push('No matched flow instance diverged.');
  else
    out.push(
      table(
        ['flow', 'verdict', 'first divergence', 'other steps'],
        diverged.map((f) => [
          md(flowName(f)),
          `${f.base!.verdict} → ${f.head!.verdict}`,
          f.firstDivergence ? md(stepText(f.firstDivergence)) : '',
          md(
            f.steps
              .filter((x) => x !== f.firstDivergence)
              .map(stepText)
              .join('; '),
          ),
        ]),
      ),
    );
  const others = d.flows.filter((f) => f.match !== 'matched');
  if (others.length > 0)
    out.push(
      '',
      '## Flows of one side only',
      '',
      table(
        ['flow', 'side', 'verdict'],
        others.map((f) => [md(flowName(f)), f.match === 'head-only' ? 'HEAD' : 'BASE', (f.head ?? f.base)!.verdict]),
      ),
    );
  out.push('', `## New HTTP errors (${d.newHttpErrors.length})`);
  if (d.newHttpErrors.length > 0)
    out.push(
      '',
      table(
        ['call', 'status', 'HEAD count', 'where', 'error'],
        d.newHttpErrors.map((e) => [
          md(`${e.side} ${e.service ?? '?'} ${e.method ?? '?'} ${e.template ?? '?'}`),
          String(e.status),
          String(e.head),
          md(`${e.source ?? ''}:${e.line ?? ''}`),
          e.error ? md(e.error) : '',
        ]),
      ),
    );
  out.push('', `## New finding kinds (${d.newFindingKinds.length})`);
  if (d.newFindingKinds.length > 0)
    out.push(
      '',
      table(
        ['rule', 'severity', 'HEAD count', 'first message'],
        d.newFindingKinds.map((k) => [code(k.ruleId), k.severity, String(k.head), md(k.message)]),
      ),
    );
  out.push('', `## Latency (${d.latency.length} endpoint(s) timed on both sides)`);
  if (d.latency.length > 0)
    out.push(
      '',
      table(
        ['endpoint', 'timed base/head', 'p50 base → head', 'p95 base → head'],
        d.latency.slice(0, LATENCY_ROWS).map((l) => latencyCells(l).map((c, i) => (i === 0 ? md(c) : inline(c)))),
      ),
    );
  return `${out.join('\n')}\n`;
}

export function diffJson(d: DiffResult): string {
  return `${JSON.stringify(d, null, 2)}\n`;
}

export const diffRenderers: Record<string, (d: DiffResult, ctx: DiffContext) => string> = {
  text: diffText,
  json: (d) => diffJson(d),
  markdown: diffMarkdown,
};

export const diffFormats = Object.keys(diffRenderers);
