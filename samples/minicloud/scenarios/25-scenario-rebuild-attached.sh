#!/bin/bash
# Scenario 25: attach, rebuild the (image-backed) server with its image: nova-compute creates a
# connector-less attachment, detaches the volume (deleting the old attachment), then attaches it
# again through the new one (update with the connector, complete). Then detach.
. "$(dirname "$0")/server-scenario-lib.sh"
NAME=${1:-25-rebuild-attached}; N=${2:-25}
ensure_server srv-$N
sc_begin $NAME
attach_new_volume srv-$N vol-$N
run --debug server rebuild --image tiny srv-$N
wait_srv srv-$N ACTIVE
wait_vol vol-$N in-use
run --debug server remove volume srv-$N vol-$N
wait_vol vol-$N available
sc_end
