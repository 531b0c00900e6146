// The chains stage reads each server exchange's exact start and end; they are kept in typed
// arrays by id until then (a day of service logs has hundreds of thousands).
import { describe, expect, it } from 'vitest';
import { ServerTimes } from '../../src/core/analysis.js';

describe('ServerTimes', () => {
  it('gives back each id its times, null where unknown, undefined outside the ids set', () => {
    const times = new ServerTimes();
    times.set(41, 1764104400000.25, 1764104400194.5);
    times.set(42, null, 1764104401000);
    for (let id = 43; id < 5000; id++) times.set(id, id * 1000, null);
    expect(times.size).toBe(4959);
    expect(times.get(41)).toEqual({ startMs: 1764104400000.25, endMs: 1764104400194.5 });
    expect(times.get(42)).toEqual({ startMs: null, endMs: 1764104401000 });
    expect(times.get(4999)).toEqual({ startMs: 4999000, endMs: null });
    expect(times.get(40)).toBeUndefined();
    expect(times.get(5000)).toBeUndefined();
    times.clear();
    expect(times.size).toBe(0);
    expect(times.get(41)).toBeUndefined();
  });

  it('gives back the span each exchange answered, undefined where none did, through growth', () => {
    const times = new ServerTimes();
    for (let id = 1; id <= 3000; id++) times.set(id, id, id + 1, id % 3 === 0 ? undefined : 10 * id);
    times.set(3005, 1, 2); // ids skipped on the way: no span
    expect([1, 2, 3, 2999, 3000, 3004, 3005, 3006].map((id) => times.span(id))).toEqual([
      10,
      20,
      undefined,
      29990,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(times.get(3004)).toEqual({ startMs: null, endMs: null });
    // an early row set again, after it went to disk, and read back out of order
    for (let id = 3006; id < 20_000; id++) times.set(id, id, id + 0.25, id);
    times.set(2, 5, null);
    expect([times.get(2), times.span(2), times.get(19_999), times.span(4242), times.get(1)]).toEqual([
      { startMs: 5, endMs: null },
      undefined,
      { startMs: 19_999, endMs: 20_000 - 0.75 },
      4242,
      { startMs: 1, endMs: 2 },
    ]);
    times.clear();
    expect(times.span(1)).toBeUndefined();
  });

  it('refuses an id numbered before the first', () => {
    const times = new ServerTimes();
    times.set(10, 1, 2);
    expect(() => times.set(9, 1, 2)).toThrow(RangeError);
  });
});
