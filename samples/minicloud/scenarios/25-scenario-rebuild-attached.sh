#!/bin/bash
# Scenario 25: attach, rebuild the (image-backed) server with its image: nova-compute creates a
# connector-less attachment, detaches the volume (deleting the old attachment), then attaches it
# again through the new one (update with the connector, complete). Then detach.
. "$(dirname "$0")/10-scenario-lib.sh"
NAME=${1:-25-rebuild-attached}; N=${2:-25}
wait_srv() { # server wanted-status
  for i in $(seq 1 60); do
    st=$(osc server show "$1" -f value -c status 2>/dev/null)
    echo "poll $1 -> $st" >> "$SCDIR/commands.txt"
    [ "$st" = "$2" ] && return 0; case "$st" in ERROR) return 1;; esac; sleep 2
  done; return 1; }
osc server show srv-$N >/dev/null 2>&1 || osc --os-compute-api-version 2.37 server create --flavor m1.tiny --image tiny --nic none --wait srv-$N >/dev/null
sc_begin $NAME
run --debug volume create --size 1 vol-$N
wait_vol vol-$N available
run --debug server add volume srv-$N vol-$N
wait_vol vol-$N in-use
run --debug server rebuild --image tiny srv-$N
wait_srv srv-$N ACTIVE
wait_vol vol-$N in-use
run --debug server remove volume srv-$N vol-$N
wait_vol vol-$N available
sc_end
