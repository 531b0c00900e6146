// nova-api and nova-compute logs of an older cloud for the benchmark: oslo.log
// contexts before global request ids (`[req-… user project - - -]`), eventlet access
// lines, attach/detach/stop work in nova-compute under the API request's id, and
// periodic tasks. Chains can only join these by request id and resource UUID.
// Deterministic: a seeded PRNG, the same bytes on every run.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { SeededIds } from './generate.js';

const USER = '9d2b8e7a41c34c0e8f1f4a6c2b7d9e10';
const PROJECT = '5c1f0e2d3b4a49c8a7e6d5c4b3a29180';
const API_PIDS = [2931, 2932, 2933, 2934];
const COMPUTE_PID = 1877;
const PY = '/usr/lib/python2.7/dist-packages';

interface Line {
  ms: number;
  text: string;
}

export class OldServiceLogs extends SeededIds {
  private t = Date.UTC(2017, 2, 1, 8, 0, 0);
  private ops = 0;
  private nextPeriodic = 0;
  private readonly servers: string[] = [];
  private readonly volumes: string[] = [];
  /** Lines not yet written, per file: each file is written in time order. */
  private pending: [Line[], Line[]] = [[], []];

  constructor(seed = 7) {
    super(seed);
    for (let i = 0; i < 64; i++) {
      this.servers.push(this.uuid());
      this.volumes.push(this.uuid());
    }
  }

  private pick<T>(list: T[]): T {
    return list[Math.floor(this.rand() * list.length)]!;
  }

  private stamp(ms: number): string {
    return new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
  }

  private line(ms: number, pid: number, level: string, logger: string, ctx: string, message: string): string {
    return `${this.stamp(ms)} ${pid} ${level} ${logger} [${ctx}] ${message}\n`;
  }

  /** The next operation's lines: [nova-api text, nova-compute text written now]. */
  next(): [string, string] {
    this.ops++;
    // the population of servers and volumes changes slowly
    if (this.ops % 500 === 0) {
      this.servers[Math.floor(this.rand() * 64)] = this.uuid();
      this.volumes[Math.floor(this.rand() * 64)] = this.uuid();
    }
    this.t += 20 + Math.floor(this.rand() * 280);
    const t = this.t;
    const req = `req-${this.uuid()}`;
    const ctx = `${req} ${USER} ${PROJECT} - - -`;
    const pid = this.pick(API_PIDS);
    const dur = 15 + Math.floor(this.rand() * 400);
    const server = this.pick(this.servers);
    const volume = this.pick(this.volumes);
    const r = this.rand();
    const api: Line[] = [];
    const compute: Line[] = [];
    const say = (after: number, level: string, logger: string, message: string) =>
      api.push({ ms: t + after, text: this.line(t + after, pid, level, logger, ctx, message) });
    const work = (after: number, logger: string, message: string, level = 'DEBUG') =>
      compute.push({ ms: t + after, text: this.line(t + after, COMPUTE_PID, level, logger, ctx, message) });
    const calling = (controller: string, method: string) =>
      `Calling method '<bound method ${controller}.${method} of <nova.api.openstack.compute.${controller.toLowerCase()}.${controller} object at 0x7f3c2a1b8d50>>' _process_stack ${PY}/nova/api/openstack/wsgi.py:626`;
    const access = (method: string, path: string, status: number, len: number) =>
      say(
        dur,
        'INFO',
        'nova.osapi_compute.wsgi.server',
        `10.0.0.5 "${method} /v2.1/${PROJECT}${path} HTTP/1.1" status: ${status} len: ${len} time: ${(dur / 1000).toFixed(7)}`,
      );
    if (r < 0.5) {
      say(3, 'DEBUG', 'nova.api.openstack.wsgi', calling('ServersController', 'detail'));
      access('GET', '/servers/detail', 200, 1500 + Math.floor(this.rand() * 20000));
    } else if (r < 0.7) {
      say(3, 'DEBUG', 'nova.api.openstack.wsgi', calling('ServersController', 'show'));
      access('GET', `/servers/${server}`, 200, 1874);
    } else if (r < 0.85) {
      say(
        3,
        'DEBUG',
        'nova.api.openstack.wsgi',
        `Action: 'create', calling method: <bound method VolumeAttachmentController.create of <nova.api.openstack.compute.volumes.VolumeAttachmentController object at 0x7f3c29f4e610>>, body: {"volumeAttachment": {"volumeId": "${volume}"}} _process_stack ${PY}/nova/api/openstack/wsgi.py:621`,
      );
      say(
        40,
        'INFO',
        'nova.api.openstack.compute.volumes',
        `[instance: ${server}] Attach volume ${volume} to instance ${server} at None`,
      );
      access('POST', `/servers/${server}/os-volume_attachments`, 200, 194);
      work(
        dur + 30,
        'oslo_concurrency.lockutils',
        `Lock "${server}" acquired by "nova.compute.manager.do_attach_volume" :: waited 0.000s inner ${PY}/oslo_concurrency/lockutils.py:270`,
      );
      work(dur + 35, 'nova.compute.manager', `[instance: ${server}] Attaching volume ${volume} to /dev/vdb`, 'INFO');
      work(
        dur + 400,
        'nova.virt.libvirt.guest',
        `attach device xml: <disk type="network" device="disk"><driver name="qemu" type="raw" cache="none"/><source protocol="rbd" name="volumes/volume-${volume}"/><target bus="virtio" dev="vdb"/><serial>${volume}</serial></disk> attach_device ${PY}/nova/virt/libvirt/guest.py:302`,
      );
      work(
        dur + 1200,
        'oslo_concurrency.lockutils',
        `Lock "${server}" released by "nova.compute.manager.do_attach_volume" :: held 1.170s inner ${PY}/oslo_concurrency/lockutils.py:282`,
      );
    } else if (r < 0.95) {
      say(3, 'DEBUG', 'nova.api.openstack.wsgi', calling('VolumeAttachmentController', 'delete'));
      access('DELETE', `/servers/${server}/os-volume_attachments/${volume}`, 202, 0);
      work(
        dur + 25,
        'nova.compute.manager',
        `[instance: ${server}] Detach volume ${volume} from mountpoint /dev/vdb`,
        'INFO',
      );
      work(
        dur + 300,
        'nova.virt.libvirt.driver',
        `[instance: ${server}] Attempting to detach device vdb from instance ${server} from the persistent domain config. _detach_from_persistent ${PY}/nova/virt/libvirt/driver.py:1476`,
      );
      work(
        dur + 900,
        'nova.virt.libvirt.guest',
        `Successfully detached device vdb from guest. Persistent? 1. Live? True _try_detach_device ${PY}/nova/virt/libvirt/guest.py:400`,
      );
    } else {
      say(
        3,
        'DEBUG',
        'nova.api.openstack.wsgi',
        `Action: 'action', calling method: <bound method ServersController._stop_server of <nova.api.openstack.compute.servers.ServersController object at 0x7f3c2a1b8d50>>, body: {"os-stop": null} _process_stack ${PY}/nova/api/openstack/wsgi.py:621`,
      );
      access('POST', `/servers/${server}/action`, 202, 0);
      work(dur + 50, 'nova.compute.manager', `[instance: ${server}] Stopping instance`, 'INFO');
      work(
        dur + 2500,
        'nova.virt.libvirt.driver',
        `[instance: ${server}] Instance shutdown successfully after 2 seconds.`,
        'INFO',
      );
    }
    if (t >= this.nextPeriodic) {
      this.nextPeriodic = t + 10_000;
      const pctx = `req-${this.uuid()} - - - - -`;
      for (const [i, task] of [
        '_poll_rebooting_instances',
        '_heal_instance_info_cache',
        '_sync_power_states',
      ].entries())
        compute.push({
          ms: t + i,
          text: this.line(
            t + i,
            COMPUTE_PID,
            'DEBUG',
            'oslo_service.periodic_task',
            pctx,
            `Running periodic task ComputeManager.${task} run_periodic_tasks ${PY}/oslo_service/periodic_task.py:215`,
          ),
        });
    }
    // each file's lines are written in time order once nothing earlier can come
    const due = (i: 0 | 1, lines: Line[]) => {
      const pending = this.pending[i];
      pending.push(...lines);
      pending.sort((a, b) => a.ms - b.ms);
      let n = 0;
      while (n < pending.length && pending[n]!.ms <= t) n++;
      this.pending[i] = pending.slice(n);
      return pending
        .slice(0, n)
        .map((l) => l.text)
        .join('');
    };
    return [due(0, api), due(1, compute)];
  }
}

/** nova-api.log and nova-compute.log in `dir`, at least `bytes` in all. */
export async function generateOldServices(dir: string, bytes: number, seed = 7): Promise<string[]> {
  const gen = new OldServiceLogs(seed);
  const paths = [join(dir, 'nova-api.log'), join(dir, 'nova-compute.log')];
  const outs = paths.map((p) => createWriteStream(p));
  let written = 0;
  while (written < bytes) {
    const texts = gen.next();
    for (const [i, text] of texts.entries()) {
      written += Buffer.byteLength(text);
      if (!outs[i]!.write(text)) await once(outs[i]!, 'drain');
    }
  }
  for (const out of outs) {
    out.end();
    await once(out, 'finish');
  }
  return paths;
}
