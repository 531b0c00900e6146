import { describe, expect, it } from 'vitest';
import { pathTemplate } from '../../src/stats/template.js';

describe('pathTemplate', () => {
  it.each([
    // paths from the real minicloud and seed logs
    ['/compute/v2.1/servers/vm-ml-1', '/compute/v2.1/servers/{id}'],
    ['/compute/v2.1/servers/83486e6e-2600-4149-a578-dbc67b506004', '/compute/v2.1/servers/{id}'],
    ['/compute/v2.1/servers?name=vm-ml-1', '/compute/v2.1/servers'],
    ['/volume/v2/fed60db241ca4ad5b6a9da1ba04e2cab/volumes/liangr', '/volume/v2/{id}/volumes/{id}'],
    [
      '/volume/v2/fed60db241ca4ad5b6a9da1ba04e2cab/volumes/detail?all_tenants=1&name=liangr',
      '/volume/v2/{id}/volumes/detail',
    ],
    [
      '/v2.1/servers/1e5c1409-8714-450d-89e5-ec91287ce520/os-volume_attachments',
      '/v2.1/servers/{id}/os-volume_attachments',
    ],
    [
      '/v2.1/servers/1e5c1409-8714-450d-89e5-ec91287ce520/os-volume_attachments/a0f00d83-6c4e-40b7-bca0-f372e48e57aa',
      '/v2.1/servers/{id}/os-volume_attachments/{id}',
    ],
    ['/v2.1/flavors/m1.tiny', '/v2.1/flavors/{id}'],
    ['/v2.1/flavors/1', '/v2.1/flavors/{id}'],
    ['/identity/v3/auth/tokens', '/identity/v3/auth/tokens'],
    ['/v3/auth/tokens', '/v3/auth/tokens'],
    ['/identity', '/identity'],
    ['/', '/'],
    ['/v3/', '/v3/'],
    [
      '/v3/7f697e5c98a34cb1a2c11b7809b4766e/attachments/9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d/action',
      '/v3/{id}/attachments/{id}/action',
    ],
  ])('%s → %s', (path, template) => {
    expect(pathTemplate(path)).toBe(template);
  });

  it('keeps null as null', () => {
    expect(pathTemplate(null)).toBeNull();
  });
});
