// A command's argv as a shell line, the words a user would type to run it again. A word with a
// space, a quote or nothing in it is single-quoted as Python's shlex.quote does (osc's own
// language): joined with spaces alone, `--description ''` read as a double space and
// `--name 'my vol'` as two words.

/** Words a shell reads as they are (shlex's safe set, and `*` of a masked secret, `***`). */
const PLAIN = /^[\w@%+=:,./*-]+$/;

export function shellWord(word: string): string {
  return PLAIN.test(word) ? word : `'${word.replaceAll("'", `'"'"'`)}'`;
}

/** `argv` as one line: its words, each quoted where a shell would need it. */
export function shellLine(argv: readonly string[]): string {
  return argv.map(shellWord).join(' ');
}
