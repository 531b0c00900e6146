// The options of the commands that run the pipeline (analyze, lint, run), defined
// once so each works in all of them, and the one function that turns them into
// PipelineOptions. Values are checked here, before any input is read.
import { Option, type Command } from 'commander';
import { readConfigFile, parseRuleFlag, resolveConfig, type LintConfig } from '../config/load.js';
import type { LintSession } from '../engine/session.js';
import type { Severity } from '../model/schema.js';
import type { PipelineOptions } from '../pipeline.js';
import type { Reporter } from '../report/types.js';
import { parseYearOption } from '../core/time.js';
import { UsageError } from '../core/errors.js';
import { MAX_EXPORT_ITEMS } from '../report/bounded.js';
import { allRules } from '../rules/index.js';
import { collectRepeatable, serviceAnalyzeOptions } from '../service/cli-options.js';

/** What to read and how: the input options. */
export interface InputCliOptions {
  flows?: string[];
  label?: string[];
  formatTemplate?: string[];
  verbose?: boolean;
  year?: number;
  sameClock?: boolean;
}

/** What to write and where: the report options. */
export interface ReportCliOptions {
  format: string;
  output?: string;
  color?: boolean;
  showSecrets?: boolean;
  timestamp?: boolean;
  /** HAR entries / OTLP traces written at most; 0: every one. */
  maxEntries?: number;
}

/** The verdict's configuration (lint, run --lint). */
export interface LintCliOptions {
  config?: string;
  rule?: string[];
  failOn?: Severity;
}

export function addInputOptions(cmd: Command): Command {
  return (
    cmd
      // One directory per --flows: a variadic option would swallow the log files after it.
      .option(
        '--flows <dir>',
        'add the flow models (*.flow.json) of this directory to the built-in ones; repeatable',
        collectRepeatable,
      )
      .option(
        '--label <file=service>',
        'the service that wrote FILE (nova-api, nova-compute, cinder-api, cinder-volume…); repeatable',
        collectRepeatable,
      )
      .option(
        '--format-template <fmt>',
        'a custom oslo.log logging_context_format_string of the service logs; repeatable',
        collectRepeatable,
      )
      .option(
        '--year <yyyy>',
        'the year of timestamps that have none (journald); default: from the input',
        parseYearOption,
      )
      .option(
        '--same-clock',
        'all inputs were logged on one clock (one host): estimate no clock offsets, report no time/clock-skew',
      )
      .option('--verbose', 'name the files a directory argument skipped')
  );
}

/** `destination` is where the report goes without -o (the help says so). */
export function addReportOptions(cmd: Command, formats: readonly string[], destination: string): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', 'output format').choices([...formats]).default('text'))
    .option('-o, --output <file>', `write the report to a file instead of ${destination}`)
    .option('--color', 'force colour in the text output')
    .option('--no-color', 'never use colour')
    .option('--show-secrets', 'print tokens and passwords in clear (never do this in CI)')
    .option('--timestamp', 'print when the report was made (markdown, html); off so reports are reproducible')
    .option(
      '--max-entries <n|all>',
      'HAR entries / OTLP traces written at most, the failed first, then the slowest; all: every one',
      parseMaxEntries,
      MAX_EXPORT_ITEMS,
    );
}

/** `--max-entries`: a positive count, or `all` (also 0) for every one. */
export function parseMaxEntries(value: string): number {
  if (value === 'all' || value === '0') return 0;
  if (!/^[1-9]\d{0,8}$/.test(value))
    throw new UsageError(`--max-entries: expected a positive number or "all", got "${value}"`);
  return Number(value);
}

export function addLintOptions(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'configuration file (default: ./ostrace.config.json when present)')
    .option('--rule <id=severity>', "set a rule's severity: off, info, warning, error (repeatable)", collectRepeatable)
    .addOption(
      new Option('--fail-on <severity>', 'lowest severity that makes the exit code 1 (default: error)').choices([
        'error',
        'warning',
        'info',
      ]),
    );
}

export async function lintConfigFrom(opts: LintCliOptions, cwd = process.cwd()): Promise<LintConfig> {
  const file = await readConfigFile(opts.config, cwd);
  return resolveConfig(allRules(), file, (opts.rule ?? []).map(parseRuleFlag), opts.failOn);
}

/**
 * The pipeline's options from the command line: the input options, the lint session
 * that runs the rules (streaming its findings, or not), and whether the reporter
 * needs every header and body. Throws UsageError on a bad --label or --format-template.
 */
export function pipelineOptions(opts: InputCliOptions, session: LintSession, reporter: Reporter): PipelineOptions {
  return {
    ...session.hooks(),
    lint: session,
    keepDetails: reporter.needsDetails === true,
    flowDirs: opts.flows ?? [],
    year: opts.year,
    sameClock: opts.sameClock === true,
    ...serviceAnalyzeOptions(opts.label, opts.formatTemplate),
  };
}
