// Hard-wrapped pastes: continuation lines joined to their record only when that is evident.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';
import type { Exchange } from '../../src/model/schema.js';

const sample = (path: string) => readFileSync(new URL(`../../samples/${path}`, import.meta.url), 'utf8');

function analyze(text: string, name = 'paste.log') {
  return runPipelineOnText([{ name, text }]).result;
}

/** What an exchange says, apart from where it is in its file. */
const gist = (e: Exchange) => ({
  method: e.method,
  url: e.url,
  status: e.status,
  requestId: e.requestId,
  service: e.service,
  microversion: e.microversion,
  error: e.error,
  action: e.action,
});

describe('hard-wrapped pastes', () => {
  it('reads `fold -w 76` and `fold -s -w 72` output of real recordings as the recordings themselves', () => {
    for (const [wrapped, original] of [
      ['field/osc-fold-w76/osc-fold-w76.log', 'real-osc/server-add-volume-409.log'],
      ['field/osc-fold-s-w72/osc-fold-s-w72.log', 'real-osc/volume-show.log'],
    ] as const) {
      const a = analyze(sample(original));
      const b = analyze(sample(wrapped));
      expect(b.exchanges.map(gist), wrapped).toEqual(a.exchanges.map(gist));
      expect(b.inputs[0]!.unrecognizedLines, wrapped).toBe(0);
      expect(b.inputs[0]!.kinds.wrapped, wrapped).toBeGreaterThan(100);
      expect(b.commands.map((c) => c.error)).toEqual(a.commands.map((c) => c.error));
    }
  });

  it('joins a header cut from its value, so the request id is whole', () => {
    // What `fold -w 60` does: every line longer than 60 columns cut into 60-column pieces.
    const fold = (line: string) => line.match(/.{1,60}/g)!;
    const text = [
      'REQ: curl -g -i -X GET http://h:8774/v2.1/servers/detail -H "Accept: application/json"',
      'RESP: [200] Content-Length: 15 Content-Type: application/json x-openstack-request-id: req-1c8f2a8e-3e4b-4c55-9a0f-2b1d6e7f8a90',
      'RESP BODY: {"servers": []}',
    ]
      .flatMap(fold)
      .join('\n');
    const r = analyze(text);
    expect(r.exchanges.map((e) => [e.method, e.path, e.status, e.requestId])).toEqual([
      ['GET', '/v2.1/servers/detail', 200, 'req-1c8f2a8e-3e4b-4c55-9a0f-2b1d6e7f8a90'],
    ]);
    expect(r.inputs[0]!.kinds.wrapped).toBe(3);
    expect(r.inputs[0]!.unrecognizedLines).toBe(0);
  });

  it('joins a summary line wrapped over three lines, and nothing when it never becomes a record', () => {
    const wrapped = [
      'REQ: curl -g -i -X GET http://h:8774/v2.1/servers/0b7e1f6c-2d4a-4c35-9a51 ',
      '-H "Accept: application/json"',
      'RESP: [200] Content-Length: 2',
      'GET call to compute for ',
      'http://h:8774/v2.1/servers/0b7e1f6c-2d4a-4c35-9a51 used request id ',
      'req-22bb33cc-44dd-455e-866f-778899001122',
    ].join('\n');
    const r = analyze(wrapped);
    expect(r.exchanges.map((e) => e.requestId)).toEqual(['req-22bb33cc-44dd-455e-866f-778899001122']);
    expect(r.inputs[0]!.unrecognizedLines).toBe(0);
    // Text that is cut but never becomes a record keeps its lines, each unrecognized.
    const never = wrapped
      .split('\n')
      .slice(0, 3)
      .concat(['GET call to compute for ', 'the server I made ', 'yesterday']);
    const n = analyze(never.join('\n'));
    expect(n.inputs[0]!.unrecognized.map((u) => u.line)).toEqual([4, 5, 6]);
  });

  it('joins the wrapped lines of a quoted mail without their quote', () => {
    const text = [
      '> REQ: curl -g -i -X GET http://h:8774/v2.1/servers/detail -H "Accept: app',
      '> lication/json"',
      '> RESP: [200] Content-Length: 15 Content-Type: application/json x-openstac',
      '> k-request-id: req-1c8f2a8e-3e4b-4c55-9a0f-2b1d6e7f8a90',
    ].join('\n');
    const r = analyze(text);
    expect(r.exchanges.map((e) => [e.url, e.requestId])).toEqual([
      ['http://h:8774/v2.1/servers/detail', 'req-1c8f2a8e-3e4b-4c55-9a0f-2b1d6e7f8a90'],
    ]);
  });

  it('joins a service line cut inside its context bracket and before its URL, with the space the cut dropped', () => {
    const text = [
      '\tINFO cinder.api.openstack.wsgi [req-c0854007-3b72-4964-b337-b9e331874c4e',
      '\td1a60c7b4bbc427e8f2c3f99d0c2e6d2 509d6ae853114ea9aaaac02804d3a4dd - - -] POST',
      '\thttp://c:8776/v1/509d6ae853114ea9aaaac02804d3a4dd/volumes/7a8a46ba-868a-4620-acc5-84467036fecb/action',
    ].join('\n');
    const r = analyze(text, 'cinder-api.log');
    expect(r.exchanges.map((e) => [e.method, e.path, e.requestId])).toEqual([
      [
        'POST',
        '/v1/509d6ae853114ea9aaaac02804d3a4dd/volumes/7a8a46ba-868a-4620-acc5-84467036fecb/action',
        'req-c0854007-3b72-4964-b337-b9e331874c4e',
      ],
    ]);
    expect(r.inputs[0]!.kinds.wrapped).toBe(2);
  });

  it('does not join a line that begins a record to a record that ended at the wrap width', () => {
    const fold = (line: string) => line.match(/.{1,60}/g)!;
    // The RESP ends exactly at column 120: its last piece fills the width, the summary line after it is cut.
    const resp =
      'RESP: [202] Content-Length: 100 Content-Type: text/json x-openstack-request-id: req-73ca6045-ea58-4f89-a646-28f0a8ca61ac';
    expect(resp.length).toBe(120);
    const text = [
      // osc's options line: its cut leaves a parenthesis open, which shows the wrap width.
      'options: Namespace(verbose_level=3, log_file=None, deferred_help=False, debug=True)',
      'REQ: curl -g -i -X DELETE http://h:8776/v3/p/volumes/6f3c2a1e-8b9d-4e07-a2c4-5d6e7f809a1b',
      resp,
      'DELETE call to volumev3 for http://h:8776/v3/p/volumes/6f3c2a1e-8b9d-4e07-a2c4-5d6e7f809a1b used request id req-73ca6045-ea58-4f89-a646-28f0a8ca61ac',
    ]
      .flatMap(fold)
      .join('\n');
    const r = analyze(text);
    expect(r.exchanges.map((e) => [e.status, e.requestId])).toEqual([
      [202, 'req-73ca6045-ea58-4f89-a646-28f0a8ca61ac'],
    ]);
    expect(r.inputs[0]!.unrecognizedLines).toBe(0);
  });

  it('reads a folded body of many kilobytes as continuation pieces after its head', () => {
    const fold = (line: string) => line.match(/.{1,76}/g)!;
    const servers = Array.from({ length: 2000 }, (_, i) => ({ id: `${i}`.padStart(32, '0'), name: `vm${i}` }));
    const text = [
      'REQ: curl -g -i -X GET http://h:8774/v2.1/servers -H "Accept: application/json"',
      'RESP: [200] Content-Type: application/json x-openstack-request-id: req-1c8f2a8e-3e4b-4c55-9a0f-2b1d6e7f8a90',
      `RESP BODY: ${JSON.stringify({ servers })}`,
    ]
      .flatMap(fold)
      .join('\n');
    const r = analyze(text);
    expect(r.exchanges.map((e) => [e.status, e.requestId])).toEqual([
      [200, 'req-1c8f2a8e-3e4b-4c55-9a0f-2b1d6e7f8a90'],
    ]);
    expect(r.inputs[0]!.unrecognizedLines).toBe(0);
  });

  it('does not take the first long line of a log for a cut one', () => {
    const text = [
      'DEBUG cinderclient.client [req-3011c2ec-2274-49e4-9f1e-e9ec7eb850a5 ] Failed attempt(1 of',
      '3), retrying in 1 seconds _cs_request',
    ].join('\n');
    expect(analyze(text).inputs[0]!.kinds.wrapped).toBeUndefined();
  });

  it('leaves a line alone when the line before it was not cut', () => {
    // The REQ is shorter than the widest line, ends in no space: the prose after it is prose.
    const text = [
      'RESP BODY: {"servers": [{"id": "0b7e1f6c-2d4a-4c35-9a51-3f0d8c2b9e11", "name": "vm1"}]}',
      'REQ: curl -g -i -X GET http://h:8774/v2.1/servers -H "Accept: application/json"',
      'and then it hung.',
    ].join('\n');
    const r = analyze(text);
    expect(r.inputs[0]!.unrecognized.map((u) => u.line)).toEqual([3]);
    expect(r.inputs[0]!.kinds.wrapped).toBeUndefined();
  });

  it("joins a mail's soft-wrapped records though its headers are wider than the wrap (samples/field/open-iscsi-mail-multipart)", () => {
    // Gmail's text part keeps a space at each cut (about 76 columns); its headers and footer run
    // to 142 columns. Each os-brick record was cut after its logger and in its message.
    const text = sample('field/open-iscsi-mail-multipart/open-iscsi-mail-multipart.log');
    const r = analyze(text, 'open-iscsi-mail-multipart.log');
    expect((r.serviceErrors ?? []).map((e) => [e.line, e.level, e.logger, e.requestId, e.message])).toEqual([
      [
        250,
        'ERROR',
        'os_brick.initiator.connectors.iscsi',
        'req-1f65b818-108d-41cb-9ea1-ca18761a673f',
        'Could not login to any iSCSI portal.',
      ],
    ]);
    // The records' block cut out of the mail has no wrap width but its widest line (one line of 76
    // columns, the ERROR's): that line is not taken as cut, the message stays as it reads.
    const alone = analyze(text.split('\n').slice(235, 257).join('\n'), 'tail.log');
    expect((alone.serviceErrors ?? []).map((e) => e.message)).toEqual(['Could not login to any']);
  });

  it('joins a status cut after two digits only with the digit that completes it', () => {
    const head =
      '2013-08-08 00:33:30     INFO [cinder.api.openstack.wsgi] http://c:8776/v1/p/volumes returned with HTTP 20';
    const joined = analyze(`${head}\n0\n`, 'cinder-api.log');
    expect(joined.exchanges.map((e) => [e.path, e.status])).toEqual([['/v1/p/volumes', 200]]);
    const prose = analyze(`${head}\nnot a digit\n`, 'cinder-api.log');
    // Unsure: no status is made up, and the status-less line is no exchange.
    expect(prose.exchanges.map((e) => e.path)).toEqual([]);
  });
});
