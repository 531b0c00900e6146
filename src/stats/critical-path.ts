// The critical path through a chain: from the root request, at each level follow the
// call the parent was still waiting on last (the child that ended latest), down to a
// leaf. Nodes that are log lines, not exchanges, are passed through.
import type { Chain } from '../model/chain-schema.js';
import { exchangeIdOfNode } from '../model/node-id.js';
import type { CriticalPath } from '../model/stats-schema.js';
import type { ExchangeFactTable, ExchangeFacts } from './exchange-facts.js';
import { roundMs } from './timing.js';

type Facts = Pick<ExchangeFactTable, 'get'>;

export function criticalPathOf(chain: Chain, byId: Facts): CriticalPath | null {
  const out = new Map<string, string[]>();
  const incoming = new Set<string>();
  for (const link of chain.links) {
    if (link.from === link.to) continue;
    const list = out.get(link.from) ?? [];
    list.push(link.to);
    out.set(link.from, list);
    incoming.add(link.to);
  }
  const rootNode =
    typeof chain.root === 'number' ? `x${chain.root}` : ([...out.keys()].find((n) => !incoming.has(n)) ?? null);
  if (rootNode === null) return null;
  const visited = new Set<string>([rootNode]);

  /** Exchanges reachable from a node without crossing another exchange. */
  const childExchanges = (node: string): ExchangeFacts[] => {
    const found: ExchangeFacts[] = [];
    const stack = [...(out.get(node) ?? [])];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (visited.has(n)) continue;
      visited.add(n);
      const ex = exchangeOf(n, byId);
      if (ex) found.push(ex);
      else stack.push(...(out.get(n) ?? []));
    }
    return found;
  };

  let current = exchangeOf(rootNode, byId);
  let node = rootNode;
  if (!current) {
    // The root is a request id or a line: start at the first exchange below it.
    current = pickLast(childExchanges(rootNode));
    if (!current) return null;
    node = `x${current.id}`;
  }
  const path: ExchangeFacts[] = [current];
  for (;;) {
    const next = pickLast(childExchanges(node));
    if (!next) break;
    path.push(next);
    node = `x${next.id}`;
  }
  // An untimed client root (no --log-file) still lets the server-side steps be placed.
  const rootStart = path.map((e) => e.start).find((s) => s !== null) ?? null;
  const steps = path.map((e, i) => {
    const d = e.duration;
    const start = e.start;
    const nextD = i + 1 < path.length ? path[i + 1]!.duration : 0;
    return {
      exchange: e.id,
      service: e.service,
      method: e.method,
      template: e.template,
      startOffsetMs: start !== null && rootStart !== null ? roundMs(start - rootStart) : null,
      durationMs: d === null ? null : roundMs(d),
      selfMs: d === null || nextD === null ? null : roundMs(Math.max(0, d - nextD)),
    };
  });
  const rootDuration = path[0]!.duration;
  return {
    chain: chain.id,
    totalMs: rootDuration === null ? null : roundMs(rootDuration),
    spanMs: chain.spanMs === null ? null : roundMs(chain.spanMs),
    steps,
  };
}

function exchangeOf(node: string, byId: Facts): ExchangeFacts | null {
  const id = exchangeIdOfNode(node);
  return id === null ? null : byId.get(id);
}

/** The child that ended last; without timing, the longest, then the last in log order. */
function pickLast(children: ExchangeFacts[]): ExchangeFacts | null {
  let best: ExchangeFacts | null = null;
  let bestKey: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  for (const c of children) {
    const d = c.duration;
    const s = c.start;
    const key: [number, number, number] = [s !== null && d !== null ? s + d : -Infinity, d ?? -Infinity, c.id];
    if (
      key[0] > bestKey[0] ||
      (key[0] === bestKey[0] && (key[1] > bestKey[1] || (key[1] === bestKey[1] && key[2] > bestKey[2])))
    ) {
      best = c;
      bestKey = key;
    }
  }
  return best;
}
