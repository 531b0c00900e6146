// The real attach of samples/multi-service/minicloud-attach (excerpts of the
// minicloud recording), followed hop by hop through five logs; then the same logs
// with a clock shifted, without global ids, and the devstack journal variant.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';
import type { RunResult } from '../../src/model/schema.js';
import { renderChains } from '../../src/report/chain-tree.js';

const dir = fileURLToPath(new URL('../../samples/multi-service/minicloud-attach/', import.meta.url));
const expectation = JSON.parse(readFileSync(`${dir}minicloud-attach.expect.json`, 'utf8')) as {
  inputs: string[];
  chains: Array<{ root: string; services: string[]; links: Array<{ from: string; to: string; kind: string }> }>;
};
const read = (name: string) => readFileSync(`${dir}${name}`, 'utf8');
const ATTACH = 'req-a5a69932-4355-4503-9fbf-31582c12abc4';

/** A node as the expect file names it: `service METHOD path` (+ ` @file:line` when that is ambiguous). */
function describeNode(run: RunResult, id: string): { short: string; full: string } {
  if (id.startsWith('x')) {
    const e = run.exchanges.find((x) => x.id === Number(id.slice(1)))!;
    const short = `${e.side === 'client' ? 'client' : e.service} ${e.method} ${e.path}`;
    return { short, full: `${short} @${e.source}:${e.line}` };
  }
  const at = id.lastIndexOf(':');
  const source = id.slice(5, at);
  const label = run.inputs.find((i) => i.name === source)?.service;
  const s = `${label} lines @${source}:${id.slice(at + 1)}`;
  return { short: s, full: s };
}

const named = (run: RunResult, id: string, want: string) => {
  const d = describeNode(run, id);
  return want.includes(' @') ? d.full : d.short;
};

function attachChain(run: RunResult) {
  const client = run.exchanges.find((e) => e.side === 'client' && e.requestId === ATTACH)!;
  expect(client, 'the client exchange of the attach').toBeDefined();
  return run.chains.find((c) => c.root === client.id)!;
}

function shiftClock(text: string, ms: number): string {
  return text.replace(/^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3})/gm, (_m, day: string, time: string) => {
    const t = new Date(Date.parse(`${day}T${time}Z`) + ms).toISOString();
    return `${t.slice(0, 10)} ${t.slice(11, 23)}`;
  });
}

describe('minicloud attach across five services', () => {
  const inputs = expectation.inputs.map((name) => ({ name, text: read(name) }));
  const { result } = runPipelineOnText(inputs);

  it('labels every input with its service', () => {
    expect(result.inputs.map((i) => [i.name, i.service])).toEqual([
      ['client.log', 'client'],
      ['nova-api.log', 'nova-api'],
      ['nova-compute.log', 'nova-compute'],
      ['cinder-api.log', 'cinder-api'],
      ['cinder-volume.log', 'cinder-volume'],
      ['nova-api-uwsgi.log', 'nova-api'],
      ['cinder-api-uwsgi.log', 'cinder-api'],
    ]);
  });

  it('loses no line', () => {
    for (const input of result.inputs) {
      const kinds = Object.entries(input.kinds)
        .filter(([k]) => k !== 'unrecognized')
        .reduce((n, [, v]) => n + v, 0);
      expect(kinds + input.unrecognizedLines, input.name).toBe(input.lines);
    }
  });

  it('turns nova requestlog and cinder request/returned pairs into server-side exchanges', () => {
    const nova = result.exchanges.find((e) => e.side === 'server' && e.requestId === ATTACH)!;
    expect(nova).toMatchObject({
      source: 'nova-api.log',
      line: 30,
      method: 'POST',
      status: 200,
      microversion: '2.89',
      serverTimeMs: 252.527,
      timing: 'server',
      path: '/v2.1/servers/1e5c1409-8714-450d-89e5-ec91287ce520/os-volume_attachments',
      startedAt: '2026-11-25T21:02:53.900',
    });
    const put = result.exchanges.find((e) => e.side === 'server' && e.method === 'PUT')!;
    // request line 46 (54.196) and `returned with HTTP 200` line 51 (54.263)
    expect(put).toMatchObject({
      source: 'cinder-api.log',
      line: 46,
      endLine: 51,
      status: 200,
      serverTimeMs: 67,
      globalRequestId: ATTACH,
      requestId: 'req-f053a56b-63f6-4d3c-8b68-3b047f048021',
    });
  });

  it('gives every server-side exchange its API family next to its service label', () => {
    const server = result.exchanges.filter((e) => e.side === 'server');
    expect(new Set(server.map((e) => `${e.service} ${e.serviceType}`))).toEqual(
      new Set(['nova-api compute', 'cinder-api volume']),
    );
    // client exchanges keep the catalog type in `service` and have no separate family
    expect(result.exchanges.filter((e) => e.side === 'client').every((e) => e.serviceType === undefined)).toBe(true);
  });

  it('folds a uwsgi line into the oslo.log request it belongs to, and keeps the others', () => {
    const server = result.exchanges.filter((e) => e.side === 'server');
    // nova-api-uwsgi.log has 4 requests, all also in nova-api.log: none is left on its own
    expect(server.filter((e) => e.source === 'nova-api-uwsgi.log')).toEqual([]);
    // cinder's 401 never reached cinder's own log: only uwsgi saw it
    expect(
      server.filter((e) => e.source === 'cinder-api-uwsgi.log').map((e) => [e.method, e.path, e.status, e.requestId]),
    ).toEqual([['GET', '/v3/', 401, null]]);
  });

  it('follows the attach chain hop by hop', () => {
    const chain = attachChain(result);
    const [want] = expectation.chains;
    expect(named(result, `x${chain.root}`, want!.root)).toBe(want!.root);
    expect(chain.services).toEqual(want!.services);
    expect(
      chain.links.map((l) => ({
        from: named(
          result,
          l.from,
          want!.links.find((w) => w.to.split(' @')[0] === describeNode(result, l.to).short)?.from ?? '',
        ),
        to: named(
          result,
          l.to,
          want!.links.find((w) => w.to.split(' @')[0] === describeNode(result, l.to).short)?.to ?? '',
        ),
        kind: l.kind,
      })),
    ).toEqual(want!.links);
    expect(chain.spanMs).toBeGreaterThan(400);
    expect(chain.spanMs).toBeLessThan(500);
  });

  it('exposes the flow steps as service events with ids and UUIDs', () => {
    const byMarker = new Map(result.serviceEvents.map((e) => [e.marker, e]));
    expect(byMarker.get('nova.attach.start')).toMatchObject({
      source: 'nova-compute.log',
      line: 7,
      requestId: ATTACH,
      globalRequestId: null,
      volume: 'a0f00d83-6c4e-40b7-bca0-f372e48e57aa',
      instance: '1e5c1409-8714-450d-89e5-ec91287ce520',
    });
    expect(byMarker.get('nova.attach.update-attachment')?.attachment).toBe('6db30c74-ff20-42dc-a1e8-637282e5f279');
    expect(byMarker.get('cinder.volume.attachment-update')).toMatchObject({
      service: 'cinder-volume',
      globalRequestId: ATTACH,
      requestId: 'req-f053a56b-63f6-4d3c-8b68-3b047f048021',
    });
    // merged time order across inputs: reserve (54.090) … initialize (54.233) … end (54.338)
    expect(result.serviceEvents.map((e) => e.marker)).toEqual([
      'nova.attach.reserve-device',
      'nova.attach.start',
      'nova.attach.update-attachment',
      'cinder.volume.initialize-connection',
      'cinder.volume.attachment-update',
      'nova.attach.end',
    ]);
  });

  it('reports no clock skew and no out-of-order time on the real logs', () => {
    expect(result.findings.filter((f) => f.ruleId.startsWith('time/'))).toEqual([]);
  });
});

describe('the same logs with nova-api.log 3 s ahead', () => {
  const inputs = expectation.inputs.map((name) => ({
    name,
    text: name === 'nova-api.log' ? shiftClock(read(name), 3000) : read(name),
  }));
  const { result } = runPipelineOnText(inputs);

  it('still joins the chain: the same nodes by the same kinds of link', () => {
    const chain = attachChain(result);
    const plain = attachChain(runPipelineOnText(expectation.inputs.map((name) => ({ name, text: read(name) }))).result);
    // Which of nova-api or nova-compute made a cinder call near the end of the API
    // request is decided by time, so it is only as exact as the skew estimate
    // (about the fastest hop, ~0.15 s here); who is in the chain, and how, is not.
    const joined = (c: typeof chain) => c.links.map((l) => `${l.to} ${l.kind}`).sort();
    expect(joined(chain)).toEqual(joined(plain));
    expect(new Set(chain.services)).toEqual(new Set(plain.services));
    // the skew is removed from the span
    expect(chain.spanMs).toBeLessThan(600);
  });

  it('still folds the uwsgi lines (on the true clock) into the shifted oslo.log requests', () => {
    const server = result.exchanges.filter((e) => e.side === 'server');
    expect(server.filter((e) => e.source === 'nova-api-uwsgi.log')).toEqual([]);
    expect(server.filter((e) => e.source === 'nova-api.log')).toHaveLength(4);
  });

  it('names the shifted file in a clock-skew finding', () => {
    const skew = result.findings.filter((f) => f.ruleId === 'time/clock-skew');
    expect(skew.map((f) => f.source)).toEqual(['nova-api.log']);
    expect(skew[0]!.message).toMatch(/ahead of the other logs by about (2\.[89]|3\.0) s/);
  });

  it('reports no skew when told all inputs share one clock (--same-clock)', () => {
    const same = runPipelineOnText(inputs, { sameClock: true }).result;
    expect(same.findings.filter((f) => f.ruleId === 'time/clock-skew')).toEqual([]);
    expect(same.clockSkews).toEqual([]);
  });
});

// Files that receive work (nova-compute from nova-api, cinder-volume from
// cinder-api) break causality when they run behind. When they run ahead their
// lines just look late; only the HTTP calls they make themselves (nova-compute
// to cinder-api) bound them from that side.
describe.each([
  ['nova-compute.log', 3000],
  ['nova-compute.log', -3000],
  ['cinder-volume.log', -3000],
] as const)('the same logs with %s shifted by %i ms', (file, shift) => {
  const inputs = expectation.inputs.map((name) => ({
    name,
    text: name === file ? shiftClock(read(name), shift) : read(name),
  }));
  const { result } = runPipelineOnText(inputs);
  const plain = attachChain(runPipelineOnText(expectation.inputs.map((name) => ({ name, text: read(name) }))).result);

  it('names that file, and only it, in a clock-skew finding', () => {
    const skew = result.findings.filter((f) => f.ruleId === 'time/clock-skew');
    expect(skew.map((f) => f.source)).toEqual([file]);
    expect(skew[0]!.message).toContain(shift > 0 ? 'ahead of the other logs' : 'behind the other logs');
    expect(skew[0]!.message).toMatch(/by about (2\.[89]|3\.0) s/);
  });

  it('still joins the chain exactly as with true clocks', () => {
    const chain = attachChain(result);
    const joined = (c: typeof chain) => c.links.map((l) => `${l.from} ${l.to} ${l.kind}`).sort();
    expect(joined(chain)).toEqual(joined(plain));
    expect(chain.spanMs).toBeLessThan(600);
  });
});

// cinder-volume only receives work over RPC, and nothing in the logs tells a call
// from a cast: its lines logged late are no evidence (a cast's work goes on after
// the API answered), so a clock running ahead there cannot be told from slow work.
describe('the same logs with cinder-volume.log 3 s ahead', () => {
  it('reports no clock skew: no sound evidence bounds it', () => {
    const inputs = expectation.inputs.map((name) => ({
      name,
      text: name === 'cinder-volume.log' ? shiftClock(read(name), 3000) : read(name),
    }));
    const { result } = runPipelineOnText(inputs);
    expect(result.findings.filter((f) => f.ruleId === 'time/clock-skew')).toEqual([]);
  });
});

describe('only two logs disagree', () => {
  const shifted = (name: string) => ({
    name,
    text: name === 'nova-compute.log' ? shiftClock(read(name), -3000) : read(name),
  });

  it('names both and says nothing tells which one is wrong', () => {
    const { result } = runPipelineOnText(['nova-api.log', 'nova-compute.log'].map(shifted));
    const skew = result.findings.filter((f) => f.ruleId === 'time/clock-skew');
    expect(skew).toHaveLength(1);
    expect(skew[0]!.message).toMatch(
      /^clocks of nova-api\.log and nova-compute\.log disagree by about (2\.[89]|3\.0) s; no other log tells which one is wrong/,
    );
  });

  it('blames the one a third log disagrees with', () => {
    const { result } = runPipelineOnText(['nova-api.log', 'nova-compute.log', 'cinder-api.log'].map(shifted));
    const skew = result.findings.filter((f) => f.ruleId === 'time/clock-skew');
    expect(skew.map((f) => f.source)).toEqual(['nova-compute.log']);
    expect(skew[0]!.message).toMatch(/^clock of nova-compute\.log looks behind the other logs/);
  });
});

describe('without global request ids (nova not forwarding its id)', () => {
  // what an older nova produces: cinder logs `[None req-B …]`
  const strip = (text: string) => text.replaceAll(`[${ATTACH} req-`, '[None req-');
  const inputs = expectation.inputs.map((name) => ({
    name,
    text: name.startsWith('cinder') ? strip(read(name)) : read(name),
  }));
  const { result } = runPipelineOnText(inputs);

  it('links the cinder requests by the resource UUIDs they share with nova at that moment', () => {
    const chain = attachChain(result);
    const kinds = chain.links.map((l) => [describeNode(result, l.to).short, l.kind]);
    expect(kinds).toContainEqual([
      'cinder-api PUT /v3/7f697e5c98a34cb1a2c11b7809b4766e/attachments/6db30c74-ff20-42dc-a1e8-637282e5f279',
      'resource-uuid',
    ]);
    expect(kinds).toContainEqual(['cinder-volume lines @cinder-volume.log:1', 'request-id']);
    expect(kinds.filter(([, k]) => k === 'global-request-id')).toEqual([]);
  });
});

describe('without global ids, next to a concurrent request on the same volume', () => {
  // Another user's `volume show` of the same volume while nova works on it: its
  // cinder-api request (linked to its client by request id) and cinder-volume
  // lines, built from the real lines of the sample with a new id and times.
  const Z = 'req-0000aaaa-1111-4222-8333-444455556666';
  const strip = (text: string) => text.replaceAll(`[${ATTACH} req-`, '[None req-');
  const lines = (name: string, from: number, to: number) =>
    read(name)
      .split('\n')
      .slice(from - 1, to);
  const clientZ = lines('client.log', 64, 69).map((l) =>
    l
      .replaceAll('volumes/vol-01', 'volumes/a0f00d83-6c4e-40b7-bca0-f372e48e57aa')
      .replaceAll('req-c09da371-24ef-4722-96bb-59d15f65d058', Z),
  );
  const at = (l: string, time: string) => l.replace(/^(\S+) \S+/, `$1 ${time}`);
  const apiZ = lines('cinder-api.log', 20, 24).map((l, i) =>
    at(strip(l).replaceAll('req-1995084d-9e41-447c-8bec-63e37d03893d', Z), `21:02:54.${185 + 5 * i}`),
  );
  const volZ = lines('cinder-volume.log', 1, 2).map((l, i) =>
    at(
      l
        .replace(`${ATTACH} req-f053a56b-63f6-4d3c-8b68-3b047f048021`, `None ${Z}`)
        .replace('Connection info returned from driver', 'Volume a0f00d83-6c4e-40b7-bca0-f372e48e57aa info:'),
      `21:02:54.${190 + 10 * i}`,
    ),
  );
  const inputs = [
    ...expectation.inputs.map((name) => ({ name, text: name.startsWith('cinder') ? strip(read(name)) : read(name) })),
    { name: 'client-2.log', text: clientZ.join('\n') },
    { name: 'cinder-api-2.log', text: apiZ.join('\n') },
    { name: 'cinder-volume-2.log', text: volZ.join('\n') },
  ];
  const { result } = runPipelineOnText(inputs);

  it('keeps the concurrent request in its own client chain', () => {
    const client = result.exchanges.find((e) => e.side === 'client' && e.requestId === Z)!;
    const chain = result.chains.find((c) => c.root === client.id)!;
    expect(chain.services).toEqual(['client', 'cinder-api', 'cinder-volume']);
  });

  it("links nova's PUT to nova-compute, not to the other request's cinder-volume lines running at that moment", () => {
    const put = result.exchanges.find((e) => e.side === 'server' && e.method === 'PUT')!;
    const link = attachChain(result).links.find((l) => l.to === `x${put.id}`);
    expect(link).toEqual({ from: 'line:nova-compute.log:1', to: `x${put.id}`, kind: 'resource-uuid' });
  });
});

describe('cinderclient version requests (`GET /`, no global id)', () => {
  const getRoot = (run: RunResult) =>
    run.exchanges.filter((e) => e.side === 'server' && e.method === 'GET' && e.path === '/').map((e) => `x${e.id}`);
  const linkTo = (run: RunResult, id: string) =>
    [...run.chains].flatMap((c) => c.links).find((l) => l.to === id) ?? null;

  it('hang by time from whoever made the call right after them', () => {
    const { result } = runPipelineOnText(expectation.inputs.map((name) => ({ name, text: read(name) })));
    const [first, second] = getRoot(result);
    const chain = attachChain(result);
    const api = result.exchanges.find((e) => e.side === 'server' && e.requestId === ATTACH)!;
    expect(chain.links).toContainEqual({ from: `x${api.id}`, to: first, kind: 'time' });
    expect(chain.links).toContainEqual({ from: 'line:nova-compute.log:1', to: second, kind: 'time' });
  });

  it('stay unlinked when calls of two requests follow', () => {
    // another nova request (the earlier `GET /servers?name=srv-01`) calls cinder at the same moment
    const other = 'req-24ab85fe-d681-4d1c-a073-006ab20c1702';
    const call = (time: string, text: string) =>
      `2026-11-25 21:02:54.${time} 3447 INFO cinder.api.openstack.wsgi [${other} req-0000bbbb-1111-4222-8333-444455556666 7d909a8c6c6b4ab1a4e2ddd657e5ad4e 7f697e5c98a34cb1a2c11b7809b4766e - - default default] ${text}`;
    const url = 'http://127.0.0.1:8776/v3/7f697e5c98a34cb1a2c11b7809b4766e/volumes/detail';
    const cinder = read('cinder-api.log').split('\n');
    cinder.splice(30, 0, call('114', `GET ${url}`), call('116', `${url} returned with HTTP 200`));
    const { result } = runPipelineOnText(
      expectation.inputs.map((name) => ({ name, text: name === 'cinder-api.log' ? cinder.join('\n') : read(name) })),
    );
    const [first, second] = getRoot(result);
    expect(linkTo(result, first!)).toBeNull();
    expect(linkTo(result, second!)).toMatchObject({ from: 'line:nova-compute.log:1', kind: 'time' });
  });
});

describe('devstack journal (constructed from reference §B5/§D9)', () => {
  const jdir = fileURLToPath(new URL('../../samples/multi-service/devstack-attach/', import.meta.url));
  const text = readFileSync(`${jdir}devstack.journal.txt`, 'utf8');
  const { result } = runPipelineOnText([{ name: 'devstack.journal.txt', text }]);
  const R = 'req-1d2c3b4a-5e6f-4a7b-9c8d-0e1f2a3b4c5d';

  it('labels each line by its unit and keeps every line', () => {
    expect(result.inputs[0]).toMatchObject({ service: 'journal', lines: 19, unrecognizedLines: 0 });
    expect(new Set(result.exchanges.map((e) => e.service))).toEqual(new Set(['nova-api', 'cinder-api']));
    expect(result.serviceEvents.find((e) => e.marker === 'cinder.volume.attachment-update')?.service).toBe(
      'cinder-volume',
    );
  });

  it('reads devstack brackets, ANSI codes and the uwsgi line of the same request', () => {
    const nova = result.exchanges.filter((e) => e.service === 'nova-api');
    expect(nova).toHaveLength(1);
    expect(nova[0]).toMatchObject({ requestId: R, serverTimeMs: 823.114, microversion: '2.89' });
  });

  it('builds the chain from nova-api through nova-compute to cinder-volume', () => {
    expect(result.chains).toHaveLength(1);
    const chain = result.chains.at(0)!;
    expect(chain.root).toBe(R);
    // in order of first appearance: cinder's GET (00.905) comes before nova-compute's first line (00.950)
    expect(chain.services).toEqual(['nova-api', 'cinder-api', 'nova-compute', 'cinder-volume']);
    const put = result.exchanges.find((e) => e.method === 'PUT')!;
    const putLink = chain.links.find((l) => l.to === `x${put.id}`)!;
    expect(putLink).toMatchObject({ from: 'line:devstack.journal.txt:4', kind: 'global-request-id' });
    expect(chain.links).toContainEqual({ from: `x${put.id}`, to: 'line:devstack.journal.txt:12', kind: 'request-id' });
  });

  it("keeps every entry of a multi-line record with its record, across another unit's entry in between", () => {
    const multi = readFileSync(`${jdir}devstack-multiline.journal.txt`, 'utf8');
    const { result: m } = runPipelineOnText([{ name: 'devstack-multiline.journal.txt', text: multi }]);
    expect(m.inputs[0]).toMatchObject({ lines: 26, unrecognizedLines: 0 });
    // `attach device xml: <disk …>` on line 14; its entries run to line 21, with cinder-volume's line 18 in between
    expect(m.serviceEvents.find((e) => e.marker === 'nova.attach.device-xml')).toMatchObject({
      line: 14,
      endLine: 21,
      requestId: R,
    });
    // the same single chain: no entry became a record of its own
    expect(m.chains.map((c) => c.services)).toEqual(result.chains.map((c) => c.services));
    expect(m.findings.filter((f) => f.ruleId.startsWith('time/'))).toEqual([]);
  });

  it("names the service of a journal's lines in the chain tree, not the whole journal", () => {
    expect(result.chains.at(0)!.lineServices).toEqual({
      'line:devstack.journal.txt:4': 'nova-compute',
      'line:devstack.journal.txt:12': 'cinder-volume',
    });
    const tree = renderChains(result).join('\n');
    expect(tree).toContain('request-id: nova-compute lines from devstack.journal.txt:4');
    expect(tree).toContain('request-id: cinder-volume lines from devstack.journal.txt:12');
    expect(tree).not.toContain('journal lines');
  });
});
