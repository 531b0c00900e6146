#!/bin/bash
# Scenario 24: attach, resize to another flavor on the same host (nova.conf [DEFAULT]
# allow_resize_to_same_host = True), confirm, detach. The resize swaps the attachment for a
# connector-less one on the source and updates + completes it on the destination.
. "$(dirname "$0")/server-scenario-lib.sh"
NAME=${1:-24-resize-attached}; N=${2:-24}
osc flavor show m1.small >/dev/null 2>&1 || osc flavor create --ram 128 --vcpus 1 --disk 1 --id 2 m1.small >/dev/null
ensure_server srv-$N
sc_begin $NAME
attach_new_volume srv-$N vol-$N
run --debug server resize --flavor m1.small srv-$N
wait_srv srv-$N VERIFY_RESIZE
run --debug volume show vol-$N -c status -c attachments
run --debug server resize confirm srv-$N
wait_srv srv-$N ACTIVE
run --debug server remove volume srv-$N vol-$N
wait_vol vol-$N available
sc_end
