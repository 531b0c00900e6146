// Where a service step marker (RunResult.serviceEvents: "Attaching volume … to /dev/sdb")
// belongs: the exchange whose request it served — its local request id is the API
// request's id (nova-compute works under nova-api's id over RPC), or its global id is
// (cinder-volume under a cinder request nova made) — and through that exchange the
// chain and the command. Charts draw each marker with the chain or command it belongs to.
import { timestampMs, type YearBasis } from '../../core/time.js';
import { firstThatMatter, MAX_SERVICE_EVENTS, type Listed } from '../bounded.js';
import type { Exchange, RunResult } from '../../model/schema.js';
import type { ServiceEvent } from '../../model/service-schema.js';
import type { Rows } from '../../rows/rows.js';

/** What a placed event keeps of the exchange it served (not the row: a long run's rows live on disk). */
export interface PlacedExchange {
  id: number;
  command: number | null;
}

export interface PlacedEvent {
  /** 1-based position in run.serviceEvents: the HTML anchor is `#ev<index>`. */
  index: number;
  event: ServiceEvent;
  /** On the log's clock, when the line had a timestamp. */
  ms: number | null;
  exchange: PlacedExchange | null;
  chain: number | null;
  command: number | null;
}

/** Placed once per run: the HTML report's sections and charts all ask. */
const placedOf = new WeakMap<RunResult, { events: Rows<ServiceEvent>; placed: PlacedEvent[] }>();

export function placeEvents(run: RunResult): PlacedEvent[] {
  const events = run.serviceEvents ?? [];
  if (events.length === 0) return [];
  const known = placedOf.get(run);
  if (known?.events === events) return known.placed;
  const placed = place(run, events);
  placedOf.set(run, { events, placed });
  return placed;
}

/**
 * One pass over the exchanges (which may live on disk), keeping of them only ids and
 * commands: of the exchanges in chains (a chain's command), and of those whose request
 * id an event names.
 */
function place(run: RunResult, events: Rows<ServiceEvent>): PlacedEvent[] {
  const chained = new Set<number>();
  for (const chain of run.chains) {
    if (typeof chain.root === 'number') chained.add(chain.root);
    for (const l of chain.links)
      for (const n of [l.from, l.to]) if (n.length > 1 && n[0] === 'x') chained.add(Number(n.slice(1)));
  }
  const named = new Set<string>();
  for (const event of events) {
    if (event.requestId !== null) named.add(event.requestId);
    if (event.globalRequestId !== null) named.add(event.globalRequestId);
  }
  const commandOf = new Map<number, number | null>();
  // A request id names the exchange that served it; the client's record of the same
  // request carries the command, so it wins over the server's.
  const byRequestId = new Map<string, PlacedExchange & { side: Exchange['side'] }>();
  // A year-less timestamp (journald) takes the year the analysis gave its own input's logged
  // times (not a Date header: another clock), else that of the run's first logged time.
  const years = new Map<string, YearBasis>();
  let runYear: YearBasis = {};
  for (const e of run.exchanges) {
    if (chained.has(e.id)) commandOf.set(e.id, e.command);
    const at = e.startedAt !== null && e.timing !== 'date-header' ? timestampMs(e.startedAt) : null;
    if (at !== null && !years.has(e.source)) years.set(e.source, { nearMs: at });
    if (at !== null && runYear.nearMs === undefined) runYear = { nearMs: at };
    if (e.requestId === null || !named.has(e.requestId)) continue;
    const seen = byRequestId.get(e.requestId);
    if (!seen || (seen.side === 'server' && e.side === 'client'))
      byRequestId.set(e.requestId, { id: e.id, command: e.command, side: e.side });
  }
  const chainOfExchange = new Map<number, number>();
  const commandOfChain = new Map<number, number | null>();
  for (const chain of run.chains) {
    const ids = new Set<number>();
    if (typeof chain.root === 'number') ids.add(chain.root);
    for (const l of chain.links)
      for (const n of [l.from, l.to]) if (n.length > 1 && n[0] === 'x') ids.add(Number(n.slice(1)));
    let command: number | null = null;
    for (const id of [...ids].sort((a, b) => a - b)) {
      if (!chainOfExchange.has(id)) chainOfExchange.set(id, chain.id);
      command ??= commandOf.get(id) ?? null;
    }
    const root = typeof chain.root === 'number' && commandOf.has(chain.root) ? commandOf.get(chain.root)! : undefined;
    commandOfChain.set(chain.id, root ?? command);
  }
  return events.map((event, i) => {
    const found =
      (event.requestId !== null ? byRequestId.get(event.requestId) : undefined) ??
      (event.globalRequestId !== null ? byRequestId.get(event.globalRequestId) : undefined) ??
      null;
    const exchange = found === null ? null : { id: found.id, command: found.command };
    const chain = exchange ? (chainOfExchange.get(exchange.id) ?? null) : null;
    const command = exchange?.command ?? (chain !== null ? (commandOfChain.get(chain) ?? null) : null);
    return {
      index: i + 1,
      event,
      ms: event.timestamp === null ? null : timestampMs(event.timestamp, years.get(event.source) ?? runYear),
      exchange,
      chain,
      command,
    };
  });
}

/** The short text drawn for a marker: its message up to the first source-location tail. */
export function eventText(e: ServiceEvent): string {
  // oslo.log DEBUG lines end with ` function /path/file.py:123`: noise on a chart.
  const m = e.message;
  const at = m.lastIndexOf(' /');
  const tail = at >= 0 ? m.slice(at + 1) : '';
  const cut = at > 0 && tail.includes('.py:') && !tail.includes(' ') ? m.slice(0, at) : m;
  const fn = cut.lastIndexOf(' ');
  // ...and the function name just before it (`_volume_attach`): one word, no spaces.
  return at > 0 && cut !== m && fn > 0 && /^[A-Za-z_][\w.<>]*$/.test(cut.slice(fn + 1)) ? cut.slice(0, fn) : cut;
}

/** Markers of a warning or an error: listed and drawn first in a long run. */
export function isWarningOrError(e: ServiceEvent): boolean {
  return e.level === 'ERROR' || e.level === 'CRITICAL' || e.level === 'WARNING';
}

/** The markers a long run's reports list: the warnings and errors first, then the earliest. */
export function listedEvents(placed: readonly PlacedEvent[]): Listed<PlacedEvent> {
  return firstThatMatter(placed, MAX_SERVICE_EVENTS, (p) => isWarningOrError(p.event));
}
