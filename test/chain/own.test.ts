// Finished exchanges copy their strings off the log lines; the text must not change.
import { describe, expect, it } from 'vitest';
import { own, ownExchangeStrings } from '../../src/chain/own.js';

const base = {
  method: 'GET',
  service: 'compute',
  requestId: 'req-becd6183-8f4b-4c11-8a76-b693e896cd2a',
  globalRequestId: null,
  microversion: '2.60',
  incompleteReason: null,
  error: { message: 'Instance vm-ml-1 could not be found.', code: 'itemNotFound' },
};

describe('own', () => {
  it('returns equal text', () => {
    const line = `RESP: [404] x-openstack-request-id: ${base.requestId}`;
    expect(own(line.slice(line.indexOf('req-')))).toBe(base.requestId);
    expect(own(null)).toBeNull();
  });

  it('keeps the path of a URL, including the synthesized root path', () => {
    const a = ownExchangeStrings({
      ...base,
      url: 'http://172.16.1.12/compute/v2.1/servers/vm-ml-1',
      path: '/compute/v2.1/servers/vm-ml-1',
    });
    expect(a.path).toBe('/compute/v2.1/servers/vm-ml-1');
    const b = ownExchangeStrings({ ...base, url: 'http://127.0.0.1:9292', path: '/' });
    expect(b.path).toBe('/');
    const c = ownExchangeStrings({ ...base, url: 'http://127.0.0.1:8776/v3/', path: '/v3/' });
    expect(c.path).toBe('/v3/');
    expect(c.error).toEqual(base.error);
  });
});
