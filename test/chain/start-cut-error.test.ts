// A paste of `openstack --debug` output that begins mid-run (its START cut) and stops at the
// run's error: the error line osc prints (`BadRequestException: …`), its traceback, or Kilo's
// `CommandError: …`, before any `clean_up`/`END`. osc prints every line of a command between its
// START and its END, so the calls read before the error are that command's and the error is its
// error: a failed command, its name unknown (null), its argv the one typed at a `$ openstack
// --debug …` prompt above when the paste shows one, else unknown (empty).
// Real inputs: samples/formats/osc-tail-traceback (a cut of the minicloud recording) cut again
// before its clean_up; samples/field/devstack-notes-osc-kilo-errors (published notes).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const read = (path: string) => readFileSync(new URL(`../../samples/${path}`, import.meta.url), 'utf8').split('\n');
const tail = read('formats/osc-tail-traceback.log');
const kilo = read('field/devstack-notes-osc-kilo-errors/devstack-notes-osc-kilo-errors.log');
function run(lines: string[], from: number, to: number) {
  const r = runPipelineOnText([{ name: 'cut.log', text: lines.slice(from - 1, to).join('\n') }]).result;
  return { commands: [...r.commands], exchanges: [...r.exchanges], findings: [...r.findings] };
}

const ATTACH_400 = 'BadRequestException: 400: Client Error for url: http://127.0.0.1:8774/v2.1/servers/';

describe("a paste cut before the run's clean_up and END", () => {
  it('ending with the traceback: one failed command holding the 7 calls, name and argv unknown', () => {
    // Lines 1–70: the calls, osc's error line (44), the traceback (45–70); no clean_up, no END.
    const { commands, exchanges, findings } = run(tail, 1, 70);
    expect(commands).toHaveLength(1);
    const [c] = commands;
    expect(c).toMatchObject({ line: 1, endLine: 70, argv: [], name: null, exitCode: null, complete: false });
    expect(c!.exchanges).toHaveLength(7);
    expect(exchanges.every((x) => x.command === c!.id)).toBe(true);
    expect(c!.traceback).toMatchObject({ line: 45, endLine: 70, frames: 9 });
    expect(c!.error).toContain(ATTACH_400);
    expect(findings.filter((f) => f.ruleId === 'command/failed').map((f) => f.line)).toEqual([45]);
  });

  it("ending with osc's error line, before its traceback: the command's error", () => {
    const { commands } = run(tail, 1, 44);
    expect(commands).toHaveLength(1);
    expect(commands[0]).toMatchObject({ line: 1, endLine: 44, argv: [], name: null, complete: false });
    expect(commands[0]!.error!.startsWith(ATTACH_400)).toBe(true);
  });

  it('the clean_up line names the class of the command (not its name)', () => {
    const { commands, findings } = run(tail, 1, 71);
    expect(commands[0]).toMatchObject({ name: null, className: 'AddServerVolume', argv: [] });
    // and the findings call it by it
    const failed = findings.filter((f) => f.ruleId === 'command/failed').map((f) => f.message);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.startsWith('command #1 (AddServerVolume) failed (traceback): ')).toBe(true);
  });

  it('an error line with no call before it and no prompt opens no command', () => {
    // Line 70 alone: the exception line of the traceback, nothing before it.
    expect(run(tail, 70, 70).commands).toEqual([]);
  });

  it('a `$ openstack … --debug` prompt whose START was elided: its CommandError fails the typed command', () => {
    // Lines 12–22 of the Kilo notes: the fence, the prompt (13), `...`-elided output with one
    // keystoneclient REQ (19), `CommandError: No group with a name or ID of … exists.` (21).
    const { commands, exchanges, findings } = run(kilo, 12, 22);
    expect(commands).toHaveLength(1);
    const [c] = commands;
    expect(c).toMatchObject({ line: 2, name: null, exitCode: null, complete: false });
    expect(c!.argv.slice(0, 4)).toEqual(['role', 'list', '--group', '5bd604db63d34b158cec7ede42ff27a1']);
    expect(c!.argv.at(-1)).toBe('--debug');
    expect(c!.error).toBe("CommandError: No group with a name or ID of '5bd604db63d34b158cec7ede42ff27a1' exists.");
    expect(exchanges.map((x) => [x.line, x.command])).toEqual([[8, c!.id]]);
    expect(findings.filter((f) => f.ruleId === 'command/failed').map((f) => f.line)).toEqual([2]);
  });
});
