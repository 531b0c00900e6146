// The HAR export of a long session is bounded by default (`--max-entries`, 1000): a generated
// `--log-file` log (timed requests) with more client requests than that, through the built CLI.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_EXPORT_ITEMS } from '../../src/report/bounded.js';
import { generateLogFile } from '../bench/generate.js';
import { tempDirs } from '../temp-dirs.js';

const root = new URL('../../', import.meta.url).pathname;
const cli = join(root, 'dist/bin/ostrace.js');
const tempDir = tempDirs('ostrace-export-bound-');

interface Har {
  log: {
    comment?: string;
    pages: Array<{ id: string }>;
    entries: Array<{ pageref?: string; _exchange: number; time: number; response: { status: number } }>;
  };
}
const har = (args: string[]) => {
  const r = spawnSync(process.execPath, [cli, 'analyze', '--format', 'har', ...args], { maxBuffer: 1 << 30 });
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout.toString('utf8')) as Har;
};

describe('the HAR of a session longer than the default bound', () => {
  let log = '';
  beforeAll(async () => {
    log = join(tempDir(), 'osc.log');
    await generateLogFile(log, 2_000_000, 7);
  });

  it(`lists ${MAX_EXPORT_ITEMS} entries, every failed one among them, and says how many there were`, () => {
    const all = har(['--max-entries', 'all', log]).log;
    const bounded = har([log]).log;
    expect(all.entries.length).toBeGreaterThan(MAX_EXPORT_ITEMS);
    expect(all.comment).toBeUndefined();
    expect(bounded.entries).toHaveLength(MAX_EXPORT_ITEMS);
    expect(bounded.comment).toMatch(new RegExp(`^${MAX_EXPORT_ITEMS} of ${all.entries.length} entries: `));
    // fewer failed than the bound: all of them kept, the rest the slowest, in log order
    const failed = (h: Har['log']) => h.entries.filter((e) => e.response.status === 0 || e.response.status >= 400);
    expect(failed(all).length).toBeGreaterThan(0);
    expect(failed(bounded).map((e) => e._exchange)).toEqual(failed(all).map((e) => e._exchange));
    // and no successful request left out was slower than one listed
    const listed = new Set(bounded.entries.map((e) => e._exchange));
    const ok = (e: Har['log']['entries'][number]) => e.response.status > 0 && e.response.status < 400;
    const slowestLeftOut = Math.max(...all.entries.filter((e) => ok(e) && !listed.has(e._exchange)).map((e) => e.time));
    const fastestListed = Math.min(...bounded.entries.filter(ok).map((e) => e.time));
    expect(fastestListed).toBeGreaterThanOrEqual(slowestLeftOut);
    expect(fastestListed).toBeGreaterThan(Math.min(...all.entries.map((e) => e.time))); // times differ
    const ids = bounded.entries.map((e) => e._exchange);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    // a page for every command with an entry listed, none for the others
    expect(new Set(bounded.pages.map((p) => p.id))).toEqual(new Set(bounded.entries.map((e) => e.pageref)));
  }, 120_000);
});
