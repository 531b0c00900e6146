// A set of small non-negative integers in a growable bit array.
import { grownColumn } from '../core/columns.js';
/** A set of ids as one bit each: a run's ids (exchanges, commands, rows) are dense (0 … n-1) and number hundreds of thousands. */
export class IdBits {
  private bits = new Uint8Array(1024);

  add(id: number): void {
    if (id < 0 || !Number.isInteger(id)) return;
    if (id >> 3 >= this.bits.length) {
      let size = this.bits.length;
      while (id >> 3 >= size) size *= 2;
      this.bits = grownColumn(this.bits, size);
    }
    this.bits[id >> 3]! |= 1 << (id & 7);
  }

  has(id: number): boolean {
    return id >= 0 && id >> 3 < this.bits.length && (this.bits[id >> 3]! & (1 << (id & 7))) !== 0;
  }
}
