#!/bin/bash
# Scenario 34: two volumes attached, shelve (offloaded at once), unshelve, detach both:
# each shelve-offload and unshelve swaps or connects one attachment per volume.
. "$(dirname "$0")/server-scenario-lib.sh"
NAME=${1:-34-shelve-two-volumes}; N=${2:-34}
ensure_server srv-$N
sc_begin $NAME
attach_new_volume srv-$N vol-${N}a
attach_new_volume srv-$N vol-${N}b
run --debug server shelve srv-$N
wait_srv srv-$N SHELVED_OFFLOADED
run --debug server unshelve srv-$N
wait_srv srv-$N ACTIVE
wait_vol vol-${N}a in-use
wait_vol vol-${N}b in-use
run --debug server remove volume srv-$N vol-${N}a
wait_vol vol-${N}a available
run --debug server remove volume srv-$N vol-${N}b
wait_vol vol-${N}b available
sc_end
