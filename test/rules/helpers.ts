// Lint in memory, the way `ostrace lint` does: hooks while lines stream, then the pipeline.
import { readFileSync } from 'node:fs';
import { analyzeText } from '../../src/analyze.js';
import { resolveConfig } from '../../src/config/load.js';
import type { RuleSetting } from '../../src/config/schema.js';
import { createLintSession } from '../../src/engine/index.js';
import type { Finding } from '../../src/model/schema.js';
import { finishPipeline } from '../../src/pipeline.js';
import { allRules } from '../../src/rules/index.js';

export function sample(path: string): string {
  return readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
}

export function lintText(text: string, rules: Record<string, RuleSetting> = {}, name = 'client.log'): Finding[] {
  return lintTexts([{ name, text }], rules);
}

/** Several inputs read together (a client log and service logs). */
export function lintTexts(
  inputs: Array<{ name: string; text: string }>,
  rules: Record<string, RuleSetting> = {},
): Finding[] {
  const config = resolveConfig(allRules(), { path: 'test-config', config: { rules } });
  const session = createLintSession(config);
  const analysis = analyzeText(inputs, session.hooks());
  finishPipeline(analysis, { lint: session });
  return [...analysis.result.findings];
}

export function lintSample(path: string, rules: Record<string, RuleSetting> = {}): Finding[] {
  return lintText(sample(path), rules, path);
}

export const of = (findings: Finding[], ruleId: string) => findings.filter((f) => f.ruleId === ruleId);
