// A legacy HTTPClient's --debug record printed twice: python-cinderclient adds a StreamHandler to
// its own logger and the record also reaches the root handler the shell's basicConfig set up, which
// prints it again under `DEBUG:cinderclient.client:` (real: AJNOURI/COA#7's quoted paste). One call.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const NAME = 'cinderclient-debug-two-handlers-quoted';
const paste = readFileSync(new URL(`../../samples/field/${NAME}/${NAME}.log`, import.meta.url), 'utf8');
/** Each exchange as `METHOD path status line-endLine`. */
const rows = (text: string) =>
  runPipelineOnText([{ name: 'paste.log', text }]).result.exchanges.map(
    (e) => `${e.method} ${e.path} ${e.status} ${e.line}-${e.endLine}`,
  );

describe('a REQ and RESP printed by two handlers', () => {
  it("folds the root handler's copy of the REQ (after `DEBUG:cinderclient.client:`) into the bare one", () => {
    expect(rows(paste)).toEqual(['POST /v2.0/tokens 200 1-6']);
  });

  it("folds the root handler's copy of the RESP, `DEBUG:cinderclient.client:RESP: …` on its line", () => {
    // The paste is cut inside the bare RESP's body; what http_log_resp's record prints next
    // ("RESP: [%s] %s\nRESP BODY: %s\n" through both handlers) is built from the paste's own RESP.
    const resp = paste.trimEnd().split('\n').at(-1)!.slice(2);
    const body = '> RESP BODY: {"access": {}}';
    const text = `${paste}${body}\n> \n> DEBUG:cinderclient.client:${resp}\n${body}\n> \n`;
    // The copy's own RESP BODY (line 10) is the copied record's: the exchange ends there.
    expect(rows(text)).toEqual(['POST /v2.0/tokens 200 1-10']);
  });

  it("takes the lines of the copy's RESP BODY as the exchange's, not as more of its body", () => {
    const resp = paste.trimEnd().split('\n').at(-1)!.slice(2);
    const body = '> RESP BODY: {"access": {"token":\n>  {"id": "***"}}}';
    const text = `${paste}${body}\n> \n> DEBUG:cinderclient.client:${resp}\n${body}\n> \n`;
    const run = runPipelineOnText([{ name: 'paste.log', text }], { keepDetails: true });
    const [x, ...more] = run.result.exchanges;
    expect(more).toEqual([]);
    expect([x!.line, x!.endLine]).toEqual([1, 12]);
    // The body once: the copy's second line is not appended to it.
    expect(run.details.get(x!.id)!.responseBody).toBe('{"access": {"token":\n{"id": "***"}}}');
  });

  it('keeps two calls apart when anything else came between the copies, or neither copy is a logger prefix', () => {
    const [req] = paste.split('\n');
    // The same request sent twice with no answer between (a retry): two exchanges.
    expect(rows(`${req}\n${req}\n`)).toHaveLength(2);
    const lines = paste.split('\n');
    lines.splice(2, 0, '> Retrying');
    expect(rows(lines.join('\n'))).toHaveLength(2);
  });
});
