// The program, in the worker thread main.ts starts (dist/bin/ostrace-cli.js). Its exit
// code is the worker's, which main.ts makes the process's; output is flushed first.
import { type Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { useCheckedBuiltins } from '../flows/load.js';
import type { CliIo } from './io.js';
import { run } from './program.js';
import { InterruptHolders } from './interrupts.js';
import { processStdin } from './stdin.js';
import {
  exitCodeOf,
  forAWriter,
  LAST_CLOSED_MS,
  OPEN_STREAMS,
  type ProgramMessage,
  type ToProgram,
} from './worker-protocol.js';

const fromBin = workerData as ToProgram;

// Beside the bundle (dist/bin/) when built; compiled by tsc alone, there is none and every flow file is validated.
useCheckedBuiltins(fileURLToPath(new URL('./grammars-checked.json', import.meta.url)));

/** A worker's own stdout and stderr are relayed by the bin's thread: they say whether the process's are terminals. */
function withTTY<T extends Writable>(stream: T, isTTY: boolean): T & { isTTY: boolean } {
  return Object.assign(stream, { isTTY });
}

const interrupts = new InterruptHolders((open) => {
  if (!open) Atomics.store(fromBin.streams, LAST_CLOSED_MS, BigInt(Date.now()));
  Atomics.store(fromBin.streams, OPEN_STREAMS, open ? 1n : 0n);
}, process.stderr);
parentPort?.on('message', (message: ProgramMessage) => {
  if (message.kind !== 'interrupt') return;
  // No stream open: the one it was meant for ended just now (its writer handled the same Ctrl-C),
  // or the bin was told of one that is not there: then it stops the run, as it would have.
  if (!interrupts.interrupt(message.signal) && !forAWriter(fromBin.streams).late)
    process.exit(exitCodeOf(message.signal));
});
// Listening does not keep the program running.
parentPort?.unref();

const io: CliIo = {
  stdin: processStdin(interrupts),
  interrupts,
  stdinIsTTY: fromBin.stdinIsTTY,
  stdinIsProcess: true,
  stdout: withTTY(process.stdout, fromBin.stdoutIsTTY),
  stderr: withTTY(process.stderr, fromBin.stderrIsTTY),
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
