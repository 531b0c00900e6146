// The line grammar passes chevrotain's own checks (ambiguous alternatives, left recursion,
// duplicate names). Runs skip them (src/parse/parser.ts): this test is where they run.
import { describe, expect, it } from 'vitest';
import { LineParser } from '../../src/parse/parser.js';

describe('line parser definition', () => {
  it('constructs with chevrotain validations on (they throw on a definition error)', () => {
    expect(() => new LineParser(true)).not.toThrow();
  });
});
