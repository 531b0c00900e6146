// The text report of a long run lists what a reader can use: every section up to its limit,
// the rows that matter first (failed calls no flow expects, unfinished flows), then the
// slowest, and says how many more there are. The run: a generated 2 MB console log
// (thousands of exchanges, name lookups answered 404, a few 500s and failed commands).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSource } from '../../src/input/read.js';
import { runPipeline } from '../../src/pipeline.js';
import { MAX_EXCHANGE_ROWS, MAX_FLOWS } from '../../src/report/bounded.js';
import { htmlReporter } from '../../src/report/html.js';
import { markdownReporter } from '../../src/report/markdown.js';
import { textReporter } from '../../src/report/text.js';
import { generateLog } from '../bench/generate.js';
import { tempDirs } from '../temp-dirs.js';

const freshDir = tempDirs('ostrace-bounded-text-');

describe('the human reports of a long run', () => {
  it('lists the failed calls and flows first, up to its limits, and counts the rest', async () => {
    const path = join(freshDir(), 'console.log');
    await generateLog(path, 2 * 2 ** 20);
    const { result } = await runPipeline([await openSource(path)]);
    const exchanges = [...result.exchanges];
    const failedFlows = [...result.flows].filter((f) => f.verdict === 'failed');
    expect(exchanges.length).toBeGreaterThan(3 * MAX_EXCHANGE_ROWS);
    const serverErrors = exchanges.filter((e) => e.status !== null && e.status >= 500);
    expect(serverErrors.length).toBeGreaterThan(0);
    expect(failedFlows.length).toBeGreaterThan(0);

    const out = textReporter.render(result, { color: false, showSecrets: false, details: new Map() });
    const lines = out.split('\n');
    const tableRows = lines.filter((l) => /^ +\d+ +\d+ +(GET|POST|PUT|DELETE|HEAD|PATCH) /.test(l));
    expect(tableRows).toHaveLength(MAX_EXCHANGE_ROWS);
    expect(out).toContain(`… ${exchanges.length - MAX_EXCHANGE_ROWS} more exchanges not listed`);
    // every 500 is among the rows listed
    const listedIds = new Set(tableRows.map((l) => Number(l.trim().split(/ +/)[0])));
    for (const e of serverErrors) expect(listedIds.has(e.id), `exchange ${e.id}`).toBe(true);
    // flows: every failed one is listed, the complete ones counted
    const flowLines = lines.filter((l) => /^ {2}client\/\S+ .* {2}(complete|failed|incomplete) /.test(l));
    expect(flowLines.length).toBe(Math.min(MAX_FLOWS, result.flows.length));
    expect(flowLines.filter((l) => / {2}failed /.test(l))).toHaveLength(Math.min(failedFlows.length, MAX_FLOWS));
    expect(out).toMatch(new RegExp(`Flows \\(${result.flows.length}: `));
    // a report a reader can scroll, not the log again
    expect(lines.length).toBeLessThan(4000);

    // markdown and HTML cut the same lists, and say so
    const ctx = { color: false, showSecrets: false, details: new Map() };
    const md = markdownReporter.render(result, ctx);
    const mdRows = md.split('\n').filter((l) => /^\| #\d+ \| \d+ \| \d* \| client \|/.test(l));
    expect(mdRows).toHaveLength(MAX_EXCHANGE_ROWS);
    expect(md).toContain(`${exchanges.length - MAX_EXCHANGE_ROWS} more exchanges not listed`);
    const html = htmlReporter.render(result, ctx);
    expect(html.match(/<div class="verdict /g) ?? []).toHaveLength(MAX_FLOWS);
    expect(html).toContain(`${result.flows.length - MAX_FLOWS} more flow instances not listed`);
  }, 120_000); // a timeout for a loaded machine, not a speed bound
});
