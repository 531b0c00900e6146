// What the critical paths and the service families read of an exchange — its
// side, service, method, path template, start and duration — kept in columns by exchange
// id while the stage reads the exchanges once. Holding whole exchanges for every chained
// request made the statistics stage the largest holder of a multi-service run (45 MB of
// 232 MB of logs); these columns are a few bytes per exchange.
import type { Exchange } from '../model/schema.js';
import { pathTemplate } from './template.js';
import { durationOf, startOf } from './timing.js';
import { grownColumn } from '../core/columns.js';

/** The facts of one exchange, made on demand from the columns. */
export interface ExchangeFacts {
  id: number;
  side: Exchange['side'];
  service: string | null;
  method: string | null;
  template: string | null;
  /** ms on the log's own clock (startOf), null when unknown. */
  start: number | null;
  /** durationOf: the exchange's own, or a server exchange's logged time. */
  duration: number | null;
}

const SIDES: ReadonlyArray<Exchange['side'] | null> = [null, 'client', 'server'];

/** Strings that repeat (services, methods, templates) stored once, by number; 0 is null. */
class Interned {
  private readonly numbers = new Map<string, number>();
  private readonly strings: Array<string | null> = [null];

  numberOf(s: string | null): number {
    if (s === null) return 0;
    let n = this.numbers.get(s);
    if (n === undefined) {
      n = this.strings.length;
      this.strings.push(s);
      this.numbers.set(s, n);
    }
    return n;
  }

  stringOf(n: number): string | null {
    return this.strings[n] ?? null;
  }
}

export class ExchangeFactTable {
  private sides = new Uint8Array(1024);
  private services = new Uint32Array(1024);
  private methods = new Uint32Array(1024);
  private templates = new Uint32Array(1024);
  private starts = new Float64Array(1024);
  private durations = new Float64Array(1024);
  private readonly strings = new Interned();

  add(e: Exchange): void {
    if (e.id < 0 || !Number.isInteger(e.id)) return;
    this.ensure(e.id);
    this.sides[e.id] = SIDES.indexOf(e.side);
    this.services[e.id] = this.strings.numberOf(e.service);
    this.methods[e.id] = this.strings.numberOf(e.method);
    this.templates[e.id] = this.strings.numberOf(pathTemplate(e.path));
    this.starts[e.id] = startOf(e) ?? Number.NaN;
    this.durations[e.id] = durationOf(e) ?? Number.NaN;
  }

  get(id: number): ExchangeFacts | null {
    if (id < 0 || id >= this.sides.length) return null;
    const side = SIDES[this.sides[id]!] ?? null;
    if (side === null) return null;
    return {
      id,
      side,
      service: this.strings.stringOf(this.services[id]!),
      method: this.strings.stringOf(this.methods[id]!),
      template: this.strings.stringOf(this.templates[id]!),
      start: orNull(this.starts[id]!),
      duration: orNull(this.durations[id]!),
    };
  }

  private ensure(id: number): void {
    if (id < this.sides.length) return;
    let size = this.sides.length;
    while (size <= id) size *= 2;
    this.sides = grownColumn(this.sides, size);
    this.services = grownColumn(this.services, size);
    this.methods = grownColumn(this.methods, size);
    this.templates = grownColumn(this.templates, size);
    this.starts = grownColumn(this.starts, size);
    this.durations = grownColumn(this.durations, size);
  }
}

function orNull(n: number): number | null {
  return Number.isNaN(n) ? null : n;
}
