#!/bin/bash
# Scenario 37 (needs image-backend.sh): a volume-backed server (its root volume created from
# image "tiny" on backend fakeimage) with a data volume attached, rebuilt at compute 2.93
# (nova reimages the root volume through cinder's os-reimage, 3.68, and waits for cinder's
# volume-reimaged event). Debian 12's novaclient stops at 2.92, so the rebuild is sent by
# rebuild_293.py, a keystoneauth1 program that logs like `openstack --debug`; then detach.
. "$(dirname "$0")/server-scenario-lib.sh"
NAME=${1:-37-rebuild-volume-backed}; N=${2:-37}
mkdir -p $MC_STATE/pymod && cp "$(dirname "$0")/rebuild_293.py" $MC_STATE/pymod/
sc_begin $NAME
run --debug volume create --image tiny --type bootable --size 1 root-$N
wait_vol root-$N available
run --debug --os-compute-api-version 2.37 server create --volume root-$N --flavor m1.tiny --nic none --wait srv-$N
attach_new_volume srv-$N vol-$N
echo "\$ python3 rebuild_293.py srv-$N tiny" >> "$SCDIR/commands.txt"
echo "===== $(date -u '+%F %T.%3N') \$ python3 rebuild_293.py srv-$N tiny" >> "$CLIENT"
env -u PYTHONPATH /usr/bin/python3 $MC_STATE/pymod/rebuild_293.py srv-$N tiny >> "$CLIENT" 2>&1; echo "===== rc=$?" >> "$CLIENT"
wait_srv srv-$N ACTIVE
wait_vol root-$N in-use
run --debug server remove volume srv-$N vol-$N
wait_vol vol-$N available
sc_end
