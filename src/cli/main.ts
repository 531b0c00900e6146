#!/usr/bin/env node
// The bin: starts the program in a worker thread with a small young generation and
// relays its exit code. The program itself is src/cli/worker.ts (dist/bin/ostrace-program.cjs,
// started by src/cli/program-loader.ts, dist/bin/ostrace-cli.js);
// this thread loads nothing else, so it adds only a bare isolate to the process.
//
// Why a worker: a log reader makes short-lived strings by the million, and V8 grows its
// young generation to three 16 MB semi-spaces under that churn: tens of MB of peak RSS
// that are garbage, never what is open. `--max-semi-space-size` would fix it but V8 reads
// it only at start (setting it from the program has no effect, and a `#!/usr/bin/env -S
// node …` line breaks on busybox's env); a worker's resourceLimits set it per isolate.
import { isatty } from 'node:tty';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { StopSignal } from '../input/writer-stream.js';
import {
  exitCodeOf,
  forAWriter,
  sharedStreams,
  YOUNG_GENERATION_MB,
  type ProgramMessage,
  type ToProgram,
} from './worker-protocol.js';

const userFlags = [...process.execArgv, process.env.NODE_OPTIONS ?? ''];
const userSets = (flag: string) => userFlags.some((a) => a.includes(flag));

// V8 lets its old space grow to up to four times what was live after a full collection
// when collecting is cheap next to the work, which a log reader's churn makes it: peak RSS
// then follows the garbage, not what is open. Growing by a tenth at a time keeps the limit
// near what is live (60 MB of nova logs at a fifth: 593 → 386 MB peak, no slower; a tenth
// takes 5 MB more off 200 MB of them and off 200 MB of console log for 2–5% more CPU); the
// heap itself is not capped. V8's flags are the process's: the worker's heap is made with
// this one. A value given to node itself (a flag or NODE_OPTIONS) is the user's to keep.
if (!userSets('heap-growing-percent')) setFlagsFromString('--heap-growing-percent=10');

const start: ToProgram = {
  streams: sharedStreams(),
  stdinIsTTY: isatty(0),
  stdoutIsTTY: isatty(1),
  stderrIsTTY: isatty(2),
  ...(process.env.OSTRACE_WRITE_CODE_CACHE === '1' ? { writeCodeCache: true } : {}),
};
const program = new Worker(new URL('./ostrace-cli.js', import.meta.url), {
  argv: process.argv.slice(2),
  workerData: start,
  // Standard input is fd 0, read by the program itself when it reads `-` (src/cli/worker.ts).
  // The read thread's spill files are closed here (src/cli/read-ahead.ts): no thread owns an fd.
  trackUnmanagedFds: false,
  ...(userSets('semi-space') ? {} : { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } }),
});

program.on('error', (e: Error) => {
  process.stderr.write(`ostrace: internal error: ${e?.message ?? String(e)}\n`);
  process.exitCode = 2;
});
// Ctrl-C (src/input/writer-stream.ts): the first, while the program reads a stream another
// process writes (or just after its writer closed it), is that stream's: the program reads its
// rest and reports. Any other stops at once, as SIGINT does by default. SIGTERM is taken the same
// way (a CI job's timeout sends it to the whole pipeline); a run it reached still ends with 143:
// a gate that was stopped never passes.
/** SIGTERM again this soon after the one taken is the same one sent twice, not a second request. */
const SAME_SIGNAL_MS = 250;
let taken: StopSignal | null = null;
let takenAt = 0;
function onStopSignal(signal: StopSignal): void {
  // coreutils `timeout` signals its command and then its whole process group: the same request
  // twice. (A terminal sends one SIGINT per Ctrl-C, and a quick second press means stop.)
  if (signal === 'SIGTERM' && taken === signal && Date.now() - takenAt < SAME_SIGNAL_MS) return;
  const { open, late } = forAWriter(start.streams);
  if (taken !== null || (!open && !late)) process.exit(exitCodeOf(signal));
  taken = signal;
  takenAt = Date.now();
  if (!open) {
    // Its writer got the same signal and closed the stream first: all it wrote is read.
    const [by, again] = signal === 'SIGINT' ? ['Ctrl-C', 'Ctrl-C again'] : [signal, 'another signal'];
    process.stderr.write(`ostrace: ${by}: the input had just ended, reporting (${again} stops at once)\n`);
    return;
  }
  const told: ProgramMessage = { kind: 'interrupt', signal };
  program.postMessage(told);
}
process.on('SIGINT', onStopSignal);
process.on('SIGTERM', onStopSignal);

program.on('exit', (code) => {
  // The worker's exit code is the program's process.exitCode.
  process.exitCode = taken === 'SIGTERM' ? exitCodeOf(taken) : (process.exitCode ?? code);
});

// A closed pipe downstream (`… | head`) ends the run quietly, as it does for grep; any other
// write error (`> report.txt` on a full disk) is one line and exit 2, not a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  process.stderr.write(`ostrace: standard output: ${e.message}\n`);
  process.exit(2);
});
