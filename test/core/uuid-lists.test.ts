import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { UuidLists } from '../../src/core/uuid-lists.js';

const uuid = fc.integer({ min: 0, max: 30 }).map((n) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`);

describe('UuidLists', () => {
  it('holds each distinct list once, as the UUIDs it was built of, through growth', () => {
    fc.assert(
      fc.property(fc.array(fc.array(uuid, { maxLength: 6 }), { maxLength: 400 }), (built) => {
        const pool = new UuidLists();
        const numbers = built.map((uuids) => pool.listOf(uuids));
        const byKey = new Map<string, number>();
        built.forEach((uuids, i) => {
          expect(pool.strings(numbers[i]!)).toEqual(uuids);
          expect(pool.length(numbers[i]!)).toBe(uuids.length);
          const key = uuids.join(' ');
          // alike lists are one number, different ones two
          if (byKey.has(key)) expect(numbers[i]).toBe(byKey.get(key));
          else {
            expect([...byKey.values()]).not.toContain(numbers[i]);
            byKey.set(key, numbers[i]!);
          }
        });
        expect(pool.size).toBeLessThanOrEqual(1 + built.reduce((n, l) => n + l.length, 0));
      }),
    );
  });

  it('keeps its numbers when handed to another thread, and finds its lists again there', () => {
    const pool = new UuidLists();
    const a = pool.listOf(['u1', 'u2']);
    const b = pool.listOf(['u2']);
    const copy = UuidLists.fromData(structuredClone(pool.toData()));
    expect(copy.strings(a)).toEqual(['u1', 'u2']);
    expect(copy.listOf(['u1', 'u2'])).toBe(a);
    expect(copy.listOf(['u2'])).toBe(b);
    expect(copy.has(a, copy.uuidNumber('u2'))).toBe(true);
    expect(copy.has(b, copy.uuidNumber('u1'))).toBe(false);
    expect(copy.listOf([])).toBe(UuidLists.EMPTY);
  });

  it("copies another pool's list into its own numbers", () => {
    const run = new UuidLists();
    run.listOf(['x']);
    const other = new UuidLists();
    const list = other.listOf(['y', 'x']);
    const copied = run.copyOf(other, list);
    expect(run.strings(copied)).toEqual(['y', 'x']);
    expect(run.copyOf(run, copied)).toBe(copied);
  });
});
