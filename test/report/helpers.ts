// Shared fixtures for the report tests: real-shaped samples through the analysis and
// the stats stage (not the whole pipeline, so these tests do not depend on the flow
// and rule stages other work is changing).
import { readFileSync } from 'node:fs';
import { analyzeText } from '../../src/analyze.js';
import type { ExchangeDetail } from '../../src/chain/assembler.js';
import type { RunResult } from '../../src/model/schema.js';
import type { ReportContext } from '../../src/report/types.js';
import { statsOf } from '../../src/stats/index.js';

export const SAMPLES = {
  timed: 'samples/timed/client.log',
  seed: 'samples/seed-attach-volume/client.log',
  hostile: 'samples/hostile/client.log',
} as const;

export function samplePath(p: string): string {
  return new URL(`../../${p}`, import.meta.url).pathname;
}

export function analyzed(sample: string): { run: RunResult; details: Map<number, ExchangeDetail>; ctx: ReportContext } {
  const text = readFileSync(samplePath(sample), 'utf8');
  const { result, details } = analyzeText([{ name: sample, text }], { keepDetails: true });
  result.stats = statsOf(result);
  return { run: result, details, ctx: { color: false, showSecrets: false, details } };
}
