// The default report: commands, then a table of exchanges, errors highlighted.
import type { Exchange, RunResult } from '../model/schema.js';
import { maskText } from '../secrets/mask.js';
import { renderChains } from './chain-tree.js';
import { explanationTextLines } from './explain.js';
import {
  firstThatMatter,
  commandKeys,
  firstThatMatterOfJson,
  flowKeys,
  headsOf,
  headValues,
  MAX_CHAINS,
  MAX_COMMANDS,
  MAX_EXCHANGE_ROWS,
  MAX_FINDINGS,
  MAX_FLOWS,
  moreNote,
} from './bounded.js';
import { makeStyle, pad, printable } from './style.js';
import type { ReportContext, Reporter } from './types.js';
import { stepStatusLabel } from './step-status.js';
import { STEP_MESSAGES } from '../flows/replay.js';
import { shellLine } from '../core/shell-words.js';

export const textReporter: Reporter = {
  id: 'text',
  description: 'Human-readable summary (default)',
  render(run, ctx) {
    return [...textChunks(run, ctx)].join('');
  },
  chunks: textChunks,
};

/**
 * The report in pieces, reading the run's rows as they stream (they may live on
 * disk): the exchange table is read twice, once for its column widths, once to print.
 */
function* textChunks(run: RunResult, ctx: ReportContext): Generator<string> {
  const s = makeStyle(ctx.color);
  // Log text is printed on one line, secrets masked, control characters (a stray ESC) made visible.
  const clean = (t: string) => printable(ctx.showSecrets ? t : maskText(t));
  const out: string[] = [];
  const flush = function* (): Generator<string> {
    if (out.length === 0) return;
    yield `${out.join('\n')}\n`;
    out.length = 0;
  };
  // The verdict first: the story of each problem, then the evidence.
  if (run.explanations) out.push(...explanationTextLines(run, s, clean), '');
  for (const input of run.inputs) {
    const unrec = input.unrecognizedLines > 0 ? s.yellow(`, ${input.unrecognizedLines} unrecognized`) : '';
    out.push(`${s.bold(input.name)}: ${input.lines} lines${unrec}`);
  }
  out.push('');
  if (run.commands.length > 0) {
    out.push(s.bold('Commands'));
    const listed = firstThatMatterOfJson(run.commands, MAX_COMMANDS, commandKeys, (c) => c.exitCode !== 0);
    for (const c of listed.rows) {
      const code =
        c.exitCode === null
          ? s.yellow(c.complete ? 'exit not shown' : 'no END line')
          : c.exitCode === 0
            ? s.green('exit 0')
            : s.red(`exit ${c.exitCode}`);
      out.push(`  ${c.source}:${c.line}  ${c.name ?? shellLine(c.argv)}  ${code}  ${c.exchanges.length} requests`);
      if (c.error) out.push(`    ${s.red(clean(c.error))}`);
      if (out.length >= CHUNK_LINES) yield* flush();
    }
    if (listed.hidden > 0) out.push(s.dim(`  ${moreNote(listed, 'commands', 'failed or without an END line')}`));
    out.push('');
  }
  // The rows of the table (all of a short run; of a long one those that matter, then the
  // slowest), their column widths, and which exchanges answered 4xx (a flow may expect those).
  const header = ['#', 'line', 'method', 'path', 'status', 'service', 'request id', 'ms'];
  const widths = header.map((h) => h.length);
  const clientErrors = new Set<number>();
  let untimed = 0;
  for (const e of headsOf(run.exchanges, ['id', 'status', 'durationMs'], (e) => e)) {
    if (typeof e.status === 'number' && e.status >= 400) clientErrors.add(e.id as number);
    if (e.durationMs === null) untimed++;
  }
  // A 4xx that a flow expects (the client looking a name up) is not an error to chase.
  const expectedBy = new Map<number, string>();
  if (clientErrors.size > 0) {
    for (const f of run.flows) {
      for (const step of f.steps) {
        if (step.status === 'matched' && step.exchange !== null && clientErrors.has(step.exchange))
          expectedBy.set(step.exchange, `${f.flow} step ${step.step}`);
      }
    }
  }
  const matters = (e: Pick<Exchange, 'id' | 'complete' | 'status'>) =>
    !e.complete || (e.status !== null && e.status >= 400 && !expectedBy.has(e.id));
  const listed = firstThatMatterOfJson(
    run.exchanges,
    MAX_EXCHANGE_ROWS,
    (json) => {
      const head = headValues(json, ['id', 'complete', 'status', 'durationMs']);
      if (!head || typeof head.id !== 'number' || typeof head.complete !== 'boolean') return undefined;
      const status = typeof head.status === 'number' ? head.status : null;
      const durationMs = typeof head.durationMs === 'number' ? head.durationMs : null;
      return { matter: matters({ id: head.id, complete: head.complete, status }), rank: durationMs ?? -1 };
    },
    matters,
    (e) => e.durationMs ?? -1,
  );
  for (const e of listed.rows)
    row(e).forEach((c, i) => {
      if (c.length > widths[i]!) widths[i] = c.length;
    });
  widths[3] = Math.min(widths[3]!, 90);
  out.push(s.bold(`Exchanges (${run.exchanges.length})`));
  out.push(`  ${header.map((h, i) => pad(h, widths[i]!, i === 0 || i === 7)).join('  ')}`);
  for (const e of listed.rows) {
    const cells = row(e).map((c, i) => (i === 3 && c.length > 90 ? `${c.slice(0, 89)}…` : c));
    let line = cells.map((c, i) => pad(c, widths[i]!, i === 0 || i === 7)).join('  ');
    if (!e.complete) line = s.yellow(line);
    else if (e.status !== null && e.status >= 500) line = s.red(line);
    else if (e.status !== null && e.status >= 400 && !expectedBy.has(e.id)) line = s.yellow(line);
    out.push(`  ${clean(line)}`);
    const expected = e.status !== null && e.status >= 400 ? expectedBy.get(e.id) : undefined;
    if (e.error?.message) {
      const note = expected ? ` (expected: ${expected})` : '';
      out.push(
        `  ${' '.repeat(widths[0]! + 2)}${s.dim(clean(`${e.error.code ?? 'error'}: ${e.error.message}${note}`))}`,
      );
    } else if (expected) out.push(`  ${' '.repeat(widths[0]! + 2)}${s.dim(`expected: ${expected}`)}`);
    if (!e.complete && e.incompleteReason)
      out.push(`  ${' '.repeat(widths[0]! + 2)}${s.dim(`incomplete: ${e.incompleteReason}`)}`);
    if (out.length >= CHUNK_LINES) yield* flush();
  }
  if (listed.hidden > 0)
    out.push(
      s.dim(
        `  ${moreNote(listed, 'exchanges', 'unanswered or answered with an error no flow expects', 'the slowest')}`,
      ),
    );
  if (run.exchanges.length > 0 && untimed === run.exchanges.length) {
    out.push(s.dim('  (no per-request timing in this log: run with --log-file or --timing for durations)'));
  }
  if (run.chains.length > 0) {
    // The longest chains are the ones a reader came for.
    const chains = firstThatMatter(
      run.chains,
      MAX_CHAINS,
      () => false,
      (c) => c.spanMs ?? -1,
    );
    out.push('', s.bold(`Chains (${run.chains.length})`));
    for (const line of renderChains(run, chains.rows)) out.push(`  ${clean(line)}`);
    if (chains.hidden > 0) out.push(s.dim(`  ${moreNote(chains, 'chains', '', 'the longest')}`));
  }
  if (run.flows.length > 0) {
    // The verdicts counted in the same pass that picks the flows listed.
    const verdicts = new Map<string, number>();
    const count = (verdict: string) => void verdicts.set(verdict, (verdicts.get(verdict) ?? 0) + 1);
    // Read without their steps' messages: a flow's row is kilobytes of two-byte text (the
    // messages' arrows), and read whole as text, a long run's raised the peak by 5–10 MB.
    const flows = firstThatMatterOfJson(
      run.flows,
      MAX_FLOWS,
      (json) => flowKeys(json, count),
      (f) => {
        count(f.verdict);
        return f.verdict !== 'complete';
      },
      (f) => (f.verdict === 'failed' ? 1 : 0),
      STEP_MESSAGES,
    );
    out.push('', s.bold(`Flows (${run.flows.length}${flows.hidden > 0 ? verdictCounts(verdicts) : ''})`));
    for (const f of flows.rows) {
      const verdict =
        f.verdict === 'complete' ? s.green(f.verdict) : f.verdict === 'failed' ? s.red(f.verdict) : s.yellow(f.verdict);
      const where =
        f.command !== null
          ? `command #${f.command}`
          : f.requestId
            ? clean(f.requestId)
            : f.source
              ? `requests outside any command, from ${clean(f.source)}:${f.line}`
              : 'requests outside any command';
      out.push(`  ${f.flow}${f.variant ? ` (${f.variant})` : ''}  ${verdict}  ${where}`);
      for (const step of f.steps) {
        if (step.status === 'matched' || step.status === 'skipped') continue;
        const label = stepStatusLabel(step);
        const st = step.status === 'failed' || label === 'missing' ? s.red(label) : s.yellow(label);
        out.push(`    ${st}  ${step.step}${step.message ? `: ${clean(step.message)}` : ''}`);
      }
      if (out.length >= CHUNK_LINES) yield* flush();
    }
    if (flows.hidden > 0) out.push(s.dim(`  ${moreNote(flows, 'flow instances', 'unfinished')}`));
  }
  if (run.findings.length > 0) {
    const findings = firstThatMatter(run.findings, MAX_FINDINGS, (f) => f.severity === 'error');
    out.push('', s.bold(`Findings (${run.findings.length})`));
    for (const f of findings.rows) {
      const sev =
        f.severity === 'error' ? s.red(f.severity) : f.severity === 'warning' ? s.yellow(f.severity) : f.severity;
      out.push(`  ${f.source ?? ''}:${f.line ?? ''}  ${sev}  ${clean(f.message)}  ${s.dim(f.ruleId)}`);
    }
    if (findings.hidden > 0) out.push(s.dim(`  ${moreNote(findings, 'findings', 'errors')}`));
  }
  yield* flush();
}

/** `: 3 failed, 13,376 incomplete` — the verdicts of a long list at a glance. */
function verdictCounts(counts: ReadonlyMap<string, number>): string {
  return `: ${[...counts].map(([v, n]) => `${n} ${v}`).join(', ')}`;
}

/** Lines per written piece. */
const CHUNK_LINES = 2000;

function row(e: Exchange): string[] {
  return [
    String(e.id),
    String(e.line),
    e.method ?? '?',
    e.path ?? '?',
    e.status === null ? '-' : String(e.status),
    e.service ?? '-',
    e.requestId ?? '-',
    e.durationMs === null ? '-' : String(Math.round(e.durationMs)),
  ];
}
