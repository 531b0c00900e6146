// A synchronous loop that never ends (an input a property test generates finding a bug) blocks
// the test process: vitest's timeouts run on that same event loop and never fire, and the whole
// run hangs until CI's own limit, printing nothing. A watchdog thread ends the process instead,
// saying why, so vitest reports the file as failed and goes on with the others.
import { Worker } from 'node:worker_threads';

const WATCHDOG = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const { beat, limitSeconds, what } = workerData;
setInterval(() => {
  const idle = Math.floor(Date.now() / 1000) - Atomics.load(beat, 0);
  if (idle < limitSeconds) return;
  writeSync(2, 'watchdog: ' + what + ' blocked its event loop for ' + idle + ' s (a synchronous loop that never ends?); ending process ' + process.pid + '\\n');
  process.kill(process.pid, 'SIGKILL');
}, 1000);
`;

let started = false;

/** Kill this process if its event loop is blocked for `limitSeconds` (once per process). */
export function startWatchdog(what: string, limitSeconds = 300): void {
  if (started) return;
  started = true;
  const beat = new Int32Array(new SharedArrayBuffer(4));
  const now = () => Math.floor(Date.now() / 1000);
  Atomics.store(beat, 0, now());
  setInterval(() => Atomics.store(beat, 0, now()), 1000).unref();
  // no flags of this process (`--input-type=module` would make the script a module without require)
  new Worker(WATCHDOG, { eval: true, execArgv: [], workerData: { beat, limitSeconds, what } }).unref();
}
