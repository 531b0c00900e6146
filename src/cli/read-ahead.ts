// A second thread for the read stage: whole service logs of a multi-file run are read there
// while the program's thread reads the inputs before them (analyzeSources takes the parts in
// input order). The bundle's `ostrace-read.js` (src/cli/read-worker.ts) is that thread; run
// from the TypeScript sources (tests) there is none, and the run reads everything itself.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AnalyzeOptions } from '../analyze.js';
import type { PartReader, PartResult } from '../chain/assemble/read-part.js';
import type { LineSource } from '../input/read.js';
import type { ReadDone, ReadJob, ReadProgress, ReadWorkerData } from './read-worker.js';

/**
 * Bytes of files after the first below which no thread is started: starting one (an isolate,
 * the parser's modules) costs ~0.1 s, the time to read a few MB of service log.
 */
export const READ_AHEAD_MIN_BYTES = 8 * 1024 * 1024;

/** A reader for `sources`, or null when a second thread would not pay or cannot read for this run. */
/**
 * The reading thread's young generation (MB): smaller than the program's (worker-protocol.ts),
 * as its heap is a second one next to it. 200 MB of older nova logs: 193 → 182 MB peak RSS with
 * 4 instead of 12, no slower (2 gives nothing more).
 */
const READ_YOUNG_GENERATION_MB = 4;

/**
 * Whether a second thread would pay: the files after the first hold READ_AHEAD_MIN_BYTES
 * (`OSTRACE_READ_AHEAD_BYTES` instead: that alone decides), and no input holds half of all.
 * Two threads on two cores are not twice one: the program's thread reads 20-30% slower beside the
 * other (the second core also ran its garbage collector's helpers), and the other costs 15-35
 * MB. Where one log is most of the run (200 MB of older nova logs, nova-api 68%) the thread
 * saved 3-11% of the read for 35 MB; over a set of service logs (the multi-service recording
 * grown to 200 MB) 20-25% of it for 25 MB.
 */
function pays(sources: readonly LineSource[]): boolean {
  let behind = 0;
  let total = 0;
  let largest = 0;
  sources.forEach((s, i) => {
    const size = s.size ?? 0;
    if (i > 0 && s.path !== undefined) behind += size;
    total += size;
    largest = Math.max(largest, size);
  });
  const env = process.env.OSTRACE_READ_AHEAD_BYTES;
  if (env !== undefined && Number.isFinite(Number(env))) return behind >= Number(env);
  return behind >= READ_AHEAD_MIN_BYTES && largest * 2 <= total;
}

/** A PartReader that counts the inputs whose parts the run took (`OSTRACE_TRACE_STAGES` says it). */
export interface CountingReader extends PartReader {
  readonly inputsTaken: number;
}

/** The bundle's thread beside this module; tests name the built one, and may ask for progress on every batch. */
interface ThreadScript {
  script: URL;
  progressEveryMs?: number;
}

export function partReader(
  sources: readonly LineSource[],
  options: AnalyzeOptions,
  thread: ThreadScript = { script: new URL('./ostrace-read.js', import.meta.url) },
): CountingReader | null {
  const { script } = thread;
  if (script.protocol !== 'file:' || !existsSync(fileURLToPath(script))) return null;
  // Line rules that read every line need every line here.
  if (options.onLine && !options.lineInterests) return null;
  if (sources.length < 2 || !pays(sources)) return null;
  const workerData: ReadWorkerData = {
    ...(thread.progressEveryMs !== undefined ? { progressEveryMs: thread.progressEveryMs } : {}),
    lineInterests: options.lineInterests ?? [],
    ...(options.keepUnrecognized !== undefined ? { keepUnrecognized: options.keepUnrecognized } : {}),
    ...(options.year !== undefined ? { year: options.year } : {}),
    ...(options.labels ? { labels: [...options.labels] } : {}),
    ...(options.formatTemplates ? { formatTemplates: options.formatTemplates } : {}),
  };
  const worker = new Worker(script, {
    workerData,
    // Its parts' spill files are read and closed by the program's thread after it ends.
    trackUnmanagedFds: false,
    resourceLimits: { maxYoungGenerationSizeMb: READ_YOUNG_GENERATION_MB },
  });
  const waiting = new Map<number, (result: PartResult) => void>();
  /** The input of each job, whose bytes read the thread's progress moves on. */
  const sourceOf = new Map<number, LineSource>();
  let closed = false;
  let jobs = 0;
  let inputsTaken = 0;
  const giveUp = (why: string) => {
    closed = true;
    for (const resolve of waiting.values()) resolve({ fallback: why });
    waiting.clear();
    sourceOf.clear();
  };
  worker.on('message', (message: ReadDone | ReadProgress) => {
    const { id } = message;
    if ('bytes' in message) {
      // The bar moves while the thread reads, not only when the run takes its file.
      const source = sourceOf.get(id);
      if (!source) return;
      source.readElsewhere?.(message.bytes);
      options.onProgress?.(source);
      return;
    }
    waiting.get(id)?.(message.result);
    waiting.delete(id);
    sourceOf.delete(id);
  });
  worker.on('error', (e) => giveUp(`the reading thread failed: ${e.message}`));
  worker.on('exit', () => giveUp('the reading thread ended'));
  return {
    get inputsTaken() {
      return inputsTaken;
    },
    taken: () => void inputsTaken++,
    accepts: (source) => !closed && source.path !== undefined,
    read(source) {
      if (closed || source.path === undefined) return Promise.resolve({ fallback: 'not read elsewhere' });
      return new Promise((resolve) => {
        const job: ReadJob = { id: ++jobs, path: source.path! };
        waiting.set(job.id, resolve);
        sourceOf.set(job.id, source);
        worker.postMessage(job);
      });
    },
    close() {
      giveUp('closed');
      void worker.terminate();
    },
  };
}
