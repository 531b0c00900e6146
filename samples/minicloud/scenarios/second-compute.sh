#!/bin/bash
# A second nova-compute on the same machine, as host `minicloud-2` (its own nova.conf copy,
# state path and log file nova-compute-2.log), so that cold and live migrations have a
# destination: the fake driver names its one node after the host.
set -e
. "$(dirname "$0")/00-common.sh"
C2=/etc/nova/nova-2.conf
mkdir -p $MC_STATE/nova-2/instances $MC_STATE/nova-2/lock
sed -e 's/^host = minicloud$/host = minicloud-2/' \
    -e "s#^state_path = .*#state_path = $MC_STATE/nova-2#" \
    -e "s#^instances_path = .*#instances_path = $MC_STATE/nova-2/instances#" \
    -e "s#^lock_path = .*#lock_path = $MC_STATE/nova-2/lock#" /etc/nova/nova.conf > $C2
grep -q '^host = minicloud-2$' $C2
PY="env -u PYTHONPATH /usr/bin/python3"
pgrep -f "config-file $C2" >/dev/null || mc_start nova-compute-2 $PY -c 'import sys; sys.argv[0]="/usr/bin/nova-compute"; from nova.cmd.compute import main; sys.exit(main())' \
  --config-file $C2 --log-file $MC_LOG/nova-compute-2.log
for i in $(seq 1 60); do osc compute service list -f value 2>/dev/null | grep -q 'nova-compute minicloud-2 .* up' && break; sleep 3; done
nova-manage --log-file $MC_LOG/setup-nova-manage.log cell_v2 discover_hosts --verbose
osc compute service list
osc hypervisor list
