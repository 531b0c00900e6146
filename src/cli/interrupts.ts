// The program's side of Ctrl-C (src/input/writer-stream.ts says why): the streams another process
// writes that are open, and a way to tell the bin's thread whether there are any (it reads that in
// its signal handler, src/cli/main.ts).
import type { Writable } from 'node:stream';
import type { Interrupts, StopSignal } from '../input/writer-stream.js';

export class InterruptHolders implements Interrupts {
  private readonly holders = new Set<(signal: StopSignal) => void>();

  constructor(
    private readonly tell: (open: boolean) => void,
    private readonly stderr: Writable,
  ) {}

  hold(onInterrupt: (signal: StopSignal) => void): () => void {
    // A handler of its own per hold: the same function held twice is two holds.
    const holder = (signal: StopSignal) => onInterrupt(signal);
    this.holders.add(holder);
    if (this.holders.size === 1) this.tell(true);
    return () => {
      if (this.holders.delete(holder) && this.holders.size === 0) this.tell(false);
    };
  }

  say(line: string): void {
    this.stderr.write(`ostrace: ${line}\n`);
  }

  /** Ctrl-C or SIGTERM: every open stream is told; false when none is open. */
  interrupt(signal: StopSignal): boolean {
    if (this.holders.size === 0) return false;
    for (const holder of [...this.holders]) holder(signal);
    return true;
  }
}
