#!/bin/bash
# Scenario 24: attach, resize to another flavor on the same host (nova.conf [DEFAULT]
# allow_resize_to_same_host = True), confirm, detach. The resize swaps the attachment for a
# connector-less one on the source and updates + completes it on the destination.
. "$(dirname "$0")/10-scenario-lib.sh"
NAME=${1:-24-resize-attached}; N=${2:-24}
wait_srv() { # server wanted-status
  for i in $(seq 1 60); do
    st=$(osc server show "$1" -f value -c status 2>/dev/null)
    echo "poll $1 -> $st" >> "$SCDIR/commands.txt"
    [ "$st" = "$2" ] && return 0; case "$st" in ERROR) return 1;; esac; sleep 2
  done; return 1; }
osc flavor show m1.small >/dev/null 2>&1 || osc flavor create --ram 128 --vcpus 1 --disk 1 --id 2 m1.small >/dev/null
osc server show srv-$N >/dev/null 2>&1 || osc --os-compute-api-version 2.37 server create --flavor m1.tiny --image tiny --nic none --wait srv-$N >/dev/null
sc_begin $NAME
run --debug volume create --size 1 vol-$N
wait_vol vol-$N available
run --debug server add volume srv-$N vol-$N
wait_vol vol-$N in-use
run --debug server resize --flavor m1.small srv-$N
wait_srv srv-$N VERIFY_RESIZE
run --debug volume show vol-$N -c status -c attachments
run --debug server resize confirm srv-$N
wait_srv srv-$N ACTIVE
run --debug server remove volume srv-$N vol-$N
wait_vol vol-$N available
sc_end
