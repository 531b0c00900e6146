// `ostrace lint` / `ostrace redact` end to end through the built CLI (npm run build first),
// plus the streaming contract through the in-process CLI with a stream that stays open.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { promisify } from 'node:util';
import AjvDraft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/program.js';

const root = new URL('../../', import.meta.url).pathname;
const main = join(root, 'dist/bin/ostrace.js');
const SEED = 'samples/seed-attach-volume/client.log';
const E500 = 'samples/lint/attach-500.log';

async function cli(args: string[], cwd = root): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [main, ...args], {
      cwd,
      maxBuffer: 1 << 26,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** Minimal XML well-formedness: tags nest and close, attributes quoted, entities known. */
function assertWellFormedXml(xml: string): Array<{ name: string; attrs: Record<string, string> }> {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const elements: Array<{ name: string; attrs: Record<string, string> }> = [];
  const tag = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>/g;
  let at = 0;
  for (const m of body.matchAll(tag)) {
    const text = body.slice(at, m.index);
    expect(text).not.toMatch(/[<>]/);
    expect(text.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, '')).not.toContain('&');
    at = m.index + m[0].length;
    if (m[1]) {
      expect(stack.pop()).toBe(m[2]);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of m[3]!.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) attrs[a[1]!] = a[2]!;
    elements.push({ name: m[2]!, attrs });
    if (!m[4]) stack.push(m[2]!);
  }
  expect(body.slice(at).trim()).toBe('');
  expect(stack).toEqual([]);
  return elements;
}

describe('ostrace lint (built CLI)', { timeout: 60_000 }, () => {
  it('exits 0 on the seed log', async () => {
    const r = await cli(['lint', SEED]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 errors, 1 warning, 0 info');
  });

  it('exits 1 on a 500, printing `file:line  severity  message  rule-id`', async () => {
    const r = await cli(['lint', E500]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^samples\/lint\/attach-500\.log:74 {2}error {2}POST \/compute\/v2\.1\/servers\/\S+\/os-volume_attachments returned 500 .* {2}http\/server-error$/m,
    );
  });

  it('honours --fail-on and --rule', async () => {
    expect((await cli(['lint', '--fail-on', 'warning', SEED])).code).toBe(1);
    expect((await cli(['lint', '--fail-on', 'warning', '--rule', 'api/deprecated=off', SEED])).code).toBe(0);
    expect(
      (
        await cli([
          'lint',
          '--rule',
          'http/server-error=warning',
          '--rule',
          'command/failed=off',
          '--rule',
          'flow/failed-step=off',
          E500,
        ])
      ).code,
    ).toBe(0);
  });

  it('exits 2 with the key path on a bad config, and on unreadable input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ostrace-lint-'));
    writeFileSync(
      join(dir, 'ostrace.config.json'),
      JSON.stringify({ rules: { 'perf/slow-call': { options: { thresholdMs: -1 } } } }),
    );
    const r = await cli(['lint', join(root, SEED)], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ostrace: .*ostrace\.config\.json: rules\["perf\/slow-call"\]\.options\.thresholdMs: /);
    expect((await cli(['lint', '--config', join(dir, 'nope.json'), SEED])).code).toBe(2);
    expect((await cli(['lint', 'no-such-file.log'])).stderr).toBe('ostrace: no-such-file.log: no such file\n');
    rmSync(dir, { recursive: true, force: true });
  });

  // JSON.parse keeps `__proto__` as a key, but the parsed config lost it: `{"rules": {"__proto__": "off"}}`
  // was accepted silently, where `constructor` or `toString` were unknown rules (found probing the built CLI).
  it('exits 2 on a __proto__ key as on any unknown rule or key, in one line naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ostrace-lint-'));
    const config = join(dir, 'c.json');
    const cases: Array<[config: string, message: string]> = [
      ['{"rules": {"__proto__": "off"}}', 'rules["__proto__"]: unknown rule (see `ostrace lint --list-rules`)'],
      ['{"rules": {"__proto__": {"severity": "off"}, "api/deprecated": "off"}}', 'rules["__proto__"]: unknown rule'],
      ['{"rules": {"constructor": "off"}}', 'rules["constructor"]: unknown rule'],
      ['{"rules": {"toString": "off"}}', 'rules["toString"]: unknown rule'],
      [
        '{"rules": {"perf/slow-call": {"options": {"__proto__": {"thresholdMs": 1}}}}}',
        'rules["perf/slow-call"].options: Unrecognized key: "__proto__"',
      ],
      ['{"__proto__": {"failOn": "info"}}', '(top level): Unrecognized key: "__proto__"'],
    ];
    for (const [text, message] of cases) {
      writeFileSync(config, text);
      const r = await cli(['lint', '--config', config, SEED]);
      expect(r.code, text).toBe(2);
      expect(r.stderr.startsWith(`ostrace: ${config}: ${message}`), r.stderr).toBe(true);
      expect(r.stderr.split('\n')).toHaveLength(2);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('--format sarif validates against the SARIF 2.1.0 schema', async () => {
    const r = await cli(['lint', '--format', 'sarif', E500, SEED]);
    expect(r.code).toBe(1);
    const schema = JSON.parse(
      readFileSync(join(root, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
    );
    // CommonJS module: under NodeNext the default import is module.exports, whose .default is the class.
    const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false }); // the schema has a pattern invalid under /u;
    const validate = ajv.compile(schema);
    const log = JSON.parse(r.stdout);
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const results = log.runs[0].results as Array<{
      ruleId: string;
      level: string;
      locations: Array<{ physicalLocation: { region: { startLine: number } } }>;
    }>;
    const err = results.find((x) => x.ruleId === 'http/server-error')!;
    expect(err.level).toBe('error');
    expect(err.locations[0]!.physicalLocation.region.startLine).toBe(74);
    expect(results.some((x) => x.ruleId === 'api/deprecated' && x.level === 'warning')).toBe(true);
  });

  it('--format junit: one testcase per command, one failure per finding, well-formed XML', async () => {
    const r = await cli(['lint', '--format', 'junit', E500, SEED]);
    const elements = assertWellFormedXml(r.stdout);
    const cases = elements.filter((e) => e.name === 'testcase');
    expect(cases.map((c) => c.attrs.name)).toEqual(['#1 server add volume (line 1)', '#2 server add volume (line 1)']);
    expect(
      elements
        .filter((e) => e.name === 'failure')
        .map((f) => f.attrs.type)
        .sort(),
    ).toEqual(['api/deprecated', 'command/failed', 'flow/failed-step', 'http/server-error']);
  });

  it('--format github: escaped workflow commands', async () => {
    const r = await cli(['lint', '--format', 'github', E500]);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines).toContainEqual(
      expect.stringMatching(/^::error file=samples\/lint\/attach-500\.log,line=74,title=http\/server-error::POST /),
    );
    for (const l of lines) expect(l.slice(2)).not.toMatch(/[\r\n]/);
    // the failed-step message has a newline in the error body: escaped, not raw
    expect(r.stdout).toContain('%0A');
  });

  it('--format json and markdown', async () => {
    const json = JSON.parse((await cli(['lint', '--format', 'json', E500])).stdout);
    expect(json.findings.map((f: { ruleId: string }) => f.ruleId)).toContain('http/server-error');
    const md = (await cli(['lint', '--format', 'markdown', E500])).stdout;
    expect(md).toContain('http/server-error');
    expect(md).toMatch(/\|/);
  });

  it('--list-rules lists every rule', async () => {
    const r = await cli(['lint', '--list-rules']);
    expect(r.stdout).toMatch(/^secret\/clear-token +error +/m);
  });
});

describe('ostrace redact (built CLI)', { timeout: 60_000 }, () => {
  it('--check exits 1 on a log with a clear token, naming the line, not the value', async () => {
    const r = await cli(['redact', '--check', 'samples/lint/secrets.log']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('samples/lint/secrets.log:16  token: X-Auth-Token header in clear');
    expect(r.stdout).not.toContain('ClearTokenValue');
    expect((await cli(['redact', '--check', SEED])).code).toBe(0);
  });

  it('writes the redacted log to -o, which then passes --check and lints clean of secrets', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ostrace-redact-')), 'r.log');
    expect((await cli(['redact', 'samples/lint/secrets.log', '-o', out])).code).toBe(0);
    expect((await cli(['redact', '--check', out])).code).toBe(0);
    const lint = await cli(['lint', out]);
    expect(lint.stdout).not.toContain('secret/');
    expect(readFileSync(out, 'utf8').split('\n')).toHaveLength(
      readFileSync(join(root, 'samples/lint/secrets.log'), 'utf8').split('\n').length,
    );
    rmSync(dirname(out), { recursive: true, force: true });
  });
});

describe('findings stream', () => {
  it('prints a finding while the input is still open', async () => {
    const stdin = new PassThrough();
    let out = '';
    const stdout = new Writable({
      write(chunk, _enc, done) {
        out += String(chunk);
        done();
      },
    });
    const io: CliIo = {
      stdin,
      stdinIsTTY: false,
      stdinIsProcess: false,
      stdout,
      stderr: new PassThrough(),
      exitCode: 0,
    };
    const done = run(io, ['node', 'ostrace', 'lint', '-']);
    const lines = readFileSync(join(root, E500), 'utf8').split('\n');
    const end = lines.findIndex((l) => l.startsWith('END return value'));
    // A secret is certain on its own line.
    stdin.write('START with options: --debug --os-password s3cr3t server add volume vm1 vol1\n');
    await expect.poll(() => out, { timeout: 5000 }).toContain('secret/password');
    // The 500 is certain when its command ends.
    stdin.write(`${lines.slice(1, end + 1).join('\n')}\n`);
    await expect.poll(() => out, { timeout: 5000 }).toContain('http/server-error');
    expect(out).not.toMatch(/errors?, \d+ warnings?/);
    expect(out).not.toContain('s3cr3t');
    stdin.end();
    expect(await done).toBe(1);
    expect(out).toMatch(/\d+ errors?, \d+ warnings?, \d+ info\n$/);
  });
});
