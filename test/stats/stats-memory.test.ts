// The statistics pair each client call with the server's record of it by request id, over every
// exchange of the run. What the pass indexes must go with it: the server times it found are
// patched into a spilled list's rows, and that patch lives to the end of the run, so it must
// not keep the pass's indexes (a closure made inside the pass kept them all: 80,000 request ids
// on 1.16 GB of multi-service logs). Real calls: the minicloud recording's, repeated with fresh ids.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/model/schema.js';
import { runPipelineOnText } from '../../src/pipeline.js';
import { SpillList } from '../../src/rows/spill-list.js';
import { statsOf } from '../../src/stats/index.js';
import { liveHeapMb } from '../live-heap.js';

const dir = new URL('../../samples/multi-service/minicloud-attach/', import.meta.url);
const PAIRS = 100_000;

describe('statistics keep nothing of their pass but what they found', () => {
  it(`${PAIRS} client calls paired with their server records: the pass's indexes are let go`, () => {
    const logs = readdirSync(dir).filter((n) => n.endsWith('.log'));
    const analysis = runPipelineOnText(logs.map((name) => ({ name, text: readFileSync(new URL(name, dir), 'utf8') })));
    const all = [...analysis.result.exchanges];
    const servers = new Map(all.filter((e) => e.side === 'server' && e.requestId).map((e) => [e.requestId, e]));
    // A client call the server's log answered (its server time, which the run's statistics
    // gave it, is taken off: this pass finds it again).
    const client = { ...all.find((e) => e.side === 'client' && servers.has(e.requestId))!, serverTimeMs: null };
    const server = servers.get(client.requestId)!;
    expect(server.serverTimeMs ?? server.durationMs).not.toBeNull();

    const exchanges = new SpillList<Exchange>({ keep: 64 });
    for (let i = 0; i < PAIRS; i++) {
      const requestId = `req-${i.toString(16).padStart(8, '0')}-0000-4000-8000-${(PAIRS - i).toString(16).padStart(12, '0')}`;
      exchanges.push({ ...client, id: 2 * i + 1, command: null, requestId, globalRequestId: null });
      exchanges.push({ ...server, id: 2 * i + 2, command: null, requestId, globalRequestId: null });
    }
    const run = { ...analysis.result, commands: [], chains: [], exchanges };

    const before = liveHeapMb();
    const stats = statsOf(run, PAIRS);
    const held = liveHeapMb() - before;
    expect(stats.pairs.length).toBe(PAIRS);
    // The client rows read back carry the server's time (as the pairs give it).
    const serverMs = [...stats.pairs][0]!.serverMs;
    expect(serverMs).not.toBeNull();
    let patched = 0;
    for (const e of exchanges) if (e.side === 'client' && e.serverTimeMs === serverMs) patched++;
    expect(patched).toBe(PAIRS);
    // The server times found (a number per pair) are held; the index of server records by
    // request id (a string, an object and an entry per pair: ~19 MB here) is not; ~5 MB is held.
    expect(held).toBeLessThan(11);
    exchanges.dispose();
  }, 120_000);
});
