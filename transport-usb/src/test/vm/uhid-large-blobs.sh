#!/bin/bash
# Large blobs with libfido2's tools against `softkey serve --transport uhid` (the generic profile
# with maxMsgSize 1024, a file store), inside a Linux guest that has uhid, and across tools: what fido2-token wrote the
# softkey CLI reads from the same store, and the other way round, after the serving JVM was killed
# with SIGKILL (the array is on disk before the key acknowledges a write).
#
# Checked (libfido2 1.12; the letters are those of `man fido2-token` and `man fido2-cred`):
#   -I (largeBlobs option), -S (set PIN), fido2-cred -M -r -b (discoverable credentials with a
#   largeBlobKey), -S -b -n rp (set by RP ID), -G -b -n rp (get), -S -b -k key / -G -b -k key (by
#   the key fido2-cred printed), -L -b (the entries with their credentials and RPs), a blob larger
#   than maxFragmentLength (several fragments), -D -b -n rp (delete), a blob beyond
#   maxSerializedLargeBlobArray refused; then `softkey large-blobs get` reads libfido2's blob and
#   `softkey large-blobs put` writes one that fido2-token -G -b reads after a restart.
# Each check prints `CHECK PASS|FAIL <name>`; the script exits 1 if one fails.
#
# From the repository root, on the host:
#   bash transport-usb/src/test/vm/uhid-large-blobs.sh JAVA_COMMAND...
#       JAVA_COMMAND runs the softkey CLI, e.g. java -jar "$PWD/cli/target/softkey.jar" (absolute
#       paths: the guest sees the host's files at the same paths, read-only).
# Env: OUT_DIR (default /tmp/softkey-large-blobs-out), SOFTKEY_VM_DIR, GUEST_TIMEOUT (default 1200: every
#   JVM start takes a minute or two in the emulated guest, and this script starts four).
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MOD=$(cd "$HERE/../../.." && pwd) # transport-usb
ROOT=$(cd "$MOD/.." && pwd)

if ! grep -q 'guest_cmd=' /proc/cmdline; then
  # ---- host half ----
  set -e
  [ $# -ge 1 ] || { sed -n '2,20p' "${BASH_SOURCE[0]}"; exit 2; }
  OUT=${OUT_DIR:-/tmp/softkey-large-blobs-out}
  mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd)
  VM=${SOFTKEY_VM_DIR:-}
  for d in "$ROOT/../shared/vm" /work/shared/vm; do [ -z "$VM" ] && [ -f "$d/run-guest.sh" ] && VM=$d; done
  [ -n "$VM" ] || { echo "no VM folder: set SOFTKEY_VM_DIR" >&2; exit 2; }
  # The generic model with maxMsgSize 1024, CTAP's minimum (maxFragmentLength 960): a fragment is
  # 17 HID reports, which the emulated guest delivers within CTAPHID's 3 s message timeout even on a
  # loaded machine (a 2048-byte message, 35 reports, was seen to take longer there:
  # CTAPHID_ERROR ERR_MSG_TIMEOUT).
  "$@" profiles show generic | /usr/bin/python3 -c '
import json, sys
p = json.load(sys.stdin)
p["limits"]["maxMsgSize"] = 1024
json.dump(p, sys.stdout, indent=1)' >"$OUT/generic-1024.json"
  printf '%q ' "$@" >"$OUT/softkey-cli"
  printf -- '--profile %q ' "$OUT/generic-1024.json" >>"$OUT/softkey-cli"
  echo >>"$OUT/softkey-cli"
  rm -rf "$OUT/work" && mkdir -p "$OUT/work"
  GUEST_TIMEOUT=${GUEST_TIMEOUT:-1200} exec bash "$VM/run-guest.sh" "$HERE/$(basename "${BASH_SOURCE[0]}")" "$OUT"
fi

# ---- guest half ----
OUT=$(sed -n 's/.*guest_rw=\([^ ]*\).*/\1/p' /proc/cmdline)
[ -n "$OUT" ] || { echo "no writable dir: pass one to run-guest.sh"; exit 2; }
W=$OUT/work
STORE=$W/store
mkdir -p "$W"
CLI=$(cat "$OUT/softkey-cli")
up() { cut -d' ' -f1 /proc/uptime; }
step() { echo; echo "== $* (t=$(up))"; }
die() { echo "LARGE_BLOBS FAIL: $*"; echo "--- softkey log"; tail -50 "$OUT/softkey.log"; exit 1; }
FAILED=0
PASSED=0
check() {
  local name=$1
  shift
  step "$name"
  if "$@"; then
    echo "CHECK PASS $name"
    PASSED=$((PASSED + 1))
  else
    echo "CHECK FAIL $name"
    FAILED=$((FAILED + 1))
  fi
}
# tok INPUT ARGS...: fido2-token with INPUT on stdin (no tty: it reads PINs from stdin), its
# stdout in $W/out, stderr in $W/err, both echoed; returns its exit code.
tok() {
  local input=$1
  shift
  printf '%b' "$input" | setsid -w fido2-token "$@" >"$W/out" 2>"$W/err"
  local rc=$?
  echo "\$ fido2-token $* -> exit $rc"
  sed 's/^/  out: /' "$W/out"
  sed 's/^/  err: /' "$W/err"
  [ -s "$W/err" ] && [ -n "$(tail -c1 "$W/err")" ] && echo # a prompt without its newline
  return $rc
}
has() { grep -Eq -- "$1" "$W/out" || { echo "  expected a line matching: $1"; return 1; }; }
errhas() { grep -Eq -- "$1" "$W/err" || { echo "  expected stderr matching: $1"; return 1; }; }
opts() { sed -n 's/^options: \(.*\)$/ \1,/p' "$W/out" | sed 's/,/ ,/g'; }
opt() { opts | grep -q " $1 ," || { echo "  options lack $1: $(opts)"; return 1; }; }
b64() { base64 -w0; echo; }
same() { cmp -s "$1" "$2" || { echo "  $1 and $2 differ ($(wc -c <"$1") and $(wc -c <"$2") bytes)"; return 1; }; }

# serve: start `serve --transport uhid` on the store, wait for its hidraw node in $DEV.
SK= DEV=
serve() {
  step "start softkey: $CLI serve --transport uhid --store $STORE"
  local t=$(up) before
  before=$(grep -c '^softkey ready:' "$OUT/softkey.log" 2>/dev/null)
  echo "--- serve at t=$t" >>"$OUT/softkey.log"
  bash -c "exec $CLI serve --transport uhid --store $STORE" >>"$OUT/softkey.log" 2>&1 &
  SK=$!
  DEV=
  for _ in $(seq 1500); do
    [ "$(grep -c '^softkey ready:' "$OUT/softkey.log")" -gt "${before:-0}" ] &&
      DEV=$(sed -n 's/^softkey ready: generic[#0-9]* on uhid \(\/dev\/hidraw[0-9]*\).*/\1/p' "$OUT/softkey.log" | tail -1)
    [ -n "$DEV" ] && fido2-token -L 2>/dev/null | grep -q "$DEV" && break
    DEV=
    kill -0 $SK 2>/dev/null || die "softkey exited"
    sleep 0.2
  done
  [ -n "$DEV" ] || die "the device was not ready within 300 s"
  echo "T_DEVICE_LISTED $(echo "$(up) - $t" | bc)s after launch: $DEV"
}

modprobe uhid && modprobe hid-generic || die "modprobe uhid/hid-generic"
serve

PIN=4711-blobs
RP1=one.softkey.example RP2=two.softkey.example
printf '%s\n' "$PIN" >"$W/pin"

c_info() {
  tok "" -I "$DEV" || return 1
  opt largeBlobs && has '^extension strings: .*largeBlobKey' && has '^maxlargeblob: 4096$' && has '^maxmsgsiz: 1024$'
}
check "-I: option largeBlobs, extension largeBlobKey, maxlargeblob 4096, maxmsgsiz 1024" c_info
c_set_pin() {
  tok "$PIN\n$PIN\n" -S "$DEV" || return 1
  tok "" -I "$DEV" && opt clientPin
}
check "-S sets the PIN" c_set_pin
# make_rk RP USER: a discoverable es256 credential with a largeBlobKey (-b, printed last); its id
# in $W/id.USER, its key in $W/key.USER.
make_rk() {
  local rp=$1 user=$2
  { head -c 32 /dev/urandom | b64; echo "$rp"; echo "$user"; printf '%s' "$user-id-0123456789" | b64; } >"$W/param.$user"
  echo "$PIN" | setsid -w fido2-cred -M -r -b -i "$W/param.$user" "$DEV" es256 >"$W/cred.$user" 2>"$W/err" || { cat "$W/err"; return 1; }
  tail -1 "$W/cred.$user" >"$W/key.$user"
  [ "$(base64 -d <"$W/key.$user" | wc -c)" -eq 32 ] || { echo "  no 32-byte largeBlobKey on the last line"; cat "$W/cred.$user"; return 1; }
  head -n -1 "$W/cred.$user" | fido2-cred -V -o "$W/pub.$user" es256 || return 1
  head -1 "$W/pub.$user" >"$W/id.$user"
  echo "  $user@$rp: credential $(cat "$W/id.$user")"
}
c_make() { make_rk $RP1 alice && make_rk $RP2 bob && ! cmp -s "$W/key.alice" "$W/key.bob"; }
check "fido2-cred -M -r -b: two credentials with their own largeBlobKey" c_make
c_list_empty() {
  tok "$PIN\n" -L -b "$DEV" || return 1
  [ ! -s "$W/out" ] || { echo "  expected no entries"; return 1; }
}
check "-L -b: the initial array has no entries" c_list_empty
printf 'alice: an ssh certificate, say\n' >"$W/blob.alice"
c_set_rp() {
  tok "$PIN\n" -S -b -n $RP1 "$W/blob.alice" "$DEV" || return 1
  tok "$PIN\n" -G -b -n $RP1 "$W/got.alice" "$DEV" && same "$W/blob.alice" "$W/got.alice"
}
check "-S -b -n rp / -G -b -n rp: alice's blob round trip" c_set_rp
head -c 3000 /dev/urandom >"$W/blob.bob" # incompressible: four fragments of at most 960 bytes
c_set_key() {
  # libfido2's debug log of this write stays in $W/debug.set-key (FIDO_DEBUG, stderr).
  FIDO_DEBUG=1 tok "$PIN\n" -S -b -k "$W/key.bob" "$W/blob.bob" "$DEV" 2>/dev/null
  local rc=$?
  cp "$W/err" "$W/debug.set-key"
  [ $rc -eq 0 ] || { grep -a -E 'rx|tx|CTAPHID|error|fail' "$W/debug.set-key" | tail -40; return 1; }
  tok "$PIN\n" -G -b -k "$W/key.bob" "$W/got.bob" "$DEV" && same "$W/blob.bob" "$W/got.bob" &&
    tok "$PIN\n" -G -b -n $RP1 "$W/got.alice" "$DEV" && same "$W/blob.alice" "$W/got.alice"
}
check "-S -b -k key / -G -b -k key: a 3000-byte blob in four fragments, alice's kept" c_set_key
# entry ORIGSIZE ID RP: -L -b lists an entry of ORIGSIZE bytes, "NN: ciphertextLength origSize
# credentialId rpId" (libfido2 tools/largeblob.c). libfido2 1.12's fido2-token inflates only
# zlib-wrapped (RFC 1950) entries there, while its library writes raw DEFLATE (RFC 1951) as the spec
# says: it then prints "<unknown> <unknown>" for the credential, also for the entries it wrote.
entry() {
  local id
  id=$(sed 's/[+/]/\\&/g' <<<"$2")
  grep -Eq "^[0-9]{2}: +[0-9]+ +$1 ($id $3|<unknown> <unknown>)$" "$W/out" || { echo "  no entry of $1 bytes for $3"; return 1; }
}
c_list() {
  tok "$PIN\n" -L -b "$DEV" || return 1
  has '^total map size: [0-9]+ bytes' && [ "$(grep -c '^[0-9][0-9]:' "$W/out")" -eq 2 ] &&
    entry 31 "$(cat "$W/id.alice")" $RP1 && entry 3000 "$(cat "$W/id.bob")" $RP2
}
check "-L -b: both entries, with their sizes (and credential IDs and RP IDs where it can open them)" c_list
c_too_big() {
  head -c 5000 /dev/urandom >"$W/blob.big"
  ! tok "$PIN\n" -S -b -n $RP1 "$W/blob.big" "$DEV" || return 1
  tok "$PIN\n" -G -b -n $RP1 "$W/got.alice" "$DEV" && same "$W/blob.alice" "$W/got.alice"
}
check "-S -b beyond maxSerializedLargeBlobArray: refused, the array unchanged" c_too_big
c_delete() {
  tok "$PIN\n" -D -b -n $RP1 "$DEV" || return 1
  ! tok "$PIN\n" -G -b -n $RP1 "$W/got.none" "$DEV" || return 1
  tok "$PIN\n" -L -b "$DEV" && [ "$(grep -c '^[0-9][0-9]:' "$W/out")" -eq 1 ]
}
check "-D -b -n rp: alice's blob gone, bob's listed" c_delete

step "SIGKILL the serving JVM: what was acknowledged is on disk"
kill -KILL $SK
wait $SK 2>/dev/null
c_cli_reads() {
  bash -c "exec $CLI --store $STORE large-blobs get --rp $RP2 --pin-file $W/pin --out $W/cli.bob" || return 1
  same "$W/blob.bob" "$W/cli.bob"
}
check "softkey large-blobs get: bob's blob as libfido2 wrote it" c_cli_reads
printf 'written by softkey large-blobs put\n' >"$W/blob.cli"
c_cli_writes() {
  bash -c "exec $CLI --store $STORE large-blobs put --rp $RP1 --file $W/blob.cli --pin-file $W/pin"
}
check "softkey large-blobs put: alice's new blob" c_cli_writes
serve
c_libfido2_reads() {
  tok "$PIN\n" -G -b -n $RP1 "$W/got.cli" "$DEV" && same "$W/blob.cli" "$W/got.cli" &&
    tok "$PIN\n" -G -b -k "$W/key.bob" "$W/got.bob" "$DEV" && same "$W/blob.bob" "$W/got.bob"
}
check "-G -b after the restart: softkey's blob and libfido2's" c_libfido2_reads

kill -TERM $SK
for _ in $(seq 100); do kill -0 $SK 2>/dev/null || break; sleep 0.2; done
echo "--- softkey log (tail)"; tail -5 "$OUT/softkey.log"
echo "T_TOTAL $(up)s of guest uptime"
echo "LARGE_BLOBS $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ] || exit 1
echo "LARGE_BLOBS OK"
