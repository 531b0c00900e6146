// What to do about a command line argparse refused: its `prog: error: MESSAGE` says what it asked
// for, in the few shapes argparse words them (Lib/argparse.py); any other message, the usage.

/** The usage argparse prints before its error lists the command's arguments and options. */
const USAGE = "argparse's usage, printed above its error, shows the command's arguments";

const ASKED: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^the following arguments are required: (.+)$/, (m) => `run it again with ${m[1]} given (${USAGE})`],
  [
    /^unrecognized arguments: (.+)$/,
    (m) => `run it again without ${m[1]}, which the command does not take, or with its spelling fixed (${USAGE})`,
  ],
  [/^argument (\S+): invalid choice: (.+?) \(choose from (.+)\)$/, (m) => `give ${m[1]} one of ${m[3]}, not ${m[2]}`],
  [
    /^argument (\S+): invalid (\w+) value: (.+)$/,
    (m) => `give ${m[1]} a${/^[aeiou]/.test(m[2]!) ? 'n' : ''} ${m[2]} value, not ${m[3]}`,
  ],
  [/^argument (\S+): expected (?:one argument|at least one argument|\d+ arguments?)$/, (m) => `give ${m[1]} its value`],
  [/^one of the arguments (.+) is required$/, (m) => `give one of ${m[1]}`],
  [/^argument (\S+): not allowed with argument (\S+)$/, (m) => `give ${m[1]} or ${m[2]}, not both`],
];

/** `Next: …` for argparse's message: what it asked for, else the command line checked against the usage. */
export function argparseNext(message: string): string {
  for (const [shape, next] of ASKED) {
    const m = shape.exec(message);
    if (m) return `Next: ${next(m)}.`;
  }
  return `Next: correct the command line (${USAGE}).`;
}
