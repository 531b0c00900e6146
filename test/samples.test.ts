// One driver for every sample with a sidecar expectation: samples/**/<name>.expect.json
// next to <name>.log (or the files its `inputs` key names). Each expectation lists the
// exchanges and commands the full pipeline must produce, the lines it must leave
// unrecognized and the findings `ostrace lint` must give (all of them, so a duplicate or
// a lost finding fails); keys an expect file does not set are not checked, so a sample
// can pin exactly what it is about. Any folder under samples/ is picked up.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createLintSession } from '../src/engine/index.js';
import { ByteDecoder } from '../src/input/decode.js';
import { SOURCE_SEPARATOR } from '../src/analyze.js';
import { runPipelineOnText } from '../src/pipeline.js';
import type { Exchange, Finding } from '../src/model/schema.js';

const root = fileURLToPath(new URL('../samples/', import.meta.url));

interface Expectation {
  /** Where the sample's shapes come from (reference section, real recording…). */
  source: string;
  /** Input files relative to the expect file; default `<name>.log`. */
  inputs?: string[];
  /** Compare only exchanges of this side (service samples also yield client ones, and vice versa). */
  side?: 'client' | 'server';
  /** In order; each object is matched on the keys it sets. */
  exchanges?: Array<Record<string, unknown>>;
  commands?: Array<Record<string, unknown>>;
  /** The service each input is labelled with, per input name (a stream of many sources: `file » source`). */
  services?: Record<string, string | null>;
  /** Unrecognized line numbers: a list for one input, or per input name. */
  unrecognized?: number[] | Record<string, number[]>;
  /**
   * Exactly the findings of `ostrace lint` with the default rules, in any order; `source`
   * may be left out when the sample has one input.
   */
  findings?: Array<{ ruleId: string; source?: string; line: number | null; severity: Finding['severity'] }>;
}

/** A finding as an expectation states it, and a stable order for comparing lists. */
const findingKey = (f: { ruleId: string; source?: string | null; line: number | null; severity: string }) =>
  `${f.source ?? ''}:${String(f.line ?? '-').padStart(6, '0')} ${f.ruleId} ${f.severity}`;

function findExpectFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findExpectFiles(path));
    else if (name.endsWith('.expect.json')) out.push(path);
  }
  return out;
}

/** The fields of `actual` named by `expected`, so a mismatch shows only what was asked. */
function pick(actual: object, expected: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(expected)) out[key] = (actual as Record<string, unknown>)[key];
  return out;
}

/** A command's `exchanges` may be given as a count instead of the id list. */
function commandView(actual: Record<string, unknown>, expected: Record<string, unknown>): Record<string, unknown> {
  const view = pick(actual, expected);
  if (typeof expected.exchanges === 'number' && Array.isArray(actual.exchanges))
    view.exchanges = actual.exchanges.length;
  return view;
}

/** A sample's text as ostrace reads it: by its byte-order mark (a UTF-16 log PowerShell wrote), else UTF-8. */
function readSample(path: string): string {
  const decoder = new ByteDecoder();
  return decoder.write(readFileSync(path)) + decoder.end();
}

const files = findExpectFiles(root);

describe('samples with expectations', () => {
  it('finds the format samples', () => {
    expect(files.filter((f) => f.includes(`${join('samples', 'formats')}`)).length).toBeGreaterThanOrEqual(10);
  });

  for (const file of files) {
    const expectation = JSON.parse(readFileSync(file, 'utf8')) as Expectation;
    const dir = dirname(file);
    const inputs = (expectation.inputs ?? [`${basename(file, '.expect.json')}.log`]).map((name) => ({
      name,
      text: readSample(join(dir, name)),
    }));

    describe(relative(root, file), () => {
      // The way `ostrace lint` runs: the line rules see the raw lines as they stream.
      const session = createLintSession();
      // Every unrecognized line is kept, however many: the expectation lists them all.
      const { result } = runPipelineOnText(inputs, { ...session.hooks(), lint: session, keepUnrecognized: 10_000 });

      it('names its source', () => {
        expect(typeof expectation.source).toBe('string');
        expect(expectation.source.length).toBeGreaterThan(0);
      });

      it('counts every line as recognized or unrecognized', () => {
        // A stream of many sources (grep -r, tail, a data set) is read as one input per source: `file » source`.
        for (const { name, text } of inputs) {
          const physical = text.split(/\r?\n/).length - (text.endsWith('\n') ? 1 : 0);
          const own = result.inputs.filter((i) => i.name === name || i.name.startsWith(`${name}${SOURCE_SEPARATOR}`));
          expect(own.reduce((n, i) => n + i.lines, 0)).toBe(physical);
        }
        for (const input of result.inputs) {
          const recognized = Object.entries(input.kinds)
            .filter(([k]) => k !== 'unrecognized')
            .reduce((n, [, v]) => n + v, 0);
          expect(recognized + input.unrecognizedLines).toBe(input.lines);
        }
      });

      if (expectation.services !== undefined) {
        it('labels each input with its service', () => {
          expect(Object.fromEntries(result.inputs.map((i) => [i.name, i.service ?? null]))).toEqual(
            expectation.services,
          );
        });
      }

      if (expectation.unrecognized !== undefined) {
        it('leaves exactly the expected lines unrecognized', () => {
          const want = expectation.unrecognized!;
          for (const input of result.inputs) {
            const lines = Array.isArray(want) ? want : (want[input.name] ?? []);
            expect(input.unrecognizedLines, `${input.name}: ${JSON.stringify(input.unrecognized)}`).toBe(lines.length);
            expect(input.unrecognized.map((u) => u.line)).toEqual(lines);
          }
        });
      }

      if (expectation.exchanges !== undefined) {
        it('reconstructs the expected exchanges', () => {
          const actual = result.exchanges.filter(
            (e: Exchange) => expectation.side === undefined || e.side === expectation.side,
          );
          const want = expectation.exchanges!;
          expect(actual.map((e, i) => pick(e, want[i] ?? { method: null, path: null, status: null }))).toEqual(want);
        });
      }

      if (expectation.findings !== undefined) {
        it('gives exactly the expected findings, each once', () => {
          const single = inputs.length === 1 ? inputs[0]!.name : undefined;
          const want = expectation.findings!.map((f) => findingKey({ ...f, source: f.source ?? single })).sort();
          const got = result.findings.map(findingKey).sort();
          expect(got, result.findings.map((f) => `${findingKey(f)}: ${f.message}`).join('\n')).toEqual(want);
        });
      }

      if (expectation.commands !== undefined) {
        it('finds the expected commands', () => {
          const want = expectation.commands!;
          expect(result.commands.map((c, i) => commandView(c, want[i] ?? { name: null }))).toEqual(want);
        });
      }
    });
  }
});
