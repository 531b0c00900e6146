// A paste of a command's tail: `openstack --debug` output from the middle of a command to its
// `END return value`, its START (and often its `command:` line) cut. osc prints every line of a
// command between its START and its END, so the calls before the END are that command's: the
// report lists them under it, its exit code is used, the flows replay them as its own, and explain
// tells it as a command whose start the log does not show — its argv never guessed from the calls.
// From the built CLI (npx tsc -p . first), on real logs cut as pastes are.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NO_PROBLEM } from '../../src/report/markdown.js';
import { ostrace, root } from '../cli/built-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'ostrace-command-tail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Lines `from`–`to` (1-based, inclusive) of a sample, edited by `edit`, as a paste named `name`. */
function cut(sample: string, name: string, ranges: Array<[number, number]>, edit = (t: string) => t): string {
  const lines = readFileSync(join(root, 'samples', sample), 'utf8').split('\n');
  const kept = ranges.flatMap(([from, to]) => lines.slice(from - 1, to));
  const path = join(dir, name);
  writeFileSync(path, `${edit(kept.join('\n'))}\n`);
  return path;
}

const flat = (text: string) => text.replace(/\s+/g, ' ');

interface Analyzed {
  commands: Array<{ line: number; endLine: number; argv: string[]; name: string | null; exitCode: number | null }>;
  exchanges: Array<{ command: number | null }>;
  flows: Array<{ flow: string; command: number | null; verdict: string }>;
}

function analyze(path: string): { text: string; json: Analyzed } {
  const text = flat(ostrace(['analyze', path]).stdout);
  return { text, json: JSON.parse(ostrace(['analyze', path, '--format', 'json']).stdout) as Analyzed };
}

function explain(path: string) {
  const r = ostrace(['explain', path]);
  const json = JSON.parse(ostrace(['explain', path, '--format', 'json']).stdout) as {
    problems: number;
    verdict: string;
    outsideCommands?: unknown[];
    startUnseen?: unknown[];
  };
  return { code: r.code, text: flat(r.stdout), json };
}

// The seed log (the design document's real `server add volume`, 2018) from its first compute
// call on: its START, `command:` line and token request cut.
const SEED = 'seed-attach-volume/client.log';

/** The heading of a run whose only open point is a command whose START is cut. */
const START_UNSEEN = "No problem found in what these logs show; one command's start is not in the log (below).";

describe("explain and analyze on a command's tail", () => {
  it('the minicloud sample (samples/formats/osc-tail-no-start): the attach is a command, exit 0, confirmed by the next', () => {
    const path = join(root, 'samples/formats/osc-tail-no-start.log');
    const a = analyze(path);
    expect(a.json.commands.map((c) => [c.line, c.endLine, c.argv, c.name, c.exitCode])).toEqual([
      [1, 55, [], null, 0],
      [58, 110, ['--debug', 'volume', 'show', 'vol-01', '-c', 'status', '-c', 'attachments'], 'volume show', 0],
    ]);
    expect(a.json.exchanges.every((x) => x.command !== null)).toBe(true);
    expect(a.json.flows.map((f) => [f.flow, f.command, f.verdict])).toEqual([
      ['client/server-add-volume', 1, 'complete'],
    ]);
    expect(a.text).toContain('osc-tail-no-start.log:1 exit 0 7 requests');
    const r = explain(path);
    expect([r.code, r.json.problems, r.json.verdict, r.json.outsideCommands]).toEqual([0, 0, START_UNSEEN, undefined]);
  });

  it('a START-cut detach that exited 0, confirmed by the next read (samples/formats/osc-tail-exit0-detach): no problem, and its start not in the log, in text, markdown and HTML', () => {
    const path = join(root, 'samples/formats/osc-tail-exit0-detach.log');
    const a = analyze(path);
    expect(a.json.flows.map((f) => [f.flow, f.command, f.verdict])).toEqual([
      ['client/server-remove-volume', 1, 'complete'],
    ]);
    const r = explain(path);
    expect([r.code, r.json.problems, r.json.verdict]).toEqual([0, 0, START_UNSEEN]);
    expect(r.json.startUnseen).toEqual([
      { source: path, line: 1, endLine: 50, exitCode: 0, calls: 8, operations: ['client/server-remove-volume'] },
    ]);
    const item = `a command whose start the log does not show (${path}:1–50): exit 0, 8 calls (client/server-remove-volume)`;
    const head = 'Not shown by this log: which command this was';
    expect(r.text).toContain(`${START_UNSEEN} ${head}`);
    expect(r.text).toContain(`- ${item}`);
    const markdown = flat(ostrace(['explain', path, '--format', 'markdown']).stdout);
    expect(markdown).toContain(`${START_UNSEEN} ${head}`);
    expect(markdown).toContain('- a command whose start the log does not show \\(');
    expect(markdown).toContain('\\): exit 0, 8 calls \\(client/server-remove-volume\\)');
    const html = flat(ostrace(['analyze', path, '--format', 'html']).stdout);
    expect(html).toContain(START_UNSEEN.replace("'", '&#39;'));
    expect(html).toContain(item);
    // Its command line is never guessed from its calls.
    for (const out of [r.text, markdown, html]) {
      expect(out).not.toContain(NO_PROBLEM);
      expect(out).not.toMatch(/openstack (--debug )?server remove volume/);
    }
  });

  it('the seed log cut: its calls and END one command, the attach still open', () => {
    const path = cut(SEED, 'seed-tail.log', [[16, 57]]);
    const a = analyze(path);
    expect(a.json.commands.map((c) => [c.line, c.endLine, c.argv, c.name, c.exitCode])).toEqual([[1, 42, [], null, 0]]);
    expect(a.json.flows.map((f) => [f.flow, f.command, f.verdict])).toEqual([
      ['client/server-add-volume', 1, 'complete'],
    ]);
    const r = explain(path);
    expect([r.code, r.json.problems]).toEqual([0, 0]);
    expect(r.json.verdict).toBe(
      'No problem found in what these logs show; whether one accepted operation completed is not shown (below).',
    );
    expect(r.text).not.toContain('outside any command');
    expect(r.text).toContain(
      `attach of volume liangr to vm-ml-1: a command whose start the log does not show (${path}:1), answered HTTP 200`,
    );
  });

  it('the tail with its `clean_up` but not its END: one command, how it ended not shown', () => {
    const path = cut(SEED, 'seed-tail-no-end.log', [[16, 56]]);
    expect(analyze(path).json.commands.map((c) => [c.line, c.endLine, c.exitCode])).toEqual([[1, 41, null]]);
    const r = explain(path);
    expect([r.code, r.json.problems]).toEqual([0, 0]);
    expect(r.text).toContain(
      `how this command ended (no \`END return value\` line: the log stops, or another command starts first): - a command whose start the log does not show (${path}:1–41)`,
    );
  });

  it('the same tail of a command that failed: its exit 1 and error told, no command line made up', () => {
    const path = cut(SEED, 'seed-tail-failed.log', [[16, 55]], (t) =>
      [t, 'clean_up AddServerVolume: Conflict: Volume is in-use (HTTP 409)', 'END return value: 1'].join('\n'),
    );
    const r = explain(path);
    expect([r.code, r.json.problems]).toEqual([1, 1]);
    expect(r.text).toContain(
      '1. a command whose start the log does not show (exit 1) failed in the client after the API accepted its call: Conflict: Volume is in-use (HTTP 409)',
    );
    expect(r.text).toContain(`A command whose start the log does not show (${path}:1) exited 1: "Conflict`);
    expect(r.text).not.toMatch(/`openstack `|``/);
  });

  it('its argv unknown, a lookup cut between two steps shown is missing, not "not given by the command line"', () => {
    // The real osc 6 `server remove volume`: the token request and the DELETE kept, the lookups between them cut.
    const path = cut('real-osc/server-remove-volume.log', 'mid-cut.log', [
      [20, 30],
      [74, 80],
    ]);
    const a = analyze(path);
    expect(a.json.commands.map((c) => [c.argv, c.exitCode])).toEqual([[[], 0]]);
    expect(a.text).toContain('missing get-server');
    expect(a.text).not.toContain('which the command line does not give');
  });
});
