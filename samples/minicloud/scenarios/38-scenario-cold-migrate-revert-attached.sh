#!/bin/bash
# Scenario 38 (needs second-compute.sh): attach, cold migrate to the other host, VERIFY_RESIZE,
# `server resize revert` (back to the source host), detach. Recorded by a helper session with
# its own two-host library as `37-scenario-cold-migrate-revert-attached.sh … m27` (the calls
# below are the recorded ones; only the library differs: the helper's wrote the source host
# into commands.txt, as here).
. "$(dirname "$0")/server-scenario-lib.sh"
SERVICE_LOGS="$SERVICE_LOGS nova-compute-2"
NAME=${1:-29-cold-migrate-revert-attached}; N=${2:-m27}
ensure_server srv-$N
sc_begin $NAME
attach_new_volume srv-$N vol-$N
echo "# srv-$N on $(osc server show srv-$N -f value -c OS-EXT-SRV-ATTR:host)" >> "$SCDIR/commands.txt"
run --debug server migrate srv-$N
wait_srv srv-$N VERIFY_RESIZE
run --debug server show srv-$N -c status -c OS-EXT-SRV-ATTR:host
run --debug server resize revert srv-$N
sleep 2
wait_srv srv-$N ACTIVE
run --debug server show srv-$N -c status -c OS-EXT-SRV-ATTR:host
wait_vol vol-$N in-use
run --debug server remove volume srv-$N vol-$N
wait_vol vol-$N available
sc_end
