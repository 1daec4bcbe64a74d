#!/bin/bash
# USB/IP smoke test in the Linux guest of /work/shared/vm (see its README).
#
# On the host:   bash transport-usb/src/test/vm/usbip-smoke.sh
#   compiles transport-usb (main + test classes, offline), writes the classpath to a shared
#   writable directory and boots the guest with this same script (GUEST_OVERLAY=1, because
#   `usbip attach` records its connection under /var/run/vhci_hcd).
# In the guest (detected through guest_cmd= on /proc/cmdline):
#   modprobe vhci-hcd; start UsbIpSmokeMain (UsbIpBackend + a stub CTAPHID device that answers
#   INIT and getInfo) on 127.0.0.1:3240; usbip list -r; usbip attach -b 1-1; wait for /dev/hidraw*;
#   fido2-token -L and -I; a raw CTAPHID INIT through /dev/hidraw (nonce echo); usbip detach.
# Host needs: the vm README's packages plus Debian's `usbip`. Exit code 0 when everything worked.
# Seen on a loaded 2-core build machine (TCG, guest uptime in s): boot 27, JVM + netty bind ready
# 86 (45 s after start), `usbip list` 25 s, attach 6 s, /dev/hidraw0 16 s later, fido2-token -L 5 s,
# -I 4 s, raw INIT 3 s, detach 1 s; 161 s in all.
set -uo pipefail

if ! grep -q "guest_cmd=" /proc/cmdline; then
  # ---------------------------------------------------------------- host side
  set -e
  HERE=$(cd "$(dirname "$0")" && pwd)
  ROOT=$(cd "$HERE/../../../.." && pwd)
  VM=${VM_DIR:-}
  for d in "$ROOT/../shared/vm" /work/shared/vm; do [ -z "$VM" ] && [ -f "$d/run-guest.sh" ] && VM=$d; done
  OUT=${USBIP_SMOKE_OUT:-$(mktemp -d /tmp/usbip-smoke.XXXXXX)}
  command -v usbip >/dev/null || { echo "install Debian's usbip package first" >&2; exit 2; }
  cd "$ROOT"
  # one reactor run: transport-usb's test classpath needs authenticator-core's test-jar, which only
  # the reactor provides before anything is installed (the last module written is transport-usb)
  ./mvnw -B -q ${MVN_OFFLINE--o} test-compile dependency:build-classpath -pl transport-usb -am -Dmdep.outputFile="$OUT/deps.txt"
  # the worktree's own classes, not whatever an earlier `install` left in ~/.m2
  DEPS=$(tr ':' '\n' < "$OUT/deps.txt" | grep -v -e authenticator-core -e testvectors | paste -sd:)
  echo "$ROOT/transport-usb/target/classes:$ROOT/transport-usb/target/test-classes:$ROOT/authenticator-core/target/classes:$DEPS" > "$OUT/classpath.txt"
  # USBIP_SERVER_CMD: run this (e.g. softkey serve --transport usbip) instead of the stub main.
  if [ -n "${USBIP_SERVER_CMD:-}" ]; then echo "$USBIP_SERVER_CMD" > "$OUT/server-cmd"; else rm -f "$OUT/server-cmd"; fi
  echo "usbip-smoke: logs in $OUT"
  START=$(date +%s.%N)
  GUEST_OVERLAY=1 GUEST_TIMEOUT=${GUEST_TIMEOUT:-600} bash "$VM/run-guest.sh" "$HERE/usbip-smoke.sh" "$OUT"
  rc=$?
  echo "usbip-smoke: guest exit $rc after $(echo "$(date +%s.%N) - $START" | bc) s"
  exit $rc
fi

# ------------------------------------------------------------------- guest side
OUT=$(sed -n 's/.*guest_rw=\([^ ]*\).*/\1/p' /proc/cmdline)
[ -n "$OUT" ] || { echo "no writable directory (guest_rw)"; exit 3; }
t() { cut -d' ' -f1 /proc/uptime; }
step() { echo "T $(t) $*"; }
fail() { echo "FAIL: $*"; echo "--- server log"; cat "$OUT/server.log" 2>/dev/null; echo "--- dmesg (usb/vhci/hid)"; dmesg | grep -iE "usb|vhci|hid" | tail -40; exit 1; }

step "guest up; kernel $(uname -r)"
dmesg -w > "$OUT/dmesg.log" 2>&1 &
ip link set lo up 2>/dev/null || true
step "modprobe vhci-hcd"
modprobe vhci-hcd || fail "modprobe vhci-hcd (kernel module missing?)"
# no udev in the guest: load the USB HID driver ourselves (udev would modprobe it by modalias)
modprobe usbhid || fail "modprobe usbhid"
modprobe hid-generic 2>/dev/null || true
lsmod | grep -E "vhci|usbip" || true
ls /sys/devices/platform/ | grep vhci || fail "no vhci_hcd platform device"

REAL=0
if [ -f "$OUT/server-cmd" ]; then
  REAL=1
  step "starting: $(cat "$OUT/server-cmd")"
  bash "$OUT/server-cmd" > "$OUT/server.log" 2>&1 &
else
  step "starting UsbIpSmokeMain"
  java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dio.netty.machineId=02:00:00:00:00:01 -cp "$(cat "$OUT/classpath.txt")" \
    dev.softkey.usb.backend.usbip.UsbIpSmokeMain 3240 1-1 > "$OUT/server.log" 2>&1 &
fi
SERVER=$!
for i in $(seq 1800); do grep -qE "READY|softkey ready" "$OUT/server.log" 2>/dev/null && break; kill -0 $SERVER 2>/dev/null || break; sleep 0.1; done
grep -E "READY|softkey ready" "$OUT/server.log" || fail "server did not start"
step "server ready"

usbip list -r 127.0.0.1 || fail "usbip list -r 127.0.0.1"
step "listed"
usbip attach -r 127.0.0.1 -b 1-1; arc=$?
step "attach exit $arc"
usbip port || true
END=$(( $(t | cut -d. -f1) + ${HIDRAW_WAIT:-120} ))
while [ "$(t | cut -d. -f1)" -lt $END ]; do ls /dev/hidraw* >/dev/null 2>&1 && break; sleep 1; done
ls -la /dev/hidraw* 2>/dev/null || fail "no /dev/hidraw* after attach (attach exit $arc)"
step "hidraw present"
for f in /sys/class/hidraw/hidraw*/device/uevent; do cat "$f"; done
lsusb 2>/dev/null | grep -i 1209 || true

rc=0
fido2-token -L | tee "$OUT/fido2-token-L.txt"
grep -q "hidraw" "$OUT/fido2-token-L.txt" || { echo "fido2-token -L did not list the device"; rc=1; }
step "fido2-token -L done"
HIDRAW=$(ls /dev/hidraw* | head -1)
timeout 60 fido2-token -I "$HIDRAW" | tee "$OUT/fido2-token-I.txt" || { echo "fido2-token -I failed"; rc=1; }
if [ "$REAL" = 1 ]; then grep -q "FIDO_2_1" "$OUT/fido2-token-I.txt" || { echo "fido2-token -I did not show softkey's FIDO_2_1 getInfo"; rc=1; }; fi
step "fido2-token -I done"

# A raw CTAPHID INIT on the broadcast channel: the answer must echo the nonce (CTAP 2.1 11.2.9.1.3)
timeout 30 python3 - "$HIDRAW" <<'PY' || rc=1
import os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
nonce = bytes.fromhex("a784ce5ae2123763")
pkt = b"\xff\xff\xff\xff\x86\x00\x08" + nonce
os.write(fd, b"\x00" + pkt + bytes(64 - len(pkt)))
r = os.read(fd, 64)
print("INIT response", r[:24].hex())
assert r[:5] == b"\xff\xff\xff\xff\x86" and r[7:15] == nonce, "nonce not echoed"
print("nonce echoed")
PY
step "raw INIT done"

usbip detach -p 0 || { echo "usbip detach failed"; rc=1; }
for i in $(seq 100); do grep -q "power cycle" "$OUT/server.log" && break; sleep 0.1; done
step "detached"
if [ "$REAL" = 0 ]; then grep -q "power cycle" "$OUT/server.log" || { echo "server did not see the detach"; rc=1; }; fi
kill $SERVER 2>/dev/null
echo "--- server log"; cat "$OUT/server.log"
echo "--- dmesg (usb/vhci/hid)"; dmesg | grep -iE "usb|vhci|hid" | tail -30
exit $rc
