// A paster's `#` notes between the records of a service log: markup when a record follows
// directly (samples/field/nova-compute-zh-comments, real), never the record's continuation;
// `#` lines a record does not follow stay as they read.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const text = readFileSync(
  new URL('../../samples/field/nova-compute-zh-comments/nova-compute-zh-comments.log', import.meta.url),
  'utf8',
);
const lines = text.split('\n');

/** The kinds counted for one input made of these lines. */
function kindsOf(input: string[]): Record<string, number> {
  const { result } = runPipelineOnText([{ name: 'nova-compute.log', text: input.join('\n') }]);
  return result.inputs[0]!.kinds;
}

describe("a paster's # notes in a service log", () => {
  it('reads each note of the real paste as markup, none as the record before it going on', () => {
    const { result } = runPipelineOnText([{ name: 'nova-compute.log', text }]);
    const input = result.inputs[0]!;
    expect(input.kinds).toEqual({ markup: 9, message: 17 });
    expect(input.unrecognized).toEqual([]);
    // The claim (line 3) ends at its own line: the note under it is not its text.
    expect(lines[3]).toBe('#创建镜像');
  });

  it('keeps `#` lines a record does not follow as they read: a fence after them, the input end, a long run', () => {
    const record = lines[2]!;
    expect(kindsOf([record, '#创建镜像', '```'])).toEqual({ message: 1, continuation: 1, markup: 1 });
    expect(kindsOf([record, '#创建镜像'])).toEqual({ message: 1, continuation: 1 });
    // Nine lines are a file's comment block, not a note.
    expect(kindsOf([record, ...Array<string>(9).fill('#创建镜像'), lines[4]!])).toEqual({
      message: 2,
      continuation: 9,
    });
  });

  it('leaves a real traceback with its record and ends the record at the note after it', () => {
    // cinder-api's ERROR record and the first lines of its traceback (a real recording).
    const api = readFileSync(
      new URL('../../samples/minicloud/04-attach-driver-error/cinder-api.log', import.meta.url),
      'utf8',
    ).split('\n');
    const traceback = api.slice(98, 108);
    expect(traceback[1]).toBe('Traceback (most recent call last):');
    const { result } = runPipelineOnText([
      { name: 'cinder-api.log', text: [...traceback, '#创建镜像', lines[4]!].join('\n') },
    ]);
    expect(result.inputs[0]!.kinds.markup).toBe(1);
    // The ERROR record ends with its traceback's last line (10), not with the note (11).
    expect((result.serviceErrors ?? []).map((e) => [e.line, e.endLine, e.level])).toEqual([[1, 10, 'ERROR']]);
  });
});
