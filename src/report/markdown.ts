// `--format markdown`: summary, commands, exchanges, findings, flow verdicts, timing
// tables, mermaid sequence diagrams and a gantt of the exchanges. Deterministic: the
// same input gives the same bytes (no wall-clock time unless the context carries one).
// All log-derived text is escaped here, before any markdown parser sees it; the HTML
// report reuses these sections and must be able to trust them.
import {
  commandKeys,
  firstThatMatter,
  firstThatMatterOfJson,
  flowKeys,
  MAX_COMMANDS,
  MAX_EXCHANGE_ROWS,
  MAX_FINDINGS,
  MAX_FLOWS,
  MAX_PAIRS,
  moreNote,
  type Listed,
} from './bounded.js';
import type { Explanation, OutsideCommands, StartUnseen, Unconfirmed, Unended } from '../model/explain-schema.js';
import type { Exchange, RunResult } from '../model/schema.js';
import type { CriticalPath, Summary } from '../model/stats-schema.js';
import type { Rows } from '../rows/rows.js';
import { maskText } from '../secrets/mask.js';
import { pathTemplate } from '../stats/template.js';
import { durationOf, startOf } from '../stats/timing.js';
import { clip, formatMs, HTML_SPECIALS } from './charts/svg.js';
import { eventText, listedEvents, placeEvents } from './charts/events.js';
import { replyLabel, sequenceRows, sequencesOf, type SequenceModel } from './charts/sequence.js';
import type { ReportContext, Reporter } from './types.js';
import { stepStatusLabel } from './step-status.js';
import { STEP_MESSAGES } from '../flows/replay.js';
import { CONTROL, visibleControl } from './style.js';
import { shellLine } from '../core/shell-words.js';

export interface MarkdownOptions {
  /** Link exchange ids to `#x<id>` anchors (the HTML report has them; plain markdown does not). */
  linkExchanges: boolean;
  /** Where linked exchange ids are noted (the HTML report gives detail rows to those). */
  linked?: Set<number>;
}

/** A part of the report: markdown text, or a diagram the HTML report draws itself. */
export type Section =
  | { kind: 'markdown'; id: string; text: string }
  | { kind: 'sequences'; id: string; title: string; intro: string; models: SequenceModel[] }
  | { kind: 'gantt'; id: string; title: string };

export const markdownReporter: Reporter = {
  id: 'markdown',
  description: 'Markdown report: summary, tables, findings, flows, timing, mermaid diagrams',
  render(run, ctx) {
    return joinSections(markdownSections(run, ctx, { linkExchanges: false }), run, ctx);
  },
};

/** The whole markdown document from its sections (diagrams as mermaid blocks). */
export function joinSections(sections: Section[], run: RunResult, ctx: ReportContext): string {
  const parts: string[] = [];
  for (const s of sections) {
    if (s.kind === 'markdown') parts.push(s.text);
    else if (s.kind === 'sequences') parts.push(sequenceMarkdown(s));
    else parts.push(ganttMarkdown(run, ctx));
  }
  return `${parts.filter((p) => p.length > 0).join('\n\n')}\n`;
}

export function markdownSections(run: RunResult, ctx: ReportContext, options: MarkdownOptions): Section[] {
  const clean = (t: string) => (ctx.showSecrets ? t : maskText(t));
  const ref = (id: number | null) => {
    if (id === null) return '';
    if (!options.linkExchanges) return `#${id}`;
    options.linked?.add(id);
    return `[#${id}](#x${id})`;
  };
  const sections: Section[] = [];
  sections.push({ kind: 'markdown', id: 'summary', text: summary(run, ctx) });
  if (run.commands.length > 0) sections.push({ kind: 'markdown', id: 'commands', text: commands(run, clean) });
  sections.push({ kind: 'markdown', id: 'exchanges', text: exchanges(run, clean, ref) });
  sections.push({ kind: 'markdown', id: 'findings', text: findings(run, clean, ref) });
  if (run.flows.length > 0) sections.push({ kind: 'markdown', id: 'flows', text: flows(run, clean, ref) });
  sections.push({ kind: 'markdown', id: 'timing', text: timing(run, ref) });
  const models = sequencesOf(run);
  if (models.length > 0) {
    const chains = run.chains.length > 0;
    sections.push({
      kind: 'sequences',
      id: 'sequences',
      title: chains ? 'Request chains' : 'Sequence diagrams',
      intro: chains
        ? `${run.chains.length} request chain(s) across services, drawn per command: the client, the services it called and the calls they made.`
        : 'One diagram per command: the client and the services it called.',
      models,
    });
  }
  if ((run.serviceEvents ?? []).length > 0)
    sections.push({ kind: 'markdown', id: 'events', text: serviceEvents(run, clean, ref) });
  if (run.exchanges.some((e) => startOf(e) !== null && durationOf(e) !== null))
    sections.push({ kind: 'gantt', id: 'timeline', title: 'Timeline' });
  return sections;
}

// ---- sections --------------------------------------------------------------------

function summary(run: RunResult, ctx: ReportContext): string {
  const out = ['# ostrace report', ''];
  if (ctx.generatedAt) out.push(`Generated ${inline(ctx.generatedAt)} by ostrace ${inline(run.tool.version)}.`, '');
  // The verdict first: the story of each problem, then the evidence.
  if (run.explanations)
    out.push(
      verdictMarkdown(run, (t) => (ctx.showSecrets ? t : maskText(t))),
      '',
    );
  out.push('## Summary', '');
  const rows: string[][] = [];
  // Many logs of one directory (a devstack run): the directory once, then the file names.
  const dir = commonDirectory(run.inputs.map((i) => i.name));
  if (dir !== '') rows.push(['directory', code(dir)]);
  for (const input of run.inputs) {
    const label = input.service ? ` (${inline(input.service)})` : '';
    rows.push([
      'input',
      `${code(input.name.slice(dir.length))}${label}: ${input.lines} lines, ${input.unrecognizedLines} unrecognized`,
    ]);
  }
  const exits = countBy(run.commands, (c) =>
    c.exitCode !== null ? `exit ${c.exitCode}` : c.complete ? 'exit not shown' : 'no END line',
  );
  rows.push(['commands', run.commands.length === 0 ? '0' : `${run.commands.length} (${exits})`]);
  // one pass: the exchanges may live on disk
  let client = 0;
  let errors = 0;
  let unanswered = 0;
  for (const e of run.exchanges) {
    if (e.side === 'client') client++;
    if (e.status !== null && e.status >= 400) errors++;
    if (!e.complete) unanswered++;
  }
  rows.push([
    'exchanges',
    `${run.exchanges.length} (${client} client, ${run.exchanges.length - client} server; ${errors} HTTP errors, ${unanswered} incomplete)`,
  ]);
  if (run.chains.length > 0) rows.push(['chains', String(run.chains.length)]);
  rows.push(['flows', run.flows.length === 0 ? 'none replayed' : countBy(run.flows, (f) => f.verdict)]);
  const sev = (s: string) => run.findings.filter((f) => f.severity === s).length;
  rows.push(['findings', `${sev('error')} error, ${sev('warning')} warning, ${sev('info')} info`]);
  const st = run.stats;
  rows.push([
    'timing',
    st === null
      ? 'not computed'
      : st.timed === 0
        ? 'none in this input'
        : `${st.timed} of ${st.exchanges} exchanges timed (${st.timingSources.join(', ')})`,
  ]);
  out.push(table(['item', 'value'], rows));
  return out.join('\n');
}

function commands(run: RunResult, clean: (t: string) => string): string {
  const span = new Map((run.stats?.byCommand ?? []).map((c) => [c.command, c] as const));
  const listed = firstThatMatterOfJson(run.commands, MAX_COMMANDS, commandKeys, (c) => c.exitCode !== 0);
  const rows = listed.rows.map((c) => {
    const st = span.get(c.id);
    return [
      String(c.id),
      code(clean(c.name ?? shellLine(c.argv))),
      `${inline(c.source)}:${c.line}`,
      c.exitCode !== null ? String(c.exitCode) : c.complete ? 'not shown' : 'no END line',
      String(c.exchanges.length),
      String(st?.errors ?? ''),
      st?.spanMs != null ? formatMs(st.spanMs) : '',
      c.error ? inline(clean(c.error)) : '',
    ];
  });
  return [
    '## Commands',
    '',
    table(['#', 'command', 'where', 'exit', 'requests', 'errors', 'time', 'error'], rows),
    ...hiddenNote(listed, 'commands', 'failed or without an END line'),
  ].join('\n');
}

function exchanges(run: RunResult, clean: (t: string) => string, ref: (id: number | null) => string): string {
  const out = [`## Exchanges (${run.exchanges.length})`, ''];
  if (run.exchanges.length === 0) {
    out.push('No HTTP exchange was found in the input.');
    return out.join('\n');
  }
  const anyServer = run.exchanges.some((e) => e.serverTimeMs !== null);
  const header = ['#', 'line', 'cmd', 'side', 'method', 'path', 'status', 'service', 'request id', 'ms'];
  if (anyServer) header.push('server ms');
  header.push('error');
  const listed = firstThatMatter(
    run.exchanges,
    MAX_EXCHANGE_ROWS,
    (e) => !e.complete || (e.status !== null && e.status >= 500),
    (e) => durationOf(e) ?? -1,
  );
  const rows = listed.rows.map((e) => {
    const d = durationOf(e);
    const row = [
      ref(e.id),
      String(e.line),
      e.command === null ? '' : String(e.command),
      e.side,
      inline(e.method ?? '?'),
      code(clean(e.path ?? '?')),
      e.status === null ? 'none' : String(e.status),
      inline(e.service ?? ''),
      e.requestId ? code(e.requestId) : '',
      d === null ? '' : formatMs(d),
    ];
    if (anyServer) row.push(e.serverTimeMs === null ? '' : formatMs(e.serverTimeMs));
    row.push(errorText(e, clean));
    return row;
  });
  out.push(table(header, rows), ...hiddenNote(listed, 'exchanges', 'unanswered or answered 5xx', 'the slowest'));
  return out.join('\n');
}

/** Below a table cut short: how many rows it does not list (nothing for a table listed whole). */
function hiddenNote(listed: Listed<unknown>, what: string, matter: string, then?: string): string[] {
  return listed.hidden > 0 ? ['', `_${inline(moreNote(listed, what, matter, then))}_`] : [];
}

function errorText(e: Exchange, clean: (t: string) => string): string {
  if (e.error?.message) return inline(clean(`${e.error.code ?? 'error'}: ${e.error.message}`));
  if (!e.complete && e.incompleteReason) return inline(`incomplete: ${clean(e.incompleteReason)}`);
  return '';
}

function findings(run: RunResult, clean: (t: string) => string, ref: (id: number | null) => string): string {
  const out = [`## Findings (${run.findings.length})`, ''];
  if (run.findings.length === 0) {
    out.push('No findings.');
    return out.join('\n');
  }
  const exchangeAt = exchangeAtLine(run);
  const listed = firstThatMatter(run.findings, MAX_FINDINGS, (f) => f.severity === 'error');
  const rows = listed.rows.map((f) => [
    f.severity,
    code(f.ruleId),
    f.source === null ? '' : `${inline(f.source)}${f.line === null ? '' : `:${f.line}`}`,
    ref(f.exchange ?? exchangeAt(f.source, f.line)),
    inline(clean(f.message)),
  ]);
  out.push(
    table(['severity', 'rule', 'where', 'exchange', 'message'], rows),
    ...hiddenNote(listed, 'findings', 'errors'),
  );
  return out.join('\n');
}

function flows(run: RunResult, clean: (t: string) => string, ref: (id: number | null) => string): string {
  const out = [`## Flows (${run.flows.length})`];
  const listed = firstThatMatterOfJson(
    run.flows,
    MAX_FLOWS,
    flowKeys,
    (f) => f.verdict !== 'complete',
    (f) => (f.verdict === 'failed' ? 1 : 0),
    STEP_MESSAGES,
  );
  for (const f of listed.rows) {
    const title = `${code(f.flow)}${f.variant ? ` (${inline(f.variant)})` : ''}${f.command === null ? '' : `, command ${f.command}`}: **${f.verdict}**`;
    out.push('', `### ${title}`, '', `${f.steps.length} step(s): ${countBy(f.steps, stepStatusLabel)}.`, '');
    const rows = f.steps.map((s, i) => [
      String(i + 1),
      code(s.step),
      stepStatusLabel(s),
      ref(s.exchange),
      s.line === null ? '' : String(s.line),
      s.message ? inline(clean(s.message)) : '',
    ]);
    out.push(rows.length === 0 ? 'No steps.' : table(['#', 'step', 'status', 'exchange', 'line', 'message'], rows));
  }
  out.push(...hiddenNote(listed, 'flow instances', 'unfinished'));
  return out.join('\n');
}

/** Step markers from the service logs, each with the request (exchange, chain, command) it served. */
function serviceEvents(run: RunResult, clean: (t: string) => string, ref: (id: number | null) => string): string {
  const placed = placeEvents(run);
  const listed = listedEvents(placed);
  const out = [
    `## Service events (${placed.length})`,
    '',
    'Step markers the services logged (nova-compute, cinder-volume…), with the request they worked for: matched by request id, or by the global request id the caller passed on.',
    '',
  ];
  out.push(
    table(
      ['#', 'time', 'service', 'marker', 'message', 'exchange', 'chain', 'command', 'where'],
      listed.rows.map((p) => [
        String(p.index),
        p.event.timestamp === null ? '' : inline(p.event.timestamp),
        inline(p.event.service),
        code(p.event.marker),
        inline(clean(eventText(p.event))),
        ref(p.exchange?.id ?? null),
        p.chain === null ? '' : String(p.chain),
        p.command === null ? '' : String(p.command),
        `${inline(p.event.source)}:${p.event.line}`,
      ]),
    ),
    ...hiddenNote(listed, 'service events', 'warnings or errors', 'the earliest'),
  );
  return out.join('\n');
}

function timing(run: RunResult, ref: (id: number | null) => string): string {
  const out = ['## Timing', ''];
  const st = run.stats;
  if (st === null) {
    out.push('Timing statistics were not computed.');
    return out.join('\n');
  }
  if (st.timed === 0) {
    // Said once, here, instead of tables of zeros.
    out.push(`No timing: ${inline(st.note ?? 'no exchange has a duration')}.`);
    return out.join('\n');
  }
  if (st.note) out.push(`Note: ${inline(st.note)}.`, '');
  const q = ['min', 'p50', 'p90', 'p99', 'max', 'total'];
  out.push('### By service', '');
  const families = st.families ?? [];
  if (families.some((f) => f.client.length > 0 && f.server.length > 0)) {
    out.push(
      'The client names a service by its catalog type, the service logs by their own name: rows are grouped by service family ' +
        `(${families
          .filter((f) => f.client.length > 0 && f.server.length > 0)
          .map((f) => inline(f.family))
          .join('; ')}), joined by the requests both sides saw.`,
      '',
    );
  }
  out.push(
    table(
      ['family', 'side', 'service', 'count', 'errors', 'timed', ...q, 'server p50'],
      st.byService.map((s, i) => [
        firstOfGroup(st.byService, i),
        s.side,
        inline(s.service),
        String(s.count),
        String(s.errors),
        String(s.timed),
        ...cells(s.durationMs),
        s.serverMs ? formatMs(s.serverMs.p50) : '',
      ]),
    ),
  );
  out.push('', '### By endpoint', '');
  out.push(
    table(
      ['family', 'side', 'service', 'method', 'endpoint', 'count', 'errors', 'timed', ...q],
      st.byEndpoint.map((s, i) => [
        firstOfGroup(st.byEndpoint, i),
        s.side,
        inline(s.service),
        inline(s.method),
        code(s.template),
        String(s.count),
        String(s.errors),
        String(s.timed),
        ...cells(s.durationMs),
      ]),
    ),
  );
  if (st.byCommand.length > 0) {
    out.push('', '### By command', '');
    const listed = firstThatMatter(
      st.byCommand,
      MAX_COMMANDS,
      (c) => c.errors > 0,
      (c) => c.spanMs ?? -1,
    );
    out.push(
      table(
        ['#', 'command', 'count', 'errors', 'timed', ...q, 'span'],
        listed.rows.map((c) => [
          String(c.command),
          code(c.name ?? ''),
          String(c.count),
          String(c.errors),
          String(c.timed),
          ...cells(c.durationMs),
          c.spanMs === null ? '' : formatMs(c.spanMs),
        ]),
      ),
      ...hiddenNote(listed, 'commands', 'with errors', 'the longest'),
    );
  }
  out.push('', '### Slowest exchanges', '');
  out.push(
    table(
      ['exchange', 'side', 'service', 'method', 'endpoint', 'status', 'ms', 'server ms', 'gap ms'],
      st.slowest.map((s) => [
        ref(s.exchange),
        s.side,
        inline(s.service ?? ''),
        inline(s.method ?? '?'),
        code(s.template ?? '?'),
        s.status === null ? 'none' : String(s.status),
        formatMs(s.durationMs),
        s.serverTimeMs === null ? '' : formatMs(s.serverTimeMs),
        s.gapMs === null ? '' : formatMs(s.gapMs),
      ]),
    ),
  );
  if (st.pairs.length > 0) {
    out.push(
      '',
      '### Client and server time',
      '',
      "The gap is the client's time minus the time the service logged: network and queueing.",
      '',
    );
    const listed = firstThatMatter(
      st.pairs,
      MAX_PAIRS,
      () => false,
      (p) => p.gapMs ?? -1,
    );
    out.push(
      table(
        ['client', 'server', 'request id', 'client ms', 'server ms', 'gap ms'],
        listed.rows.map((p) => [
          ref(p.client),
          ref(p.server),
          code(p.requestId),
          p.clientMs === null ? '' : formatMs(p.clientMs),
          p.serverMs === null ? '' : formatMs(p.serverMs),
          p.gapMs === null ? '' : formatMs(p.gapMs),
        ]),
      ),
      ...hiddenNote(listed, 'pairs', '', 'the widest gaps'),
    );
  }
  // Longest first already (the stats stage sorts them): the first few are the ones to show.
  const paths = st.criticalPath;
  const shown: CriticalPath[] = [];
  for (const cp of paths) {
    if (shown.length === MAX_CRITICAL_PATHS) break;
    shown.push(cp);
  }
  if (paths.length > 0) {
    out.push(
      '',
      '### Critical paths',
      '',
      `The ${shown.length === paths.length ? `${paths.length}` : `${shown.length} longest of ${paths.length}`} request chain(s) of more than one request, longest span first: ` +
        'at each level the call its caller waited on longest.' +
        (paths.length > shown.length
          ? ` ${paths.length - shown.length} shorter chain(s) left out (all are in the JSON report).`
          : ''),
    );
  }
  for (const cp of shown) {
    const total = cp.spanMs ?? cp.totalMs;
    out.push('', `### Critical path of chain ${cp.chain}${total == null ? '' : ` (${formatMs(total)})`}`, '');
    out.push(
      table(
        ['step', 'exchange', 'service', 'method', 'endpoint', 'start', 'ms', 'self ms'],
        cp.steps.map((s, i) => [
          String(i + 1),
          ref(s.exchange),
          inline(s.service ?? ''),
          inline(s.method ?? '?'),
          code(s.template ?? '?'),
          s.startOffsetMs === null ? '' : `+${formatMs(s.startOffsetMs)}`,
          s.durationMs === null ? '' : formatMs(s.durationMs),
          s.selfMs === null ? '' : formatMs(s.selfMs),
        ]),
      ),
    );
  }
  return out.join('\n');
}

/** The family on the first row of its group only: the rows below are the same service. */
function firstOfGroup(rows: ReadonlyArray<{ family: string }>, i: number): string {
  return i > 0 && rows[i - 1]!.family === rows[i]!.family ? '' : inline(rows[i]!.family);
}

/** Critical paths shown in the reports: the rest are in the JSON. */
export const MAX_CRITICAL_PATHS = 5;

/**
 * The exchange a finding's line falls in, for findings that name a line but no exchange.
 * One pass over the exchanges (which may live on disk) for the lines the findings name.
 */
export function exchangeAtLine(run: RunResult): (source: string | null, line: number | null) => number | null {
  const wanted = new Map<string, Set<number>>();
  for (const f of run.findings) {
    if (f.exchange !== null || f.source === null || f.line === null) continue;
    const lines = wanted.get(f.source);
    if (lines) lines.add(f.line);
    else wanted.set(f.source, new Set([f.line]));
  }
  const sorted = new Map([...wanted].map(([source, lines]) => [source, [...lines].sort((a, b) => a - b)]));
  const found = new Map<string, number>();
  if (sorted.size > 0)
    for (const e of run.exchanges) {
      const lines = sorted.get(e.source);
      if (!lines) continue;
      // the wanted lines from e.line on (binary search), while inside the exchange
      let lo = 0;
      let hi = lines.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (lines[mid]! < e.line) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < lines.length && lines[i]! <= e.endLine; i++) {
        const key = `${e.source}\u0000${lines[i]}`;
        if (!found.has(key)) found.set(key, e.id);
      }
    }
  return (source, line) => (source === null || line === null ? null : (found.get(`${source}\u0000${line}`) ?? null));
}

function cells(s: Summary | null): string[] {
  return s === null ? ['', '', '', '', '', ''] : [s.min, s.p50, s.p90, s.p99, s.max, s.total].map(formatMs);
}

// ---- mermaid ---------------------------------------------------------------------

function sequenceMarkdown(s: Extract<Section, { kind: 'sequences' }>): string {
  const out = [`## ${s.title}`, '', s.intro];
  for (const m of s.models) {
    out.push('', `### ${inline(m.title)}`, '', '```mermaid', 'sequenceDiagram');
    for (const p of m.participants) out.push(`    participant ${mermaidId(p)} as ${mermaidText(p)}`);
    for (const row of sequenceRows(m)) {
      if (row.kind === 'note') {
        out.push(`    Note over ${mermaidId(row.n.participant)}: ${mermaidText(clip(row.n.text, 80))}`);
        continue;
      }
      const msg = row.m;
      const from = mermaidId(msg.from);
      const to = mermaidId(msg.to);
      out.push(`    ${from}->>${to}: #${msg.exchange} ${mermaidText(`${msg.method} ${msg.template}`)}`);
      out.push(`    ${to}-->>${from}: ${mermaidText(replyLabel(msg))}`);
    }
    if (m.omitted > 0)
      out.push(`    Note over ${mermaidId(m.participants[0] ?? 'client')}: ${m.omitted} more exchanges not drawn`);
    out.push('```');
  }
  return out.join('\n');
}

export const MAX_GANTT_TASKS = 200;

function ganttMarkdown(run: RunResult, ctx: ReportContext): string {
  const clean = (t: string) => (ctx.showSecrets ? t : maskText(t));
  const commandName = new Map(run.commands.map((c) => [c.id, c.name ?? shellLine(c.argv)] as const));
  // The first MAX_GANTT_TASKS timed exchanges, and how many there are (read as they stream).
  const timed: Exchange[] = [];
  let timedCount = 0;
  for (const e of run.exchanges) {
    if (startOf(e) === null || durationOf(e) === null) continue;
    timedCount++;
    if (timed.length < MAX_GANTT_TASKS) timed.push(e);
  }
  const out = [
    '## Timeline',
    '',
    `${timedCount} timed exchanges on the log's clock${timedCount > MAX_GANTT_TASKS ? ` (the first ${MAX_GANTT_TASKS} drawn)` : ''}.`,
    '',
    '```mermaid',
    'gantt',
  ];
  out.push('    dateFormat x', '    axisFormat %H:%M:%S');
  let section: string | null = null;
  for (const e of timed) {
    const name =
      e.command === null ? 'outside any command' : `command ${e.command} ${commandName.get(e.command) ?? ''}`;
    if (name !== section) {
      out.push(`    section ${mermaidText(clean(name)).replace(/:/g, ' ')}`);
      section = name;
    }
    const start = Math.round(startOf(e)!);
    const end = Math.max(start + 1, Math.round(startOf(e)! + durationOf(e)!));
    const label = mermaidText(
      `#${e.id} ${e.method ?? '?'} ${pathTemplate(clean(e.path ?? '?')) ?? '?'} ${e.status ?? ''}`,
    ).replace(/:/g, ' ');
    const tags = e.status !== null && e.status >= 400 ? 'crit, ' : '';
    out.push(`    ${label} :${tags}x${e.id}, ${start}, ${end}`);
  }
  out.push('```');
  return out.join('\n');
}

/** Mermaid ids: letters, digits, underscore; never a keyword. */
function mermaidId(s: string): string {
  const id = s.replace(/[^A-Za-z0-9_]/g, '_');
  return `p_${id}`;
}

/** Mermaid label text: a conservative character set (`;`, `#`, `%`, quotes, brackets, HTML all dropped). */
function mermaidText(s: string): string {
  let out = '';
  // · and ↔ written as escapes: one character past ASCII makes V8 hold the whole bundle's text at two bytes a character.
  for (const ch of s) out += /[A-Za-z0-9 /{}._?=&,()+\u00b7\u2194-]/.test(ch) ? ch : ' ';
  return out.replace(/ {2,}/g, ' ').trim();
}

// ---- escaping --------------------------------------------------------------------

// What ostrace judges: the calls and the operations (flows). A service's ERROR line is judged only through them.
export const NO_PROBLEM = 'No problem found: every operation seen completed and no call failed unexpectedly.';

/** What a verdict tells: the problems, the operations that could not be followed, the accepted ones a log cannot confirm. */
export type Verdict = Pick<
  RunResult,
  'explanations' | 'notFollowed' | 'recovered' | 'unconfirmed' | 'outsideCommands' | 'unended' | 'startUnseen'
> &
  // What the logs showed at all: with none of it, "every operation seen completed" would speak of nothing.
  Partial<Pick<RunResult, 'inputs' | 'commands' | 'exchanges' | 'flows' | 'chains' | 'serviceEvents'>>;

/** The run's lists say it saw no command, call, operation or service request (unknown when not given). */
function sawNothing(v: Verdict): boolean {
  const lists = [v.commands, v.exchanges, v.flows, v.chains, v.serviceEvents];
  return v.inputs !== undefined && lists.every((l) => l !== undefined && l.length === 0);
}

export function verdictHeading(verdict: Verdict): string {
  const list = verdict.explanations ?? [];
  if (list.length > 0) return `${list.length} problem${list.length === 1 ? '' : 's'}, most important first:`;
  const n = operations(verdict.notFollowed ?? []);
  const r = (verdict.recovered ?? []).length;
  const outside = verdict.outsideCommands ?? [];
  const calls = outside.reduce((sum, o) => sum + o.calls, 0);
  const unended = (verdict.unended ?? []).length;
  const startUnseen = (verdict.startUnseen ?? []).length;
  const open = (verdict.unconfirmed ?? []).length;
  const apart = [
    n === 0 ? '' : `${n === 1 ? 'one operation' : `${n} operations`} could not be followed to the end`,
    r === 0 ? '' : `${r === 1 ? 'one command' : `${r} commands`} recovered from a failed read`,
    // "Every operation seen completed" would speak for a command the log does not show.
    calls === 0 ? '' : `${calls === 1 ? 'one call is' : `${calls} calls are`} outside any command they show`,
    // Nor for a command whose exit status the log does not have.
    unended === 0 ? '' : `how ${unended === 1 ? 'one command' : `${unended} commands`} ended is not shown`,
    // Nor as if the log showed which command one whose START is cut was.
    startUnseen === 0
      ? ''
      : `${startUnseen === 1 ? "one command's start is" : `${startUnseen} commands' starts are`} not in the log`,
    // Nor for an operation the API accepted that goes on after the answer (explain/unconfirmed.ts).
    open === 0
      ? ''
      : `whether ${open === 1 ? 'one accepted operation' : `${open} accepted operations`} completed is not shown`,
  ].filter(Boolean);
  if (apart.length > 0) return `No problem found in what these logs show; ${apart.join(', and ')} (below).`;
  if (!sawNothing(verdict)) return NO_PROBLEM;
  const lines = verdict.inputs!.reduce((sum, i) => sum + i.lines, 0);
  const unrecognized = verdict.inputs!.reduce((sum, i) => sum + i.unrecognizedLines, 0);
  return `Nothing to judge: these logs show no OpenStack command, HTTP call or step of an operation ostrace follows (${lines} line${lines === 1 ? '' : 's'}, ${unrecognized} unrecognized).`;
}

/** The stories a verdict lists apart from its problems, each list with its heading. */
export function apartSections(verdict: Verdict): Array<{ head: string; list: Rows<Explanation> }> {
  const notFollowed = verdict.notFollowed ?? [];
  const recovered = verdict.recovered ?? [];
  return [
    ...(notFollowed.length > 0 ? [{ head: notFollowedHead(notFollowed), list: notFollowed }] : []),
    ...(recovered.length > 0
      ? [
          {
            head: `Recovered, not counted as problem${recovered.length === 1 ? '' : 's'}: the client re-sent a read that had failed, it was answered, and the command exited 0.`,
            list: recovered,
          },
        ]
      : []),
  ];
}

/** How many operations explanations tell: each with those that went alike. */
function operations(list: Rows<Explanation>): number {
  let n = 0;
  for (const x of list) n += 1 + x.alike.count;
  return n;
}

/** The heading of the operations that could not be followed (explain's `notFollowed`). */
function notFollowedHead(notFollowed: Rows<Explanation>): string {
  // One that names no log not given is a command whose missing steps are ones the log leaves out (an excerpt).
  const why = [
    notFollowed.some((x) => x.missingLogs.length > 0) ? 'ones only a log that was not given would show' : null,
    notFollowed.some((x) => x.missingLogs.length === 0)
      ? 'client steps the command got past that this log leaves out'
      : null,
  ].filter((x) => x !== null);
  return `Could not be followed to the end, not counted as problem${operations(notFollowed) === 1 ? '' : 's'}: the steps still missing are ${why.join(', or ')}.`;
}

/** Accepted operations a verdict lists as not shown by the log, at most. */
const UNCONFIRMED_SHOWN = 5;

/** What the log cannot confirm (explain/unconfirmed.ts): a sentence, then one line per operation (backticks mark code). */
export function unconfirmedLines(list: Rows<Unconfirmed>): { head: string; items: string[] } | null {
  if (list.length === 0) return null;
  const n = list.length;
  const head = `Not shown by this log: whether ${n === 1 ? 'this accepted operation' : `these ${n} accepted operations`} completed (asynchronous; no service log was given and no later read of the volume):`;
  const shown: Unconfirmed[] = [];
  for (const u of list) {
    if (shown.length === UNCONFIRMED_SHOWN) break;
    shown.push(u);
  }
  const items = shown.map((u) => {
    const argv = u.command.argv.filter((a) => a !== '--debug').join(' ') || (u.command.name ?? '');
    // Calls outside any command (no place of a command): the accepting call is where to look.
    const outside = u.command.line === null;
    const place = outside ? u.call : u.command;
    const at = place.source === null ? '' : ` (${place.source}${place.line === null ? '' : `:${place.line}`})`;
    const sent = outside
      ? 'a call outside any command'
      : argv === ''
        ? 'a command whose start the log does not show'
        : `\`openstack ${argv}\``;
    const answer =
      u.call.status === null
        ? ''
        : `, answered HTTP ${u.call.status}${u.call.requestId ? ` (request id ${u.call.requestId})` : ''}`;
    return `${u.operation} of volume ${u.volume}${u.server ? ` ${u.operation === 'attach' ? 'to' : 'from'} ${u.server}` : ''}: ${sent}${at}${answer}; \`openstack volume show ${u.volume}\` would tell`;
  });
  if (n > UNCONFIRMED_SHOWN) items.push(`and ${n - UNCONFIRMED_SHOWN} more (\`unconfirmed\` in the JSON)`);
  return { head, items };
}

/** Client calls outside any command (explain/outside.ts): a sentence, then one line per stretch of them (backticks mark code). */
export function outsideLines(list: readonly OutsideCommands[]): { head: string; items: string[] } | null {
  if (list.length === 0) return null;
  const one = list.length === 1 && list[0]!.calls === 1;
  const head = `Outside any command: this log does not show the \`START with options\` of the command that sent ${one ? 'this call' : 'these calls'}, so the verdict does not speak for that command:`;
  const items = list.map((o) => {
    const where = `${o.source}:${o.line}${o.lastLine === o.line ? '' : `–${o.lastLine}`}`;
    const what = o.operations.length === 0 ? '' : ` (${o.operations.join(', ')})`;
    const end = o.end
      ? `then \`END return value: ${o.end.exitCode}\`${o.end.source === null ? '' : ` (${o.end.source}${o.end.line === null ? '' : `:${o.end.line}`})`} of a command whose start the log does not show`
      : `no \`END return value\` after ${o.calls === 1 ? 'it' : 'them'} either: how the command ended is not shown; its whole output from its command line on (osc's \`START with options\` … \`END return value\`), or its exit status, would tell`;
    // A paste of REQ/RESP lines alone names no service: no operation can be read from those calls.
    const unnamed =
      o.unattributed === 0
        ? ''
        : `; the log names the service of ${o.unattributed === o.calls ? (o.calls === 1 ? 'none' : 'none of them') : `${o.unattributed} of them not`} (no token catalog, no \`… call to <service> for …\` line), so no operation can be read from ${o.unattributed === 1 ? 'it' : 'those'}`;
    return `${o.calls === 1 ? 'one call' : `${o.calls} calls`} at ${where}${what}${unnamed}; ${end}`;
  });
  return { head, items };
}

/** Commands the log shows start but not end (explain/unended.ts): a sentence, then one line per command (backticks mark code). */
export function unendedLines(list: readonly Unended[]): { head: string; items: string[] } | null {
  if (list.length === 0) return null;
  const one = list.length === 1;
  const head = `Not shown by this log: how ${one ? 'this command' : 'these commands'} ended (no \`END return value\` line: the log stops, or another command starts first):`;
  const items = list.map((c) => {
    const argv = c.argv.filter((a) => a !== '--debug').join(' ') || (c.name ?? '');
    const what = argv === '' ? 'a command whose start the log does not show' : `\`openstack ${argv}\``;
    return `${what} (${c.source}:${c.line}${c.endLine === c.line ? '' : `–${c.endLine}`})`;
  });
  return { head, items };
}

/** Commands the log shows end but not start (explain/start-unseen.ts): a sentence, then one line per command (backticks mark code). */
export function startUnseenLines(list: readonly StartUnseen[]): { head: string; items: string[] } | null {
  if (list.length === 0) return null;
  const one = list.length === 1;
  const head = `Not shown by this log: which command ${one ? 'this was' : 'each of these was'} (${one ? 'its' : 'their'} \`START with options\` and command line are not in the log, only ${one ? 'its' : 'their'} calls from the first one shown and ${one ? 'its' : 'their'} \`END return value\`):`;
  const items = list.map((c) => {
    const what = c.operations.length === 0 ? '' : ` (${c.operations.join(', ')})`;
    return `a command whose start the log does not show (${c.source}:${c.line}–${c.endLine}): exit ${c.exitCode}, ${c.calls === 1 ? 'one call' : `${c.calls} calls`}${what}`;
  });
  return { head, items };
}

/** Explanation text: its backticked parts (commands, states) as code spans, the rest escaped. */
function explained(text: string): string {
  return text
    .split('`')
    .map((part, i) => (i % 2 === 1 ? code(part) : inline(part)))
    .join('');
}

/** The verdict (`ostrace explain`) as markdown: a heading, then per problem its title in bold and its paragraph. */
export function verdictMarkdown(verdict: Verdict, clean: (t: string) => string): string {
  const list = verdict.explanations ?? [];
  const out = ['## Verdict', '', verdictHeading(verdict)];
  list.forEach((x, i) =>
    out.push('', `${i + 1}. **${explained(clean(x.title))}**`, '', `   ${explained(clean(x.text))}`),
  );
  for (const section of apartSections(verdict)) {
    out.push('', section.head);
    for (const x of section.list)
      out.push('', `- **${explained(clean(x.title))}**`, '', `  ${explained(clean(x.text))}`);
  }
  for (const open of [
    unendedLines(verdict.unended ?? []),
    startUnseenLines(verdict.startUnseen ?? []),
    outsideLines(verdict.outsideCommands ?? []),
    unconfirmedLines(verdict.unconfirmed ?? []),
  ])
    if (open) out.push('', explained(clean(open.head)), '', ...open.items.map((t) => `- ${explained(clean(t))}`));
  return out.join('\n');
}

/**
 * Text for a markdown table cell or paragraph: markdown syntax is backslash-escaped and
 * HTML is turned into entities, so nothing in it can become a tag, a link or a new cell.
 */
export function inline(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    switch (c) {
      case '\n':
      case '\r':
      case '\t':
        out += ' ';
        break;
      // `http://…` and `www.…` would become links (GFM autolinks): log text links nowhere.
      case ':':
        out += s.startsWith('//', i + 1) ? '\\:' : ':';
        break;
      case '.':
        out += i >= 3 && s.slice(i - 3, i).toLowerCase() === 'www' ? '\\.' : '.';
        break;
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '|':
      case '~':
      case '#':
      case '!':
      case '(':
      case ')':
        out += `\\${c}`;
        break;
      default:
        // A control character (NUL, ESC) is shown as its escape: a renderer drops or mangles it.
        out += HTML_SPECIALS[c] ?? (c < ' ' || c === '\x7f' ? visibleControl(c) : c);
    }
  }
  return out;
}

/** A code span: contents are literal; only pipes (table cells) and newlines need care. */
export function code(s: string): string {
  const flat = s
    .replace(/[\r\n\t]/g, ' ')
    .replace(CONTROL, visibleControl)
    .replace(/\|/g, '\\|');
  let longest = 0;
  let run = 0;
  for (const ch of flat) {
    run = ch === '`' ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  const fence = '`'.repeat(longest + 1);
  const padded = flat.startsWith('`') || flat.endsWith('`') || flat.startsWith(' ') ? ` ${flat} ` : flat;
  return flat.length === 0 ? '' : `${fence}${padded}${fence}`;
}

export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((c) => (c === '' ? ' ' : c)).join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

/** The directory (ending in `/`) all of several inputs are in, or ''. */
function commonDirectory(names: string[]): string {
  if (names.length < 2) return '';
  let prefix = names[0]!;
  for (const n of names) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const slash = prefix.lastIndexOf('/');
  return slash > 0 ? prefix.slice(0, slash + 1) : '';
}

function countBy<T>(rows: Iterable<T>, key: (row: T) => string): string {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const v = key(row);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, n]) => `${n}× ${k}`)
    .join(', ');
}
