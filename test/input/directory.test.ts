// Which names in a CI artifact tree are logs: the name decides first, then the bytes.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyName, describeListing, listLogFiles } from '../../src/input/directory.js';
import { tempDirs } from '../temp-dirs.js';

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

describe('listLogFiles', () => {
  const dirs = tempDirs('ostrace-odd-entries-');

  // Found probing the built CLI: a FIFO, a link to nothing and a link to a directory named like
  // logs were left out of both the files read and the files skipped (`read 1 log file`).
  it('counts every entry that is no file to read as skipped, and opens none of them', async () => {
    const dir = dirs();
    writeFileSync(join(dir, 'nova-api.log'), '2026-11-25 21:02:53.191 1 INFO nova.api [-] up\n');
    execFileSync('mkfifo', [join(dir, 'fifo.log')]);
    symlinkSync(join(dir, 'nowhere.log'), join(dir, 'gone.log'));
    mkdirSync(join(dir, 'sub'));
    symlinkSync(join(dir, 'sub'), join(dir, 'sub-link.log'));
    const listing = await listLogFiles(dir);
    expect(listing.logs).toEqual([join(dir, 'nova-api.log')]);
    expect(listing.skipped).toEqual([
      { path: join(dir, 'gone.log'), reason: 'unreadable' },
      { path: join(dir, 'fifo.log'), reason: 'other' },
      { path: join(dir, 'sub-link.log'), reason: 'other' },
    ]);
    expect(describeListing(listing)).toBe(`${dir}: read 1 log file, skipped 3 (other, unreadable)`);
  });
});
