// Logged timestamps to moments and back: lines of one minute, one second, or across them
// read and print as each alone would (the last minute and second read are remembered).
import { describe, expect, it } from 'vitest';
import { formatTimestamp, timestampMs } from '../../src/core/time.js';

describe('timestamps as logged', () => {
  it('reads each line of a minute and the next one alike, whatever was read before', () => {
    const lines = [
      '2026-11-25 20:13:58.834',
      '2026-11-25 20:13:59,5',
      '2026-11-25T20:13:59.123456',
      '2026-11-25 20:14:00.001',
      '2026-11-25 20:13:58',
      '2026-12-31 23:59:59.999',
      '2027-01-01 00:00:00.000',
    ];
    const alone = lines.map((ts) => Date.parse(`${ts.slice(0, 10)}T${ts.slice(11, 19)}Z`));
    expect(lines.map((ts) => Math.floor(timestampMs(ts)!))).toEqual(
      alone.map((ms, i) => ms + [834, 500, 123, 1, 0, 999, 0][i]!),
    );
    expect(timestampMs('2026-11-25T20:13:59.123456')! % 1000).toBeCloseTo(123.456, 3);
    // seconds that are no number make no moment, though the minute was read before
    expect(timestampMs('2026-11-25 20:13:x9.1')).toBeNull();
  });

  it('prints milliseconds padded, in the same second and the next, and before 1970', () => {
    const base = Date.UTC(2026, 10, 25, 20, 13, 58);
    expect([base + 7, base + 42.9, base + 999, base + 1000].map(formatTimestamp)).toEqual([
      '2026-11-25T20:13:58.007',
      '2026-11-25T20:13:58.042',
      '2026-11-25T20:13:58.999',
      '2026-11-25T20:13:59.000',
    ]);
    expect(formatTimestamp(-1)).toBe('1969-12-31T23:59:59.999');
    expect(formatTimestamp(Date.UTC(10000, 0, 1))).toBe('+010000-01-01T00:00:00.');
  });
});
