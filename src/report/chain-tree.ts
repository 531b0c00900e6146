// A request chain as an indented tree (text report): each node on its own line
// under the node that led to it, with the kind of link that joined them.
import type { Chain } from '../model/chain-schema.js';
import { exchangeIdOfNode } from '../model/node-id.js';
import type { Exchange, RunResult } from '../model/schema.js';

/** `chains`: the ones to draw (a long run's report draws some); their exchanges are looked up in one pass. */
export function renderChains(run: RunResult, chains: Iterable<Chain> = run.chains): string[] {
  const wanted = new Set<number>();
  for (const c of chains)
    for (const l of c.links)
      for (const n of [l.from, l.to]) {
        const id = exchangeIdOfNode(n);
        if (id !== null) wanted.add(id);
      }
  for (const c of chains) if (typeof c.root === 'number') wanted.add(c.root);
  const exchanges = new Map<number, Exchange>();
  if (wanted.size > 0) for (const e of run.exchanges) if (wanted.has(e.id)) exchanges.set(e.id, e);
  const labels = new Map(run.inputs.map((i) => [i.name, i.service ?? null]));
  const out: string[] = [];
  for (const chain of chains) {
    const rootId = typeof chain.root === 'number' ? `x${chain.root}` : rootNode(chain);
    const span = chain.spanMs === null ? '' : `, ${Math.round(chain.spanMs)} ms`;
    out.push(`#${chain.id}  ${chain.services.join(' → ')}${span}`);
    const children = new Map<string, Chain['links']>();
    for (const l of chain.links) {
      if (!children.has(l.from)) children.set(l.from, []);
      children.get(l.from)!.push(l);
    }
    const services = new Map([...labels, ...Object.entries(chain.lineServices ?? {})]);
    out.push(`  ${describeNode(rootId, exchanges, services)}`);
    // A node's links are followed once: a chain that loops back (seen on messy input) must not recurse forever.
    const expanded = new Set<string>();
    const walk = (id: string, indent: string) => {
      if (expanded.has(id)) return;
      expanded.add(id);
      const list = children.get(id) ?? [];
      list.forEach((l, i) => {
        const last = i === list.length - 1;
        out.push(`  ${indent}${last ? '└─' : '├─'} ${l.kind}: ${describeNode(l.to, exchanges, services)}`);
        walk(l.to, `${indent}${last ? '   ' : '│  '}`);
      });
    };
    walk(rootId, '');
  }
  return out;
}

/** The node no link points to. */
function rootNode(chain: Chain): string {
  const targets = new Set(chain.links.map((l) => l.to));
  return chain.links.find((l) => !targets.has(l.from))?.from ?? String(chain.root);
}

/** `labels`: input name → its service, and `line:` node id → the service of those lines (which wins). */
function describeNode(id: string, exchanges: Map<number, Exchange>, labels: Map<string, string | null>): string {
  const exchangeId = exchangeIdOfNode(id);
  if (exchangeId !== null) {
    const e = exchanges.get(exchangeId);
    if (!e) return id;
    // A service's own call is told as that service's.
    const who =
      e.side === 'client'
        ? e.caller
          ? `${e.caller.service ?? 'a service'}'s call`
          : 'client'
        : (e.service ?? 'server');
    const ms = e.side === 'server' && e.serverTimeMs !== null ? ` ${Math.round(e.serverTimeMs)} ms` : '';
    return `${who} ${e.method ?? '?'} ${e.path ?? '?'} → ${e.status ?? '-'}${ms}  ${e.requestId ?? ''}  (${base(e.source)}:${e.line})`;
  }
  // line:<source>:<line>
  const at = id.lastIndexOf(':');
  const source = id.slice(5, at);
  return `${labels.get(id) ?? labels.get(source) ?? 'service'} lines from ${base(source)}:${id.slice(at + 1)}`;
}

function base(path: string): string {
  return path.split('/').pop() ?? path;
}
