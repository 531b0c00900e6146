// The live heap of this test process in MB, after full collections: what a stage keeps, not
// what it churns. Collections are forced through V8's `gc`, exposed for the test run.
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | undefined;

export function liveHeapMb(): number {
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  }
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}
