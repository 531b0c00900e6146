// The CLI's connection to the world, injectable for tests (the bin's is made in worker.ts).
import type { Readable, Writable } from 'node:stream';
import type { Interrupts } from '../input/writer-stream.js';

export interface CliIo {
  stdin: Readable;
  stdinIsTTY: boolean;
  /** `stdin` is the process's standard input: a command run by `ostrace run` may inherit it. */
  stdinIsProcess: boolean;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  exitCode: number;
  /** Ctrl-C cuts the streams another process writes (the bin's; absent in tests run in-process). */
  interrupts?: Interrupts;
}
