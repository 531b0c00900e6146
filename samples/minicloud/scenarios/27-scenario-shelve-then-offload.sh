#!/bin/bash
# Scenario 27 (nova.conf [DEFAULT] shelved_offload_time = -1: a shelve is not offloaded): attach,
# shelve (SHELVED: no volume call), `server shelve --offload` (the shelveOffload request swaps the
# attachment for a connector-less one), unshelve, detach.
. "$(dirname "$0")/server-scenario-lib.sh"
NAME=${1:-27-shelve-then-offload}; N=${2:-27}
ensure_server srv-$N
sc_begin $NAME
attach_new_volume srv-$N vol-$N
run --debug server shelve srv-$N
wait_srv srv-$N SHELVED
run --debug server shelve --offload srv-$N
wait_srv srv-$N SHELVED_OFFLOADED
unshelve_then_detach srv-$N vol-$N
sc_end
