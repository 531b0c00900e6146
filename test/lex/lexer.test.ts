// The lexer definition passes chevrotain's own checks, and lexing stays linear on huge lines.
import { describe, expect, it } from 'vitest';
import { getLexer } from '../../src/lex/lexer.js';
import { parseLine, parseRecords } from '../../src/parse/index.js';

describe('lexer definition', () => {
  it('constructs with chevrotain validations and first-char optimizations on', () => {
    const lexer = getLexer({ validate: true });
    expect(lexer.lexerDefinitionErrors).toEqual([]);
    // Optimization warnings are kept on the instance but not declared in chevrotain's types.
    const warnings = (lexer as unknown as { lexerDefinitionWarning?: unknown[] }).lexerDefinitionWarning;
    expect(warnings).toEqual([]);
  });
});

describe('long lines', () => {
  const bigJson = `{"servers": [${Array.from({ length: 40_000 }, (_, i) => `{"id": "${i}", "name": "vm-${i}", "status": "ACTIVE"}`).join(', ')}]}`;

  it('takes a 5 MB RESP BODY as one record, fast', () => {
    const body = bigJson.padEnd(5 * 1024 * 1024, ' ');
    const t0 = performance.now();
    const r = parseLine(`RESP BODY: ${body}`);
    const ms = performance.now() - t0;
    expect(r.kind).toBe('resp-body');
    if (r.kind === 'resp-body') expect(r.text.length).toBe(body.length);
    expect(ms).toBeLessThan(1500);
  });

  it('scales linearly: ten times the body costs about ten times the time, not a hundred', () => {
    const small = `REQ: curl -g -i -X POST http://h/v2.1/servers -H "X-Auth-Token: {SHA256}ab" -d '${bigJson.slice(0, 250_000)}'`;
    const large = `REQ: curl -g -i -X POST http://h/v2.1/servers -H "X-Auth-Token: {SHA256}ab" -d '${bigJson.slice(0, 2_500_000)}'`;
    const time = (line: string) => {
      const t = performance.now();
      for (let i = 0; i < 3; i++) parseRecords(line);
      return (performance.now() - t) / 3;
    };
    time(small);
    const a = time(small);
    const b = time(large);
    expect(parseLine(large).kind).toBe('req');
    expect(b).toBeLessThan(Math.max(a, 1) * 40);
  });

  it('survives a 1 MB line of pathological text (quotes, brackets, markers without ends)', () => {
    const nasty = `RESP: [200] ${'X: "\'{[( -H \' -d " REQ: curl http://h:1 "GET '.repeat(20_000)}`;
    const t0 = performance.now();
    const records = parseRecords(nasty);
    expect(records.length).toBeGreaterThan(0);
    expect(performance.now() - t0).toBeLessThan(3000);
  });
});
