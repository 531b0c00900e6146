/**
 * Record the terminal sessions of samples/real-osc-plain/ (session 32 on): the real `openstack`
 * client run command after command against the fake cloud, each command's stdout and stderr
 * after the `$ openstack …` prompt line a pasted terminal shows (without --debug), or the
 * session's stderr alone (with --debug). Request ids and generated ids come from the session's
 * seed; created_at of new resources and Date headers still change.
 *
 * Usage (Node 20 cannot run .ts directly):
 *   npx tsc -p . && node dist/test/fake-cloud/record-sessions.js [--only a,b] [--out DIR]
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_VOLUME_ID, startFakeCloud, type FakeCloudOptions } from './server.js';
import { runOpenstack } from './run-osc.js';

interface Session {
  cloud: Omit<FakeCloudOptions, 'seed' | 'port'>;
  commands: string[][];
  debug?: boolean;
}

const ATTACH = ['server', 'add', 'volume', 'vm1', 'vol1'];
const DETACH = ['server', 'remove', 'volume', 'vm1', 'vol1'];
const SHOW = ['volume', 'show', 'vol1'];
const CREATE = ['volume', 'create', '--size', '1', 'vol2'];
const ATTACHED = { volumes: [{ id: DEFAULT_VOLUME_ID, name: 'vol1', attachedTo: 'vm1' }] };

export const SESSIONS: Record<string, Session> = {
  'server-add-volume-rolled-back': { cloud: { attachRolledBack: ['vol1'] }, commands: [ATTACH, SHOW] },
  'server-add-volume-in-use': { cloud: {}, commands: [ATTACH, SHOW] },
  'server-add-volume-rolled-back-list': {
    cloud: { attachRolledBack: ['vol1'] },
    commands: [ATTACH, ['volume', 'list']],
  },
  'server-add-volume-rolled-back-value': {
    cloud: { attachRolledBack: ['vol1'] },
    commands: [ATTACH, [...SHOW, '-f', 'value', '-c', 'status']],
  },
  'server-add-volume-then-remove': { cloud: {}, commands: [ATTACH, DETACH, SHOW] },
  'volume-create-error': { cloud: { createFails: ['vol2'] }, commands: [CREATE, ['volume', 'show', 'vol2']] },
  'volume-create-error-list': { cloud: { createFails: ['vol2'] }, commands: [CREATE, ['volume', 'list']] },
  'volume-create-creating': { cloud: {}, commands: [CREATE, ['volume', 'list']] },
  'server-remove-volume-left-in-use': { cloud: { ...ATTACHED, detachRolledBack: ['vol1'] }, commands: [DETACH, SHOW] },
  'server-remove-volume-available': { cloud: ATTACHED, commands: [DETACH, SHOW] },
  'server-remove-volume-left-in-use-debug': {
    cloud: { ...ATTACHED, detachRolledBack: ['vol1'] },
    commands: [DETACH, SHOW],
    debug: true,
  },
  'server-remove-volume-available-debug': { cloud: ATTACHED, commands: [DETACH, SHOW], debug: true },
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const only = option('--only')?.split(',');
  const out = option('--out') ?? join(process.cwd(), 'samples/real-osc-plain');
  for (const [name, session] of Object.entries(SESSIONS)) {
    if (only && !only.includes(name)) continue;
    const cloud = await startFakeCloud({ ...session.cloud, seed: name, port: 18080 });
    let text = '';
    try {
      for (const argv of session.commands) {
        const r = await runOpenstack(cloud, argv, {
          debug: session.debug === true,
          timeoutMs: 60_000,
          pythonHashSeed: '0',
        });
        text += session.debug ? r.stderr : `$ openstack ${argv.join(' ')}\n${r.stdout}${r.stderr}`;
        console.error(`${name}: openstack ${argv.join(' ')} → exit ${r.exitCode}`);
      }
    } finally {
      await cloud.close();
    }
    await writeFile(join(out, `${name}.log`), text);
  }
}

if (process.argv[1]?.endsWith('record-sessions.js')) await main();
