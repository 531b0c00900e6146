// The waterfall: one bar per timed exchange, placed at its start on the log's clock.
// One panel per command (its own time scale: commands are seconds apart, their
// requests milliseconds long), plus one for exchanges outside any command.
import { ticks } from 'd3-array';
import type { Exchange, RunResult } from '../../model/schema.js';
import { pathTemplate } from '../../stats/template.js';
import { durationOf, isError, startOf } from '../../stats/timing.js';
import { clip, colourMap, ERROR_COLOR, escapeXml, formatMs, px } from './svg.js';

export interface WaterfallPanel {
  title: string;
  bars: Array<{ exchange: Exchange; start: number; duration: number }>;
}

export function waterfallPanels(run: RunResult): WaterfallPanel[] {
  const commandOf = new Map<number, number>();
  for (const c of run.commands) for (const id of c.exchanges) commandOf.set(id, c.id);
  // A server-side exchange paired with a client one is drawn with the client's command.
  const clientByRequestId = new Map<string, Exchange>();
  for (const e of run.exchanges) if (e.side === 'client' && e.requestId) clientByRequestId.set(e.requestId, e);
  const groups = new Map<number | null, WaterfallPanel['bars']>();
  for (const e of run.exchanges) {
    const start = startOf(e);
    const duration = durationOf(e);
    if (start === null || duration === null) continue;
    let cmd = e.command ?? commandOf.get(e.id) ?? null;
    if (cmd === null && e.side === 'server' && e.requestId) cmd = clientByRequestId.get(e.requestId)?.command ?? null;
    const list = groups.get(cmd) ?? [];
    list.push({ exchange: e, start, duration });
    groups.set(cmd, list);
  }
  const panels: WaterfallPanel[] = [];
  for (const c of run.commands) {
    const bars = groups.get(c.id);
    if (bars) panels.push({ title: `command ${c.id}: ${c.name ?? c.argv.join(' ')}`, bars: sortBars(bars) });
  }
  const loose = groups.get(null);
  if (loose) panels.push({ title: run.commands.length > 0 ? 'outside any command' : 'all exchanges', bars: sortBars(loose) });
  return panels;
}

function sortBars(bars: WaterfallPanel['bars']): WaterfallPanel['bars'] {
  return bars.sort((a, b) => a.start - b.start || a.exchange.id - b.exchange.id);
}

const LABEL_W = 330;
const CHART_W = 560;
const ROW = 18;
const AXIS = 22;

export function waterfallSvg(panel: WaterfallPanel, services: string[], linkExchange: (id: number) => string | null): string {
  const t0 = Math.min(...panel.bars.map((b) => b.start));
  const t1 = Math.max(...panel.bars.map((b) => b.start + b.duration));
  const span = Math.max(t1 - t0, 1);
  const scale = (ms: number) => LABEL_W + (ms / span) * CHART_W;
  const width = LABEL_W + CHART_W + 70;
  const height = AXIS + ROW * panel.bars.length + 6;
  const colour = colourMap(services);
  const out: string[] = [];
  out.push(`<svg class="waterfall" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="waterfall">`);
  for (const t of ticks(0, span, 6)) {
    const tx = scale(t);
    out.push(`<line x1="${px(tx)}" y1="${AXIS - 4}" x2="${px(tx)}" y2="${height}" stroke="#eceff1"/>`);
    out.push(`<text x="${px(tx)}" y="${AXIS - 8}" text-anchor="middle" class="tick">${escapeXml(tickLabel(t, span))}</text>`);
  }
  panel.bars.forEach((b, i) => {
    const e = b.exchange;
    const y = AXIS + ROW * i;
    const label = `#${e.id} ${e.method ?? '?'} ${pathTemplate(e.path) ?? '?'}`;
    const href = linkExchange(e.id);
    const text = `<text x="4" y="${px(y + 13)}" class="label">${escapeXml(clip(label, 52))}</text>`;
    out.push(href ? `<a href="${escapeXml(href)}">${text}</a>` : text);
    const x = scale(b.start - t0);
    const w = Math.max(2, (b.duration / span) * CHART_W);
    const fill = colour(e.service ?? 'unknown');
    const stroke = isError(e) ? ` stroke="${ERROR_COLOR}" stroke-width="2"` : '';
    const tip = `#${e.id} ${e.side} ${e.service ?? '?'} ${e.method ?? '?'} ${e.path ?? '?'} → ${e.status ?? 'no response'} in ${formatMs(b.duration)}`;
    out.push(`<rect class="bar" data-exchange="${e.id}" x="${px(x)}" y="${px(y + 3)}" width="${px(w)}" height="${ROW - 6}" rx="2" fill="${fill}"${stroke}${e.side === 'server' ? ' fill-opacity="0.55"' : ''}><title>${escapeXml(tip)}</title></rect>`);
    out.push(`<text x="${px(x + w + 4)}" y="${px(y + 13)}" class="dur">${escapeXml(formatMs(b.duration))}</text>`);
  });
  out.push('</svg>');
  return out.join('');
}

/** Axis labels in one unit per panel: seconds when the panel spans more than 2 s. */
function tickLabel(t: number, span: number): string {
  if (t === 0) return '0';
  return span > 2000 ? `${Math.round(t / 100) / 10} s` : `${Math.round(t)} ms`;
}
