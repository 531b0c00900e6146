// The rules stage of a service-side run does not grow with the log: older nova logs
// without the cinder logs (every attach and detach misses its cinder-api steps) give
// one flow/missing-step warning per flow and service whatever their length, while the
// flow results (which live on disk) still hold one instance per request.
import { describe, expect, it } from 'vitest';
import { openSource } from '../../src/input/read.js';
import { runPipeline } from '../../src/pipeline.js';
import { tempDirs } from '../temp-dirs.js';
import { generateOldServices } from '../bench/old-services.js';

const freshDir = tempDirs('ostrace-service-scale-');

async function run(bytes: number) {
  const dir = freshDir();
  const files = await generateOldServices(dir, bytes);
  const { result } = await runPipeline(await Promise.all(files.map((f) => openSource(f))));
  const missing = result.findings.filter((f) => f.ruleId === 'flow/missing-step');
  const counted = missing.map((f) => Number(/ of (\d+) instances? could not be seen/.exec(f.message)?.[1]));
  const unseen = [...result.flows].filter((f) =>
    f.steps.some((s) => s.status === 'missing' && s.observer === 'cinder-api'),
  ).length;
  return { flows: result.flows.length, findings: result.findings.length, missing, counted, unseen };
}

describe('older nova logs without the cinder logs', () => {
  it('make the same few findings at 1 MB and at 4 MB, whose counts add up to the flow instances', async () => {
    const small = await run(2 ** 20);
    const large = await run(4 * 2 ** 20);
    expect(large.flows).toBeGreaterThan(3 * small.flows);
    for (const r of [small, large]) {
      expect(r.missing.map((f) => f.severity)).toEqual(['warning', 'warning']);
      expect(r.counted.reduce((a, b) => a + b, 0)).toBe(r.unseen);
      expect(r.unseen).toBeGreaterThan(0);
    }
    expect(large.findings).toBe(small.findings);
  }, 120_000);
});
