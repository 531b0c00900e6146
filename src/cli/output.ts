// Where a pipeline command's output goes (-o FILE, else stdout or stderr) and what
// it is: a report of the whole run, or the lint verdict. Each plan gives the
// pipeline options its output needs and writes the output when the run is over.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Analysis } from '../core/analysis.js';
import type { LintConfig } from '../config/load.js';
import { InputError, UsageError } from '../core/errors.js';
import { atLeast, createLintSession } from '../engine/index.js';
import type { PipelineOptions } from '../pipeline.js';
import { lintReporters, reporters } from '../report/index.js';
import { LintTextWriter, lintTextReporter } from '../report/lint-text.js';
import { wantColor } from '../report/style.js';
import type { Reporter, ReportContext } from '../report/types.js';
import { pipelineOptions, type InputCliOptions, type ReportCliOptions } from './options.js';

export interface OutputPlan<ExitCode extends number> {
  options: PipelineOptions;
  /** Write the output of the finished run; resolves to the exit code it makes. */
  finish(analysis: Analysis): Promise<ExitCode>;
}

/** What `-o FILE` refused (a missing directory, a full disk): one line naming the file, exit 2. */
function outputError(file: string, e: unknown): InputError {
  return new InputError(`${file}: ${(e as Error).message}`);
}

/** `-o FILE` opened for writing. Its error is kept (`errored`) for the next write or the end to throw. */
export async function openOutputFile(file: string): Promise<Writable> {
  const out = createWriteStream(file);
  await once(out, 'open').catch((e: unknown) => {
    throw outputError(file, e);
  });
  out.on('error', () => {});
  return out;
}

/** Write to `out` (`-o FILE`, else a stream), waiting while it is full. */
export async function writeOut(out: Writable, data: string | Buffer, file: string | undefined): Promise<void> {
  try {
    if (out.errored) throw out.errored;
    if (!out.write(data)) await once(out, 'drain');
  } catch (e) {
    throw file ? outputError(file, e) : e;
  }
}

/** End `-o FILE`: resolves once every byte is written. */
export async function closeOutputFile(out: Writable, file: string): Promise<void> {
  try {
    if (out.errored) throw out.errored;
    out.end();
    await once(out, 'finish');
  } catch (e) {
    throw outputError(file, e);
  }
}

/** Write a report piece by piece to `file` (opened only now) or `stream`, waiting when it is full. */
export async function writeChunks(chunks: Iterable<string>, file: string | undefined, stream: Writable): Promise<void> {
  const out: Writable = file ? await openOutputFile(file) : stream;
  for (const chunk of chunks) await writeOut(out, chunk, file);
  if (file) await closeOutputFile(out, file);
}

function reporterFor(format: string, ...registries: Array<Record<string, Reporter>>): Reporter {
  for (const registry of registries) if (registry[format]) return registry[format];
  throw new UsageError(`unknown format: ${format}`);
}

/** Colour only for a stream that wants it, never in a file. */
function reportContext(opts: ReportCliOptions, stream: Writable & { isTTY?: boolean }): Omit<ReportContext, 'details'> {
  return {
    color: opts.output ? false : wantColor(opts.color, stream),
    showSecrets: opts.showSecrets === true,
    ...(opts.timestamp ? { generatedAt: new Date().toISOString() } : {}),
    ...(opts.maxEntries !== undefined ? { maxEntries: opts.maxEntries } : {}),
  };
}

/** The report of the run in `opts.format` (analyze, run). The default rules see every line too (secrets, known bugs). */
export function reportPlan(opts: InputCliOptions & ReportCliOptions, stream: Writable): OutputPlan<0> {
  const reporter = reporterFor(opts.format, reporters);
  return {
    options: pipelineOptions(opts, createLintSession(), reporter),
    async finish({ result, details }) {
      const ctx = { ...reportContext(opts, stream), details };
      const chunks = reporter.chunks ? reporter.chunks(result, ctx) : [reporter.render(result, ctx)];
      await writeChunks(chunks, opts.output, stream);
      return 0;
    },
  };
}

/**
 * The lint verdict in `opts.format` (lint, run --lint); in text, each finding is
 * written as soon as it is certain (to a file: when the run is over). Its exit code
 * is 1 when a finding is at or above failOn.
 */
export function lintPlan(
  opts: InputCliOptions & ReportCliOptions,
  config: LintConfig,
  stream: Writable,
): OutputPlan<0 | 1> & { streams: boolean; hold(): void } {
  const reporter = reporterFor(opts.format, lintReporters, reporters);
  const ctx = reportContext(opts, stream);
  const verdict = (analysis: Analysis) =>
    analysis.result.findings.some((f) => atLeast(f.severity, config.failOn)) ? 1 : 0;
  if (reporter !== lintTextReporter)
    return {
      options: pipelineOptions(opts, createLintSession(config), reporter),
      streams: false,
      hold: () => {},
      async finish(analysis) {
        await writeChunks(
          [reporter.render(analysis.result, { ...ctx, details: analysis.details })],
          opts.output,
          stream,
        );
        return verdict(analysis);
      },
    };
  const kept: string[] = [];
  /** Lines kept till the run is over: for a file, or while the run may yet be a usage error. */
  let held = opts.output !== undefined;
  const writer = new LintTextWriter((line) => (held ? kept.push(line) : stream.write(`${line}\n`)), ctx);
  return {
    options: pipelineOptions(opts, createLintSession(config, writer.finding), reporter),
    streams: opts.output === undefined,
    hold: () => {
      held = true;
    },
    async finish(analysis) {
      writer.finish(analysis.result.findings);
      if (held) await writeChunks([`${kept.join('\n')}\n`], opts.output, stream);
      return verdict(analysis);
    },
  };
}
