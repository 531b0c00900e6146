// Indented text is recognized only where it continues something: a traceback, a record's
// body or message, a wrapped line, the output of a command run without --debug, the source
// line Python prints under its warning. Elsewhere (a mail's quoted prose, a URL under a
// journal excerpt) it is counted unrecognized like any other text, with its line number.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const read = (path: string) => readFileSync(new URL(`../../samples/${path}`, import.meta.url), 'utf8');
const run = (name: string, text: string) =>
  runPipelineOnText([{ name, text }], { year: 2021, keepUnrecognized: 10_000 }).result;

describe('indented text', () => {
  it("that continues nothing is unrecognized: the mail's prose and the URL under the journal it quotes", () => {
    const mail = read('field/launchpad-qp-swap-volume-journal/launchpad-qp-swap-volume-journal.log');
    const lines = mail.split('\n');
    expect(lines[89]).toBe("  virDomainGetBlockJobInfo fails during swap_volume as disk '$disk' not");
    expect(lines[174]).toMatch(/^ {2}https:\/\/zuul\.opendev\.org\//);
    expect(lines[235]).toBe('  Steps to reproduce');
    const result = run('mail.eml', mail);
    const own = result.inputs.find((i) => i.name === 'mail.eml')!.unrecognized.map((u) => u.line);
    expect(own).toEqual(expect.arrayContaining([90, 91]));
    const journal = result.inputs.find((i) => i.service === 'nova-compute')!;
    const unrecognized = journal.unrecognized.map((u) => u.line);
    expect(unrecognized[0]).toBe(175);
    expect(unrecognized).toContain(236);
    expect(journal.unrecognized[0]!.text).toBe(`${lines[174]!.slice(0, -1)}${lines[175]}`);
  });

  it('under a Python warning is the source line it quotes', () => {
    const log = read('minicloud/01-attach-detach/cinder-api-uwsgi.log');
    expect(log.split('\n')[1]).toBe('  import asyncore');
    const input = run('cinder-api-uwsgi.log', log).inputs[0]!;
    expect(input.unrecognizedLines).toBe(0);
    // 22 warnings, each with its source line
    expect(input.kinds['python-warning']).toBe(44);
  });

  it("behind Zuul's prefix goes on with the JSON it is in", () => {
    const input = run('job-output.txt', read('formats/zuul-job-output.log')).inputs[0]!;
    expect(input.unrecognized).toEqual([]);
  });

  it("a RESP soft-wrapped between its headers goes on with it (cinder's Unity driver doc)", () => {
    const input = run('doc.rst', read('field/cinder-unity-doc-wrapped/cinder-unity-doc-wrapped.log')).inputs[0]!;
    expect(input.unrecognized).toEqual([]);
    // the RESP's lines 12-15 with the REQ's wrapped lines (6 before the change)
    expect(input.kinds.wrapped).toBe(9);
  });
});
