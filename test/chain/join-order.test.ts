// Steps 3 and 4 of the chains stage (a client call without request id joins the server
// request of its method, path and time; a request without global id joins the one that
// shares a resource UUID and was running at that moment) look candidates up by binary
// search in each route's or UUID's bucket: a bucket must be in time order even when node
// order is not (exchanges are numbered before spans, so a span that started first comes
// last; a log's lines are numbered before another log's).
import { describe, expect, it } from 'vitest';
import { buildChains } from '../../src/chain/chains.js';
import { ServerTimes, SpanTable, type RequestSpan } from '../../src/core/analysis.js';
import { draftToExchange } from '../../src/service/exchanges.js';
import { clientCall, draft } from './join-fixture.js';

const T0 = Date.UTC(2026, 10, 25, 21, 0, 0);
const VOLUME = '00000002-0000-4000-a000-000000000001';
const COMPUTE_REQ = 'req-00000004-0000-4000-a000-000000000001';
const CINDER_REQ = 'req-00000005-0000-4000-a000-000000000001';
const LATER_REQ = 'req-00000006-0000-4000-a000-000000000001';

function analysis() {
  const sources = ['nova-compute.log', 'cinder-api.log'];
  const inputIndex = new Map(sources.map((s, i) => [s, i]));
  const exchanges: ReturnType<typeof draftToExchange>[] = [];
  const spans: RequestSpan[] = [];
  const serverTimes = new ServerTimes();
  const cinderCall = (requestId: string, line: number, from: number, to: number) => {
    const path = `/v3/p/volumes/${VOLUME}`;
    const d = draft('cinder-api.log', 'cinder-api', line, {
      url: path,
      path,
      startMs: from,
      endMs: to,
      requestId,
    });
    const x = draftToExchange(d, exchanges.length + 1);
    exchanges.push(x);
    serverTimes.set(x.id, from, to, spans.length); // the span pushed next answered it
    spans.push({
      source: 'cinder-api.log',
      inputIndex: 1,
      service: 'cinder-api',
      requestId,
      globalRequestId: null,
      firstLine: line,
      lastLine: line + 1,
      firstMs: from,
      lastMs: to,
      debug: true,
      uuids: [VOLUME],
      answersCall: true,
    });
  };
  // cinder-api: the call nova-compute made (inside its request's lines), then a much later one
  cinderCall(CINDER_REQ, 1, T0 + 150, T0 + 200);
  cinderCall(LATER_REQ, 3, T0 + 60_000, T0 + 60_050);
  // nova-compute's request: started first, numbered last (a span of lines, no exchange)
  spans.push({
    source: 'nova-compute.log',
    inputIndex: 0,
    service: 'nova-compute',
    requestId: COMPUTE_REQ,
    globalRequestId: null,
    firstLine: 1,
    lastLine: 9,
    firstMs: T0 + 100,
    lastMs: T0 + 2000,
    debug: true,
    uuids: [VOLUME],
    answersCall: false,
  });
  return {
    result: { exchanges, findings: [], chains: [], serviceEvents: [] },
    details: new Map(),
    service: { spans: SpanTable.of(spans), inputs: [], events: [], serverTimes, inputIndex },
    serverExchangeCount: exchanges.length,
    sameClock: true,
  } as unknown as Parameters<typeof buildChains>[0];
}

describe('the resource-UUID join', () => {
  it('finds the request running at that moment though it is the last node of the bucket', () => {
    const a = analysis();
    buildChains(a);
    const chains = [...a.result.chains];
    const compute = chains.find((c) => c.root === COMPUTE_REQ);
    expect(compute?.services).toEqual(['nova-compute', 'cinder-api']);
    expect(compute?.links.map((l) => l.kind)).toEqual(['resource-uuid']);
    // the later call (x2) ran when no request naming the volume did: linked to none
    expect(chains).toHaveLength(1);
    expect(compute?.links.map((l) => l.to)).toEqual(['x1']);
  });
});

/**
 * `count` nova-compute requests naming one volume, each running half a second, numbered latest
 * first (a log read back to front), and one cinder-api call made during the one at `during`.
 */
function crowdedBucket(count: number, during: number) {
  const spans: RequestSpan[] = [];
  const serverTimes = new ServerTimes();
  const computeReq = (i: number) => `req-00000007-0000-4000-a000-${i.toString(16).padStart(12, '0')}`;
  for (let i = count - 1; i >= 0; i--)
    spans.push({
      source: 'nova-compute.log',
      inputIndex: 0,
      service: 'nova-compute',
      requestId: computeReq(i),
      globalRequestId: null,
      firstLine: 10 * (count - i),
      lastLine: 10 * (count - i) + 5,
      firstMs: T0 + 1000 * i,
      lastMs: T0 + 1000 * i + 500,
      debug: true,
      uuids: [VOLUME],
      answersCall: false,
    });
  const at = T0 + 1000 * during + 250;
  const path = `/v3/p/volumes/${VOLUME}`;
  const call = draftToExchange(
    draft('cinder-api.log', 'cinder-api', 1, { url: path, path, startMs: at, endMs: at + 20, requestId: CINDER_REQ }),
    1,
  );
  serverTimes.set(call.id, at, at + 20, spans.length);
  spans.push({
    source: 'cinder-api.log',
    inputIndex: 1,
    service: 'cinder-api',
    requestId: CINDER_REQ,
    globalRequestId: null,
    firstLine: 1,
    lastLine: 2,
    firstMs: at,
    lastMs: at + 20,
    debug: true,
    uuids: [VOLUME],
    answersCall: true,
  });
  const a = {
    result: { exchanges: [call], findings: [], chains: [], serviceEvents: [] },
    details: new Map(),
    service: {
      spans: SpanTable.of(spans),
      inputs: [],
      events: [],
      serverTimes,
      inputIndex: new Map([
        ['nova-compute.log', 0],
        ['cinder-api.log', 1],
      ]),
    },
    serverExchangeCount: 1,
    sameClock: true,
  } as unknown as Parameters<typeof buildChains>[0];
  return { analysis: a, expectedRoot: computeReq(during) };
}

describe('the resource-UUID join in a crowded bucket', () => {
  // a few entries are sorted in place, many with a column of their starts: both in time order
  for (const count of [6, 80])
    it(`finds the one of ${count} requests naming the volume that ran at that moment`, () => {
      for (const during of [0, 2, count - 1]) {
        const { analysis: a, expectedRoot } = crowdedBucket(count, during);
        buildChains(a);
        const chains = [...a.result.chains];
        expect(chains).toHaveLength(1);
        expect(chains[0]!.root).toBe(expectedRoot);
        expect(chains[0]!.links).toEqual([
          { from: `line:nova-compute.log:${10 * (count - during)}`, to: 'x1', kind: 'resource-uuid' },
        ]);
      }
    });
});

describe('the method + path + time join', () => {
  it('finds the server request of a client call though a later one was numbered first', () => {
    const detail = '/v2.1/servers/detail';
    const exchanges: ReturnType<typeof draftToExchange>[] = [];
    const serverTimes = new ServerTimes();
    const uwsgi = (source: string, line: number, startMs: number) => {
      const d = draft(source, 'nova-api', line, {
        style: 'uwsgi',
        url: detail,
        path: detail,
        startMs,
        endMs: startMs + 20,
      });
      const x = draftToExchange(d, exchanges.length + 1);
      exchanges.push(x);
      serverTimes.set(x.id, startMs, startMs + 20);
      return x;
    };
    uwsgi('a-uwsgi.log', 1, T0 + 60_000); // x1: a minute later, first in node order
    const answered = uwsgi('b-uwsgi.log', 1, T0 + 5); // x2: the one that answered
    exchanges.push(clientCall(answered, exchanges.length + 1, T0, 30));
    const a = {
      result: { exchanges, findings: [], chains: [], serviceEvents: [] },
      details: new Map(),
      service: {
        spans: new SpanTable(),
        inputs: [],
        events: [],
        serverTimes,
        inputIndex: new Map([
          ['client.log', 0],
          ['a-uwsgi.log', 1],
          ['b-uwsgi.log', 2],
        ]),
      },
      serverExchangeCount: 2,
      sameClock: true,
    } as unknown as Parameters<typeof buildChains>[0];
    buildChains(a);
    const chains = [...a.result.chains];
    expect(chains).toHaveLength(1);
    expect(chains[0]!.links).toEqual([{ from: 'x3', to: 'x2', kind: 'time' }]);
  });
});
