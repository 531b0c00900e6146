// Request spans are kept in columns from the read to the chains stage (a day of nova-api logs
// has hundreds of thousands): each span reads back as it was written, across appends.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpanIndex, SpanLookup, SpanTable, type RequestSpan } from '../../src/core/analysis.js';

const INSTANCE = 'd7873036-15b0-4a06-9507-999dbf097c62';
const VOLUME = '5f3b4a1c-2b7e-4c3d-9a8f-0e1d2c3b4a59';

function span(source: string, requestId: string, line: number, fields: Partial<RequestSpan> = {}): RequestSpan {
  return {
    source,
    inputIndex: source === 'nova-api.log' ? 0 : 1,
    service: source.replace(/\.log$/, ''),
    requestId,
    globalRequestId: null,
    firstLine: line,
    lastLine: line + 2,
    firstMs: 1764104400000.25 + line,
    lastMs: 1764104400194.5 + line,
    debug: false,
    uuids: [],
    answersCall: false,
    ...fields,
  };
}

describe('SpanTable', () => {
  it('gives back each span as written, null times where unknown, across appends of several inputs', () => {
    const api = new SpanTable();
    const rows = [
      span('nova-api.log', 'req-1', 1, { answersCall: true, uuids: [INSTANCE] }),
      span('nova-api.log', 'req-2', 7, { firstMs: null, lastMs: null, globalRequestId: 'req-g' }),
    ];
    for (const r of rows) api.push(r);
    const compute = new SpanTable();
    const workers = Array.from({ length: 600 }, (_, i) =>
      span('nova-compute.log', `req-c${i}`, 10 + i, {
        debug: i % 2 === 0,
        uuids: i % 3 === 0 ? [INSTANCE, VOLUME] : [],
      }),
    );
    for (const r of workers) compute.push(r);
    const run = new SpanTable();
    run.append(api);
    run.append(compute);
    run.trim();
    expect(run.size).toBe(602);
    expect([...run.rows()]).toEqual([...rows, ...workers]);
    // taken over or copied, an input's table is left empty (its columns are the run's, or garbage)
    expect([api.size, compute.size]).toEqual([0, 0]);
    api.push(span('nova-api.log', 'req-3', 30));
    expect(run.size).toBe(602);
    expect(run.row(0)).toEqual(rows[0]);
  });

  it('lets the collector change a span in place, and keeps one copy of alike UUID lists', () => {
    const input = new SpanTable();
    const a = input.push(span('nova-compute.log', 'req-a', 1, { uuids: [INSTANCE] }));
    const b = input.push(span('nova-compute.log', 'req-b', 5, { uuids: [INSTANCE] }));
    const c = input.push(span('nova-compute.log', 'req-c', 8, { uuids: [INSTANCE] }));
    input.setUuidList(b, input.lists.with(input.uuidList(b), input.lists.uuidNumber(VOLUME)));
    input.markDebug(a);
    input.markAnswersCall(a);
    input.setLastLine(a, 9);
    input.setTimes(a, 1000, 2500.5);
    input.setService(c, 'nova-compute');
    const run = new SpanTable();
    run.append(input);
    expect(run.row(a)).toMatchObject({ debug: true, answersCall: true, lastLine: 9, firstMs: 1000, lastMs: 2500.5 });
    expect(run.row(b)).toMatchObject({ debug: false, answersCall: false, lastLine: 7, uuids: [INSTANCE, VOLUME] });
    expect(run.lists.strings(run.uuidList(a))).toEqual([INSTANCE]);
    expect(run.uuidList(c)).toBe(run.uuidList(a));
    expect(run.uuidList(b)).not.toBe(run.uuidList(a));
  });
});

describe('SpanTable global ids', () => {
  it('holds no column of them until a span has one, every other span reading none, through growth, hand-over and appends', () => {
    const older = new SpanTable();
    for (let i = 0; i < 300; i++) older.push(span('nova-api.log', `req-${i}`, i + 1));
    expect(older.toData().globalRequestIds).toBeNull();
    const part = new SpanTable();
    for (let i = 0; i < 300; i++) part.push(span('cinder-api.log', `req-a${i}`, i + 1));
    part.push(span('cinder-api.log', 'req-late', 301, { globalRequestId: 'req-g' }));
    for (let i = 0; i < 400; i++) part.push(span('cinder-api.log', `req-b${i}`, 302 + i));
    part.setGlobalRequestId(500, 'req-h');
    const data = part.toData();
    expect(data.globalRequestIds).not.toBeNull();
    const run = new SpanTable();
    run.push(span('nova-api.log', 'req-x', 1));
    run.append(SpanTable.fromData(data));
    run.append(SpanTable.fromData(new SpanTable().toData()));
    const withIds = [...run.rows()].flatMap((r, at) => (r.globalRequestId ? [[at, r.globalRequestId]] : []));
    expect(withIds).toEqual([
      [300 + 1, 'req-g'],
      [500 + 1, 'req-h'],
    ]);
    expect(run.globalRequestNumber(0)).toBe(run.globalRequestNumber(700));
    run.releaseColumn('globalRequestIds');
    expect(run.globalRequestId(302)).toBeNull();
  });
});

describe('SpanTable logs', () => {
  it('keeps input, its order and service through a thread hand-over, an input offset and a relabel', () => {
    const part = new SpanTable();
    part.push(span('nova-compute.log', 'req-a', 1));
    const relabelled = part.push(span('journal.log', 'req-b', 4, { inputIndex: 1, service: '' }));
    part.setService(relabelled, 'cinder-volume');
    const data = part.toData();
    const run = new SpanTable();
    run.push(span('nova-api.log', 'req-a', 1));
    run.append(SpanTable.fromData(data), 5);
    expect([...run.rows()].map((r) => [r.source, r.inputIndex, r.service])).toEqual([
      ['nova-api.log', 0, 'nova-api'],
      ['nova-compute.log', 6, 'nova-compute'],
      ['journal.log', 6, 'cinder-volume'],
    ]);
  });

  it('widens its log numbers past 65,535 logs without losing one', () => {
    const table = new SpanTable();
    const n = 70_000;
    for (let i = 0; i < n; i++)
      table.push(span(`host-${i}.log`, `req-${i}`, i + 1, { inputIndex: i, service: `s${i}` }));
    const run = new SpanTable();
    run.push(span('nova-api.log', 'req-x', 1));
    run.append(table);
    expect(run.size).toBe(n + 1);
    for (const at of [1, 65_536, 65_537, n]) {
      expect([run.source(at), run.inputIndex(at), run.service(at)]).toEqual([
        `host-${at - 1}.log`,
        at - 1,
        `s${at - 1}`,
      ]);
    }
  });
});

describe('SpanLookup', () => {
  it('finds a span by input, service and request id; a later one with the same three wins', () => {
    const table = SpanTable.of([
      span('nova-api.log', 'req-1', 1),
      span('nova-compute.log', 'req-1', 3),
      span('nova-api.log', 'req-1', 20),
    ]);
    const lookup = new SpanLookup(table);
    expect(lookup.get('nova-api.log', 'nova-api', 'req-1')).toBe(2);
    expect(lookup.get('nova-compute.log', 'nova-compute', 'req-1')).toBe(1);
    expect(lookup.get('nova-compute.log', 'nova-api', 'req-1')).toBeUndefined();
    lookup.release();
    expect(lookup.get('nova-api.log', 'nova-api', 'req-1')).toBeUndefined();
  });

  it('finds what a Map of the three keys, written in span order, would hold: for any spans, any key', () => {
    const names = fc.constantFrom('nova-api.log', 'nova-compute.log', 'a', 'b', '');
    const ids = fc.constantFrom('req-1', 'req-2', 'req-10', 'req-', 'Req-1');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(names, names, ids), { maxLength: 40 }),
        fc.array(fc.tuple(names, names, ids), { maxLength: 10 }),
        (rows, asked) => {
          const table = SpanTable.of(rows.map(([source, service, id], i) => span(source, id, i + 1, { service })));
          const lookup = new SpanLookup(table);
          const reference = new Map(rows.map(([source, service, id], i) => [`${source}\0${service}\0${id}`, i]));
          for (const [source, service, id] of [...rows, ...asked])
            expect(lookup.get(source, service, id)).toBe(reference.get(`${source}\0${service}\0${id}`));
        },
      ),
    );
  });
});

describe('SpanIndex', () => {
  it('finds each span by service and request id as a Map of both would, through growth, and nothing else', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('nova-api', 'nova-compute', ''), fc.integer({ min: 0, max: 3000 })), {
          maxLength: 3000,
        }),
        (lines) => {
          const table = new SpanTable();
          const index = new SpanIndex(table);
          const reference = new Map<string, number>();
          for (const [service, n] of lines) {
            const id = `req-${n}`;
            const found = index.get(service, id);
            expect(found).toBe(reference.get(`${service} ${id}`));
            if (found !== undefined) continue;
            const at = table.push(span('nova-api.log', id, n + 1, { service }));
            index.add(at);
            reference.set(`${service} ${id}`, at);
          }
          for (const [key, at] of reference) {
            const [service, id] = key.split(' ') as [string, string];
            expect(index.get(service, id)).toBe(at);
            expect(index.get(service, `${id}0000`)).toBe(reference.get(`${service} ${id}0000`));
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('finds nothing once released at the end of its input', () => {
    const table = new SpanTable();
    const index = new SpanIndex(table);
    index.add(table.push(span('nova-api.log', 'req-1', 1)));
    expect(index.get('nova-api', 'req-1')).toBe(0);
    index.release();
    expect(index.get('nova-api', 'req-1')).toBeUndefined();
  });
});
