// python http.client's wire dump (`send:`/`reply:`/`header:`) read with, or without, the
// client's own REQ/RESP/urllib3 lines of the same request: one exchange per request.
import { describe, expect, it } from 'vitest';
import { parseRecords } from '../../src/parse/index.js';
import { runPipelineOnText } from '../../src/pipeline.js';

const analyze = (lines: string[]) => runPipelineOnText([{ name: 'wire.log', text: lines.join('\n') }]).result;
const rows = (lines: string[]) =>
  analyze(lines).exchanges.map((e) => [e.method, e.url, e.status, e.requestId, e.line, e.endLine]);

const SEND =
  "send: b'GET /v2.1/servers HTTP/1.1\\r\\nHost: h:8774\\r\\nAccept: application/json\\r\\nX-Auth-Token: gAAAAAtoken\\r\\n\\r\\n'";
const REPLY = "reply: 'HTTP/1.1 200 OK\\r\\n'";
const HEADERS = [
  'header: Content-Length: 15',
  'header: x-openstack-request-id: req-1c8f2a8e-3e4b-4c55-9a0f-2b1d6e7f8a90',
];

describe('http.client wire dump', () => {
  it('reads send, reply and header lines into records', () => {
    expect(parseRecords(SEND)[0]).toEqual({
      kind: 'wire-send',
      method: 'GET',
      target: '/v2.1/servers',
      host: 'h:8774',
      headers: [
        ['Host', 'h:8774'],
        ['Accept', 'application/json'],
        ['X-Auth-Token', 'gAAAAAtoken'],
      ],
      body: null,
    });
    expect(parseRecords('send: b\'{"os-stop": null}\'')[0]).toMatchObject({ method: null, body: '{"os-stop": null}' });
    expect(parseRecords(REPLY)[0]).toEqual({ kind: 'wire-reply', status: 200, reason: 'OK' });
    expect(parseRecords('header: Date: Tue, 21 Jan 2014 23:46:47 GMT')[0]).toEqual({
      kind: 'wire-header',
      name: 'Date',
      value: 'Tue, 21 Jan 2014 23:46:47 GMT',
    });
    // Python 3.4's dump printed header names only: nothing to read.
    expect(parseRecords('header: Date header: Server')[0]?.kind).toBe('unrecognized');
  });

  it('makes an exchange of the dump alone, its request id from the headers', () => {
    expect(rows([SEND, REPLY, ...HEADERS])).toEqual([
      ['GET', 'http://h:8774/v2.1/servers', 200, 'req-1c8f2a8e-3e4b-4c55-9a0f-2b1d6e7f8a90', 1, 4],
    ]);
  });

  it('is one exchange with the REQ, urllib3 and RESP lines around it (keystoneauth order)', () => {
    expect(
      rows([
        'REQ: curl -g -i -X GET http://h:8774/v2.1/servers -H "Accept: application/json"',
        SEND,
        REPLY,
        ...HEADERS,
        'http://h:8774 "GET /v2.1/servers HTTP/1.1" 200 15',
        'RESP: [200] Content-Length: 15 x-openstack-request-id: req-1c8f2a8e-3e4b-4c55-9a0f-2b1d6e7f8a90',
        'RESP BODY: {"servers": []}',
      ]),
    ).toEqual([['GET', 'http://h:8774/v2.1/servers', 200, 'req-1c8f2a8e-3e4b-4c55-9a0f-2b1d6e7f8a90', 1, 8]]);
  });

  it('is one exchange with a REQ and RESP logged after it (Essex novaclient order)', () => {
    expect(
      rows([
        SEND,
        REPLY,
        ...HEADERS,
        'REQ: curl -i http://h:8774/v2.1/servers -X GET -H "Accept: application/json"',
        "RESP:{'status': '200', 'x-compute-request-id': 'req-728bff03-95cc-43c5-ae26-354d4511c216'} {\"servers\": []}",
      ]),
    ).toEqual([['GET', 'http://h:8774/v2.1/servers', 200, 'req-728bff03-95cc-43c5-ae26-354d4511c216', 1, 6]]);
  });

  it('keeps two different requests apart', () => {
    const other = "send: b'DELETE /v2.1/servers/x HTTP/1.1\\r\\nHost: h:8774\\r\\n\\r\\n'";
    expect(rows([SEND, REPLY, ...HEADERS, other, "reply: 'HTTP/1.1 404 Not Found\\r\\n'"]).map((r) => r[0])).toEqual([
      'GET',
      'DELETE',
    ]);
  });
});
