// Streaming: a run's memory follows what is still open, not the log's length.
// 1. Every sample (alone and with its service logs) gives the same JSON whether the
//    run's rows stay in memory or are written out after one item: nothing a later
//    stage or reporter reads is lost or changed by spilling (a command's --timing
//    table, after END, still times its exchanges).
//    Flows replayed per command as the input streams equal a replay of the whole run.
// 2. On a generated 16 MB log (≈13,700 exchanges), the live heap after the first
//    quarter grows by ~1.4 MB to the end, stages included; holding every row in
//    memory (OSTRACE_SPILL_AFTER=10000000) makes it ~7.6 MB, and the test fails.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openSource } from '../../src/input/read.js';
import { analyzeText } from '../../src/analyze.js';
import { finishPipeline, runPipeline, runPipelineOnText } from '../../src/pipeline.js';
import { jsonChunks } from '../../src/report/json.js';
import { type SpillList } from '../../src/rows/spill-list.js';
import { generateLog } from '../bench/generate.js';
import { liveHeapMb } from '../live-heap.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function logsUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...logsUnder(path));
    else if (name.endsWith('.log')) out.push(path);
  }
  return out.sort();
}

/** Inputs of one run: a client log alone, or a directory's logs together (client + services). */
function runs(): string[][] {
  const logs = logsUnder(join(root, 'samples'));
  const byDir = new Map<string, string[]>();
  for (const l of logs) byDir.set(dirname(l), [...(byDir.get(dirname(l)) ?? []), l]);
  return [...logs.map((l) => [l]), ...[...byDir.values()].filter((g) => g.length > 1)];
}

function jsonOf(files: string[], spillAfter: string | undefined): string {
  const saved = process.env.OSTRACE_SPILL_AFTER;
  if (spillAfter === undefined) delete process.env.OSTRACE_SPILL_AFTER;
  else process.env.OSTRACE_SPILL_AFTER = spillAfter;
  try {
    const { result } = runPipelineOnText(
      files.map((f) => ({ name: relative(root, f), text: readFileSync(f, 'utf8') })),
    );
    if (spillAfter !== undefined)
      for (const rows of [
        result.exchanges,
        result.chains,
        result.serviceEvents,
        result.findings,
        result.explanations ?? [],
      ])
        if (rows.length > 2) expect((rows as SpillList<unknown>).hasSpilled).toBe(true);
    return [...jsonChunks(result)].join('');
  } finally {
    if (saved === undefined) delete process.env.OSTRACE_SPILL_AFTER;
    else process.env.OSTRACE_SPILL_AFTER = saved;
  }
}

describe('rows written out to disk change nothing', () => {
  const all = runs();
  it('covers every sample and the multi-service groups', () => {
    expect(all.length).toBeGreaterThan(60);
    expect(all.some((g) => g.length >= 5)).toBe(true);
  });
  for (const files of all) {
    it(files.map((f) => relative(join(root, 'samples'), f)).join(' + '), () => {
      expect(jsonOf(files, '1')).toBe(jsonOf(files, undefined));
    });
  }
});

describe('flows replayed as commands close equal a replay of the finished run', () => {
  for (const files of runs()) {
    it(files.map((f) => relative(join(root, 'samples'), f)).join(' + '), () => {
      const inputs = files.map((f) => ({ name: relative(root, f), text: readFileSync(f, 'utf8') }));
      const streamed = runPipelineOnText(inputs).result;
      const whole = finishPipeline(analyzeText(inputs)).result;
      expect([...streamed.flows]).toEqual([...whole.flows]);
      expect(streamed.findings).toEqual(whole.findings);
    });
  }
});

describe('memory follows what is open, not the length of the log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ostrace-stream-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a 16 MB log: the live heap grows by less than 4 MB after the first quarter', async () => {
    const file = join(dir, 'big.log');
    const bytes = await generateLog(file, 16 * 2 ** 20);
    const source = await openSource(file, process.stdin);
    let quarter: number | null = null;
    let endOfInput: number | null = null;
    const analysis = await runPipeline([source], {
      onProgress: (s) => {
        if (quarter === null && s.bytesRead() >= bytes / 4) quarter = liveHeapMb();
        if (s.bytesRead() >= bytes) endOfInput ??= liveHeapMb();
      },
    });
    const afterStages = liveHeapMb();
    const { result } = analysis;
    expect(result.exchanges.length).toBeGreaterThan(12_000);
    expect(result.commands.length).toBeGreaterThan(1_500);
    expect(result.flows.length).toBe(result.commands.length);
    expect((result.exchanges as SpillList<unknown>).inMemory).toBeLessThan(1000);
    // A day's failed commands are told one by one and written out: the explanations are not all held.
    const explanations = result.explanations as SpillList<unknown>;
    expect(explanations.length).toBeGreaterThan(64);
    expect(explanations.hasSpilled).toBe(true);
    expect(explanations.inMemory).toBeLessThanOrEqual(64);
    expect(quarter).not.toBeNull();
    expect(endOfInput! - quarter!).toBeLessThan(4);
    expect(afterStages - quarter!).toBeLessThan(4);
    // the stats saw every exchange although most were on disk
    expect(result.stats!.exchanges).toBe(result.exchanges.length);
    expect(result.stats!.byCommand.length).toBe(result.commands.length);
  }, 180_000);
});
