// The default text report: flows step by step, log text kept on one line and inert.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';
import { printable } from '../../src/report/style.js';
import { textReporter } from '../../src/report/text.js';

const sample = (p: string) => readFileSync(new URL(`../../samples/${p}`, import.meta.url), 'utf8');
const render = (name: string, text: string) =>
  textReporter.render(runPipelineOnText([{ name, text }]).result, {
    color: false,
    showSecrets: false,
    details: new Map(),
  });

describe('text report', () => {
  it('shows the flow verdict and the missing step of the seed log without its POST', () => {
    const out = render('no-post.log', sample('flows/seed-attach-volume-no-post.log'));
    expect(out).toMatch(
      /Flows \(1\)\n {2}client\/server-add-volume \(novaclient\) {2}incomplete {2}command #1\n {4}missing {2}attach: /,
    );
  });

  it('shows a failed attach as failed, with the request id to look up', () => {
    const out = render('attach-500.log', sample('lint/attach-500.log'));
    expect(out).toMatch(/client\/server-add-volume \(openstacksdk\) {2}failed/);
    expect(out).toMatch(/failed {2}attach: .*req-937ad3d6-e982-47e0-a857-844934907910/);
    // the multi-line error message stays on its line
    expect(out).toContain('if possible. ⏎ <class');
  });

  it('marks the 404s of name lookups as expected by the flow', () => {
    const out = render('client.log', sample('seed-attach-volume/client.log'));
    expect(out).toContain(
      'itemNotFound: Instance vm-ml-1 could not be found. (expected: client/server-add-volume step get-server-by-name)',
    );
    expect(out).toMatch(
      /Volume liangr could not be found\. \(expected: client\/server-add-volume step get-volume-by-name\)/,
    );
  });

  it('folds newlines and shows control characters as escapes', () => {
    expect(printable('a\r\nb\x1b[31mc\x07')).toBe('a ⏎ b\\x1b[31mc\\x07');
  });
});
