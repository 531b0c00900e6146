// Pastes out of HTML source: recognised by escaped quotes on a line without raw
// quotes, then decoded line by line; a plain log mentioning `&amp;` is left alone.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/analyze.js';
import { decodeEntities, looksHtmlEscaped } from '../../src/parse/html-escaped.js';

const seed = readFileSync(new URL('../../samples/seed-attach-volume/client.log', import.meta.url), 'utf8');
const escape = (t: string) =>
  t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const view = (text: string) =>
  analyzeText([{ name: 'x.log', text }]).result.exchanges.map((e) => [
    e.method,
    e.path,
    e.status,
    e.requestId,
    e.service,
  ]);

describe('HTML-escaped pastes', () => {
  it('decode to the same exchanges as the plain log (seed, escaped as a web page shows its source)', () => {
    const plain = view(seed);
    expect(plain).toHaveLength(9);
    expect(view(escape(seed))).toEqual(plain);
    expect(view(`<pre>${escape(seed)}</pre>`)).toEqual(plain);
  });

  it('are told by escaped quotes on a line without raw quotes', () => {
    expect(looksHtmlEscaped('REQ: curl -g -i -X GET http://h/v2.1 -H &quot;Accept: application/json&quot;')).toBe(true);
    expect(looksHtmlEscaped('START with options: [u&#x27;--debug&#x27;]')).toBe(true);
    expect(looksHtmlEscaped('RESP BODY: {"name": "a &quot;b&quot;"}')).toBe(false);
    expect(looksHtmlEscaped('GET call to compute for http://h/servers?a=1&amp;b=2 used request id req-1')).toBe(false);
  });

  it('leave a plain log that mentions entities alone', () => {
    const text = `${seed}\nRESP BODY: {"description": "Tom &amp; Jerry &quot;volumes&quot;"}\n`;
    const r = analyzeText([{ name: 'x.log', text }]).result;
    expect(r.exchanges.length).toBe(9);
  });

  it('decode named, decimal and hex references in one pass', () => {
    expect(decodeEntities('&lt;a&gt; &quot;x&quot; &#39;y&#x27; &amp;quot; &#128512; &#0; &bogus;')).toBe(
      '<a> "x" \'y\' &quot; 😀 &#0; &bogus;',
    );
  });
});
