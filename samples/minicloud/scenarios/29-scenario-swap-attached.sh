#!/bin/bash
# Scenario 29: swap an attached volume for another (compute API PUT
# /servers/{id}/os-volume_attachments/{old} with the new volume id, admin only), with the legacy
# novaclient (`nova --debug volume-update`; the openstack CLI has no swap), then detach the new one.
# nova-compute swaps through cinder's new-style attachments: the old volume ends `available`,
# the new one `in-use`.
. "$(dirname "$0")/server-scenario-lib.sh"
NAME=${1:-29-swap-attached}; N=${2:-29}
nova_run() { echo "\$ nova $*" >> "$SCDIR/commands.txt"
  echo "===== $(date -u '+%F %T.%3N') \$ nova $*" >> "$CLIENT"
  env -u PYTHONPATH /usr/bin/python3 /usr/bin/nova "$@" >> "$CLIENT" 2>&1; local rc=$?; echo "===== rc=$rc" >> "$CLIENT"; return $rc; }
ensure_server srv-$N
osc volume show vol-${N}b >/dev/null 2>&1 || { osc volume create --size 1 vol-${N}b >/dev/null; }
sc_begin $NAME
attach_new_volume srv-$N vol-${N}a
wait_vol vol-${N}b available
nova_run --debug volume-update srv-$N "$(osc volume show vol-${N}a -f value -c id)" "$(osc volume show vol-${N}b -f value -c id)"
wait_vol vol-${N}b in-use
wait_vol vol-${N}a available
run --debug server remove volume srv-$N vol-${N}b
wait_vol vol-${N}b available
sc_end
