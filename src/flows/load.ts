// Read and validate flow files. A file with any error is rejected whole (never
// half-loaded); each diagnostic names the file, a JSON pointer (or line:column
// for JSON syntax) and what was expected.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { grammarPath } from '../core/package-files.js';
import type * as z from '../core/zod.js';
import { compileFlow, MAX_PATHS_PER_VARIANT, parseTemplate, type CompiledFlow } from './compile.js';
import { FlowFile, type Node, type Sample } from './grammar-schema.js';

export interface Diagnostic {
  file: string;
  /** JSON pointer (`/flows/0/variants/1/steps/3/match/method`) or `line:column`. */
  at: string;
  message: string;
}

export interface LoadedFlowFile {
  file: string;
  def: FlowFile;
  flows: CompiledFlow[];
  samples: Sample[];
}

export type LoadResult = { ok: true; value: LoadedFlowFile } | { ok: false; diagnostics: Diagnostic[] };

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}: ${d.at}: ${d.message}`;
}

function pointer(path: ReadonlyArray<PropertyKey>): string {
  return path.length === 0 ? '/' : `/${path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

/** line:column of a character offset. */
function lineCol(text: string, offset: number): string {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else col++;
  }
  return `${line}:${col}`;
}

/**
 * Where JSON.parse gave up. V8's messages do not always carry a position, so a
 * small linear scanner walks the text and stops at the first character that
 * cannot continue a JSON value.
 */
function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail();
      }
    } else if (c === '"') string();
    else if (text.startsWith('true', i)) i += 4;
    else if (text.startsWith('false', i)) i += 5;
    else if (text.startsWith('null', i)) i += 4;
    else if (c !== undefined && '-0123456789'.includes(c)) {
      i++;
      while (i < text.length && '0123456789.eE+-'.includes(text[i]!)) i++;
    } else fail();
  };
  const string = (): void => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  try {
    value();
    ws();
    return i < text.length ? i : text.length;
  } catch (at) {
    return typeof at === 'number' ? at : text.length;
  }
}

/** The value at a path of the parsed JSON (zod issues do not carry it by default). */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function issueMessage(issue: z.core.$ZodIssue, got: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}, got ${describeValue(got)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(got)}`;
    case 'invalid_format':
      return `expected ${issue.message.replace(/^Invalid string: /, '')}, got ${describeValue(got)}`;
    case 'unrecognized_keys':
      return `unknown propert${issue.keys.length > 1 ? 'ies' : 'y'} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_union':
      return 'expected a step ({step, title, observer, match…}) or a choice ({oneOf: [[…], […]]})';
    default:
      return issue.message;
  }
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** For unions zod reports one issue at the union; dig into the branch that got furthest for a useful pointer. */
function flattenIssues(
  root: unknown,
  issues: readonly z.core.$ZodIssue[],
  base: PropertyKey[] = [],
): Array<{ path: PropertyKey[]; message: string }> {
  const out: Array<{ path: PropertyKey[]; message: string }> = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // The branch with the deepest issue is the one the author meant.
      const depth = (errs: readonly z.core.$ZodIssue[]) => Math.max(...errs.map((e) => e.path.length));
      const branch = [...issue.errors].sort((a, b) => depth(b) - depth(a))[0]!;
      if (depth(branch) > 0) {
        out.push(...flattenIssues(root, branch, path));
        continue;
      }
    }
    out.push({ path, message: issueMessage(issue, valueAt(root, path)) });
  }
  return out;
}

/** Checks zod cannot express: templates, unique ids, path explosion, sample references. */
function semanticChecks(file: string, def: FlowFile, flows: CompiledFlow[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const flowIds = new Set<string>();
  def.flows.forEach((flow, fi) => {
    if (flowIds.has(flow.id))
      out.push({ file, at: pointer(['flows', fi, 'id']), message: `duplicate flow id "${flow.id}"` });
    flowIds.add(flow.id);
    if (flow.scope === 'command' && !flow.trigger?.command && !flow.trigger?.outsideCommands) {
      out.push({
        file,
        at: pointer(['flows', fi, 'trigger']),
        message:
          'a command-scoped flow needs trigger.command (the CLI command names it replays) or trigger.outsideCommands',
      });
    }
    const variantIds = new Set<string>();
    flow.variants.forEach((variant, vi) => {
      if (variantIds.has(variant.id))
        out.push({
          file,
          at: pointer(['flows', fi, 'variants', vi, 'id']),
          message: `duplicate variant id "${variant.id}"`,
        });
      variantIds.add(variant.id);
      const seen = new Map<string, string>();
      let anchors = 0;
      const walk = (nodes: Node[], at: PropertyKey[]): void => {
        nodes.forEach((node, ni) => {
          const here = [...at, ni];
          if ('oneOf' in node) {
            node.oneOf.forEach((branch, bi) => walk(branch, [...here, 'oneOf', bi]));
            return;
          }
          if ('each' in node) {
            walk(node.steps, [...here, 'steps']);
            return;
          }
          const prior = seen.get(node.step);
          // The same step id may appear in two alternatives (the same call on two routes), not twice on one route.
          if (prior !== undefined && !alternativeOf(prior, pointer(here))) {
            out.push({
              file,
              at: pointer([...here, 'step']),
              message: `step id "${node.step}" is already used at ${prior} in this variant`,
            });
          }
          seen.set(node.step, pointer(here));
          if (node.anchor) anchors++;
          const paths =
            node.match.path === undefined ? [] : Array.isArray(node.match.path) ? node.match.path : [node.match.path];
          paths.forEach((p, pi) => {
            const t = parseTemplate(p);
            if (typeof t === 'string') {
              out.push({
                file,
                at: pointer([...here, 'match', 'path', ...(Array.isArray(node.match.path) ? [pi] : [])]),
                message: `expected a path template: ${t}`,
              });
            }
          });
          const isMarker = node.match.marker !== undefined || node.match.message !== undefined;
          const isExchange =
            node.match.method !== undefined ||
            node.match.path !== undefined ||
            node.match.action !== undefined ||
            node.match.kind !== undefined;
          if (isMarker === isExchange) {
            out.push({
              file,
              at: pointer([...here, 'match']),
              message:
                'expected either an exchange match (method/path/action/kind) or a service-log match (marker/message), not both or neither',
            });
          }
          if (isMarker && (node.status || node.statusFrom)) {
            out.push({
              file,
              at: pointer([...here, 'status']),
              message: 'status applies to exchanges only, not to service-log lines',
            });
          }
          // A joined line is found by the volume its marker names, in a request-scoped instance. An
          // anchor may be joined only when it says the operation failed (an anchor that starts one
          // would start it under the id it was logged with).
          if (
            node.joinBy !== undefined &&
            (!isMarker || (node.anchor === true && node.failure !== true) || flow.scope !== 'request')
          ) {
            out.push({
              file,
              at: pointer([...here, 'joinBy']),
              message:
                'joinBy applies to service-log steps of a request-scoped flow that are no anchor (or a failure anchor)',
            });
          }
          if (
            isExchange &&
            node.observer !== 'client' &&
            node.observer !== 'nova-api' &&
            node.observer !== 'cinder-api'
          ) {
            out.push({
              file,
              at: pointer([...here, 'observer']),
              message: `exchanges are observed by client, nova-api or cinder-api, not ${node.observer}`,
            });
          }
        });
      };
      walk(variant.steps, ['flows', fi, 'variants', vi, 'steps']);
      if (flow.scope === 'request' && anchors === 0) {
        out.push({
          file,
          at: pointer(['flows', fi, 'variants', vi, 'steps']),
          message: 'a request-scoped variant needs at least one step with "anchor": true',
        });
      }
      const compiled = flows[fi]?.variants[vi];
      if (compiled && compiled.paths.length > MAX_PATHS_PER_VARIANT) {
        out.push({
          file,
          at: pointer(['flows', fi, 'variants', vi, 'steps']),
          message: `too many alternative routes (over ${MAX_PATHS_PER_VARIANT}); use repeat/optional instead of nested oneOf`,
        });
      }
    });
  });
  def.samples.forEach((sample, si) => {
    if (!sample.logs === !sample.events) {
      out.push({ file, at: pointer(['samples', si]), message: 'expected exactly one of "logs" or "events"' });
    }
    sample.expect.forEach((exp, ei) => {
      const flow = def.flows.find((f) => f.id === exp.flow);
      if (!flow) {
        out.push({
          file,
          at: pointer(['samples', si, 'expect', ei, 'flow']),
          message: `expected a flow id of this file (${def.flows.map((f) => f.id).join(', ')}), got "${exp.flow}"`,
        });
        return;
      }
      if (exp.variant && !flow.variants.some((v) => v.id === exp.variant)) {
        out.push({
          file,
          at: pointer(['samples', si, 'expect', ei, 'variant']),
          message: `expected a variant of ${flow.id} (${flow.variants.map((v) => v.id).join(', ')}), got "${exp.variant}"`,
        });
      }
    });
  });
  return out;
}

/** Two JSON pointers of steps in different branches of one oneOf. */
function alternativeOf(a: string, b: string): boolean {
  const pa = a.split('/');
  const pb = b.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] !== pb[i]) return pa[i - 1] === 'oneOf';
  }
  return false;
}

/** Parse, validate and compile one flow file from its text. */
export function loadFlowText(file: string, text: string): LoadResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    // One diagnostic, one line: V8 quotes the offending text, newlines included.
    const msg = (e as Error).message.replace(/\s*\n\s*/g, ' ');
    return {
      ok: false,
      diagnostics: [{ file, at: lineCol(text, jsonErrorOffset(text)), message: `expected valid JSON: ${msg}` }],
    };
  }
  const parsed = FlowFile.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      diagnostics: flattenIssues(json, parsed.error.issues).map((i) => ({
        file,
        at: pointer(i.path),
        message: i.message,
      })),
    };
  }
  const def = parsed.data;
  const flows = def.flows.map((f) => compileFlow(f, def.family, file));
  const diagnostics = semanticChecks(file, def, flows);
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  return { ok: true, value: { file, def, flows, samples: def.samples } };
}

export function loadFlowFile(file: string, checked: CheckedFlowFiles | null = null): LoadResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, diagnostics: [{ file, at: '/', message: `cannot read: ${(e as Error).message}` }] };
  }
  const def = checked?.get(textDigest(text));
  if (def)
    return {
      ok: true,
      value: { file, def, flows: def.flows.map((f) => compileFlow(f, def.family, file)), samples: def.samples },
    };
  return loadFlowText(file, text);
}

/**
 * The built-in flow files as the build validated them: the SHA-256 of a file's text → its
 * definition as the schema parsed it (src/cli/prepare-bin.ts writes them beside the bin).
 * Validating the built-ins is most of a small run's fixed cost; a file whose text the build
 * did not check (an edited built-in) is validated as any other.
 */
export type CheckedFlowFiles = ReadonlyMap<string, FlowFile>;

export function textDigest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

let checkedBuiltins: CheckedFlowFiles | null = null;

/** The built bin's checked built-ins (unreadable or malformed: every file is validated). */
export function useCheckedBuiltins(file: string): void {
  try {
    const json = JSON.parse(readFileSync(file, 'utf8')) as { files?: Record<string, FlowFile> };
    checkedBuiltins = json.files && typeof json.files === 'object' ? new Map(Object.entries(json.files)) : null;
  } catch {
    checkedBuiltins = null;
  }
}

export const FLOW_FILE_SUFFIX = '.flow.json';

/** Every *.flow.json of a directory, sorted; a file path is taken as is. */
export function flowFilesIn(dirOrFile: string): string[] {
  const st = statSync(dirOrFile);
  if (!st.isDirectory()) return [dirOrFile];
  return readdirSync(dirOrFile)
    .filter((n) => n.endsWith(FLOW_FILE_SUFFIX))
    .sort()
    .map((n) => join(dirOrFile, n));
}

/** grammars/ of the package. */
export function builtinGrammarsDir(): string {
  return dirname(grammarPath('flow.schema.json'));
}

export interface FlowSet {
  files: LoadedFlowFile[];
  flows: CompiledFlow[];
  diagnostics: Diagnostic[];
}

/** Built-in flows plus those of extra directories; a user flow with the id of a built-in replaces it. */
export function loadFlowSet(extraDirs: readonly string[] = [], includeBuiltins = true): FlowSet {
  const files: LoadedFlowFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const builtins = includeBuiltins ? builtinGrammarsDir() : null;
  const dirs = [...(builtins !== null ? [builtins] : []), ...extraDirs];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = flowFilesIn(dir);
    } catch (e) {
      diagnostics.push({ file: dir, at: '/', message: `cannot read flow directory: ${(e as Error).message}` });
      continue;
    }
    for (const f of names) {
      const r = loadFlowFile(f, dir === builtins ? checkedBuiltins : null);
      if (r.ok) files.push(r.value);
      else diagnostics.push(...r.diagnostics);
    }
  }
  const byId = new Map<string, CompiledFlow>();
  for (const f of files) for (const flow of f.flows) byId.set(flow.def.id, flow);
  return { files, flows: [...byId.values()], diagnostics };
}
