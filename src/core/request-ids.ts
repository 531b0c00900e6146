// A run's request ids, each held once and named by a number: the service side keeps one per
// request span from the read to the chains stage, a million and more on a day of nova logs. A
// string `req-<uuid>` costs 56 bytes and a pointer to it 8; here the UUID's 16 bytes and a slot
// of the hash table, and a 4-byte number where a pointer was. Other shapes of id (a test's
// `req-1`, an upper-case UUID) are kept as the strings they are.

import { column, grownColumn } from './columns.js';

/**
 * The longest value taken as a request id: `req-<uuid>` is 40 characters, other services' ids
 * shorter. A longer one is an id run into other text (a line that lost its newline), which
 * every chain, story and report of the run would repeat: megabytes each.
 */
export const MAX_REQUEST_ID = 128;

/** A request id as logged, or null when it is none: empty, or over MAX_REQUEST_ID characters. */
export function requestIdOrNull(id: string | null | undefined): string | null {
  return id && id.length <= MAX_REQUEST_ID ? id : null;
}

const EMPTY = -1;
/** `req-` + 8-4-4-4-12 lower-case hex digits. */
const CANONICAL_LENGTH = 40;
const DASHES = [12, 17, 22, 27];

/** A RequestIds as plain data, for another thread (`toData`, `RequestIds.fromData`). */
export interface RequestIdsData {
  words: Uint32Array<ArrayBuffer>;
  count: number;
  others: Array<[number, string]>;
}

export class RequestIds {
  /** Id n's UUID as four 32-bit words (unused for the others). */
  private words = new Uint32Array(4 * 256);
  /**
   * Numbers of the UUID-shaped ids, open addressing by a hash of their words, at most three
   * quarters full: a million ids take 8 MB of slots, not 16, for probes still short (~2.5 on a miss).
   */
  private slots = new Int32Array(512).fill(EMPTY);
  private readonly others = new Map<number, string>();
  private readonly otherNumbers = new Map<string, number>();
  private count = 0;
  /** The words of the id being looked up (parsed once per call). */
  private readonly asked = new Uint32Array(4);

  get size(): number {
    return this.count;
  }

  /** Its ids as data another thread can be handed (a copy in a column of its own: the table stays usable). */
  toData(): RequestIdsData {
    const words = column(Uint32Array, 4 * this.count);
    words.set(this.words.subarray(0, 4 * this.count));
    return { words: words as Uint32Array<ArrayBuffer>, count: this.count, others: [...this.others] };
  }

  /** The table `toData` described, numbers kept. */
  static fromData(data: RequestIdsData): RequestIds {
    const ids = new RequestIds();
    ids.words = grownColumn(ids.words, Math.max(data.words.length, ids.words.length));
    ids.words.set(data.words);
    ids.count = data.count;
    for (const [n, text] of data.others) {
      ids.others.set(n, text);
      ids.otherNumbers.set(text, n);
    }
    let size = ids.slots.length;
    while (overloaded(data.count - data.others.length, size)) size *= 2;
    ids.slots = column(Int32Array, size).fill(EMPTY);
    for (let n = 0; n < data.count; n++) {
      if (ids.others.has(n)) continue;
      ids.asked.set(ids.words.subarray(4 * n, 4 * n + 4));
      ids.slots[ids.probe()] = n;
    }
    return ids;
  }

  /** The number of `id`, given it if it has none yet. */
  intern(id: string): number {
    if (!this.parse(id)) {
      let n = this.otherNumbers.get(id);
      if (n === undefined) {
        n = this.count++;
        this.otherNumbers.set(id, n);
        this.others.set(n, id);
      }
      return n;
    }
    const found = this.probe();
    if (this.slots[found] !== EMPTY) return this.slots[found]!;
    const n = this.count++;
    if (4 * n + 4 > this.words.length) {
      // by half again: doubling would leave up to 16 unused bytes an id
      this.words = grownColumn(this.words, Math.max(6 * n + 4, 1024));
    }
    this.words.set(this.asked, 4 * n);
    this.slots[found] = n;
    if (overloaded(this.count - this.others.size, this.slots.length)) this.rehash(this.slots.length * 2);
    return n;
  }

  /** The number of `id`, or EMPTY (-1) when it has none. */
  find(id: string): number {
    if (!this.parse(id)) return this.otherNumbers.get(id) ?? EMPTY;
    return this.slots[this.probe()]!;
  }

  /** The id of number `n`, as it was written. */
  text(n: number): string {
    const other = this.others.get(n);
    if (other !== undefined) return other;
    // The nibbles written into one array of char codes, the string made at once: ten times
    // faster than a hex string per word cut and joined (the chains stage names every span).
    const w = this.words;
    for (let k = 0; k < 4; k++) {
      const word = w[4 * n + k]!;
      for (let j = 0; j < 8; j++) textCodes[NIBBLE_AT[8 * k + j]!] = HEX_CODES[(word >>> (28 - 4 * j)) & 15]!;
    }
    return String.fromCharCode.apply(null, textCodes);
  }

  /** `id`'s words into `asked` when it is a canonical `req-<uuid>`; false when not. */
  private parse(id: string): boolean {
    if (id.length !== CANONICAL_LENGTH || !id.startsWith('req-')) return false;
    let word = 0;
    let nibbles = 0;
    let dash = 0;
    for (let i = 4; i < CANONICAL_LENGTH; i++) {
      const c = id.charCodeAt(i);
      if (i === DASHES[dash]) {
        if (c !== 45) return false;
        dash++;
        continue;
      }
      const v = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
      if (v < 0) return false;
      word = (word << 4) | v;
      if (++nibbles % 8 === 0) {
        this.asked[nibbles / 8 - 1] = word >>> 0;
        word = 0;
      }
    }
    return true;
  }

  /** The slot of the asked words: theirs, or the empty one where they would go. */
  private probe(): number {
    const [a, b, c, d] = this.asked as unknown as [number, number, number, number];
    const mask = this.slots.length - 1;
    for (let i = mix(a, b, c, d) & mask; ; i = (i + 1) & mask) {
      const n = this.slots[i]!;
      if (n === EMPTY) return i;
      const at = 4 * n;
      if (this.words[at] === a && this.words[at + 1] === b && this.words[at + 2] === c && this.words[at + 3] === d)
        return i;
    }
  }

  private rehash(size: number): void {
    const slots = column(Int32Array, size).fill(EMPTY);
    const mask = size - 1;
    for (const n of this.slots) {
      if (n === EMPTY) continue;
      const at = 4 * n;
      let i = mix(this.words[at]!, this.words[at + 1]!, this.words[at + 2]!, this.words[at + 3]!) & mask;
      while (slots[i] !== EMPTY) i = (i + 1) & mask;
      slots[i] = n;
    }
    this.slots = slots;
  }
}

export const NO_REQUEST_ID = EMPTY;

function mix(a: number, b: number, c: number, d: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ b ^ (h >>> 15), 0xc2b2ae35);
  h = Math.imul(h ^ c ^ (h >>> 13), 0x85ebca6b);
  h = Math.imul(h ^ d ^ (h >>> 16), 0xc2b2ae35);
  return (h ^ (h >>> 15)) >>> 0;
}

/** A canonical id's char codes, its nibbles rewritten by each `text` (ids are made one at a time). */
const textCodes = Array.from('req-00000000-0000-0000-0000-000000000000', (c) => c.charCodeAt(0));
const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** Where the 32 nibbles of an id go in its text (around the dashes). */
const NIBBLE_AT = Array.from({ length: CANONICAL_LENGTH - 4 }, (_, i) => i + 4).filter((i) => !DASHES.includes(i));

/** More than three quarters of `slots` would hold `used` numbers. */
export function overloaded(used: number, slots: number): boolean {
  return used * 4 > slots * 3;
}
