#!/bin/bash
# Scenario 28 (shelved_offload_time = -1): attach, `server shelve --offload`, then `server delete --wait`
# of the SHELVED_OFFLOADED server: no compute host, so nova-api deletes it locally and deletes the
# volume's attachment itself.
. "$(dirname "$0")/server-scenario-lib.sh"
NAME=${1:-28-delete-shelved-offloaded}; N=${2:-28}
ensure_server srv-$N
sc_begin $NAME
attach_new_volume srv-$N vol-$N
run --debug server shelve --offload srv-$N
wait_srv srv-$N SHELVED_OFFLOADED
run --debug server delete --wait srv-$N
wait_vol vol-$N available
sc_end
