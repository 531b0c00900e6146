// A client step of a command that exited 0 which the log does not show, though the command got
// past it, is "not shown", not "never happened": the log is an excerpt, or lines were cut from
// it. Such an operation with nothing else wrong is listed apart (`notFollowed`) and does not fail
// explain. A step missing after the first one the log shows with no later step naming what it
// looked up, or any missing step of a command that failed, is still told as never happened.
// From the built CLI (npx tsc -p . first), on real osc 6 output (samples/real-osc) cut as a
// paste would be, and on the samples that are such excerpts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ostrace, root } from '../cli/built-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'ostrace-excerpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** samples/real-osc/server-remove-volume.log without the lines `cut` names (1-based, inclusive ranges), edited by `edit`. */
function cutLog(
  name: string,
  cut: [number, number] | Array<[number, number]>,
  edit: (text: string) => string = (t) => t,
): string {
  const lines = readFileSync(join(root, 'samples/real-osc/server-remove-volume.log'), 'utf8').split('\n');
  const ranges = typeof cut[0] === 'number' ? [cut as [number, number]] : (cut as Array<[number, number]>);
  const kept = lines.filter((_, i) => ranges.every(([a, b]) => i + 1 < a || i + 1 > b)).join('\n');
  const path = join(dir, name);
  writeFileSync(path, edit(kept));
  return path;
}

const flat = (text: string) => text.replace(/\s+/g, ' ');

function explain(path: string) {
  const r = ostrace(['explain', path]);
  const json = JSON.parse(ostrace(['explain', path, '--format', 'json']).stdout) as {
    problems: number;
    notFollowed?: Array<{ title: string; text: string }>;
  };
  return { code: r.code, text: flat(r.stdout), json };
}

describe('explain: client steps an excerpt leaves out', () => {
  it('the real log of `server remove volume` whole: no problem, nothing not shown', () => {
    const r = explain(join(root, 'samples/real-osc/server-remove-volume.log'));
    expect([r.code, r.json.problems, r.json.notFollowed]).toEqual([0, 0, undefined]);
  });

  it('cut from its command line to the DELETE (token request and lookups gone): not shown, exit 0', () => {
    const r = explain(cutLog('no-auth.log', [15, 73]));
    expect(r.code).toBe(0);
    expect(r.json.problems).toBe(0);
    expect(r.json.notFollowed!.map((x) => x.title)).toEqual([
      '`server remove volume` (exit 0) could not be followed: Token request is not shown in this log',
    ]);
    expect(r.text).toContain('Not shown: Token request (a client log line), which the command got past (it exited 0)');
    expect(r.text).not.toMatch(/never happened|did not finish/);
  });

  it('its lookups cut after the token request: the DELETE names the server by an id the command line does not give', () => {
    const r = explain(cutLog('no-lookups.log', [31, 73]));
    expect(r.code).toBe(0);
    expect(r.json.notFollowed!.map((x) => x.title)).toEqual([
      '`server remove volume` (exit 0) could not be followed: Fetch the server by id is not shown in this log',
    ]);
    expect(r.text).not.toMatch(/never happened|did not finish/);
    // analyze's flows say so too: the steps are "not shown" warnings, not missing errors.
    const analyzed = flat(ostrace(['analyze', join(dir, 'no-lookups.log')]).stdout);
    expect(analyzed).toContain('not shown get-server: Fetch the server by id is not shown');
    expect(analyzed).toContain(
      'names the server_id 0b7e1f6c-2d4a-4c35-9a51-3f0d8c2b9e11, which the command line does not give: the client looked it up',
    );
    expect(analyzed).not.toContain('missing get-server');
    const html = ostrace(['analyze', join(dir, 'no-lookups.log'), '--format', 'html']).stdout;
    expect(html).toContain('<span class="badge skipped">not shown</span> <code>get-server</code>');
    const md = ostrace(['analyze', join(dir, 'no-lookups.log'), '--format', 'markdown']).stdout;
    expect(md).toContain('| 4 | `get-server` | not shown |');
    expect(md).toContain('the steps still missing are client steps the command got past that this log leaves out');
  });

  // The command line giving the server, or the volume, by the id the DELETE names.
  const byId = (args: string) => (t: string) =>
    t.replace(
      'START with options: --debug server remove volume vm1 vol1',
      `START with options: --debug server remove volume ${args}`,
    );
  const problem = (path: string, title: string) => {
    const r = explain(path);
    expect([r.code, r.json.notFollowed]).toEqual([1, undefined]);
    expect(r.text).toContain(title);
  };

  it('the same cut where the command line gives the server by its id: the server lookup never happened', () => {
    const path = cutLog('by-id.log', [31, 73], byId('0b7e1f6c-2d4a-4c35-9a51-3f0d8c2b9e11 vol1'));
    problem(path, 'did not finish: Fetch the server by id never happened');
  });

  it('a step missing after the first one shown is told first, before the ones the log leaves out', () => {
    // The token request cut (not shown), and the volume lookups of a command line that gives the volume's id.
    const cut: Array<[number, number]> = [
      [20, 29],
      [62, 73],
    ];
    const path = cutLog('volume-by-id.log', cut, byId('vm1 6f3c2a1e-8b9d-4e07-a2c4-5d6e7f809a1b'));
    problem(path, 'did not finish: Fetch the volume by id never happened');
  });

  it('the same cut in a command that failed: never happened, a problem', () => {
    const path = cutLog('failed.log', [15, 73], (t) => t.replace('END return value: 0', 'END return value: 1'));
    problem(path, 'did not finish: Token request never happened');
  });

  it('the excerpt samples: slow-call-logfile (a slow DELETE alone) and ksa-sdk-osc6 (a second command without lookups)', () => {
    const slow = explain(join(root, 'samples/lint/slow-call-logfile.log'));
    expect([slow.code, slow.json.problems]).toEqual([0, 0]);
    expect(slow.text).toContain('could not be followed: Token request is not shown in this log');
    expect(slow.text).toContain('Then: perf/slow-call: DELETE');
    expect(slow.text).not.toMatch(/never happened|did not finish/);
    const osc6 = explain(join(root, 'samples/formats/ksa-sdk-osc6.log'));
    expect([osc6.code, osc6.json.problems]).toEqual([0, 0]);
    expect(osc6.text).toContain('could not be followed: Fetch the server by id is not shown in this log');
    expect(osc6.text).not.toMatch(/never happened|did not finish/);
  });

  it('a command that failed keeps its missing lookup as never happened (unexplained-404, exit 1)', () => {
    const r = explain(join(root, 'samples/lint/unexplained-404.log'));
    expect(r.code).toBe(1);
    expect(r.text).toContain('did not finish: List servers by name never happened');
  });
});
