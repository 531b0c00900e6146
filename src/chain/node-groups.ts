// The chains stage's nodes grouped by a request id (their own, or their global one): the
// index its joins look requests up in, and go through in the order the ids first appear.
import { column, releasedColumn } from '../core/columns.js';
import { NO_REQUEST_ID } from '../core/request-ids.js';

/** A node's number in the chains stage's table. */
type Node = number;

/** Nodes by a request id's number: a group's nodes in node order, a new array on each call. */
export interface NodeLookup {
  get(key: number): Node[] | undefined;
}

/**
 * The run's nodes grouped by a request id (their own, or their global one), as index ranges:
 * the members of all groups in one Int32Array sorted by the id's number, each group's in node
 * order, found by binary search; the groups are gone through in the order their ids first
 * appear (as a Map of arrays would hold them). Hundreds of thousands of groups of one to three
 * nodes: a Map of their keys cost 7 MB on 200 MB of older nova logs, these arrays 12 bytes a node.
 */
export class NodeGroups implements NodeLookup {
  /** Node numbers, by key, then node order. */
  private members: Int32Array;
  /** Group g (in key order) is members[firsts[g]] up to members[firsts[g + 1]]. */
  private firsts: Int32Array;
  /** Group numbers in the order their keys first appear. */
  private order: Int32Array;

  /** `keyOf` NO_REQUEST_ID: the node is in no group. */
  constructor(
    count: number,
    private readonly keyOf: (n: Node) => number,
  ) {
    // A counting sort by key, placing nodes in node order: members by key, then node. Typed
    // arrays alone: a sort by a comparator copies a million members into V8's heap twice over.
    // Each pass asks keyOf again: a column of the keys was 4 bytes a node at the stage's peak.
    let keyed = 0;
    let keyCount = 0;
    for (let n = 0; n < count; n++) {
      const key = keyOf(n);
      if (key === NO_REQUEST_ID) continue;
      keyed++;
      if (key >= keyCount) keyCount = key + 1;
    }
    // byKey[k]: where key k's members begin; after they are placed, where they end
    const byKey = column(Int32Array, keyCount + 1);
    for (let n = 0; n < count; n++) {
      const key = keyOf(n);
      if (key !== NO_REQUEST_ID) byKey[key + 1]!++;
    }
    for (let k = 0; k < keyCount; k++) byKey[k + 1]! += byKey[k]!;
    const members = column(Int32Array, keyed);
    for (let n = 0; n < count; n++) {
      const key = keyOf(n);
      if (key !== NO_REQUEST_ID) members[byKey[key]!++] = n;
    }
    let groups = 0;
    for (let k = 0, from = 0; k < keyCount; from = byKey[k++]!) if (byKey[k]! > from) groups++;
    // columns, not arrays made `from` lists: a day of nova logs has a million groups (src/core/columns.ts)
    const firsts = column(Int32Array, groups + 1);
    // byKey[k] becomes key k's group number
    for (let k = 0, from = 0, g = 0; k < keyCount; k++) {
      const to = byKey[k]!;
      if (to > from) {
        firsts[g] = from;
        byKey[k] = g++;
      }
      from = to;
    }
    firsts[groups] = members.length;
    // A group's first member is its earliest node: groups in that order are in first-appearance order.
    const order = column(Int32Array, groups);
    for (let n = 0, o = 0; n < count; n++) {
      const key = keyOf(n);
      if (key === NO_REQUEST_ID) continue;
      const g = byKey[key]!;
      if (members[firsts[g]!] === n) order[o++] = g;
    }
    releasedColumn(byKey);
    this.members = members;
    this.firsts = firsts;
    this.order = order;
  }

  /** The joins are made: the index's memory goes back at once. */
  release(): void {
    this.members = releasedColumn(this.members);
    this.firsts = releasedColumn(this.firsts);
    this.order = releasedColumn(this.order);
  }

  has(key: number): boolean {
    return this.find(key) >= 0;
  }

  get(key: number): Node[] | undefined {
    const g = this.find(key);
    return g < 0 ? undefined : this.group(g);
  }

  *keys(): Generator<number> {
    for (const g of this.order) yield this.keyOfGroup(g);
  }

  /** Each group: its request id's number and its nodes. */
  *[Symbol.iterator](): Generator<[number, Node[]]> {
    for (const g of this.order) yield [this.keyOfGroup(g), this.group(g)];
  }

  /** The group of `key` (in key order), or -1. */
  private find(key: number): number {
    if (key === NO_REQUEST_ID) return -1;
    let lo = 0;
    let hi = this.firsts.length - 2;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.keyOfGroup(mid);
      if (k === key) return mid;
      if (k < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private keyOfGroup(g: number): number {
    return this.keyOf(this.members[this.firsts[g]!]!);
  }

  private group(g: number): Node[] {
    const out: Node[] = [];
    for (let at = this.firsts[g]!; at < this.firsts[g + 1]!; at++) out.push(this.members[at]!);
    return out;
  }
}
