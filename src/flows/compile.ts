// A flow as the replay uses it: path templates parsed, alternatives expanded
// into linear paths (each a sequence of steps with min/max counts).
import { MAX_EACH, type Choice, type Each, type Flow, type Node, type Step, type Variant } from './grammar-schema.js';
import type { FlowEvent } from './events.js';
import { normalizeService } from './events.js';

type Part = { literal: string } | { capture: string };

export interface PathTemplate {
  segments: Part[];
  query: Array<[key: string, value: Part]>;
}

/** Parse `/servers/{server}/os-volume_attachments?name={x}`; null with a reason when malformed. */
export function parseTemplate(text: string): PathTemplate | string {
  const q = text.indexOf('?');
  const pathPart = q >= 0 ? text.slice(0, q) : text;
  if (!pathPart.startsWith('/')) return 'a path template starts with "/"';
  const segments: Part[] = [];
  for (const seg of pathPart.split('/').filter((s) => s !== '')) {
    const part = parsePart(seg);
    if (typeof part === 'string') return part;
    segments.push(part);
  }
  const query: PathTemplate['query'] = [];
  if (q >= 0) {
    for (const pair of text.slice(q + 1).split('&')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) return `query part "${pair}" is not key=value`;
      const value = parsePart(pair.slice(eq + 1));
      if (typeof value === 'string') return value;
      query.push([pair.slice(0, eq), value]);
    }
  }
  return { segments, query };
}

function parsePart(text: string): Part | string {
  if (text.startsWith('{') || text.endsWith('}')) {
    const name = text.slice(1, -1);
    if (!text.startsWith('{') || !text.endsWith('}') || name === '' || name.includes('{') || name.includes('}')) {
      return `"${text}" is not a {capture}`;
    }
    return { capture: name };
  }
  if (text.includes('{') || text.includes('}'))
    return `"${text}" mixes text and a {capture}; a capture is a whole segment`;
  return { literal: text };
}

/** Does the template match a resource (its segments: `servers/x` → servers, x) and query? */
export function templateMatches(t: PathTemplate, segs: readonly string[], query: Map<string, string>): boolean {
  if (segs.length !== t.segments.length) return false;
  for (let i = 0; i < segs.length; i++) {
    const part = t.segments[i]!;
    if ('literal' in part && part.literal !== segs[i]) return false;
    if ('capture' in part && segs[i] === '') return false;
  }
  if (query.size !== t.query.length) return false;
  for (const [key, part] of t.query) {
    const v = query.get(key);
    if (v === undefined) return false;
    if ('literal' in part && part.literal !== v) return false;
  }
  return true;
}

/** The values a matching template binds: `/attachments/{attachment}` on `attachments/6db3…` → attachment=6db3…. */
export function templateCaptures(
  t: PathTemplate,
  segs: readonly string[],
  query: Map<string, string>,
): Map<string, string> {
  const out = new Map<string, string>();
  t.segments.forEach((part, i) => {
    if ('capture' in part && segs[i] !== undefined) out.set(part.capture, segs[i]!);
  });
  for (const [key, part] of t.query) {
    const v = query.get(key);
    if ('capture' in part && v !== undefined) out.set(part.capture, v);
  }
  return out;
}

/** The names a template binds (pagination cursors, `_…`, are the step's business only). */
export function captureNames(t: PathTemplate): string[] {
  return [...t.segments, ...t.query.map(([, part]) => part)].flatMap((part) =>
    'capture' in part && !part.capture.startsWith('_') ? [part.capture] : [],
  );
}

/**
 * What this event says the instance is about, as the step names it: the first of
 * the step's templates that matches binds its captures; a marker brings its own.
 * Names starting with `_` (pagination cursors) are the step's business only.
 */
export function stepCaptures(step: CompiledStep, ev: FlowEvent): Map<string, string> {
  const segs = ev.segments;
  let found = new Map<string, string>();
  if (ev.type === 'marker') {
    const renamed: Readonly<Record<string, string | undefined>> | undefined = step.def.match.captureAs;
    found = new Map(renamed ? [...ev.captures].map(([name, v]) => [renamed[name] ?? name, v]) : ev.captures);
  } else if (segs !== null) {
    const t = step.templates.find((x) => templateMatches(x, segs, ev.query));
    if (t) found = templateCaptures(t, segs, ev.query);
  }
  for (const name of [...found.keys()]) if (name.startsWith('_')) found.delete(name);
  return found;
}

export interface CompiledStep {
  def: Step;
  templates: PathTemplate[];
  service: string | null;
  /** Position in the flow's allSteps: the replay's per-instance tables are indexed by it. */
  index: number;
}

export interface PathStep {
  step: CompiledStep;
  min: 0 | 1;
  many: boolean;
  /**
   * Which volume of an `each` group the step is for: 1 for the first (and for steps outside
   * a group), 2… for the next. An instance is replayed with as many copies as its events name
   * volumes (`pathsFor`).
   */
  copy: number;
  /** Which `each` group the step is in (0: none): a group's copies are matched to volumes by what they name. */
  group: number;
}

export interface CompiledVariant {
  def: Variant;
  paths: PathStep[][];
  steps: CompiledStep[];
}

export interface CompiledFlow {
  def: Flow;
  family: string;
  file: string;
  variants: CompiledVariant[];
  /** Every step of every variant, for recognising events. */
  allSteps: CompiledStep[];
  /** The steps of allSteps marked as anchors, in that order. */
  anchors: CompiledStep[];
  /** The steps of allSteps inside an `each` group (their captures count an instance's volumes). */
  eachSteps: CompiledStep[];
}

export const MAX_PATHS_PER_VARIANT = 512;

function isChoice(n: Node): n is Choice {
  return 'oneOf' in n;
}

function isEach(n: Node): n is Each {
  return 'each' in n;
}

/**
 * An `each` group unrolled: per route through its steps, the route once per volume, up to
 * MAX_EACH; `pathsFor` keeps as many copies as an instance has volumes. A route is kept for all
 * the volumes of one operation: one server's volumes are attached the same way.
 */
function unrollEach(node: Each, compiled: Map<Step, CompiledStep>, inEach: Set<CompiledStep>): PathStep[][] {
  const group = ++groups.count;
  const routes = expand(node.steps, compiled, inEach).map((route) => route.map((ps) => ({ ...ps, group })));
  for (const route of routes) for (const ps of route) inEach.add(ps.step);
  const out = routes.map((route) => {
    const copies = [...route];
    for (let copy = 2; copy <= MAX_EACH; copy++) copies.push(...route.map((ps) => ({ ...ps, copy })));
    return copies;
  });
  if (node.optional) out.push([]);
  return out;
}

/** Numbers the `each` groups of the flow being compiled. */
const groups = { count: 0 };

/** A variant's paths for an instance with `copies` volumes (the later copies of each group dropped). */
export function pathsFor(variant: CompiledVariant, copies: number): PathStep[][] {
  if (copies >= MAX_EACH || !variant.paths.some((p) => p.some((ps) => ps.copy > 1))) return variant.paths;
  let cache = trimmed.get(variant);
  if (!cache) {
    cache = new Map();
    trimmed.set(variant, cache);
  }
  let paths = cache.get(copies);
  if (!paths) {
    paths = variant.paths.map((p) => p.filter((ps) => ps.copy <= copies));
    cache.set(copies, paths);
  }
  return paths;
}
const trimmed = new WeakMap<CompiledVariant, Map<number, PathStep[][]>>();

/** Compile one step; templates are validated at load time, so a bad one here is skipped. */
function compileStep(def: Step, index: number): CompiledStep {
  const paths = def.match.path === undefined ? [] : Array.isArray(def.match.path) ? def.match.path : [def.match.path];
  const templates = paths.map(parseTemplate).filter((t): t is PathTemplate => typeof t !== 'string');
  return { def, templates, service: normalizeService(def.match.service), index };
}

/** Expand a node list into linear paths. */
function expand(nodes: Node[], compiled: Map<Step, CompiledStep>, inEach: Set<CompiledStep>): PathStep[][] {
  let paths: PathStep[][] = [[]];
  for (const node of nodes) {
    if (isChoice(node) || isEach(node)) {
      const branches = isEach(node)
        ? unrollEach(node, compiled, inEach)
        : node.oneOf.flatMap((b) => expand(b, compiled, inEach));
      if (isChoice(node) && node.optional) branches.push([]);
      const next: PathStep[][] = [];
      for (const p of paths) for (const b of branches) next.push([...p, ...b]);
      paths = next;
    } else {
      let c = compiled.get(node);
      if (!c) {
        c = compileStep(node, compiled.size);
        compiled.set(node, c);
      }
      const ps: PathStep = { step: c, min: node.optional ? 0 : 1, many: node.repeat === true, copy: 1, group: 0 };
      paths = paths.map((p) => [...p, ps]);
    }
    if (paths.length > MAX_PATHS_PER_VARIANT) return paths.slice(0, MAX_PATHS_PER_VARIANT + 1);
  }
  return paths;
}

export function compileFlow(def: Flow, family: string, file: string): CompiledFlow {
  const compiled = new Map<Step, CompiledStep>();
  const inEach = new Set<CompiledStep>();
  const variants = def.variants.map((v) => {
    const paths = expand(v.steps, compiled, inEach);
    const steps = [...new Set(paths.flat().map((p) => p.step))];
    return { def: v, paths, steps };
  });
  const allSteps = [...compiled.values()];
  return {
    def,
    family,
    file,
    variants,
    allSteps,
    anchors: allSteps.filter((s) => s.def.anchor),
    eachSteps: allSteps.filter((s) => inEach.has(s)),
  };
}

/**
 * Does this step recognise this event (status is not part of recognition: a 500 is a failed step, not a stranger)?
 * strict: an action step needs the action to be known (used to start instances).
 * The replay asks each (step, event) pair once per instance and keeps the answers (see replay.ts).
 */
export function recognizes(step: CompiledStep, ev: FlowEvent, strict = false): boolean {
  const m = step.def.match;
  if (step.def.observer !== ev.observer) return false;
  if (m.marker !== undefined || m.message !== undefined) {
    if (ev.type !== 'marker') return false;
    if (m.marker !== undefined && ev.marker !== m.marker) return false;
    if (m.message !== undefined && !(ev.message ?? '').includes(m.message)) return false;
    return true;
  }
  if (ev.type !== 'exchange') return false;
  if (step.service !== null && ev.service !== step.service) return false;
  if (m.method !== undefined && ev.method !== m.method) return false;
  if (m.kind !== undefined && (m.kind === 'auth') !== (ev.kind === 'auth')) return false;
  // A producer that cannot see bodies leaves action undefined: then any action step may take the call,
  // and order and status decide (degraded, but better than recognising nothing).
  if (m.action !== undefined && (strict || ev.action !== undefined) && ev.action !== m.action) return false;
  if (step.templates.length > 0) {
    const segs = ev.segments;
    if (segs === null) return false;
    if (!step.templates.some((t) => templateMatches(t, segs, ev.query))) return false;
  }
  return true;
}

/** Compare microversions numerically: 2.9 < 2.60 < 2.101. */
export function compareVersion(a: string, b: string): number {
  const [am, an] = parseVersion(a);
  const [bm, bn] = parseVersion(b);
  return am !== bm ? am - bm : an - bn;
}

// A run carries a handful of microversions, compared for every step with statusFrom: each is parsed once.
const parsedVersions = new Map<string, readonly [major: number, minor: number]>();

function parseVersion(v: string): readonly [major: number, minor: number] {
  let parsed = parsedVersions.get(v);
  if (parsed === undefined) {
    const [major = 0, minor = 0] = v.split('.').map(Number);
    parsed = [major, minor];
    if (parsedVersions.size >= 1024) parsedVersions.clear();
    parsedVersions.set(v, parsed);
  }
  return parsed;
}

/** The statuses this step expects for this event (null: any status is fine). */
export function expectedStatuses(step: Step, ev: FlowEvent): number[] | null {
  let statuses = step.status ?? null;
  if (step.statusFrom && ev.microversion) {
    for (const s of step.statusFrom) if (compareVersion(ev.microversion, s.min) >= 0) statuses = s.status;
  }
  return statuses;
}

export function statusOk(step: Step, ev: FlowEvent): boolean {
  if (step.rollback || step.failure) return false;
  if (ev.type !== 'exchange') return true;
  const expected = expectedStatuses(step, ev);
  if (expected === null) return ev.status === null || ev.status < 400;
  return ev.status !== null && expected.includes(ev.status);
}

/** How an operator recognises the step: `POST /volumes/{volume}/action os-reserve on cinder-api`. */
export function describeStep(step: Step): string {
  const m = step.match;
  if (m.marker !== undefined || m.message !== undefined) {
    return `${step.observer} log line ${m.message !== undefined ? `"${m.message}"` : `marker ${m.marker}`}`;
  }
  const path = m.path === undefined ? '' : Array.isArray(m.path) ? m.path.join(' or ') : m.path;
  const what =
    m.kind === 'auth'
      ? 'token request'
      : [m.method, path, m.action ? `{"${m.action}": …}` : ''].filter(Boolean).join(' ');
  return `${what} ${step.observer === 'client' ? 'from the client' : `on ${step.observer}`}`;
}
