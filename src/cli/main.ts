#!/usr/bin/env node
// The bin: run the program and set the exit code; output is flushed before exit.
import { processIo } from './io.js';
import { run } from './program.js';

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
