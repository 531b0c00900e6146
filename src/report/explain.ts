// The explanations as text, markdown and JSON: what `ostrace explain` prints and what
// the text, markdown and HTML reports of `analyze` open with.
import type { Explanation } from '../model/explain-schema.js';
import type { RunResult } from '../model/schema.js';
import type { Rows } from '../rows/rows.js';
import { maskText } from '../secrets/mask.js';
import {
  apartSections,
  outsideLines,
  startUnseenLines,
  unconfirmedLines,
  unendedLines,
  verdictHeading,
  verdictMarkdown,
  type Verdict,
} from './markdown.js';
import { makeStyle, type Style } from './style.js';
import type { ReportContext, Reporter } from './types.js';

const WIDTH = 100;

export function explanationsOf(run: RunResult): Rows<Explanation> {
  return run.explanations ?? [];
}

const heading = verdictHeading;

/** Greedy word wrap; a word longer than the width stays whole. */
export function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(indent + line);
  return lines;
}

/**
 * The verdict as text lines: a heading, then per problem its title and its paragraph, then the
 * stories told apart (not followed, recovered) and the accepted ones the log cannot confirm.
 */
export function explanationTextLines(verdict: Verdict, s: Style, clean: (t: string) => string): string[] {
  const list = verdict.explanations ?? [];
  const head = heading(verdict);
  const out = [s.bold('Verdict'), `  ${list.length === 0 ? s.green(head) : head}`];
  list.forEach((x, i) => {
    const title = `${i + 1}. ${clean(x.title)}`;
    out.push('', `  ${x.severity === 'error' ? s.red(title) : s.yellow(title)}`);
    out.push(...wrap(clean(x.text), WIDTH, '     '));
  });
  for (const section of apartSections(verdict)) {
    out.push('', ...wrap(section.head, WIDTH, '  '));
    for (const x of section.list) {
      out.push('', `   - ${clean(x.title)}`);
      out.push(...wrap(clean(x.text), WIDTH, '     '));
    }
  }
  for (const open of [
    unendedLines(verdict.unended ?? []),
    startUnseenLines(verdict.startUnseen ?? []),
    outsideLines(verdict.outsideCommands ?? []),
    unconfirmedLines(verdict.unconfirmed ?? []),
  ]) {
    if (!open) continue;
    out.push('', ...wrap(clean(open.head), WIDTH, '  '));
    for (const item of open.items)
      out.push(...wrap(clean(item), WIDTH, '     ').map((l, i) => (i === 0 ? `   - ${l.trimStart()}` : l)));
  }
  return out;
}

const cleanFor = (ctx: Pick<ReportContext, 'showSecrets'>) => (t: string) =>
  (ctx.showSecrets ? t : maskText(t)).replace(/[\x00-\x1f\x7f]/g, ' ');

/** `ostrace explain --format …`: the explanations only. */
export const explainReporters: Record<string, Reporter> = {
  text: {
    id: 'text',
    description: 'One paragraph per problem',
    render(run, ctx) {
      return `${explanationTextLines(run, makeStyle(ctx.color), cleanFor(ctx)).join('\n')}\n`;
    },
  },
  markdown: {
    id: 'markdown',
    description: 'The paragraphs as markdown',
    render(run, ctx) {
      return `${verdictMarkdown(run, cleanFor(ctx))}\n`;
    },
  },
  json: {
    id: 'json',
    description: 'The explanations as JSON (the `explanations` of `analyze --format json`)',
    render(run) {
      const list = explanationsOf(run);
      const notFollowed = run.notFollowed ?? [];
      const recovered = run.recovered ?? [];
      const unconfirmed = run.unconfirmed ?? [];
      const outsideCommands = run.outsideCommands ?? [];
      const unended = run.unended ?? [];
      const startUnseen = run.startUnseen ?? [];
      const verdict = heading(run);
      return `${JSON.stringify({ problems: list.length, verdict, explanations: list, ...(notFollowed.length > 0 ? { notFollowed } : {}), ...(recovered.length > 0 ? { recovered } : {}), ...(unconfirmed.length > 0 ? { unconfirmed } : {}), ...(unended.length > 0 ? { unended } : {}), ...(startUnseen.length > 0 ? { startUnseen } : {}), ...(outsideCommands.length > 0 ? { outsideCommands } : {}) }, null, 2)}\n`;
    },
  },
};

export const explainFormats = Object.keys(explainReporters);
