// The inputs named on the command line: files, `-` for standard input, and
// directories (their log files, recursively; see src/input/directory.ts).
import { stat } from 'node:fs/promises';
import type { Analysis } from '../core/analysis.js';
import { InputError, UsageError } from '../core/errors.js';
import { describeListing, describeSkipped, listLogFiles } from '../input/directory.js';
import { describeIgnored, openSource, type LineSource } from '../input/read.js';
import { partReader } from './read-ahead.js';
import { runPipeline, type PipelineOptions } from '../pipeline.js';
import type { CliIo } from './io.js';
import { stageTracer } from './stage-trace.js';
import { unmatchedLabels } from '../service/labels.js';
import { createProgress } from './progress.js';

/** The directory's device and inode when `name` is one, else null. */
async function directoryId(name: string): Promise<string | null> {
  if (name === '-') return null;
  // Anything stat cannot read is left to openSource, which names the problem.
  const st = await stat(name, { bigint: true }).catch(() => null);
  return st?.isDirectory() === true ? `${st.dev}:${st.ino}` : null;
}

/** A file to read, and the argument that named it (itself, or the directory it is in). */
interface NamedFile {
  name: string;
  arg: string;
}

/**
 * The file names to read: a directory becomes its log files, with one line on stderr
 * saying what was read and skipped (`--verbose` names the skipped ones). A directory given
 * again (`logs logs`, `logs ./logs/`, a link to it) is listed once, under its first name, and
 * one warning names the repeated argument, as readOnce does for a file.
 */
async function expandDirectories(names: string[], io: CliIo, verbose: boolean): Promise<NamedFile[]> {
  const out: NamedFile[] = [];
  const firstOf = new Map<string, string>();
  const repeats: Array<{ name: string; first: string }> = [];
  for (const name of names) {
    const id = await directoryId(name);
    if (id === null) {
      out.push({ name, arg: name });
      continue;
    }
    const first = firstOf.get(id);
    if (first !== undefined) {
      repeats.push({ name, first });
      continue;
    }
    firstOf.set(id, name);
    const listing = await listLogFiles(name).catch((e: unknown) => {
      throw new InputError(`${name}: ${(e as Error).message}`);
    });
    if (listing.logs.length === 0)
      throw new InputError(
        listing.skipped.length === 0 ? `${name}: empty directory` : `${name}: no log file, ${describeSkipped(listing)}`,
      );
    io.stderr.write(`ostrace: ${describeListing(listing)}\n`);
    if (verbose) for (const s of listing.skipped) io.stderr.write(`ostrace: skipped ${s.path} (${s.reason})\n`);
    out.push(...listing.logs.map((log) => ({ name: log, arg: name })));
  }
  const told = new Set<string>();
  for (const { name, first } of repeats) {
    if (told.has(name)) continue;
    told.add(name);
    const times = repeats.filter((r) => r.name === name).length + (name === first ? 1 : 0);
    const line =
      name !== first
        ? `the same directory as ${first}, read once`
        : `given ${times === 2 ? 'twice' : `${times} times`}, read once`;
    io.stderr.write(`ostrace: warning: ${name}: ${line}\n`);
  }
  return out;
}

/**
 * Each file once: one named twice (`a.log ./a.log`, a file inside a directory also given, a link
 * to it) was read twice, its problems told and counted twice. The same file is the same device
 * and inode; the first name is kept, and one line on stderr names each argument that repeated.
 */
async function readOnce(files: NamedFile[], io: CliIo): Promise<string[]> {
  const firstOf = new Map<string, NamedFile>();
  const out: string[] = [];
  const repeats = new Map<string, Array<{ name: string; first: NamedFile }>>();
  for (const file of files) {
    // stdin is given once (a usage error otherwise); a file stat cannot read is left to openSource.
    const st = file.name === '-' ? null : await stat(file.name, { bigint: true }).catch(() => null);
    const id = st ? `${st.dev}:${st.ino}` : null;
    const first = id === null ? undefined : firstOf.get(id);
    if (first === undefined) {
      if (id !== null) firstOf.set(id, file);
      out.push(file.name);
      continue;
    }
    const list = repeats.get(file.arg) ?? [];
    list.push({ name: file.name, first });
    repeats.set(file.arg, list);
  }
  /** `d/a.log`, `d/a.log in d`, `./a.log as a.log` */
  const where = (f: NamedFile) => (f.arg === f.name ? f.name : `${f.name} in ${f.arg}`);
  for (const [arg, list] of repeats) {
    const [{ name, first }] = list as [{ name: string; first: NamedFile }];
    let line: string;
    if (name !== arg) {
      const one = name === first.name ? where(first) : `${name} as ${where(first)}`;
      line = `${list.length} of its files given already (${one}${list.length > 1 ? ', …' : ''}), each read once`;
    } else if (first.arg === arg) line = `given ${list.length === 1 ? 'twice' : `${list.length + 1} times`}, read once`;
    else line = `the same file as ${where(first)}, read once`;
    io.stderr.write(`ostrace: warning: ${arg}: ${line}\n`);
  }
  return out;
}

/** Open every named file, directory (or stdin); an unreadable file stops the run before any output. */
export async function openSources(files: string[], io: CliIo, verbose = false): Promise<LineSource[]> {
  const names = files.length === 0 ? ['-'] : files;
  if (names.filter((n) => n === '-').length > 1) throw new UsageError('standard input ("-") can be given only once');
  if (files.length === 0 && io.stdinIsTTY) {
    throw new UsageError('no input: give log files, or pipe `openstack --debug … 2>&1` into ostrace');
  }
  const out: LineSource[] = [];
  for (const n of await readOnce(await expandDirectories(names, io, verbose), io))
    out.push(await openSource(n, io.stdin, io.interrupts));
  return out;
}

/**
 * A --label whose file is none of the inputs (nor a source read inside one) is a usage error:
 * a typo there labelled nothing, and the file's lines went unlabelled without a word.
 */
export function checkLabelFiles(labels: ReadonlyMap<string, string> | undefined, runs: readonly Analysis[]): void {
  if (!labels) return;
  const inputs = runs.flatMap((run) => run.result.inputs.map((i) => i.name));
  const [file] = unmatchedLabels(labels, inputs);
  if (file !== undefined)
    throw new UsageError(
      `--label ${file}=${labels.get(file)}: no input is named ${file} (an input's path as given, its base name, or a source read inside one)`,
    );
}

/** Run the pipeline over the named inputs, with a progress bar on a terminal when `progress` allows it. */
export async function analyzeInputs(
  files: string[],
  options: PipelineOptions,
  io: CliIo,
  how: {
    progress: boolean;
    verbose?: boolean;
    /** Told when a --label names none of the files: it may name a source inside one, known once read. */
    onLabelsUnsure?: () => void;
    /** false: the caller checks the --label files against more runs' inputs (diff's two sides). */
    checkLabels?: boolean;
  },
): Promise<Analysis> {
  const sources = await openSources(files, io, how.verbose === true);
  const unsure = options.labels
    ? unmatchedLabels(
        options.labels,
        sources.map((s) => s.name),
      )
    : [];
  if (unsure.length > 0) how.onLabelsUnsure?.();
  const progress = how.progress ? createProgress(io.stderr, sources) : null;
  // What the analysis had to assume (a year for year-less timestamps) is said once, on stderr.
  const reader = partReader(sources, options);
  const onStage = stageTracer((stage) =>
    stage === 'read' && reader ? `${reader.inputsTaken} of ${sources.length} inputs read by a second thread` : null,
  );
  const warned: PipelineOptions = {
    onWarning: (message) => io.stderr.write(`ostrace: warning: ${message}\n`),
    ...(onStage ? { onStage } : {}),
    ...options,
  };
  let analysis: Analysis;
  try {
    analysis = await runPipeline(sources, {
      ...warned,
      ...(progress ? { onProgress: progress.update } : {}),
      ...(reader ? { partReader: reader } : {}),
    });
  } finally {
    reader?.close();
    progress?.done();
  }
  if (how.checkLabels !== false) checkLabelFiles(options.labels, [analysis]);
  // Bytes not read are said, as `gzip -d` says "trailing garbage ignored" (once per input).
  for (const source of sources) {
    const ignored = source.ignoredBytes?.() ?? 0;
    if (ignored > 0) warned.onWarning?.(describeIgnored(source.name, ignored));
  }
  return analysis;
}
