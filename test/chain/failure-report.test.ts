// osc's report of a failed call when the command fails: the error body's message on a line of its
// own (samples/field/packstack-flattened-volume-list-503, real, flattened by its paste; here its
// records are put back on lines of their own). It is the command's error, not an unrecognized line.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const flat = readFileSync(
  new URL(
    '../../samples/field/packstack-flattened-volume-list-503/packstack-flattened-volume-list-503.log',
    import.meta.url,
  ),
  'utf8',
).split('\n');
const report =
  'The server is currently unavailable. Please try again at a later time.<br /><br /> The Keystone service is temporarily unavailable.';
const at = flat[2]!.indexOf(` ${report}`);
const upToReport = [flat[0]!, flat[2]!.slice(0, at)];

const run = (lines: string[]) => runPipelineOnText([{ name: 'report.log', text: `${lines.join('\n')}\n` }]).result;

describe("osc's report of the last failed call", () => {
  it('is the command error when it opens the error message', () => {
    expect(at).toBeGreaterThan(0);
    for (const said of [report, 'The server is currently unavailable. Please try again at a later time.<br /><br />']) {
      const r = run([...upToReport, said]);
      expect(r.inputs[0]!.unrecognized).toEqual([]);
      expect([...r.commands][0]).toMatchObject({ error: said, endLine: 3 });
    }
  });

  it('stays unrecognized when it says something else, or too little', () => {
    for (const said of ['The Keystone service is temporarily unavailable.', 'The server']) {
      const r = run([...upToReport, said]);
      expect(r.inputs[0]!.unrecognized.map((u) => u.line)).toEqual([3]);
      expect([...r.commands][0]!.error).toBeNull();
    }
  });

  it('is not taken after a call that succeeded', () => {
    // The compute call alone (answered 200), then the same words: no failure for them to report.
    const ok = flat[2]!.slice(0, flat[2]!.indexOf(' REQ: curl'));
    const r = run([flat[0]!, ok, report]);
    expect(r.inputs[0]!.unrecognized.map((u) => u.line)).toEqual([3]);
    expect([...r.commands][0]!.error).toBeNull();
  });
});
