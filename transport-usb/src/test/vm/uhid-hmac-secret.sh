#!/bin/bash
# hmac-secret (CTAP 2.1 section 12.5) with libfido2's tools against `softkey serve --transport uhid`
# (generic profile), inside a Linux guest that has uhid: the issue's "fido_assert_verify fails on an
# hmac-secret request" case, and the outputs themselves.
#
# Checked (fido2-cred / fido2-assert / fido2-token of libfido2 1.12):
#   -I              fido2-token lists hmac-secret among the extension strings
#   make            fido2-cred -M -h, then fido2-cred -V -h (the credential's authData carries
#                   {"hmac-secret": true} with the ED flag)
#   no PIN          fido2-assert -G -h with a salt file, then fido2-assert -V -h (fido_assert_verify
#                   with FIDO_EXT_HMAC_SECRET); the hmac secret is the same on a second run and
#                   another for another salt; a 64-byte salt gives both 32-byte outputs
#   ED checked      an assertion made without -h fails fido2-assert -V -h and passes -V; a
#                   credential made without -h gives no hmac secret
#   PIN (-v)        after fido2-token -S: fido2-assert -G -h -v and -V -h -v; stable, and another
#                   output than without UV (CredRandomWithUV); without -v still the no-UV output
#   discoverable    fido2-cred -M -h -r -v and fido2-assert -G -h -r -v
# Each check prints `CHECK PASS|FAIL <name>`; the script exits 1 if a check fails.
#
# From the repository root, on the host:
#   bash transport-usb/src/test/vm/uhid-hmac-secret.sh JAVA_COMMAND...
#       JAVA_COMMAND runs the softkey CLI, e.g. java -jar "$PWD/cli/target/softkey.jar" (absolute
#       paths: the guest sees the host's files at the same paths, read-only); the script adds
#       `serve --transport uhid --store memory`.
# Env: OUT_DIR (default /tmp/softkey-hmac-secret-out), SOFTKEY_VM_DIR, GUEST_TIMEOUT (default 900).
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MOD=$(cd "$HERE/../../.." && pwd) # transport-usb
ROOT=$(cd "$MOD/.." && pwd)

if ! grep -q 'guest_cmd=' /proc/cmdline; then
  # ---- host half ----
  set -e
  [ $# -ge 1 ] || { sed -n '2,27p' "${BASH_SOURCE[0]}"; exit 2; }
  OUT=${OUT_DIR:-/tmp/softkey-hmac-secret-out}
  mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd)
  VM=${SOFTKEY_VM_DIR:-}
  for d in "$ROOT/../shared/vm" /work/shared/vm; do [ -z "$VM" ] && [ -f "$d/run-guest.sh" ] && VM=$d; done
  [ -n "$VM" ] || { echo "no VM folder: set SOFTKEY_VM_DIR" >&2; exit 2; }
  printf '%q ' "$@" serve --transport uhid --store memory >"$OUT/softkey-cmd"
  echo >>"$OUT/softkey-cmd"
  rm -rf "$OUT/work" && mkdir -p "$OUT/work"
  GUEST_TIMEOUT=${GUEST_TIMEOUT:-900} exec bash "$VM/run-guest.sh" "$HERE/$(basename "${BASH_SOURCE[0]}")" "$OUT"
fi

# ---- guest half ----
OUT=$(sed -n 's/.*guest_rw=\([^ ]*\).*/\1/p' /proc/cmdline)
[ -n "$OUT" ] || { echo "no writable dir: pass one to run-guest.sh"; exit 2; }
W=$OUT/work
mkdir -p "$W"
up() { cut -d' ' -f1 /proc/uptime; }
step() { echo; echo "== $* (t=$(up))"; }
die() { echo "HMAC_SECRET FAIL: $*"; echo "--- softkey log"; tail -50 "$OUT/softkey.log"; exit 1; }
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
b64() { base64 -w0; echo; }
# salt BYTE LEN: LEN bytes of BYTE (hex), base64.
salt() { head -c "$2" /dev/zero | tr '\0' "\\$(printf '%03o' "0x$1")" | b64; }
# run_logged NAME STDIN COMMAND...: COMMAND with STDIN, stdout in $W/NAME, stderr in $W/NAME.err.
run_logged() {
  local name=$1 input=$2
  shift 2
  printf '%b' "$input" | setsid -w "$@" >"$W/$name" 2>"$W/$name.err"
  local rc=$?
  echo "\$ $* -> exit $rc"
  sed 's/^/  err: /' "$W/$name.err"
  [ -s "$W/$name.err" ] && [ -n "$(tail -c1 "$W/$name.err")" ] && echo # a prompt without its newline
  return $rc
}

modprobe uhid && modprobe hid-generic || die "modprobe uhid/hid-generic"
step "start softkey: $(cat "$OUT/softkey-cmd")"
bash -c "exec $(cat "$OUT/softkey-cmd")" >"$OUT/softkey.log" 2>&1 &
SK=$!
G=
for _ in $(seq 900); do
  G=$(sed -n 's/^softkey ready: generic[#0-9]* on uhid \(\/dev\/hidraw[0-9]*\).*/\1/p' "$OUT/softkey.log" | head -1)
  [ -n "$G" ] && fido2-token -L 2>/dev/null | grep -q hidraw && break
  kill -0 $SK 2>/dev/null || die "softkey exited"
  sleep 0.2
done
[ -n "$G" ] || die "the device was not ready within 180 s"
fido2-token -L

PIN=4711-hmac
RP=hmac.softkey.example
RK_RP=rk.hmac.softkey.example
SALT1=$(salt a1 32)
SALT2=$(salt b2 32)
SALT12=$( { echo "$SALT1" | base64 -d; echo "$SALT2" | base64 -d; } | b64)

c_info() {
  run_logged info "" fido2-token -I "$G" || return 1
  grep -E '^extension strings: ' "$W/info"
  grep -Eq '^extension strings: (.*, )?hmac-secret(,|$)' "$W/info"
}
check "fido2-token -I lists hmac-secret" c_info

# make NAME FLAGS...: fido2-cred -M FLAGS for $RP, verified with fido2-cred -V (with -h when FLAGS
# has it); the credential id in $W/id.NAME and its public key in $W/pem.NAME.
make() {
  local name=$1
  shift
  local verify=()
  [[ " $* " == *" -h "* ]] && verify+=(-h)
  { head -c 32 /dev/urandom | b64; echo "$RP"; echo "$name"; printf '%s' "$name-user-id" | b64; } >"$W/param.$name"
  run_logged "cred.$name" "" fido2-cred -M "$@" -i "$W/param.$name" "$G" es256 || return 1
  fido2-cred -V "${verify[@]}" -i "$W/cred.$name" -o "$W/pub.$name" es256 || { echo "  fido2-cred -V ${verify[*]} failed"; return 1; }
  head -1 "$W/pub.$name" >"$W/id.$name"
  tail -n +2 "$W/pub.$name" >"$W/pem.$name"
  echo "  credential $(cat "$W/id.$name")"
}
check "fido2-cred -M -h, fido2-cred -V -h" make hmac -h
check "fido2-cred -M without -h" make plain

# assertion OUT CRED SALT FLAGS...: fido2-assert -G FLAGS (with the PIN on stdin when FLAGS has
# -v) for CRED with SALT; its output in $W/OUT.
assertion() {
  local out=$1 cred=$2 s=$3
  shift 3
  local input=""
  [[ " $* " == *" -v "* ]] && input="$PIN\n"
  { head -c 32 /dev/urandom | b64; echo "$RP"; cat "$W/id.$cred"; [ -n "$s" ] && echo "$s"; } >"$W/in.$out"
  run_logged "$out" "$input" fido2-assert -G "$@" -i "$W/in.$out" "$G"
}
# verified OUT CRED FLAGS...: fido2-assert -V FLAGS on the first four lines of $W/OUT.
verified() {
  local out=$1 cred=$2
  shift 2
  head -4 "$W/$out" | fido2-assert -V "$@" "$W/pem.$cred" es256 2>"$W/$out.verify.err"
  local rc=$?
  echo "\$ fido2-assert -V $* -> exit $rc"
  sed 's/^/  err: /' "$W/$out.verify.err"
  return $rc
}
# secret OUT: the hmac secret line of a non-resident assertion (line 5).
secret() { sed -n 5p "$W/$1"; }
len() { echo "$1" | base64 -d | wc -c; }

c_get() {
  assertion s1 hmac "$SALT1" -h -p || return 1
  verified s1 hmac -h -p || return 1
  [ "$(len "$(secret s1)")" -eq 32 ] || { echo "  hmac secret is not 32 bytes: $(secret s1)"; return 1; }
  echo "  hmac secret $(secret s1)"
}
check "fido2-assert -G -h with a salt, fido2-assert -V -h verifies it" c_get
c_stable() {
  assertion s1b hmac "$SALT1" -h && verified s1b hmac -h || return 1
  [ "$(secret s1b)" = "$(secret s1)" ] || { echo "  $(secret s1b) != $(secret s1)"; return 1; }
}
check "the same salt gives the same hmac secret on a second run" c_stable
c_other() {
  assertion s2 hmac "$SALT2" -h && verified s2 hmac -h || return 1
  [ "$(len "$(secret s2)")" -eq 32 ] && [ "$(secret s2)" != "$(secret s1)" ] || { echo "  same secret for another salt"; return 1; }
}
check "another salt gives another hmac secret" c_other
c_two() {
  assertion s12 hmac "$SALT12" -h && verified s12 hmac -h || return 1
  local both first last
  both=$(secret s12)
  [ "$(len "$both")" -eq 64 ] || { echo "  not 64 bytes: $both"; return 1; }
  first=$(echo "$both" | base64 -d | head -c 32 | b64)
  last=$(echo "$both" | base64 -d | tail -c 32 | b64)
  [ "$first" = "$(secret s1)" ] && [ "$last" = "$(secret s2)" ] || { echo "  halves differ from the single-salt secrets"; return 1; }
}
check "a 64-byte salt gives both outputs" c_two
c_ed_checked() {
  assertion nohmac hmac "" || return 1
  verified nohmac hmac || return 1
  ! verified nohmac hmac -h || { echo "  -V -h accepted an assertion without extensions"; return 1; }
}
check "without -h: -V passes and -V -h fails (the ED bit is what -V -h checks)" c_ed_checked
c_plain() {
  # libfido2 1.12 has nothing to print for the missing output: "output error", exit 1.
  if assertion plain-h plain "$SALT1" -h; then
    [ -z "$(secret plain-h)" ] || { echo "  a credential made without hmac-secret gave $(secret plain-h)"; return 1; }
  else
    grep -q 'output error' "$W/plain-h.err" || return 1
  fi
  assertion plain-v plain "" && verified plain-v plain
}
check "a credential made without -h gives no hmac secret" c_plain

c_set_pin() {
  run_logged setpin "$PIN\n$PIN\n" fido2-token -S "$G" || return 1
  run_logged info "" fido2-token -I "$G" && grep -Eq '^options: .*[ ,]clientPin' "$W/info"
}
check "fido2-token -S sets a PIN" c_set_pin
c_uv() {
  assertion u1 hmac "$SALT1" -h -v && verified u1 hmac -h -v || return 1
  assertion u1b hmac "$SALT1" -h -v && verified u1b hmac -h -v || return 1
  [ "$(len "$(secret u1)")" -eq 32 ] || return 1
  [ "$(secret u1)" = "$(secret u1b)" ] || { echo "  UV secret not stable"; return 1; }
  [ "$(secret u1)" != "$(secret s1)" ] || { echo "  same secret with and without UV"; return 1; }
}
check "with the PIN (-v): -V -h -v verifies, stable, another secret than without UV" c_uv
c_no_uv_after_pin() {
  assertion s1c hmac "$SALT1" -h && verified s1c hmac -h || return 1
  [ "$(secret s1c)" = "$(secret s1)" ] || { echo "  $(secret s1c) != $(secret s1)"; return 1; }
}
check "without -v after the PIN is set: the no-UV secret still" c_no_uv_after_pin
c_rk() {
  { head -c 32 /dev/urandom | b64; echo "$RK_RP"; echo rk; printf 'rk-user-id' | b64; } >"$W/param.rk"
  run_logged cred.rk "$PIN\n" fido2-cred -M -h -r -v -i "$W/param.rk" "$G" es256 || return 1
  fido2-cred -V -h -v -i "$W/cred.rk" -o "$W/pub.rk" es256 || return 1
  tail -n +2 "$W/pub.rk" >"$W/pem.rk"
  local i
  for i in 1 2; do
    { head -c 32 /dev/urandom | b64; echo "$RK_RP"; echo "$SALT1"; } >"$W/in.rk$i"
    run_logged "rk$i" "$PIN\n" fido2-assert -G -h -r -v -i "$W/in.rk$i" "$G" || return 1
    head -4 "$W/rk$i" | fido2-assert -V -h -v "$W/pem.rk" es256 || return 1
  done
  # Resident: line 5 is the user id, line 6 the hmac secret.
  [ "$(len "$(sed -n 6p "$W/rk1")")" -eq 32 ] && [ "$(sed -n 6p "$W/rk1")" = "$(sed -n 6p "$W/rk2")" ] ||
    { echo "  resident hmac secrets: $(sed -n 6p "$W/rk1") $(sed -n 6p "$W/rk2")"; return 1; }
}
check "discoverable: fido2-cred -M -h -r -v, fido2-assert -G -h -r -v twice, same secret" c_rk

kill -TERM $SK
for _ in $(seq 100); do kill -0 $SK 2>/dev/null || break; sleep 0.2; done
echo "--- softkey log (tail)"; tail -5 "$OUT/softkey.log"
echo "T_TOTAL $(up)s of guest uptime"
echo "HMAC_SECRET $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ] || exit 1
echo "HMAC_SECRET OK"
