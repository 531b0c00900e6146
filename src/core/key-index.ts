// Numbers (chain ids, places in a list) by a key, for lookups over a whole run: a long run has
// hundreds of thousands of keys (request ids, exchange ids), and a Map of a list per key costs
// about 130 bytes an entry (the key's string, the list, the table's slots). Here an entry is
// two 4-byte columns sorted by the key's hash: a string key's hash may be another key's too,
// so a lookup gives the numbers of every key with that hash, and the caller keeps those it
// checks to be its own (it reads the rows they name anyway).
import { column, grownColumn, releasedColumn } from './columns.js';

/** FNV-1a over the UTF-16 code units: a string's 32-bit hash. */
export function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class KeyIndex {
  private hashes = column(Uint32Array, 1024);
  private values = column(Int32Array, 1024);
  private count = 0;
  private sealed = false;

  /**
   * `hash`: a key's 32-bit hash; a number key (a non-negative integer below 2^32) is its own,
   * so a number lookup gives exactly its own numbers.
   */
  constructor(private readonly hash: (key: string) => number = hashKey) {}

  get size(): number {
    return this.count;
  }

  add(key: string | number, value: number): void {
    if (this.sealed) throw new Error('KeyIndex: add after the first lookup');
    if (this.count === this.values.length) {
      const room = this.count * 2;
      this.hashes = grownColumn(this.hashes, room);
      this.values = grownColumn(this.values, room);
    }
    this.hashes[this.count] = this.hashOf(key);
    this.values[this.count++] = value;
  }

  /** The numbers added under `key` (and any key with its hash), in ascending order. */
  get(key: string | number): number[] {
    if (!this.sealed) this.seal();
    const h = this.hashOf(key);
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.hashes[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    for (let i = lo; i < this.count && this.hashes[i] === h; i++) out.push(this.values[i]!);
    return out;
  }

  /** The columns given back (the index is empty). */
  clear(): void {
    this.hashes = releasedColumn(this.hashes);
    this.values = releasedColumn(this.values);
    this.count = 0;
  }

  private hashOf(key: string | number): number {
    return typeof key === 'number' ? key >>> 0 : this.hash(key);
  }

  /** Entries in (hash, value) order, once: the columns are sorted in place through an order. */
  private seal(): void {
    this.sealed = true;
    const n = this.count;
    const hashes = this.hashes;
    const values = this.values;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => hashes[a]! - hashes[b]! || values[a]! - values[b]!);
    const sortedHashes = column(Uint32Array, n);
    const sortedValues = column(Int32Array, n);
    for (let i = 0; i < n; i++) {
      sortedHashes[i] = hashes[order[i]!]!;
      sortedValues[i] = values[order[i]!]!;
    }
    releasedColumn(hashes);
    releasedColumn(values);
    this.hashes = sortedHashes;
    this.values = sortedValues;
  }
}
