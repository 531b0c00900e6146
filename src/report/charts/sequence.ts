// Who called whom, in order: one sequence per request chain (client → keystone, nova,
// cinder … and service → service), or, when no chain was built, one per command.
// The markdown report prints the model as a mermaid `sequenceDiagram`, the HTML
// report draws it as SVG (mermaid cannot run in a page without scripts).
import type { Chain } from '../../model/chain-schema.js';
import type { Exchange, RunResult } from '../../model/schema.js';
import { pathTemplate } from '../../stats/template.js';
import { durationOf, isError } from '../../stats/timing.js';
import { clip, ERROR_COLOR, escapeXml, formatMs, px } from './svg.js';

export const CLIENT = 'client';

export interface SequenceMessage {
  exchange: number;
  from: string;
  to: string;
  method: string;
  template: string;
  status: number | null;
  error: boolean;
  durationMs: number | null;
  /** Time the server logged for the same request, when its log was given too. */
  serverMs: number | null;
}

export interface SequenceModel {
  /** `chain-3`, `command-2`, `loose`. */
  id: string;
  /** Log-derived (command names): escape where it is printed. */
  title: string;
  participants: string[];
  messages: SequenceMessage[];
  /** Messages left out to keep the diagram readable. */
  omitted: number;
}

export const MAX_MESSAGES = 60;
export const MAX_SEQUENCES = 40;

export function sequencesOf(run: RunResult): SequenceModel[] {
  const byId = new Map(run.exchanges.map((e) => [e.id, e] as const));
  const models = run.chains.length > 0 ? chainedSequences(run, byId) : commandSequences(run, byId);
  return models.filter((m) => m.messages.length > 0 || m.omitted > 0).slice(0, MAX_SEQUENCES);
}

function commandSequences(run: RunResult, byId: Map<number, Exchange>): SequenceModel[] {
  const out: SequenceModel[] = [];
  for (const c of run.commands) {
    const list = c.exchanges.map((id) => byId.get(id)).filter((e): e is Exchange => e !== undefined);
    out.push(build(`command-${c.id}`, `command ${c.id}: ${c.name ?? c.argv.join(' ')}`, list.map((e) => [e, CLIENT])));
  }
  const loose = run.exchanges.filter((e) => e.command === null);
  if (loose.length > 0) {
    out.push(build('loose', 'exchanges outside any command', loose.map((e) => [e, e.side === 'client' ? CLIENT : 'caller'])));
  }
  return out;
}

/**
 * With chains: one diagram per command holding its chains' hops (client → nova → cinder …),
 * plus one per chain that starts outside any command.
 */
function chainedSequences(run: RunResult, byId: Map<number, Exchange>): SequenceModel[] {
  // Blocks keyed by the client exchange that starts them: log order, which holds even
  // when the client log has no timestamps; a chain's own calls follow its root.
  const perCommand = new Map<number, Array<{ key: number; calls: Call[] }>>();
  const chained = new Set<number>();
  const loose: SequenceModel[] = [];
  for (const chain of run.chains) {
    const calls = chainCalls(chain, byId);
    for (const c of calls) chained.add(c.exchange.id);
    const root = typeof chain.root === 'number' ? byId.get(chain.root) : undefined;
    const command = root?.command ?? calls.find((c) => c.exchange.command !== null)?.exchange.command ?? null;
    if (command === null) loose.push(fromCalls(`chain-${chain.id}`, `chain ${chain.id}`, calls));
    else perCommand.set(command, [...(perCommand.get(command) ?? []), { key: root?.id ?? Math.min(...calls.map((c) => c.exchange.id)), calls }]);
  }
  const out: SequenceModel[] = [];
  for (const c of run.commands) {
    const blocks = perCommand.get(c.id) ?? [];
    for (const id of c.exchanges) {
      const e = byId.get(id);
      if (e && !chained.has(id)) blocks.push({ key: id, calls: [{ exchange: e, from: CLIENT, serverMs: null }] });
    }
    blocks.sort((a, b) => a.key - b.key);
    out.push(fromCalls(`command-${c.id}`, `command ${c.id}: ${c.name ?? c.argv.join(' ')}`, blocks.flatMap((b) => b.calls)));
  }
  return [...out, ...loose];
}

interface Call { exchange: Exchange; from: string; serverMs: number | null }

function fromCalls(id: string, title: string, calls: Call[]): SequenceModel {
  const model = build(id, title, calls.map((c) => [c.exchange, c.from]));
  const serverMs = new Map(calls.map((c) => [c.exchange.id, c.serverMs] as const));
  for (const m of model.messages) if (m.serverMs === null) m.serverMs = serverMs.get(m.exchange) ?? null;
  return model;
}

function chainCalls(chain: Chain, byId: Map<number, Exchange>): Call[] {
  const parentOf = new Map<string, string>();
  const nodes = new Set<string>();
  if (typeof chain.root === 'number') nodes.add(`x${chain.root}`);
  for (const l of chain.links) {
    nodes.add(l.from);
    nodes.add(l.to);
    if (!parentOf.has(l.to) && l.from !== l.to) parentOf.set(l.to, l.from);
  }
  const exchangeOf = (node: string): Exchange | undefined => (node[0] === 'x' ? byId.get(Number(node.slice(1))) : undefined);
  /** The nearest exchange above a node, through log-line nodes. */
  const parentExchange = (node: string): Exchange | undefined => {
    const seen = new Set<string>([node]);
    let n = parentOf.get(node);
    while (n !== undefined && !seen.has(n)) {
      seen.add(n);
      const e = exchangeOf(n);
      if (e) return e;
      n = parentOf.get(n);
    }
    return undefined;
  };
  const members = [...nodes].map((n) => [n, exchangeOf(n)] as const).filter((p): p is readonly [string, Exchange] => p[1] !== undefined);
  members.sort((a, b) => cmpStart(a[1], b[1]));
  const twinServerMs = new Map<number, number>();
  const calls: Array<[Exchange, string]> = [];
  for (const [node, e] of members) {
    if (e.side === 'client') { calls.push([e, CLIENT]); continue; }
    const parent = parentExchange(node);
    // The server's view of a request the client made: one arrow, with the server's time on it.
    if (parent && parent.side === 'client' && parent.requestId !== null && parent.requestId === e.requestId) {
      const ms = e.serverTimeMs ?? durationOf(e);
      if (ms !== null) twinServerMs.set(parent.id, ms);
      continue;
    }
    calls.push([e, parent?.service ?? CLIENT]);
  }
  return calls.map(([e, from]) => ({ exchange: e, from, serverMs: twinServerMs.get(e.id) ?? null }));
}

function build(id: string, title: string, calls: Array<[Exchange, string]>): SequenceModel {
  const kept = calls.slice(0, MAX_MESSAGES);
  const participants: string[] = [];
  const add = (p: string) => { if (!participants.includes(p)) participants.push(p); };
  if (kept.some(([, from]) => from === CLIENT)) add(CLIENT);
  const messages = kept.map(([e, from]) => {
    const to = e.service ?? 'unknown';
    add(from);
    add(to);
    return {
      exchange: e.id, from, to, method: e.method ?? '?', template: pathTemplate(e.path) ?? '?', status: e.status,
      error: isError(e), durationMs: durationOf(e), serverMs: e.side === 'client' ? e.serverTimeMs : null,
    };
  });
  return { id, title, participants, messages, omitted: calls.length - kept.length };
}

function cmpStart(a: Exchange, b: Exchange): number {
  const sa = a.startedAt ?? '';
  const sb = b.startedAt ?? '';
  return sa < sb ? -1 : sa > sb ? 1 : a.id - b.id;
}

/** The reply's label: status and time. */
export function replyLabel(m: SequenceMessage): string {
  const parts = [m.status === null ? 'no response' : String(m.status)];
  if (m.durationMs !== null) parts.push(formatMs(m.durationMs));
  if (m.serverMs !== null) parts.push(`server ${formatMs(m.serverMs)}`);
  return parts.join(' · ');
}

// ---- SVG -------------------------------------------------------------------------

const COL = 170;
const HEAD = 34;
const ROW = 40;

export function sequenceSvg(model: SequenceModel, colour: (service: string) => string, linkExchange: (id: number) => string | null): string {
  const width = Math.max(COL * model.participants.length, 360);
  const height = HEAD + 16 + ROW * model.messages.length + 14;
  const x = (p: string) => COL * model.participants.indexOf(p) + COL / 2;
  const out: string[] = [];
  out.push(`<svg class="sequence" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="sequence diagram">`);
  out.push('<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#455a64"/></marker></defs>');
  for (const p of model.participants) {
    const cx = x(p);
    out.push(`<line x1="${px(cx)}" y1="${HEAD}" x2="${px(cx)}" y2="${height - 4}" stroke="#b0bec5" stroke-dasharray="3 3"/>`);
    const fill = p === CLIENT ? '#37474f' : colour(p);
    out.push(`<rect x="${px(cx - COL / 2 + 8)}" y="4" width="${COL - 16}" height="${HEAD - 8}" rx="5" fill="${fill}"/>`);
    out.push(`<text x="${px(cx)}" y="${HEAD / 2 + 4}" text-anchor="middle" class="pname">${escapeXml(clip(p, 20))}</text>`);
  }
  model.messages.forEach((m, i) => {
    const y = HEAD + 22 + ROW * i;
    const x1 = x(m.from);
    const x2 = x(m.to);
    const stroke = m.error ? ERROR_COLOR : '#455a64';
    const label = `#${m.exchange} ${m.method} ${m.template}`;
    const labelX = Math.min(x1, x2) + 6;
    const href = linkExchange(m.exchange);
    const text = `<text x="${px(labelX)}" y="${px(y - 4)}" class="msg">${escapeXml(clip(label, Math.max(24, Math.floor(Math.abs(x2 - x1) / 6.2))))}</text>`;
    out.push(href ? `<a href="${escapeXml(href)}">${text}</a>` : text);
    out.push(`<line x1="${px(x1)}" y1="${px(y)}" x2="${px(x2)}" y2="${px(y)}" stroke="${stroke}" stroke-width="1.4" marker-end="url(#arrow)"/>`);
    out.push(`<line x1="${px(x2)}" y1="${px(y + 16)}" x2="${px(x1)}" y2="${px(y + 16)}" stroke="${stroke}" stroke-dasharray="4 3" marker-end="url(#arrow)"/>`);
    out.push(`<text x="${px(labelX)}" y="${px(y + 11)}" class="reply"${m.error ? ` fill="${ERROR_COLOR}"` : ''}>${escapeXml(replyLabel(m))}</text>`);
  });
  out.push('</svg>');
  return out.join('');
}
