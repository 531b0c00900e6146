// A client record's body or message goes on only over the lines right after it: a line of
// another source in between (a service's record, Pebble's or uwsgi's own line) ends it, so an
// unprefixed line after that is not the client record's. Real lines: keystoneauth's REQ, RESP
// and RESP BODY in nova-api's log with the debug suffix its record goes on with
// (samples/field/nova-api-authtoken-ksa), and real lines of other sources put between the RESP
// BODY and that suffix.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const lines = (path: string) => readFileSync(new URL(`../../samples/${path}`, import.meta.url), 'utf8').split('\n');

const ksa = lines('field/nova-api-authtoken-ksa/nova-api-authtoken-ksa.log');
const conductor = lines(
  'field/sunbeam-pebble-nova-conductor/k8s_kubectl_--namespace_openstack_logs_nova-0_-c_nova-conductor',
);
const novaApi = lines('field/sunbeam-pebble-nova-api/k8s_kubectl_--namespace_openstack_logs_nova-0_-c_nova-api');
const uwsgi = lines('minicloud/06-legacy-detach-forced/nova-api-uwsgi.log');

/** The client lines (REQ, RESP, RESP BODY; then its ` _http_log_response …` suffix), `between` after the body. */
function run(between: string[]) {
  const text = [...ksa.slice(0, 3), ...between, ...ksa.slice(3)].join('\n');
  const { result } = runPipelineOnText([{ name: 'nova-api.log', text }], {});
  const input = result.inputs[0]!;
  const client = [...result.exchanges].filter((e) => e.side === 'client');
  return {
    client: client.map((e) => [e.line, e.endLine, e.method, e.status]),
    unrecognized: input.unrecognized.map((u) => u.line),
  };
}

describe('a client record with a line of another source after it', () => {
  it('goes on over the line right after its body (control: nothing between)', () => {
    expect(ksa[3]).toMatch(/^ _http_log_response /);
    expect(run([])).toEqual({ client: [[1, 4, 'GET', 300]], unrecognized: [] });
  });

  it("ends at Pebble's own line: the unprefixed line after it is not the body's", () => {
    // `2025-05-14T07:07:42.109Z [pebble] GET /v1/notices?timeout=30s 168.034471ms 200`
    expect(run([conductor[2]!])).toEqual({ client: [[1, 3, 'GET', 300]], unrecognized: [5] });
  });

  it("ends at a service's access line (Apache under Pebble) and at uwsgi's own diagnostic", () => {
    expect(run([novaApi[56]!])).toEqual({ client: [[1, 3, 'GET', 300]], unrecognized: [5] });
    expect(run([uwsgi[1]!])).toEqual({ client: [[1, 3, 'GET', 300]], unrecognized: [5] });
  });

  it("ends at a service's record: after that record's end (a blank line), the unprefixed line is neither's", () => {
    // nova-conductor's ERROR (Pebble, then oslo.log): a record read from entries ends at a blank line
    expect(run([conductor[36]!, ''])).toEqual({ client: [[1, 3, 'GET', 300]], unrecognized: [6] });
  });
});

// The same holds for a client's traceback and for a command typed over several lines. Real lines:
// osc's traceback of a failed `server add volume` (samples/minicloud/03-attach-in-use-error, lines
// 152 and 234-261: START, the traceback, its error line, clean_up, END) and the command typed over
// seven lines in a packstack paste (samples/field/packstack-token-issue-table).
const attach = lines('minicloud/03-attach-in-use-error/client.log');
const typed = lines('field/packstack-token-issue-table/packstack-token-issue-table.log');

/**
 * The other sources' lines the tests above put between. Not nova-conductor's ERROR: the unprefixed
 * lines after a service's record are that record's, and the blank line that ends a record read
 * from entries is no traceback line nor typed line either — both ended there already.
 */
const interleaved: Array<[string, string[]]> = [
  ["Pebble's own line", [conductor[2]!]],
  ["Apache's access line under Pebble", [novaApi[56]!]],
  ["uwsgi's diagnostic", [uwsgi[1]!]],
];

/** osc's failed command with `between` put into its traceback after the traceback's line `at` (1-based in the text). */
function traceback(between: string[], at: number) {
  const cut = [attach[151]!, ...attach.slice(233, 261)];
  const text = [...cut.slice(0, at), ...between, ...cut.slice(at)].join('\n');
  const { result } = runPipelineOnText([{ name: 'client.log', text }], {});
  const [command] = [...result.commands];
  const tb = command?.traceback;
  return {
    traceback: tb && [tb.line, tb.endLine, tb.frames, tb.error?.split(':')[0] ?? null],
    exitCode: command?.exitCode,
    unrecognized: result.inputs[0]!.unrecognized.map((u) => u.line),
  };
}

describe("a client's traceback with a line of another source in it", () => {
  it('is one traceback with nothing between (control)', () => {
    expect(attach[233]).toBe('Traceback (most recent call last):');
    expect(traceback([], 4)).toEqual({
      traceback: [2, 27, 9, 'openstack.exceptions.BadRequestException'],
      exitCode: 1,
      unrecognized: [],
    });
  });

  it.each(interleaved)('ends at %s: the indented code line after it is not the traceback’s', (_, between) => {
    // after the first frame and its code line: the caret line under that code follows
    expect(attach[236]).toMatch(/^ +\^+$/);
    const n = between.length;
    // The next frame opens a traceback of its own (as a pasted fragment does): it goes on to the error.
    expect(traceback(between, 4)).toEqual({
      traceback: [6 + n, 27 + n, 8, 'openstack.exceptions.BadRequestException'],
      exitCode: 1,
      unrecognized: [5 + n],
    });
  });

  it.each(interleaved)('ends at %s before its error line: the traceback has no error of its own', (_, between) => {
    expect(attach[258]).toMatch(/^openstack\.exceptions\.BadRequestException: /);
    expect(traceback(between, 26)).toEqual({
      traceback: [2, 26, 9, null],
      exitCode: 1,
      unrecognized: [],
    });
  });
});

/** The command typed over seven lines with `between` after its typed line `at` (1-based). */
function typedCommand(between: string[], at: number) {
  const text = [...typed.slice(0, at), ...between, ...typed.slice(at, 7)].join('\n');
  const { result } = runPipelineOnText([{ name: 'typed.log', text }], {});
  const [command] = [...result.commands];
  return { argv: command?.argv, unrecognized: result.inputs[0]!.unrecognized.map((u) => u.line) };
}

describe('a command typed over several lines with a line of another source in it', () => {
  it('takes every typed line with nothing between (control)', () => {
    expect(typed[1]).toBe('  --os-username cinder \\');
    expect(typedCommand([], 2).argv).toHaveLength(14);
  });

  it.each(interleaved)('ends at %s: the typed lines after it add no word to the command', (_, between) => {
    // They read as the output of the command typed so far (a run without --debug), as after a line without `\`.
    expect(typedCommand(between, 2)).toEqual({
      argv: ['token', 'issue', '--os-username', 'cinder'],
      unrecognized: [],
    });
  });
});
