// Reports mask exactly what the secret rules and `ostrace redact` call a secret.
import { describe, expect, it } from 'vitest';
import { findSecrets } from '../../src/redact/spans.js';
import { maskArgv, maskText } from '../../src/secrets/mask.js';

const CASES = [
  "START with options: [u'--debug', u'--os-password', u'Pa55-py2-list', u'server', u'list']",
  "options: Namespace(verbose_level=3, os_password='Pa55-namespace', debug=True)",
  'REQ: curl -g -i -X POST http://h/identity/v3/auth/tokens -d \'{"auth": {"identity": {"password": {"user": {"name": "admin", "password": "Pa55-body"}}}}}\'',
  "RESP: [201] {'X-Subject-Token': 'gAAAAABsubjecttoken123456', 'Date': 'Mon, 06 Jun 2016 10:00:00 GMT'}",
  'RESP BODY: {"server": {"id": "83486e6e-2600-4149-a578-dbc67b506004", "adminPass": "Xk9adminPass"}}',
];
const SECRETS = ['Pa55-py2-list', 'Pa55-namespace', 'Pa55-body', 'gAAAAABsubjecttoken123456', 'Xk9adminPass'];

describe('maskText', () => {
  it.each(CASES)('masks every secret the rules find: %s', (line) => {
    expect(findSecrets(line).length).toBeGreaterThan(0);
    const masked = maskText(line);
    for (const s of SECRETS) expect(masked).not.toContain(s);
    expect(masked).toContain('***');
  });

  it('leaves text without secrets alone, hashed tokens included', () => {
    const line =
      'REQ: curl -g -i -X GET http://h/v2.1 -H "X-Auth-Token: {SHA256}abbeaebd13ea59b8450b051bb8922b449c8df834b898f26246db90b38ff04efb"';
    expect(maskText(line)).toBe(line);
  });
});

describe('maskArgv', () => {
  it('masks the value of secret options, spaced or with =', () => {
    expect(maskArgv(['--debug', '--os-password', 's3cr3t', 'server', 'list', '--os-token=tok'])).toEqual([
      '--debug',
      '--os-password',
      '***',
      'server',
      'list',
      '--os-token=***',
    ]);
  });

  // osc's command options that take a secret (found probing the built CLI): `user password set
  // --original-password`, `application credential create --secret`, the global `--os-passcode`.
  it('masks the value of every osc option that takes a secret', () => {
    const argv = [
      '--os-passcode',
      '654321',
      'user',
      'password',
      'set',
      '--original-password',
      'OldPw',
      '--password=NewPw',
    ];
    expect(maskArgv(argv)).toEqual([
      '--os-passcode',
      '***',
      'user',
      'password',
      'set',
      '--original-password',
      '***',
      '--password=***',
    ]);
    expect(maskArgv(['application', 'credential', 'create', '--secret', 'AppSec', '--secret-type', 'x'])).toEqual([
      'application',
      'credential',
      'create',
      '--secret',
      '***',
      '--secret-type',
      'x',
    ]);
    // The same options as the line scan (redact, the secret rules) sees them, py2's list repr too.
    expect(
      maskText('START with options: --debug user password set --original-password OldPw --os-passcode 654321'),
    ).toBe('START with options: --debug user password set --original-password *** --os-passcode ***');
    expect(maskText("START with options: [u'application', u'credential', u'create', u'--secret', u'AppSec']")).toBe(
      "START with options: [u'application', u'credential', u'create', u'--secret', u'***']",
    );
  });

  // Found by fuzzing the CLI: a log whose lines end in CR alone is one line, so its START line's
  // argv held every later line's words; a password in a JSON body among them was printed as is.
  it('masks a secret the line scan finds among the words, and only its part of a word', () => {
    const argv = ['server', 'list', '-d', '\'{"auth":', '{"password":', '"hunter2-body"}}\'', 'RESP:', '[201]'];
    expect(maskArgv(argv)).toEqual([
      'server',
      'list',
      '-d',
      '\'{"auth":',
      '{"password":',
      '"***"}}\'',
      'RESP:',
      '[201]',
    ]);
  });

  // python-openstackclient compute/v2/server.py: `server set --root-password` is store_true (it prompts);
  // share/v2/security_services.py: `share security service unset --password` too. The word after is no secret.
  it('keeps the word after an option that takes no value, and masks the options that take one', () => {
    for (const argv of [
      ['--debug', 'server', 'set', '--root-password', 'vm1'],
      ['share', 'security', 'service', 'unset', '--password', 'ldap-svc'],
    ])
      expect(maskArgv(argv)).toEqual(argv);
    expect(maskArgv(['share', 'security', 'service', 'set', '--password', 'LdapPw', 'ldap-svc'])).toEqual([
      'share',
      'security',
      'service',
      'set',
      '--password',
      '***',
      'ldap-svc',
    ]);
    // trove's `database root enable --root_password` takes the password.
    expect(maskArgv(['database', 'root', 'enable', '--root_password', 'TrovePw', 'db1'])).toEqual([
      'database',
      'root',
      'enable',
      '--root_password',
      '***',
      'db1',
    ]);
    for (const line of [
      'START with options: --debug server set --root-password vm1',
      "START with options: [u'share', u'security', u'service', u'unset', u'--password', u'ldap-svc']",
    ])
      expect(maskText(line)).toBe(line);
    expect(maskText("START with options: [u'server', u'set', u'--password', u'NewPw', u'vm1']")).toBe(
      "START with options: [u'server', u'set', u'--password', u'***', u'vm1']",
    );
  });

  // barbicanclient barbican_cli/v1/secrets.py: `secret store --payload`/`-p` take the secret; `secret get
  // --payload`/`-p` are flags (show the payload); `--payload-content-encoding` is no secret.
  it("masks barbican's secret store --payload and -p, not secret get --payload", () => {
    expect(
      maskArgv(['secret', 'store', '--payload', 'PayLd', '--payload-content-encoding', 'base64', '-n', 'k1']),
    ).toEqual(['secret', 'store', '--payload', '***', '--payload-content-encoding', 'base64', '-n', 'k1']);
    expect(maskArgv(['secret', 'store', '-p', 'PayLd'])).toEqual(['secret', 'store', '-p', '***']);
    expect(maskArgv(['secret', 'store', '-pPayLd', '--payload=PayLd2'])).toEqual([
      'secret',
      'store',
      '-p***',
      '--payload=***',
    ]);
    for (const argv of [
      ['secret', 'get', '--payload', 'http://h/v1/secrets/5c4c8bcf'],
      ['secret', 'get', '-p', 'http://h/v1/secrets/5c4c8bcf'],
      ['server', 'create', '-p', '22', 'vm1'],
    ])
      expect(maskArgv(argv)).toEqual(argv);
  });
});
