// Flows stay right at scale: the real multi-service recording, repeated with shifted
// times and fresh ids (the benchmark's input), replays every attach and detach of every
// repetition as complete, and the run's findings grow with the repetitions, not apart
// from them. Sizes a test can afford; `npm run bench` grows it to 200 MB.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSource } from '../../src/input/read.js';
import { runPipeline } from '../../src/pipeline.js';
import { tempDirs } from '../temp-dirs.js';
import { growRecording } from '../bench/grow-recording.js';

const repo = new URL('../../', import.meta.url).pathname;
const freshDir = tempDirs('ostrace-grown-');

async function run(bytes: number) {
  const dir = freshDir();
  const files = await growRecording(join(repo, 'samples/minicloud/01-attach-detach'), dir, bytes);
  const { result } = await runPipeline(await Promise.all(files.map((f) => openSource(f))));
  const flows = [...result.flows];
  const count = (name: string) => flows.filter((f) => f.flow === name).length;
  return {
    flows,
    attaches: count('server/attach-volume'),
    detaches: count('server/detach-volume'),
    errors: result.findings.filter((f) => f.severity === 'error').map((f) => f.ruleId),
    skews: result.clockSkews?.length ?? 0,
  };
}

describe('the real recording grown', () => {
  it('replays every attach and detach of every repetition as complete, at 1 MB as at 6 MB', async () => {
    const small = await run(2 ** 20);
    const large = await run(6 * 2 ** 20);
    expect(small.attaches).toBeGreaterThan(0);
    expect(large.attaches).toBeGreaterThan(3 * small.attaches);
    for (const r of [small, large]) {
      expect(r.flows.filter((f) => f.verdict !== 'complete').map((f) => `${f.flow} ${f.verdict}`)).toEqual([]);
      expect(r.detaches).toBe(r.attaches);
      expect(r.skews).toBe(0);
    }
    // the same findings per repetition (the recording's own), whatever the size
    expect(large.errors.length / large.attaches).toBe(small.errors.length / small.attaches);
  }, 180_000); // a timeout for a loaded machine, not a speed bound
});
