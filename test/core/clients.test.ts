// A client run typed at a pasted prompt: which lines start a command, and its argv.
import { describe, expect, it } from 'vitest';
import { clientRunArgv } from '../../src/core/clients.js';

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
