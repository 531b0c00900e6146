// The seed log of the design document, end to end: the exact nine exchanges.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/analyze.js';

const text = readFileSync(new URL('../../samples/seed-attach-volume/client.log', import.meta.url), 'utf8');

describe('seed log (openstack --debug server add volume, 2018)', () => {
  const { result } = analyzeText([{ name: 'client.log', text }]);

  it('reconstructs the nine exchanges in log order', () => {
    expect(result.exchanges.map((e) => [e.method, e.path, e.status])).toEqual([
      ['GET', '/identity', 300],
      ['POST', '/identity/v3/auth/tokens', 201],
      ['GET', '/compute/v2.1/servers/vm-ml-1', 404],
      ['GET', '/compute/v2.1/servers?name=vm-ml-1', 200],
      ['GET', '/compute/v2.1/servers?marker=83486e6e-2600-4149-a578-dbc67b506004&name=vm-ml-1', 200],
      ['GET', '/compute/v2.1/servers/83486e6e-2600-4149-a578-dbc67b506004', 200],
      ['GET', '/volume/v2/fed60db241ca4ad5b6a9da1ba04e2cab/volumes/liangr', 404],
      ['GET', '/volume/v2/fed60db241ca4ad5b6a9da1ba04e2cab/volumes/detail?all_tenants=1&name=liangr', 200],
      ['POST', '/compute/v2.1/servers/83486e6e-2600-4149-a578-dbc67b506004/os-volume_attachments', 200],
    ]);
  });

  it('takes request ids from the response headers', () => {
    expect(result.exchanges.at(2)!.requestId).toBe('req-becd6183-8f4b-4c11-8a76-b693e896cd2a');
    expect(result.exchanges.at(8)!.requestId).toBe('req-31c17aa4-13bb-46ba-b8da-73a075a4ef38');
    expect(result.exchanges.every((e) => e.globalRequestId === null)).toBe(true);
  });

  it('names services from the token catalog', () => {
    expect(result.exchanges.map((e) => e.service)).toEqual([
      'identity',
      'identity',
      'compute',
      'compute',
      'compute',
      'compute',
      'volumev2',
      'volumev2',
      'compute',
    ]);
  });

  it('builds the auth exchange from its three lines and knows the microversion', () => {
    expect(result.exchanges.at(1)!.kind).toBe('auth');
    expect(result.exchanges.at(2)!.microversion).toBe('2.60');
    expect(result.exchanges.at(6)!.microversion).toBeNull();
  });

  it('extracts the error of the 404s', () => {
    expect(result.exchanges.at(2)!.error).toEqual({
      code: 'itemNotFound',
      message: 'Instance vm-ml-1 could not be found.',
    });
  });

  it('finds one command, server add volume, exit 0, owning every exchange', () => {
    expect(result.commands).toHaveLength(1);
    const c = result.commands.at(0)!;
    expect(c.name).toBe('server add volume');
    expect(c.exitCode).toBe(0);
    expect(c.argv).toEqual(['--debug', 'server', 'add', 'volume', 'vm-ml-1', 'liangr']);
    expect(c.exchanges).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('recognizes every line', () => {
    expect(result.inputs[0]!.unrecognizedLines).toBe(0);
    expect(result.inputs[0]!.lines).toBe(text.split('\n').length - 1);
  });
});
