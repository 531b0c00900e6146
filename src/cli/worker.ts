// The program, in the worker thread main.ts starts (dist/bin/ostrace-cli.js). Its exit
// code is the worker's, which main.ts makes the process's; output is flushed first.
import { read as readFd } from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { workerData } from 'node:worker_threads';
import { useCheckedBuiltins } from '../flows/load.js';
import type { CliIo } from './io.js';
import { run } from './program.js';
import type { ToProgram } from './worker-protocol.js';

const streams = workerData as ToProgram;

// Beside the bundle (dist/bin/) when built; compiled by tsc alone, there is none and every flow file is validated.
useCheckedBuiltins(fileURLToPath(new URL('./grammars-checked.json', import.meta.url)));

/** A worker's own stdout and stderr are relayed by the bin's thread: they say whether the process's are terminals. */
function withTTY<T extends Writable>(stream: T, isTTY: boolean): T & { isTTY: boolean } {
  return Object.assign(stream, { isTTY });
}

/** Bytes asked of one read(2) of standard input, as a file stream reads a file. */
const STDIN_CHUNK = 64 * 1024;

/**
 * Standard input, read from fd 0 by this thread, and only once the program reads it: a run
 * over files leaves it unread for whoever reads it next (`while read f; do ostrace analyze
 * "$f"; done < list`). Read here rather than relayed by the bin's thread: relayed, each chunk
 * was allocated by one thread and copied into another, and glibc's per-thread arenas kept
 * what both freed (200 MB read through `-`: 150 MB peak RSS, 132 read as a file).
 */
function stdinOfProcess(): Readable {
  let spare: Buffer | null = null;
  return new Readable({
    highWaterMark: STDIN_CHUNK,
    read() {
      const buffer = spare ?? Buffer.allocUnsafeSlow(STDIN_CHUNK);
      spare = null;
      const attempt = () =>
        readFd(0, buffer, 0, STDIN_CHUNK, null, (e, n) => {
          // A non-blocking descriptor (its writer's choice) with nothing in it yet: wait, as a blocking read would.
          if (e?.code === 'EAGAIN') return void setTimeout(attempt, 10);
          if (e) return void this.destroy(e);
          if (n === 0) return void this.push(null);
          // A short read (a pipe's few lines) is copied out and the chunk kept for the next read.
          if (n < STDIN_CHUNK / 2) {
            spare = buffer;
            this.push(Buffer.from(buffer.subarray(0, n)));
          } else this.push(buffer.subarray(0, n));
        });
      attempt();
    },
  });
}

const io: CliIo = {
  stdin: stdinOfProcess(),
  stdinIsTTY: streams.stdinIsTTY,
  stdinIsProcess: true,
  stdout: withTTY(process.stdout, streams.stdoutIsTTY),
  stderr: withTTY(process.stderr, streams.stderrIsTTY),
  exitCode: 0,
};

run(io, process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`ostrace: ${(e as Error)?.message ?? String(e)}\n`);
    process.exitCode = 2;
  },
);
