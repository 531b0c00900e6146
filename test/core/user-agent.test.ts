import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { clientProduct, sentByOwnProgram } from '../../src/core/user-agent.js';

const ua = (value: string): Array<[string, string]> => [['User-Agent', value]];

describe('sentByOwnProgram', () => {
  it.each([
    // Real User-Agents of the samples: OpenStack's clients…
    ['openstacksdk/0.101.0 keystoneauth1/5.0.0 python-requests/2.28.1 CPython/3.11.2', false],
    ['python-novaclient', false],
    ['python-cinderclient', false],
    ['osc-lib/2.6.2 keystoneauth1/5.0.0 python-requests/2.28.1 CPython/3.11.2', false],
    ['nova keystoneauth1/5.0.0 python-requests/2.28.1 CPython/3.11.2', false],
    ['keystoneauth1/5.0.0 python-requests/2.28.1 CPython/3.11.2', false],
    // …and users' own programs.
    ['myapp.py keystoneauth1/5.0.0 python-requests/2.28.1 CPython/3.11.2', true],
    ['rebuild_293.py keystoneauth1/5.0.0 python-requests/2.28.1 CPython/3.11.2', true],
    ['volume-audit/1.2 keystoneauth1/5.0.0 python-requests/2.28.1 CPython/3.11.2', true],
  ])('%s → %s', (value, own) => {
    expect(sentByOwnProgram(ua(value))).toBe(own);
  });

  it('unknown when the User-Agent is not logged', () => {
    expect(sentByOwnProgram([['Accept', 'application/json']])).toBe(false);
    expect(sentByOwnProgram(undefined)).toBe(false);
  });
});

describe('clientProduct', () => {
  it('names the OpenStack client first in the User-Agent, else null', () => {
    expect(clientProduct(ua('openstacksdk/0.101.0 keystoneauth1/5.0.0 python-requests/2.28.1'))).toBe('openstacksdk');
    expect(clientProduct(ua('python-novaclient'))).toBe('python-novaclient');
    expect(clientProduct(ua('myapp.py keystoneauth1/5.0.0'))).toBeNull();
    expect(clientProduct(undefined)).toBeNull();
  });

  it('keeps no log line alive: what it returns is no view of the header it read', () => {
    // 400 lines of 256 KB, each product kept: as views of their lines they held 100 MB
    const script = `
      const { clientProduct } = await import(${JSON.stringify(new URL('../../dist/src/core/user-agent.js', import.meta.url).href)});
      const kept = [];
      for (let i = 0; i < 400; i++) {
        const line = 'python-novaclient ' + i + ' ' + 'x'.repeat(256 * 1024);
        kept.push(clientProduct([['User-Agent', line.slice(0, line.length - 1)]]));
      }
      globalThis.gc();
      process.stdout.write(String(process.memoryUsage().heapUsed / 2 ** 20));
    `;
    const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(Number(out)).toBeLessThan(40);
  });
});
