// Timing statistics on real-shaped input: the timed sample (the real minicloud recording
// with --log-file prefixes) and the seed log (no timing at all).
import { readFileSync } from 'node:fs';
import { quantile } from 'd3-array';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/analyze.js';
import type { Exchange, RunResult } from '../../src/model/schema.js';
import { Stats } from '../../src/model/stats-schema.js';
import { statsOf } from '../../src/stats/index.js';

const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');
const timedText = read('samples/timed/client.log');
const expectFile = JSON.parse(read('samples/timed/client.expect.json')) as {
  commands: Array<{ name: string; exitCode: number; exchanges: number }>;
  exchanges: Array<{ durationMs: number }>;
  stats: {
    timed: number;
    timingSources: string[];
    byService: Array<{
      side: string;
      service: string;
      count: number;
      errors: number;
      timed: number;
      minMs: number;
      maxMs: number;
      totalMs: number;
    }>;
    slowest: Array<{ exchange: number; method: string; template: string; durationMs: number }>;
  };
};
const expected = { ...expectFile.stats, commands: expectFile.commands, exchanges: expectFile.exchanges.length };

/** With plain arrays, so a test can add server-side exchanges by hand. */
function timedRun(): RunResult & { exchanges: Exchange[] } {
  const result = analyzeText([{ name: 'client.log', text: timedText }]).result;
  return { ...result, exchanges: [...result.exchanges] };
}

/** Durations straight from the log text: REQ (or auth announcement) line → its urllib3 answer line. */
function durationsFromLog(text: string, method: string, pathEnd: string): number[] {
  const ms = (line: string) => Date.parse(`${line.slice(0, 23).replace(' ', 'T')}Z`);
  const out: number[] = [];
  let started: number | null = null;
  for (const line of text.split('\n')) {
    if (line.includes(' REQ: curl ') || line.includes('Making authentication request to ')) started = ms(line);
    const answer = line.indexOf(' urllib3.connectionpool ');
    if (answer > 0 && line.includes(`"${method} `) && line.includes(` HTTP/1.1"`) && started !== null) {
      const target = line.slice(line.indexOf(`"${method} `) + method.length + 2, line.indexOf(' HTTP/1.1"'));
      if (target.split('?')[0]!.endsWith(pathEnd)) out.push(ms(line) - started);
      started = null;
    }
  }
  return out;
}

describe('stats on the timed sample (8 real commands, --log-file timestamps)', () => {
  const run = timedRun();
  const stats = statsOf(run);

  it("matches the schema and the sample's expect file", () => {
    const plain = {
      ...stats,
      byCommand: [...stats.byCommand],
      pairs: [...stats.pairs],
      criticalPath: [...stats.criticalPath],
    };
    expect(Stats.parse(plain)).toEqual(plain);
    expect(run.commands.map((c) => ({ name: c.name, exitCode: c.exitCode, exchanges: c.exchanges.length }))).toEqual(
      expected.commands,
    );
    expect(stats.exchanges).toBe(expected.exchanges);
    expect(stats.timed).toBe(expected.timed);
    expect(stats.timingSources).toEqual(expected.timingSources);
    expect(stats.note).toBeNull();
    expect(
      stats.byService.map((s) => ({
        side: s.side,
        service: s.service,
        count: s.count,
        errors: s.errors,
        timed: s.timed,
        minMs: s.durationMs?.min,
        maxMs: s.durationMs?.max,
        totalMs: s.durationMs?.total,
      })),
    ).toEqual(expected.byService);
    expect(
      stats.slowest
        .slice(0, 3)
        .map((s) => ({ exchange: s.exchange, method: s.method, template: s.template, durationMs: s.durationMs })),
    ).toEqual(expected.slowest);
  });

  it('token requests: count, min, max, total and quantiles agree with the log lines themselves', () => {
    const fromLog = durationsFromLog(timedText, 'POST', '/auth/tokens');
    expect(fromLog).toHaveLength(8);
    const row = stats.byEndpoint.find((s) => s.method === 'POST' && s.template === '/v3/auth/tokens')!;
    expect(row.count).toBe(8);
    expect(row.errors).toBe(0);
    expect(row.durationMs!.min).toBe(Math.min(...fromLog));
    expect(row.durationMs!.max).toBe(Math.max(...fromLog));
    expect(row.durationMs!.total).toBe(fromLog.reduce((a, b) => a + b, 0));
    expect(row.durationMs!.p50).toBeCloseTo(quantile(fromLog, 0.5)!, 1);
    expect(row.durationMs!.p90).toBeCloseTo(quantile(fromLog, 0.9)!, 1);
  });

  it('folds names and UUIDs: GET servers/srv-01 (404) and servers/<uuid> (200) are one endpoint', () => {
    const row = stats.byEndpoint.find(
      (s) => s.service === 'compute' && s.method === 'GET' && s.template === '/v2.1/servers/{id}',
    )!;
    expect(row.count).toBe(5);
    expect(row.errors).toBe(2);
  });

  it('per command: counts and the span from first request to last response', () => {
    const attach = stats.byCommand.find((c) => c.name === 'server add volume')!;
    expect(attach.count).toBe(10);
    expect(attach.errors).toBe(3); // servers/srv-01 404, volume endpoint 401, volumes/vol-01 404
    // span from the first REQ of the command to the attach POST's answer, read off the log
    const lines = timedText.split('\n');
    const first = lines.find(
      (l) => l.includes('REQ: curl -g -i -X GET http://127.0.0.1:5000/v3') && l.startsWith('2026-11-25 21:02:53'),
    )!;
    const last = lines.find((l) =>
      l.includes('"POST /v2.1/servers/1e5c1409-8714-450d-89e5-ec91287ce520/os-volume_attachments HTTP/1.1"'),
    )!;
    const ms = (l: string) => Date.parse(`${l.slice(0, 23).replace(' ', 'T')}Z`);
    expect(attach.spanMs).toBe(ms(last) - ms(first));
  });

  it('lists the slowest exchanges, slowest first', () => {
    const d = stats.slowest.map((s) => s.durationMs);
    expect(d).toEqual([...d].sort((a, b) => b - a));
    expect(stats.slowest).toHaveLength(10);
    expect(stats.slowest[0]!.template).toBe('/v2.1/servers/{id}/os-volume_attachments');
  });
});

describe('stats without timing (seed log of the design document)', () => {
  const run = analyzeText([{ name: 'client.log', text: read('samples/seed-attach-volume/client.log') }]).result;
  const stats = statsOf(run);

  it('says so once, and prints no zeros', () => {
    expect(stats.timed).toBe(0);
    expect(stats.note).toMatch(/^no per-request timing/);
    expect(stats.byService.every((s) => s.durationMs === null && s.timed === 0)).toBe(true);
    expect(stats.byService.map((s) => [s.service, s.count])).toEqual([
      ['compute', 5],
      ['identity', 2],
      ['volumev2', 2],
    ]);
    expect(stats.slowest).toEqual([]);
    expect(stats.byCommand.at(0)!.spanMs).toBeNull();
  });
});

describe('client and server sides', () => {
  /** The server's own record of a client request: what the services stage produces from an access line. */
  function serverTwin(c: Exchange, id: number, serverTimeMs: number): Exchange {
    return {
      ...c,
      id,
      side: 'server',
      line: 1,
      endLine: 1,
      source: 'nova-api.log',
      durationMs: null,
      timing: 'server',
      serverTimeMs,
      command: null,
    };
  }

  it('pairs by request id and reports the gap (network + queueing)', () => {
    const run = timedRun();
    const attach = run.exchanges.find((e) => e.method === 'POST' && e.path?.endsWith('/os-volume_attachments'))!;
    run.exchanges.push(serverTwin(attach, 1000, 823.1));
    const stats = statsOf(run);
    expect([...stats.pairs]).toEqual([
      {
        client: attach.id,
        server: 1000,
        requestId: attach.requestId,
        clientMs: attach.durationMs,
        serverMs: 823.1,
        gapMs: Math.round((attach.durationMs! - 823.1) * 10) / 10,
      },
    ]);
    const slow = stats.slowest.find((s) => s.exchange === attach.id)!;
    expect(slow.serverTimeMs).toBe(823.1);
    expect(slow.gapMs).toBeCloseTo(attach.durationMs! - 823.1, 1);
    const server = stats.byService.find((s) => s.side === 'server')!;
    expect(server).toMatchObject({ service: 'compute', count: 1, timed: 1 });
    expect(server.durationMs!.p50).toBe(823.1);
  });

  it('follows the chain to the call that ended last (critical path)', () => {
    const run = timedRun();
    const attach = run.exchanges.find((e) => e.method === 'POST' && e.path?.endsWith('/os-volume_attachments'))!;
    const nova = serverTwin(attach, 1000, 900);
    const base = Date.parse(`${attach.startedAt}Z`);
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 23);
    // nova-compute's two cinder calls: attachment update (ends later) and a short GET
    const cinderGet: Exchange = {
      ...nova,
      id: 1001,
      service: 'volumev3',
      method: 'GET',
      path: '/v3/7f697e5c98a34cb1a2c11b7809b4766e/volumes/a0f00d83-6c4e-40b7-bca0-f372e48e57aa',
      requestId: 'req-c1',
      startedAt: iso(base + 100),
      serverTimeMs: 40,
    };
    const cinderPut: Exchange = {
      ...nova,
      id: 1002,
      service: 'volumev3',
      method: 'PUT',
      path: '/v3/7f697e5c98a34cb1a2c11b7809b4766e/attachments/9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
      requestId: 'req-c2',
      startedAt: iso(base + 300),
      serverTimeMs: 500,
    };
    run.exchanges.push(nova, cinderGet, cinderPut);
    run.chains = [
      {
        id: 1,
        root: attach.id,
        services: ['compute', 'volumev3'],
        spanMs: null,
        links: [
          { from: `x${attach.id}`, to: 'x1000', kind: 'request-id' },
          { from: 'x1000', to: 'line:nova-compute.log:10', kind: 'global-request-id' },
          { from: 'line:nova-compute.log:10', to: 'x1001', kind: 'global-request-id' },
          { from: 'line:nova-compute.log:10', to: 'x1002', kind: 'global-request-id' },
        ],
      },
    ];
    const [path] = statsOf(run).criticalPath;
    expect(path!.chain).toBe(1);
    expect(path!.steps.map((s) => s.exchange)).toEqual([attach.id, 1000, 1002]);
    expect(path!.steps[2]).toMatchObject({
      method: 'PUT',
      template: '/v3/{id}/attachments/{id}',
      startOffsetMs: 300,
      durationMs: 500,
      selfMs: 500,
    });
    expect(path!.steps[1]!.selfMs).toBe(400);
    expect(path!.totalMs).toBe(attach.durationMs);
  });
});
