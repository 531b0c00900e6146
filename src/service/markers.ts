// The catalogue of flow step markers is data (grammars/service-markers.json):
// loaded once, validated with zod, and matched against service messages. A
// pattern is a literal substring, or a small regex that must stay linear.
import { readFileSync } from 'node:fs';
import { grammarPath } from '../core/package-files.js';
// The thread that reads service logs (src/cli/read-worker.ts) loads this file and no other schema.
import * as z from '../core/zod.js';

const CAPTURE_NAMES = ['volume', 'instance', 'attachment', 'device'] as const;
export type CaptureName = (typeof CAPTURE_NAMES)[number];

/** Nested or stacked quantified groups and backreferences are what make a regex backtrack. */
function isLinearRegex(pattern: string): boolean {
  if (/\\[1-9]/.test(pattern)) return false;
  if (/\)[*+?{]/.test(pattern)) return false;
  if (/(\.\*|\.\+).*(\.\*|\.\+)/.test(pattern)) return false;
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

export const MarkerSpec = z
  .object({
    id: z.string().check(z.regex(/^[a-z0-9][a-z0-9.-]*$/)),
    // The service label the marker applies to, or `*`.
    service: z.string().check(z.minLength(1)),
    pattern: z.string().check(z.minLength(1)),
    regex: z._default(z.boolean(), false),
    captures: z._default(z.array(z.enum(CAPTURE_NAMES)), []),
  })
  .check(
    z.refine((m) => !m.regex || isLinearRegex(m.pattern), {
      message: 'regex must compile and stay linear (no quantified groups, backreferences or two `.*`)',
    }),
    z.refine((m) => m.regex || m.captures.length === 0, { message: 'a literal pattern has no captures' }),
    z.refine((m) => !m.regex || new RegExp(`${m.pattern}|`).exec('')!.length - 1 === m.captures.length, {
      message: 'captures must name every regex group',
    }),
  );
export type MarkerSpec = z.infer<typeof MarkerSpec>;

export const MarkerFile = z.object({ markers: z.array(MarkerSpec) });

export interface CompiledMarker {
  spec: MarkerSpec;
  regex: RegExp | null;
  /** Text every match contains (a literal pattern itself, a regex's leading words): most messages lack it. */
  required: string;
}

/**
 * The literal text a regex starts with (after `^`), which every match must contain; '' when
 * it has none or has an alternation anywhere (then nothing is required of every match).
 */
export function requiredText(pattern: string): string {
  if (pattern.includes('|')) return '';
  const start = pattern.startsWith('^') ? 1 : 0;
  let end = start;
  while (end < pattern.length && !'\\.[](){}*+?$^'.includes(pattern[end]!)) end++;
  // A quantifier after the run applies to its last character, which may then be absent.
  if (end < pattern.length && '*+?{'.includes(pattern[end]!)) end--;
  return end > start ? pattern.slice(start, end) : '';
}

export interface MarkerMatch {
  id: string;
  captures: Partial<Record<CaptureName, string>>;
}

/** Validate a parsed marker file; throws a readable error naming the bad entry. */
export function compileMarkers(data: unknown): CompiledMarker[] {
  const parsed = MarkerFile.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`service markers: ${issue.path.join('.')}: ${issue.message}`);
  }
  const ids = new Set<string>();
  return parsed.data.markers.map((spec) => {
    if (ids.has(spec.id)) throw new Error(`service markers: duplicate id ${spec.id}`);
    ids.add(spec.id);
    return {
      spec,
      regex: spec.regex ? new RegExp(spec.pattern) : null,
      required: spec.regex ? requiredText(spec.pattern) : spec.pattern,
    };
  });
}

/** The first marker of the catalogue that fits the message, or null. */
export function matchMarker(markers: readonly CompiledMarker[], service: string, message: string): MarkerMatch | null {
  for (const m of markers) {
    if (m.spec.service !== '*' && m.spec.service !== service) continue;
    if (!message.includes(m.required)) continue;
    if (!m.regex) return { id: m.spec.id, captures: {} };
    const found = m.regex.exec(message);
    if (!found) continue;
    const captures: MarkerMatch['captures'] = {};
    m.spec.captures.forEach((name, i) => {
      const v = found[i + 1];
      if (v !== undefined) captures[name] = v;
    });
    return { id: m.spec.id, captures };
  }
  return null;
}

let builtin: CompiledMarker[] | undefined;

export function builtinMarkers(): CompiledMarker[] {
  builtin ??= compileMarkers(JSON.parse(readFileSync(grammarPath('service-markers.json'), 'utf8')));
  return builtin;
}
