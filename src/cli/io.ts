// The CLI's connection to the world, injectable for tests.
import type { Readable, Writable } from 'node:stream';

export interface CliIo {
  stdin: Readable;
  stdinIsTTY: boolean;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  exitCode: number;
}

export function processIo(): CliIo {
  return {
    stdin: process.stdin,
    stdinIsTTY: process.stdin.isTTY === true,
    stdout: process.stdout,
    stderr: process.stderr,
    exitCode: 0,
  };
}
