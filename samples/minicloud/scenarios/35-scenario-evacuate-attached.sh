#!/bin/bash
# Scenario 35 (needs second-compute.sh): attach, stop the nova-compute of the server's host,
# mark it down (`compute service set --down`, compute 2.11), `server evacuate` to the other
# host, then start the stopped compute again (it cleans up the evacuated server), mark it up,
# detach. Both computes log to the scenario (nova-compute.log, nova-compute-2.log).
. "$(dirname "$0")/server-scenario-lib.sh"
SERVICE_LOGS="$SERVICE_LOGS nova-compute-2"
NAME=${1:-35-evacuate-attached}; N=${2:-35}
ensure_server srv-$N
SRC=$(osc server show srv-$N -f value -c OS-EXT-SRV-ATTR:host)
case $SRC in
  minicloud) CONF=/etc/nova/nova.conf; UNIT=nova-compute; LOG=nova-compute.log;;
  minicloud-2) CONF=/etc/nova/nova-2.conf; UNIT=nova-compute-2; LOG=nova-compute-2.log;;
  *) echo "srv-$N on unexpected host '$SRC'" >&2; exit 1;;
esac
sc_begin $NAME
attach_new_volume srv-$N vol-$N
echo "# stop $UNIT (host $SRC)" >> "$SCDIR/commands.txt"
pkill -f "config-file $CONF --log-file $MC_LOG/$LOG" ; sleep 3
run --debug --os-compute-api-version 2.11 compute service set --down $SRC nova-compute
run --debug server evacuate srv-$N
wait_srv srv-$N ACTIVE
sleep 3
run --debug volume show vol-$N -c status -c attachments
echo "# start $UNIT again" >> "$SCDIR/commands.txt"
PY="env -u PYTHONPATH /usr/bin/python3"
mc_start $UNIT $PY -c 'import sys; sys.argv[0]="/usr/bin/nova-compute"; from nova.cmd.compute import main; sys.exit(main())' \
  --config-file $CONF --log-file $MC_LOG/$LOG
sleep 15
run --debug --os-compute-api-version 2.11 compute service set --up $SRC nova-compute
sleep 3
run --debug server remove volume srv-$N vol-$N
wait_vol vol-$N available
sc_end
