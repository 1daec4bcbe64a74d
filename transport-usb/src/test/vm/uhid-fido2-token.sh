#!/bin/bash
# libfido2's fido2-token against `softkey serve --transport uhid`: every option that applies to a
# FIDO_2_1 key, with its output checked, inside a Linux guest that has uhid. One JVM serves two
# devices (`serve --profiles generic,BIO`): the generic profile (credential management,
# authenticatorConfig, enterprise attestation) and the bio profile (built-in UV, bioEnrollment),
# the latter from a profile file that allows authenticatorReset at any time, so that -R can succeed
# (on the generic device it comes after the spec's 10 s and must fail as a real key's does).
#
# Checked (fido2-token of libfido2 1.12; the letters are those of `man fido2-token`):
#   core    -I, -S (set PIN), -C (change PIN, wrong and right), fido2-cred -M -r / fido2-assert -G -r
#           (discoverable credentials, made first), -R (refused after the reset window)
#   credman -I -c (metadata), -L -r (RPs), -L -k rp (credentials), -I -k rp -i id (one credential's
#           public key), -S -c (update user), -D -i id (delete)
#   config  -S -l len (minimum PIN length), -S -u / -D -u (always UV), -S -f (force PIN change)
#   ep      -S -a (enterprise attestation)
#   bio     -I (sensor), -S -e (enroll), -L -e, -S -e -i id -n name, -D -e -i id; -R (any-time window)
# Each check prints `CHECK PASS|FAIL|PENDING <feature> <name>`; the script exits 1 if a check
# fails whose feature is not listed in FIDO2_TOKEN_PENDING (space-separated features whose
# handlers are not built yet: their failures print PENDING and do not fail the run).
#
# From the repository root, on the host:
#   bash transport-usb/src/test/vm/uhid-fido2-token.sh JAVA_COMMAND...
#       JAVA_COMMAND runs the softkey CLI, e.g. java -jar "$PWD/cli/target/softkey.jar" (absolute
#       paths: the guest sees the host's files at the same paths, read-only); the script adds
#       `serve --transport uhid --store memory --profiles ...`.
# Env: OUT_DIR (default /tmp/softkey-fido2-token-out), SOFTKEY_VM_DIR, GUEST_TIMEOUT (default 900: a loaded 2-core machine takes 3 min to start the JVM),
#   FIDO2_TOKEN_PENDING.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MOD=$(cd "$HERE/../../.." && pwd) # transport-usb
ROOT=$(cd "$MOD/.." && pwd)

if ! grep -q 'guest_cmd=' /proc/cmdline; then
  # ---- host half ----
  set -e
  [ $# -ge 1 ] || { sed -n '2,30p' "${BASH_SOURCE[0]}"; exit 2; }
  OUT=${OUT_DIR:-/tmp/softkey-fido2-token-out}
  mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd)
  VM=${SOFTKEY_VM_DIR:-}
  for d in "$ROOT/../shared/vm" /work/shared/vm; do [ -z "$VM" ] && [ -f "$d/run-guest.sh" ] && VM=$d; done
  [ -n "$VM" ] || { echo "no VM folder: set SOFTKEY_VM_DIR" >&2; exit 2; }
  # The bio model with authenticatorReset allowed at any time (quirks.resetWindow).
  "$@" profiles show bio | /usr/bin/python3 -c '
import json, sys
p = json.load(sys.stdin)
p["quirks"]["resetWindow"] = {"default": "any-time"}
json.dump(p, sys.stdout, indent=1)' >"$OUT/bio-any-time-reset.json"
  printf '%q ' "$@" serve --transport uhid --store memory --profiles "generic,$OUT/bio-any-time-reset.json" >"$OUT/softkey-cmd"
  echo >>"$OUT/softkey-cmd"
  printf '%s\n' "${FIDO2_TOKEN_PENDING:-}" >"$OUT/pending"
  rm -rf "$OUT/work" && mkdir -p "$OUT/work"
  GUEST_TIMEOUT=${GUEST_TIMEOUT:-900} exec bash "$VM/run-guest.sh" "$HERE/$(basename "${BASH_SOURCE[0]}")" "$OUT"
fi

# ---- guest half ----
OUT=$(sed -n 's/.*guest_rw=\([^ ]*\).*/\1/p' /proc/cmdline)
[ -n "$OUT" ] || { echo "no writable dir: pass one to run-guest.sh"; exit 2; }
W=$OUT/work
mkdir -p "$W"
PENDING=" $(cat "$OUT/pending" 2>/dev/null) "
up() { cut -d' ' -f1 /proc/uptime; }
step() { echo; echo "== $* (t=$(up))"; }
die() { echo "FIDO2_TOKEN FAIL: $*"; echo "--- softkey log"; tail -50 "$OUT/softkey.log"; exit 1; }
FAILED=0
PASSED=0
PENDED=0
# check FEATURE NAME COMMAND...: runs COMMAND (a shell function that returns non-zero on a wrong
# output), prints one CHECK line.
check() {
  local feature=$1 name=$2
  shift 2
  step "$feature: $name"
  if "$@"; then
    echo "CHECK PASS $feature $name"
    PASSED=$((PASSED + 1))
  elif [[ $PENDING == *" $feature "* ]]; then
    echo "CHECK PENDING $feature $name (its handler is not built on this branch)"
    PENDED=$((PENDED + 1))
  else
    echo "CHECK FAIL $feature $name"
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
# The options line of -I as " name, name, " for whole-word matching.
opts() { sed -n 's/^options: \(.*\)$/ \1,/p' "$W/out" | sed 's/,/ ,/g'; }
opt() { opts | grep -q " $1 ," || { echo "  options lack $1: $(opts)"; return 1; }; }
b64() { base64 -w0; echo; }

modprobe uhid && modprobe hid-generic || die "modprobe uhid/hid-generic"
step "start softkey: $(cat "$OUT/softkey-cmd")"
T_LAUNCH=$(up)
bash -c "exec $(cat "$OUT/softkey-cmd")" >"$OUT/softkey.log" 2>&1 &
SK=$!
G= B=
for _ in $(seq 900); do
  G=$(sed -n 's/^softkey ready: generic[#0-9]* on uhid \(\/dev\/hidraw[0-9]*\).*/\1/p' "$OUT/softkey.log" | head -1)
  B=$(sed -n 's/^softkey ready: bio[#0-9]* on uhid \(\/dev\/hidraw[0-9]*\).*/\1/p' "$OUT/softkey.log" | head -1)
  [ -n "$G" ] && [ -n "$B" ] && [ "$(fido2-token -L 2>/dev/null | grep -c hidraw)" -ge 2 ] && break
  kill -0 $SK 2>/dev/null || die "softkey exited"
  sleep 0.2
done
[ -n "$G" ] && [ -n "$B" ] || die "two devices not ready within 180 s"
echo "T_DEVICES_LISTED $(echo "$(up) - $T_LAUNCH" | bc)s after launch: generic $G, bio $B"
fido2-token -L

PIN1=4711-first PIN2=4711-second PIN3=4711-third
RP1=one.softkey.example RP2=two.softkey.example

# ---------------------------------------------------------------- generic: core
c_info() {
  tok "" -I "$G" || return 1
  has '^version strings: .*FIDO_2_1' && has '^pin protocols: 2, 1$' && opt noclientPin && opt rk && opt pinUvAuthToken
}
check core "-I (FIDO_2_1, no PIN yet)" c_info
c_set_pin() {
  tok "$PIN1\n$PIN1\n" -S "$G" || return 1
  tok "" -I "$G" && opt clientPin && has '^pin retries: 8$'
}
check core "-S sets the PIN" c_set_pin
c_change_wrong() {
  ! tok "wrong-pin-1\n$PIN2\n$PIN2\n" -C "$G" || return 1
  errhas 'FIDO_ERR_PIN_INVALID' && tok "" -I "$G" && has '^pin retries: 7$'
}
check core "-C with a wrong current PIN: PIN_INVALID, 7 retries" c_change_wrong
c_change() {
  tok "$PIN1\n$PIN2\n$PIN2\n" -C "$G" || return 1
  tok "" -I "$G" && has '^pin retries: 8$'
}
check core "-C changes the PIN (retries back to 8)" c_change
PIN=$PIN2
# make_rk RP USER NAME: a discoverable es256 credential with PIN UV; its id and user id in files.
make_rk() {
  local rp=$1 user=$2
  { head -c 32 /dev/urandom | b64; echo "$rp"; echo "$user"; printf '%s' "$user-id-0123456789" | b64; } >"$W/param.$user"
  echo "$PIN" | setsid -w fido2-cred -M -r -v -i "$W/param.$user" "$G" es256 >"$W/cred.$user" 2>"$W/err" || { cat "$W/err"; return 1; }
  fido2-cred -V -v -i "$W/cred.$user" -o "$W/pub.$user" es256 || return 1
  head -1 "$W/pub.$user" >"$W/id.$user"
  tail -n +2 "$W/pub.$user" >"$W/pem.$user"
  sed -n 4p "$W/param.$user" >"$W/uid.$user"
  echo "  $user@$rp: credential $(cat "$W/id.$user")"
}
c_make() { make_rk $RP1 alice && make_rk $RP1 bob && make_rk $RP2 carol; }
check core "fido2-cred -M -r -v: three discoverable credentials on two RPs" c_make
c_assert() {
  { head -c 32 /dev/urandom | b64; echo $RP1; } >"$W/aparam"
  echo "$PIN" | setsid -w fido2-assert -G -r -v -i "$W/aparam" "$G" >"$W/assert" 2>"$W/err" || { cat "$W/err"; return 1; }
  # One assertion per credential of the RP: clientDataHash, rpId, authData, sig, user id each.
  [ "$(grep -c "^$RP1$" "$W/assert")" -eq 2 ] || { echo "  expected 2 assertions for $RP1"; cat "$W/assert"; return 1; }
}
check core "fido2-assert -G -r -v: both credentials of $RP1" c_assert

# ---------------------------------------------------------------- generic: credential management
c_metadata() {
  tok "$PIN\n" -I -c "$G" || return 1
  # libfido2 1.12 prints "remaining rk(s)" (later versions: "possible rk(s)").
  has '^existing rk\(s\): 3$' && has '^(remaining|possible) rk\(s\): [1-9][0-9]*$'
}
check credman "-I -c: 3 existing discoverable credentials, some possible" c_metadata
c_list_rp() {
  tok "$PIN\n" -L -r "$G" || return 1
  [ "$(wc -l <"$W/out")" -eq 2 ] || { echo "  expected 2 RPs"; return 1; }
  local h1 h2
  h1=$(printf '%s' $RP1 | openssl dgst -sha256 -binary | base64 -w0)
  h2=$(printf '%s' $RP2 | openssl dgst -sha256 -binary | base64 -w0)
  # Lines "NN: rpIdHash rpId"; base64 has '+' and '/': compared as fixed strings.
  cut -d' ' -f2- "$W/out" | grep -Fxq -- "$h1 $RP1" && cut -d' ' -f2- "$W/out" | grep -Fxq -- "$h2 $RP2" ||
    { echo "  expected '$h1 $RP1' and '$h2 $RP2'"; return 1; }
}
check credman "-L -r: both RPs with their rpIdHash" c_list_rp
# rk_is ID PREFIX: the -L -k line of credential ID, without "NN: ", starts with PREFIX. libfido2
# 1.12 prints "NN: credentialId displayName userId type protection" (display name "(null)" when the
# credential has none; protection: uvopt, uvopt+id, uvreq).
rk_is() {
  local line
  line=$(cut -d' ' -f2- "$W/out" | grep -F -- "$1 " | head -1)
  [[ $line == "$2"* ]] || { echo "  expected a line starting with '$2', got '$line'"; return 1; }
}
c_list_rk() {
  tok "$PIN\n" -L -k $RP1 "$G" || return 1
  [ "$(wc -l <"$W/out")" -eq 2 ] || { echo "  expected 2 credentials"; return 1; }
  rk_is "$(cat "$W/id.alice")" "$(cat "$W/id.alice") (null) $(cat "$W/uid.alice") es256 uvopt" &&
    rk_is "$(cat "$W/id.bob")" "$(cat "$W/id.bob") (null) $(cat "$W/uid.bob") es256 uvopt" &&
    ! grep -Fq -- "$(cat "$W/id.carol")" "$W/out"
}
check credman "-L -k $RP1: alice's and bob's credential ids, user ids, es256" c_list_rk
c_print_rk() {
  tok "$PIN\n" -I -k $RP1 -i "$(cat "$W/id.alice")" "$G" || return 1
  [ "$(head -1 "$W/out")" = "$(cat "$W/id.alice")" ] || { echo "  first line is not the credential id"; return 1; }
  tail -n +2 "$W/out" | cmp -s - "$W/pem.alice" || { echo "  public key differs from fido2-cred -V's"; return 1; }
}
check credman "-I -k rp -i id: the credential's id and public key (as fido2-cred -V gave)" c_print_rk
c_update() {
  tok "$PIN\n" -S -c -i "$(cat "$W/id.alice")" -k "$(cat "$W/uid.alice")" -n alice2 -p "Alice Two" "$G" || return 1
  tok "$PIN\n" -L -k $RP1 "$G" && rk_is "$(cat "$W/id.alice")" "$(cat "$W/id.alice") Alice Two $(cat "$W/uid.alice") es256"
}
check credman "-S -c: updateUserInformation shows in -L -k" c_update
c_delete() {
  tok "$PIN\n" -D -i "$(cat "$W/id.bob")" "$G" || return 1
  tok "$PIN\n" -L -k $RP1 "$G" && [ "$(wc -l <"$W/out")" -eq 1 ] && ! grep -Fq -- "$(cat "$W/id.bob")" "$W/out" &&
    tok "$PIN\n" -I -c "$G" && has '^existing rk\(s\): 2$'
}
check credman "-D -i id: bob's credential is gone, 2 left" c_delete

# ---------------------------------------------------------------- generic: authenticatorConfig, ep
c_cfg_info() {
  tok "" -I "$G" || return 1
  opt authnrCfg && opt setMinPINLength && opt noalwaysUv && opt makeCredUvNotRqd && opt credMgmt &&
    has '^minpinlen: 4$' && has '^maxrpids in minpinlen: 4$' && has '^pin change required: false$'
}
check config "-I: authnrCfg, setMinPINLength, noalwaysUv, credMgmt, minpinlen 4, maxrpids 4" c_cfg_info
c_minlen() {
  tok "$PIN\n" -S -l 6 "$G" || return 1
  tok "" -I "$G" && has '^minpinlen: 6$' || return 1
  ! tok "$PIN\n12345\n12345\n" -C "$G" && errhas 'FIDO_ERR_PIN_POLICY_VIOLATION'
}
check config "-S -l 6: minpinlen 6; a 5-character new PIN is a policy violation" c_minlen
c_always_uv() {
  tok "$PIN\n" -S -u "$G" || return 1
  tok "" -I "$G" && opt alwaysUv && opt nomakeCredUvNotRqd || return 1
  tok "$PIN\n" -D -u "$G" || return 1
  tok "" -I "$G" && opt noalwaysUv && opt makeCredUvNotRqd
}
check config "-S -u / -D -u: alwaysUv on (makeCredUvNotRqd off), then off" c_always_uv
c_ep() {
  tok "" -I "$G" && opt noep || return 1
  tok "$PIN\n" -S -a "$G" || return 1
  tok "" -I "$G" && opt ep
}
check ep "-S -a: ep false, then true" c_ep
c_force() {
  tok "$PIN\n" -S -f "$G" || return 1
  tok "" -I "$G" && has '^pin change required: true$' || return 1
  # Until changePIN, PIN tokens are refused (CTAP 2.1 section 6.5.5.7.2: CTAP2_ERR_PIN_POLICY_VIOLATION).
  { head -c 32 /dev/urandom | b64; echo $RP1; } >"$W/aparam"
  if echo "$PIN" | setsid -w fido2-assert -G -r -v -i "$W/aparam" "$G" >"$W/assert" 2>"$W/err"; then
    echo "  an assertion with the PIN succeeded while a change is forced"; return 1
  fi
  cat "$W/err"
  tok "$PIN\n$PIN3\n$PIN3\n" -C "$G" || return 1
  PIN=$PIN3
  tok "" -I "$G" && has '^pin change required: false$' || return 1
  echo "$PIN" | setsid -w fido2-assert -G -r -v -i "$W/aparam" "$G" >"$W/assert" 2>"$W/err" || { cat "$W/err"; return 1; }
}
check config "-S -f: pin change required, tokens refused until -C, then fine" c_force
c_reset_late() {
  ! tok "" -R "$G" && errhas 'FIDO_ERR_NOT_ALLOWED' && tok "" -I "$G" && opt clientPin
}
check core "-R after the 10 s window: NOT_ALLOWED, PIN kept" c_reset_late

# ---------------------------------------------------------------- bio
PIN=$PIN1
c_bio_info() {
  tok "" -I "$B" || return 1
  has '^version strings: .*FIDO_2_1' && has '^sensor type: 1 \(touch\)$' && has '^max samples: [1-9]' &&
    has '^uv modality: 0x2 \(fingerprint check\)$' && { opt bioEnroll || opt nobioEnroll; }
}
check bio "-I: fingerprint sensor (type, samples, uv modality, bioEnroll option)" c_bio_info
check core "-S sets the bio key's PIN" eval 'tok "$PIN\n$PIN\n" -S "$B" && tok "" -I "$B" && opt clientPin'
c_enroll() {
  tok "$PIN\n" -S -e "$B" || return 1
  has '^Touch your security key\.$' && has '^Sample ok\.$' && [ "$(tail -1 "$W/out")" = "Sample ok." ]
}
check bio "-S -e: enrollment, every sample ok" c_enroll
c_bio_list() {
  tok "$PIN\n" -L -e "$B" || return 1
  grep -E '^[0-9]{2}: [A-Za-z0-9+/=]+( |$)' "$W/out" | tail -1 | cut -d' ' -f2 >"$W/template"
  [ -s "$W/template" ] || { echo "  no enrollment listed"; return 1; }
  tok "" -I "$B" && opt bioEnroll && opt uv
}
check bio "-L -e: the enrollment is listed; -I: bioEnroll, uv" c_bio_list
c_bio_name() {
  tok "$PIN\n" -S -e -i "$(cat "$W/template")" -n "right index" "$B" || return 1
  tok "$PIN\n" -L -e "$B" && cut -d' ' -f2- "$W/out" | grep -Fxq -- "$(cat "$W/template") right index" ||
    { echo "  expected '$(cat "$W/template") right index'"; return 1; }
}
check bio "-S -e -i id -n name: renamed" c_bio_name
c_bio_delete() {
  tok "$PIN\n" -D -e -i "$(cat "$W/template")" "$B" || return 1
  tok "$PIN\n" -L -e "$B" && ! grep -Fq -- "$(cat "$W/template")" "$W/out"
}
check bio "-D -e -i id: removed" c_bio_delete
c_reset() {
  tok "" -R "$B" || return 1
  tok "" -I "$B" && opt noclientPin
}
check core "-R (any-time reset window): PIN gone" c_reset

kill -TERM $SK
for _ in $(seq 100); do kill -0 $SK 2>/dev/null || break; sleep 0.2; done
echo "--- softkey log (tail)"; tail -5 "$OUT/softkey.log"
echo "T_TOTAL $(up)s of guest uptime"
echo "FIDO2_TOKEN $PASSED passed, $FAILED failed, $PENDED pending"
[ "$FAILED" -eq 0 ] || exit 1
echo "FIDO2_TOKEN OK"
