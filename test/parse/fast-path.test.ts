// The parser-free path (recordFromTokens) takes only token shapes the grammar accepts and
// makes of them the record the CST visitor makes: checked on every line of the samples,
// on lines of each kind, and on arbitrary text built from fragments of real lines.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getLexer } from '../../src/lex/lexer.js';
import { prepareLine } from '../../src/parse/physical.js';
import { getParser } from '../../src/parse/parser.js';
import { getVisitor, recordFromTokens } from '../../src/parse/to-record.js';
import { startWatchdog } from '../watchdog.js';

// random inputs: a loop that never ends must fail this file, not hang the run
startWatchdog(import.meta.url);

/** Both ways for one text: the fast record (or null) and the parser's (or null on a parse error). */
function bothWays(text: string): { fast: unknown; parsed: unknown } | null {
  const lexed = getLexer().tokenize(text);
  if (lexed.errors.length > 0) return null;
  const fast = recordFromTokens(lexed.tokens);
  const parser = getParser();
  parser.input = lexed.tokens;
  const cst = parser.line();
  const parsed = parser.errors.length > 0 ? null : getVisitor().visit(cst);
  return { fast, parsed };
}

function sampleLines(): string[] {
  const root = fileURLToPath(new URL('../../samples', import.meta.url));
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.log')) out.push(...readFileSync(p, 'utf8').split('\n'));
    }
  };
  walk(root);
  return out;
}

function check(text: string): boolean {
  const r = bothWays(text);
  if (r === null || r.fast === null) return false;
  expect(r.parsed, text).not.toBeNull();
  expect(r.fast, text).toEqual(r.parsed);
  return true;
}

describe('recordFromTokens', () => {
  it('agrees with the parser and visitor on every line of the samples, and takes most of them', () => {
    let taken = 0;
    let total = 0;
    for (const line of sampleLines()) {
      for (const piece of prepareLine(line)) {
        if (piece.kind !== 'text' || piece.text === '') continue;
        total++;
        if (check(piece.text)) taken++;
      }
    }
    expect(total).toBeGreaterThan(1000);
    expect(taken / total).toBeGreaterThan(0.9);
    // Every line of every sample, twice: minutes under a loaded machine, not a speed check.
  }, 60_000);

  it('agrees on each shape it takes, with and without prefixes', () => {
    const lines = [
      'REQ: curl -g -i -X GET http://h/x -H "A: b" -d \'{"a": 1}\'',
      'RESP: [200] Date: Tue, 10 Jul 2018 02:07:38 GMT  Content-Type: application/json;\tcharset=UTF-8 Vary:',
      "RESP: 409 {'Content-Type': 'application/json'} {\"NeutronError\": {}}",
      "RESP: [401] CaseInsensitiveDict({'content-length': '114'})",
      'RESP BODY: {"servers": []}',
      'RESP BODY:',
      'START with options: server list',
      'Get auth_ref',
      'http://h:80 "GET /x HTTP/1.1" 200 12',
      'GET call to compute for http://h/x used request id req-1',
      '+--+--+',
      '+--+--+x',
      '    indented',
      'free text',
      '| a | b |',
    ];
    for (const prefix of [
      '',
      '2026-11-25 20:13:59.363 22992 DEBUG keystoneauth.session [-] ',
      'DEBUG:keystoneauth.session:',
    ]) {
      for (const line of lines) expect(check(prefix + line), prefix + line).toBe(true);
    }
    for (const line of [
      'DEBUG:keystoneauth.session.request:curl -g -i -X GET http://h/x',
      'DEBUG:keystoneauth.session.response:[201] A: b',
      'DEBUG:keystoneauth.session.body:{"a": 1}',
      '2026-11-25 20:13:59.363 22992 INFO nova.api [-] ',
    ]) {
      expect(check(line), line).toBe(true);
    }
  });

  it('never disagrees on arbitrary text', () => {
    const fragments = [
      'REQ: ',
      "REQ: b'",
      'curl ',
      '-X GET',
      "-H '",
      '-H "',
      'X-Auth-Token: ',
      '-d ',
      "'",
      '"',
      'http://h:80 ',
      '"GET /x HTTP/1.1" ',
      '200 ',
      'RESP: [',
      '] ',
      'RESP: ',
      'RESP BODY: ',
      'CaseInsensitiveDict({',
      '{',
      '}',
      'Name: ',
      'a:b ',
      ':',
      ' ',
      '\t',
      '  ',
      ' call to ',
      ' used request id ',
      '2026-11-25 20:13:59.363 22992 DEBUG ',
      'keystoneauth.session.response ',
      'DEBUG:a.b.response:',
      '+--+',
      '| ',
      'START with options: ',
      'Traceback (most recent call last):',
      'x',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { minLength: 1, maxLength: 20 }), (parts) => {
        const r = bothWays(parts.join(''));
        if (r === null || r.fast === null) return;
        expect(r.parsed).not.toBeNull();
        expect(r.fast).toEqual(r.parsed);
      }),
      { numRuns: 3000 },
    );
  });
});
