#!/bin/bash
# credProtect (CTAP 2.1 section 12.1) with libfido2's tools against softkey on /dev/uhid, inside a
# Linux guest that has uhid: fido2-token -I lists the extensions; with a PIN
# set, fido2-cred -M -c 3 makes a userVerificationRequired credential and fido2-cred -V -c 3 checks
# the level the key signed; fido2-assert -G without -v finds nothing (FIDO_ERR_NO_CREDENTIALS), with
# -v (the PIN) it signs and fido2-assert -V verifies; a discoverable -c 2 credential is hidden from
# fido2-assert -G -r without UV and found through its credential ID. Exits 0 on success.
#
# From the repository root, on the host:
#   bash transport-usb/src/test/vm/uhid-fido2-credprotect.sh COMMAND...
#       COMMAND starts softkey serving on uhid (generic profile, presence approved, no PIN), e.g.
#         java -jar $PWD/cli/target/softkey.jar serve --transport uhid --store memory
#       Paths must be absolute: the guest sees the host's files at the same paths, read-only.
# Env: OUT_DIR (default /tmp/softkey-credprotect-out), SOFTKEY_VM_DIR, GUEST_TIMEOUT (900 here).
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MOD=$(cd "$HERE/../../.." && pwd) # transport-usb
ROOT=$(cd "$MOD/.." && pwd)
JOPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto"

if ! grep -q 'guest_cmd=' /proc/cmdline; then
  # ---- host half ----
  set -e
  [ $# -ge 1 ] || { sed -n '2,16p' "${BASH_SOURCE[0]}"; exit 2; }
  OUT=${OUT_DIR:-/tmp/softkey-credprotect-out}
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
fail() { echo "CREDPROTECT FAIL: $*"; echo "--- softkey log"; tail -50 "$OUT/softkey.log"; exit 1; }
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


step "fido2-token -S (set PIN)"
printf '%s\n%s\n' "$PIN" "$PIN" | setsid -w fido2-token -S "$DEV" || fail "fido2-token -S"
echo

step "fido2-token -I: the extensions"
fido2-token -I "$DEV" | tee "$W/info" | grep -E '^extension strings:'
grep -E '^extension strings: .*credProtect' "$W/info" >/dev/null || fail "credProtect not listed"

b64() { base64 -w0; echo; }
RP=credprotect.example

step "fido2-cred -M -c 3 / -V -c 3 (non-resident, userVerificationRequired)"
{ head -c 32 /dev/urandom | b64; echo "$RP"; echo "carol"; head -c 32 /dev/urandom | b64; } >"$W/p3"
echo "$PIN" | setsid -w fido2-cred -M -v -c 3 -i "$W/p3" "$DEV" es256 >"$W/c3" || fail "fido2-cred -M -c 3"
echo
fido2-cred -V -v -c 3 -i "$W/c3" -o "$W/pub3" es256 || fail "fido2-cred -V -c 3: the signed level is not 3"
fido2-cred -V -v -c 1 -i "$W/c3" -o "$W/pub3-wrong" es256 2>/dev/null && fail "fido2-cred -V -c 1 accepted a level 3 credential"
head -1 "$W/pub3" >"$W/id3"
tail -n +2 "$W/pub3" >"$W/pub3.pem"

step "fido2-assert -G without UV: no credentials"
{ head -c 32 /dev/urandom | b64; echo "$RP"; cat "$W/id3"; } >"$W/a3"
if fido2-assert -G -p -i "$W/a3" "$DEV" >"$W/a3-nouv" 2>"$W/a3-nouv.err"; then
  fail "fido2-assert -G without UV signed with a credProtect 3 credential"
fi
cat "$W/a3-nouv.err"
grep -q FIDO_ERR_NO_CREDENTIALS "$W/a3-nouv.err" || fail "expected FIDO_ERR_NO_CREDENTIALS"

step "fido2-assert -G -v / -V -v: with the PIN it signs"
echo "$PIN" | setsid -w fido2-assert -G -p -v -i "$W/a3" "$DEV" >"$W/a3-uv" || fail "fido2-assert -G -v"
echo
fido2-assert -V -p -v -i "$W/a3-uv" "$W/pub3.pem" es256 || fail "fido2-assert -V -v"
echo "verified the credProtect 3 assertion with UV"

step "fido2-cred -M -r -v -c 2 (discoverable, userVerificationOptionalWithCredentialIDList)"
{ head -c 32 /dev/urandom | b64; echo "$RP"; echo "dave"; head -c 32 /dev/urandom | b64; } >"$W/p2"
echo "$PIN" | setsid -w fido2-cred -M -r -v -c 2 -i "$W/p2" "$DEV" es256 >"$W/c2" || fail "fido2-cred -M -r -c 2"
echo
fido2-cred -V -v -c 2 -i "$W/c2" -o "$W/pub2" es256 || fail "fido2-cred -V -c 2"
head -1 "$W/pub2" >"$W/id2"

step "fido2-assert -G -r without UV: hidden from discovery"
{ head -c 32 /dev/urandom | b64; echo "$RP"; } >"$W/a2"
if fido2-assert -G -r -p -i "$W/a2" "$DEV" >"$W/a2-nouv" 2>"$W/a2-nouv.err"; then
  fail "fido2-assert -G -r without UV found a credProtect 2 credential"
fi
cat "$W/a2-nouv.err"
grep -q FIDO_ERR_NO_CREDENTIALS "$W/a2-nouv.err" || fail "expected FIDO_ERR_NO_CREDENTIALS"

step "fido2-assert -G with its credential ID, without UV: found"
{ head -c 32 /dev/urandom | b64; echo "$RP"; cat "$W/id2"; } >"$W/a2-listed"
fido2-assert -G -p -i "$W/a2-listed" "$DEV" >"$W/a2-out" || fail "fido2-assert -G with the credential ID"
tail -n +2 "$W/pub2" >"$W/pub2.pem"
fido2-assert -V -p -i "$W/a2-out" "$W/pub2.pem" es256 || fail "fido2-assert -V (credProtect 2, listed)"
echo "verified the listed credProtect 2 assertion"

kill -TERM $SK
for _ in $(seq 100); do kill -0 $SK 2>/dev/null || break; sleep 0.2; done
echo "CREDPROTECT OK"
