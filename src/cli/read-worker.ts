// The thread that reads whole service logs for the run (src/cli/read-ahead.ts): each job is
// one file, read by an Analyzer in part mode; the part goes back with its span columns moved,
// not copied, and its rows in spill files of this same process. An input that is not a service
// log alone comes back as a fallback: the run's thread reads it in its turn.
import { parentPort, workerData } from 'node:worker_threads';
import { Analyzer, readSource } from '../analyze.js';
import { NotAPart, type PartOptions, type PartResult } from '../chain/assemble/read-part.js';
import { SpanTable } from '../core/span-table.js';
import { openSource } from '../input/read.js';

export interface ReadJob {
  id: number;
  path: string;
}

export interface ReadDone {
  id: number;
  result: PartResult;
}

/** How far the thread has read job `id`'s file (bytes), for the run's progress bar. */
export interface ReadProgress {
  id: number;
  bytes: number;
}

/** At most this often a job's progress is sent (the bar redraws at most every 100 ms). */
const PROGRESS_EVERY_MS = 250;

/** What the thread is given: how to read, and (for tests) how often to send progress. */
export type ReadWorkerData = PartOptions & { progressEveryMs?: number };

const options = workerData as ReadWorkerData;
const progressEveryMs = options.progressEveryMs ?? PROGRESS_EVERY_MS;
const port = parentPort!;

async function read({ id, path }: ReadJob): Promise<void> {
  try {
    const analyzer = new Analyzer(
      {
        ...(options.keepUnrecognized !== undefined ? { keepUnrecognized: options.keepUnrecognized } : {}),
        ...(options.year !== undefined ? { year: options.year } : {}),
        ...(options.labels ? { labels: new Map(options.labels) } : {}),
        ...(options.formatTemplates ? { formatTemplates: options.formatTemplates } : {}),
      },
      options.lineInterests,
    );
    const source = await openSource(path);
    let sent = progressEveryMs > 0 ? Date.now() : -Infinity;
    await readSource(analyzer, source, {
      onProgress: (s) => {
        const now = Date.now();
        if (now - sent < progressEveryMs) return;
        sent = now;
        port.postMessage({ id, bytes: s.bytesRead() } satisfies ReadProgress);
      },
    });
    const part = analyzer.exportPart();
    const ignoredBytes = source.ignoredBytes?.() ?? 0;
    const done: ReadDone = {
      id,
      result: { part, bytesRead: source.bytesRead(), ...(ignoredBytes > 0 ? { ignoredBytes } : {}) },
    };
    port.postMessage(done, SpanTable.transferables(part.spans));
  } catch (e) {
    // Not a service log alone, or not readable here: the run's thread reads it (and says why it cannot).
    const done: ReadDone = { id, result: { fallback: e instanceof NotAPart ? e.message : String(e) } };
    port.postMessage(done);
  }
}

// One job at a time, in the order given.
let queue = Promise.resolve();
port.on('message', (job: ReadJob) => {
  queue = queue.then(() => read(job));
});
