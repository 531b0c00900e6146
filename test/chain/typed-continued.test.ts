// A command typed at a prompt over several lines, each but the last ending in a backslash
// (samples/field/packstack-token-issue-table, real): one command, one argv, its secrets masked.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const lines = readFileSync(
  new URL('../../samples/field/packstack-token-issue-table/packstack-token-issue-table.log', import.meta.url),
  'utf8',
).split('\n');
const commandsOf = (text: string) => [...runPipelineOnText([{ name: 'typed.log', text }]).result.commands];

describe('a command typed over several lines', () => {
  it('takes the words of every continued line', () => {
    const [c] = commandsOf(lines.slice(0, 7).join('\n'));
    expect(c?.argv.slice(0, 6)).toEqual(['token', 'issue', '--os-username', 'cinder', '--os-password', '***']);
    expect(c?.argv.at(-1)).toBe('Default');
    expect(c).toMatchObject({ line: 1, endLine: 7 });
  });

  it('ends at the first line without a backslash', () => {
    // The second line without its backslash ends the typing: the lines after it are output.
    const [c] = commandsOf([lines[0], lines[1]!.replace(/ \\$/, ''), lines[2], lines[7]].join('\n'));
    expect(c?.argv).toEqual(['token', 'issue', '--os-username', 'cinder']);
    expect(c?.endLine).toBe(4);
  });
});
