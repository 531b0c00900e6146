// The watchdog the property tests start: a process stuck in a synchronous loop is ended with a
// one-line reason, and one that is only busy for a while is left alone.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const built = new URL('../dist/test/watchdog.js', import.meta.url).pathname;

function run(body: string) {
  const script = `import { startWatchdog } from ${JSON.stringify(built)}; startWatchdog('the test script', 2); ${body}`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
}

describe('watchdog', () => {
  it('ends a process whose event loop never comes back, saying why', () => {
    expect(existsSync(built)).toBe(true);
    const r = run('for (;;) {}');
    expect(r.signal).toBe('SIGKILL');
    expect(r.stderr).toContain('watchdog: the test script blocked its event loop for');
  }, 60_000);

  it('leaves a process alone that blocks for less than its limit and ends by itself', () => {
    const r = run('const until = Date.now() + 1000; while (Date.now() < until) {} console.log("done");');
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('done\n');
  }, 60_000);
});
