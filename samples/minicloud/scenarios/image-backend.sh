#!/bin/bash
# Restart cinder-volume with a backend "fakeimage" whose driver takes an image without writing
# it (a FakeLoggingVolumeDriver subclass: the fake volume group has no block device to copy
# into, so `volume create --image` fails on the other backends), plus volume type "bootable"
# pinned to it: volume-backed servers, and their reimage on a rebuild (compute 2.93, cinder
# 3.68). Keeps the other backends of cinder.conf (and fakeextend's module path).
set -e
. "$(dirname "$0")/00-common.sh"
mkdir -p $MC_STATE/pymod
cat > $MC_STATE/pymod/minicloud_imagedriver.py <<'EOP'
from cinder.tests import fake_driver
from cinder.volume import volume_utils


class ImageDriver(fake_driver.FakeLoggingVolumeDriver):
    """FakeLoggingVolumeDriver that accepts an image without copying it (nothing to write to)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.backend_name = 'fakeimage'

    @volume_utils.trace_method
    def copy_image_to_volume(self, context, volume, image_service, image_id, disable_sparse=False):
        pass
EOP
C=/etc/cinder/cinder.conf
backends=$(awk -F' = ' '/^enabled_backends/{print $2}' $C)
case ",$backends," in *,fakeimage,*) ;; *) ini $C DEFAULT enabled_backends "${backends:-fake},fakeimage";; esac
ini $C fakeimage volume_driver minicloud_imagedriver.ImageDriver
ini $C fakeimage volume_backend_name fakeimage
OLD=$(awk '$2=="cinder-volume"{p=$1} END{print p}' $MC_PIDS)
if [ -n "$OLD" ] && ps -p $OLD -o args= | grep -q cinder-volume; then kill $OLD; for i in $(seq 1 30); do ps -p $OLD >/dev/null || break; sleep 1; done; fi
mc_start cinder-volume env PYTHONPATH=$MC_STATE/pymod /usr/bin/cinder-volume --config-file $C --log-file $MC_LOG/cinder-volume.log
for i in $(seq 1 40); do osc volume service list -f value 2>/dev/null | grep -q 'fakeimage.*up' && break; sleep 3; done
osc volume type show bootable >/dev/null 2>&1 || osc volume type create --property volume_backend_name=fakeimage bootable
osc volume service list
