// The whole analysis, one way: lex/parse/assemble (analyze.ts) → chains → flows →
// stats → rules. Each stage reads what the earlier ones wrote into the RunResult
// and adds its own part; reporters only render.
import { analyzeSources, analyzeText, type Analysis, type AnalyzeOptions } from './analyze.js';
import { buildChains } from './chain/chains.js';
import { applyRules } from './engine/index.js';
import type { LintSession } from './engine/session.js';
import { replayFlows } from './flows/index.js';
import type { LineSource } from './input/read.js';
import { computeStats } from './stats/index.js';

export interface PipelineOptions extends AnalyzeOptions {
  /** Extra flow directories (`--flows DIR`), after the built-in grammars/. */
  flowDirs?: string[];
  /** The lint session that receives the rules stage (`ostrace lint`); the default rule set when absent. */
  lint?: LintSession;
}

export function finishPipeline(analysis: Analysis, options: PipelineOptions = {}): Analysis {
  buildChains(analysis, options);
  replayFlows(analysis, options);
  computeStats(analysis, options);
  applyRules(analysis, options);
  return analysis;
}

export async function runPipeline(sources: LineSource[], options: PipelineOptions = {}): Promise<Analysis> {
  return finishPipeline(await analyzeSources(sources, options), options);
}

/** In-memory variant for tests and programmatic use. */
export function runPipelineOnText(inputs: Array<{ name: string; text: string }>, options: PipelineOptions = {}): Analysis {
  return finishPipeline(analyzeText(inputs, options), options);
}
