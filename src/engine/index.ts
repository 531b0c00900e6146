// The rules stage of the pipeline. `ostrace lint` passes its own session (already
// fed while the input streamed); other commands get the default rule set, replayed
// over the finished analysis (no raw lines then, so no line rules such as secret/*).
import type { Analysis } from '../core/analysis.js';
import { resolveConfig, type LintConfig } from '../config/load.js';
import { allRules } from '../rules/index.js';
import { LintSession } from './session.js';

export { LintSession, RULE_CRASHED, atLeast } from './session.js';

export function applyRules(analysis: Analysis, session: LintSession = createLintSession()): void {
  session.finish(analysis);
}

export function createLintSession(
  config: LintConfig = resolveConfig(allRules(), null),
  onFinding?: ConstructorParameters<typeof LintSession>[2],
): LintSession {
  return new LintSession(allRules(), config, onFinding);
}
