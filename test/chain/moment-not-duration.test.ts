// A client exchange's duration needs two times from two records: one record (a lone summary or
// response line) is a moment, and two whole-second times (Apache 2.2's error log) tell no
// duration of their own. Unknown stays null, not 0. Real samples (sources in their expect files).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const clientExchanges = (sample: string, file = sample) => {
  const text = readFileSync(new URL(`../../samples/field/${sample}/${file}.log`, import.meta.url), 'utf8');
  return [...runPipelineOnText([{ name: `${file}.log`, text }]).result.exchanges].filter((e) => e.side === 'client');
};

describe('client exchange durations', () => {
  it('one line of keystoneauth (a lone summary, a lone [200] response) has a start and no duration', () => {
    const lone = clientExchanges('keystoneauth-split-loggers', 'request').filter((e) => e.line === e.endLine);
    expect(lone.length).toBeGreaterThan(0);
    for (const e of lone) {
      expect(e.startedAt).not.toBeNull();
      expect(e.timing).toBe('log');
      expect(e.durationMs).toBeNull();
    }
  });

  it("Apache 2.2's whole-second times give none; Apache 2.4's microseconds do", () => {
    const whole = clientExchanges('horizon-apache22-error-log');
    expect(whole.length).toBe(4);
    expect(whole.map((e) => e.durationMs)).toEqual([null, null, null, null]);
    const precise = clientExchanges('horizon-apache24-error-log');
    expect(precise.length).toBe(4);
    for (const e of precise) expect(e.durationMs).toBeGreaterThan(0);
  });
});
