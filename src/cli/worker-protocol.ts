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
}
