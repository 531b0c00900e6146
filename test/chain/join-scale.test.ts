// The chains stage joins requests through indexes, not pairwise: on service logs
// without global request ids (the resource-UUID step) and with id-less uwsgi lines
// (the method + path + time step), ten times the requests make about ten times the
// candidate comparisons. Counted, not timed.
import { describe, expect, it } from 'vitest';
import { buildChains, chainJoinStats } from '../../src/chain/chains.js';
import type { Chain } from '../../src/model/chain-schema.js';
import { DEFAULT_KEEP, SpillList } from '../../src/rows/spill-list.js';
import { analysisOf, reqId } from './join-fixture.js';

describe('chain joins without global request ids', () => {
  it('link every request, with comparisons growing linearly (5k → 50k requests)', () => {
    const counts: number[] = [];
    for (const n of [5000, 50000]) {
      const analysis = analysisOf(n);
      buildChains(analysis);
      const chains = analysis.result.chains;
      // one chain per attach (nova-api → nova-compute, cinder-api) and one per client request
      expect(chains.length).toBe(2 * n);
      const attach = chains.find((c) => c.root === reqId(4, n - 1))!;
      expect(attach.services).toEqual(['nova-api', 'nova-compute', 'cinder-api']);
      expect(attach.links.map((l) => l.kind).sort()).toEqual(['request-id', 'resource-uuid']);
      expect(chains.filter((c) => c.links.length === 1 && c.links[0]!.kind === 'time')).toHaveLength(n);
      counts.push(chainJoinStats.comparisons);
    }
    // Pairwise joins would make 100× the comparisons; indexed ones about 10×.
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[1]! / counts[0]!).toBeLessThan(12);
    expect(counts[1]).toBeLessThan(50 * 50000);
  }, 120_000);

  it('indexes by resource UUID only what a lookup can find: nothing for nova alone', () => {
    const withCinder = analysisOf(2000);
    buildChains(withCinder);
    // nova-api's and cinder-api's requests look up the UUIDs they name: all six entries of each attach
    expect(chainJoinStats.uuidEntries).toBe(6 * 2000);
    expect(withCinder.result.chains.filter((c) => c.links.some((l) => l.kind === 'resource-uuid'))).toHaveLength(2000);
    // nova-api and nova-compute, one project: no node can answer a nova request's lookup
    const novaAlone = analysisOf(2000, { cinder: false });
    buildChains(novaAlone);
    expect(chainJoinStats.uuidEntries).toBe(0);
    const attach = novaAlone.result.chains.find((c) => c.root === reqId(4, 7))!;
    expect(attach.services).toEqual(['nova-api', 'nova-compute']);
    expect(attach.links.map((l) => l.kind)).toEqual(['request-id']);
  });

  it('keeps no paths without a client log, and still finds version discovery by its path', () => {
    const withClient = analysisOf(500, { discovery: true });
    buildChains(withClient);
    expect(chainJoinStats.paths).toBeGreaterThan(500);
    const servicesOnly = analysisOf(500, { discovery: true, client: false });
    buildChains(servicesOnly);
    expect(chainJoinStats.paths).toBe(0);
    for (const analysis of [withClient, servicesOnly]) {
      const attach = analysis.result.chains.find((c) => c.root === reqId(4, 9))!;
      const discovery = analysis.result.exchanges.find((x) => x.requestId === reqId(6, 9))!;
      expect(attach.links.map((l) => `${l.kind} ${l.to}`)).toContain(`time x${discovery.id}`);
    }
  });

  it("lists a chain's spans as they are walked from its root, the later linked first", () => {
    const analysis = analysisOf(3, { conductor: true });
    buildChains(analysis);
    const attach = analysis.result.chains.find((c) => c.root === reqId(4, 1))!;
    // the API's request linked nova-compute's lines, then nova-conductor's, then cinder's call
    expect(attach.links.map((l) => l.to)).toEqual(['line:nova-conductor.log:3', 'line:nova-compute.log:5', 'x6']);
    expect(Object.keys(attach.lineServices!)).toEqual(['line:nova-conductor.log:3', 'line:nova-compute.log:5']);
  });

  it('joins the same whether or not the exchanges are numbered one after another', () => {
    const chainsOf = (analysis: ReturnType<typeof analysisOf>) => {
      buildChains(analysis);
      return [...analysis.result.chains];
    };
    const consecutive = chainsOf(analysisOf(40));
    // the same requests, their exchanges numbered 10, 13, 16… (the server times by those numbers)
    const gapped = analysisOf(40);
    const times = gapped.service!.serverTimes;
    const renumbered = gapped.result.exchanges.map((e) => ({ ...e, id: 7 + 3 * e.id }));
    const kept = renumbered.map((e) => ({ ...times.get((e.id - 7) / 3), span: times.span((e.id - 7) / 3) }));
    times.clear();
    renumbered.forEach((e, k) => {
      const { startMs, endMs, span } = kept[k]!;
      if (startMs !== undefined) times.set(e.id, startMs, endMs!, span);
    });
    gapped.result.exchanges = renumbered;
    const back = JSON.stringify(chainsOf(gapped))
      .replace(/"x(\d+)"/g, (_, id: string) => `"x${(Number(id) - 7) / 3}"`)
      .replace(/"root":(\d+)/g, (_, id: string) => `"root":${(Number(id) - 7) / 3}`);
    expect(consecutive.some((c) => JSON.stringify(c).includes('"x'))).toBe(true);
    expect(back).toBe(JSON.stringify(consecutive));
  });

  it('lets the request spans and server times go once the chains are built (later stages read the chains)', () => {
    const analysis = analysisOf(500);
    expect(analysis.service!.spans.size).toBeGreaterThan(0);
    buildChains(analysis);
    expect(analysis.result.chains.length).toBe(1000);
    expect(analysis.service!.spans.size).toBe(0);
    expect(analysis.service!.serverTimes.size).toBe(0);
  });

  it("writes a long run's chains to disk as they are made, each read back alone by its id", () => {
    const analysis = analysisOf(2000);
    buildChains(analysis);
    const chains = analysis.result.chains as SpillList<Chain>;
    expect(chains).toBeInstanceOf(SpillList);
    expect(chains.length).toBe(4000);
    expect(chains.hasSpilled).toBe(true);
    expect(chains.inMemory).toBeLessThan(2 * DEFAULT_KEEP);
    expect(chains.at(10)!.id).toBe(11);
    expect(chains.at(3999)!.id).toBe(4000);
    expect(chains.at(10)).toEqual([...chains][10]);
  });
});
