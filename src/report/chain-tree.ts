// A request chain as an indented tree (text report): each node on its own line
// under the node that led to it, with the kind of link that joined them.
import { exchangeIdOfNode, type Chain } from '../model/chain-schema.js';
import type { Exchange, RunResult } from '../model/schema.js';

export function renderChains(run: RunResult): string[] {
  const exchanges = new Map(run.exchanges.map((e) => [e.id, e]));
  const labels = new Map(run.inputs.map((i) => [i.name, i.service ?? null]));
  const out: string[] = [];
  for (const chain of run.chains) {
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
    const who = e.side === 'client' ? 'client' : (e.service ?? 'server');
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
