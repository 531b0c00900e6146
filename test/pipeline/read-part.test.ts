// A service log read by an Analyzer in part mode (the second thread's, src/cli/read-worker.ts)
// and taken by the run's Analyzer in its turn leaves the run as reading it there would: the
// same inputs, spans (with their input numbers), events, server exchanges and line-rule calls.
// In process, on the real attach/detach recording; the part crosses a structured clone as it
// crosses threads.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Analyzer, analyzeSources, type AnalyzeOptions } from '../../src/analyze.js';
import { NotAPart, type PartReader, type ReadPart } from '../../src/chain/assemble/read-part.js';
import { openSource } from '../../src/input/read.js';
import type { Analysis, LineInterest } from '../../src/core/analysis.js';
import { findSecrets } from '../../src/redact/spans.js';

const dir = new URL('../../samples/minicloud/01-attach-detach/', import.meta.url).pathname;
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.log'))
  .sort()
  .map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') }));

function feed(analyzer: Analyzer, name: string, text: string): void {
  analyzer.beginInput(name);
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const line of lines) analyzer.pushLine(line);
  analyzer.endInput(Buffer.byteLength(text));
}

/** The part of one input, as the second thread would hand it over. */
function partOf(name: string, text: string, interests: readonly LineInterest[]): ReadPart {
  const analyzer = new Analyzer({}, interests);
  feed(analyzer, name, text);
  return structuredClone(analyzer.exportPart());
}

/** What the run keeps of the read stage, comparable. */
async function summary(analysis: Analysis) {
  const service = analysis.service!;
  return {
    inputs: analysis.result.inputs,
    serviceInputs: service.inputs,
    inputIndex: [...service.inputIndex],
    spans: [...service.spans.rows()],
    events: [...service.events],
    exchanges: [...analysis.result.exchanges],
    errors: analysis.result.serviceErrors,
  };
}

describe('a part read in another thread', () => {
  const lineCalls = (calls: string[]): AnalyzeOptions => ({
    // what the interests below name: the calls a part hands on must be these
    onLine: (source, line, text) => {
      if (text.includes('ERROR') || findSecrets(text).length > 0) calls.push(`${source}:${line}`);
    },
  });
  const interests: LineInterest[] = [{ allOf: ['ERROR'] }, { secrets: true }];

  it('leaves the run as reading the input there would', async () => {
    const here: string[] = [];
    const sequential = new Analyzer(lineCalls(here));
    for (const f of files) feed(sequential, f.name, f.text);
    const want = await summary(sequential.finish());

    const there: string[] = [];
    const run = new Analyzer(lineCalls(there));
    let taken = 0;
    for (const f of files) {
      // every service log after the first input is taken as a part; the client log cannot be
      let part: ReadPart | null = null;
      try {
        part = files.indexOf(f) > 0 ? partOf(f.name, f.text, interests) : null;
      } catch (e) {
        expect(e).toBeInstanceOf(NotAPart);
      }
      if (part) {
        run.adopt(part);
        taken++;
      } else feed(run, f.name, f.text);
    }
    const got = await summary(run.finish());
    expect(taken).toBe(files.length - 2);
    expect(got).toEqual(want);
    expect(there).toEqual(here);
    // service logs' ERROR lines among them: handed on by parts
    expect(here.filter((c) => !c.startsWith('client.log')).length).toBeGreaterThan(0);
    // spans of parts carry the run's input numbers, not the part's own
    expect(new Set(got.spans.map((s) => s.inputIndex)).size).toBeGreaterThan(5);
  });

  it('is asked for from the last input back, taken in input order, and counted as read', async () => {
    const paths = files.map((f) => join(dir, f.name));
    const want = await summary(await analyzeSources(await Promise.all(paths.map((p) => openSource(p)))));
    const asked: string[] = [];
    const taken: string[] = [];
    const reader: PartReader = {
      accepts: (source) => source.path !== undefined,
      read: (source) => {
        asked.push(source.name);
        // the last input is handed back after the thread said how far it had read it
        if (source.path === paths.at(-1)) {
          source.readElsewhere?.(1000);
          return Promise.resolve({ fallback: 'handed back' });
        }
        try {
          const part = partOf(source.name, readFileSync(source.path!, 'utf8'), interests);
          return Promise.resolve({ part, bytesRead: source.size! });
        } catch (e) {
          return Promise.resolve({ fallback: (e as Error).message });
        }
      },
      taken: (source) => void taken.push(source.name),
      close: () => undefined,
    };
    const sources = await Promise.all(paths.map((p) => openSource(p)));
    const progress = new Map<string, number>();
    const got = await summary(
      await analyzeSources(sources, { partReader: reader, onProgress: (s) => progress.set(s.name, s.bytesRead()) }),
    );
    expect(got).toEqual(want);
    expect(asked[0]).toBe(paths.at(-1));
    expect(taken.length).toBeGreaterThan(0);
    // never the first input, which this thread reads at once
    expect(asked).not.toContain(paths[0]);
    // an input the other thread read counts as read
    for (const name of taken) expect(progress.get(name)).toBe(sources.find((s) => s.name === name)!.size);
    // one handed back is read here from its start: counted once, not on top of the thread's progress
    expect(taken).not.toContain(paths.at(-1));
    expect(progress.get(paths.at(-1)!)).toBe(sources.at(-1)!.size);
  });

  it('is refused past 20,000 lines for the line rules, which it holds in memory', () => {
    // a real service log repeated: every line is one a rule reading every line would read
    const api = files.find((f) => f.name === 'nova-api.log')!.text;
    const many = api.repeat(Math.ceil(20_001 / api.trimEnd().split('\n').length));
    expect(() => partOf('nova-api.log', many, [{ allOf: [''] }])).toThrow(/many lines/);
    // the same log, only its ERROR lines read: a part
    expect(partOf('nova-api.log', many, [{ allOf: [' ERROR '] }]).inputs[0]!.lines).toBeGreaterThan(20_000);
  });

  it('is refused for a client log and for year-less timestamps', () => {
    const client = files.find((f) => f.name === 'client.log')!;
    expect(() => partOf(client.name, client.text, [])).toThrow(NotAPart);
    const journal = readFileSync(
      new URL('../../samples/field/lxc-devstack-journal-uwsgi/lxc-devstack-journal-uwsgi.log', import.meta.url),
      'utf8',
    );
    expect(() => partOf('journal.log', journal, [])).toThrow(/year-less/);
  });
});
