#!/usr/bin/env node
// The bin: run the program and set the exit code; output is flushed before exit.
import { setFlagsFromString } from 'node:v8';
import { processIo } from './io.js';
import { run } from './program.js';

// V8 lets its old space grow to up to four times what was live after a full collection
// when collecting is cheap next to the work, which a log reader's churn of short-lived
// line strings makes it: peak RSS then follows the garbage, not what is open. Growing by
// a fifth at a time keeps the limit near what is live (60 MB of nova logs: 593 → 386 MB
// peak, no slower); the heap itself is not capped.
// A value given to node itself (a flag or NODE_OPTIONS) is the user's to keep.
if (![...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('heap-growing-percent')))
  setFlagsFromString('--heap-growing-percent=20');

// A closed pipe downstream (`… | head`) ends the run quietly, as it does for grep.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const io = processIo();
run(io, process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`ostrace: ${(e as Error)?.message ?? String(e)}\n`);
    process.exitCode = 2;
  },
);
