#!/bin/bash
# Scenario 36 (needs second-compute.sh): two volumes attached, live migration to the other
# host, then a cold migrate back and its confirm, then both volumes detached: each migration
# makes its attachment calls once per volume.
. "$(dirname "$0")/server-scenario-lib.sh"
SERVICE_LOGS="$SERVICE_LOGS nova-compute-2"
NAME=${1:-36-migrate-two-volumes}; N=${2:-36}
ensure_server srv-$N
sc_begin $NAME
attach_new_volume srv-$N vol-${N}a
attach_new_volume srv-$N vol-${N}b
run --debug server migrate --live-migration srv-$N
wait_srv srv-$N ACTIVE
sleep 5
run --debug server migrate srv-$N
wait_srv srv-$N VERIFY_RESIZE
run --debug server migrate confirm srv-$N
wait_srv srv-$N ACTIVE
run --debug server remove volume srv-$N vol-${N}a
wait_vol vol-${N}a available
run --debug server remove volume srv-$N vol-${N}b
wait_vol vol-${N}b available
sc_end
