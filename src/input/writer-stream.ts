// A stream another process writes as ostrace reads it: piped standard input, a pipe given as a
// file (`ostrace explain <(openstack --debug … 2>&1)`), a FIFO. Read through the event loop (a
// pipe handle), never by read(2) calls in the thread pool: one left waiting there held the process
// open after its report until the writer wrote again, and cannot be cut short.
//
// Ctrl-C in a pipeline reaches every process of it: the client handles it (cliff logs `END return
// value: 130`) and exits; ostrace, stopped by the same signal, would print nothing of what it read.
// So while such a stream is open a first Ctrl-C is its (the CLI's src/cli/interrupts.ts): it is
// read to its end, the writer's last lines with it, or cut INTERRUPT_GRACE_MS later when the
// writer goes on, and the run reports what was read. SIGTERM is taken the same way: a CI job's
// timeout (coreutils `timeout`, a runner cancelling the job) sends it to the whole pipeline, and
// the gate's output should say which call was still waiting, not nothing.
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';

/** How long a stream may go on after Ctrl-C before it is cut (its writer has not ended). */
export const INTERRUPT_GRACE_MS = 2000;

/** The signals a run reports on instead of stopping at once, when they come while such a stream is read. */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/** How the user knows the signal: Ctrl-C sends SIGINT. */
export function signalName(signal: StopSignal): string {
  return signal === 'SIGINT' ? 'Ctrl-C' : signal;
}

/** Where a first Ctrl-C (or SIGTERM) goes while a stream another process writes is open (the CLI's). */
export interface Interrupts {
  /** Until the returned release is called, a first Ctrl-C or SIGTERM is told to `onInterrupt` instead of stopping the process. */
  hold(onInterrupt: (signal: StopSignal) => void): () => void;
  /** One line for the user (standard error). */
  say(line: string): void;
}

/** The pipe or socket open as `fd` (`name` as the user knows it), cut after a Ctrl-C as above. */
export function writerStream(fd: number, name: string, interrupts?: Interrupts): Readable {
  let timer: NodeJS.Timeout | null = null;
  let socket: Socket | null = null;
  // Held before the first read: from then on a Ctrl-C is this stream's.
  const release =
    interrupts?.hold((signal) => {
      if (timer !== null) return;
      const by = signalName(signal);
      interrupts.say(
        `${by}: reading what ${name} still has, then reporting (${signal === 'SIGINT' ? 'Ctrl-C again' : 'another signal'} stops at once)`,
      );
      timer = setTimeout(() => {
        interrupts.say(
          `${name} cut ${INTERRUPT_GRACE_MS / 1000} s after ${by} (its writer went on): the report covers what was read`,
        );
        release();
        // What was read is the input: closed here as if its writer had closed it.
        socket?.destroy();
      }, INTERRUPT_GRACE_MS);
    }) ?? (() => {});
  // libuv never closes fds 0–2, and node gives them back their flags at exit.
  socket = new Socket({ fd, readable: true, writable: false });
  const done = () => {
    release();
    if (timer !== null) clearTimeout(timer);
  };
  socket.once('end', done);
  socket.once('close', done);
  return socket;
}
