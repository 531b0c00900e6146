// Service families: the client's catalog names and the services' own labels, joined by
// the requests both sides saw — on the real run (timed client log + four service logs).
import { describe, expect, it } from 'vitest';
import type { Exchange, RunResult } from '../../src/model/schema.js';
import { Stats } from '../../src/model/stats-schema.js';
import { IdBits } from '../../src/rows/id-bits.js';
import { familyLookup, serviceFamilies } from '../../src/stats/family.js';
import { analyzedWithServices } from '../report/helpers.js';

describe('service families on the real client + service logs', () => {
  const { run } = analyzedWithServices();
  const stats = run.stats!;

  it('joins compute with nova-api and both volume catalog names with cinder-api', () => {
    const plain = {
      ...stats,
      byCommand: [...stats.byCommand],
      pairs: [...stats.pairs],
      criticalPath: [...stats.criticalPath],
    };
    expect(Stats.parse(plain)).toEqual(plain);
    const byFamily = Object.fromEntries(stats.families.map((f) => [f.family, f]));
    expect(byFamily['compute ↔ nova-api']).toEqual({
      family: 'compute ↔ nova-api',
      client: ['compute'],
      server: ['nova-api'],
    });
    // the client log uses both `volumev3` and `block-storage` for cinder (two clients in one run)
    expect(byFamily['block-storage, volumev3 ↔ cinder-api']).toMatchObject({
      client: ['block-storage', 'volumev3'],
      server: ['cinder-api'],
    });
    // every family is backed by a request both sides logged under the same request id
    for (const f of stats.families.filter((x) => x.client.length > 0 && x.server.length > 0)) {
      const clients = run.exchanges.filter((e) => e.side === 'client' && f.client.includes(e.service ?? ''));
      const servers = new Set(
        run.exchanges.filter((e) => e.side === 'server' && f.server.includes(e.service ?? '')).map((e) => e.requestId),
      );
      expect(clients.some((c) => c.requestId !== null && servers.has(c.requestId))).toBe(true);
    }
  });

  it("keeps the JSON names and adds the family: one family's rows are adjacent, client before server", () => {
    for (const s of stats.byService)
      expect([
        'compute',
        'nova-api',
        'volumev3',
        'block-storage',
        'cinder-api',
        'identity',
        'image',
        'nova-compute',
        'cinder-volume',
      ]).toContain(s.service);
    const order = stats.byService.map((s) => s.family);
    const seen = new Set<string>();
    order.forEach((f, i) => {
      if (i > 0 && order[i - 1] !== f) expect(seen.has(f)).toBe(false); // never split
      seen.add(f);
    });
    const compute = stats.byService.filter((s) => s.family === 'compute ↔ nova-api');
    expect(compute.map((s) => [s.side, s.service])).toEqual([
      ['client', 'compute'],
      ['server', 'nova-api'],
    ]);
  });

  it('puts the client and server rows of one endpoint next to each other', () => {
    const rows = stats.byEndpoint;
    const i = rows.findIndex(
      (r) => r.side === 'client' && r.method === 'POST' && r.template === '/v2.1/servers/{id}/os-volume_attachments',
    );
    expect(i).toBeGreaterThanOrEqual(0);
    expect(rows[i + 1]).toMatchObject({
      side: 'server',
      service: 'nova-api',
      method: 'POST',
      template: '/v2.1/servers/{id}/os-volume_attachments',
      family: 'compute ↔ nova-api',
    });
  });

  it("orders critical paths by the chain's span, longest first, and carries the span", () => {
    const spans = stats.criticalPath.map((p) => p.spanMs ?? -1);
    expect(spans.length).toBeGreaterThan(5);
    expect(spans).toEqual([...spans].sort((a, b) => b - a));
    for (const p of stats.criticalPath)
      expect(p.spanMs).toBe(
        run.chains.find((c) => c.id === p.chain)!.spanMs === null
          ? null
          : Math.round(run.chains.find((c) => c.id === p.chain)!.spanMs! * 10) / 10,
      );
  });
});

describe('serviceFamilies without evidence', () => {
  const ex = (id: number, side: 'client' | 'server', service: string | null, requestId: string | null): Exchange => ({
    id,
    source: 'x.log',
    line: id,
    endLine: id,
    side,
    method: 'GET',
    url: null,
    path: '/v2.1/servers',
    service,
    status: 200,
    requestId,
    globalRequestId: null,
    microversion: null,
    startedAt: null,
    durationMs: null,
    timing: null,
    serverTimeMs: null,
    complete: true,
    incompleteReason: null,
    kind: 'request',
    resendOf: null,
    error: null,
    command: null,
  });
  const run = (exchanges: Exchange[]): Pick<RunResult, 'exchanges' | 'chains'> => ({ exchanges, chains: [] });

  it('leaves names apart when no request joins them, and "(unknown)" joins nothing', () => {
    const families = serviceFamilies(
      run([
        ex(1, 'client', 'compute', 'req-1'),
        ex(2, 'server', 'nova-api', 'req-2'),
        ex(3, 'client', null, 'req-3'),
        ex(4, 'server', 'cinder-api', 'req-3'),
      ]),
    );
    expect(families.map((f) => f.family)).toEqual(['(unknown)', 'cinder-api', 'compute', 'nova-api']);
    const of = familyLookup(families);
    expect(of('client', 'compute')).toBe('compute');
    expect(of('server', 'not-seen')).toBe('not-seen');
  });

  it('joins by a direct chain link when the request ids differ', () => {
    const families = serviceFamilies({
      exchanges: [ex(1, 'client', 'identity', null), ex(2, 'server', 'keystone', 'req-9')],
      chains: [
        {
          id: 1,
          root: 1,
          services: ['client', 'keystone'],
          spanMs: null,
          links: [{ from: 'x1', to: 'x2', kind: 'time' }],
        },
      ],
    });
    expect(families).toEqual([{ family: 'identity ↔ keystone', client: ['identity'], server: ['keystone'] }]);
  });
});

describe('IdBits', () => {
  it('holds exactly the ids added, across growth', () => {
    const bits = new IdBits();
    const ids = [0, 7, 8, 1023, 8191, 8192, 100_003];
    for (const id of ids) bits.add(id);
    for (const id of ids) expect(bits.has(id)).toBe(true);
    for (const id of [1, 6, 9, 1022, 8190, 8193, 100_002, 100_004, 1e9, -1]) expect(bits.has(id)).toBe(false);
  });
});
