// What Next says for argparse's messages: each was printed by CPython 3.11's argparse (Debian
// bookworm's, the one osc runs on) for a parser built to refuse that command line, `prog: error:`
// cut off as the lexer does; the two osc printed itself are in samples/real-osc-plain/.
import { describe, expect, it } from 'vitest';
import { argparseNext } from '../../src/explain/argparse.js';

describe("argparse's error: what Next asks for", () => {
  it.each([
    [
      'the following arguments are required: <volume>',
      "Next: run it again with <volume> given (argparse's usage, printed above its error, shows the command's arguments).",
    ],
    ['unrecognized arguments: --bogus', 'Next: run it again without --bogus, which the command does not take, or'],
    ["argument --type: invalid choice: 'z' (choose from 'a', 'b')", "Next: give --type one of 'a', 'b', not 'z'."],
    ["argument --size: invalid int value: 'x'", "Next: give --size an int value, not 'x'."],
    ['argument --size: expected one argument', 'Next: give --size its value.'],
    ['argument --pos: expected 2 arguments', 'Next: give --pos its value.'],
    ['one of the arguments --a --b is required', 'Next: give one of --a --b.'],
    ['argument --disable: not allowed with argument --enable', 'Next: give --disable or --enable, not both.'],
    ['argument <size>: something argparse words otherwise', "Next: correct the command line (argparse's usage"],
  ])('%s', (message, next) => {
    expect(argparseNext(message)).toContain(next);
  });
});
