// `diff` of a whole log against an excerpt of it: the real osc 6 `server remove volume` log
// (samples/real-osc) against itself with its token request and lookups cut, as a paste is.
// What the excerpt leaves out is unknown there, not lost: the DELETE it shows matched on both
// sides, so HEAD is not worse. The cut also leaves out the lookups that tell the flow's
// variants apart; the instances are still paired (same flow, same command typed alike).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ostrace } from '../cli/built-cli.js';
import { diffRuns } from '../../src/diff/index.js';
import type { RunResult } from '../../src/model/schema.js';
import { runPipelineOnText } from '../../src/pipeline.js';

const whole = readFileSync(
  fileURLToPath(new URL('../../samples/real-osc/server-remove-volume.log', import.meta.url)),
  'utf8',
);

function run(text: string): RunResult {
  return runPipelineOnText([{ name: 'server-remove-volume.log', text }]).result;
}

/** The log without lines `from`–`to` (1-based, inclusive). */
function cut(from: number, to: number): string {
  return whole
    .split('\n')
    .filter((_, i) => i + 1 < from || i + 1 > to)
    .join('\n');
}

describe('diff: a whole log against an excerpt of it', () => {
  it('token request and lookups cut: the remove-volume flows are paired, nothing lost, not worse', () => {
    const head = run(cut(15, 73));
    // the excerpt's flow: incomplete only by steps it does not show
    const flow = head.flows.find((f) => f.flow === 'client/server-remove-volume')!;
    expect(flow.steps.filter((s) => s.status === 'missing').every((s) => s.notShown === true)).toBe(true);
    const d = diffRuns(run(whole), head);
    const removes = d.flows.filter((f) => f.flow === 'client/server-remove-volume');
    expect(removes.map((f) => f.match)).toEqual(['matched']);
    expect(removes[0]!.steps.filter((s) => s.change === 'missing' || s.change === 'failed')).toEqual([]);
    expect(removes[0]!.worse).toBe(false);
    expect(d.worse).toBe(false);
  });

  it('from the command line: exit 0, the pair diverged, not worse', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ostrace-excerpt-diff-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const head = join(dir, 'excerpt.log');
    writeFileSync(head, cut(15, 73));
    const base = fileURLToPath(new URL('../../samples/real-osc/server-remove-volume.log', import.meta.url));
    const r = ostrace(['diff', base, head]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('HEAD is not worse than BASE: 1 flow instance matched');
  });

  it('a step the excerpt shows failing is still worse', () => {
    const head = run(cut(15, 73).replace(/RESP: \[202\]/, 'RESP: [500]'));
    const d = diffRuns(run(whole), head);
    expect(d.worse).toBe(true);
  });
});
