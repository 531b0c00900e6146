// Clear secrets in legacy client lines are found; hashed or masked ones are not.
import { describe, expect, it } from 'vitest';
import { parseLine } from '../../src/parse/index.js';
import { clearSecretsOf, isClearTokenValue } from '../../src/records/secrets.js';
import { maskText } from '../../src/secrets/mask.js';

describe('clear secrets', () => {
  it('finds a clear X-Auth-Token (novaclient < 2.18.0) and leaves {SHA…} alone', () => {
    const clear = parseLine(
      `REQ: curl -i 'http://h:8774/v2/p/servers' -X GET -H "X-Auth-Token: MIIRtgYJKoZIhvcNAQcCoIIRpzCCEaMCAQExCTAHBgUrDgMCGjCC"`,
    );
    expect(clearSecretsOf(clear)).toEqual([{ kind: 'clear-token', where: 'request-header', name: 'X-Auth-Token' }]);
    const hashed = parseLine(
      'REQ: curl -g -i -X GET http://h/x -H "X-Auth-Token: {SHA256}abbeaebd13ea59b8450b051bb8922b44"',
    );
    expect(clearSecretsOf(hashed)).toEqual([]);
    expect(isClearTokenValue('{SHA1}0d3f6a4f')).toBe(false);
  });

  it("marks keystoneclient's TOKEN_REDACTED as such", () => {
    expect(
      clearSecretsOf(parseLine('REQ: curl -i -X GET http://h/v2.0/tenants -H "X-Auth-Token: TOKEN_REDACTED"')),
    ).toEqual([{ kind: 'redacted-token', where: 'request-header', name: 'X-Auth-Token' }]);
  });

  it('finds passwords in -d bodies but not masked ones', () => {
    const r = parseLine(
      `REQ: curl -i 'http://h:5000/v2.0/tokens' -X POST -d '{"auth": {"passwordCredentials": {"username": "demo", "password": "s3cr3t"}}}'`,
    );
    expect(clearSecretsOf(r)).toEqual([{ kind: 'password', where: 'request-body', name: 'password' }]);
    expect(
      clearSecretsOf(parseLine(`REQ: curl -i http://h/v3/auth/tokens -X POST-H 'A: b' -d '{"password": "***"}'`)),
    ).toEqual([]);
  });

  it('finds the X-Subject-Token cinderclient prints in its response dict; masking hides it', () => {
    const line = `RESP: [201] {'Content-Type': 'application/json', 'X-Subject-Token': 'gAAAAABfaketoken0123456789'}`;
    expect(clearSecretsOf(parseLine(line))).toEqual([
      { kind: 'clear-token', where: 'response-header', name: 'X-Subject-Token' },
    ]);
    expect(maskText(line)).not.toContain('gAAAAABfaketoken0123456789');
  });
});
