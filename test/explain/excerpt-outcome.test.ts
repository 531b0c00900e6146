// What explain says of an excerpt beyond its steps: the real osc 6 `server remove volume` log
// (samples/real-osc) cut as pastes are. An excerpt's accepted detach is as open as the whole
// log's (the note that the log cannot show whether it completed); calls outside any command (the
// paste leaves out `START with options` and any `END return value` after them, or has only
// REQ/RESP lines) are told as such, never as "every operation seen completed"; calls an
// `END return value` follows are that command's (osc prints all of a command between its START and END).
// At library level and from the built CLI (npx tsc -p . first).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NO_PROBLEM } from '../../src/report/markdown.js';
import { runPipelineOnText } from '../../src/pipeline.js';
import { ostrace, root } from '../cli/built-cli.js';

const whole = readFileSync(join(root, 'samples/real-osc/server-remove-volume.log'), 'utf8').split('\n');
const dir = mkdtempSync(join(tmpdir(), 'ostrace-excerpt-outcome-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The log's lines that `keep` keeps (1-based line numbers), as a paste named `name`, written for the CLI too. */
function paste(name: string, keep: (line: string, n: number) => boolean, edit = (t: string) => t) {
  const text = edit(whole.filter((l, i) => keep(l, i + 1)).join('\n'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return { path, run: runPipelineOnText([{ name, text }]).result };
}

const outside = (from: number, to: number) => (_: string, n: number) => n < from || n > to;
const flat = (text: string) => text.replace(/\s+/g, ' ');

function explain(path: string) {
  const r = ostrace(['explain', path]);
  const json = JSON.parse(ostrace(['explain', path, '--format', 'json']).stdout) as {
    problems: number;
    verdict: string;
    unconfirmed?: unknown[];
    outsideCommands?: Array<{ calls: number; end: unknown }>;
    unended?: unknown[];
  };
  return { code: r.code, text: flat(r.stdout), json };
}

const DETACH_ID = 'req-53d8cc43-75b4-435a-b721-6d1ef82c8a04';
const VOLUME = '6f3c2a1e-8b9d-4e07-a2c4-5d6e7f809a1b';
const SERVER = '0b7e1f6c-2d4a-4c35-9a51-3f0d8c2b9e11';

describe('explain: the outcome of an excerpt', () => {
  it('the token request and lookups cut: not followed, and its accepted detach still open', () => {
    const { path, run } = paste('no-auth.log', outside(15, 73));
    expect(run.notFollowed?.map((x) => x.command?.id)).toEqual([1]);
    // The ids the DELETE names: the lookups that gave the names are cut.
    expect([...(run.unconfirmed ?? [])].map((u) => [u.operation, u.volume, u.server, u.command.line, u.call])).toEqual([
      ['detach', VOLUME, SERVER, 1, { status: 202, requestId: DETACH_ID, source: 'no-auth.log', line: 15 }],
    ]);
    const r = explain(path);
    expect(r.code).toBe(0);
    expect(r.json.verdict).toBe(
      'No problem found in what these logs show; one operation could not be followed to the end, and whether one accepted operation completed is not shown (below).',
    );
    expect(r.text).toContain('Could not be followed to the end');
    expect(r.text).toContain(
      `Not shown by this log: whether this accepted operation completed (asynchronous; no service log was given and no later read of the volume): - detach of volume ${VOLUME} from ${SERVER}: \`openstack server remove volume vm1 vol1\``,
    );
  });

  it('the same excerpt in a command that failed: a problem, no open note', () => {
    const { run } = paste('failed.log', outside(15, 73), (t) =>
      t.replace('END return value: 0', 'END return value: 1'),
    );
    expect(run.explanations?.map((x) => x.command?.exitCode)).toEqual([1]);
    expect(run.unconfirmed).toBeUndefined();
    // A failed command's steps the log leaves out are told as before (never happened): only exit 0 or no exit shown.
    const token = [...run.flows].flatMap((f) => f.steps).find((s) => s.step === 'auth');
    expect([token?.status, token?.notShown]).toEqual(['missing', undefined]);
  });

  it('a step the log should show missing (the DELETE cut) is no accepted call', () => {
    const { run } = paste('no-delete.log', outside(74, 78));
    expect(run.unconfirmed).toBeUndefined();
  });

  it('no START: the call and the END after it are one command, its argv unknown, the detach open', () => {
    const { path, run } = paste('no-start.log', outside(1, 73));
    expect(run.outsideCommands).toBeUndefined();
    expect(run.commands.map((c) => [c.line, c.endLine, c.argv, c.name, c.exitCode, c.exchanges.length])).toEqual([
      [1, 7, [], null, 0, 1],
    ]);
    expect([...(run.unconfirmed ?? [])].map((u) => [u.operation, u.volume, u.command.argv, u.command.line])).toEqual([
      ['detach', VOLUME, [], 1],
    ]);
    const r = explain(path);
    expect(r.code).toBe(0);
    expect(r.json.verdict).toBe(
      'No problem found in what these logs show; whether one accepted operation completed is not shown (below).',
    );
    expect(r.text).not.toContain('outside any command');
    expect(r.text).toContain(
      `a command whose start the log does not show (${path}:1), answered HTTP 202 (request id ${DETACH_ID})`,
    );
  });

  it('no START and no END, its lookups kept: every call outside, how the command ended not shown', () => {
    const { path, run } = paste('no-start-no-end.log', (l, n) => n > 14 && !/^(END|clean_up)/.test(l));
    expect(run.outsideCommands?.map((o) => [o.calls, o.unattributed, o.operations, o.end])).toEqual([
      [10, 0, ['client/server-remove-volume'], null],
    ]);
    // The lookups name the volume and the server: the open note names them so.
    expect([...(run.unconfirmed ?? [])].map((u) => [u.volume, u.server])).toEqual([['vol1', 'vm1']]);
    const r = explain(path);
    expect(r.code).toBe(0);
    expect(r.text).toContain('10 calls are outside any command they show');
    expect(r.text).toContain('no `END return value` after them either: how the command ended is not shown');
    // No command to place the accepted detach at: the call is where to look.
    expect([...(run.unconfirmed ?? [])].map((u) => [u.command.source, u.command.line])).toEqual([[null, null]]);
    expect(r.text).toContain(`detach of volume vol1 from vm1: a call outside any command (${path}:60)`);
  });

  it('REQ and RESP lines alone: no service named, so no operation; the calls told, nothing claimed', () => {
    const { path, run } = paste('req-resp.log', (l) => /^(REQ|RESP)/.test(l));
    expect(run.flows.length).toBe(0);
    expect(run.outsideCommands?.map((o) => [o.line, o.lastLine, o.calls, o.unattributed, o.end])).toEqual([
      [1, 25, 9, 9, null],
    ]);
    const r = explain(path);
    expect(r.code).toBe(0);
    expect(r.json.problems).toBe(0);
    expect(r.text).toContain('9 calls are outside any command they show');
    expect(r.text).toContain('the log names the service of none of them');
    expect(r.json.outsideCommands?.map((o) => [o.calls, o.end])).toEqual([[9, null]]);
    expect(r.text).not.toContain('every operation seen completed');
    // markdown says the same
    const md = ostrace(['explain', path, '--format', 'markdown']).stdout;
    expect(md).toContain('9 calls are outside any command they show');
    expect(md).toContain('- 9 calls at');
    expect(md).not.toContain('every operation seen completed');
  });

  it('START shown, the END cut: how the command ended is not shown, nothing claimed of it', () => {
    const { path, run } = paste('no-end.log', (_, n) => n < 79);
    expect(run.explanations).toEqual([]);
    expect(run.unended).toEqual([
      {
        name: 'server remove volume',
        argv: ['--debug', 'server', 'remove', 'volume', 'vm1', 'vol1'],
        source: 'no-end.log',
        line: 1,
        endLine: 78,
      },
    ]);
    const r = explain(path);
    expect(r.code).toBe(0);
    expect(r.json.verdict).toBe(
      'No problem found in what these logs show; how one command ended is not shown, and whether one accepted operation completed is not shown (below).',
    );
    expect(r.json.unended).toHaveLength(1);
    expect(r.text).toContain(
      `Not shown by this log: how this command ended (no \`END return value\` line: the log stops, or another command starts first): - \`openstack server remove volume vm1 vol1\` (${path}:1–78)`,
    );
  });

  it('the END and the lookups cut: the token request before the DELETE shown is not shown, not "never happened"', () => {
    const { path, run } = paste('cut-no-end.log', (_, n) => (n < 15 || n > 73) && n < 79);
    // Whatever the exit, the client got past the steps before the first one the log shows.
    const token = [...run.flows].flatMap((f) => f.steps).find((s) => s.step === 'auth');
    expect([token?.status, token?.notShown]).toEqual(['missing', true]);
    expect(token?.message).toContain(
      'which the client went on to (how the command ended the log does not show). The log leaves it out',
    );
    expect(run.explanations).toEqual([]);
    expect(run.notFollowed?.map((x) => x.command?.id)).toEqual([1]);
    // Its story tells that the END is not shown: not listed again.
    expect(run.unended).toBeUndefined();
    expect([...(run.unconfirmed ?? [])].map((u) => [u.operation, u.volume, u.call.line])).toEqual([
      ['detach', VOLUME, 15],
    ]);
    const r = explain(path);
    expect([r.code, r.json.problems]).toEqual([0, 0]);
    expect(r.json.verdict).toBe(
      'No problem found in what these logs show; one operation could not be followed to the end, and whether one accepted operation completed is not shown (below).',
    );
    expect(r.text).not.toContain('never happened');
    expect(r.text).toContain(
      '`server remove volume` could not be followed: Token request is not shown in this log `openstack server remove volume vm1 vol1` (' +
        path +
        ':1): its end is not in the log. Not shown: Token request (a client log line), which the command got past (the log shows a later step of it, not how it ended): this log leaves it out',
    );
    expect(r.text).toContain('has no `END return value` line');
  });

  it('the END and the volume lookups between two shown steps cut: the DELETE names the id they gave, so not shown', () => {
    // Only the volume lookups (lines 62–73) go: the token request and server lookups before them
    // are shown. A log cut only at its end cannot lose them (osc logs every call): these lines are
    // gone from its middle, and the DELETE names the volume's id, which the command line (vol1)
    // does not give: the client looked it up, however the command ended.
    const { path, run } = paste('cut-middle-no-end.log', (_, n) => (n < 62 || n > 73) && n < 79);
    const missing = [...run.flows].flatMap((f) => f.steps).filter((s) => s.status === 'missing');
    expect(missing.map((s) => [s.step, s.notShown])).toEqual([['get-volume', true]]);
    expect(missing[0]!.message).toContain(
      `names the volume_id ${VOLUME}, which the command line does not give: the client looked it up, however the command ended (the log does not show)`,
    );
    expect(run.explanations).toEqual([]);
    expect(run.notFollowed?.map((x) => x.command?.id)).toEqual([1]);
    const r = explain(path);
    expect([r.code, r.json.problems]).toEqual([0, 0]);
    expect(r.text).not.toContain('never happened');
  });

  it('the same cut of a command line that gives the volume by its id: nothing shows the lookup made, still missing', () => {
    const { run } = paste(
      'cut-middle-no-end-by-id.log',
      (_, n) => (n < 62 || n > 73) && n < 79,
      (t) => t.replace('remove volume vm1 vol1', `remove volume vm1 ${VOLUME}`),
    );
    const missing = [...run.flows].flatMap((f) => f.steps).filter((s) => s.status === 'missing');
    expect(missing.length).toBeGreaterThan(0);
    expect(missing.every((s) => s.notShown === undefined)).toBe(true);
    expect(run.explanations?.map((x) => x.command?.id)).toEqual([1]);
  });

  it('a recovered command: its re-sent read told apart, its accepted detach still open', () => {
    // The real log with its server lookup answered 503 once and re-sent (keystoneauth's retry
    // lines as samples/formats/sdk-retries-traceback.log has them, reference §A4), put after the lookup's REQ.
    const retry = readFileSync(join(root, 'samples/formats/sdk-retries-traceback.log'), 'utf8')
      .split('\n')
      .slice(12, 21)
      .map((l) =>
        l.replace(
          'http://10.0.0.5:80 "GET /compute/v2.1/servers/detail?deleted=False',
          'http://127.0.0.1:18080 "GET /compute/v2.1/servers?name=vm1',
        ),
      );
    const { path, run } = paste(
      'recovered.log',
      () => true,
      (t) => {
        const lines = t.split('\n');
        return [...lines.slice(0, 43), ...retry, ...lines.slice(43)].join('\n');
      },
    );
    expect(run.explanations).toEqual([]);
    expect(run.recovered?.map((x) => x.command?.id)).toEqual([1]);
    expect([...(run.unconfirmed ?? [])].map((u) => [u.operation, u.volume, u.server, u.call.requestId])).toEqual([
      ['detach', 'vol1', 'vm1', DETACH_ID],
    ]);
    const r = explain(path);
    expect([r.code, r.json.problems]).toEqual([0, 0]);
    expect(r.json.verdict).toBe(
      'No problem found in what these logs show; one command recovered from a failed read, and whether one accepted operation completed is not shown (below).',
    );
    expect(r.text).toContain('Recovered, not counted as problem');
    expect(r.text).toContain(
      'Not shown by this log: whether this accepted operation completed (asynchronous; no service log was given and no later read of the volume): - detach of volume vol1 from vm1',
    );
  });

  it('calls before and after a whole command: those an END follows are its command, the rest outside', () => {
    const noStart = whole.slice(73);
    const reqResp = whole.filter((l) => /^(REQ|RESP)/.test(l));
    const text = [...noStart, ...whole, ...reqResp].join('\n');
    const run = runPipelineOnText([{ name: 'three.log', text }]).result;
    expect(run.commands.map((c) => [c.line, c.endLine, c.name, c.exitCode, c.exchanges.length])).toEqual([
      [1, 7, null, 0, 1],
      [9, 88, 'server remove volume', 0, 10],
    ]);
    expect(run.outsideCommands?.map((o) => [o.line, o.lastLine, o.calls, o.end?.line ?? null])).toEqual([
      [90, 114, 9, null],
    ]);
  });

  it('the whole log: no call outside a command; the heading names the accepted detach its note is about', () => {
    const run = runPipelineOnText([{ name: 'whole.log', text: whole.join('\n') }]).result;
    expect(run.outsideCommands).toBeUndefined();
    expect(run.unended).toBeUndefined();
    expect(run.unconfirmed).toHaveLength(1);
    const path = join(root, 'samples/real-osc/server-remove-volume.log');
    const r = explain(path);
    // Not a problem: explain exits 0; but not "every operation seen completed" either.
    expect([r.code, r.json.problems]).toEqual([0, 0]);
    const heading =
      'No problem found in what these logs show; whether one accepted operation completed is not shown (below).';
    expect(r.json.verdict).toBe(heading);
    expect(r.text).toContain(`Verdict ${heading} Not shown by this log: whether this accepted operation completed`);
    expect(r.text).not.toContain(NO_PROBLEM);
    const md = ostrace(['explain', path, '--format', 'markdown']).stdout;
    expect(md).toContain(`## Verdict\n\n${heading}\n`);
    expect(md).not.toContain(NO_PROBLEM);
  });

  it("two real logs' accepted operations: the heading counts them", () => {
    const logs = ['server-add-volume.log', 'volume-create.log'].map((n) => join(root, 'samples/real-osc', n));
    const r = ostrace(['explain', ...logs]);
    expect(r.code).toBe(0);
    expect(flat(r.stdout)).toContain(
      'No problem found in what these logs show; whether 2 accepted operations completed is not shown (below).',
    );
  });
});
