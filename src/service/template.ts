// oslo.log format strings (`logging_context_format_string`) as line parsers.
// Operators change them, so a format can be given on the command line
// (`--format-template`); the nova/cinder defaults and devstack's are built in.
// A template compiles to literals and fields; matching scans forward once (each
// field ends at the next occurrence of the literal after it), so it cannot
// backtrack on long lines.

export interface TemplateField {
  name: string;
  conversion: string;
}
export type TemplatePart = { literal: string } | { field: TemplateField };

export interface CompiledTemplate {
  source: string;
  parts: TemplatePart[];
}

/** Values a template can fill in, by oslo.log field name. */
export type TemplateValues = Record<string, string>;

/** oslo.log defaults and devstack (reference §B1, §B5; devstack's ANSI codes removed). */
export const BUILTIN_TEMPLATES: Record<string, string> = {
  'oslo-context':
    '%(asctime)s.%(msecs)03d %(process)d %(levelname)s %(name)s [%(global_request_id)s %(request_id)s %(user_identity)s] %(instance)s%(message)s',
  'oslo-context-pre-4.8':
    '%(asctime)s.%(msecs)03d %(process)d %(levelname)s %(name)s [%(request_id)s %(user_identity)s] %(instance)s%(message)s',
  'oslo-default': '%(asctime)s.%(msecs)03d %(process)d %(levelname)s %(name)s [-] %(instance)s%(message)s',
  'devstack-context':
    '%(color)s%(levelname)s %(name)s [%(global_request_id)s %(request_id)s %(project_name)s %(user_name)s%(color)s] %(instance)s%(color)s%(message)s',
  'devstack-default': '%(color)s%(levelname)s %(name)s [-%(color)s] %(instance)s%(color)s%(message)s',
};

/** Parse `%(name)s`-style format text. Throws on a malformed `%(`. */
export function compileTemplate(source: string): CompiledTemplate {
  const parts: TemplatePart[] = [];
  let literal = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '%' && source[i + 1] === '%') {
      literal += '%';
      i += 2;
      continue;
    }
    if (c === '%' && source[i + 1] === '(') {
      const close = source.indexOf(')', i + 2);
      if (close < 0) throw new Error(`format template: unclosed %( at ${i}`);
      const name = source.slice(i + 2, close);
      // conversion: flags/width/precision then one letter (`03d`, `.6f`, `s`)
      let j = close + 1;
      while (j < source.length && /[-#0-9. +]/.test(source[j]!)) j++;
      if (j >= source.length || !/[a-zA-Z]/.test(source[j]!))
        throw new Error(`format template: bad conversion after %(${name})`);
      if (literal) {
        parts.push({ literal });
        literal = '';
      }
      parts.push({ field: { name, conversion: source.slice(close + 1, j + 1) } });
      i = j + 1;
      continue;
    }
    literal += c;
    i++;
  }
  if (literal) parts.push({ literal });
  if (!parts.some((p) => 'field' in p && p.field.name === 'message'))
    throw new Error('format template: no %(message)s field');
  return { source, parts };
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** Characters a field may take when no literal bounds it. */
function scanBoundless(name: string, text: string, i: number): number {
  switch (name) {
    case 'color':
      return i; // empty once ANSI codes are stripped
    case 'instance': {
      if (!text.startsWith('[instance: ', i)) return i;
      const close = text.indexOf('] ', i);
      return close < 0 ? i : close + 2;
    }
    case 'asctime': {
      // the default date format `%Y-%m-%d %H:%M:%S`
      return text.length >= i + 19 && isDigit(text.charCodeAt(i)) && text.charCodeAt(i + 4) === 45 ? i + 19 : -1;
    }
    case 'msecs':
    case 'process':
    case 'lineno':
    case 'thread': {
      let j = i;
      while (j < text.length && isDigit(text.charCodeAt(j))) j++;
      return j > i ? j : -1;
    }
    default: {
      let j = i;
      while (j < text.length && text.charCodeAt(j) !== 32) j++;
      return j;
    }
  }
}

/**
 * Match one line against a template. Returns the field values (message = the
 * rest of the line) or null when the line does not have the template's shape.
 */
export function matchTemplate(t: CompiledTemplate, text: string): TemplateValues | null {
  const values: TemplateValues = {};
  let i = 0;
  const parts = t.parts;
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k]!;
    if ('literal' in part) {
      if (!text.startsWith(part.literal, i)) return null;
      i += part.literal.length;
      continue;
    }
    const { name } = part.field;
    if (name === 'message') {
      if (k === parts.length - 1) {
        values.message = text.slice(i);
        return values;
      }
      // the message runs to the end, minus a trailing literal if the template has one
      const tail = parts.slice(k + 1);
      const tailLiteral = tail.map((p) => ('literal' in p ? p.literal : '')).join('');
      if (tail.some((p) => 'field' in p && p.field.name !== 'color')) {
        // fields after the message (debug suffixes): cut at the last occurrence of the next literal
        const next = tail.find((p): p is { literal: string } => 'literal' in p);
        const at = next ? text.lastIndexOf(next.literal) : -1;
        values.message = at >= i ? text.slice(i, at) : text.slice(i);
        return values;
      }
      if (tailLiteral && !text.endsWith(tailLiteral)) return null;
      values.message = text.slice(i, text.length - tailLiteral.length);
      return values;
    }
    i = matchField(parts, k, text, i, values);
    if (i < 0) return null;
  }
  return i === text.length ? values : null;
}

/** The field `parts[k]` read from `i` into `values`: where it ends, or -1. */
function matchField(parts: TemplatePart[], k: number, text: string, i: number, values: TemplateValues): number {
  const name = (parts[k] as { field: TemplateField }).field.name;
  const next = parts[k + 1];
  let end: number;
  if (next && 'literal' in next && name !== 'instance' && name !== 'color' && name !== 'asctime') {
    end = text.indexOf(next.literal, i);
    if (end < 0) return -1;
  } else {
    end = scanBoundless(name, text, i);
    if (end < 0) return -1;
  }
  values[name] = text.slice(i, end);
  return end;
}

/** Only the bracket part of a context format, e.g. `%(global_request_id)s %(request_id)s %(user_identity)s`. */
export function bracketTemplate(t: CompiledTemplate): CompiledTemplate | null {
  const src = t.source;
  const start = src.indexOf('[%(');
  if (start < 0) return null;
  const end = src.indexOf(']', start);
  if (end < 0) return null;
  const inner = src.slice(start + 1, end);
  if (!inner.includes('request_id')) return null;
  return { source: inner, parts: compileTemplateLoose(inner) };
}

function compileTemplateLoose(source: string): TemplatePart[] {
  try {
    return compileTemplate(`${source}%(message)s`).parts.slice(0, -1);
  } catch {
    return [];
  }
}

interface BracketShape {
  /** The last field (what is left over goes to it), or null. */
  lastField: string | null;
  /** A message field inside the bracket (no built-in one has it): read as a whole template. */
  withMessage: CompiledTemplate | null;
}
/** Found once per bracket layout, not per line. */
const bracketShapes = new WeakMap<TemplatePart[], BracketShape>();

function bracketShape(parts: TemplatePart[]): BracketShape {
  let shape = bracketShapes.get(parts);
  if (shape === undefined) {
    const last = [...parts]
      .reverse()
      .find((p): p is { field: TemplateField } => 'field' in p && p.field.name !== 'color');
    const hasMessage = parts.some((p) => 'field' in p && p.field.name === 'message');
    shape = {
      lastField: last?.field.name ?? null,
      withMessage: hasMessage
        ? { source: '', parts: [...parts, { field: { name: 'message', conversion: 's' } }] }
        : null,
    };
    bracketShapes.set(parts, shape);
  }
  return shape;
}

/** Match a bracket template against the raw bracket text (fields only; no message). */
export function matchBracket(parts: TemplatePart[], text: string): TemplateValues | null {
  const { lastField, withMessage } = bracketShape(parts);
  let values: TemplateValues | null;
  let rest: string;
  if (withMessage) {
    values = matchTemplate(withMessage, text);
    if (!values) return null;
    rest = values.message ?? '';
    delete values.message;
  } else {
    values = {};
    let i = 0;
    for (let k = 0; k < parts.length && i >= 0; k++) {
      const part = parts[k]!;
      if (!('literal' in part)) i = matchField(parts, k, text, i, values);
      else if (text.startsWith(part.literal, i)) i += part.literal.length;
      else i = -1;
    }
    if (i < 0) return null;
    rest = text.slice(i);
  }
  // whatever is left over belongs to the last field (user_identity has spaces)
  if (rest && lastField !== null) values[lastField] = `${values[lastField] ?? ''}${rest}`;
  return values;
}
