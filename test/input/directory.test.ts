// Which names in a CI artifact tree are logs: the name decides first, then the bytes.
import { describe, expect, it } from 'vitest';
import { classifyName } from '../../src/input/directory.js';

describe('classifyName', () => {
  it.each([
    ['job-output.txt', 'log'],
    ['controller/logs/screen-n-cpu.txt.gz', 'log'],
    ['controller/logs/screen-c-vol', 'log'],
    ['nova/nova-api.log', 'log'],
    ['nova/nova-api.log.1', 'log'],
    ['nova/nova-api.log.2.gz', 'log'],
    // logrotate's dateext
    ['nova/nova-api.log-20261205', 'log'],
    ['nova/nova-api.log-2026120512.gz', 'log'],
    ['controller/logs/etc/nova/nova.conf.txt.gz', 'config'],
    ['controller/logs/nova.conf', 'config'],
    ['zuul-info/inventory.yaml', 'config'],
    ['zuul-manifest.json', 'config'],
    ['controller/logs/index.html', 'html'],
    ['controller/logs/README', null],
    ['controller/logs/screenshot.png', null],
  ])('%s is %s', (name, kind) => {
    expect(classifyName(name)).toBe(kind);
  });
});
