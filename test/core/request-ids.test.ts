// Request ids are held once per run, by number: a UUID-shaped id as its 16 bytes, any other as
// its string. Every id comes back exactly as it was given, and numbers are stable.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NO_REQUEST_ID, RequestIds } from '../../src/core/request-ids.js';

describe('RequestIds', () => {
  it('gives each id one number and gives the id back as written, through growth', () => {
    const canonical = fc.uuid().map((u) => `req-${u}`);
    const other = fc.oneof(
      fc.uuid().map((u) => `req-${u.toUpperCase()}`),
      fc.string({ maxLength: 44 }),
      fc.uuid().map((u) => `req-${u}x`),
      fc.constantFrom('req-1', 'req-', 'req-00000000-0000-0000-0000-00000000000g', ''),
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(canonical, canonical, other), { maxLength: 3000 }), (given) => {
        const ids = new RequestIds();
        const numbers = new Map<string, number>();
        for (const id of given) {
          const n = ids.intern(id);
          if (numbers.has(id)) expect(n).toBe(numbers.get(id));
          else {
            expect(n).toBe(numbers.size);
            numbers.set(id, n);
          }
        }
        expect(ids.size).toBe(numbers.size);
        for (const [id, n] of numbers) {
          expect(ids.text(n)).toBe(id);
          expect(ids.find(id)).toBe(n);
        }
        expect(ids.find('req-ffffffff-ffff-ffff-ffff-fffffffffff0')).toBe(
          numbers.get('req-ffffffff-ffff-ffff-ffff-fffffffffff0') ?? NO_REQUEST_ID,
        );
        // handed to another thread (src/cli/read-worker.ts): the same numbers, and new ids go on from them
        const copy = RequestIds.fromData(structuredClone(ids.toData()));
        expect(copy.size).toBe(numbers.size);
        for (const [id, n] of numbers) {
          expect(copy.text(n)).toBe(id);
          expect(copy.find(id)).toBe(n);
          expect(copy.intern(id)).toBe(n);
        }
        expect(copy.intern('req-12345678-1234-1234-1234-123456789abc')).toBe(
          numbers.get('req-12345678-1234-1234-1234-123456789abc') ?? numbers.size,
        );
      }),
      { numRuns: 40 },
    );
  });

  it('reads the ids of a real nova-api line, all zeros and all f', () => {
    const ids = new RequestIds();
    for (const id of [
      'req-7ecd32f0-1bb1-4a5a-a0cc-87f6f4b1ef39',
      'req-00000000-0000-0000-0000-000000000000',
      'req-ffffffff-ffff-ffff-ffff-ffffffffffff',
    ])
      expect(ids.text(ids.intern(id))).toBe(id);
    expect(ids.size).toBe(3);
  });
});
