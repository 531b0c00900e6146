#!/bin/bash
# What the server scenarios (22–26) share on top of 10-scenario-lib.sh: a server to work on,
# and a status poll written to commands.txt like the library's wait_vol.
. "$(dirname "$0")/10-scenario-lib.sh"
wait_srv() { # server wanted-status
  for i in $(seq 1 60); do
    st=$(osc server show "$1" -f value -c status 2>/dev/null)
    echo "poll $1 -> $st" >> "$SCDIR/commands.txt"
    [ "$st" = "$2" ] && return 0; case "$st" in ERROR) return 1;; esac; sleep 2
  done; return 1; }
ensure_server() { # name
  osc server show "$1" >/dev/null 2>&1 || osc --os-compute-api-version 2.37 server create --flavor m1.tiny --image tiny --nic none --wait "$1" >/dev/null; }
# the volume created and attached at the start of every scenario: volume create, attach, both polled
attach_new_volume() { # server volume
  run --debug volume create --size 1 "$2"
  wait_vol "$2" available
  run --debug server add volume "$1" "$2"
  wait_vol "$2" in-use; }
# the end of the scenarios that bring a shelved server back: unshelve, then detach its volume
unshelve_then_detach() { # server volume
  run --debug server unshelve "$1"
  wait_srv "$1" ACTIVE
  wait_vol "$2" in-use
  run --debug server remove volume "$1" "$2"
  wait_vol "$2" available; }
