#!/bin/bash
# Scenario 26: attach, resize to another flavor on the same host (nova.conf [DEFAULT]
# allow_resize_to_same_host = True), then revert the resize, detach. Resize and revert each swap the
# attachment for a
# connector-less one on the host they leave and update + complete it on the host they go to.
. "$(dirname "$0")/server-scenario-lib.sh"
NAME=${1:-26-resize-revert-attached}; N=${2:-26}
osc flavor show m1.small >/dev/null 2>&1 || osc flavor create --ram 128 --vcpus 1 --disk 1 --id 2 m1.small >/dev/null
ensure_server srv-$N
sc_begin $NAME
attach_new_volume srv-$N vol-$N
run --debug server resize --flavor m1.small srv-$N
wait_srv srv-$N VERIFY_RESIZE
run --debug volume show vol-$N -c status -c attachments
run --debug server resize revert srv-$N
wait_srv srv-$N ACTIVE
run --debug server remove volume srv-$N vol-$N
wait_vol vol-$N available
sc_end
