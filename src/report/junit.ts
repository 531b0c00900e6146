// `--format junit`: one testsuite per input, one testcase per command (plus one for
// findings outside any command), one <failure> per finding. Findings without an
// input go to a suite named `ostrace`.
import type { Finding, RunResult } from '../model/schema.js';
import { maskText } from '../secrets/mask.js';
import type { Reporter } from './types.js';
import { shellLine } from '../core/shell-words.js';

/** Escape for XML text and attribute values; drops chars XML 1.0 cannot hold. */
export function xmlEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) continue;
    if (c === 0xfffe || c === 0xffff) continue;
    switch (ch) {
      case '&':
        out += '&amp;';
        break;
      case '<':
        out += '&lt;';
        break;
      case '>':
        out += '&gt;';
        break;
      case '"':
        out += '&quot;';
        break;
      case "'":
        out += '&apos;';
        break;
      case '\n':
        out += '&#10;';
        break;
      case '\r':
        out += '&#13;';
        break;
      default:
        out += ch;
    }
  }
  return out;
}

interface Case {
  name: string;
  classname: string;
  findings: Finding[];
}

export function toJunit(run: RunResult, showSecrets: boolean): string {
  const clean = (t: string) => (showSecrets ? t : maskText(t));
  const suites = new Map<string, Case[]>();
  const outside = new Map<string, Case>();
  for (const input of run.inputs) suites.set(input.name, []);
  const commandCases = new Map<number, Case>();
  for (const c of run.commands) {
    const list = suites.get(c.source) ?? [];
    suites.set(c.source, list);
    const kase: Case = {
      classname: c.source,
      name: `#${c.id} ${clean(c.name ?? shellLine(c.argv)) || 'command'} (line ${c.line})`,
      findings: [],
    };
    list.push(kase);
    commandCases.set(c.id, kase);
  }
  const ofSource = (source: string) => {
    let kase = outside.get(source);
    if (!kase) {
      kase = { classname: source, name: 'outside any command', findings: [] };
      outside.set(source, kase);
      const list = suites.get(source) ?? [];
      suites.set(source, list);
      list.push(kase);
    }
    return kase;
  };
  for (const f of run.findings) {
    const src = f.source ?? 'ostrace';
    const command =
      f.source === null || f.line === null
        ? undefined
        : run.commands.find((c) => c.source === f.source && f.line! >= c.line && f.line! <= c.endLine);
    (command ? commandCases.get(command.id)! : ofSource(src)).findings.push(f);
  }
  // An input with no command and no finding still shows as one passing case.
  for (const [name, list] of suites) if (list.length === 0) list.push({ classname: name, name: 'input', findings: [] });
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const total = [...suites.values()].reduce((n, l) => n + l.length, 0);
  lines.push(`<testsuites name="ostrace lint" tests="${total}" failures="${run.findings.length}">`);
  for (const [name, cases] of suites) {
    const failures = cases.reduce((n, c) => n + c.findings.length, 0);
    lines.push(`  <testsuite name="${xmlEscape(name)}" tests="${cases.length}" failures="${failures}" errors="0">`);
    for (const c of cases) {
      if (c.findings.length === 0) {
        lines.push(`    <testcase classname="${xmlEscape(c.classname)}" name="${xmlEscape(c.name)}"/>`);
        continue;
      }
      lines.push(`    <testcase classname="${xmlEscape(c.classname)}" name="${xmlEscape(c.name)}">`);
      for (const f of c.findings) {
        const text = `${f.source ?? ''}:${f.line ?? ''}  ${f.severity}  ${clean(f.message)}  ${f.ruleId}`;
        lines.push(
          `      <failure type="${xmlEscape(f.ruleId)}" message="${xmlEscape(`${f.severity}: ${clean(f.message)}`)}">${xmlEscape(text)}</failure>`,
        );
      }
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

export const junitReporter: Reporter = {
  id: 'junit',
  description: 'JUnit XML (one testcase per command, one failure per finding)',
  render(run, ctx) {
    return toJunit(run, ctx.showSecrets);
  },
};
