#!/bin/bash
# Scenario 23: attach with delete_on_termination (compute 2.79), then `server delete --wait`:
# nova-compute deletes the attachment, then the volume itself; the volume is gone afterwards.
. "$(dirname "$0")/server-scenario-lib.sh"
NAME=${1:-23-server-delete-on-termination}; N=${2:-23}
ensure_server srv-$N
sc_begin $NAME
run --debug volume create --size 1 vol-$N
wait_vol vol-$N available
run --debug --os-compute-api-version 2.79 server add volume --enable-delete-on-termination srv-$N vol-$N
wait_vol vol-$N in-use
run --debug server delete --wait srv-$N
sleep 3
run --debug volume list --name vol-$N
sc_end
