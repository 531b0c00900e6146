#!/bin/bash
# Scenario 31: retype an attached volume to a type of another backend with `--retype-policy
# on-demand` (needs extend-backend.sh first: backend "fakeextend", type "extendable"). Cinder
# migrates it: cinder-volume creates the new volume on the other backend, asks nova to swap
# (PUT /servers/{id}/os-volume_attachments/{old} with the new volume id, as cinder's service
# user), nova-compute swaps and calls back os-migrate_volume_completion; then detach.
. "$(dirname "$0")/server-scenario-lib.sh"
NAME=${1:-31-retype-migrate-attached}; N=${2:-31}
ensure_server srv-$N
sc_begin $NAME
attach_new_volume srv-$N vol-$N
run --debug volume set --type extendable --retype-policy on-demand vol-$N
sleep 3
wait_vol vol-$N in-use
sleep 5
run --debug volume show vol-$N -c status -c type -c migration_status -c attachments
run --debug server remove volume srv-$N vol-$N
wait_vol vol-$N available
sc_end
