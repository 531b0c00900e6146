// The merge and clock pieces of the chains stage, and the chains stage end to end
// from the CLI on the real multi-service sample.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CausalEvidence, estimateClocks, mergeByTime, type CausalPair } from '../../src/chain/merge.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

describe('mergeByTime', () => {
  it('interleaves streams by time and never reorders inside one', () => {
    const a = [
      { s: 'a', t: 1 },
      { s: 'a', t: 5 },
      { s: 'a', t: 3 },
    ];
    const b = [
      { s: 'b', t: 2 },
      { s: 'b', t: null },
      { s: 'b', t: 4 },
    ];
    expect(mergeByTime([a, b], (x) => x.t).map((x) => `${x.s}${x.t}`)).toEqual(['a1', 'b2', 'bnull', 'b4', 'a5', 'a3']);
  });
});

describe('estimateClocks', () => {
  const pair = (e: string, em: number, l: string, lm: number): CausalPair => ({
    earlier: { source: e, ms: em, line: 1 },
    later: { source: l, ms: lm, line: 2 },
    why: 'test',
  });

  it('blames the one input that disagrees with the others', () => {
    // api is 3 s ahead: what it caused seems to happen before it
    const est = estimateClocks([
      pair('api', 3000, 'cpu', 190),
      pair('api', 3000, 'capi', 160),
      pair('capi', 200, 'cvol', 240),
    ]);
    expect([...est.skewed.keys()]).toEqual(['api']);
    expect(est.skewed.get('api')).toBeGreaterThan(2700);
    expect(est.skews).toHaveLength(1);
    expect(est.skews[0]).toMatchObject({ kind: 'offset', inputs: ['api'], source: 'api', line: 1 });
  });

  it('a clock pair whose pairs contradict each other, both ways round, takes the median of what each allows', () => {
    // b is ~2 s behind a by three pairs, ~1 s by one, and one pair seen from b's side says 1.5 s
    const pairs = [
      pair('a', 2000, 'b', 0),
      pair('a', 2100, 'b', 120),
      pair('a', 1000, 'b', 0),
      pair('b', 0, 'a', 1500),
      pair('a', 2050, 'b', 40),
    ];
    const est = estimateClocks(pairs);
    expect(est.skews).toHaveLength(1);
    // allowed off(b) − off(a): −2000, −1980, −1000, −1500 (seen from b), −2010: the median is −1980
    expect(est.skews[0]).toMatchObject({ kind: 'ambiguous', inputs: ['a', 'b'], offsetMs: 1980 });
    // folded as they come, estimated half-way and again at the end: the same as all at once
    const evidence = new CausalEvidence();
    for (const p of pairs.slice(0, 2)) evidence.add(p);
    expect(evidence.estimate().skews[0]).toMatchObject({ kind: 'ambiguous', offsetMs: 2000 });
    for (const p of pairs.slice(2)) evidence.add(p);
    expect(evidence.estimate()).toEqual(est);
  });

  it('counts the pairs that allow equal clocks in the median, though it keeps only the others', () => {
    // two pairs say b is ~2 s behind a, three seen from b allow any lag from 1.5 s on, equal clocks too
    const fromB = [1500, 1600, 1700].map((ms) => pair('b', 0, 'a', ms));
    const pairs = [pair('a', 2000, 'b', 0), pair('a', 2100, 'b', 120), ...fromB];
    // allowed off(b) − off(a): −2000, −1980, 0, 0, 0: the median is 0, not −1990
    const skewed = (ps: CausalPair[]) => [...estimateClocks(ps).skewed.values()];
    expect(skewed(pairs)).toEqual([]);
    expect(skewed(pairs.slice(0, 3))).not.toEqual([]);
  });

  it('says nothing when causality holds, however slow a hop', () => {
    const est = estimateClocks([pair('api', 0, 'cpu', 5000), pair('api', 0, 'capi', 100)]);
    expect(est.skews).toEqual([]);
    expect(est.skewed.size).toBe(0);
  });

  it('names both inputs when only two disagree, and says nothing tells which', () => {
    const est = estimateClocks([pair('a', 3000, 'b', 100)]);
    expect(est.skews).toHaveLength(1);
    expect(est.skews[0]).toMatchObject({ kind: 'ambiguous', inputs: ['a', 'b'], offsetMs: 2900 });
  });

  it('catches a receiver running ahead: handled long after its caller stopped waiting', () => {
    // api 0–250 ms hands work to cpu (a call: cpu must be done while api waits, a cast within 1 s);
    // cpu logs it at 3100 ms. capi, called by api, agrees with api.
    const call = (e: string, em: number, until: number, l: string, lm: number, slackMs: number): CausalPair => ({
      ...pair(e, em, l, lm),
      until: { ms: until, line: 3, slackMs },
    });
    const est = estimateClocks([
      call('api', 0, 250, 'cpu', 3100, 1000),
      call('api', 0, 250, 'capi', 60, 100),
      pair('client', -5, 'api', 0),
    ]);
    expect(est.skews.map((s) => [s.kind, s.source, s.offsetMs])).toEqual([['offset', 'cpu', 2850]]);
    expect(est.skews[0]!.evidence).toEqual({
      source: 'cpu',
      line: 2,
      otherSource: 'api',
      otherLine: 3,
      relation: 'after-end',
      gapMs: 2850,
      why: 'test',
    });
    expect(est.skewed.get('cpu')).toBe(2850);
    // without the bound, a late line is only a slow hop
    expect(estimateClocks([pair('api', 0, 'cpu', 3100), pair('api', 0, 'capi', 60)]).skews).toEqual([]);
  });
});

describe('ostrace analyze on samples/multi-service/minicloud-attach (built CLI)', () => {
  const main = `${repo}dist/bin/ostrace.js`;
  const files = [
    'client.log',
    'nova-api.log',
    'nova-compute.log',
    'cinder-api.log',
    'cinder-volume.log',
    'nova-api-uwsgi.log',
    'cinder-api-uwsgi.log',
  ].map((f) => `samples/multi-service/minicloud-attach/${f}`);
  it.skipIf(!existsSync(main))('prints server-side exchanges and the chain as JSON', () => {
    const out = JSON.parse(
      execFileSync('node', [main, 'analyze', ...files, '--format', 'json'], { cwd: repo, encoding: 'utf8' }),
    ) as {
      exchanges: Array<{ id: number; side: string; requestId: string | null; service: string | null }>;
      chains: Array<{ root: number | string; services: string[]; links: Array<{ kind: string }> }>;
    };
    const server = out.exchanges.filter((e) => e.side === 'server');
    expect(server.length).toBe(15);
    const client = out.exchanges.find(
      (e) => e.side === 'client' && e.requestId === 'req-a5a69932-4355-4503-9fbf-31582c12abc4',
    )!;
    const chain = out.chains.find((c) => c.root === client.id)!;
    expect(chain.services).toEqual(['client', 'nova-api', 'cinder-api', 'nova-compute', 'cinder-volume']);
    // the five cinder calls by global id, cinderclient's two version requests (`GET /`) by time
    expect(chain.links.map((l) => l.kind).sort()).toEqual([
      'global-request-id',
      'global-request-id',
      'global-request-id',
      'global-request-id',
      'global-request-id',
      'request-id',
      'request-id',
      'request-id',
      'time',
      'time',
    ]);
  });

  it.skipIf(!existsSync(main))('draws the chain as a tree in the text report', () => {
    const out = execFileSync('node', [main, 'analyze', ...files, '--no-color'], { cwd: repo, encoding: 'utf8' });
    expect(out).toContain('client → nova-api → cinder-api → nova-compute → cinder-volume');
    expect(out).toMatch(
      /└─ request-id: nova-api POST \/v2\.1\/servers\/1e5c1409-8714-450d-89e5-ec91287ce520\/os-volume_attachments → 200 253 ms/,
    );
    expect(out).toMatch(/│ {2}│ {2}└─ request-id: cinder-volume lines from cinder-volume\.log:1/);
  });

  it.skipIf(!existsSync(main))('refuses a malformed --label', () => {
    let stderr = '';
    try {
      execFileSync('node', [main, 'analyze', files[0]!, '--label', 'nolabel'], {
        cwd: repo,
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (e) {
      stderr = String((e as { stderr: string }).stderr);
    }
    expect(stderr).toMatch(/^ostrace: --label wants FILE=service/);
  });
});
