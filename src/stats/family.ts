// Service families. The client names a service by its catalog type (compute, volumev3,
// block-storage), the server side by its input's label (nova-api, cinder-api): the same
// service under two names. A family joins the names seen answering the same request:
// a client exchange and the server exchange with its request id, or the server exchange
// a chain links the client exchange to directly. Names are never rewritten; reports
// group and label rows by family so that `compute ↔ nova-api` reads as one service.
import { exchangeIdOfNode } from '../model/node-id.js';
import type { Exchange, RunResult } from '../model/schema.js';
import type { ServiceFamily } from '../model/stats-schema.js';
import { IdBits } from '../rows/id-bits.js';
import { ExchangeFactTable } from './exchange-facts.js';
import { grownColumn } from '../core/columns.js';

export const UNKNOWN_SERVICE = '(unknown)';

type Side = 'client' | 'server';
const keyOf = (side: Side, service: string) => `${side}\u0000${service}`;

/**
 * Collects the service names a run's exchanges use and which of them answered the
 * same request; fed one exchange at a time, so it never needs every exchange at once.
 */
export class FamilyBuilder {
  private readonly parent = new Map<string, string>();

  /** Every exchange's side and service name. */
  add(e: Pick<Exchange, 'side' | 'service'>): void {
    const k = keyOf(e.side, e.service ?? UNKNOWN_SERVICE);
    if (!this.parent.has(k)) this.parent.set(k, k);
  }

  /** A client exchange and the server exchange that answered it (same request id, or a direct chain link). */
  join(client: { service: string | null }, server: { service: string | null }): void {
    // "(unknown)" is a bucket of unrelated requests, not a service: it joins nothing.
    if (client.service === null || server.service === null) return;
    const a = keyOf('client', client.service);
    const b = keyOf('server', server.service);
    if (!this.parent.has(a)) this.parent.set(a, a);
    if (!this.parent.has(b)) this.parent.set(b, b);
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb < ra ? ra : rb, rb < ra ? rb : ra);
  }

  families(): ServiceFamily[] {
    const members = new Map<string, { client: Set<string>; server: Set<string> }>();
    for (const k of this.parent.keys()) {
      const root = this.find(k);
      const m = members.get(root) ?? { client: new Set<string>(), server: new Set<string>() };
      const [side, service] = k.split('\u0000') as [Side, string];
      m[side].add(service);
      members.set(root, m);
    }
    return [...members.values()]
      .map((m) => {
        const client = [...m.client].sort();
        const server = [...m.server].sort();
        return { family: familyLabel(client, server), client, server };
      })
      .sort((a, b) => (a.family < b.family ? -1 : a.family > b.family ? 1 : 0));
  }

  private find(k: string): string {
    let root = k;
    while (this.parent.get(root) !== root) root = this.parent.get(root)!;
    // Path compression keeps later finds short.
    let n = k;
    while (n !== root) {
      const next = this.parent.get(n)!;
      this.parent.set(n, root);
      n = next;
    }
    return root;
  }
}

/**
 * What the families need of a run's chains, in one read of them (they may live on disk): the
 * exchange ids the chains name (`x12` nodes and numeric roots), and the links from one exchange
 * straight to another, as pairs of ids (`joinChainLinks` keeps those from a client to a server).
 */
export class ChainExchanges {
  readonly ids = new IdBits();
  private pairs = new Int32Array(1024);
  private count = 0;

  constructor(chains: RunResult['chains']) {
    for (const chain of chains) {
      if (typeof chain.root === 'number') this.ids.add(chain.root);
      for (const link of chain.links) {
        const from = exchangeIdOfNode(link.from);
        const to = exchangeIdOfNode(link.to);
        if (from !== null) this.ids.add(from);
        if (to !== null) this.ids.add(to);
        if (from !== null && to !== null) this.pair(from, to);
      }
    }
  }

  /** The links between two exchanges, in chain and link order. */
  *links(): Generator<[number, number]> {
    for (let i = 0; i < this.count; i++) yield [this.pairs[2 * i]!, this.pairs[2 * i + 1]!];
  }

  private pair(from: number, to: number): void {
    if (2 * this.count + 2 > this.pairs.length) {
      this.pairs = grownColumn(this.pairs, this.pairs.length * 2);
    }
    this.pairs[2 * this.count] = from;
    this.pairs[2 * this.count + 1] = to;
    this.count++;
  }
}

/** The families of a finished run without statistics (one pass over its exchanges). */
export function serviceFamilies(run: Pick<RunResult, 'exchanges' | 'chains'>): ServiceFamily[] {
  const builder = new FamilyBuilder();
  const chainExchanges = new ChainExchanges(run.chains);
  const wanted = chainExchanges.ids;
  const serverByRequestId = new Map<string, string | null>();
  const chained = new ExchangeFactTable();
  for (const e of run.exchanges) {
    builder.add(e);
    if (e.side === 'server' && e.requestId !== null && !serverByRequestId.has(e.requestId))
      serverByRequestId.set(e.requestId, e.service);
    if (wanted.has(e.id)) chained.add(e);
  }
  // A second pass, only with service logs: client exchanges are not all held at once.
  if (serverByRequestId.size > 0) {
    for (const e of run.exchanges) {
      const s = e.side === 'client' && e.requestId !== null ? serverByRequestId.get(e.requestId) : undefined;
      if (s !== undefined) builder.join(e, { service: s });
    }
  }
  joinChainLinks(builder, chainExchanges, chained);
  return builder.families();
}

/** A chain link from a client exchange straight to a server exchange joins their names. */
export function joinChainLinks(
  builder: FamilyBuilder,
  chains: ChainExchanges,
  byId: Pick<ExchangeFactTable, 'get'>,
): void {
  for (const [fromId, toId] of chains.links()) {
    const from = byId.get(fromId);
    const to = byId.get(toId);
    if (from?.side === 'client' && to?.side === 'server') builder.join(from, to);
  }
}

/** `compute ↔ nova-api`; a name seen on one side only stands alone. */
function familyLabel(client: string[], server: string[]): string {
  if (client.length > 0 && server.length > 0) return `${client.join(', ')} ↔ ${server.join(', ')}`;
  return [...client, ...server].join(', ');
}

/** The family label of a side's service name (the name itself when it is in no family). */
export function familyLookup(families: readonly ServiceFamily[]): (side: Side, service: string | null) => string {
  const map = new Map<string, string>();
  for (const f of families) {
    for (const s of f.client) map.set(keyOf('client', s), f.family);
    for (const s of f.server) map.set(keyOf('server', s), f.family);
  }
  return (side, service) => map.get(keyOf(side, service ?? UNKNOWN_SERVICE)) ?? service ?? UNKNOWN_SERVICE;
}

/** The families of a run: from its stats when computed, else worked out now. */
export function familiesOf(run: RunResult): ServiceFamily[] {
  return run.stats?.families ?? serviceFamilies(run);
}
