// The CLI's connection to the world, injectable for tests (the bin's is made in worker.ts).
import type { Readable, Writable } from 'node:stream';

export interface CliIo {
  stdin: Readable;
  stdinIsTTY: boolean;
  /** `stdin` is the process's standard input: a command run by `ostrace run` may inherit it. */
  stdinIsProcess: boolean;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  exitCode: number;
}
