#!/bin/bash
# Scenario 22: attach, shelve (offloaded at once), unshelve with the volume attached
# (nova-compute updates the connector-less attachment and completes it on the host), detach.
. "$(dirname "$0")/server-scenario-lib.sh"
NAME=${1:-22-unshelve-attached}; N=${2:-22}
ensure_server srv-$N
sc_begin $NAME
attach_new_volume srv-$N vol-$N
run --debug server shelve srv-$N
wait_srv srv-$N SHELVED_OFFLOADED
run --debug volume show vol-$N -c status -c attachments
unshelve_then_detach srv-$N vol-$N
sc_end
