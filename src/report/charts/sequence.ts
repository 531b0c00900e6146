// Who called whom, in order: one sequence per request chain (client → keystone, nova,
// cinder … and service → service), or, when no chain was built, one per command.
// The markdown report prints the model as a mermaid `sequenceDiagram`, the HTML
// report draws it as SVG (mermaid cannot run in a page without scripts).
import type { Chain } from '../../model/chain-schema.js';
import { exchangeIdOfNode } from '../../model/node-id.js';
import type { Exchange, RunResult } from '../../model/schema.js';
import { pathTemplate } from '../../stats/template.js';
import { familiesOf, familyLookup } from '../../stats/family.js';
import { durationOf, isError, startOf } from '../../stats/timing.js';
import { eventText, placeEvents, type PlacedEvent } from './events.js';
import { clip, ERROR_COLOR, escapeXml, formatMs, px } from './svg.js';
import { shellLine } from '../../core/shell-words.js';

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

/** A service step marker drawn on the lifeline of the service that logged it. */
export interface SequenceNote {
  /** Number of messages drawn before it. */
  at: number;
  participant: string;
  /** Log-derived: escape where it is printed. */
  text: string;
  marker: string;
  /** 1-based index in run.serviceEvents (`#ev<event>` in the HTML report). */
  event: number;
  source: string;
  line: number;
}

export interface SequenceModel {
  /** `chain-3`, `command-2`, `loose`. */
  id: string;
  /** Log-derived (command names): escape where it is printed. */
  title: string;
  /** Service families (`compute ↔ nova-api`), so one service is one lifeline whichever side named it. */
  participants: string[];
  messages: SequenceMessage[];
  notes: SequenceNote[];
  /** Messages left out to keep the diagram readable. */
  omitted: number;
}

export const MAX_MESSAGES = 60;
export const MAX_SEQUENCES = 40;

type FamilyOf = (side: 'client' | 'server', service: string | null) => string;

interface Context {
  byId: Map<number, Exchange>;
  familyOf: FamilyOf;
  /** Input name → its service label (nova-compute…): who made a call logged on its lines. */
  labelOf: Map<string, string>;
  eventsByChain: Map<number, PlacedEvent[]>;
  eventsByCommand: Map<number, PlacedEvent[]>;
}

/** Runs up to this many exchanges draw from all of them; a longer run picks its diagrams first. */
const SMALL_RUN = 500;

/**
 * The diagrams a long run draws (MAX_SEQUENCES of them), chosen from ids alone so that
 * only their exchanges are read back from the run's list (which may live on disk).
 */
interface Chosen {
  commands: Set<number>;
  chains: Set<number>;
  /** The exchanges the chosen diagrams draw. */
  ids: Set<number>;
  /** Without chains: whether the diagram of the exchanges outside any command is wanted. */
  loose: boolean;
}

export function sequencesOf(run: RunResult): SequenceModel[] {
  const placed = placeEvents(run);
  const chosen = run.exchanges.length <= SMALL_RUN ? null : choose(run);
  // Without chains, the exchanges outside any command: the first a diagram draws, and how many.
  const looseIds: number[] = [];
  let looseCount = 0;
  const byId = new Map<number, Exchange>();
  for (const e of run.exchanges) {
    if (chosen === null || chosen.ids.has(e.id)) byId.set(e.id, e);
    else if (chosen.loose && e.command === null && looseIds.length < MAX_MESSAGES) byId.set(e.id, e);
    if (chosen?.loose && e.command === null) {
      looseCount++;
      if (looseIds.length < MAX_MESSAGES) looseIds.push(e.id);
    }
  }
  const ctx: Context = {
    byId,
    familyOf: familyLookup(familiesOf(run)),
    labelOf: new Map(run.inputs.filter((i) => i.service).map((i) => [i.name, i.service!] as const)),
    eventsByChain: groupEvents(placed, (p) => p.chain),
    eventsByCommand: groupEvents(placed, (p) => p.command),
  };
  const models =
    run.chains.length > 0
      ? chainedSequences(run, ctx, chosen)
      : commandSequences(run, ctx, chosen === null ? null : { ...chosen, looseIds, looseCount });
  return models.filter((m) => m.messages.length > 0 || m.omitted > 0).slice(0, MAX_SEQUENCES);
}

/**
 * A long run's diagrams, in the order they would be drawn: the commands with exchanges
 * (each with its chains), then the chains outside any command, MAX_SEQUENCES in all.
 * A chain goes with the command of its root, else of its first exchange that has one.
 */
function choose(run: RunResult): Chosen {
  const chosen: Chosen = { commands: new Set(), chains: new Set(), ids: new Set(), loose: false };
  const members = (chain: Chain): number[] => {
    const ids = new Set<number>();
    if (typeof chain.root === 'number') ids.add(chain.root);
    for (const l of chain.links)
      for (const n of [l.from, l.to]) {
        const id = exchangeIdOfNode(n);
        if (id !== null) ids.add(id);
      }
    return [...ids];
  };
  const chainsOf = new Map<number | null, Chain[]>();
  if (run.chains.length > 0) {
    const chained = new Set<number>();
    for (const chain of run.chains) for (const id of members(chain)) chained.add(id);
    // ids and commands only
    const commandOf = new Map<number, number | null>();
    for (const e of run.exchanges) if (chained.has(e.id)) commandOf.set(e.id, e.command);
    for (const chain of run.chains) {
      const ids = members(chain).filter((id) => commandOf.has(id));
      if (ids.length === 0) continue;
      const root = typeof chain.root === 'number' ? commandOf.get(chain.root) : undefined;
      const command = root ?? ids.map((id) => commandOf.get(id) ?? null).find((c) => c !== null) ?? null;
      const list = chainsOf.get(command);
      if (list) list.push(chain);
      else chainsOf.set(command, [chain]);
    }
  }
  let drawn = 0;
  for (const c of run.commands) {
    if (drawn >= MAX_SEQUENCES) break;
    const chains = chainsOf.get(c.id) ?? [];
    if (c.exchanges.length === 0 && chains.length === 0) continue;
    drawn++;
    chosen.commands.add(c.id);
    for (const id of c.exchanges) chosen.ids.add(id);
    for (const chain of chains) {
      chosen.chains.add(chain.id);
      for (const id of members(chain)) chosen.ids.add(id);
    }
  }
  if (run.chains.length === 0) chosen.loose = drawn < MAX_SEQUENCES;
  for (const chain of chainsOf.get(null) ?? []) {
    if (drawn >= MAX_SEQUENCES) break;
    drawn++;
    chosen.chains.add(chain.id);
    for (const id of members(chain)) chosen.ids.add(id);
  }
  return chosen;
}

function groupEvents(placed: PlacedEvent[], key: (p: PlacedEvent) => number | null): Map<number, PlacedEvent[]> {
  const out = new Map<number, PlacedEvent[]>();
  for (const p of placed) {
    const k = key(p);
    if (k === null) continue;
    const list = out.get(k);
    if (list) list.push(p);
    else out.set(k, [p]);
  }
  return out;
}

function commandSequences(
  run: RunResult,
  ctx: Context,
  chosen: (Chosen & { looseIds: number[]; looseCount: number }) | null,
): SequenceModel[] {
  const out: SequenceModel[] = [];
  for (const c of run.commands) {
    if (chosen !== null && !chosen.commands.has(c.id)) continue;
    const list = c.exchanges.map((id) => ctx.byId.get(id)).filter((e): e is Exchange => e !== undefined);
    const calls: Call[] = list.map((e) => ({ exchange: e, from: CLIENT, serverMs: null }));
    out.push(
      build(
        `command-${c.id}`,
        `command ${c.id}: ${c.name ?? shellLine(c.argv)}`,
        withEvents(calls, ctx.eventsByCommand.get(c.id) ?? [], ctx),
        ctx,
      ),
    );
  }
  // (a long run: its first MAX_MESSAGES, the rest counted)
  const loose =
    chosen === null
      ? run.exchanges.filter((e) => e.command === null)
      : chosen.looseIds.map((id) => ctx.byId.get(id)).filter((e): e is Exchange => e !== undefined);
  if (loose.length > 0) {
    const model = build(
      'loose',
      'exchanges outside any command',
      loose.map((e) => ({ exchange: e, from: e.side === 'client' ? CLIENT : 'caller', serverMs: null })),
      ctx,
    );
    if (chosen !== null) model.omitted += chosen.looseCount - loose.length;
    out.push(model);
  }
  return out;
}

/**
 * With chains: one diagram per command holding its chains' hops (client → nova → cinder …),
 * plus one per chain that starts outside any command.
 */
function chainedSequences(run: RunResult, ctx: Context, chosen: Chosen | null): SequenceModel[] {
  // Blocks keyed by the client exchange that starts them: log order, which holds even
  // when the client log has no timestamps; a chain's own calls follow its root.
  const perCommand = new Map<number, Array<{ key: number; calls: Item[] }>>();
  const chained = new Set<number>();
  const loose: SequenceModel[] = [];
  for (const chain of run.chains) {
    if (chosen !== null && !chosen.chains.has(chain.id)) continue;
    const calls = chainCalls(chain, ctx);
    for (const c of calls) chained.add(c.exchange.id);
    const items = withEvents(calls, ctx.eventsByChain.get(chain.id) ?? [], ctx);
    const root = typeof chain.root === 'number' ? ctx.byId.get(chain.root) : undefined;
    const command = root?.command ?? calls.find((c) => c.exchange.command !== null)?.exchange.command ?? null;
    if (command === null) loose.push(build(`chain-${chain.id}`, `chain ${chain.id}`, items, ctx));
    else {
      const block = { key: root?.id ?? Math.min(...calls.map((c) => c.exchange.id)), calls: items };
      const blocks = perCommand.get(command);
      if (blocks) blocks.push(block);
      else perCommand.set(command, [block]);
    }
  }
  const out: SequenceModel[] = [];
  for (const c of run.commands) {
    if (chosen !== null && !chosen.commands.has(c.id)) continue;
    const blocks = perCommand.get(c.id) ?? [];
    for (const id of c.exchanges) {
      const e = ctx.byId.get(id);
      if (e && !chained.has(id)) blocks.push({ key: id, calls: [{ exchange: e, from: CLIENT, serverMs: null }] });
    }
    blocks.sort((a, b) => a.key - b.key);
    out.push(
      build(
        `command-${c.id}`,
        `command ${c.id}: ${c.name ?? shellLine(c.argv)}`,
        blocks.flatMap((b) => b.calls),
        ctx,
      ),
    );
  }
  return [...out, ...loose];
}

interface Call {
  exchange: Exchange;
  from: string;
  serverMs: number | null;
}
type Item = Call | PlacedEvent;
const isCall = (i: Item): i is Call => 'from' in i;

/**
 * Markers placed among the calls by time: before the first call that started after them.
 * Calls without a start (a client log without timestamps) keep their place and do not
 * decide where a marker goes.
 */
function withEvents(calls: Call[], events: PlacedEvent[], _ctx: Context): Item[] {
  if (events.length === 0) return calls;
  const pending = [...events].sort((a, b) => (a.ms ?? Infinity) - (b.ms ?? Infinity) || a.index - b.index);
  const out: Item[] = [];
  for (const c of calls) {
    const start = startOf(c.exchange);
    while (start !== null && pending.length > 0 && pending[0]!.ms !== null && pending[0]!.ms < start)
      out.push(pending.shift()!);
    out.push(c);
  }
  out.push(...pending);
  return out;
}

function chainCalls(chain: Chain, ctx: Context): Call[] {
  const parentOf = new Map<string, string>();
  const nodes = new Set<string>();
  if (typeof chain.root === 'number') nodes.add(`x${chain.root}`);
  for (const l of chain.links) {
    nodes.add(l.from);
    nodes.add(l.to);
    if (!parentOf.has(l.to) && l.from !== l.to) parentOf.set(l.to, l.from);
  }
  const exchangeOf = (node: string): Exchange | undefined => {
    const id = exchangeIdOfNode(node);
    return id === null ? undefined : ctx.byId.get(id);
  };
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
  /** Who made a call: the service whose log lines (RPC worker: nova-compute) or request led to it. */
  const caller = (node: string): string => {
    const p = parentOf.get(node);
    if (p !== undefined && p.startsWith('line:')) {
      const label = ctx.labelOf.get(p.slice(5, p.lastIndexOf(':')));
      if (label) return ctx.familyOf('server', label);
    }
    const e = parentExchange(node);
    return e ? ctx.familyOf(e.side, e.service) : CLIENT;
  };
  const members = [...nodes]
    .map((n) => [n, exchangeOf(n)] as const)
    .filter((p): p is readonly [string, Exchange] => p[1] !== undefined);
  members.sort((a, b) => cmpStart(a[1], b[1]));
  const twinServerMs = new Map<number, number>();
  const calls: Array<[Exchange, string]> = [];
  for (const [node, e] of members) {
    if (e.side === 'client') {
      calls.push([e, CLIENT]);
      continue;
    }
    const parent = parentExchange(node);
    // The server's view of a request the client made (same request id, or linked to it
    // directly, e.g. by time when the client saw no id): one arrow, with the server's time on it.
    if (
      parent &&
      parent.side === 'client' &&
      ((parent.requestId !== null && parent.requestId === e.requestId) || parentOf.get(node) === `x${parent.id}`)
    ) {
      const ms = e.serverTimeMs ?? durationOf(e);
      if (ms !== null) twinServerMs.set(parent.id, ms);
      continue;
    }
    calls.push([e, caller(node)]);
  }
  return calls.map(([e, from]) => ({ exchange: e, from, serverMs: twinServerMs.get(e.id) ?? null }));
}

function build(id: string, title: string, items: Item[], ctx: Context): SequenceModel {
  const participants: string[] = [];
  const add = (p: string) => {
    if (!participants.includes(p)) participants.push(p);
  };
  const messages: SequenceMessage[] = [];
  const notes: SequenceNote[] = [];
  let omitted = 0;
  if (items.some((i) => isCall(i) && i.from === CLIENT)) add(CLIENT);
  for (const item of items) {
    if (!isCall(item)) {
      // Markers after the cut would float with nothing to place them: they go with it.
      if (omitted > 0) continue;
      const participant = ctx.familyOf('server', item.event.service);
      add(participant);
      notes.push({
        at: messages.length,
        participant,
        text: eventText(item.event),
        marker: item.event.marker,
        event: item.index,
        source: item.event.source,
        line: item.event.line,
      });
      continue;
    }
    if (messages.length >= MAX_MESSAGES) {
      omitted++;
      continue;
    }
    const e = item.exchange;
    const to = ctx.familyOf(e.side, e.service);
    add(item.from);
    add(to);
    messages.push({
      exchange: e.id,
      from: item.from,
      to,
      method: e.method ?? '?',
      template: pathTemplate(e.path) ?? '?',
      status: e.status,
      error: isError(e),
      durationMs: durationOf(e),
      serverMs: item.serverMs ?? (e.side === 'client' ? e.serverTimeMs : null),
    });
  }
  return { id, title, participants, messages, notes, omitted };
}

function cmpStart(a: Exchange, b: Exchange): number {
  const sa = startOf(a);
  const sb = startOf(b);
  if (sa !== null && sb !== null && sa !== sb) return sa - sb;
  // Untimed (a client log without timestamps) before timed: the client's request comes first.
  if ((sa === null) !== (sb === null)) return sa === null ? -1 : 1;
  return a.id - b.id;
}

/** The reply's label: status and time. */
export function replyLabel(m: SequenceMessage): string {
  const parts = [m.status === null ? 'no response' : String(m.status)];
  if (m.durationMs !== null) parts.push(formatMs(m.durationMs));
  if (m.serverMs !== null) parts.push(`server ${formatMs(m.serverMs)}`);
  return parts.join(' · ');
}

// ---- SVG -------------------------------------------------------------------------

const COL = 180;
const HEAD = 40;
const ROW = 40;
const NOTE_ROW = 26;
export const NOTE_COLOR = '#6a1b9a';

/** The messages and notes in drawing order. */
export function sequenceRows(
  model: SequenceModel,
): Array<{ kind: 'message'; m: SequenceMessage } | { kind: 'note'; n: SequenceNote }> {
  const rows: Array<{ kind: 'message'; m: SequenceMessage } | { kind: 'note'; n: SequenceNote }> = [];
  let next = 0;
  model.messages.forEach((m, i) => {
    while (next < model.notes.length && model.notes[next]!.at <= i)
      rows.push({ kind: 'note', n: model.notes[next++]! });
    rows.push({ kind: 'message', m });
  });
  while (next < model.notes.length) rows.push({ kind: 'note', n: model.notes[next++]! });
  return rows;
}

export interface SequenceLinks {
  exchange(id: number): string | null;
  event(index: number): string | null;
}

export function sequenceSvg(
  model: SequenceModel,
  colour: (participant: string) => string,
  links: SequenceLinks,
): string {
  const rows = sequenceRows(model);
  const width = Math.max(COL * model.participants.length, 360);
  const height = HEAD + 16 + rows.reduce((h, r) => h + (r.kind === 'message' ? ROW : NOTE_ROW), 0) + 14;
  const x = (p: string) => COL * model.participants.indexOf(p) + COL / 2;
  const out: string[] = [];
  out.push(
    `<svg class="sequence" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="sequence diagram">`,
  );
  // One page holds many diagrams: each marker id is the diagram's own (ids are unique per page).
  const arrow = `arrow-${model.id}`;
  out.push(
    `<defs><marker id="${arrow}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#455a64"/></marker></defs>`,
  );
  for (const p of model.participants) {
    const cx = x(p);
    out.push(
      `<line x1="${px(cx)}" y1="${HEAD}" x2="${px(cx)}" y2="${height - 4}" stroke="#b0bec5" stroke-dasharray="3 3"/>`,
    );
    const fill = p === CLIENT ? '#37474f' : colour(p);
    out.push(
      `<rect x="${px(cx - COL / 2 + 8)}" y="4" width="${COL - 16}" height="${HEAD - 8}" rx="5" fill="${fill}"><title>${escapeXml(p)}</title></rect>`,
    );
    // A family `compute ↔ nova-api`: the service on top, the catalog name(s) the client used below.
    const split = p.indexOf(' ↔ ');
    if (split >= 0) {
      out.push(
        `<text x="${px(cx)}" y="19" text-anchor="middle" class="pname">${escapeXml(clip(p.slice(split + 3), 24))}</text>`,
      );
      out.push(
        `<text x="${px(cx)}" y="31" text-anchor="middle" class="psub">${escapeXml(clip(p.slice(0, split), 28))}</text>`,
      );
    } else {
      out.push(
        `<text x="${px(cx)}" y="${HEAD / 2 + 4}" text-anchor="middle" class="pname">${escapeXml(clip(p, 24))}</text>`,
      );
    }
  }
  let y = HEAD + 22;
  for (const row of rows) {
    if (row.kind === 'note') {
      const n = row.n;
      const cx = x(n.participant);
      // Beside the lifeline, on the side with more room; text cut to the box (monospace ≈ 6.8 px a character).
      const room = Math.max(cx - 12, width - cx - 12);
      const text = clip(n.text, Math.max(12, Math.min(72, Math.floor((room - 14) / 6.8))));
      const w = text.length * 6.8 + 14;
      const left = width - cx - 12 >= w ? cx + 8 : Math.max(4, cx - 8 - w);
      const box = `<g class="note"><rect x="${px(left)}" y="${px(y - 12)}" width="${px(w)}" height="19" rx="3" fill="#f3e5f5" stroke="${NOTE_COLOR}"/><path d="M${px(cx)},${px(y - 8)} l5,5 l-5,5 l-5,-5 z" fill="${NOTE_COLOR}"/><text x="${px(left + 7)}" y="${px(y + 1)}" class="note">${escapeXml(text)}</text><title>${escapeXml(`${n.marker}: ${n.text}`)}</title></g>`;
      const href = links.event(n.event);
      out.push(href ? `<a href="${escapeXml(href)}">${box}</a>` : box);
      y += NOTE_ROW;
      continue;
    }
    const m = row.m;
    const x1 = x(m.from);
    const x2 = x(m.to);
    const stroke = m.error ? ERROR_COLOR : '#455a64';
    const label = `#${m.exchange} ${m.method} ${m.template}`;
    const labelX = Math.min(x1, x2) + 6;
    const href = links.exchange(m.exchange);
    const text = `<text x="${px(labelX)}" y="${px(y - 4)}" class="msg">${escapeXml(clip(label, Math.max(24, Math.floor(Math.abs(x2 - x1) / 6.2))))}<title>${escapeXml(label)}</title></text>`;
    out.push(href ? `<a href="${escapeXml(href)}">${text}</a>` : text);
    out.push(
      `<line x1="${px(x1)}" y1="${px(y)}" x2="${px(x2)}" y2="${px(y)}" stroke="${stroke}" stroke-width="1.4" marker-end="url(#${arrow})"/>`,
    );
    out.push(
      `<line x1="${px(x2)}" y1="${px(y + 16)}" x2="${px(x1)}" y2="${px(y + 16)}" stroke="${stroke}" stroke-dasharray="4 3" marker-end="url(#${arrow})"/>`,
    );
    out.push(
      `<text x="${px(labelX)}" y="${px(y + 11)}" class="reply${m.error ? ' err' : ''}">${escapeXml(replyLabel(m))}</text>`,
    );
    y += ROW;
  }
  out.push('</svg>');
  return out.join('');
}
