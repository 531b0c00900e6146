import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { byteBuffer, column, grownColumn, releasedColumn, setWidening, trimmedColumn } from '../../src/core/columns.js';
import { RequestIds } from '../../src/core/request-ids.js';
import { SpanTable } from '../../src/core/span-table.js';

const resizable = (a: ArrayBufferView) => (a.buffer as ArrayBuffer & { resizable?: boolean }).resizable === true;

describe('columns', () => {
  it('a large column lives in a resizable buffer (V8 memory, not malloc) and grows in place', () => {
    const c = column(Float64Array, 100_000);
    expect(resizable(c)).toBe(true);
    expect(c.length).toBe(100_000);
    c[99_999] = 1.5;
    const g = grownColumn(c, 300_000);
    expect(g).toBe(c); // the same array: nothing copied, nothing freed
    expect(g.length).toBe(300_000);
    expect(g[99_999]).toBe(1.5);
    expect(g[100_000]).toBe(0);
    expect(g[299_999]).toBe(0);
  });

  it('a small column is an ordinary array; grown past the threshold it moves to a resizable one', () => {
    const c = column(Int32Array, 10);
    expect(resizable(c)).toBe(false);
    c.set([1, 2, 3]);
    const g = grownColumn(c, 50_000);
    expect(g).not.toBe(c);
    expect(resizable(g)).toBe(true);
    expect([...g.subarray(0, 4)]).toEqual([1, 2, 3, 0]);
    expect(grownColumn(g, 10)).toBe(g); // never shrinks
  });

  it('grown past what it reserved, a column is copied into a bigger one', () => {
    const c = column(Uint8Array, 70_000, 80_000);
    c[69_999] = 7;
    const g = grownColumn(c, 100_000);
    expect(g).not.toBe(c);
    expect(g.length).toBe(100_000);
    expect(g[69_999]).toBe(7);
    expect(g[99_999]).toBe(0);
  });

  it('keeps every element through any sequence of growth', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40_000 }), { minLength: 1, maxLength: 8 }), (steps) => {
        let c = column(Uint32Array, 1);
        let n = 0;
        for (const step of steps) {
          c = grownColumn(c, n + step);
          for (let i = 0; i < step; i++) c[n + i] = n + i;
          n += step;
        }
        for (let i = 0; i < n; i++) if (c[i] !== i) return false;
        return c.length >= n;
      }),
      { numRuns: 30 },
    );
  });

  it('a 2-byte column of numbers widens to 4 bytes at the first value past 65535, its values kept', () => {
    let c: Uint16Array | Uint32Array = column(Uint16Array, 40_000);
    c = setWidening(c, 0, 65_535);
    expect(c).toBeInstanceOf(Uint16Array);
    c = setWidening(c, 1, 65_536);
    expect(c).toBeInstanceOf(Uint32Array);
    expect([c[0], c[1], c.length]).toEqual([65_535, 65_536, 40_000]);
    expect(setWidening(c, 2, 2 ** 31)[2]).toBe(2 ** 31);
  });

  it('a released column gives its memory back at once (its buffer is emptied, not left to a collection)', () => {
    const c = column(Float64Array, 100_000).fill(1);
    const buffer = c.buffer;
    const empty = releasedColumn(c);
    expect(buffer.byteLength).toBe(0);
    expect(c.length).toBe(0);
    expect(empty.length).toBe(0);
    expect(releasedColumn(new Int32Array(4)).length).toBe(0); // an ordinary array: left to the collector
  });

  it('a column trimmed to what it holds gives its room back in place (a copy when an ordinary array)', () => {
    const c = column(Float64Array, 100_000);
    c[9] = 3;
    const t = trimmedColumn(c, 10);
    expect(t).toBe(c);
    expect(c.buffer.byteLength).toBe(80);
    expect([t.length, t[9]]).toEqual([10, 3]);
    const small = Int32Array.of(1, 2, 3, 4);
    expect([...trimmedColumn(small, 2)]).toEqual([1, 2]);
    expect(trimmedColumn(small, 9)).toBe(small);
  });

  it('a large byte buffer is a Buffer in V8 memory that reads, writes and decodes', () => {
    const b = byteBuffer(1 << 17);
    expect(Buffer.isBuffer(b)).toBe(true);
    expect(resizable(b)).toBe(true);
    expect(b.length).toBe(1 << 17);
    const n = b.write('req-é', 0, 'utf8');
    expect(b.toString('utf8', 0, n)).toBe('req-é');
    expect(resizable(byteBuffer(100))).toBe(false);
  });

  it('the tables that grow with the log keep their rows in them (span table, request ids)', () => {
    const ids = new RequestIds();
    const spans = new SpanTable(ids);
    const count = 20_000; // past the threshold: the columns are resizable and grew in place
    for (let i = 0; i < count; i++) {
      const id = `req-${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
      spans.push({
        source: 'nova-api.log',
        service: 'nova-api',
        requestId: id,
        globalRequestId: null,
        uuids: [],
        inputIndex: 0,
        firstLine: i + 1,
        lastLine: i + 2,
        firstMs: i,
        lastMs: i + 0.5,
        debug: i % 2 === 0,
        answersCall: false,
      });
    }
    expect(spans.size).toBe(count);
    expect(ids.size).toBe(count);
    for (const at of [0, 1, 12_345, count - 1]) {
      expect(spans.firstLine(at)).toBe(at + 1);
      expect(spans.lastMs(at)).toBe(at + 0.5);
      expect(ids.text(spans.requestNumber(at))).toBe(
        `req-${at.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
      );
    }
    // a column given back alone: the others still read (the chains' nodes take them one by one)
    spans.releaseColumn('firstLines');
    expect(spans.lastMs(12_345)).toBe(12_345.5);
    expect(spans.firstLine(12_345)).toBeUndefined();
    spans.release();
    expect(spans.size).toBe(0);
    expect(ids.size).toBe(count); // the run's ids outlive the table
  });
});
