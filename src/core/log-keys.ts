// Which log a row comes from: its input's name, its order on the command line and the service
// label of its lines (one journal or `kubectl logs` stream holds several services: several
// logs). A long run has a million request spans and chain nodes and a handful of logs, so a
// row keeps one log number (2 bytes) where three columns took 12.

/** A log as its rows name it. */
export interface LogKey {
  source: string;
  inputIndex: number;
  service: string;
}

/** The three as plain data, for another thread (`LogKeys.fromData`). */
export interface LogKeysData {
  sources: string[];
  inputIndexes: number[];
  services: string[];
}

/** Logs numbered from 0 in the order they are first asked for. */
export class LogKeys {
  private sources: string[] = [];
  private inputIndexes: number[] = [];
  private services: string[] = [];
  private readonly numbers = new Map<string, number>();

  static fromData(data: LogKeysData): LogKeys {
    const keys = new LogKeys();
    for (let n = 0; n < data.sources.length; n++)
      keys.numberOf(data.sources[n]!, data.inputIndexes[n]!, data.services[n]!);
    return keys;
  }

  get size(): number {
    return this.sources.length;
  }

  /** The log's number, given it on first sight. */
  numberOf(source: string, inputIndex: number, service: string): number {
    // NUL cannot be in a file name or a service label read from a line
    const key = `${inputIndex}\u0000${source}\u0000${service}`;
    let n = this.numbers.get(key);
    if (n === undefined) {
      n = this.sources.push(source) - 1;
      this.inputIndexes.push(inputIndex);
      this.services.push(service);
      this.numbers.set(key, n);
    }
    return n;
  }

  source(n: number): string {
    return this.sources[n]!;
  }

  inputIndex(n: number): number {
    return this.inputIndexes[n]!;
  }

  service(n: number): string {
    return this.services[n]!;
  }

  toData(): LogKeysData {
    return { sources: this.sources, inputIndexes: this.inputIndexes, services: this.services };
  }
}
