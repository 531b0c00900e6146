// What the bin's thread (main.ts) and the program's worker (worker.ts) tell each other.
import type { StopSignal } from '../input/writer-stream.js';

/** The young generation of the program's heap: three semi-spaces of 4 MB (V8's default grows to 16 MB each). */
export const YOUNG_GENERATION_MB = 12;

/** workerData: what only the bin's thread can see of the process's streams. */
export interface ToProgram {
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** Only the build sets it (src/cli/prepare-bin.ts): write the program's code cache at exit. */
  writeCodeCache?: boolean;
  /**
   * Shared by both threads (a message could come after the signal): whether a stream another
   * process writes is open (OPEN_STREAMS, 1n) and when the last one ended (LAST_CLOSED_MS), set by
   * the program, read by the bin in its signal handler.
   */
  streams: BigInt64Array;
}

export const OPEN_STREAMS = 0;
export const LAST_CLOSED_MS = 1;
/**
 * A Ctrl-C this soon after such a stream ended was meant for its writer: the writer handled it and
 * closed the stream before the signal was handled here. The run goes on to its report.
 */
const LATE_CTRL_C_MS = 1000;

/** Shared memory for ToProgram.streams. */
export function sharedStreams(): BigInt64Array {
  return new BigInt64Array(new SharedArrayBuffer(2 * BigInt64Array.BYTES_PER_ELEMENT));
}

/** Whether a Ctrl-C now is one for a stream's writer (open, or ended just now), not for the run. */
export function forAWriter(streams: BigInt64Array, now = Date.now()): { open: boolean; late: boolean } {
  const open = Atomics.load(streams, OPEN_STREAMS) === 1n;
  const closed = Number(Atomics.load(streams, LAST_CLOSED_MS));
  return { open, late: !open && closed > 0 && now - closed < LATE_CTRL_C_MS };
}

/**
 * Signals reach the bin's thread only. A first Ctrl-C (or SIGTERM) while the program reads a
 * stream that another process writes (piped standard input, `run`'s command) is handed to the
 * program, which reads what the stream still has and reports; any other stops the process at once.
 */
export interface ProgramMessage {
  /** The bin to the program: Ctrl-C was pressed (SIGINT), or the run was asked to end (SIGTERM). */
  kind: 'interrupt';
  signal: StopSignal;
}

/** The exit status of a process a signal stopped, as a shell reports it (130 for Ctrl-C, 143 for SIGTERM). */
export function exitCodeOf(signal: StopSignal): number {
  return 128 + (signal === 'SIGINT' ? 2 : 15);
}
