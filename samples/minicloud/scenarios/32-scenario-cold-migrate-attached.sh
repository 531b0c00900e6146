#!/bin/bash
# Scenario 32 (needs second-compute.sh): attach, cold migrate to the other host
# (`server migrate`), confirm, detach. Like a resize: the source swaps the attachment for a
# connector-less one, the destination updates and completes it.
. "$(dirname "$0")/server-scenario-lib.sh"
SERVICE_LOGS="$SERVICE_LOGS nova-compute-2"
NAME=${1:-32-cold-migrate-attached}; N=${2:-32}
ensure_server srv-$N
sc_begin $NAME
attach_new_volume srv-$N vol-$N
run --debug server migrate srv-$N
wait_srv srv-$N VERIFY_RESIZE
run --debug volume show vol-$N -c status -c attachments
run --debug server migrate confirm srv-$N
wait_srv srv-$N ACTIVE
run --debug server remove volume srv-$N vol-$N
wait_vol vol-$N available
sc_end
