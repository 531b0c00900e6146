// The markdown and HTML reports of a long run of service logs list what a reader can use:
// service events, waterfall bars, sequence diagrams and exchange detail rows up to their
// limits, the failed calls first, and say how many more there are; no link on the page
// points at a row it left out. The run: generated nova-api + nova-compute logs of an older
// cloud (the benchmark's kind, about 1,300 server exchanges and 400 step markers), with
// three failed attach calls (HTTP 500) appended at the end of nova-api.log.
import { appendFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSource } from '../../src/input/read.js';
import { runPipeline } from '../../src/pipeline.js';
import { MAX_EXCHANGE_DETAILS, MAX_SERVICE_EVENTS, MAX_WATERFALL_BARS } from '../../src/report/bounded.js';
import { MAX_SEQUENCES } from '../../src/report/charts/sequence.js';
import { htmlReporter } from '../../src/report/html.js';
import { markdownReporter } from '../../src/report/markdown.js';
import { textReporter } from '../../src/report/text.js';
import { generateOldServices } from '../bench/old-services.js';
import { tempDirs } from '../temp-dirs.js';

const freshDir = tempDirs('ostrace-bounded-services-');
const PROJECT = '5c1f0e2d3b4a49c8a7e6d5c4b3a29180';

/** An oslo.log access line of nova-api answering 500, a day after the generated lines. */
function failedAttach(i: number): string {
  const req = `req-0000000${i}-dead-4bad-8bad-00000000000${i}`;
  const server = `940fd2ef-8635-4df6-a535-e4a64b77869${i}`;
  return `2017-03-09 08:00:0${i}.100 2931 INFO nova.osapi_compute.wsgi.server [${req} 9d2b8e7a41c34c0e8f1f4a6c2b7d9e10 ${PROJECT} - - -] 10.0.0.5 "POST /v2.1/${PROJECT}/servers/${server}/os-volume_attachments HTTP/1.1" status: 500 len: 213 time: 0.0${i}10000\n`;
}

describe('the markdown and HTML reports of a long run of service logs', () => {
  it('list the failed calls first, up to their limits, count the rest and link only to what they list', async () => {
    const [api, compute] = await generateOldServices(freshDir(), 1.5 * 2 ** 20);
    for (const i of [1, 2, 3]) appendFileSync(api!, failedAttach(i));
    const { result } = await runPipeline([await openSource(api!), await openSource(compute!)]);
    const exchanges = [...result.exchanges];
    const events = result.serviceEvents ?? [];
    const failed = exchanges.filter((e) => e.status === 500);
    expect(failed).toHaveLength(3);
    expect(exchanges.length).toBeGreaterThan(2 * MAX_EXCHANGE_DETAILS);
    expect(events.length).toBeGreaterThan(MAX_SERVICE_EVENTS + 100);
    const ctx = { color: false, showSecrets: false, details: new Map() };

    const md = markdownReporter.render(result, ctx);
    const eventRows = md.split('\n').filter((l) => /^\| \d+ \| 2017-/.test(l));
    expect(eventRows).toHaveLength(MAX_SERVICE_EVENTS);
    expect(md).toContain(`## Service events (${events.length})`);
    expect(md).toContain(`${events.length - MAX_SERVICE_EVENTS} more service events not listed`);
    // the failed calls are in the exchange table, which lists the rest as a count
    for (const e of failed) expect(md).toMatch(new RegExp(`^\\| #${e.id} \\|`, 'm'));
    expect(md.split('\n').length).toBeLessThan(3000);
    expect(md.length).toBeLessThan(500_000);

    const html = htmlReporter.render(result, ctx);
    // detail rows: only those the page links to, each link has its row
    const detailIds = new Set([...html.matchAll(/<details id="x(\d+)"/g)].map((m) => Number(m[1])));
    const linkedIds = new Set([...html.matchAll(/href="#x(\d+)"/g)].map((m) => Number(m[1])));
    expect(detailIds.size).toBeLessThan(exchanges.length / 2);
    expect([...linkedIds].filter((id) => !detailIds.has(id))).toEqual([]);
    expect(html).toContain(`The ${detailIds.size} exchanges this page links to, of ${exchanges.length}`);
    for (const e of failed) expect(detailIds.has(e.id), `detail row of #${e.id}`).toBe(true);
    // service events: the table lists its limit, every event link lands on a listed row
    const eventIds = new Set([...html.matchAll(/<tr id="ev(\d+)"/g)].map((m) => Number(m[1])));
    expect(eventIds.size).toBe(MAX_SERVICE_EVENTS);
    const eventLinks = [...html.matchAll(/href="#ev(\d+)"/g)].map((m) => Number(m[1]));
    expect(eventLinks.filter((id) => !eventIds.has(id))).toEqual([]);
    expect(html).toContain(`${events.length - MAX_SERVICE_EVENTS} more service events not listed`);
    // the waterfall (one panel: no commands) draws its limit of bars, the failed ones among them
    const bars = [...html.matchAll(/<rect class="bar( err)?" data-exchange="(\d+)"/g)];
    expect(bars).toHaveLength(MAX_WATERFALL_BARS);
    for (const e of failed)
      expect(
        bars.some((b) => b[1] === ' err' && Number(b[2]) === e.id),
        `bar of #${e.id}`,
      ).toBe(true);
    expect(html).toMatch(/\d+ more exchange\(s\), \d+ more service event\(s\) not drawn/);
    expect((html.match(/<figure>/g) ?? []).length).toBeLessThanOrEqual(MAX_SEQUENCES + 1);
    expect(html.length).toBeLessThan(3_000_000);

    const text = textReporter.render(result, ctx);
    expect(text.split('\n').length).toBeLessThan(1500);
    for (const e of failed) expect(text).toMatch(new RegExp(`^ +${e.id} +\\d+ +POST .* 500 `, 'm'));
  }, 120_000); // a timeout for a loaded machine, not a speed bound
});
