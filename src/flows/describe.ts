// `ostrace flows`: the flow models as an operator reads them — per flow its
// variants (with their microversion guards) and steps (where observed, what
// call or log line, expected status, state change), alternatives indented.
import { isAbsolute, relative } from 'node:path';
import type { CompiledFlow } from './compile.js';
import type { Node, Step, Variant } from './grammar-schema.js';

/** `?` may be absent, `+` may repeat, `*` both. */
function repeatMark(step: Step): string {
  return step.optional ? (step.repeat ? '*' : '?') : step.repeat ? '+' : '';
}

/** What the step waits for: `POST /volumes/{volume}/action {"os-reserve": …}` or `log: marker nova.attach.start`. */
export function stepMatchText(step: Step): string {
  const m = step.match;
  if (m.marker !== undefined || m.message !== undefined) {
    return [m.marker !== undefined ? `log: ${m.marker}` : '', m.message !== undefined ? `log: "${m.message}"` : '']
      .filter(Boolean)
      .join(' ');
  }
  if (m.kind === 'auth') return `${m.service ?? ''} token request`.trim();
  const path = m.path === undefined ? '' : Array.isArray(m.path) ? m.path.join(' | ') : m.path;
  return [
    m.service && step.observer === 'client' ? `${m.service}:` : '',
    m.method ?? '',
    path,
    m.action ? `{"${m.action}": …}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

function statusText(step: Step): string {
  const parts: string[] = [];
  if (step.status) parts.push(`→ ${step.status.join('|')}`);
  for (const s of step.statusFrom ?? []) parts.push(`(${s.status.join('|')} from ${s.min})`);
  return parts.join(' ');
}

function flagsText(step: Step): string {
  const flags = [step.anchor ? 'anchor' : '', step.rollback ? 'rollback' : '', step.failure ? 'failure' : ''].filter(
    Boolean,
  );
  const tr = step.transition
    ? `${step.transition.resource} ${step.transition.from.join('/')} → ${step.transition.to}`
    : '';
  return [flags.length ? `[${flags.join(', ')}]` : '', tr].filter(Boolean).join('  ');
}

interface Row {
  indent: string;
  name: string;
  observer: string;
  what: string;
  status: string;
  flags: string;
}

function rowsOf(nodes: Node[], indent: string, out: Array<Row | string>): void {
  for (const node of nodes) {
    if ('oneOf' in node) {
      out.push(`${indent}one of${node.optional ? ' (or none)' : ''}:`);
      node.oneOf.forEach((branch, i) => {
        out.push(`${indent}  ${String.fromCharCode(97 + i)})`);
        rowsOf(branch, `${indent}    `, out);
      });
      continue;
    }
    if ('each' in node) {
      out.push(`${indent}for each ${node.each}${node.optional ? ' (if any)' : ''}:`);
      rowsOf(node.steps, `${indent}  `, out);
      continue;
    }
    out.push({
      indent,
      name: `${node.step}${repeatMark(node)}`,
      observer: node.observer,
      what: stepMatchText(node),
      status: statusText(node),
      flags: flagsText(node),
    });
  }
}

function guardText(v: Variant): string {
  const when = (v.when ?? []).map((g) =>
    [g.service, g.min !== undefined ? `>= ${g.min}` : '', g.max !== undefined ? `<= ${g.max}` : '']
      .filter(Boolean)
      .join(' '),
  );
  return when.length ? `  [when ${when.join(', ')}]` : '';
}

/** Files under the working directory are shown relative to it. */
function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

/** The readable listing of `ostrace flows`. */
export function describeFlows(flows: readonly CompiledFlow[]): string {
  const out: string[] = [];
  for (const flow of flows) {
    const d = flow.def;
    const scope =
      d.scope === 'command'
        ? `command: ${(d.trigger?.command ?? []).join(', ')}`
        : 'service side, one instance per global request id';
    out.push(`${d.id} — ${d.title} (${scope})`);
    out.push(`  file: ${displayPath(flow.file)}`);
    if (d.description) out.push(`  ${d.description}`);
    for (const v of d.variants) {
      out.push(`  variant ${v.id}: ${v.title}${guardText(v)}`);
      const rows: Array<Row | string> = [];
      rowsOf(v.steps, '    ', rows);
      const cells = rows.filter((r): r is Row => typeof r !== 'string');
      const w = (f: (r: Row) => string) => Math.max(0, ...cells.map(f).map((s) => s.length));
      const nameW = w((r) => r.indent + r.name);
      const obsW = w((r) => r.observer);
      const whatW = w((r) => r.what);
      const stW = w((r) => r.status);
      for (const r of rows) {
        if (typeof r === 'string') {
          out.push(r);
          continue;
        }
        out.push(
          `${(r.indent + r.name).padEnd(nameW)}  ${r.observer.padEnd(obsW)}  ${r.what.padEnd(whatW)}  ${r.status.padEnd(stW)}  ${r.flags}`.trimEnd(),
        );
      }
    }
    out.push('');
  }
  out.push('Steps: ? may be absent, + may repeat, * both; one of: the replay picks the alternative that fits.');
  return `${out.join('\n')}\n`;
}

/** `ostrace flows --format json`: each flow's definition as loaded, with where it came from. */
export function flowsJson(flows: readonly CompiledFlow[]): unknown[] {
  return flows.map((f) => ({
    id: f.def.id,
    title: f.def.title,
    scope: f.def.scope,
    trigger: f.def.trigger?.command ?? [],
    family: f.family,
    file: f.file,
    description: f.def.description ?? null,
    variants: f.def.variants,
  }));
}
