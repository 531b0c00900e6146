// `ostrace redact [FILE…]`: the log with every secret masked, every other byte
// identical; `--check` exits 1 when a secret is present (pre-commit / CI gate).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { Redactor, type SecretHit } from '../../redact/redact.js';
import { InputError, UsageError } from '../../core/errors.js';
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
        const redactor = new Redactor(report);
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
        total += redactor.secrets;
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
