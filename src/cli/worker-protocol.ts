// What the bin's thread (main.ts) and the program's worker (worker.ts) tell each other.

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
   * One Int32 shared by both threads, 1 while a Ctrl-C would cut a stream short rather than stop
   * the run: set by the program as it opens and ends such a stream, read by the bin at once in its
   * signal handler (a message could come after the signal).
   */
  interruptible: Int32Array;
}

/**
 * Signals reach the bin's thread only. A first Ctrl-C while the program reads a stream that
 * another process writes (piped standard input, `run`'s command) is handed to the program,
 * which reads what the stream still has and reports; any other stops the process at once.
 */
export interface ProgramMessage {
  /** The bin to the program: Ctrl-C was pressed. */
  kind: 'interrupt';
}
