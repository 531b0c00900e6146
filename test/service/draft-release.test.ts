// Server drafts leave memory as the service log is read (issue #11): a long log's drafts
// are written out once nothing can change them, and the facts only the end of the input
// tells (the voted label, whether the log had DEBUG lines) still land on every exchange,
// as do the request's error text and body action read before its access line.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/analyze.js';
import type { Exchange } from '../../src/model/schema.js';
import { draftStats } from '../../src/service/draft-store.js';
import { repeated } from './repeated.js';

/** Real nova-api lines (minicloud recording, samples/timed/services/README.md). */
const NOVA_API = readFileSync('samples/timed/services/nova-api.log', 'utf8');

/** Real cinder-api lines of the same recording (request and `returned with HTTP` lines). */
const CINDER_API = readFileSync('samples/timed/services/cinder-api.log', 'utf8');

function serverRows(text: string, name = 'api.log'): { exchanges: Exchange[]; peak: number } {
  draftStats.peakInMemory = 0;
  // no label in the file's name: the loggers vote, and only the end of the input tells the winner
  const { result } = analyzeText([{ name, text }]);
  const exchanges = [...result.exchanges].filter((x) => x.side === 'server');
  return { exchanges, peak: draftStats.peakInMemory };
}

/** What an exchange says of its request, without its id and lines. */
const told = (x: Exchange) => ({
  method: x.method,
  path: x.path,
  status: x.status,
  service: x.service,
  error: x.error,
  action: x.action,
  requestId: x.requestId?.slice(12),
  durationMs: x.durationMs,
});

describe('server drafts during the read', () => {
  const once = serverRows(NOVA_API).exchanges;
  const copies = 300;
  const { exchanges, peak } = serverRows(repeated(NOVA_API, copies));

  it('holds a bounded number of drafts however many requests the log has', () => {
    expect(once.length).toBeGreaterThan(10);
    expect(exchanges).toHaveLength(once.length * copies);
    // 300 copies of the log are thousands of drafts: only the newest few hundred are objects
    expect(exchanges.length).toBeGreaterThan(4000);
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThan(400);
  });

  it('gives the first copy (written out long ago) the same facts as the log read alone', () => {
    const first = exchanges.slice(0, once.length).map(told);
    const last = exchanges.slice(-once.length).map(told);
    expect(first).toEqual(last);
    const alone = once.map(told);
    expect(first.map((x) => ({ ...x, requestId: null }))).toEqual(alone.map((x) => ({ ...x, requestId: null })));
  });

  it('lands the voted label, an error line and an Action line on written-out exchanges', () => {
    const early = exchanges.slice(0, once.length);
    expect(new Set(early.map((x) => x.service))).toEqual(new Set(['nova-api']));
    const notFound = early.find((x) => x.path === '/v2.1/flavors/m1.tiny')!;
    expect(notFound.status).toBe(404);
    expect(notFound.error?.message).toBe('Flavor m1.tiny could not be found.');
    const create = early.find((x) => x.method === 'POST' && x.path === '/v2.1/servers')!;
    expect(create.action).toBe('server');
  });

  it('leaves a POST body unknown on written-out exchanges of a log without DEBUG lines', () => {
    const info = NOVA_API.split('\n')
      .filter((l) => !/ DEBUG /.test(l))
      .join('\n');
    const rows = serverRows(repeated(info, copies)).exchanges;
    const create = rows.find((x) => x.method === 'POST' && x.path === '/v2.1/servers')!;
    expect(create.line).toBeLessThan(100);
    expect(create.action).toBeUndefined();
    // with DEBUG lines a POST whose body names no action keeps null: unknown only without them
    expect(rows.find((x) => x.method === 'GET')!.action).toBeNull();
  });
});

describe('a request never answered', () => {
  // the volume create's `returned with HTTP 202` line is cut: that request stays open to the end
  const lines = CINDER_API.split('\n');
  const returned = lines.findIndex((l) => l.includes('/volumes returned with HTTP 202'));
  const cut = [...lines.slice(0, returned), ...lines.slice(returned + 1)].join('\n');
  const alone = serverRows(cut, 'cinder-api.log').exchanges;
  const { exchanges, peak } = serverRows(cut + repeated(CINDER_API, 300), 'cinder-api.log');

  it('keeps its place and blocks the release of no other draft', () => {
    expect(returned).toBeGreaterThan(0);
    expect(exchanges.length).toBeGreaterThan(4000);
    // the others wait behind it a while (1024 drafts), then it is held aside on its own
    expect(peak).toBeLessThan(1300);
    expect(serverRows(cut + repeated(CINDER_API, 600), 'cinder-api.log').peak).toBe(peak);
    // answered, a request waits only for the access line that may follow its `returned` line
    expect(serverRows(repeated(CINDER_API, 300), 'cinder-api.log').peak).toBeLessThan(700);
    const open = exchanges[0]!;
    expect(open).toMatchObject({ method: 'POST', line: 2, complete: false, action: 'volume' });
    expect(open.incompleteReason).toBe('no `returned with HTTP` line for this request');
    expect(exchanges.slice(0, alone.length)).toEqual(alone);
  });
});
