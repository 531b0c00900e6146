// A server's fault as the real client prints it (samples/real-osc-plain/server-show-fault-*,
// recorded against the fake cloud with its server in ERROR; the kolla note's `-f value -c fault`):
// read as nova's code, message and created, and told by explain as the problem.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serverFaultOf } from '../../src/lex/matchers.js';
import { ostrace, root } from '../cli/built-cli.js';
import { startFakeCloud } from '../fake-cloud/server.js';
import { onPath, runOpenstack } from '../fake-cloud/run-osc.js';

const recorded = (name: string) => join(root, 'samples/real-osc-plain', `${name}.log`);
const SERVER = '0b7e1f6c-2d4a-4c35-9a51-3f0d8c2b9e11';
const FAULT = {
  code: 500,
  message: 'No valid host was found. There are not enough hosts available.',
  created: '2026-12-08T01:20:31Z',
};
const flat = (s: string) => s.replace(/\s+/g, ' ');

describe("a server's fault in osc's output", () => {
  it.each([
    ['server-show-fault-value', 1],
    ['server-show-fault-table', 19],
    ['server-show-fault-json', 2],
  ])('%s: the fault is the problem, with where nova tells why', (name, line) => {
    const r = ostrace(['explain', recorded(name)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "1. a command whose start the log does not show showed a server's fault: 500 No valid host was found. There are not enough hosts available.",
    );
    const text = flat(r.stdout);
    expect(text).toContain(
      `The fault of the server (${recorded(name)}:${line}): 500 "No valid host was found. There are not enough hosts available.", recorded 2026-12-08T01:20:31Z`,
    );
    expect(text).toContain(
      "Next: look up the server's id in nova's logs (nova-conductor, nova-scheduler, nova-compute) around 2026-12-08T01:20:31Z",
    );
    // Its fault is why the server failed: rerunning the read with --debug would tell nothing more.
    expect(text).not.toContain('run it again with `--debug`');
  });

  it('with --debug: the GET of the server carries the fault, the command too, and explain names the server', () => {
    const log = recorded('server-show-fault-debug');
    const report = JSON.parse(ostrace(['analyze', '--format', 'json', log]).stdout) as {
      exchanges: Array<{ method: string; path: string; resource?: { fault?: unknown } }>;
      commands: Array<{ fault?: unknown }>;
    };
    const get = report.exchanges.find((x) => x.method === 'GET' && x.path.endsWith(`/servers/${SERVER}`));
    expect(get?.resource).toMatchObject({ type: 'server', id: SERVER, status: 'ERROR', fault: FAULT });
    expect(report.commands[0]!.fault).toEqual({ ...FAULT, line: 76 });
    const r = ostrace(['explain', log]);
    expect(r.stdout).toContain(
      `1. \`server show\` (exit 0) showed server ${SERVER}'s fault: 500 No valid host was found.`,
    );
    expect(flat(r.stdout)).toContain(`Next: look up ${SERVER} in nova's logs`);
    expect(ostrace(['lint', log]).stdout.match(/api\/server-fault/g)).toHaveLength(1);
  });

  it("-f json: the fault's lines are read, the `details` skipped; only the lone opening brace stays unrecognized", () => {
    const report = JSON.parse(ostrace(['analyze', '--format', 'json', recorded('server-show-fault-json')]).stdout) as {
      inputs: Array<{ unrecognized: Array<{ line: number }> }>;
      commands: Array<{ fault?: unknown }>;
    };
    expect(report.inputs[0]!.unrecognized.map((u) => u.line)).toEqual([1]);
    expect(report.commands.map((c) => c.fault)).toEqual([{ ...FAULT, line: 2 }]);
  });

  it("the kolla note's `server show … -f value -c fault` is that command's fault", () => {
    const r = ostrace([
      'explain',
      'samples/field/kolla-grep-nova-compute-py312-carets/kolla-grep-nova-compute-py312-carets.log',
    ]);
    expect(r.stdout).toContain(
      "1. `server show a6394371-1067-4b00-b447-1cb9ffba17e6 -f value -c fault` showed a server's fault: 500 Exceeded maximum number of retries.",
    );
  });

  it("reads python's repr of a message with a quote in it (double-quoted), and not a dict cut inside its message", () => {
    // python3 -c "print(repr({'code': 500, 'created': …, 'message': \"Build … Volume 'v' …\", 'details': 'Traceback'}))"
    expect(
      serverFaultOf(
        `{'code': 500, 'created': '2026-12-08T01:20:31Z', 'message': "Build of instance x aborted: Volume 'v' did not finish being created", 'details': 'Traceback'}`,
      ),
    ).toEqual({
      code: 500,
      created: '2026-12-08T01:20:31Z',
      message: "Build of instance x aborted: Volume 'v' did not finish being created",
    });
    expect(
      serverFaultOf(`{'code': 500, 'created': '2026-12-08T01:20:31Z', 'message': 'No valid host was fou`),
    ).toBeNull();
  });
});

describe.skipIf(!onPath('openstack'))('the real client: a server in ERROR', { timeout: 120_000 }, () => {
  it('`openstack server show ID -f value -c fault | ostrace explain` tells the fault', async () => {
    const cloud = await startFakeCloud({
      seed: 'server-fault-real',
      servers: [{ id: SERVER, name: 'vm1', status: 'ERROR', fault: FAULT }],
    });
    try {
      const main = join(root, 'dist/bin/ostrace.js');
      const r = await runOpenstack(
        cloud,
        ['-c', `openstack server show ${SERVER} -f value -c fault 2>&1 | "${process.execPath}" "${main}" explain`],
        { executable: 'sh', debug: false, timeoutMs: 90_000 },
      );
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toContain("showed a server's fault: 500 No valid host was found.");
    } finally {
      await cloud.close();
    }
  });
});
