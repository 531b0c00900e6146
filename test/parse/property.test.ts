// Whatever the text, parsing answers with a record and never throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLine, parseRecords } from '../../src/parse/index.js';
import { startWatchdog } from '../watchdog.js';

// random inputs: a loop that never ends must fail this file, not hang the run
startWatchdog(import.meta.url);

// Fragments of real lines, so that generated text reaches the deep paths of the matchers.
const fragments = [
  'REQ: ',
  "REQ: b'",
  'curl ',
  '-g ',
  '-i ',
  '-X GET',
  '-X POST-H ',
  "-H '",
  '-H "',
  'X-Auth-Token: ',
  '-d ',
  "'",
  '"',
  "\\'",
  'http://h:80 ',
  'https://',
  '"GET /x HTTP/1.1" ',
  '200 ',
  'None',
  'RESP: [',
  '] ',
  'RESP BODY: ',
  'CaseInsensitiveDict({',
  '{',
  '}',
  '[',
  ']',
  ': ',
  ' call to ',
  ' used request id ',
  'req-1',
  'Starting new HTTP connection (',
  '): ',
  '2026-11-25 20:13:59.363 22992 DEBUG ',
  'keystoneauth.session.request ',
  '.response ',
  '.body ',
  '[ admin] ',
  ' | node | ',
  'Jul 10 02:07:43 host unit[1]: ',
  '2026-11-25T21:02:53.346123+0000 host unit[1]: ',
  '\x1b[00;32m',
  '[00m',
  '> ',
  '<pre>',
  '```',
  '$ ',
  '    ',
  '\t',
  '\r',
  '…',
  '{{(pid=1) f /p:1}}',
  'Traceback (most recent call last):',
  'Failure: ',
  '. Retrying in ',
  's. ',
  ' retries left',
  '| ',
  ' |',
  '(Request-ID: ',
  '(HTTP ',
];
const lineArb = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.array(fc.constantFrom(...fragments), { maxLength: 25 }).map((parts) => parts.join('')),
);

describe('parseLine / parseRecords on arbitrary text', () => {
  it('always return a record and never throw', () => {
    fc.assert(
      fc.property(lineArb, (line) => {
        const one = parseLine(line);
        expect(typeof one.kind).toBe('string');
        const many = parseRecords(line);
        expect(many.length).toBeGreaterThan(0);
        for (const r of many) expect(typeof r.kind).toBe('string');
      }),
      { numRuns: 1500 },
    );
  });
});
