#!/bin/bash
# Scenario 30: extend an in-use volume (volume API >= 3.42) on a backend that can extend
# (extend-backend.sh): cinder extends it and sends nova the volume-extended external event,
# nova-compute extends it on the host; the volume is in-use at the new size; then detach.
. "$(dirname "$0")/server-scenario-lib.sh"
NAME=${1:-30-extend-attached-ok}; N=${2:-30}
osc volume type show extendable >/dev/null 2>&1 || "$(dirname "$0")"/extend-backend.sh >/dev/null
ensure_server srv-$N
sc_begin $NAME
run --debug volume create --size 1 --type extendable vol-$N
wait_vol vol-$N available
run --debug server add volume srv-$N vol-$N
wait_vol vol-$N in-use
run --debug --os-volume-api-version 3.42 volume set --size 2 vol-$N
sleep 5
wait_vol vol-$N in-use
run --debug volume show vol-$N -c status -c size
run --debug server remove volume srv-$N vol-$N
wait_vol vol-$N available
sc_end
