/**
 * Runs the REAL `openstack --debug` client (Debian: python3-openstackclient) against the
 * fake cloud for every scenario in scenarios.ts. Skipped when `openstack` is not on PATH.
 *
 * Each run's log is analyzed by the built ostrace CLI and compared with the cloud's
 * own record of what it served (see compare.ts).
 */
import { describe, expect, it } from 'vitest';
import { startFakeCloud } from './server.js';
import { onPath, runOpenstack } from './run-osc.js';
import type { RunOpenstackResult } from './run-osc.js';
import { interruptOf, SCENARIOS } from './scenarios.js';
import { analyzeWithOstrace, compareWithServed } from './compare.js';

const HAVE_OSC = onPath('openstack');
if (!HAVE_OSC) {
  console.warn(
    '[osc-real] SKIPPED: `openstack` is not on PATH. Install it with `apt-get install -y python3-openstackclient` to run the real-client scenarios.',
  );
}

describe.skipIf(!HAVE_OSC)(
  `real openstack CLI against the fake cloud${HAVE_OSC ? '' : ' (skipped: `openstack` not on PATH; apt-get install python3-openstackclient)'}`,
  () => {
    describe.concurrent.each(SCENARIOS)('$name', (sc) => {
      it(`${sc.description}`, async () => {
        const cloud = await startFakeCloud({ ...sc.cloud, seed: sc.name });
        let r: RunOpenstackResult;
        try {
          r = await runOpenstack(cloud, sc.args, {
            env: sc.env ?? {},
            timeoutMs: 90_000,
            interrupt: interruptOf(sc, cloud.served),
          });
        } finally {
          await cloud.close();
        }
        const context = `stderr tail:\n${r.stderr.split('\n').slice(-15).join('\n')}`;
        expect(r.timedOut, context).toBe(false);
        expect(cloud.served.length, context).toBeGreaterThan(0);
        expect(r.stderr).toContain('REQ: curl');
        expect(r.stderr).toContain(`START with options: --debug ${sc.args.join(' ')}`);
        expect(r.exitCode, context).toBe(sc.expectExit);
        if (sc.expectServedCount !== undefined) {
          expect(cloud.served.length, JSON.stringify(cloud.served, null, 1)).toBe(sc.expectServedCount);
        }
        for (const want of sc.expectStderr ?? []) {
          if (typeof want === 'string') expect(r.stderr).toContain(want);
          else expect(r.stderr).toMatch(want);
        }
        // Every request id the cloud sent for a logged request appears in the log
        // (the token POST is sent with log=False, so its id never does).
        for (const s of cloud.served) {
          if (s.requestId === null || /\/auth\/tokens$/.test(s.path)) continue;
          expect(r.stderr, `${s.method} ${s.path}`).toContain(s.requestId);
        }
        // ostrace reconstructs exactly the requests the cloud served.
        const exchanges = await analyzeWithOstrace(r.stderr, {
          mainJs: new URL('../../dist/bin/ostrace.js', import.meta.url).pathname,
        });
        expect(compareWithServed(cloud.served, exchanges), context).toEqual([]);
      }, 120_000);
    });
  },
);
