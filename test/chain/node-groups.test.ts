// The chains stage's nodes by request id: what a Map of arrays, filled in node order, would
// hold — groups in the order their ids first appear, each group's nodes in node order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NodeGroups } from '../../src/chain/node-groups.js';
import { NO_REQUEST_ID } from '../../src/core/request-ids.js';

function reference(keys: readonly number[]): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  keys.forEach((key, node) => {
    if (key === NO_REQUEST_ID) return;
    const group = groups.get(key);
    if (group) group.push(node);
    else groups.set(key, [node]);
  });
  return groups;
}

describe('NodeGroups', () => {
  it('groups as a Map of arrays in node order would, for any keys, and finds nothing else', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: NO_REQUEST_ID, max: 40 }), { maxLength: 200 }), (keys) => {
        const groups = new NodeGroups(keys.length, (n) => keys[n]!);
        const expected = reference(keys);
        expect([...groups]).toEqual([...expected]);
        expect([...groups.keys()]).toEqual([...expected.keys()]);
        for (let key = NO_REQUEST_ID; key <= 41; key++) {
          expect(groups.get(key)).toEqual(expected.get(key));
          expect(groups.has(key)).toBe(expected.has(key));
        }
      }),
    );
  });

  it('orders groups by first appearance though their ids were numbered the other way round', () => {
    // nova-compute's request (id 7) logged before nova-api's (id 2), both twice
    const keys = [7, 2, 7, NO_REQUEST_ID, 2];
    const groups = new NodeGroups(keys.length, (n) => keys[n]!);
    expect([...groups]).toEqual([
      [7, [0, 2]],
      [2, [1, 4]],
    ]);
    groups.release();
    expect(groups.get(7)).toBeUndefined();
  });
});
