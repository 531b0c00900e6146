// SpillList: what goes in comes out, in order, whatever is in memory and whatever
// was written to its file; memory holds at most 2 × keep items.
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rowsWhere, rowsWith } from '../../src/rows/rows.js';
import { SpillList } from '../../src/rows/spill-list.js';
import { startWatchdog } from '../watchdog.js';

// random inputs: a loop that never ends must fail this file, not hang the run
startWatchdog(import.meta.url);

interface Row {
  id: number;
  text: string;
  nested: { list: number[]; value: string | null };
}
const row = (id: number): Row => ({
  id,
  text: `row ${id} — é ✓ "quoted" \n newline`,
  nested: { list: [id, id * 2], value: id % 3 === 0 ? null : 'x' },
});

describe('SpillList', () => {
  it('keeps at most 2 × keep items in memory and gives every item back in order', () => {
    const list = new SpillList<Row>({ keep: 10 });
    for (let i = 0; i < 1000; i++) {
      list.push(row(i));
      expect(list.inMemory).toBeLessThan(20);
    }
    expect(list.hasSpilled).toBe(true);
    expect(list.length).toBe(1000);
    expect([...list]).toEqual(Array.from({ length: 1000 }, (_, i) => row(i)));
    // and again: reading does not consume
    expect(list.map((r) => r.id).slice(0, 3)).toEqual([0, 1, 2]);
  });

  it('offers the read-only array methods the reporters use', () => {
    const list = new SpillList<Row>({ keep: 3 });
    for (let i = 0; i < 20; i++) list.push(row(i));
    expect(list.filter((r) => r.id % 5 === 0).map((r) => r.id)).toEqual([0, 5, 10, 15]);
    expect(list.find((r) => r.id === 7)?.text).toBe(row(7).text);
    expect(list.some((r) => r.id === 19)).toBe(true);
    expect(list.some((r) => r.id === 20)).toBe(false);
    expect(list.every((r) => r.id < 20)).toBe(true);
    expect(list.at(0)?.id).toBe(0);
    expect(list.at(-1)?.id).toBe(19);
    expect(list.at(20)).toBeUndefined();
    const seen: number[] = [];
    list.forEach((r, i) => seen.push(r.id - i));
    expect(new Set(seen)).toEqual(new Set([0]));
    expect(JSON.parse(JSON.stringify({ rows: list })).rows).toHaveLength(20);
  });

  it('applies patches to every item as it is read, spilled or not', () => {
    const list = new SpillList<Row>({ keep: 2 });
    for (let i = 0; i < 10; i++) list.push(row(i));
    list.patch((r) => {
      if (r.id % 2 === 0) r.nested.value = 'patched';
    });
    expect(list.map((r) => r.nested.value)).toEqual(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? 'patched' : row(i).nested.value)),
    );
  });

  it('gives each row as JSON.stringify writes it: the file lines as they are, patched rows again', () => {
    const list = new SpillList<{ id: number; name: string; t?: number }>({ keep: 2 });
    for (let id = 0; id < 9; id++) list.push({ id, name: `x"${id}\u00e9`, ...(id % 2 ? { t: id / 3 } : {}) });
    expect(list.hasSpilled).toBe(true);
    expect([...list.jsonRows()]).toEqual([...list].map((row) => JSON.stringify(row)));
    list.patch((row) => {
      row.t = -1;
    });
    expect([...list.jsonRows()]).toEqual([...list].map((row) => JSON.stringify({ ...row, t: -1 })));
  });

  it('once sealed reads every row from its file; a push after it is kept in memory again', () => {
    const list = new SpillList<{ id: number; note: string }>({ keep: 2 });
    for (let id = 0; id < 5; id++) list.push({ id, note: 'before' });
    expect(list.hasSpilled).toBe(true);
    expect(list.inMemory).toBe(3);
    list.seal();
    expect(list.inMemory).toBe(0);
    // Rows read from the file are copies: a change not made through patch() stays out of the list.
    for (const row of list) row.note = 'after';
    expect([...list.jsonRows()].map((j) => (JSON.parse(j) as { note: string }).note)).toEqual(Array(5).fill('before'));
    expect([...list.jsonRowsWith('"id":4')]).toEqual(['{"id":4,"note":"before"}']);
    list.push({ id: 5, note: 'pushed' });
    expect(list.inMemory).toBe(1);
    expect([...list.jsonRowsWith('"id":')].map((j) => (JSON.parse(j) as { id: number }).id)).toEqual([
      0, 1, 2, 3, 4, 5,
    ]);
    expect([...list.jsonRows()].at(-1)).toBe('{"id":5,"note":"pushed"}');
  });

  it('is not sealed while it is being read, nor when it never spilled', () => {
    const small = new SpillList<Row>({ keep: 10 });
    for (let i = 0; i < 5; i++) small.push(row(i));
    small.seal();
    expect(small.inMemory).toBe(5);
    const list = new SpillList<Row>({ keep: 2 });
    for (let i = 0; i < 7; i++) list.push(row(i));
    const ids: number[] = [];
    for (const r of list) {
      list.seal();
      ids.push(r.id);
    }
    expect(ids).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(list.inMemory).toBe(3);
    // a read broken off is over: the list seals
    for (const r of list.jsonRows()) if (r) break;
    list.seal();
    expect(list.inMemory).toBe(0);
    expect(list.map((r) => r.id)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('refuses to be written out while it is being read', () => {
    const list = new SpillList<Row>({ keep: 1 });
    list.push(row(0));
    expect(() => {
      for (const r of list) list.push(row(r.id + 1));
    }).toThrow(/while the list was being read/);
  });

  it('leaves no file behind in the temporary directory', () => {
    const before = new Set(readdirSync(tmpdir()));
    const list = new SpillList<Row>({ keep: 1 });
    for (let i = 0; i < 10; i++) list.push(row(i));
    expect(list.hasSpilled).toBe(true);
    // the list's file is unlinked while open: nothing new in the directory
    expect(readdirSync(tmpdir()).filter((f) => !before.has(f) && f.startsWith('ostrace-rows-'))).toEqual([]);
    expect(list.map((r) => r.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('writes any text as it is: every Unicode plane, lone surrogates, rows far past a batch (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 3000 })),
          {
            maxLength: 30,
          },
        ),
        fc.integer({ min: 1, max: 4 }),
        (texts, keep) => {
          const list = new SpillList<{ text: string }>({ keep });
          for (const text of texts) list.push({ text });
          list.seal();
          expect([...list].map((r) => r.text)).toEqual(texts.map((t) => JSON.parse(JSON.stringify(t)) as string));
          expect([...list.jsonRows()]).toEqual(texts.map((text) => JSON.stringify({ text })));
          list.dispose();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('joins the rows as JSON.stringify writes them with any separator: rows past a read, multi-byte text, patched rows (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ tag: fc.constantFrom('a', 'é✓', '"'), pad: fc.integer({ min: 0, max: 40_000 }) }), {
          maxLength: 30,
        }),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom(',', ',\n    ', '', '→'),
        fc.boolean(),
        (specs, keep, separator, seal) => {
          const list = new SpillList<{ tag: string; text: string }>({ keep });
          // rows of up to 80 KB of UTF-8 (past a 32 KB read), ASCII or not
          const rows = specs.map(({ tag, pad }, i) => ({ tag, text: `${(i % 2 ? 'x' : 'ü').repeat(pad)}${i}` }));
          for (const r of rows) list.push(r);
          if (seal) list.seal();
          const joined = rows.map((r) => JSON.stringify(r)).join(separator);
          expect([...list.jsonJoined(separator)].join('')).toBe(joined);
          list.patch((r) => {
            r.tag = 'patched';
          });
          expect([...list.jsonJoined(separator)].join('')).toBe(
            rows.map((r) => JSON.stringify({ ...r, tag: 'patched' })).join(separator),
          );
          list.dispose();
        },
      ),
      { numRuns: 100 },
    );
  });

  it('leaves out the unread values of a spilled row before decoding it, and only those (property)', () => {
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom('\\', '"', '\\"', '→ "x"'));
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            steps: fc.array(fc.record({ step: text, message: fc.option(text) }), { maxLength: 4 }),
            captures: fc.dictionary(fc.constantFrom('message', 'server'), text),
            tail: fc.option(text),
          }),
          { maxLength: 12 },
        ),
        fc.integer({ min: 1, max: 4 }),
        (rows, keep) => {
          const list = new SpillList<(typeof rows)[number]>({ keep });
          for (const r of rows) list.push(r);
          list.seal();
          const unread = { key: '"message":', from: '"steps":[', to: '],"captures":' };
          const read = [...list.jsonRowsWithAny(['"steps":'], undefined, unread)].map((l) => JSON.parse(l) as unknown);
          // the file's rows without their steps' messages; a row still in memory as it is
          const spilled = list.hasSpilled;
          const expected = rows.map((r) => {
            const json = JSON.parse(JSON.stringify(r)) as (typeof rows)[number];
            return spilled && json.steps.length > 0
              ? { ...json, steps: json.steps.map((st) => ({ ...st, message: null })) }
              : json;
          });
          expect(read).toEqual(expected);
          // every row, read the same way
          expect([...list.jsonRows(unread)].map((l) => JSON.parse(l) as unknown)).toEqual(expected);
          list.dispose();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('decodes only the rows whose text rowsWhere wants, spilled or in memory, and keeps what keep keeps', () => {
    const list = new SpillList<Row>({ keep: 3 });
    for (let i = 0; i < 50; i++) list.push(row(i));
    const tested: string[] = [];
    const wanted = (json: string) => {
      tested.push(json);
      return /^\{"id":\d*7,/.test(json);
    };
    const got = [...rowsWhere(list, wanted, (r) => r.id !== 17)].map((r) => r.id);
    expect(got).toEqual([7, 27, 37, 47]);
    // every row's text was tested once, in order
    expect(tested.map((j) => (JSON.parse(j) as Row).id)).toEqual([...Array(50).keys()]);
    // a plain array has no text to test: keep decides alone
    expect(
      [
        ...rowsWhere(
          [row(1), row(7)],
          () => false,
          (r) => r.id === 7,
        ),
      ].map((r) => r.id),
    ).toEqual([7]);
    list.dispose();
  });

  it('gives every row of lists read at once, one inside the other, after reads left early', () => {
    // rows of 8 KB: files of more than one read, whose buffer holds a row cut in two between reads
    const big = (id: number): Row => ({ ...row(id), text: `${id}`.padEnd(8000, 'x') });
    const a = new SpillList<Row>({ keep: 2 });
    const b = new SpillList<Row>({ keep: 2 });
    for (let i = 0; i < 300; i++) {
      a.push(big(i));
      b.push(big(1000 + i));
    }
    // reads left at their first row give their buffers back for the next reads
    for (let k = 0; k < 6; k++) for (const _ of k % 2 ? a : b) break;
    const pairs: Array<[number, number]> = [];
    for (const x of a) for (const y of rowsWith(b, `"id":${1000 + x.id},`, () => true)) pairs.push([x.id, y.id]);
    expect(pairs).toEqual(Array.from({ length: 300 }, (_, i) => [i, 1000 + i]));
    expect([...a.jsonJoined(',')].join('')).toBe(
      Array.from({ length: 300 }, (_, i) => JSON.stringify(big(i))).join(','),
    );
    a.dispose();
    b.dispose();
  });

  it('round-trips any JSON rows for any keep (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 60 }), fc.integer({ min: 1, max: 8 }), (values, keep) => {
        const list = new SpillList<unknown>({ keep });
        for (const v of values) list.push(v);
        // Rows are JSON data: compared as JSON (a -0 kept in memory reads as 0 from the file)
        expect(JSON.stringify([...list])).toBe(JSON.stringify(values));
        expect(list.length).toBe(values.length);
      }),
      { numRuns: 500 },
    );
  });

  it('indexed, reads any row alone by its place, spilled or not, sealed or not, patched (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { maxLength: 60 }),
        fc.integer({ min: 1, max: 8 }),
        fc.boolean(),
        (values, keep, seal) => {
          const list = new SpillList<{ v: unknown; seen?: boolean }>({ keep, indexed: true });
          for (const v of values) list.push({ v });
          if (seal) list.seal();
          list.patch((r) => void (r.seen = true));
          for (let i = -values.length - 1; i <= values.length; i++) {
            const at = i < 0 ? values.length + i : i;
            const want = at < 0 || at >= values.length ? undefined : { v: values[at], seen: true };
            expect(JSON.stringify(list.at(i))).toBe(JSON.stringify(want));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('indexed, reads a spilled row by seeking to it, not by reading the rows before it', () => {
    const list = new SpillList<Row>({ keep: 2, indexed: true });
    for (let i = 0; i < 50; i++) list.push(row(i));
    list.seal();
    let iterated = 0;
    const iterate = list[Symbol.iterator].bind(list);
    list[Symbol.iterator] = () => {
      iterated++;
      return iterate();
    };
    expect(list.at(37)).toEqual(row(37));
    expect(list.at(0)).toEqual(row(0));
    expect(iterated).toBe(0);
  });
});

describe('rowsWith', () => {
  it('gives the rows a plain filter gives, from the file and from memory, parsing only lines with the marker', () => {
    const list = new SpillList<Row>({ keep: 3 });
    const rows = Array.from({ length: 40 }, (_, i) => row(i));
    for (const r of rows) list.push(r);
    expect(list.hasSpilled).toBe(true);
    // `"value":null` is the marker of every third row; keep decides among them.
    const keep = (r: Row) => r.nested.value === null && r.id % 2 === 0;
    const expected = rows.filter(keep);
    expect([...rowsWith(list, '"value":null', keep)]).toEqual(expected);
    expect([...rowsWith(rows, '"value":null', keep)]).toEqual(expected);
    // A marker no row holds: nothing, even when keep would take every row.
    expect([...rowsWith(list, '"absent":true', () => true)]).toEqual([]);
    list.dispose();
  });

  it('finds the marker in the bytes of the file: rows longer than a read, multi-byte text and every row position (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ tag: fc.constantFrom('a', 'b', 'é✓'), pad: fc.integer({ min: 0, max: 3000 }) }), {
          maxLength: 40,
        }),
        fc.integer({ min: 1, max: 6 }),
        (specs, keep) => {
          const list = new SpillList<{ tag: string; text: string }>({ keep });
          // some rows span past the 1 MiB read chunk, so a marker sits across reads
          const rows = specs.map(({ tag, pad }, i) => ({
            tag,
            text: `${'ü'.repeat(pad * (i % 7 === 3 ? 200 : 1))}${i}`,
          }));
          for (const r of rows) list.push(r);
          // `a` rows are ASCII (pad 0) or not: both decodings of a line are taken
          for (const marker of ['"tag":"é✓"', '"tag":"a"']) {
            expect([...list.jsonRowsWith(marker)]).toEqual(
              rows.map((r) => JSON.stringify(r)).filter((json) => json.includes(marker)),
            );
            expect([...list.jsonRows()]).toEqual(rows.map((r) => JSON.stringify(r)));
          }
          // several markers: each line holding any of them once, in order, however many it holds;
          // with `without`, none that holds it
          for (const markers of [
            ['"tag":"é✓"', '"tag":"a"'],
            ['ü', '"tag"', '1"}'],
            ['"tag":"b"', 'absent'],
          ])
            for (const without of [undefined, '"tag":"b"', 'ü']) {
              expect([...list.jsonRowsWithAny(markers, without)]).toEqual(
                rows
                  .map((r) => JSON.stringify(r))
                  .filter((json) => markers.some((m) => json.includes(m)) && !(without && json.includes(without))),
              );
            }
          // rows picked from their bytes: each row's bytes seen once, as written, the picked ones decoded
          const seen: string[] = [];
          const picked = [
            ...list.jsonRowsPicked((bytes, start, end) => {
              const json = bytes.toString('utf8', start, end);
              seen.push(json);
              return json.includes('"tag":"b"');
            }),
          ];
          expect(seen).toEqual(rows.map((r) => JSON.stringify(r)));
          expect(picked).toEqual(seen.filter((json) => json.includes('"tag":"b"')));
          list.dispose();
        },
      ),
      { numRuns: 60 },
    );
  });
});
