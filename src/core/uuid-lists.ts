// The resource UUIDs that request spans name, as numbered lists kept once each: a day of nova
// logs has a million spans, most of them naming an instance and a volume or two, and only a few
// hundred thousand distinct lists of a few thousand distinct UUIDs. A list as a JS array cost
// ~50 bytes and a pointer to it 8; here a span holds a 4-byte list number, and each distinct
// list is its UUIDs' numbers in a typed column.

import { column, grownColumn } from './columns.js';

const EMPTY_SLOT = -1;

/** A UuidLists as plain data, for another thread (`toData`, `UuidLists.fromData`). */
export interface UuidListsData {
  uuids: string[];
  count: number;
  starts: Int32Array<ArrayBuffer>;
  items: Int32Array<ArrayBuffer>;
}

export class UuidLists {
  /** The empty list: every span's until it names a UUID. */
  static readonly EMPTY = 0;

  private uuids: string[] = [];
  private readonly uuidNumbers = new Map<string, number>();
  /** How many lists there are (list 0 is the empty one). */
  private count = 1;
  /** List n's UUID numbers are items[starts[n]] up to items[starts[n + 1]]. */
  private starts = column(Int32Array, 256);
  private items = column(Int32Array, 512);
  /** List numbers, open addressing by a hash of their items (at most half full). */
  private slots = column(Int32Array, 512).fill(EMPTY_SLOT);

  get size(): number {
    return this.count;
  }

  /** How many distinct UUIDs the lists name (their numbers are 0 up to this). */
  get uuidCount(): number {
    return this.uuids.length;
  }

  /** The number of `uuid`, given it if it has none yet. */
  uuidNumber(uuid: string): number {
    let n = this.uuidNumbers.get(uuid);
    if (n === undefined) {
      // A copy of its own: a UUID cut from a log line is a view that would keep the line alive.
      const copy = Buffer.from(uuid, 'latin1').toString('latin1');
      n = this.uuids.push(copy) - 1;
      this.uuidNumbers.set(copy, n);
    }
    return n;
  }

  uuid(n: number): string {
    return this.uuids[n]!;
  }

  length(list: number): number {
    return this.starts[list + 1]! - this.starts[list]!;
  }

  /** The UUID number at `index` of `list`. */
  at(list: number, index: number): number {
    return this.items[this.starts[list]! + index]!;
  }

  has(list: number, uuidNumber: number): boolean {
    for (let k = this.starts[list]!; k < this.starts[list + 1]!; k++) if (this.items[k] === uuidNumber) return true;
    return false;
  }

  /** Its UUIDs as strings (a new array on each call). */
  strings(list: number): string[] {
    const out: string[] = [];
    for (let k = this.starts[list]!; k < this.starts[list + 1]!; k++) out.push(this.uuids[this.items[k]!]!);
    return out;
  }

  /** The list that is `list` and then `uuidNumber`. */
  with(list: number, uuidNumber: number): number {
    const from = this.starts[list]!;
    const to = this.starts[list + 1]!;
    let h = this.hashOf(from, to);
    h = mix(h, uuidNumber);
    const found = this.probe(h, (candidate) => {
      if (this.length(candidate) !== to - from + 1) return false;
      const c = this.starts[candidate]!;
      for (let k = 0; k < to - from; k++) if (this.items[c + k] !== this.items[from + k]) return false;
      return this.items[c + to - from] === uuidNumber;
    });
    if (this.slots[found] !== EMPTY_SLOT) return this.slots[found]!;
    const end = this.starts[this.count]!;
    this.reserve(end + to - from + 1);
    this.items.copyWithin(end, from, to);
    this.items[end + to - from] = uuidNumber;
    return this.added(found, end + to - from + 1);
  }

  /** The list of these UUIDs in this order. */
  listOf(uuids: Iterable<string>): number {
    let list = UuidLists.EMPTY;
    for (const u of uuids) list = this.with(list, this.uuidNumber(u));
    return list;
  }

  /** The number in this pool of list `list` of `other` (a table read by another thread). */
  copyOf(other: UuidLists, list: number): number {
    if (other === this) return list;
    let copy = UuidLists.EMPTY;
    for (let k = 0; k < other.length(list); k++) copy = this.with(copy, this.uuidNumber(other.uuid(other.at(list, k))));
    return copy;
  }

  /** Its lists as data another thread can be handed (copies: the pool stays usable). */
  toData(): UuidListsData {
    const starts = column(Int32Array, this.count + 1);
    starts.set(this.starts.subarray(0, this.count + 1));
    const items = column(Int32Array, this.starts[this.count]!);
    items.set(this.items.subarray(0, this.starts[this.count]!));
    return {
      uuids: this.uuids.slice(),
      count: this.count,
      starts: starts as Int32Array<ArrayBuffer>,
      items: items as Int32Array<ArrayBuffer>,
    };
  }

  /** The pool `toData` described, numbers kept. */
  static fromData(data: UuidListsData): UuidLists {
    const pool = new UuidLists();
    pool.uuids = data.uuids;
    data.uuids.forEach((u, n) => pool.uuidNumbers.set(u, n));
    pool.count = data.count;
    pool.starts = data.starts.length > 1 ? data.starts : pool.starts;
    pool.items = data.items.length > 0 ? data.items : pool.items;
    pool.slots = column(Int32Array, Math.max(512, 2 ** Math.ceil(Math.log2(2 * data.count + 2)))).fill(EMPTY_SLOT);
    for (let n = 1; n < pool.count; n++) {
      const found = pool.probe(pool.hashOf(pool.starts[n]!, pool.starts[n + 1]!), () => false);
      pool.slots[found] = n;
    }
    return pool;
  }

  /** A new list whose items end at `end` (already written), in hash slot `slot`. */
  private added(slot: number, end: number): number {
    const n = this.count++;
    if (n + 2 > this.starts.length) this.starts = grownColumn(this.starts, 2 * this.starts.length);
    this.starts[n + 1] = end;
    this.slots[slot] = n;
    if (2 * this.count > this.slots.length) this.rehash();
    return n;
  }

  private reserve(items: number): void {
    if (items > this.items.length) this.items = grownColumn(this.items, Math.max(items, 2 * this.items.length));
  }

  private hashOf(from: number, to: number): number {
    let h = 0x811c9dc5;
    for (let k = from; k < to; k++) h = mix(h, this.items[k]!);
    return h;
  }

  /** The slot of the list `matches` accepts among those hashed to `h`, else the empty slot where it would go. */
  private probe(h: number, matches: (list: number) => boolean): number {
    const mask = this.slots.length - 1;
    let at = h & mask;
    while (this.slots[at] !== EMPTY_SLOT && !matches(this.slots[at]!)) at = (at + 1) & mask;
    return at;
  }

  private rehash(): void {
    this.slots = column(Int32Array, 2 * this.slots.length).fill(EMPTY_SLOT);
    for (let n = 1; n < this.count; n++) {
      const found = this.probe(this.hashOf(this.starts[n]!, this.starts[n + 1]!), () => false);
      this.slots[found] = n;
    }
  }
}

function mix(h: number, x: number): number {
  return Math.imul(h ^ x, 0x01000193) >>> 0;
}
