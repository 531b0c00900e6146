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

// An `openstack … --debug` run typed over several lines. Its START gives its argv; a paste that cut
// the START still shows the run typed at the prompt, whose argv is then the whole command line.
// The splits below are made by the test, on real samples: the prompt line of
// samples/field/devstack-notes-osc-kilo-errors (13, its START elided by the author) and of
// samples/field/rocky-osc-add-volume-notes (2), cut in two with a backslash, the second half
// behind bash's `> ` PS2 prompt or not. Every word stays in its place.
const read = (path: string) => readFileSync(new URL(`../../samples/${path}`, import.meta.url), 'utf8').split('\n');
const kilo = read('field/devstack-notes-osc-kilo-errors/devstack-notes-osc-kilo-errors.log');
const rocky = read('field/rocky-osc-add-volume-notes/rocky-osc-add-volume-notes.log');
/** The reporter's `openstack image create … \` over four lines, `--debug` on the last, then START (a published excerpt). */
const ps2 = read('field/osc-image-create-ps2-debug/osc-image-create-ps2-debug.log');
/** What rocky's prompt line typed (and its START says). */
const ROCKY_ARGV = ['--debug', 'server', 'add', 'volume', 'vm-ml-1', 'liangr'];
/** `lines` with line `at` (1-based) cut before `before`: the first half ends with ` \`, the second is behind `ps2`. */
function split(lines: string[], at: number, before: string, ps2: string): string[] {
  const typed = lines[at - 1]!;
  const cut = typed.indexOf(before);
  expect(cut).toBeGreaterThan(0);
  return [
    ...lines.slice(0, at - 1),
    `${typed.slice(0, cut).trimEnd()} \\`,
    `${ps2}${typed.slice(cut)}`,
    ...lines.slice(at),
  ];
}
function run(lines: string[]) {
  const r = runPipelineOnText([{ name: 'typed.log', text: lines.join('\n') }]).result;
  return { commands: [...r.commands], unrecognized: r.inputs[0]!.unrecognized.map((u) => u.line) };
}

describe('an openstack --debug run typed over several lines', () => {
  // Lines 12–22 of the Kilo notes: the fence, the prompt, `...`-elided output with one
  // keystoneclient REQ, `CommandError: …`; no START, no END.
  const notes = kilo.slice(11, 22);
  const whole = run(notes).commands[0]!;

  for (const ps2 of ['>     ', '    ']) {
    it(`with --debug on the continued line (${JSON.stringify(ps2)} before it): the command typed, not a run without --debug`, () => {
      const result = run(split(notes, 2, '--column ID', ps2));
      expect(result.commands).toHaveLength(1);
      const [c] = result.commands;
      // what the one-line prompt gives: the whole argv, the error, the call, no END (incomplete)
      expect(c!.argv).toEqual(whole.argv);
      expect(c!.argv.slice(-3)).toEqual(['--os-identity-api-version=3', '--verbose', '--debug']);
      expect(c).toMatchObject({ line: 2, complete: false, exitCode: null, error: whole.error });
      expect(c!.exchanges).toHaveLength(1);
      expect(result.unrecognized).toEqual(run(notes).unrecognized.map((l) => (l > 2 ? l + 1 : l)));
    });
  }

  it('with --debug on the prompt line and its START cut: the argv of every typed line', () => {
    // `stack@rocky:~/cinder$ openstack --debug server add volume \` / `>     vm-ml-1 liangr`, then
    // the output without its START and `command:` lines (5–6): clean_up, END return value: 0.
    const typed = split(rocky, 2, 'vm-ml-1', '>     ');
    const result = run([...typed.slice(0, 5), ...typed.slice(7)]);
    expect(result.commands.map((c) => [c.line, c.argv, c.className, c.exitCode, c.exchanges.length])).toEqual([
      [2, ROCKY_ARGV, 'AddServerVolume', 0, 9],
    ]);
  });

  it('typed behind `> ` with --debug on its last line, START shown (a published paste, its prompt added by the test)', () => {
    // The excerpt's first line begins with the space after the prompt, which the excerpt does not
    // show; the test puts a root prompt before it. Lines 1–4 are then one typed command line.
    const result = run([`[root@controller ~]#${ps2[0]!}`, ...ps2.slice(1)]);
    expect(result.commands.map((c) => [c.line, c.argv.at(-1), c.argv.length, c.complete])).toEqual([
      [5, '--debug', 11, false],
    ]);
    expect(result.unrecognized).toEqual([]);
  });

  it('with --debug after a bare `openstack \\` and its START shown: one command, the START’s', () => {
    // `stack@rocky:~/cinder$ openstack \` alone would run osc without --debug: the whole line does not.
    const result = run(split(rocky, 2, '--debug', '> '));
    expect(result.commands.map((c) => [c.line, c.argv, c.name, c.exitCode, c.complete])).toEqual([
      [6, ROCKY_ARGV, 'server add volume', 0, true],
    ]);
  });
});

// The published excerpt as it is: no prompt before its first line, bash's PS2 `> ` before the
// three that continue it. That `> ` is what tells a typed command from text: lines 1–4 are one
// command line typed at a prompt the paste cut. The variants below change the real lines only
// where each test says.
describe('a command typed over several lines with its prompt cut, bash’s `> ` before the continued lines', () => {
  const ARGV = ['image', 'create', 'cirros', '--file', 'cirros-0.3.5-x86_64-disk.img'];
  const ARGV_END = ['--disk-format', 'qcow2', '--container-format', 'bare', '--public'];

  it('is one typed command line: the START’s command is the only one, no line unrecognized', () => {
    const result = run(ps2);
    expect(result.commands.map((c) => [c.line, c.argv.slice(0, 5), c.argv.at(-1), c.complete])).toEqual([
      [5, ARGV, '--debug', false],
    ]);
    expect(result.unrecognized).toEqual([]);
  });

  it('without --debug (the test cuts it and the START): a run of its own with the argv of every typed line', () => {
    const result = run([...ps2.slice(0, 3), ps2[3]!.replace(' --debug', '')]);
    expect(result.commands.map((c) => [c.line, c.endLine, c.argv, c.exitCode, c.complete])).toEqual([
      [1, 4, [...ARGV, ...ARGV_END], null, true],
    ]);
    expect(result.unrecognized).toEqual([]);
  });

  it('under a mail’s or markdown’s own `> ` quoting (the test quotes every line once): PS2 is the one quote more', () => {
    const result = run(ps2.slice(0, 4).map((l) => `> ${l.replace(' --debug', '')}`));
    expect(result.commands.map((c) => [c.line, c.argv])).toEqual([[1, [...ARGV, ...ARGV_END]]]);
    expect(result.unrecognized).toEqual([]);
  });

  // What stays text: each variant below made one change, and lines 1–4 are read as before.
  const unread = (lines: string[]) => {
    const result = run([...lines, ps2[4]!]);
    expect(result.commands.map((c) => [c.line, c.argv.at(-1)])).toEqual([[5, '--debug']]);
    return result.unrecognized;
  };

  it('a quoted command, no PS2 (the test puts the continued lines at the first one’s quoting): text', () => {
    // `> ` before every line, as a mail or a markdown quote shows a command from a doc.
    expect(unread([`> ${ps2[0]!}`, ...ps2.slice(1, 4)])).toEqual([1, 2, 3, 4]);
    expect(unread([ps2[0]!, ...ps2.slice(1, 4).map((l) => l.slice(2))])).toEqual([1, 2, 3, 4]);
  });

  it('a first line that does not go on (its backslash cut by the test): the `> ` lines are a quote', () => {
    expect(unread([ps2[0]!.replace(/ \\$/, ''), ...ps2.slice(1, 4)])).toEqual([1, 2, 3, 4]);
  });

  it('a first line that runs no OpenStack client (the test puts `echo` before it): text', () => {
    expect(unread([` echo${ps2[0]!}`, ...ps2.slice(1, 4)])).toEqual([1, 2, 3, 4]);
  });
});
