// The progress bar's decisions, without a terminal: TTY or not, size threshold, throttling.
import { describe, expect, it } from 'vitest';
import { createProgress, PROGRESS_THRESHOLD_BYTES, renderBar, wantProgress } from '../../src/cli/progress.js';
import type { LineSource } from '../../src/input/read.js';

const MB = 1024 * 1024;

function source(name: string, size: number | null): LineSource & { read: number } {
  const s = {
    name,
    size,
    read: 0,
    bytesRead: () => s.read,
    lines: async function* () {
      /* not read in these tests */
    },
    batches: async function* () {
      /* not read in these tests */
    },
  };
  return s;
}

function stream(isTTY: boolean | undefined) {
  const chunks: string[] = [];
  return {
    isTTY,
    chunks,
    write: (c: string) => {
      chunks.push(c);
      return true;
    },
  };
}

describe('wantProgress', () => {
  it('only on a TTY, only above the threshold', () => {
    const big = [source('a.log', 3 * MB), source('b.log', 2 * MB)];
    expect(PROGRESS_THRESHOLD_BYTES).toBe(4 * MB);
    expect(wantProgress({ isTTY: true }, big)).toBe(true);
    expect(wantProgress({ isTTY: false }, big)).toBe(false);
    expect(wantProgress({}, big)).toBe(false);
    expect(wantProgress({ isTTY: true }, [source('small.log', 200_000)])).toBe(false);
    // stdin has no known size: no bar
    expect(wantProgress({ isTTY: true }, [source('<stdin>', null)])).toBe(false);
  });
});

describe('createProgress', () => {
  it('writes nothing and returns null when not wanted', () => {
    const err = stream(false);
    expect(createProgress(err, [source('a.log', 50 * MB)])).toBeNull();
    expect(err.chunks).toEqual([]);
  });

  it('shows bytes read over the total across files, throttled, and clears at the end', () => {
    const err = stream(true);
    const a = source('a.log', 6 * MB);
    const b = source('b.log', 2 * MB);
    let now = 0;
    const p = createProgress(err, [a, b], { now: () => now })!;
    a.read = 3 * MB;
    p.update(a);
    expect(err.chunks.at(-1)).toBe(`\r${renderBar(3 * MB, 8 * MB, 'a.log')}`);
    expect(err.chunks.at(-1)).toContain(' 37%  3.0/8.0 MB  a.log');
    now += 10; // too soon: not redrawn
    a.read = 4 * MB;
    p.update(a);
    expect(err.chunks).toHaveLength(1);
    now += 500;
    a.read = 6 * MB;
    b.read = 1 * MB;
    p.update(b);
    expect(err.chunks.at(-1)).toContain(' 87%  7.0/8.0 MB  b.log');
    p.done();
    expect(err.chunks.at(-1)).toBe('\r\x1b[2K');
  });

  it('counts what every input has read: a later one read by another thread meanwhile too', () => {
    const err = stream(true);
    const a = source('a.log', 6 * MB);
    const b = source('b.log', 2 * MB);
    let now = 0;
    const p = createProgress(err, [a, b], { now: () => now })!;
    a.read = 1 * MB;
    b.read = 2 * MB; // the reading thread finished b while the run reads a
    p.update(b);
    expect(err.chunks.at(-1)).toContain(' 37%  3.0/8.0 MB  b.log');
    now += 500;
    a.read = 5 * MB;
    p.update(a);
    expect(err.chunks.at(-1)).toContain(' 87%  7.0/8.0 MB  a.log');
  });

  it('renders a bar of fixed width', () => {
    expect(renderBar(0, 10 * MB, 'x')).toBe(`[${'-'.repeat(30)}]   0%  0.0/10.0 MB  x`);
    expect(renderBar(10 * MB, 10 * MB, 'x')).toBe(`[${'#'.repeat(30)}] 100%  10.0/10.0 MB  x`);
  });
});
