// The HTML report in a real browser (Debian's chromium, headless, offline): it loads
// with no console error and no request beyond the file itself, the waterfall has one
// bar per timed exchange, and a hostile log runs nothing.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlReporter } from '../../src/report/html.js';
import { analyzed, SAMPLES } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`browser tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

describe.skipIf(!haveChromium)('html report in chromium', () => {
  let dir: string;
  let context: BrowserContext;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ostrace-browser-'));
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      offline: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(sample: string) {
    const { run, ctx } = analyzed(sample);
    const file = join(dir, `${sample.replace(/\W+/g, '-')}.html`);
    writeFileSync(file, htmlReporter.render(run, ctx));
    const url = pathToFileURL(file).href;
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForTimeout(200); // let any deferred request or error surface
    return { run, page, problems, requests };
  }

  it('loads offline with no console error and no request, one bar per timed exchange', async () => {
    const { run, page, problems, requests } = await open(SAMPLES.timed);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.title()).toBe(`ostrace report: ${SAMPLES.timed}`);
    expect(await page.locator('svg.waterfall rect.bar').count()).toBe(run.stats!.timed);
    expect(run.stats!.timed).toBe(54);
    // collapsible details without script: closed, then open on click
    const details = page.locator('details#x32');
    expect(await details.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(false);
    await details.locator('summary').click();
    expect(await details.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(true);
    await expect.poll(() => details.locator('pre').count()).toBeGreaterThan(0);
    await page.close();
  }, 60_000);

  it('with service logs: event marks, verdict cards, and step links that land on their target', async () => {
    const { run, page, problems, requests } = await open(SAMPLES.services);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.locator('svg.waterfall rect.bar').count()).toBe(run.stats!.timed);
    expect(await page.locator('svg.waterfall path.event').count()).toBe(run.serviceEvents.length);
    expect(await page.locator('div.verdict').count()).toBe(run.flows.length);
    // a step seen only in nova-compute's log: its chip goes to the event's row
    const chip = page.locator('a.step[href^="#ev"]').first();
    const href = (await chip.getAttribute('href'))!;
    await chip.click();
    expect(new URL(page.url()).hash).toBe(href);
    expect(await page.locator('tr:target').getAttribute('id')).toBe(href.slice(1));
    // an exchange step: its details block is the target
    const step = page.locator('a.step[href^="#x"]').first();
    const xref = (await step.getAttribute('href'))!;
    await step.click();
    expect(await page.locator('details:target').getAttribute('id')).toBe(xref.slice(1));
    await page.close();
  }, 60_000);

  it('runs nothing from a hostile log and fetches nothing', async () => {
    const { page, problems, requests } = await open(SAMPLES.hostile);
    const title = `ostrace report: ${SAMPLES.hostile}`;
    expect(await page.title()).toBe(title);
    expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(requests).toEqual([]);
    expect(problems).toEqual([]);
    // the payload is on the page as text
    expect(await page.locator('body').innerText()).toContain(
      "<script>document.title='PWNED';window.__pwned=1</script>",
    );
    expect(await page.locator('img, iframe, script, object, embed').count()).toBe(0);
    const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.filter((h) => !h.startsWith('#'))).toEqual([]);
    // clicking every exchange summary opens details; still nothing runs
    for (const s of await page.locator('details summary').all()) await s.click();
    await page.waitForTimeout(100);
    expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.title()).toBe(title);
    expect(requests).toEqual([]);
    await page.close();
  }, 60_000);
});
