// `ostrace lint [FILE…]`: run the rules over logs, print findings, exit 0/1/2 for CI.
// In text format a finding is printed as soon as it is certain (a line rule on its
// line, an exchange rule when the command ends); other formats render at the end.
import { writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { readConfigFile, parseRuleFlag, resolveConfig, type LintConfig } from '../../config/load.js';
import { atLeast, createLintSession } from '../../engine/index.js';
import { findingsMarkdown } from '../../engine/markdown-table.js';
import type { LineSource } from '../../input/read.js';
import type { Finding, RunResult, Severity } from '../../model/schema.js';
import { runPipeline } from '../../pipeline.js';
import { reporters } from '../../report/index.js';
import { makeStyle, wantColor, type Style } from '../../report/style.js';
import { allRules } from '../../rules/index.js';
import { maskText } from '../../secrets/mask.js';
import { UsageError } from '../../core/errors.js';
import { parseYearOption } from '../../core/time.js';
import type { AnalyzeOptions } from '../../analyze.js';
import type { CliIo } from '../io.js';
import { openSources, yearOptions } from './analyze.js';

export const LINT_FORMATS = ['text', 'json', 'sarif', 'junit', 'github', 'markdown'] as const;

export interface LintCliOptions {
  format: string;
  output?: string;
  config?: string;
  rule: string[];
  failOn?: Severity;
  listRules?: boolean;
  color?: boolean;
  showSecrets?: boolean;
  year?: number;
}

/** Options shared by `lint` and `run --lint`. */
export function addLintOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', 'output format').choices([...LINT_FORMATS]).default('text'))
    .option('--config <file>', 'configuration file (default: ./ostrace.config.json when present)')
    .option(
      '--rule <id=severity>',
      "set a rule's severity: off, info, warning, error (repeatable)",
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .addOption(
      new Option('--fail-on <severity>', 'lowest severity that makes the exit code 1 (default: error)').choices([
        'error',
        'warning',
        'info',
      ]),
    )
    .option('--show-secrets', 'print tokens and passwords in clear (never do this in CI)');
}

export async function lintConfigFrom(
  opts: Pick<LintCliOptions, 'config' | 'rule' | 'failOn'>,
  cwd = process.cwd(),
): Promise<LintConfig> {
  const file = await readConfigFile(opts.config, cwd);
  return resolveConfig(allRules(), file, (opts.rule ?? []).map(parseRuleFlag), opts.failOn);
}

export function formatFindingLine(f: Finding, s: Style, showSecrets: boolean): string {
  const where = `${f.source ?? '<run>'}${f.line !== null ? `:${f.line}` : ''}`;
  const sev = f.severity === 'error' ? s.red(f.severity) : f.severity === 'warning' ? s.yellow(f.severity) : f.severity;
  // One finding, one line: messages adopted from other stages may hold newlines.
  const message = (showSecrets ? f.message : maskText(f.message)).replace(/\r?\n/g, ' ⏎ ');
  return `${where}  ${sev}  ${message}  ${s.dim(f.ruleId)}`;
}

export function summaryLine(findings: readonly Finding[]): string {
  const n = { error: 0, warning: 0, info: 0 };
  for (const f of findings) n[f.severity]++;
  const plural = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
  return `${plural(n.error, 'error')}, ${plural(n.warning, 'warning')}, ${n.info} info`;
}

export interface LintRun {
  result: RunResult;
  exitCode: 0 | 1;
}

/**
 * Lint `sources`, writing text findings to `out` as they come (when `stream` is set)
 * and returning the finished result with the exit code (0, or 1 when a finding is at or above failOn).
 */
export async function lintSources(
  sources: LineSource[],
  config: LintConfig,
  stream: ((f: Finding) => void) | null,
  analyze: Pick<AnalyzeOptions, 'year' | 'onWarning'> = {},
): Promise<LintRun> {
  const session = createLintSession(config, stream ?? undefined);
  const analysis = await runPipeline(sources, { ...session.hooks(), lint: session, ...analyze });
  const failed = analysis.result.findings.some((f) => atLeast(f.severity, config.failOn));
  return { result: analysis.result, exitCode: failed ? 1 : 0 };
}

/** Render findings in a non-text format. */
export function renderLint(result: RunResult, format: string, showSecrets: boolean): string {
  const ctx = { color: false, showSecrets, details: new Map() };
  if (format === 'markdown')
    return reporters.markdown ? reporters.markdown.render(result, ctx) : findingsMarkdown(result, showSecrets);
  const reporter = reporters[format];
  if (!reporter) throw new UsageError(`unknown format: ${format}`);
  return reporter.render(result, ctx);
}

export function registerLint(program: Command, io: CliIo): void {
  const cmd = program
    .command('lint')
    .description(
      'check logs against the rules (CI): exit 0 clean, 1 findings at or above --fail-on, 2 usage/config/input error',
    )
    .argument('[files...]', 'log files (gzip is detected); none or "-" reads standard input')
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .option('--list-rules', 'list the rules with their default severity and exit')
    .option('--color', 'force colour in the text output')
    .option('--no-color', 'never use colour')
    .option(
      '--year <yyyy>',
      'the year of timestamps that have none (journald); default: from the input',
      parseYearOption,
    );
  addLintOptions(cmd).action(async (files: string[], opts: LintCliOptions) => {
    if (opts.listRules) {
      for (const r of allRules())
        io.stdout.write(`${r.meta.id.padEnd(34)} ${r.meta.defaultSeverity.padEnd(8)} ${r.meta.description}\n`);
      io.exitCode = 0;
      return;
    }
    const config = await lintConfigFrom(opts);
    const sources = await openSources(files, io);
    const showSecrets = opts.showSecrets === true;
    if (opts.format === 'text') {
      const style = makeStyle(opts.output ? false : wantColor(opts.color, io.stdout));
      const printed = new Set<Finding>();
      const lines: string[] = [];
      const emit = (text: string) => {
        if (opts.output) lines.push(text);
        else io.stdout.write(`${text}\n`);
      };
      const { result, exitCode } = await lintSources(
        sources,
        config,
        (f) => {
          printed.add(f);
          emit(formatFindingLine(f, style, showSecrets));
        },
        yearOptions(opts.year, io),
      );
      for (const f of result.findings) if (!printed.has(f)) emit(formatFindingLine(f, style, showSecrets));
      emit(summaryLine(result.findings));
      if (opts.output) await writeFile(opts.output, `${lines.join('\n')}\n`);
      io.exitCode = exitCode;
      return;
    }
    const { result, exitCode } = await lintSources(sources, config, null, yearOptions(opts.year, io));
    const text = renderLint(result, opts.format, showSecrets);
    if (opts.output) await writeFile(opts.output, text);
    else io.stdout.write(text);
    io.exitCode = exitCode;
  });
}
