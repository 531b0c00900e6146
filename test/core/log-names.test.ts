import { describe, expect, it } from 'vitest';
import { rotationBase } from '../../src/core/log-names.js';

describe('rotationBase', () => {
  it.each([
    ['/var/log/nova/nova-api.log', '/var/log/nova/nova-api.log'],
    ['/var/log/nova/nova-api.log.1', '/var/log/nova/nova-api.log'],
    ['/var/log/nova/nova-api.log.12.gz', '/var/log/nova/nova-api.log'],
    ['/var/log/nova/nova-api.log-20261205', '/var/log/nova/nova-api.log'],
    ['/var/log/nova/nova-api.log-2026120512.gz', '/var/log/nova/nova-api.log'],
    ['logs/screen-n-cpu.txt.gz', 'logs/screen-n-cpu.txt'],
    ['nova.conf', null],
    ['<stdin>', null],
    ['grep.log » nova-api.log.1.2017-05-16_13:53:08', null],
  ])('%s → %s', (name, base) => {
    expect(rotationBase(name)).toBe(base);
  });
});
