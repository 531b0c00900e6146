// JsonStore: a value set under a number is the value got back, whether it is held, waiting in
// the block not yet written, in the block last read, or anywhere else in the file.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonStore } from '../../src/rows/json-store.js';
import { startWatchdog } from '../watchdog.js';

// random inputs: a loop that never ends must fail this file, not hang the run
startWatchdog(import.meta.url);

interface Value {
  key: number;
  text: string;
}

/** A text of `size` characters: ASCII, or with two- and three-byte UTF-8 characters and escapes. */
const textOf = (size: number, kind: number): string => {
  const unit = ['abc', 'é ✓ "q" \\ \n', '𝄞x'][kind % 3]!;
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
};

describe('JsonStore', () => {
  it('gives back every value in any order of sets and gets, past its budget', () => {
    const op = fc.oneof(
      fc.record({
        set: fc.nat(300),
        size: fc.oneof(fc.nat(400), fc.integer({ min: 60_000, max: 140_000 })),
        kind: fc.nat(2),
      }),
      fc.record({ get: fc.nat(300) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), fc.integer({ min: 1, max: 5000 }), (ops, budget) => {
        const store = new JsonStore<Value>((v) => v.text.length, budget);
        const model = new Map<number, Value>();
        for (const o of ops) {
          if ('set' in o) {
            const v = { key: o.set, text: textOf(o.size, o.kind) };
            store.set(o.set, v);
            model.set(o.set, v);
          } else expect(store.get(o.get)).toEqual(model.get(o.get));
        }
        for (const [key, v] of model) expect(store.get(key)).toEqual(v);
        // Read back in the order written and backwards: through the read block both ways.
        for (const key of [...model.keys()].reverse()) expect(store.get(key)).toEqual(model.get(key));
        store.dispose();
      }),
      { numRuns: 60 },
    );
  });

  it('reads back thousands of small values written to its file, in order, and as JSON', () => {
    const store = new JsonStore<Value>(() => 256, 1024);
    for (let key = 0; key < 5000; key++) store.set(key, { key, text: textOf(key % 300, key) });
    for (let key = 0; key < 5000; key++) {
      expect(store.get(key)).toEqual({ key, text: textOf(key % 300, key) });
      expect(store.json(key)).toBe(JSON.stringify({ key, text: textOf(key % 300, key) }));
    }
    expect(store.get(5000)).toBeUndefined();
    // A key no value has: the last id of an empty list (`ids.at(-1) ?? -1`, a command without calls).
    expect(store.get(-1)).toBeUndefined();
    expect(store.json(-1)).toBeUndefined();
    expect(store.size).toBe(5000);
    store.dispose();
  });
});
