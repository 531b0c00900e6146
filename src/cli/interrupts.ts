// Ctrl-C in a pipeline reaches every process of it: `openstack --debug server add volume … 2>&1 |
// ostrace explain` on a command that hangs. The client handles it (cliff logs `END return value:
// 130`) and exits; ostrace, stopped by the same signal, would print nothing of what it read. So a
// first Ctrl-C while a stream another process writes is open (piped standard input, the command
// `run` runs) goes to what reads that stream: it reads on to the stream's end, cut after a grace
// if the writer goes on, and the run reports. A second Ctrl-C, or one in any other stage, stops
// the process at once (src/cli/main.ts).

/** How long a stream may go on after Ctrl-C before it is cut (the writer has not ended). */
export const INTERRUPT_GRACE_MS = 2000;

export interface Interrupts {
  /**
   * While the returned release is not called, a first Ctrl-C is told to `onInterrupt`
   * instead of stopping the process.
   */
  hold(onInterrupt: () => void): () => void;
}

/** The program's side: holders of open streams, and a way to tell the bin whether there are any. */
export class InterruptHolders implements Interrupts {
  private readonly holders = new Set<() => void>();

  constructor(private readonly tell: (open: boolean) => void) {}

  hold(onInterrupt: () => void): () => void {
    // A handler of its own per hold: the same function held twice is two holds.
    const holder = () => onInterrupt();
    this.holders.add(holder);
    if (this.holders.size === 1) this.tell(true);
    return () => {
      if (this.holders.delete(holder) && this.holders.size === 0) this.tell(false);
    };
  }

  /** Ctrl-C: every open stream is told; false when none is open. */
  interrupt(): boolean {
    if (this.holders.size === 0) return false;
    for (const holder of [...this.holders]) holder();
    return true;
  }
}
