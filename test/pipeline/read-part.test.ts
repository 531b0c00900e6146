// A service log read by an Analyzer in part mode (the second thread's, src/cli/read-worker.ts)
// and taken by the run's Analyzer in its turn leaves the run as reading it there would: the
// same inputs, spans (with their input numbers), events, server exchanges and line-rule calls.
// In process, on the real attach/detach recording; the part crosses a structured clone as it
// crosses threads.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Analyzer, NotAPart, type AnalyzeOptions, type ReadPart } from '../../src/analyze.js';
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
