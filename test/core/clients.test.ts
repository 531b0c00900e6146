// A client run typed at a pasted prompt: which lines start a command, and its argv.
import { describe, expect, it } from 'vitest';
import { clientRunArgv, runsClient } from '../../src/core/clients.js';

describe('clientRunArgv', () => {
  it("gives osc's argv after `openstack`, a legacy client's with its program first", () => {
    expect(clientRunArgv('openstack role create admin')).toEqual(['role', 'create', 'admin']);
    expect(clientRunArgv('nova reboot d7873036-15b0-4a06-9507-999dbf097c62')).toEqual([
      'nova',
      'reboot',
      'd7873036-15b0-4a06-9507-999dbf097c62',
    ]);
    expect(clientRunArgv(`openstack server create --property 'a=b c' "vm 1"`)).toEqual([
      'server',
      'create',
      '--property',
      'a=b c',
      'vm 1',
    ]);
  });

  it('skips sudo and variables set for the run', () => {
    expect(clientRunArgv('sudo nova quota-show')).toEqual(['nova', 'quota-show']);
    expect(clientRunArgv('sudo -E OS_CLOUD=x openstack server list')).toEqual(['server', 'list']);
  });

  it('finds the client a container tool runs in its container or pod', () => {
    // openstack-k8s-operators notes (samples/field/oc-rsh-endpoint-list-discovery-failure)
    expect(clientRunArgv('oc rsh openstackclient openstack endpoint list')).toEqual(['endpoint', 'list']);
    expect(clientRunArgv('docker exec -it kolla_toolbox openstack server list')).toEqual(['server', 'list']);
    expect(clientRunArgv('kubectl -n openstack exec -it openstackclient -- openstack volume list')).toEqual([
      'volume',
      'list',
    ]);
    // a shell in a container named like the client, a tool that runs nothing in one
    expect(clientRunArgv('docker exec -it openstack bash')).toBeNull();
    expect(clientRunArgv('docker logs openstack')).toBeNull();
    expect(runsClient('oc rsh openstackclient openstack endpoint list')).toBe(true);
    expect(runsClient('kubectl logs openstack-0')).toBe(false);
  });

  it('is no run of its own when its output is not what follows, or it is another program', () => {
    expect(clientRunArgv('openstack --debug server list')).toBeNull();
    expect(clientRunArgv('openstack server list | grep vm1')).toBeNull();
    expect(clientRunArgv('openstack server list > out.txt')).toBeNull();
    expect(clientRunArgv('source openrc && nova list')).toBeNull();
    expect(clientRunArgv('grep req-1 /var/log/nova/nova-api.log')).toBeNull();
    expect(clientRunArgv('source openrc_demo')).toBeNull();
    // A `|` inside quotes is an argument.
    expect(clientRunArgv(`openstack server list -c 'a|b'`)).toEqual(['server', 'list', '-c', 'a|b']);
  });
});

describe('runsClient', () => {
  it('is a client run wherever the line runs a client, piped, chained or with --debug', () => {
    expect(runsClient('openstack --debug server list 2>&1 | tee out.txt')).toBe(true);
    expect(runsClient('source openrc && nova list')).toBe(true);
    expect(runsClient('sudo -E OS_CLOUD=x openstack server list')).toBe(true);
    expect(runsClient('sudo -u stack cinder list')).toBe(true);
  });

  it('is none when the line runs only other programs (samples/field/launchpad-qp-swap-volume-journal)', () => {
    expect(runsClient('cat queries/virDomainGetBlockJobInfo.yaml')).toBe(false);
    expect(runsClient('elastic-recheck-query queries/virDomainGetBlockJobInfo.yaml')).toBe(false);
    expect(runsClient('grep req-1 /var/log/nova/nova-api.log')).toBe(false);
    expect(runsClient('nova-manage cell_v2 list_cells')).toBe(false);
    expect(runsClient('')).toBe(false);
  });
});
