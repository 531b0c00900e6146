// The waterfall: one bar per timed exchange, placed at its start on the log's clock,
// and a diamond per service step marker ("Attaching volume … to /dev/sdb") at its time.
// One panel per command (its own time scale: commands are seconds apart, their
// requests milliseconds long), plus one for exchanges outside any command. A server-side
// exchange is drawn with the command of its chain (or of its client twin).
import { max, min, ticks } from 'd3-array';
import { formatTimestamp } from '../../core/time.js';
import type { Exchange, RunResult } from '../../model/schema.js';
import { familiesOf, familyLookup } from '../../stats/family.js';
import { pathTemplate } from '../../stats/template.js';
import { durationOf, isError, startOf } from '../../stats/timing.js';
import {
  firstThatMatter,
  MAX_WATERFALL_BARS,
  MAX_WATERFALL_MARKS,
  MAX_WATERFALL_PANELS,
  RowPicker,
} from '../bounded.js';
import { eventText, isWarningOrError, placeEvents, type PlacedEvent } from './events.js';
import { clip, ERROR_COLOR, escapeXml, formatMs, px } from './svg.js';
import { shellLine } from '../../core/shell-words.js';

/** expected: a 4xx the replayed flow expects (a name lookup), drawn as a normal bar. */
export interface WaterfallBar {
  kind: 'bar';
  exchange: Exchange;
  start: number;
  duration: number;
  family: string;
  expected: boolean;
}
export interface WaterfallMark {
  kind: 'event';
  placed: PlacedEvent;
  start: number;
  family: string;
}

export interface WaterfallPanel {
  /** Log-derived (command names): escape where it is printed. */
  title: string;
  command: number | null;
  rows: Array<WaterfallBar | WaterfallMark>;
  /** Bars and marks of this panel not drawn (a long run): errors and the slowest are drawn first. */
  barsNotDrawn: number;
  marksNotDrawn: number;
}

export interface Waterfall {
  panels: WaterfallPanel[];
  /** Commands with no panel of their own (a long run): the failed and the busiest have one. */
  commandsNotDrawn: number;
}

/**
 * The panels of a run, up to MAX_WATERFALL_PANELS commands and MAX_WATERFALL_BARS bars (and
 * MAX_WATERFALL_MARKS service events) in each: the exchanges (which may live on disk) are
 * read twice, and only the bars drawn are held.
 */
export function waterfallOf(run: RunResult): Waterfall {
  const familyOf = familyLookup(familiesOf(run));
  // The commands that may have a panel: all of a short run, the failed and the busiest of a long one.
  const drawn = firstThatMatter(
    run.commands,
    MAX_WATERFALL_PANELS,
    (c) => c.exitCode !== 0,
    (c) => c.exchanges.length,
  );
  const commandOf = new Map<number, number>();
  for (const c of run.commands) for (const id of c.exchanges) commandOf.set(id, c.id);
  const roots = new Set<number>();
  for (const chain of run.chains) if (typeof chain.root === 'number') roots.add(chain.root);
  // 4xx answers a flow expects (404 of a lookup by name), and their server-side twins.
  const expected = new Set<number>();
  for (const f of run.flows)
    for (const st of f.steps) if (st.status === 'matched' && st.exchange !== null) expected.add(st.exchange);
  // First pass, ids only: a server-side exchange paired with a client one is drawn with the
  // client's command, one deeper in a chain (placement called by nova) with its chain's command.
  const clientCommandByRequestId = new Map<string, number>();
  const rootCommand = new Map<number, number | null>();
  const expectedRequestIds = new Set<string>();
  for (const e of run.exchanges) {
    if (e.side === 'client' && e.requestId) {
      if (e.command === null) clientCommandByRequestId.delete(e.requestId);
      else clientCommandByRequestId.set(e.requestId, e.command);
    }
    if (roots.has(e.id)) rootCommand.set(e.id, e.command);
    if (expected.has(e.id) && e.requestId) expectedRequestIds.add(e.requestId);
  }
  const chainCommand = new Map<number, number>();
  for (const chain of run.chains) {
    const command = typeof chain.root === 'number' ? (rootCommand.get(chain.root) ?? null) : null;
    if (command === null) continue;
    for (const l of chain.links)
      for (const n of [l.from, l.to])
        if (n[0] === 'x' && !chainCommand.has(Number(n.slice(1)))) chainCommand.set(Number(n.slice(1)), command);
  }
  const isExpected = (e: Exchange) =>
    expected.has(e.id) || (e.side === 'server' && e.requestId !== null && expectedRequestIds.has(e.requestId));
  const bars = new Map<number | null, RowPicker<WaterfallBar>>();
  const marks = new Map<number | null, RowPicker<WaterfallMark>>();
  for (const c of drawn.rows) {
    bars.set(c.id, barPicker());
    marks.set(c.id, markPicker());
  }
  bars.set(null, barPicker());
  marks.set(null, markPicker());
  const commandsWithRows = new Set<number>();
  // Second pass: the bars, each to its command's panel (none for a command not drawn).
  for (const e of run.exchanges) {
    const start = startOf(e);
    const duration = durationOf(e);
    if (start === null || duration === null) continue;
    let cmd = e.command ?? commandOf.get(e.id) ?? null;
    if (cmd === null && e.side === 'server' && e.requestId) cmd = clientCommandByRequestId.get(e.requestId) ?? null;
    cmd ??= chainCommand.get(e.id) ?? null;
    const picker = bars.get(cmd);
    if (!picker) {
      if (cmd !== null && drawn.hidden > 0) commandsWithRows.add(cmd);
      continue;
    }
    picker.push({
      kind: 'bar',
      exchange: e,
      start,
      duration,
      family: familyOf(e.side, e.service),
      expected: isExpected(e),
    });
  }
  for (const p of placeEvents(run)) {
    if (p.ms === null) continue;
    const row: WaterfallMark = { kind: 'event', placed: p, start: p.ms, family: familyOf('server', p.event.service) };
    // (a command not drawn: nor are its markers)
    marks.get(p.command)?.push(row);
  }
  const panels: WaterfallPanel[] = [];
  const looseMarks = marks.get(null)!.listed();
  for (const c of drawn.rows) {
    const barList = bars.get(c.id)!.listed();
    const markList = marks.get(c.id)!.listed();
    if (barList.rows.length > 0)
      panels.push({
        title: `command ${c.id}: ${c.name ?? shellLine(c.argv)}`,
        command: c.id,
        rows: sortRows([...barList.rows, ...markList.rows]),
        barsNotDrawn: barList.hidden,
        marksNotDrawn: markList.hidden,
      });
    else {
      looseMarks.rows.push(...markList.rows);
      looseMarks.hidden += markList.hidden;
    }
  }
  const looseBars = bars.get(null)!.listed();
  if (looseBars.rows.length > 0 || looseMarks.rows.length > 0)
    panels.push({
      title: run.commands.length > 0 ? 'outside any command' : 'all exchanges',
      command: null,
      rows: sortRows([...looseBars.rows, ...looseMarks.rows]),
      barsNotDrawn: looseBars.hidden,
      marksNotDrawn: looseMarks.hidden,
    });
  return { panels, commandsNotDrawn: commandsWithRows.size };
}

function barPicker(): RowPicker<WaterfallBar> {
  return new RowPicker<WaterfallBar>(
    MAX_WATERFALL_BARS,
    (r) => isError(r.exchange) && !r.expected,
    (r) => r.duration,
  );
}

/** Warnings and errors the services logged first, then the earliest. */
function markPicker(): RowPicker<WaterfallMark> {
  return new RowPicker<WaterfallMark>(MAX_WATERFALL_MARKS, (r) => isWarningOrError(r.placed.event));
}

function sortRows(rows: WaterfallPanel['rows']): WaterfallPanel['rows'] {
  const id = (r: WaterfallBar | WaterfallMark) => (r.kind === 'bar' ? r.exchange.id : 1e9 + r.placed.index);
  return rows.sort((a, b) => a.start - b.start || id(a) - id(b));
}

const LABEL_W = 390;
const CHART_W = 600;
const ROW = 18;
const AXIS = 26;

export interface WaterfallLinks {
  exchange(id: number): string | null;
  event(index: number): string | null;
}

export function waterfallSvg(panel: WaterfallPanel, colour: (family: string) => string, links: WaterfallLinks): string {
  const t0 = min(panel.rows, (r) => r.start) ?? 0;
  const t1 = max(panel.rows, (r) => (r.kind === 'bar' ? r.start + r.duration : r.start)) ?? t0;
  const span = Math.max(t1 - t0, 1);
  const scale = (ms: number) => LABEL_W + (ms / span) * CHART_W;
  const width = LABEL_W + CHART_W + 96;
  const height = AXIS + ROW * panel.rows.length + 6;
  const out: string[] = [];
  out.push(
    `<svg class="waterfall" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="waterfall">`,
  );
  // The panel's start on the log's clock, then offsets from it.
  out.push(
    `<text x="${LABEL_W - 8}" y="${AXIS - 10}" text-anchor="end" class="tick clock">${escapeXml(formatTimestamp(t0).slice(11))}</text>`,
  );
  for (const t of ticks(0, span, 6)) {
    const tx = scale(t);
    out.push(`<line x1="${px(tx)}" y1="${AXIS - 6}" x2="${px(tx)}" y2="${height}" stroke="#e3e8ee"/>`);
    out.push(
      `<text x="${px(tx)}" y="${AXIS - 10}" text-anchor="middle" class="tick">${escapeXml(tickLabel(t, span))}</text>`,
    );
  }
  out.push(`<line x1="${LABEL_W}" y1="${AXIS - 2}" x2="${LABEL_W + CHART_W}" y2="${AXIS - 2}" stroke="#90a4ae"/>`);
  panel.rows.forEach((r, i) => {
    const y = AXIS + ROW * i;
    if (i % 2 === 1) out.push(`<rect x="0" y="${y}" width="${width}" height="${ROW}" fill="#f7f9fb"/>`);
    const x = scale(r.start - t0);
    if (r.kind === 'event') {
      const ev = r.placed.event;
      const text = eventText(ev);
      const label = `◆ ${ev.service}: ${text}`;
      const tip = `${ev.service} ${ev.timestamp ?? ''} ${ev.marker}: ${text} (${ev.source}:${ev.line})`;
      const labelSvg = `<text x="4" y="${px(y + 13)}" class="label event">${escapeXml(clip(label, 60))}<title>${escapeXml(tip)}</title></text>`;
      const href = links.event(r.placed.index);
      out.push(href ? `<a href="${escapeXml(href)}">${labelSvg}</a>` : labelSvg);
      out.push(
        `<path class="event" data-event="${r.placed.index}" d="M${px(x)},${px(y + 3)} l6,6 l-6,6 l-6,-6 z" fill="#8e24aa"><title>${escapeXml(tip)}</title></path>`,
      );
      return;
    }
    const e = r.exchange;
    const who = e.side === 'client' ? 'client' : (e.service ?? 'server');
    const label = `#${e.id} ${who} ${e.method ?? '?'} ${pathTemplate(e.path) ?? '?'}`;
    const tip = `#${e.id} ${e.side} ${e.service ?? '?'} ${e.method ?? '?'} ${pathTemplate(e.path) ?? '?'} → ${e.status ?? 'no response'} in ${formatMs(r.duration)}${e.startedAt ? ` at ${e.startedAt.slice(11)}` : ''}`;
    const href = links.exchange(e.id);
    const text = `<text x="4" y="${px(y + 13)}" class="label">${escapeXml(clip(label, 60))}<title>${escapeXml(tip)}</title></text>`;
    out.push(href ? `<a href="${escapeXml(href)}">${text}</a>` : text);
    const w = Math.max(2, (r.duration / span) * CHART_W);
    const bad = isError(e) && !r.expected;
    const fill = bad ? ERROR_COLOR : colour(r.family);
    // Server-side bars lighter: the same service's client bar above it is the full colour.
    const opacity = e.side === 'server' ? ' fill-opacity="0.6"' : '';
    out.push(
      `<rect class="bar${bad ? ' err' : ''}" data-exchange="${e.id}" x="${px(x)}" y="${px(y + 3)}" width="${px(w)}" height="${ROW - 6}" rx="2" fill="${fill}"${opacity}><title>${escapeXml(tip)}</title></rect>`,
    );
    const status = e.status === null ? 'no response' : String(e.status);
    const note = bad
      ? ` · ${status}`
      : r.expected && e.status !== null && e.status >= 400
        ? ` · ${status} expected`
        : '';
    out.push(
      `<text x="${px(x + w + 4)}" y="${px(y + 13)}" class="dur${bad ? ' err' : ''}">${escapeXml(`${formatMs(r.duration)}${note}`)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('');
}

/** Axis labels in one unit per panel: seconds when the panel spans more than 2 s. */
function tickLabel(t: number, span: number): string {
  if (t === 0) return '+0';
  return span > 2000 ? `+${Math.round(t / 100) / 10} s` : `+${Math.round(t)} ms`;
}
