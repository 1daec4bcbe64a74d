#!/bin/bash
# uhid smoke test: UhidBackend with a stub CTAPHID handler (INIT + getInfo only, test code
# dev.softkey.usb.backend.UhidSmokeMain) inside a Linux guest that has /dev/uhid; libfido2's
# fido2-token must list the device and print its getInfo. Exits 0 on success.
#
# Two ways to run it (from the repository root):
#   bash transport-usb/src/test/vm/uhid-smoke.sh [OUT_DIR]
#       on the host: compiles the test classes, writes the classpath file, boots the guest on this
#       script (VM folder: $SOFTKEY_VM_DIR, else ../shared/vm, else /work/shared/vm).
#   ./mvnw -B -q -o test-compile dependency:build-classpath -pl transport-usb -am \
#       -Dmdep.outputFile=target/test-classpath.txt
#   bash ../shared/vm/run-guest.sh "$PWD/transport-usb/src/test/vm/uhid-smoke.sh" /tmp/uhid-out
#       the same by hand; the guest reads transport-usb/target/test-classpath.txt.
# Results: OUT_DIR/uhid-smoke.log (Java side) and T_* lines (guest uptime) on the console.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MOD=$(cd "$HERE/../../.." && pwd) # transport-usb
ROOT=$(cd "$MOD/.." && pwd)

if ! grep -q 'guest_cmd=' /proc/cmdline; then
  # ---- host half ----
  set -e
  OUT=$(mkdir -p "${1:-/tmp/softkey-uhid-out}" && cd "${1:-/tmp/softkey-uhid-out}" && pwd)
  VM=${SOFTKEY_VM_DIR:-}
  for d in "$ROOT/../shared/vm" /work/shared/vm; do [ -z "$VM" ] && [ -f "$d/run-guest.sh" ] && VM=$d; done
  [ -n "$VM" ] || { echo "no VM folder: set SOFTKEY_VM_DIR" >&2; exit 2; }
  (cd "$ROOT" && ./mvnw -B -q ${MVN_OFFLINE--o} test-compile dependency:build-classpath -pl transport-usb -am \
    -Dmdep.outputFile=target/test-classpath.txt)
  exec bash "$VM/run-guest.sh" "$HERE/$(basename "${BASH_SOURCE[0]}")" "$OUT"
fi

# ---- guest half ----
OUT=$(sed -n 's/.*guest_rw=\([^ ]*\).*/\1/p' /proc/cmdline); OUT=${OUT:-/tmp}
up() { cut -d' ' -f1 /proc/uptime; }
fail() { echo "SMOKE FAIL: $*"; echo "--- java log"; cat "$OUT/uhid-smoke.log"; exit 1; }
CPFILE=$MOD/target/test-classpath.txt
[ -f "$CPFILE" ] || fail "$CPFILE missing: build it on the host first (see the header)"
CP="$MOD/target/test-classes:$MOD/target/classes:$(cat "$CPFILE")"
modprobe uhid && modprobe hid-generic || fail "modprobe uhid/hid-generic"
ls -l /dev/uhid

# JVM start-up alone, for the record: default flags vs the flags used below.
T=$(up); java -version >/dev/null 2>&1; echo "T_JAVA_VERSION_DEFAULT $(echo "$(up) - $T" | bc)"
JOPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto"
T=$(up); java $JOPTS -version >/dev/null 2>&1; echo "T_JAVA_VERSION_TUNED $(echo "$(up) - $T" | bc)"

T_LAUNCH=$(up)
echo "T_LAUNCH $T_LAUNCH"
java $JOPTS -cp "$CP" dev.softkey.usb.backend.UhidSmokeMain >"$OUT/uhid-smoke.log" 2>&1 &
JAVA=$!
for _ in $(seq 600); do
  grep -q '^READY' "$OUT/uhid-smoke.log" && break
  kill -0 $JAVA 2>/dev/null || fail "java exited"
  sleep 0.2
done
grep -q '^READY' "$OUT/uhid-smoke.log" || fail "no READY within 120 s"
T_READY=$(up)
cat "$OUT/uhid-smoke.log"
NODE=$(sed -n 's/^READY .* node=\([^ ]*\) .*/\1/p' "$OUT/uhid-smoke.log")
[ -c "$NODE" ] || fail "hidraw node '$NODE' is not a character device"
grep -H . /sys/class/hidraw/"$(basename "$NODE")"/device/uevent
echo "DEVPATH $(readlink -f /sys/class/hidraw/"$(basename "$NODE")")"

LIST=$(fido2-token -L) || fail "fido2-token -L"
echo "$LIST"
echo "$LIST" | grep -q "^$NODE: vendor=0x1209, product=0xb401" || fail "fido2-token -L does not list $NODE"
T_LISTED=$(up)
INFO=$(fido2-token -I "$NODE") || fail "fido2-token -I"
echo "$INFO"
T_INFO=$(up)
echo "$INFO" | grep -q '^version strings: FIDO_2_0' || fail "no FIDO_2_0 in getInfo"
echo "$INFO" | grep -q '^aaguid: 5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a' || fail "wrong aaguid"
echo "$INFO" | grep -q '^maxmsgsiz: 1024' || fail "wrong maxMsgSize"

T_KILL=$(up)
kill -TERM $JAVA
for _ in $(seq 300); do kill -0 $JAVA 2>/dev/null || break; sleep 0.2; done
if kill -0 $JAVA 2>/dev/null; then kill -QUIT $JAVA; sleep 15; fail "JVM still running 60 s after SIGTERM"; fi
echo "T_EXITED after SIGTERM $(echo "$(up) - $T_KILL" | bc)s"
tail -2 "$OUT/uhid-smoke.log"
sleep 0.5
[ -e "$NODE" ] && fail "$NODE still there after the JVM closed the device (UHID_DESTROY)"
echo "T_SUMMARY launch->main $(echo "$(sed -n 's/^T_MAIN //p' "$OUT/uhid-smoke.log") - $T_LAUNCH" | bc)s," \
  "launch->hidraw ready $(echo "$T_READY - $T_LAUNCH" | bc)s, fido2-token -L $(echo "$T_LISTED - $T_READY" | bc)s," \
  "-I $(echo "$T_INFO - $T_LISTED" | bc)s"
echo "SMOKE OK"
