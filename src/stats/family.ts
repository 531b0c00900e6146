// Service families. The client names a service by its catalog type (compute, volumev3,
// block-storage), the server side by its input's label (nova-api, cinder-api): the same
// service under two names. A family joins the names seen answering the same request:
// a client exchange and the server exchange with its request id, or the server exchange
// a chain links the client exchange to directly. Names are never rewritten; reports
// group and label rows by family so that `compute ↔ nova-api` reads as one service.
import type { RunResult } from '../model/schema.js';
import type { ServiceFamily } from '../model/stats-schema.js';

export const UNKNOWN_SERVICE = '(unknown)';

type Side = 'client' | 'server';
const keyOf = (side: Side, service: string) => `${side}\u0000${service}`;

export function serviceFamilies(run: Pick<RunResult, 'exchanges' | 'chains'>): ServiceFamily[] {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let root = k;
    while (parent.get(root) !== root) root = parent.get(root)!;
    // Path compression keeps later finds short.
    let n = k;
    while (n !== root) { const next = parent.get(n)!; parent.set(n, root); n = next; }
    return root;
  };
  const add = (k: string) => { if (!parent.has(k)) parent.set(k, k); };
  const union = (a: string, b: string) => { const ra = find(a); const rb = find(b); if (ra !== rb) parent.set(rb < ra ? ra : rb, rb < ra ? rb : ra); };

  for (const e of run.exchanges) add(keyOf(e.side, e.service ?? UNKNOWN_SERVICE));
  const join = (client: { service: string | null }, server: { service: string | null }) => {
    // "(unknown)" is a bucket of unrelated requests, not a service: it joins nothing.
    if (client.service === null || server.service === null) return;
    union(keyOf('client', client.service), keyOf('server', server.service));
  };
  const serverByRequestId = new Map<string, RunResult['exchanges'][number]>();
  for (const e of run.exchanges) if (e.side === 'server' && e.requestId !== null && !serverByRequestId.has(e.requestId)) serverByRequestId.set(e.requestId, e);
  for (const e of run.exchanges) {
    if (e.side !== 'client' || e.requestId === null) continue;
    const s = serverByRequestId.get(e.requestId);
    if (s) join(e, s);
  }
  const byId = new Map(run.exchanges.map((e) => [e.id, e] as const));
  const exchangeOf = (node: string) => (node.length > 1 && node[0] === 'x' ? byId.get(Number(node.slice(1))) : undefined);
  for (const chain of run.chains) {
    for (const link of chain.links) {
      const from = exchangeOf(link.from);
      const to = exchangeOf(link.to);
      if (from?.side === 'client' && to?.side === 'server') join(from, to);
    }
  }

  const members = new Map<string, { client: Set<string>; server: Set<string> }>();
  for (const k of parent.keys()) {
    const root = find(k);
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
