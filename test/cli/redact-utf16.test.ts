// `redact` of a UTF-16 log (PowerShell 5's `>`: FF FE, CRLF): it read the bytes, found no secret
// ("no secrets found", exit 0) and wrote them back unmasked, though analyze and lint read the
// file by its mark and find them (found with the byte-order mark reading). It masks them as in
// the UTF-8 original and writes the file back in its own encoding, mark first, every other
// character unchanged. Through the built CLI.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const cli = join(root, 'dist/bin/ostrace.js');
/** A real recording whose server create response holds the generated adminPass in clear (lines 207 and 262). */
const original = readFileSync(join(root, 'samples/minicloud/01-attach-detach/client.log'), 'utf8').replace(
  /\n/g,
  '\r\n',
);

function redact(args: string[], input: Buffer) {
  const r = spawnSync(process.execPath, [cli, 'redact', ...args], { input, maxBuffer: 1 << 26 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

const encodings = {
  'UTF-16LE': (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
  'UTF-16BE': (text: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]),
  // without its mark (read as UTF-16 by its first bytes, as analyze and lint read it): written back without one
  'UTF-16LE without a mark': (text: string) => Buffer.from(text, 'utf16le'),
  'UTF-16BE without a mark': (text: string) => Buffer.from(text, 'utf16le').swap16(),
};

describe('redact of a UTF-16 log', () => {
  const utf8 = redact([], Buffer.from(original));
  const check8 = redact(['--check'], Buffer.from(original));

  it('the UTF-8 original has secrets to mask', () => {
    expect(check8.code).toBe(1);
    expect(check8.stdout.toString()).toContain('<stdin>:207  password');
    expect(utf8.stdout.toString('utf8')).not.toBe(original);
  });

  for (const [name, encode] of Object.entries(encodings)) {
    it(`${name}: --check finds the same secrets on the same lines`, () => {
      const r = redact(['--check'], encode(original));
      expect(r.code).toBe(1);
      expect(r.stdout.toString()).toBe(check8.stdout.toString());
    });

    it(`${name}: masks them and writes the log back in ${name}, its mark first if it had one`, () => {
      const r = redact([], encode(original));
      expect(r.code).toBe(0);
      expect(r.stdout.equals(encode(utf8.stdout.toString('utf8')))).toBe(true);
    });
  }

  it('a UTF-16 log without a secret comes back byte for byte', () => {
    const clean = encodings['UTF-16LE'](
      'START with options: --debug server list\r\nplain line\r\nno newline at the end',
    );
    expect(redact([], clean).stdout.equals(clean)).toBe(true);
  });
});
