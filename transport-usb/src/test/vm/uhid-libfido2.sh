#!/bin/bash
# Full libfido2 flow against softkey on /dev/uhid, inside a Linux guest that has uhid:
#   fido2-token -L / -I, fido2-token -S (set PIN), fido2-cred -M | -V (es256 and eddsa,
#   non-resident), fido2-assert -G | -V, then a resident credential with PIN/UV
#   (fido2-cred -M -r -v, fido2-assert -G -r -v), each result verified. Exits 0 on success.
#
# From the repository root, on the host:
#   bash transport-usb/src/test/vm/uhid-libfido2.sh COMMAND...
#       COMMAND starts softkey serving on uhid, run in the guest with bash, e.g.
#         java -cp "$(cat cli/target/cp.txt):$PWD/cli/target/classes" dev.softkey.cli.Main \
#           serve --transport uhid --store memory
#       (the device must approve user presence on its own, and start with no PIN).
#       Paths must be absolute: the guest sees the host's files at the same paths, read-only.
#   bash transport-usb/src/test/vm/uhid-libfido2.sh test-main
#       builds transport-usb's test classes and uses dev.softkey.usb.backend.UhidEngineMain
#       (Authenticator + CtapHidDevice + UhidBackend, memory store, presence approved).
# Env: OUT_DIR (default /tmp/softkey-libfido2-out: logs and the fido2 files), SOFTKEY_VM_DIR
#   (default ../shared/vm or /work/shared/vm), GUEST_TIMEOUT (set to 900 here unless given).
# By hand: write the command to OUT_DIR/softkey-cmd, then
#   bash ../shared/vm/run-guest.sh "$PWD/transport-usb/src/test/vm/uhid-libfido2.sh" OUT_DIR
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MOD=$(cd "$HERE/../../.." && pwd) # transport-usb
ROOT=$(cd "$MOD/.." && pwd)
JOPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto"

if ! grep -q 'guest_cmd=' /proc/cmdline; then
  # ---- host half ----
  set -e
  [ $# -ge 1 ] || { sed -n '2,22p' "${BASH_SOURCE[0]}"; exit 2; }
  OUT=${OUT_DIR:-/tmp/softkey-libfido2-out}
  mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd)
  VM=${SOFTKEY_VM_DIR:-}
  for d in "$ROOT/../shared/vm" /work/shared/vm; do [ -z "$VM" ] && [ -f "$d/run-guest.sh" ] && VM=$d; done
  [ -n "$VM" ] || { echo "no VM folder: set SOFTKEY_VM_DIR" >&2; exit 2; }
  if [ "$1" = test-main ]; then
    (cd "$ROOT" && ./mvnw -B -q ${MVN_OFFLINE--o} test-compile dependency:build-classpath -pl transport-usb -am \
      -Dmdep.outputFile=target/test-classpath.txt)
    printf 'java %s -cp %q dev.softkey.usb.backend.UhidEngineMain\n' "$JOPTS" \
      "$MOD/target/test-classes:$MOD/target/classes:$(cat "$MOD/target/test-classpath.txt")" >"$OUT/softkey-cmd"
  else
    printf '%q ' "$@" >"$OUT/softkey-cmd"
    echo >>"$OUT/softkey-cmd"
  fi
  rm -rf "$OUT/work" && mkdir -p "$OUT/work"
  GUEST_TIMEOUT=${GUEST_TIMEOUT:-900} exec bash "$VM/run-guest.sh" "$HERE/$(basename "${BASH_SOURCE[0]}")" "$OUT"
fi

# ---- guest half ----
OUT=$(sed -n 's/.*guest_rw=\([^ ]*\).*/\1/p' /proc/cmdline)
[ -n "$OUT" ] || { echo "no writable dir: pass one to run-guest.sh"; exit 2; }
W=$OUT/work
mkdir -p "$W"
up() { cut -d' ' -f1 /proc/uptime; }
since() { echo "$(up) - $1" | bc; }
step() { echo; echo "== $* (t=$(up))"; }
fail() { echo "LIBFIDO2 FAIL: $*"; echo "--- softkey log"; tail -50 "$OUT/softkey.log"; exit 1; }
PIN=4711-softkey-test # a throw-away PIN for a memory-store device

modprobe uhid && modprobe hid-generic || fail "modprobe uhid/hid-generic"
step "start softkey: $(cat "$OUT/softkey-cmd")"
T_LAUNCH=$(up)
bash -c "exec $(cat "$OUT/softkey-cmd")" >"$OUT/softkey.log" 2>&1 &
SK=$!
DEV=
for _ in $(seq 900); do
  DEV=$(fido2-token -L 2>/dev/null | sed -n 's/^\(\/dev\/hidraw[0-9]*\): .*/\1/p' | head -1)
  [ -n "$DEV" ] && break
  kill -0 $SK 2>/dev/null || fail "softkey exited"
  sleep 0.2
done
[ -n "$DEV" ] || fail "no FIDO device listed within 180 s"
echo "T_DEVICE_LISTED $(since "$T_LAUNCH")s after launch: $DEV"
fido2-token -L

step "fido2-token -I (no PIN yet)"
T=$(up)
INFO=$(fido2-token -I "$DEV") || fail "fido2-token -I"
echo "$INFO"; echo "T_GETINFO $(since "$T")s"
echo "$INFO" | grep -q '^version strings: .*FIDO_2_' || fail "no FIDO_2_x version"
echo "$INFO" | grep -qw 'noclientPin' || fail "expected no PIN set (noclientPin)"

step "fido2-token -S (set PIN)"
T=$(up)
printf '%s\n%s\n' "$PIN" "$PIN" | setsid -w fido2-token -S "$DEV" || fail "fido2-token -S"
echo; echo "T_SET_PIN $(since "$T")s"
fido2-token -I "$DEV" | tee "$W/info-after-pin" >/dev/null
grep -E '^options:' "$W/info-after-pin"
grep -E '^options: (.*, )?clientPin(,|$)' "$W/info-after-pin" >/dev/null || fail "clientPin not true after -S"

b64() { base64 -w0; echo; }
make_and_assert() { # $1 = type (es256 | eddsa)
  local type=$1 rp=softkey.example
  step "fido2-cred -M / -V $type (non-resident)"
  { head -c 32 /dev/urandom | b64; echo "$rp"; echo "alice"; head -c 32 /dev/urandom | b64; } >"$W/cred_param.$type"
  T=$(up)
  echo "$PIN" | setsid -w fido2-cred -M -i "$W/cred_param.$type" "$DEV" "$type" >"$W/cred.$type" ||
    fail "fido2-cred -M $type"
  echo; echo "T_MAKE_CREDENTIAL_$type $(since "$T")s"
  echo "fmt: $(sed -n 3p "$W/cred.$type")"
  fido2-cred -V -i "$W/cred.$type" -o "$W/pub.$type" "$type" || fail "fido2-cred -V $type"
  head -1 "$W/pub.$type" >"$W/credid.$type"
  tail -n +2 "$W/pub.$type" >"$W/pubkey.$type.pem"

  step "fido2-assert -G / -V $type"
  { head -c 32 /dev/urandom | b64; echo "$rp"; cat "$W/credid.$type"; } >"$W/assert_param.$type"
  T=$(up)
  echo "$PIN" | setsid -w fido2-assert -G -p -i "$W/assert_param.$type" "$DEV" >"$W/assert.$type" ||
    fail "fido2-assert -G $type"
  echo; echo "T_GET_ASSERTION_$type $(since "$T")s"
  fido2-assert -V -p -i "$W/assert.$type" "$W/pubkey.$type.pem" "$type" || fail "fido2-assert -V $type"
  echo "verified $type assertion"
}
make_and_assert es256
make_and_assert eddsa

step "fido2-cred -M -r -v / -V -v es256 (resident, PIN/UV)"
{ head -c 32 /dev/urandom | b64; echo softkey.example; echo "bob"; head -c 32 /dev/urandom | b64; } >"$W/rk_param"
T=$(up)
echo "$PIN" | setsid -w fido2-cred -M -r -v -i "$W/rk_param" "$DEV" es256 >"$W/rk_cred" || fail "fido2-cred -M -r -v"
echo; echo "T_MAKE_CREDENTIAL_RK_UV $(since "$T")s"
fido2-cred -V -v -i "$W/rk_cred" -o "$W/rk_pub" es256 || fail "fido2-cred -V -v"
tail -n +2 "$W/rk_pub" >"$W/rk_pubkey.pem"

step "fido2-assert -G -r -v / -V -v (discoverable)"
{ head -c 32 /dev/urandom | b64; echo softkey.example; } >"$W/rk_assert_param"
T=$(up)
echo "$PIN" | setsid -w fido2-assert -G -r -v -i "$W/rk_assert_param" "$DEV" >"$W/rk_assert" || fail "fido2-assert -G -r -v"
echo; echo "T_GET_ASSERTION_RK_UV $(since "$T")s"
[ "$(sed -n 5p "$W/rk_assert")" = "$(sed -n 4p "$W/rk_param")" ] || fail "user id of the discoverable assertion differs"
head -4 "$W/rk_assert" | fido2-assert -V -v "$W/rk_pubkey.pem" es256 || fail "fido2-assert -V -v"
echo "verified discoverable assertion with UV"

kill -TERM $SK
for _ in $(seq 100); do kill -0 $SK 2>/dev/null || break; sleep 0.2; done
echo "--- softkey log (tail)"; tail -5 "$OUT/softkey.log"
echo "LIBFIDO2 OK"
