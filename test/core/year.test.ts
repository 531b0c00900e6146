// Year-less timestamps (journald, syslog: `Mar 02 10:15:00`) take their year from the
// run itself or from `--year`, never from the wall clock: the same input gives the same
// report whatever the day it is analyzed.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { analyzeText } from '../../src/analyze.js';
import { FALLBACK_YEAR, lacksYear, parseYearOption, timestampMs } from '../../src/core/time.js';
import { runPipelineOnText } from '../../src/pipeline.js';
import { jsonReporter } from '../../src/report/json.js';

const root = new URL('../../', import.meta.url).pathname;
const sample = (path: string) => ({ name: path, text: readFileSync(join(root, 'samples', path), 'utf8') });
/** journald lines of nova-compute's keystoneauth, with no year anywhere. */
const noYear = sample('formats/journald-client-body.log');
/** journald lines whose RESP carries `Date: Thu, 10 Jul 2025 …`. */
const withDateHeader = sample('formats/devstack-journald-nova-cinder.log');

function json(inputs: Array<{ name: string; text: string }>, options = {}): string {
  const { result } = runPipelineOnText(inputs, options);
  return jsonReporter.render(result, { color: false, showSecrets: false, details: new Map() });
}

const startedAt = (inputs: Array<{ name: string; text: string }>, options = {}) =>
  [...analyzeText(inputs, options).result.exchanges].map((e) => e.startedAt);

afterEach(() => {
  vi.useRealTimers();
});

describe('timestampMs', () => {
  const ms = (iso: string) => Date.parse(`${iso}Z`);
  it('reads dated timestamps as they are, whatever the basis', () => {
    expect(timestampMs('2024-12-31 23:59:59.5', { year: 1999 })).toBe(ms('2024-12-31T23:59:59.500'));
    expect(lacksYear('2024-12-31 23:59:59.5')).toBe(false);
    expect(lacksYear('Dec 31 23:59:59.5')).toBe(true);
  });

  it('puts a year-less timestamp in the --year, near a dated moment, or in the fallback year', () => {
    expect(timestampMs('Mar 02 10:15:00.25', { year: 2019 })).toBe(ms('2019-03-02T10:15:00.250'));
    expect(timestampMs('Mar 02 10:15:00', { nearMs: ms('2023-03-01T00:00:00') })).toBe(ms('2023-03-02T10:15:00'));
    expect(timestampMs('Mar 02 10:15:00')).toBe(ms(`${FALLBACK_YEAR}-03-02T10:15:00`));
    // Feb 29 stays a date in the fallback year.
    expect(timestampMs('Feb 29 01:00:00')).toBe(ms(`${FALLBACK_YEAR}-02-29T01:00:00`));
  });

  it('crosses New Year: the year that puts the timestamp nearest the dated moment', () => {
    expect(timestampMs('Dec 31 23:59:58', { nearMs: ms('2027-01-01T00:00:03') })).toBe(ms('2026-12-31T23:59:58'));
    expect(timestampMs('Jan 01 00:00:02', { nearMs: ms('2026-12-31T23:59:50') })).toBe(ms('2027-01-01T00:00:02'));
  });

  it('--year takes four digits', () => {
    expect(parseYearOption('2024')).toBe(2024);
    expect(() => parseYearOption('24')).toThrow(/four-digit/);
    expect(() => parseYearOption('next')).toThrow(/four-digit/);
  });
});

describe('the year of journald lines', () => {
  it('gives the same JSON when the wall clock says another year', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-06-15T12:00:00Z'));
    const first = [json([noYear]), json([withDateHeader])];
    vi.setSystemTime(new Date('2024-01-02T03:04:05Z'));
    expect([json([noYear]), json([withDateHeader])]).toEqual(first);
    expect(first[0]).not.toContain('2031-');
    expect(first[0]).not.toContain('2024-');
  });

  it('takes it from a Date: response header later in the same input', () => {
    expect(startedAt([withDateHeader])[0]).toMatch(/^2025-07-10T02:07:43/);
  });

  it('takes it from a dated line of another input of the run, before or after', () => {
    const dated = {
      name: 'nova-api.log',
      text: '2023-03-02 10:14:59.000 1234 DEBUG nova.api.openstack.wsgi [None req-x admin admin] Calling method show\n',
    };
    expect(startedAt([noYear, dated])[0]).toMatch(/^2023-03-02T10:15:00/);
    expect(startedAt([dated, noYear])[0]).toMatch(/^2023-03-02T10:15:00/);
  });

  it('takes --year over anything in the input, and then warns of nothing', () => {
    const onWarning = vi.fn();
    expect(startedAt([withDateHeader], { year: 2019, onWarning })[0]).toMatch(/^2019-07-10T02:07:43/);
    expect(startedAt([noYear], { year: 2019, onWarning })[0]).toMatch(/^2019-03-02T10:15:00/);
    expect(onWarning).not.toHaveBeenCalled();
  });

  it('falls back to the fixed year when nothing gives one, and says so once', () => {
    const onWarning = vi.fn();
    const at = startedAt([noYear, noYear], { onWarning });
    expect(at[0]).toMatch(new RegExp(`^${FALLBACK_YEAR}-03-02T10:15:00`));
    expect(onWarning).toHaveBeenCalledTimes(1);
    expect(onWarning.mock.calls[0]![0]).toContain('Mar 02 10:15:00');
  });

  it('looks 20,000 lines ahead at most: a dated line further on comes too late', () => {
    const journal = Array.from(
      { length: 20_000 },
      (_, i) =>
        `Mar 02 10:15:00.${String(i).padStart(6, '0')} host nova-compute[7]: DEBUG nova.compute.manager [-] tick`,
    );
    const lateDate = '2023-03-02 10:16:00.000 8 DEBUG nova.api.openstack.wsgi [None req-x a a] Calling method show';
    const onWarning = vi.fn();
    const late = analyzeText([{ name: 'j.txt', text: [...journal, lateDate].join('\n') }], { onWarning });
    expect(late.yearBasis).toEqual({ year: FALLBACK_YEAR });
    expect(onWarning).toHaveBeenCalledTimes(1);
    const early = analyzeText([{ name: 'j.txt', text: [...journal.slice(1), lateDate].join('\n') }]);
    expect(early.yearBasis?.nearMs).toBe(Date.parse('2023-03-02T10:16:00Z'));
  });

  it('reads the held-back lines exactly as it reads the others', () => {
    const held = analyzeText([noYear, withDateHeader]);
    const direct = analyzeText([noYear, withDateHeader], { year: 2025 });
    const view = ({ result: r }: typeof held) => ({
      inputs: r.inputs,
      exchanges: [...r.exchanges],
      commands: [...r.commands],
      findings: r.findings,
      serviceEvents: r.serviceEvents,
    });
    expect(view(held).exchanges.length).toBeGreaterThan(1);
    expect(view(held)).toEqual(view(direct));
  });
});

describe('--year on the command line', () => {
  const cli = join(root, 'dist/bin/ostrace.js');
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '' } });
    return { code: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
  };
  const file = join(root, 'samples', 'formats/journald-client-body.log');

  it('analyze and lint take it; without it, one warning on stderr', () => {
    const given = run(['analyze', '--format', 'json', '--year', '2022', file]);
    expect(given.code).toBe(0);
    expect(given.stderr).toBe('');
    expect(given.stdout).toContain('"startedAt":"2022-03-02T10:15:00.100"');
    const assumed = run(['analyze', '--format', 'json', file]);
    expect(assumed.stdout).toContain(`"startedAt":"${FALLBACK_YEAR}-03-02T10:15:00.100"`);
    expect(assumed.stderr.trim().split('\n')).toEqual([
      `ostrace: warning: no year in the input for timestamps such as "Mar 02 10:15:00.100000": read as ${FALLBACK_YEAR} (set one with --year)`,
    ]);
    const lint = run(['lint', '--format', 'json', '--year', '2022', file]);
    expect(lint.stderr).toBe('');
    expect(run(['analyze', '--year', '22', file])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--year'),
    });
  });
});
