// known-bug/*: one rule per signature of grammars/known-bugs.json (data, validated
// by zod). A signature matches a raw line holding all its strings (plain substring
// search: linear, no regex). One finding per bug per command (START line) and input.
import { readFileSync } from 'node:fs';
import { grammarPath } from '../../core/package-files.js';
import * as z from '../../core/zod.js';
import { defineRule, type AnyRule } from '../../engine/types.js';
import { Severity } from '../../model/severity.js';

export const KnownBug = z.strictObject({
  id: z.string().check(z.regex(/^lp-\d+$/)),
  bug: z.number().check(z.int(), z.positive()),
  url: z.string().check(z.url(), z.startsWith('https://bugs.launchpad.net/')),
  summary: z.string().check(z.minLength(1)),
  all: z.array(z.string().check(z.minLength(8))).check(z.minLength(1)),
  severity: Severity,
  verified: z.string().check(z.minLength(1)),
});
export type KnownBug = z.infer<typeof KnownBug>;

export const KnownBugsFile = z.strictObject({ $comment: z.optional(z.string()), bugs: z.array(KnownBug) });

/** grammars/known-bugs.json of the package. */
export function knownBugsPath(): string {
  return grammarPath('known-bugs.json');
}

export function loadKnownBugs(path: string = knownBugsPath()): KnownBug[] {
  const parsed = KnownBugsFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
  }
  return parsed.data.bugs;
}

export function knownBugRule(bug: KnownBug): AnyRule {
  return defineRule({
    meta: {
      id: `known-bug/${bug.id}`,
      defaultSeverity: bug.severity,
      description: `Known bug #${bug.bug}: ${bug.summary}.`,
      docs: `Fires on a line containing ${bug.all.map((s) => `\`${s}\``).join(' and ')} — ${bug.url}. (${bug.verified})`,
      options: z.strictObject({}),
    },
    create(ctx) {
      const seen = new Set<string>();
      return {
        linesRead: [{ kinds: ['start'] }, { allOf: bug.all }],
        onLine({ source, line, text, record }) {
          if (record.kind === 'start') {
            seen.delete(source);
            return;
          }
          if (seen.has(source)) return;
          for (const s of bug.all) if (!text.includes(s)) return;
          seen.add(source);
          ctx.report({ source, line, message: `known bug #${bug.bug}: ${bug.summary} — ${bug.url}` });
        },
      };
    },
  });
}

/** The rules; when the data file is missing or invalid, one rule that crashes with the reason (a `rule-crashed` finding). */
export function knownBugRules(): AnyRule[] {
  try {
    return loadKnownBugs().map(knownBugRule);
  } catch (e) {
    const reason = (e as Error).message;
    return [
      defineRule({
        meta: {
          id: 'known-bug/signatures',
          defaultSeverity: 'error',
          description: 'Loads grammars/known-bugs.json.',
          docs: 'Stands in for the known-bug rules when their data file cannot be loaded.',
          options: z.strictObject({}),
        },
        create() {
          throw new Error(reason);
        },
      }),
    ];
  }
}
