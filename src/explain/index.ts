// The explain stage: after the rules, a reading of what the run already holds
// (commands and exit codes, exchanges, chains, flow verdicts, service events,
// findings) as one short story per problem, most important first. It adds no
// analysis of its own: a fact it needs is computed by the stage that owns it.
import type { Analysis } from '../core/analysis.js';
import type { Explanation } from '../model/explain-schema.js';
import { paragraphOf, titleOf } from './paragraph.js';
import { findProblems, isOperationFinding } from './problems.js';
import { storyOf, type StoryFacts } from './story.js';

export { isOperationFinding };

/**
 * Failed before unfinished; among failures, one the client was told had worked
 * (exit 0, a 2xx) first — nobody looks there; then in log order.
 */
function rank(f: StoryFacts): number {
  if (f.severity !== 'error') return 2;
  const quiet = f.command?.exitCode === 0 && (f.clientCall?.status ?? 0) < 400;
  return quiet ? 0 : 1;
}

export function explainRun(analysis: Analysis): Explanation[] {
  const { problems, index } = findProblems(analysis);
  const stories = problems.map((p) => storyOf(p, analysis, index));
  const ranked = stories.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i);
  return ranked.map(({ f }) => {
    const { firstMissing: _firstMissing, serviceLogsGiven: _given, ...facts } = f;
    return { title: titleOf(f), text: paragraphOf(f), ...facts };
  });
}

/** The stage: the run's explanations, in the result. */
export function applyExplain(analysis: Analysis): void {
  analysis.result.explanations = explainRun(analysis);
}
