// A command's argv shown as the shell line that runs it again (core/shell-words.ts), and the
// text report of a real devstack trace whose command has an empty argument.
import { describe, expect, it } from 'vitest';
import { shellLine, shellWord } from '../../src/core/shell-words.js';
import { ostrace } from '../cli/built-cli.js';

describe('shellLine', () => {
  it("quotes what a shell would split or drop, as Python's shlex.quote does", () => {
    expect(shellLine(['volume', 'create', '--size', '1', 'vol-1'])).toBe('volume create --size 1 vol-1');
    expect(shellLine(['domain', 'create', '--description', '', 'Default'])).toBe(
      "domain create --description '' Default",
    );
    expect(shellLine(['--name', 'my vol', '--property', 'k=v'])).toBe("--name 'my vol' --property k=v");
    expect(shellWord("it's")).toBe(`'it'"'"'s'`);
    expect(shellWord('$OS_PASSWORD')).toBe("'$OS_PASSWORD'");
    // A masked secret stays as it is read.
    expect(shellLine(['--os-password', '***'])).toBe('--os-password ***');
  });
});

describe('the text report of a real traced command with an empty argument', () => {
  it("shows devstack's `--description ''` as two quotes, not a double space", () => {
    const log = 'samples/field/devstack-oscwrap-grey-ps4/devstack-oscwrap-grey-ps4.log';
    const r = ostrace(['analyze', log]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("domain create Default --description '' --or-show -f value -c id");
  });
});
