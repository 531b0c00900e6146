// Secrets never appear in any output unless --show-secrets: every analyze and lint format,
// run on a log that holds a clear token, a password in a -d body, a CLI password and adminPass.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reporterIds } from '../../src/report/index.js';
import { recordingWithCookies } from '../report/helpers.js';
import { tempDirs } from '../temp-dirs.js';

const root = new URL('../../', import.meta.url).pathname;
const cli = join(root, 'dist/bin/ostrace.js');
const log = join(root, 'samples/lint/secrets.log');
const SECRETS = ['s3cr3t-Pa55', 'gAAAAABbRBMqClearTokenValue0123456789abcdef', 'Xk9adminPassValue'];

function run(args: string[]): string {
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  expect(r.status === 0 || r.status === 1, r.stderr).toBe(true);
  return r.stdout + r.stderr;
}

describe('no secret in any output', () => {
  const plantedPassword = /"password": "([^"*][^"]*)"/.exec(readLine(58))?.[1];
  const secrets = [...SECRETS, ...(plantedPassword ? [plantedPassword] : [])];

  it.each(reporterIds)('analyze --format %s', (format) => {
    const out = run(['analyze', '--format', format, log]);
    for (const s of secrets) expect(out).not.toContain(s);
  });

  it.each(['text', 'json', 'sarif', 'junit', 'github', 'markdown'])('lint --format %s', (format) => {
    const out = run(['lint', '--format', format, log]);
    for (const s of secrets) expect(out).not.toContain(s);
  });

  it('shows request headers and bodies in clear with --show-secrets, and only then', () => {
    const html = run(['analyze', '--show-secrets', '--format', 'html', log]);
    expect(html).toContain('gAAAAABbRBMqClearTokenValue0123456789abcdef');
    expect(html).toContain('hunter2-body');
  });
});

// The real minicloud 03 recording with a password in its URLs: the client's `user:password@host` and
// `?password=`, nova-api's request log `?password=`, a database URL in a nova-api error.
describe('no password of a URL in any output', () => {
  const dir = tempDirs('ostrace-url-secrets-')();
  const sample = join(root, 'samples/minicloud/03-attach-in-use-error');
  const client = join(dir, 'client.log');
  const novaApi = join(dir, 'nova-api.log');
  const URL_SECRETS = ['UrlPwQ7Zk2', 'QueryPwX9m4', 'SvcQueryPwJ3v8', 'DbUrlPwW5n1'];
  writeFileSync(
    client,
    readFileSync(join(sample, 'client.log'), 'utf8')
      .replaceAll('/v2.1/servers?name=srv-03a', '/v2.1/servers?name=srv-03a&password=QueryPwX9m4')
      .replace(
        '"http://127.0.0.1:8774/v2.1/servers?name=srv-03a',
        '"http://admin:UrlPwQ7Zk2@127.0.0.1:8774/v2.1/servers?name=srv-03a',
      ),
  );
  const api = readFileSync(join(sample, 'nova-api.log'), 'utf8').split('\n');
  const dbError = api[1]!
    .replace(' INFO nova.api.openstack.requestlog ', ' ERROR nova.api.openstack.wsgi ')
    .replace(
      /\] 127\.0\.0\.1 .*/,
      '] DBConnectionError: connect to mysql+pymysql://nova:DbUrlPwW5n1@10.0.0.2/nova failed',
    );
  writeFileSync(
    novaApi,
    [api[0], dbError, ...api.slice(1)]
      .join('\n')
      .replace('"GET /v2.1/servers?name=srv-03a"', '"GET /v2.1/servers?name=srv-03a&password=SvcQueryPwJ3v8"'),
  );
  const notIn = (out: string) => {
    for (const s of URL_SECRETS) expect(out).not.toContain(s);
  };

  it('planted every secret where it was meant to be', () => {
    const logs = readFileSync(client, 'utf8') + readFileSync(novaApi, 'utf8');
    for (const s of URL_SECRETS) expect(logs).toContain(s);
  });

  it.each(reporterIds)('analyze --format %s', (format) => {
    const out = run(['analyze', '--format', format, '--max-entries', 'all', client, novaApi]);
    notIn(out);
    if (format === 'json') {
      const urls = (JSON.parse(out) as { exchanges: Array<{ url: string | null }> }).exchanges.map((x) => x.url);
      expect(urls).toContain('http://admin:***@127.0.0.1:8774/v2.1/servers?name=srv-03a&password=***');
      expect(urls).toContain('/v2.1/servers?name=srv-03a&password=***');
    }
  });

  it.each(['text', 'markdown', 'json'])('explain --format %s', (format) => {
    notIn(run(['explain', '--format', format, client, novaApi]));
  });

  it.each(['text', 'json', 'sarif', 'junit', 'github', 'markdown'])('lint --format %s', (format) => {
    const out = run(['lint', '--format', format, client, novaApi]);
    notIn(out);
    if (format === 'text') expect(out).toContain('password in a URL');
  });

  it.each(['text', 'json', 'markdown'])('diff --format %s', (format) => {
    notIn(
      run([
        'diff',
        '--format',
        format,
        '--base',
        join(sample, 'nova-api.log'),
        join(sample, 'client.log'),
        client,
        '--head',
        novaApi,
      ]),
    );
  });

  it('redact masks each, keeping the user and host', () => {
    const out = run(['redact', client, novaApi]);
    notIn(out);
    expect(out).toContain('http://admin:***@127.0.0.1:8774/v2.1/servers?name=srv-03a&password=***"');
    expect(out).toContain('mysql+pymysql://nova:***@10.0.0.2/nova failed');
  });
});

// The real server add volume recording with an `openstack credential create --type ec2` exchange after
// it, as keystone answers one: the EC2 secret sits in the blob, JSON inside a JSON string.
describe('no secret of JSON inside a JSON string in any output', () => {
  const dir = tempDirs('ostrace-blob-secrets-')();
  const log = join(dir, 'client.log');
  const secret = 'Ec2SecretK4q8';
  const blob = `"{\\"access\\": \\"181920\\", \\"secret\\": \\"${secret}\\"}"`;
  const recording = readFileSync(join(root, 'samples/real-osc/server-add-volume.log'), 'utf8');
  writeFileSync(
    log,
    recording.replace(
      'clean_up AddServerVolume:',
      [
        `REQ: curl -g -i -X POST http://127.0.0.1:18080/identity/v3/credentials -H "Content-Type: application/json" -H "X-Auth-Token: {SHA256}9746a7e4a184aff0b8e1b1537bbb1f029ec47e1bd49b4a759f36e62ee458e1c2" -d '{"credential": {"type": "ec2", "blob": ${blob}, "user_id": "7d909a8c6c6b4ab1a4e2ddd657e5ad4e"}}'`,
        'http://127.0.0.1:18080 "POST /identity/v3/credentials HTTP/1.1" 201 310',
        'RESP: [201] Connection: close Content-Length: 310 Content-Type: application/json Date: Wed, 25 Nov 2026 21:46:48 GMT x-openstack-request-id: req-3c1d9e2a-5b7f-4e6a-9d8c-1f2e3a4b5c6d',
        `RESP BODY: {"credential": {"user_id": "7d909a8c6c6b4ab1a4e2ddd657e5ad4e", "blob": ${blob}, "type": "ec2", "id": "3b5c1e0f8d9a4c2b7e6f5a4d3c2b1a09"}}`,
        'POST call to identity for http://127.0.0.1:18080/identity/v3/credentials used request id req-3c1d9e2a-5b7f-4e6a-9d8c-1f2e3a4b5c6d',
        'clean_up AddServerVolume:',
      ].join('\n'),
    ),
  );

  it('planted it', () => expect(readFileSync(log, 'utf8')).toContain(secret));

  it.each(reporterIds)('analyze --format %s', (format) => {
    expect(run(['analyze', '--format', format, log])).not.toContain(secret);
  });

  it('HAR keeps the request and response bodies, the secret masked', () => {
    const out = run(['analyze', '--format', 'har', log]);
    expect(out).toContain('\\\\\\"secret\\\\\\": \\\\\\"***\\\\\\"');
    expect(run(['redact', log])).toContain('\\"secret\\": \\"***\\"}');
  });

  it('lint flags it', () => {
    expect(run(['lint', log])).toContain('"secret" in JSON inside a JSON string');
  });
});

// The real server add volume 500 recording started as a command whose options take secrets.
describe('no value of an osc option that takes a secret in any output', () => {
  const dir = tempDirs('ostrace-option-secrets-')();
  const log = join(dir, 'client.log');
  const secrets = ['654321', 'AppSecZ3q', 'OldPwK8'];
  const recording = readFileSync(join(root, 'samples/real-osc/server-add-volume-500.log'), 'utf8').split('\n');
  recording[0] =
    'START with options: --debug --os-passcode 654321 application credential create --secret AppSecZ3q cred1 --original-password OldPwK8';
  writeFileSync(log, recording.join('\n'));

  it.each(reporterIds)('analyze --format %s', (format) => {
    const out = run(['analyze', '--format', format, log]);
    for (const s of secrets) expect(out).not.toContain(s);
  });

  it('lint flags each', () => {
    const out = run(['lint', log]);
    for (const option of ['--os-passcode', '--secret', '--original-password']) expect(out).toContain(`\`${option}\``);
  });
});

// A real pasted shell session (samples/field/osc-root-prompt-409) with the credentials set at its prompt,
// as an openrc does: `export OS_PASSWORD=…` in capitals, a command run with `OS_TOKEN=…` before it.
describe('no credential of a shell variable in any output', () => {
  const dir = tempDirs('ostrace-env-secrets-')();
  const log = join(dir, 'session.log');
  const secrets = ['EnvPwR7t2', 'EnvTokM3w9'];
  const session = readFileSync(join(root, 'samples/field/osc-root-prompt-409/osc-root-prompt-409.log'), 'utf8');
  writeFileSync(
    log,
    session.replace(
      '\troot@ubuntu:/etc/apache2# openstack role create admin',
      '\troot@ubuntu:/etc/apache2# export OS_PASSWORD=EnvPwR7t2\n\troot@ubuntu:/etc/apache2# OS_TOKEN=EnvTokM3w9 openstack role create admin',
    ),
  );

  it('planted them', () => {
    for (const s of secrets) expect(readFileSync(log, 'utf8')).toContain(s);
  });

  it.each(reporterIds)('analyze --format %s', (format) => {
    const out = run(['analyze', '--format', format, log]);
    for (const s of secrets) expect(out).not.toContain(s);
  });

  it('lint flags each and redact masks each', () => {
    const lint = run(['lint', log]);
    expect(lint).toContain('OS_PASSWORD= unquoted');
    expect(lint).toContain('OS_TOKEN= unquoted');
    const redacted = run(['redact', log]);
    expect(redacted).toContain('# export OS_PASSWORD=***\n');
    expect(redacted).toContain('# OS_TOKEN=*** openstack role create admin');
  });
});

// The real server add volume recording behind a proxy that sets a session cookie: the client sends
// it back (`-H "Cookie: …"` on a REQ line), the proxy sets it (`Set-Cookie: …` among a RESP line's headers).
describe('no session cookie in any output', () => {
  const dir = tempDirs('ostrace-cookie-secrets-')();
  const log = join(dir, 'client.log');
  const secrets = ['CkSess7q2w', 'CkCsrf9x1', 'SetCk4r8t'];
  writeFileSync(
    log,
    recordingWithCookies(
      'sessionid=CkSess7q2w; csrftoken=CkCsrf9x1',
      'sessionid=SetCk4r8t; expires=Wed, 09 Dec 2026 21:46:47 GMT; HttpOnly; Path=/',
    ),
  );

  it('planted them', () => {
    for (const s of secrets) expect(readFileSync(log, 'utf8')).toContain(s);
  });

  it.each(reporterIds)('analyze --format %s', (format) => {
    const out = run(['analyze', '--format', format, '--max-entries', 'all', log]);
    for (const s of secrets) expect(out).not.toContain(s);
    if (format === 'har') {
      expect(out).toContain('"value": "sessionid=***; csrftoken=***"');
      expect(out).toContain('"value": "sessionid=***; expires=Wed, 09 Dec 2026 21:46:47 GMT; HttpOnly; Path=/"');
    }
  });

  // HAR's cookies arrays were always empty; filled from the Cookie and Set-Cookie headers, each
  // value is masked as its header is, and shown only with --show-secrets.
  it("har's request and response cookies: every value masked, shown only with --show-secrets", () => {
    type Cookie = Record<string, unknown>;
    const cookiesOf = (out: string) => {
      const har = JSON.parse(out) as {
        log: { entries: Array<{ request: { cookies: Cookie[] }; response: { cookies: Cookie[] } }> };
      };
      return {
        sent: har.log.entries.flatMap((e) => e.request.cookies),
        set: har.log.entries.flatMap((e) => e.response.cookies),
      };
    };
    const masked = run(['analyze', '--format', 'har', '--max-entries', 'all', log]);
    for (const s of secrets) expect(masked).not.toContain(s);
    const attributes = { expires: '2026-12-09T21:46:47.000Z', httpOnly: true, path: '/' };
    expect(cookiesOf(masked)).toEqual({
      sent: [
        { name: 'sessionid', value: '***' },
        { name: 'csrftoken', value: '***' },
      ],
      set: [{ name: 'sessionid', value: '***', ...attributes }],
    });
    const shown = run(['analyze', '--show-secrets', '--format', 'har', '--max-entries', 'all', log]);
    expect(cookiesOf(shown)).toEqual({
      sent: [
        { name: 'sessionid', value: 'CkSess7q2w' },
        { name: 'csrftoken', value: 'CkCsrf9x1' },
      ],
      set: [{ name: 'sessionid', value: 'SetCk4r8t', ...attributes }],
    });
  });

  it('lint flags each, redact masks each, --show-secrets shows them', () => {
    const lint = run(['lint', log]);
    expect(lint).toContain(':31  error  token in clear: Cookie header value');
    expect(lint).toContain(':34  error  token in clear: Set-Cookie header value');
    const redacted = run(['redact', log]);
    for (const s of secrets) expect(redacted).not.toContain(s);
    expect(redacted).toContain('-H "Cookie: sessionid=***; csrftoken=***"');
    expect(run(['analyze', '--show-secrets', '--format', 'har', log])).toContain('sessionid=CkSess7q2w');
  });
});

// A cookie value in double quotes (RFC 6265's quoted cookie-value), which keystoneauth writes into
// its curl line unescaped (`-H "Cookie: sessionid="v""`): the value was left in clear everywhere.
describe('no quoted cookie value in any output', () => {
  const dir = tempDirs('ostrace-quoted-cookie-')();
  const log = join(dir, 'client.log');
  const secrets = ['QtSess5k2', 'QtSet8m3'];
  writeFileSync(log, recordingWithCookies('sessionid="QtSess5k2"', 'sessionid="QtSet8m3"; HttpOnly; Path=/'));

  it.each(reporterIds)('analyze --format %s', (format) => {
    const out = run(['analyze', '--format', format, '--max-entries', 'all', log]);
    for (const s of secrets) expect(out).not.toContain(s);
    if (format === 'har') expect(out).toContain('"value": "sessionid=\\"***\\"; HttpOnly; Path=/"');
  });

  it('lint flags each, redact masks each', () => {
    expect(run(['lint', log])).toContain(':31  error  token in clear: Cookie header value');
    const redacted = run(['redact', log]);
    for (const s of secrets) expect(redacted).not.toContain(s);
    expect(redacted).toContain('-H "Cookie: sessionid="***""');
    expect(redacted).toContain('Set-Cookie: sessionid="***"; HttpOnly; Path=/');
  });
});

// A cookie value with what RFC 6265 keeps out of one, a space or a comma (`a=b c=d`, `sid=abc,def`): the
// value ran only to it, so its rest was left in clear in every output.
describe('no part of a cookie value after a space or a comma in any output', () => {
  const dir = tempDirs('ostrace-odd-cookie-')();
  const log = join(dir, 'client.log');
  const secrets = ['OdA1x', 'OdB2y', 'OdC3z', 'OdD4w'];
  writeFileSync(log, recordingWithCookies('sid=OdA1x OdB2y; lang=OdC3z,OdD4w', 'sid=OdA1x, OdB2y; Path=/; HttpOnly'));

  it.each(reporterIds)('analyze --format %s', (format) => {
    const out = run(['analyze', '--format', format, '--max-entries', 'all', log]);
    for (const s of secrets) expect(out).not.toContain(s);
  });

  it('redact masks each value whole, the names and attributes kept', () => {
    const redacted = run(['redact', log]);
    for (const s of secrets) expect(redacted).not.toContain(s);
    expect(redacted).toContain('-H "Cookie: sid=***; lang=***"');
    expect(redacted).toContain('Set-Cookie: sid=***; Path=/; HttpOnly');
  });
});

// Python dicts printed raw: keystone's real `RBAC: auth_context: {'token': …}` line (minicloud 03) with
// the token as a string and a service token, and the client's `Using parameters` line of the real
// minicloud 03 recording as a library that does not mask it prints it.
describe('no secret of a python dict in any output', () => {
  const dir = tempDirs('ostrace-pydict-secrets-')();
  const sample = join(root, 'samples/minicloud/03-attach-in-use-error');
  const client = join(dir, 'client.log');
  const keystone = join(dir, 'keystone.log');
  const secrets = ['PyTokQ7w2', 'PySvcT5k1', 'ClTokV3n8', 'ClSecB6d4'];
  writeFileSync(
    keystone,
    readFileSync(join(sample, 'keystone.log'), 'utf8').replace(
      "{'token': <TokenModel (audit_id=77jmPLehSsGAkKd0utOPQQ, audit_chain_id=['77jmPLehSsGAkKd0utOPQQ']) at 0x7f79aa962950>,",
      "{'token': 'PyTokQ7w2', 'service_token': u'PySvcT5k1',",
    ),
  );
  writeFileSync(
    client,
    readFileSync(join(sample, 'client.log'), 'utf8').replace(
      "'password': '***'}",
      "'password': '***', 'token': 'ClTokV3n8', 'application_credential_secret': 'ClSecB6d4'}",
    ),
  );

  it('planted them', () => {
    const logs = readFileSync(client, 'utf8') + readFileSync(keystone, 'utf8');
    for (const s of secrets) expect(logs).toContain(s);
  });

  it.each(reporterIds)('analyze --format %s', (format) => {
    const out = run(['analyze', '--format', format, '--max-entries', 'all', client, keystone]);
    for (const s of secrets) expect(out).not.toContain(s);
  });

  it('lint flags each and redact masks each', () => {
    const lint = run(['lint', client, keystone]);
    expect(lint).toContain("token in clear: 'token' in a python dict");
    expect(lint).toContain("token in clear: 'token' in a python dict, 'service_token' in a python dict");
    expect(lint).toContain("password in clear: 'application_credential_secret' in a python dict");
    const redacted = run(['redact', client, keystone]);
    for (const s of secrets) expect(redacted).not.toContain(s);
    expect(redacted).toContain("{'token': '***', 'service_token': u'***', 'domain_id': None,");
  });
});

// An option that takes no value is no secret option: osc's `server set --root-password` prompts for
// the password (store_true in python-openstackclient), so the word after it is the server, shown as is.
describe('the word after an option that takes no value is shown', () => {
  const dir = tempDirs('ostrace-flag-options-')();
  const log = join(dir, 'client.log');
  const recording = readFileSync(join(root, 'samples/real-osc/server-add-volume.log'), 'utf8').split('\n');
  recording[0] = 'START with options: --debug server set --root-password vm1';
  writeFileSync(log, recording.join('\n'));

  it('in the command, by lint and by redact', () => {
    const json = JSON.parse(run(['analyze', '--format', 'json', log])) as { commands: Array<{ argv: string[] }> };
    expect(json.commands[0]!.argv).toEqual(['--debug', 'server', 'set', '--root-password', 'vm1']);
    expect(run(['lint', log])).not.toContain('secret/');
    expect(run(['redact', log])).toContain('START with options: --debug server set --root-password vm1\n');
  });
});

// The real server add volume 500 recording started as barbican's `openstack secret store`, with the
// POST a barbicanclient sends for it (its body carries the payload, keystoneauth logs JSON bodies).
describe("no barbican secret's payload in any output", () => {
  const dir = tempDirs('ostrace-payload-secrets-')();
  const log = join(dir, 'client.log');
  const payload = 'PayLdX4v7';
  const recording = readFileSync(join(root, 'samples/real-osc/server-add-volume-500.log'), 'utf8').split('\n');
  recording[0] = `START with options: --debug secret store --name k1 --payload ${payload} --payload-content-encoding base64`;
  // osc logs the parsed options of every command: the payload is `payload='…'` there.
  const parsed = recording.findIndex((l) => l.startsWith('run(Namespace('));
  const parsedText = `run(Namespace(name='k1', payload='${payload}', payload_content_type=None))`;
  recording[parsed] = parsedText;
  const post = recording.findIndex((l) => l.startsWith('REQ: curl'));
  recording.splice(
    post,
    0,
    `REQ: curl -g -i -X POST http://127.0.0.1:18080/key-manager/v1/secrets -H "Content-Type: application/json" -H "X-Auth-Token: {SHA256}9746a7e4a184aff0b8e1b1537bbb1f029ec47e1bd49b4a759f36e62ee458e1c2" -d '{"name": "k1", "payload": "${payload}", "payload_content_type": "application/octet-stream", "payload_content_encoding": "base64"}'`,
  );
  writeFileSync(log, recording.join('\n'));

  it('planted it', () => expect(readFileSync(log, 'utf8')).toContain(payload));

  it.each(reporterIds)('analyze --format %s', (format) => {
    expect(run(['analyze', '--format', format, '--max-entries', 'all', log])).not.toContain(payload);
  });

  it('lint flags it, redact masks it and keeps --payload-content-encoding', () => {
    const lint = run(['lint', log]);
    expect(lint).toContain(':1  error  password in clear: value of `--payload` on the command line');
    expect(lint).toContain('password in clear: "payload" in a JSON body');
    const parsedLine = readFileSync(log, 'utf8').split('\n').indexOf(parsedText) + 1;
    expect(lint).toContain(`:${parsedLine}  error  password in clear: payload= as key=value`);
    const redacted = run(['redact', log]);
    expect(redacted).not.toContain(payload);
    expect(redacted).toContain('secret store --name k1 --payload *** --payload-content-encoding base64\n');
  });
});

// barbicanclient's `secret update URI PAYLOAD` takes the payload as a positional word, on the START
// line as words (osc ≥ 5) or as the older list repr, and in the parsed options osc logs.
describe("no payload of barbican's secret update in any output", () => {
  const dir = tempDirs('ostrace-secret-update-')();
  const payload = 'NewPay9q';
  const uri = 'http://127.0.0.1:18080/key-manager/v1/secrets/5f1d6e0c-3c4b-4f8e-9a55-1f7e1d2b9c40';
  const recording = readFileSync(join(root, 'samples/real-osc/server-add-volume-500.log'), 'utf8').split('\n');
  const parsed = recording.findIndex((l) => l.startsWith('run(Namespace('));
  recording[parsed] = `run(Namespace(URI='${uri}', payload='${payload}'))`;
  const asWords = join(dir, 'words.log');
  writeFileSync(
    asWords,
    [`START with options: --debug secret update ${uri} ${payload}`, ...recording.slice(1)].join('\n'),
  );
  const asList = join(dir, 'list.log');
  writeFileSync(
    asList,
    [`START with options: ['--debug', 'secret', 'update', '${uri}', '${payload}']`, ...recording.slice(1)].join('\n'),
  );

  for (const log of [asWords, asList]) {
    it(`planted it: ${basename(log)}`, () => expect(readFileSync(log, 'utf8')).toContain(payload));

    it.each(reporterIds)(`analyze --format %s: ${basename(log)}`, (format) => {
      expect(run(['analyze', '--format', format, '--max-entries', 'all', log])).not.toContain(payload);
    });

    it(`lint flags it and redact masks it, the URI kept: ${basename(log)}`, () => {
      const lint = run(['lint', log]);
      expect(lint).toContain(':1  error  password in clear: payload of `secret update`');
      expect(lint).toContain(`:${parsed + 1}  error  password in clear: payload= as key=value`);
      const redacted = run(['redact', log]);
      expect(redacted).not.toContain(payload);
      expect(redacted).toContain(uri);
    });
  }
});

function readLine(n: number): string {
  return spawnSync('sed', ['-n', `${n}p`, log], { encoding: 'utf8' }).stdout;
}
