// The program, in the worker thread main.ts starts (dist/bin/ostrace-cli.js). Its exit
// code is the worker's, which main.ts makes the process's; output is flushed first.
import { Readable, type Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { useCheckedBuiltins } from '../flows/load.js';
import type { CliIo } from './io.js';
import { run } from './program.js';
import type { FromProgram, ToProgram } from './worker-protocol.js';

const streams = workerData as ToProgram;

// Beside the bundle (dist/bin/) when built; compiled by tsc alone, there is none and every flow file is validated.
useCheckedBuiltins(fileURLToPath(new URL('./grammars-checked.json', import.meta.url)));

/** A worker's own stdout and stderr are relayed by the bin's thread: they say whether the process's are terminals. */
function withTTY<T extends Writable>(stream: T, isTTY: boolean): T & { isTTY: boolean } {
  return Object.assign(stream, { isTTY });
}

/**
 * Standard input, asked of the bin's thread on the first read only: a run over files
 * leaves it unread for whoever reads it next.
 */
function stdinOnDemand(): Readable {
  let asked = false;
  const input = new Readable({
    read() {
      if (asked) {
        process.stdin.resume();
        return;
      }
      asked = true;
      parentPort!.postMessage({ kind: 'stdin' } satisfies FromProgram);
      process.stdin.on('data', (chunk: Buffer) => {
        if (!input.push(chunk)) process.stdin.pause();
      });
      process.stdin.once('end', () => input.push(null));
      process.stdin.once('error', (e) => input.destroy(e));
    },
  });
  return input;
}

const io: CliIo = {
  stdin: stdinOnDemand(),
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
