// The service-side replay's groups: the places of a request key's calls and step lines, held
// as numbers until its group's turn. A day of older nova logs has a quarter of a million volume
// operations: a Map of key strings to lists of rows held ~650 bytes an operation (145 MB of
// heap at 1 GB); key numbers and places in typed columns hold tens.

import { column, grownColumn, releasedColumn } from '../core/columns.js';

/** (key number, place) pairs in the order they were pushed. */
export class KeyedPlaces {
  private keys = column(Int32Array, 1024);
  private places = column(Int32Array, 1024);
  private count = 0;
  /** After `group`: the places by group rank, rank r's from starts[r] up to starts[r + 1]. */
  private starts = new Int32Array(1);

  get length(): number {
    return this.count;
  }

  push(key: number, place: number): void {
    if (this.count === this.keys.length) {
      this.keys = grownColumn(this.keys, 2 * this.count);
      this.places = grownColumn(this.places, 2 * this.count);
    }
    this.keys[this.count] = key;
    this.places[this.count++] = place;
  }

  key(i: number): number {
    return this.keys[i]!;
  }

  /** Sorts the places by their key's rank in `order`, each group's in the order pushed. */
  group(order: GroupOrder): void {
    const starts = column(Int32Array, order.length + 1);
    for (let i = 0; i < this.count; i++) starts[order.rankOf(this.keys[i]!) + 1]!++;
    for (let r = 0; r < order.length; r++) starts[r + 1]! += starts[r]!;
    const next = column(Int32Array, order.length);
    next.set(starts.subarray(0, order.length));
    const sorted = column(Int32Array, this.count);
    for (let i = 0; i < this.count; i++) sorted[next[order.rankOf(this.keys[i]!)]!++] = this.places[i]!;
    releasedColumn(next);
    this.keys = releasedColumn(this.keys);
    releasedColumn(this.places);
    this.places = sorted;
    this.starts = starts;
  }

  /** The places of rank `r`'s group (after `group`). */
  placesOf(r: number): number[] {
    const out: number[] = [];
    for (let at = this.starts[r]!; at < this.starts[r + 1]!; at++) out.push(this.places[at]!);
    return out;
  }

  release(): void {
    this.keys = releasedColumn(this.keys);
    this.places = releasedColumn(this.places);
    this.starts = releasedColumn(this.starts);
    this.count = 0;
  }
}

/** Key numbers (below `keyCount`) ranked in the order they first come in the lists added. */
export class GroupOrder {
  private readonly ranks: Int32Array;
  private readonly keys: Int32Array;
  private count = 0;

  constructor(keyCount: number) {
    this.ranks = column(Int32Array, keyCount).fill(-1);
    this.keys = column(Int32Array, keyCount);
  }

  get length(): number {
    return this.count;
  }

  /** Ranks the keys of `list` not ranked yet, in its order. */
  add(list: KeyedPlaces): void {
    for (let i = 0; i < list.length; i++) {
      const k = list.key(i);
      if (this.ranks[k]! >= 0) continue;
      this.ranks[k] = this.count;
      this.keys[this.count++] = k;
    }
  }

  rankOf(key: number): number {
    return this.ranks[key]!;
  }

  /** The key number of rank `r`. */
  key(r: number): number {
    return this.keys[r]!;
  }
}
