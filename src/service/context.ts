// The context bracket of an oslo.log line, `[global local identity…]`, in its
// shapes (reference §B2, §B5): `[None req-A u p - - default default]` (oslo.log ≥
// 4.8: global id first, `None` when absent), `[req-A u p …]` (before 4.8),
// `[req-G req-L …]`, `[-]` (no context), devstack `[None req-A demo demo]`
// (project and user *names*). A custom format's bracket is tried first.
import {
  BUILTIN_TEMPLATES,
  bracketTemplate,
  compileTemplate,
  matchBracket,
  type TemplatePart,
  type TemplateValues,
} from './template.js';
import { uuidAt } from '../core/uuid.js';

export interface ServiceContext {
  globalRequestId: string | null;
  requestId: string | null;
  user: string | null;
  project: string | null;
  /** Which bracket layout matched: a built-in template name, `custom`, `none` (`[-]`), or `unknown`. */
  layout: string;
}

/** `req-` and a lowercase UUID, nothing more: checked per character (it runs for every word of every bracket). */
export const isRequestId = (s: string | undefined): s is string =>
  s !== undefined && s.length === 40 && s.startsWith('req-') && uuidAt(s, 4);

const nullable = (s: string | undefined): string | null =>
  s === undefined || s === '' || s === '-' || s === 'None' ? null : s;

interface BracketLayout {
  name: string;
  parts: TemplatePart[];
  accept(v: TemplateValues): boolean;
}

function layoutOf(name: string, accept: (v: TemplateValues) => boolean): BracketLayout {
  const t = bracketTemplate(compileTemplate(BUILTIN_TEMPLATES[name]!))!;
  return { name, parts: t.parts, accept };
}

/** `s.trim().split(/\s+/)` without the empty words, in one pass (it runs for most brackets). */
function words(s: string | undefined): string[] {
  const out: string[] = [];
  if (s === undefined) return out;
  let start = -1;
  for (let i = 0; i <= s.length; i++) {
    if (i < s.length && !isWhiteSpace(s.charCodeAt(i))) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      out.push(s.slice(start, i));
      start = -1;
    }
  }
  return out;
}

/** What `\s` matches: JavaScript's white space and line terminators. */
function isWhiteSpace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}
const globalOk = (v: TemplateValues) => v.global_request_id === 'None' || isRequestId(v.global_request_id);

const BUILTIN_LAYOUTS: BracketLayout[] = [
  // user_identity has five or six words (user project domain [system_scope] user_domain project_domain)
  // (the request id first: in brackets before 4.8 the second word is no id, and that tells at once)
  layoutOf('oslo-context', (v) => isRequestId(v.request_id) && globalOk(v) && words(v.user_identity).length >= 3),
  layoutOf('devstack-context', (v) => isRequestId(v.request_id) && globalOk(v) && !(v.user_name ?? '').includes(' ')),
  layoutOf('oslo-context-pre-4.8', (v) => isRequestId(v.request_id)),
];

function toContext(v: TemplateValues, layout: string): ServiceContext {
  let user = nullable(v.user_name ?? v.user);
  let project = nullable(v.project_name ?? v.project ?? v.tenant);
  if (v.user_identity !== undefined) {
    const w = words(v.user_identity);
    user = nullable(w[0]);
    project = nullable(w[1]);
  }
  return {
    globalRequestId: isRequestId(v.global_request_id) ? v.global_request_id : null,
    requestId: isRequestId(v.request_id) ? v.request_id : null,
    user,
    project,
    layout,
  };
}

/**
 * The latest distinct brackets remembered: a request's lines repeat its bracket a few lines
 * apart. Few, so the log lines the keys are slices of stay few.
 */
const MAX_CACHED_CONTEXTS = 256;

export class ContextParser {
  /** Custom layouts first, then the built-in ones. */
  private readonly layouts: BracketLayout[];
  /** Bracket text → its context (contexts are never changed once made, so one serves every line alike). */
  private readonly cache = new Map<string, ServiceContext>();

  constructor(customTemplates: readonly string[] = []) {
    const custom: BracketLayout[] = [];
    for (const src of customTemplates) {
      const t = bracketTemplate(compileTemplate(src));
      if (t) custom.push({ name: 'custom', parts: t.parts, accept: (v) => isRequestId(v.request_id) });
    }
    this.layouts = [...custom, ...BUILTIN_LAYOUTS];
  }

  /** Parse the raw bracket text (without the brackets). */
  parse(raw: string): ServiceContext {
    const known = this.cache.get(raw);
    if (known !== undefined) return known;
    const parsed = this.parseUncached(raw);
    if (this.cache.size >= MAX_CACHED_CONTEXTS) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(raw, parsed);
    return parsed;
  }

  private parseUncached(raw: string): ServiceContext {
    const text = raw.trim();
    if (text === '-' || text === '')
      return { globalRequestId: null, requestId: null, user: null, project: null, layout: 'none' };
    for (const layout of this.layouts) {
      const v = matchBracket(layout.parts, text);
      if (v && layout.accept(v)) return toContext(v, layout.name);
    }
    // Unknown layout: still find the ids, which are what chains need.
    const ids = words(text).filter((w) => isRequestId(w));
    if (ids.length >= 2)
      return { globalRequestId: ids[0]!, requestId: ids[1]!, user: null, project: null, layout: 'unknown' };
    if (ids.length === 1)
      return { globalRequestId: null, requestId: ids[0]!, user: null, project: null, layout: 'unknown' };
    return { globalRequestId: null, requestId: null, user: null, project: null, layout: 'unknown' };
  }
}

/** Values a whole-line custom template gave, as a context. */
export function contextFromValues(v: TemplateValues): ServiceContext {
  return toContext(v, 'custom');
}
