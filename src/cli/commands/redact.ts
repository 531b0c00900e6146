// `ostrace redact [FILE…]`: the log with every secret masked, every other byte
// identical; `--check` exits 1 when a secret is present (pre-commit / CI gate).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { TextDecoder } from 'node:util';
import type { Command } from 'commander';
import { Redactor, type SecretHit } from '../../redact/redact.js';
import { InputError, UsageError } from '../../core/errors.js';
import { detectEncoding, type TextEncoding } from '../../input/decode.js';
import type { CliIo } from '../io.js';
import { closeOutputFile, openOutputFile, writeOut } from '../output.js';

interface RedactCliOptions {
  output?: string;
  check?: boolean;
}

async function openRaw(name: string, io: CliIo): Promise<{ display: string; stream: Readable }> {
  if (name === '-') return { display: '<stdin>', stream: io.stdin };
  try {
    const st = await stat(name);
    // One output stream cannot keep a tree's files apart.
    if (st.isDirectory()) throw new UsageError(`redact: ${name} is a directory; give it the files to redact`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new InputError(
      `${name}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
  return { display: name, stream: createReadStream(name) };
}

/**
 * A file in the encoding analyze and lint read it in (src/input/decode.ts): UTF-16 (PowerShell's
 * `>`, with its byte-order mark or without one) is masked as text and written back in UTF-16
 * after its mark if it had one, which redact found no secret in when it read its bytes; any
 * other bytes go through as they are.
 */
class MarkedRedaction {
  /** The first bytes, until they tell whether they are UTF-16. */
  private head: Buffer | null = Buffer.alloc(0);
  private utf16: { encoding: 'utf-16le' | 'utf-16be'; decoder: TextDecoder } | null = null;

  constructor(readonly redactor: Redactor) {}

  push(chunk: Buffer): Buffer {
    if (this.head === null) return this.utf16 ? this.text(chunk) : this.redactor.push(chunk);
    const head = Buffer.concat([this.head, chunk]);
    const detected = detectEncoding(head, false);
    if (detected === null) {
      this.head = head;
      return Buffer.alloc(0);
    }
    return this.begin(head, detected);
  }

  end(): Buffer {
    const head = this.head;
    this.head = null;
    if (head !== null) return Buffer.concat([this.begin(head, detectEncoding(head, true)!), this.end()]);
    if (!this.utf16) return this.redactor.end();
    return Buffer.concat([this.text(Buffer.alloc(0), true), this.encode(this.redactor.end())]);
  }

  /** The first bytes in the encoding they tell: UTF-8 (mark or not) as they are, UTF-16 after its mark. */
  private begin(head: Buffer, detected: { encoding: TextEncoding; length: number }): Buffer {
    this.head = null;
    if (detected.encoding === 'utf-8') return this.redactor.push(head);
    this.utf16 = { encoding: detected.encoding, decoder: new TextDecoder(detected.encoding, { ignoreBOM: true }) };
    return Buffer.concat([head.subarray(0, detected.length), this.text(head.subarray(detected.length))]);
  }

  /** UTF-16 bytes through the redactor (as UTF-8, which it keeps byte for byte), back in UTF-16. */
  private text(bytes: Buffer, last = false): Buffer {
    const text = this.utf16!.decoder.decode(bytes, { stream: !last });
    return this.encode(this.redactor.push(Buffer.from(text, 'utf8')));
  }

  /** The redactor gives whole lines: no character is cut between two of its outputs. */
  private encode(utf8: Buffer): Buffer {
    const le = Buffer.from(utf8.toString('utf8'), 'utf16le');
    return this.utf16!.encoding === 'utf-16le' ? le : le.swap16();
  }
}

export function registerRedact(program: Command, io: CliIo): void {
  program
    .command('redact')
    .description('write the log with every token and password masked (everything else byte-identical)')
    .argument('[files...]', 'log files; none or "-" reads standard input')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .option('--check', 'write nothing; list where secrets are and exit 1 if there is any')
    .action(async (files: string[], opts: RedactCliOptions) => {
      const names = files.length === 0 ? ['-'] : files;
      if (names.filter((n) => n === '-').length > 1)
        throw new UsageError('standard input ("-") can be given only once');
      if (files.length === 0 && io.stdinIsTTY)
        throw new UsageError('no input: give log files, or pipe a log into `ostrace redact`');
      const inputs = [];
      for (const n of names) inputs.push(await openRaw(n, io));
      const out: Writable | null = opts.check ? null : opts.output ? await openOutputFile(opts.output) : io.stdout;
      let total = 0;
      for (const input of inputs) {
        const report = (hit: SecretHit) => {
          if (opts.check)
            io.stdout.write(
              `${input.display}:${hit.line}  ${hit.span.kind === 'token' ? 'token' : 'password'}: ${hit.span.what}\n`,
            );
        };
        const redactor = new MarkedRedaction(new Redactor(report));
        let first = true;
        try {
          for await (const chunk of input.stream) {
            const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
            if (first && buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
              throw new InputError(`${input.display}: gzip data: decompress it first (zcat FILE | ostrace redact)`);
            }
            first = false;
            const bytes = redactor.push(buf);
            if (out && bytes.length > 0) await writeOut(out, bytes, opts.output);
          }
        } catch (e) {
          if (e instanceof InputError) throw e;
          throw new InputError(`${input.display}: ${(e as Error).message}`);
        }
        const rest = redactor.end();
        if (out && rest.length > 0) await writeOut(out, rest, opts.output);
        total += redactor.redactor.secrets;
      }
      if (out && opts.output) await closeOutputFile(out, opts.output);
      if (opts.check) {
        io.stdout.write(
          total === 0
            ? 'no secrets found\n'
            : `${total} secret${total === 1 ? '' : 's'} found: run \`ostrace redact\` to mask them\n`,
        );
        io.exitCode = total === 0 ? 0 : 1;
        return;
      }
      io.exitCode = 0;
    });
}
