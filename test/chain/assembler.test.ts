// Exchange reconstruction rules of the assembler, on short real-shaped transcripts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Assembler } from '../../src/chain/assembler.js';
import type { Command, Exchange } from '../../src/model/schema.js';
import { parseRecords } from '../../src/parse/index.js';

function assemble(text: string): { exchanges: Exchange[]; commands: Command[]; unrecognized: number[] } {
  const exchanges: Exchange[] = [];
  const commands: Command[] = [];
  const unrecognized: number[] = [];
  let e = 0;
  let c = 0;
  const a = new Assembler(
    't.log',
    { nextExchangeId: () => ++e, nextCommandId: () => ++c },
    {
      exchange: (x) => exchanges.push(x),
      command: (x) => commands.push(x),
    },
  );
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    for (const r of parseRecords(line)) if (!a.push(r, i + 1)) unrecognized.push(i + 1);
  });
  a.end(lines.length);
  exchanges.sort((x, y) => x.id - y.id);
  return { exchanges, commands, unrecognized };
}

const H = 'http://10.0.0.5';
const AUTH = [
  `Making authentication request to ${H}/identity/v3/auth/tokens`,
  `${H}:80 "POST /identity/v3/auth/tokens HTTP/1.1" 201 2114`,
  `{"token": {"catalog": [{"type": "compute", "endpoints": [{"url": "${H}/compute/v2.1"}]}, {"type": "identity", "endpoints": [{"url": "${H}/identity"}]}]}}`,
];

describe('the auth exchange', () => {
  it('is built from `Making authentication request`, the urllib3 line and the bare token JSON', () => {
    const { exchanges } = assemble(AUTH.join('\n'));
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]).toMatchObject({
      kind: 'auth',
      method: 'POST',
      path: '/identity/v3/auth/tokens',
      status: 201,
      service: 'identity',
      line: 1,
      endLine: 3,
      complete: true,
    });
  });
});

describe('resent requests', () => {
  it('a 401 re-authentication resend has no REQ line and is still an exchange (kind resend)', () => {
    const { exchanges } = assemble(
      [
        'START with options: --debug server show vm1',
        ...AUTH,
        `REQ: curl -g -i -X GET ${H}/compute/v2.1/servers/vm1 -H "X-Auth-Token: {SHA256}aa"`,
        `${H}:80 "GET /compute/v2.1/servers/vm1 HTTP/1.1" 401 114`,
        'RESP: [401] Content-Length: 114 x-openstack-request-id: req-401',
        'RESP BODY: {"error": {"code": 401, "message": "The request you have made requires authentication.", "title": "Unauthorized"}}',
        ...AUTH,
        `${H}:80 "GET /compute/v2.1/servers/vm1 HTTP/1.1" 200 1802`,
        'RESP: [200] Content-Length: 1802 x-compute-request-id: req-200c x-openstack-request-id: req-200',
        'RESP BODY: {"server": {}}',
        'END return value: 0',
      ].join('\n'),
    );
    expect(exchanges.map((x) => [x.kind, x.method, x.status, x.requestId, x.resendOf])).toEqual([
      ['auth', 'POST', 201, null, null],
      ['request', 'GET', 401, 'req-401', null],
      ['auth', 'POST', 201, null, null],
      ['resend', 'GET', 200, 'req-200', 2],
    ]);
    expect(exchanges[1]!.error).toEqual({
      code: 'error',
      message: 'The request you have made requires authentication.',
    });
  });
});

describe('the resource a 2xx body shows', () => {
  const show = (body: string) =>
    assemble(
      [
        'START with options: --debug volume show v1',
        ...AUTH,
        `REQ: curl -g -i -X GET ${H}/volume/v3/volumes/v1 -H "X-Auth-Token: {SHA256}aa"`,
        `${H}:80 "GET /volume/v3/volumes/v1 HTTP/1.1" 200 100`,
        'RESP: [200] Content-Length: 100 x-openstack-request-id: req-v1',
        `RESP BODY: ${body}`,
        'END return value: 0',
      ].join('\n'),
    ).exchanges.find((x) => x.requestId === 'req-v1')!.resource;

  it('is read from a body of one resource with a status, however JSON spells the key', () => {
    const volume = { type: 'volume', id: 'v1-id', name: 'v1', status: 'available' };
    expect(show('{"volume": {"id": "v1-id", "name": "v1", "status": "available"}}')).toEqual(volume);
    // `\u0073tatus` is `status`: a body is not passed over for how it writes its keys
    expect(show('{"volume": {"id": "v1-id", "name": "v1", "\\u0073tatus": "available"}}')).toEqual(volume);
  });

  it('is none when the body has no status (a token, a catalog) or more than one resource', () => {
    expect(show('{"volume": {"id": "v1-id", "name": "v1"}}')).toBeUndefined();
    expect(show('{"volume": {"id": "v1-id", "status_text": "available"}}')).toBeUndefined();
    expect(show('{"volumes": [{"status": "available"}, {"status": "error"}]}')).toBeUndefined();
  });
});

describe('unanswered requests', () => {
  it('a REQ never answered has status null, complete false and a reason', () => {
    const { exchanges } = assemble(
      [`REQ: curl -g -i -X GET ${H}/compute/v2.1/servers`, `REQ: curl -g -i -X GET ${H}/volume/v3/volumes`].join('\n'),
    );
    expect(exchanges.map((x) => [x.status, x.complete, x.incompleteReason])).toEqual([
      [null, false, 'no response logged before the next request'],
      [null, false, 'end of input before a response'],
    ]);
  });
});

describe('request ids', () => {
  it('prefers x-openstack-request-id, then x-compute-request-id, then the `used request id` line, then the client error', () => {
    const { exchanges } = assemble(
      [
        'START with options: --debug server show a',
        `REQ: curl -g -i -X GET ${H}/compute/v2.1/servers/a`,
        `${H}:80 "GET /compute/v2.1/servers/a HTTP/1.1" 200 1`,
        'RESP: [200] x-compute-request-id: req-compute x-openstack-request-id: req-openstack',
        `REQ: curl -g -i -X GET ${H}/compute/v2.1/servers/b`,
        `${H}:80 "GET /compute/v2.1/servers/b HTTP/1.1" 200 1`,
        'RESP: [200] x-compute-request-id: req-compute-only',
        `REQ: curl -g -i -X GET ${H}/compute/v2.1/servers/c`,
        `${H}:80 "GET /compute/v2.1/servers/c HTTP/1.1" 200 1`,
        `GET call to compute for ${H}/compute/v2.1/servers/c used request id req-from-line`,
        `REQ: curl -g -i -X GET ${H}/identity/v3/users/d`,
        `${H}:80 "GET /identity/v3/users/d HTTP/1.1" 403 1`,
        'RESP: [403] Content-Length: 1',
        'You are not authorized to perform the requested action. (HTTP 403) (Request-ID: req-from-error)',
        'END return value: 1',
      ].join('\n'),
    );
    expect(exchanges.map((x) => x.requestId)).toEqual([
      'req-openstack',
      'req-compute-only',
      'req-from-line',
      'req-from-error',
    ]);
  });

  it('a client-sent X-OpenStack-Request-ID is the global id, never the response id', () => {
    const { exchanges } = assemble(
      [
        `REQ: curl -g -i -X DELETE ${H}/volume/v3/p/volumes/v1 -H "X-OpenStack-Request-ID: req-earlier-response"`,
        `${H}:80 "DELETE /volume/v3/p/volumes/v1 HTTP/1.1" 202 0`,
        'RESP: [202] Content-Length: 0 x-openstack-request-id: req-own',
      ].join('\n'),
    );
    expect(exchanges[0]).toMatchObject({ requestId: 'req-own', globalRequestId: 'req-earlier-response' });
  });
});

describe('--timing tables', () => {
  const run = [
    'START with options: --debug --timing server show vm1',
    ...AUTH,
    `REQ: curl -g -i -X GET "${H}/compute/v2.1/servers?name=vm1"`,
    `${H}:80 "GET /compute/v2.1/servers?name=vm1 HTTP/1.1" 200 15`,
    'RESP: [200] x-openstack-request-id: req-1',
    `REQ: curl -g -i -X GET ${H}/compute/v2.1/servers?name=vm1`,
    `${H}:80 "GET /compute/v2.1/servers?name=vm1 HTTP/1.1" 200 15`,
    'RESP: [200] x-openstack-request-id: req-2',
  ];
  const table = [
    '+-----------------------------------------------+----------+',
    '| URL                                           |  Seconds |',
    '+-----------------------------------------------+----------+',
    `| POST ${H}/identity/v3/auth/tokens             | 0.101 |`,
    `| GET ${H}/compute/v2.1/servers?name=vm1        | 0.0123 |`,
    `| GET ${H}/compute/v2.1/servers?name=vm1        | 0.0456 |`,
    '| Total                                         | 0.1589 |',
    '+-----------------------------------------------+----------+',
  ];

  it('times exchanges in order by METHOD + URL, the token POST included (table before END: a terminal)', () => {
    const { exchanges, unrecognized } = assemble([...run, ...table, 'END return value: 0'].join('\n'));
    expect(exchanges.map((x) => [x.durationMs, x.timing])).toEqual([
      [101, 'timing-table'],
      [12.3, 'timing-table'],
      [45.6, 'timing-table'],
    ]);
    expect(unrecognized).toEqual([]);
  });

  it('still times them when stdout was buffered until after END', () => {
    const { exchanges } = assemble([...run, 'END return value: 0', '', ...table].join('\n'));
    expect(exchanges.map((x) => x.durationMs)).toEqual([101, 12.3, 45.6]);
  });

  it('leaves log timestamps alone: they are more exact than the table', () => {
    const stamped = run.map((l, i) => `2026-11-25 20:13:59.${String(100 + i * 10)} 22992 DEBUG x.y [-] ${l}`);
    const { exchanges } = assemble([...stamped, 'END return value: 0', ...table].join('\n'));
    expect(exchanges.every((x) => x.timing === 'log')).toBe(true);
  });
});

describe('split loggers', () => {
  it('make one exchange from request, response, body and request-id loggers', () => {
    const { exchanges } = assemble(
      [
        `DEBUG:keystoneauth.session.request:curl -g -i -X GET ${H}/compute/v2.1/servers/x`,
        `DEBUG:urllib3.connectionpool:${H}:80 "GET /compute/v2.1/servers/x HTTP/1.1" 404 78`,
        'DEBUG:keystoneauth.session.response:[404] Content-Length: 78 x-openstack-request-id: req-split',
        'DEBUG:keystoneauth.session.body:{"itemNotFound": {"code": 404, "message": "Instance x could not be found."}}',
        `DEBUG:keystoneauth.session.request-id:GET call to compute for ${H}/compute/v2.1/servers/x used request id req-split`,
      ].join('\n'),
    );
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]).toMatchObject({
      kind: 'request',
      status: 404,
      requestId: 'req-split',
      error: { code: 'itemNotFound', message: 'Instance x could not be found.' },
    });
  });
});

describe("a command's tail without its START (a paste of the end of `openstack --debug` output)", () => {
  const get = (path: string, id: string) => [
    `REQ: curl -g -i -X GET ${H}/compute/v2.1${path}`,
    `${H}:80 "GET /compute/v2.1${path} HTTP/1.1" 200 15`,
    `RESP: [200] x-openstack-request-id: ${id}`,
  ];
  const tail = [...get('/servers/vm1', 'req-1'), ...get('/servers?name=vm1', 'req-2')];

  it('its calls before `clean_up` and `END return value` are that command: from its first call, its exit code, argv unknown', () => {
    const { exchanges, commands } = assemble(
      ['Here is the end of it:', ...tail, 'clean_up ShowServer: ', 'END return value: 1'].join('\n'),
    );
    expect(commands.map((c) => [c.line, c.endLine, c.argv, c.name, c.exitCode, c.complete, c.exchanges])).toEqual([
      [2, 9, [], null, 1, true, [1, 2]],
    ]);
    expect(exchanges.map((x) => x.command)).toEqual([1, 1]);
  });

  it('with `clean_up` but its END cut too: the command carries its calls, how it ended not shown', () => {
    const { exchanges, commands } = assemble([...tail, 'clean_up ShowServer: '].join('\n'));
    expect(commands.map((c) => [c.line, c.exitCode, c.complete, c.exchanges])).toEqual([[1, null, false, [1, 2]]]);
    expect(exchanges.map((x) => x.command)).toEqual([1, 1]);
  });

  it('after a whole command with --timing: the table times that command, the calls after it are the next', () => {
    const first = [
      'START with options: --debug --timing server show vm1',
      'command: server show -> openstackclient.compute.v2.server.ShowServer (auth=True)',
      ...get('/servers/vm1', 'req-a'),
      'END return value: 0',
      '+------------------------------------------+---------+',
      '| URL                                      | Seconds |',
      '+------------------------------------------+---------+',
      `| GET ${H}/compute/v2.1/servers/vm1        | 0.0123 |`,
      '| Total                                    | 0.0123 |',
      '+------------------------------------------+---------+',
    ];
    const { exchanges, commands } = assemble([...first, ...tail, 'END return value: 0'].join('\n'));
    expect(commands.map((c) => [c.line, c.name, c.exchanges])).toEqual([
      [1, 'server show', [1]],
      [first.length + 1, null, [2, 3]],
    ]);
    expect(exchanges.map((x) => [x.command, x.durationMs])).toEqual([
      [1, 12.3],
      [2, null],
      [2, null],
    ]);
  });

  it('calls before a `command:` line are not its (osc prints that line before any call of its command)', () => {
    const { exchanges, commands } = assemble(
      [
        ...tail,
        'command: server show -> openstackclient.compute.v2.server.ShowServer (auth=True)',
        'END return value: 0',
      ].join('\n'),
    );
    expect(commands.map((c) => [c.line, c.name, c.exchanges])).toEqual([[7, 'server show', []]]);
    expect(exchanges.map((x) => x.command)).toEqual([null, null]);
  });

  it('a client that prints no START or END (a legacy one): its calls stay outside any command', () => {
    const { exchanges, commands } = assemble(tail.join('\n'));
    expect(commands).toEqual([]);
    expect(exchanges.map((x) => x.command)).toEqual([null, null]);
  });

  // The real failed attach of minicloud 03 (OpenStack Zed, osc 6): lines 152–261 are
  // `openstack --debug server add volume srv-03b vol-03`, its traceback at 234–259.
  const real = readFileSync(
    new URL('../../samples/minicloud/03-attach-in-use-error/client.log', import.meta.url),
    'utf8',
  ).split('\n');
  const lines = (from: number, to: number) => real.slice(from - 1, to);
  const whole = assemble(lines(152, 261).join('\n')).commands[0]!;
  // From its first call on: START, `command:` line, token request and compute discovery cut.
  const at = (n: number) => n - 189;

  it("a traceback before its `clean_up` is that command's, as when its START is shown", () => {
    expect(whole.traceback).toMatchObject({ line: 234 - 151, endLine: 259 - 151, frames: 9 });
    const { commands, unrecognized } = assemble(lines(190, 261).join('\n'));
    expect(commands.map((c) => [c.line, c.endLine, c.argv, c.exitCode, c.error, c.traceback])).toEqual([
      [1, at(261), [], 1, whole.error, { ...whole.traceback!, line: at(234), endLine: at(259) }],
    ]);
    expect(unrecognized).toEqual([]);
  });

  it('cut after its `clean_up` too: the command still carries its traceback (how it ended not shown)', () => {
    const { commands } = assemble(lines(190, 260).join('\n'));
    expect(commands.map((c) => [c.exitCode, c.complete, c.traceback?.line])).toEqual([[null, false, at(234)]]);
  });

  it('the traceback alone before its `clean_up`: the command starts at the traceback', () => {
    const { commands, unrecognized } = assemble(lines(234, 261).join('\n'));
    expect(commands.map((c) => [c.line, c.exitCode, c.traceback?.line, c.traceback?.endLine])).toEqual([[1, 1, 1, 26]]);
    expect(unrecognized).toEqual([]);
  });

  it("a traceback a START follows is no later command's", () => {
    // The traceback cut from its command, the whole `volume show` after it, then a START-cut tail.
    const { commands } = assemble(
      [...lines(234, 259), ...lines(264, 338), ...tail, 'clean_up ShowServer: ', 'END return value: 0'].join('\n'),
    );
    expect(commands.map((c) => [c.name, c.exitCode, c.traceback])).toEqual([
      ['volume show', 0, null],
      [null, 0, null],
    ]);
  });
});
