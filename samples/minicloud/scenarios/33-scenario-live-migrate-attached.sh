#!/bin/bash
# Scenario 33 (needs second-compute.sh): attach, live migrate to the other host
# (`server migrate --live-migration`, the scheduler picks it), detach.
. "$(dirname "$0")/server-scenario-lib.sh"
SERVICE_LOGS="$SERVICE_LOGS nova-compute-2"
NAME=${1:-33-live-migrate-attached}; N=${2:-33}
ensure_server srv-$N
sc_begin $NAME
attach_new_volume srv-$N vol-$N
run --debug server migrate --live-migration srv-$N
wait_srv srv-$N ACTIVE
sleep 5
run --debug volume show vol-$N -c status -c attachments
run --debug server remove volume srv-$N vol-$N
wait_vol vol-$N available
sc_end
