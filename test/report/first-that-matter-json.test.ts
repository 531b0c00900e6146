// A long list's section read from its rows' JSON (firstThatMatterOfJson, headValues): the same
// rows as decoding every row would list, whatever the rows hold.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstThatMatter, firstThatMatterOfJson, headValues } from '../../src/report/bounded.js';
import { SpillList } from '../../src/rows/spill-list.js';

const text = fc.string({ unit: fc.constantFrom('a', '"', '\\', '{', '}', ':', ',', '→', '"verdict":"x"', 'n') });
const scalar = fc.oneof(
  text,
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const row = fc.record({
  id: fc.integer({ min: 0, max: 10_000 }),
  before: fc.option(fc.record({ verdict: scalar, status: scalar })),
  verdict: fc.constantFrom('complete', 'failed', 'incomplete', 'a "quoted" \\ one'),
  status: fc.option(fc.integer({ min: 100, max: 599 })),
  note: text,
  steps: fc.array(fc.record({ message: fc.option(text), status: scalar })),
  captures: fc.constant({}),
});
type Row = { id: number; verdict: string; status: number | null; steps: Array<{ message: string | null }> };

describe('headValues', () => {
  it('reads a top-level scalar as JSON.parse would, or says it cannot (property)', () => {
    fc.assert(
      fc.property(row, (r) => {
        const json = JSON.stringify(r);
        const head = headValues(json, ['id', 'verdict', 'status']);
        const parsed = JSON.parse(json) as Row;
        if (r.before === null) expect(head).toEqual({ id: parsed.id, verdict: parsed.verdict, status: parsed.status });
        // after a nested object has opened, a key found may be the nested object's
        else expect(head).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('cannot read a value cut off or absent', () => {
    expect(headValues('{"id":1,"verdict":"compl', ['verdict'])).toBeUndefined();
    expect(headValues('{"id":1}', ['verdict'])).toBeUndefined();
    expect(headValues('{"id":', ['id'])).toBeUndefined();
  });
});

describe('firstThatMatterOfJson', () => {
  it('lists the rows firstThatMatter lists, from a spilled list read whole or without messages (property)', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), fc.integer({ min: 1, max: 12 }), (rows, limit) => {
        const matter = (r: Row) => r.verdict !== 'complete';
        const rank = (r: Row) => (r.status ?? -1) + (r.verdict === 'failed' ? 1000 : 0);
        const keysOf = (json: string) => {
          const head = headValues(json, ['verdict', 'status']);
          if (!head || typeof head.verdict !== 'string') return undefined;
          const status = typeof head.status === 'number' ? head.status : null;
          return { matter: head.verdict !== 'complete', rank: (status ?? -1) + (head.verdict === 'failed' ? 1000 : 0) };
        };
        const written = rows.map((r) => JSON.parse(JSON.stringify(r)) as Row);
        const expected = firstThatMatter(written, limit, matter, rank);
        for (const indexed of [false, true]) {
          const list = new SpillList<Row>({ keep: 2, indexed });
          for (const r of written) list.push(structuredClone(r));
          const unread = { key: '"message":', from: '"steps":[', to: '],"captures":' };
          expect(firstThatMatterOfJson(list, limit, keysOf, matter, rank)).toEqual(expected);
          expect(firstThatMatterOfJson(list, limit, keysOf, matter, rank, unread)).toEqual(expected);
          list.dispose();
        }
      }),
      { numRuns: 150 },
    );
  });
});
