#!/bin/bash
# Restart cinder-volume with a backend "fakeextend" whose driver can extend (a subclass of
# cinder.tests.fake_driver.FakeLoggingVolumeDriver, whose fake volume group cannot grow:
# `'FakeBrickLVM' object has no attribute 'extend_volume'`, recording 12), plus volume type
# "extendable" pinned to it. Keeps the other backends (fake, fakemulti) of cinder.conf.
set -e
. "$(dirname "$0")/00-common.sh"
mkdir -p $MC_STATE/pymod
cat > $MC_STATE/pymod/minicloud_extenddriver.py <<'EOP'
from cinder.tests import fake_driver
from cinder.volume import volume_utils


class ExtendDriver(fake_driver.FakeLoggingVolumeDriver):
    """FakeLoggingVolumeDriver whose extend succeeds (nothing to grow in fake mode)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.backend_name = 'fakeextend'

    @volume_utils.trace_method
    def extend_volume(self, volume, new_size):
        pass
EOP
C=/etc/cinder/cinder.conf
backends=$(awk -F' = ' '/^enabled_backends/{print $2}' $C)
case ",$backends," in *,fakeextend,*) ;; *) ini $C DEFAULT enabled_backends "${backends:-fake},fakeextend";; esac
ini $C fakeextend volume_driver minicloud_extenddriver.ExtendDriver
ini $C fakeextend volume_backend_name fakeextend
OLD=$(awk '$2=="cinder-volume"{p=$1} END{print p}' $MC_PIDS)
if [ -n "$OLD" ] && ps -p $OLD -o args= | grep -q cinder-volume; then kill $OLD; for i in $(seq 1 30); do ps -p $OLD >/dev/null || break; sleep 1; done; fi
mc_start cinder-volume env PYTHONPATH=$MC_STATE/pymod /usr/bin/cinder-volume --config-file $C --log-file $MC_LOG/cinder-volume.log
for i in $(seq 1 40); do osc volume service list -f value 2>/dev/null | grep -q 'fakeextend.*up' && break; sleep 3; done
osc volume type show extendable >/dev/null 2>&1 || osc volume type create --property volume_backend_name=fakeextend extendable
osc volume service list
