import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GroupOrder, KeyedPlaces } from '../../src/flows/request-groups.js';

describe('the service-side replay groups', () => {
  it('give what Maps of lists would: the calls’ keys first, then the step lines’ alone, each group in its order', () => {
    const pairs = fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.nat(100_000)), { maxLength: 3000 });
    fc.assert(
      fc.property(pairs, pairs, (callPairs, linePairs) => {
        const calls = new KeyedPlaces();
        const lines = new KeyedPlaces();
        for (const [k, p] of callPairs) calls.push(k, p);
        for (const [k, p] of linePairs) lines.push(k, p);
        const order = new GroupOrder(21);
        order.add(calls);
        order.add(lines);
        calls.group(order);
        lines.group(order);
        // the reference: Maps in insertion order, as the replay held them before
        const callsOf = new Map<number, number[]>();
        for (const [k, p] of callPairs) callsOf.set(k, [...(callsOf.get(k) ?? []), p]);
        const linesOf = new Map<number, number[]>();
        for (const [k, p] of linePairs) linesOf.set(k, [...(linesOf.get(k) ?? []), p]);
        const keys = [...callsOf.keys(), ...[...linesOf.keys()].filter((k) => !callsOf.has(k))];
        expect(order.length).toBe(keys.length);
        keys.forEach((k, r) => {
          expect(order.key(r)).toBe(k);
          expect(calls.placesOf(r)).toEqual(callsOf.get(k) ?? []);
          expect(lines.placesOf(r)).toEqual(linesOf.get(k) ?? []);
        });
      }),
    );
  });
});
