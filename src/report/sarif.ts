// `--format sarif`: SARIF 2.1.0 for code-scanning uploads. One run; the rule
// descriptors come from the rule metadata (plus any rule id found in the findings).
import type { Finding, RunResult, Severity } from '../model/schema.js';
import { allRules } from '../rules/index.js';
import { maskText } from '../secrets/mask.js';
import type { Reporter } from './types.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

interface RuleDescriptor {
  id: string;
  shortDescription: { text: string };
  fullDescription?: { text: string };
  defaultConfiguration: { level: 'error' | 'warning' | 'note' };
}

/** A file name as a relative URI reference (each segment percent-encoded). */
export function toUri(source: string): string {
  return source
    .replace(/\\/g, '/')
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

export function toSarif(run: RunResult, showSecrets: boolean): unknown {
  const clean = (t: string) => (showSecrets ? t : maskText(t));
  const descriptors: RuleDescriptor[] = allRules().map((r) => ({
    id: r.meta.id,
    shortDescription: { text: r.meta.description },
    fullDescription: { text: r.meta.docs },
    defaultConfiguration: { level: LEVEL[r.meta.defaultSeverity] },
  }));
  const index = new Map(descriptors.map((d, i) => [d.id, i]));
  for (const f of run.findings) {
    if (index.has(f.ruleId)) continue;
    index.set(f.ruleId, descriptors.length);
    descriptors.push({
      id: f.ruleId,
      shortDescription: { text: f.ruleId === 'rule-crashed' ? 'A lint rule threw an error.' : f.ruleId },
      defaultConfiguration: { level: LEVEL[f.severity] },
    });
  }
  const result = (f: Finding) => ({
    ruleId: f.ruleId,
    ruleIndex: index.get(f.ruleId)!,
    level: LEVEL[f.severity],
    message: { text: clean(f.message) },
    ...(f.source === null
      ? {}
      : {
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: toUri(f.source) },
                ...(f.line !== null && f.line >= 1 ? { region: { startLine: f.line } } : {}),
              },
            },
          ],
        }),
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'ostrace', version: run.tool.version, rules: descriptors } },
        results: run.findings.map(result),
      },
    ],
  };
}

export const sarifReporter: Reporter = {
  id: 'sarif',
  description: 'SARIF 2.1.0 (findings only; for code-scanning uploads)',
  render(run, ctx) {
    return `${JSON.stringify(toSarif(run, ctx.showSecrets), null, 2)}\n`;
  },
};
