// The secret/* rules share one scan (src/redact/spans.ts, the same that `ostrace redact`
// masks) and differ only in the kind of secret they report. They need the raw line:
// the RunResult is already masked. A message names where the secret is, never its value.
import * as z from '../../core/zod.js';
import { defineRule, type Rule } from '../../engine/types.js';
import { findSecrets, type SecretKind } from '../../redact/spans.js';

export function secretRule(
  id: string,
  kind: SecretKind,
  description: string,
  docs: string,
): Rule<Record<string, never>> {
  return defineRule({
    meta: {
      id,
      defaultSeverity: 'error',
      description,
      options: z.strictObject({}),
      docs: `${docs} Runs on the raw lines as they stream (\`analyze\`, \`lint\`, \`run\`); the finding never quotes the value.`,
    },
    create(ctx) {
      return {
        linesRead: [{ secrets: true }],
        onLine({ source, line, text }) {
          const spans = findSecrets(text).filter((s) => s.kind === kind);
          if (spans.length === 0) return;
          const what = [...new Set(spans.map((s) => s.what))].join(', ');
          ctx.report({ source, line, message: `${kind} in clear: ${what} (mask it with \`ostrace redact\`)` });
        },
      };
    },
  });
}
