// A progress bar on stderr for big inputs: only when stderr is a terminal and the
// files to read add up to more than a few MB (stdin has no known size: no bar).
// Never on a pipe or in CI, so logs of ostrace stay clean.
import type { LineSource } from '../input/read.js';

export const PROGRESS_THRESHOLD_BYTES = 4 * 1024 * 1024;
const MIN_INTERVAL_MS = 100;
const WIDTH = 30;

export interface ProgressStream {
  isTTY?: boolean;
  write(chunk: string): unknown;
}

/** The decision alone, testable without a terminal. */
export function wantProgress(
  stream: { isTTY?: boolean },
  sources: ReadonlyArray<Pick<LineSource, 'size'>>,
  threshold = PROGRESS_THRESHOLD_BYTES,
): boolean {
  if (stream.isTTY !== true) return false;
  return totalSize(sources) > threshold;
}

export interface Progress {
  /** Give to the Analyzer as onProgress. */
  update(source: LineSource): void;
  /** Clear the bar (call once at the end, also after an error). */
  done(): void;
}

/** A progress bar when wanted, else null. `now` is injectable for tests. */
export function createProgress(
  stream: ProgressStream,
  sources: readonly LineSource[],
  options: { threshold?: number; now?: () => number } = {},
): Progress | null {
  if (!wantProgress(stream, sources, options.threshold)) return null;
  const total = totalSize(sources);
  const now = options.now ?? Date.now;
  let last = -Infinity;
  let shown = false;
  // What every input has read so far: a second thread reads the last ones while the run reads
  // the first (read-ahead.ts), so the inputs before one being read are not all read yet.
  const readSoFar = () => {
    let sum = 0;
    for (const s of sources) sum += s.bytesRead();
    return sum;
  };
  return {
    update(source) {
      const t = now();
      if (t - last < MIN_INTERVAL_MS) return;
      last = t;
      const read = Math.min(total, readSoFar());
      stream.write(`\r${renderBar(read, total, source.name)}`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}

/** `[#########---------]  45%  12.3/27.1 MB  name` */
export function renderBar(read: number, total: number, name: string): string {
  const ratio = total > 0 ? Math.min(1, read / total) : 0;
  const filled = Math.round(ratio * WIDTH);
  const mb = (n: number) => (n / (1024 * 1024)).toFixed(1);
  const label = name.length > 40 ? `…${name.slice(-39)}` : name;
  return `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}%  ${mb(read)}/${mb(total)} MB  ${label}`;
}

function totalSize(sources: ReadonlyArray<Pick<LineSource, 'size'>>): number {
  let sum = 0;
  for (const s of sources) sum += s.size ?? 0;
  return sum;
}
