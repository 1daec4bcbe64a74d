#!/bin/bash
# `softkey webauthn create|get --device hidraw:/dev/hidrawN` inside a Linux guest that has uhid: one
# softkey serves on /dev/uhid (`serve --transport uhid --store memory`), a second softkey process is
# the browser: its WebAuthn client reaches the key through the hidraw node (usb.client.HidrawTransport,
# report ID 0 before each output report), registers a discoverable credential and signs in with
# it; the assertion must name the credential the registration made. The client opens no store (the
# guest's home is read-only, which would fail the command if it did). Exits 0 on success.
#
# From the repository root, on the host:
#   bash transport-usb/src/test/vm/uhid-webauthn-device.sh SOFTKEY...
#       SOFTKEY runs the softkey CLI with its global options, e.g.
#         java -jar $PWD/cli/target/softkey.jar --ca /var/tmp/ca
#       the script adds `serve --transport uhid --store memory` for the key and `webauthn ...` for
#       the client. Paths must be absolute: the guest sees the host's files at the same paths, read-only.
# Env: OUT_DIR (default /tmp/softkey-webauthn-device-out), SOFTKEY_VM_DIR, GUEST_TIMEOUT (600 here).
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MOD=$(cd "$HERE/../../.." && pwd) # transport-usb
ROOT=$(cd "$MOD/.." && pwd)

if ! grep -q 'guest_cmd=' /proc/cmdline; then
  # ---- host half ----
  set -e
  [ $# -ge 1 ] || { sed -n '2,16p' "${BASH_SOURCE[0]}"; exit 2; }
  OUT=${OUT_DIR:-/tmp/softkey-webauthn-device-out}
  mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd)
  VM=${SOFTKEY_VM_DIR:-}
  for d in "$ROOT/../shared/vm" /work/shared/vm; do [ -z "$VM" ] && [ -f "$d/run-guest.sh" ] && VM=$d; done
  [ -n "$VM" ] || { echo "no VM folder: set SOFTKEY_VM_DIR" >&2; exit 2; }
  printf '%q ' "$@" >"$OUT/softkey-cmd"
  echo >>"$OUT/softkey-cmd"
  rm -rf "$OUT/work" && mkdir -p "$OUT/work"
  GUEST_TIMEOUT=${GUEST_TIMEOUT:-600} exec bash "$VM/run-guest.sh" "$HERE/$(basename "${BASH_SOURCE[0]}")" "$OUT"
fi

# ---- guest half ----
OUT=$(sed -n 's/.*guest_rw=\([^ ]*\).*/\1/p' /proc/cmdline)
[ -n "$OUT" ] || { echo "no writable dir: pass one to run-guest.sh"; exit 2; }
W=$OUT/work
mkdir -p "$W"
up() { cut -d' ' -f1 /proc/uptime; }
step() { echo; echo "== $* (t=$(up))"; }
fail() { echo "WEBAUTHN-DEVICE FAIL: $*"; echo "--- softkey serve log"; tail -50 "$OUT/softkey.log"; exit 1; }
SOFTKEY=$(cat "$OUT/softkey-cmd")

modprobe uhid && modprobe hid-generic || fail "modprobe uhid/hid-generic"
step "start the key: $SOFTKEY serve --transport uhid --store memory"
bash -c "exec $SOFTKEY serve --transport uhid --store memory" >"$OUT/softkey.log" 2>&1 &
SK=$!
DEV=
for _ in $(seq 900); do
  DEV=$(fido2-token -L 2>/dev/null | sed -n 's/^\(\/dev\/hidraw[0-9]*\): .*/\1/p' | head -1)
  [ -n "$DEV" ] && break
  kill -0 $SK 2>/dev/null || fail "softkey serve exited"
  sleep 0.2
done
[ -n "$DEV" ] || fail "no FIDO device listed within 180 s"
fido2-token -L

cat >"$W/create.json" <<'JSON'
{"rp":{"id":"example.com","name":"Example"},"user":{"id":"AQIDBA","name":"erin","displayName":"Erin"},
 "challenge":"AAECAwQFBgcICQoLDA0ODw","pubKeyCredParams":[{"type":"public-key","alg":-7}],
 "authenticatorSelection":{"residentKey":"required","userVerification":"discouraged"}}
JSON
cat >"$W/get.json" <<'JSON'
{"rpId":"example.com","challenge":"EBESExQVFhcYGRobHB0eHw","userVerification":"discouraged"}
JSON

step "webauthn create --device hidraw:$DEV"
bash -c "exec $SOFTKEY webauthn create --device hidraw:$DEV --timeout 60000 --origin https://example.com --options $W/create.json" \
  >"$W/reg.json" 2>"$W/reg.err" || { cat "$W/reg.err"; fail "webauthn create --device"; }
cat "$W/reg.json"
REG_ID=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' <"$W/reg.json") || fail "no id in the registration"

step "webauthn get --device hidraw:$DEV"
bash -c "exec $SOFTKEY webauthn get --device hidraw:$DEV --timeout 60000 --origin https://example.com --options $W/get.json" \
  >"$W/auth.json" 2>"$W/auth.err" || { cat "$W/auth.err"; fail "webauthn get --device"; }
cat "$W/auth.json"
AUTH_ID=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' <"$W/auth.json") || fail "no id in the assertion"
[ "$REG_ID" = "$AUTH_ID" ] || fail "the assertion names $AUTH_ID, the registration made $REG_ID"
echo "the assertion names the registered credential $REG_ID"

step "a bad --device is a usage error (exit 2)"
code=0
bash -c "exec $SOFTKEY webauthn get --device hidraw:dev/hidraw0 --origin https://example.com --options $W/get.json" 2>"$W/bad.err" || code=$?
cat "$W/bad.err"
[ "$code" -eq 2 ] || fail "a relative hidraw path exited $code, not 2"

kill -TERM $SK
for _ in $(seq 100); do kill -0 $SK 2>/dev/null || break; sleep 0.2; done
echo "WEBAUTHN-DEVICE OK"
