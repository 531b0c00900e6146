// Reading and resolving the lint configuration: file (cwd `ostrace.config.json` or
// `--config FILE`), then `--rule id=severity` flags. Every problem is a ConfigError
// whose message names the file and the key path, e.g. `rules["perf/slow-call"].options.thresholdMs`.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as z from '../core/zod.js';
import { ConfigError } from '../core/errors.js';
import type { Severity } from '../model/schema.js';
import type { AnyRule } from '../engine/types.js';
import { ConfigFile, SeverityOrOff, type RuleSetting } from './schema.js';

export const DEFAULT_CONFIG_NAME = 'ostrace.config.json';

export interface ResolvedRule {
  severity: Severity | 'off';
  options: unknown;
  /** True when the file or a flag set the severity (it then overrides the lower rating a rule may give one finding). */
  explicit: boolean;
}

export interface LintConfig {
  failOn: Severity;
  rules: Map<string, ResolvedRule>;
}

/**
 * Read `explicit` (must exist) or `<cwd>/ostrace.config.json` (optional).
 * Returns null when there is no file to read.
 */
export async function readConfigFile(
  explicit: string | undefined,
  cwd: string,
): Promise<{ path: string; config: ConfigFile } | null> {
  const path = explicit ?? join(cwd, DEFAULT_CONFIG_NAME);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (explicit === undefined && code === 'ENOENT') return null;
    throw new ConfigError(`${path}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  return { path, config: parseConfigText(text, path) };
}

export function parseConfigText(text: string, path: string): ConfigFile {
  let json: unknown;
  try {
    // A byte-order mark (Windows editors write one) is no part of the JSON.
    json = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (e) {
    throw new ConfigError(`${path}: invalid JSON: ${(e as Error).message}`);
  }
  const proto = protoKeyPath(json);
  if (proto !== null) {
    // JSON.parse keeps a `__proto__` key as data, but building the parsed object sets a prototype with
    // it: the key vanished, so `{"rules": {"__proto__": "off"}}` was accepted silently.
    if (proto.length === 1 && proto[0] === 'rules')
      throw new ConfigError(`${path}: rules["__proto__"]: ${UNKNOWN_RULE}`);
    throw new ConfigError(`${path}: ${keyPath(proto)}: Unrecognized key: "__proto__"`);
  }
  const parsed = ConfigFile.safeParse(json);
  if (!parsed.success) throw new ConfigError(`${path}: ${describeIssue(parsed.error, [])}`);
  return parsed.data;
}

const UNKNOWN_RULE = 'unknown rule (see `ostrace lint --list-rules`)';

/**
 * The path of an object in `json` with an own `__proto__` key, or null. Without recursion: a file of
 * deeply nested arrays must give a config error, not a stack overflow.
 */
function protoKeyPath(json: unknown): PropertyKey[] | null {
  interface Node {
    value: unknown;
    parent: Node | null;
    key: PropertyKey;
  }
  const stack: Node[] = [{ value: json, parent: null, key: '' }];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const { value } = node;
    if (typeof value !== 'object' || value === null) continue;
    if (Object.hasOwn(value, '__proto__')) {
      const path: PropertyKey[] = [];
      for (let n: Node | null = node; n?.parent; n = n.parent) path.unshift(n.key);
      return path;
    }
    for (const [key, inner] of Object.entries(value))
      stack.push({ value: inner, parent: node, key: Array.isArray(value) ? Number(key) : key });
  }
  return null;
}

/** `--rule id=severity` → [id, severity]. */
export function parseRuleFlag(flag: string): [string, SeverityOrOff] {
  const eq = flag.lastIndexOf('=');
  const id = eq > 0 ? flag.slice(0, eq).trim() : '';
  const sev = SeverityOrOff.safeParse(eq > 0 ? flag.slice(eq + 1).trim() : '');
  if (!id || !sev.success) throw new ConfigError(`--rule ${flag}: expected RULE-ID=off|info|warning|error`);
  return [id, sev.data];
}

/** Every rule's severity and options, from defaults, the file, then the flags. */
export function resolveConfig(
  rules: readonly AnyRule[],
  file: { path: string; config: ConfigFile } | null,
  flags: Array<[string, SeverityOrOff]> = [],
  failOn?: Severity,
): LintConfig {
  const byId = new Map(rules.map((r) => [r.meta.id, r]));
  const settings = file?.config.rules ?? {};
  const where = file?.path ?? 'config';
  for (const key of Object.keys(settings)) {
    if (!byId.has(key) && !(key.endsWith('/*') && rules.some((r) => r.meta.id.startsWith(key.slice(0, -1))))) {
      throw new ConfigError(`${where}: rules[${JSON.stringify(key)}]: ${UNKNOWN_RULE}`);
    }
  }
  for (const [id] of flags) {
    if (!byId.has(id) && !(id.endsWith('/*') && rules.some((r) => r.meta.id.startsWith(id.slice(0, -1))))) {
      throw new ConfigError(`--rule ${id}: ${UNKNOWN_RULE}`);
    }
  }
  const out = new Map<string, ResolvedRule>();
  for (const rule of rules) {
    const id = rule.meta.id;
    const group = `${id.slice(0, id.indexOf('/') + 1)}*`;
    const setting: RuleSetting | undefined = settings[id] ?? settings[group];
    let severity: Severity | 'off' = rule.meta.defaultSeverity;
    let explicit = false;
    let rawOptions: Record<string, unknown> = {};
    const key = settings[id] !== undefined ? id : group;
    if (typeof setting === 'string') {
      severity = setting;
      explicit = true;
    } else if (setting) {
      if (setting.severity) {
        severity = setting.severity;
        explicit = true;
      }
      rawOptions = setting.options ?? {};
    }
    for (const [flagId, sev] of flags)
      if (flagId === id || flagId === group) {
        severity = sev;
        explicit = true;
      }
    const parsed = rule.meta.options.safeParse(rawOptions);
    if (!parsed.success) throw new ConfigError(`${where}: ${describeIssue(parsed.error, ['rules', key, 'options'])}`);
    out.set(id, { severity, options: parsed.data, explicit });
  }
  return { failOn: failOn ?? file?.config.failOn ?? 'error', rules: out };
}

/** The first issue as `key.path: message`. */
function describeIssue(error: z.core.$ZodError, prefix: PropertyKey[]): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid configuration';
  const extra = issue.code === 'unrecognized_keys' ? `: ${issue.keys.join(', ')}` : '';
  return `${keyPath([...prefix, ...issue.path])}: ${issue.message}${extra}`;
}

/** `rules["perf/slow-call"].options.thresholdMs`, or `(top level)`. */
function keyPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const p of path) {
    if (typeof p === 'number') text += `[${p}]`;
    else if (typeof p === 'string' && /^[A-Za-z_$][\w$]*$/.test(p)) text += text ? `.${p}` : p;
    else text += `[${JSON.stringify(String(p))}]`;
  }
  return text || '(top level)';
}
