#!/bin/bash
# End-to-end hybrid (caBLE v2) over BlueZ in a guest: a QR registration from the desktop to the
# phone, both the real CLI (cli/target/softkey.jar), the advert carried by btvirt's virtual radio.
#
# Host half (no guest_cmd= on the kernel command line): boots the guest with shared/vm/run-guest.sh,
# running this same script, and exits with its exit code.
#   usage: transport-hybrid/src/test/vm/hybrid-bluez.sh [OUT_DIR]
#   Build first: ./mvnw -B -q -o install -DskipTests   (gives cli/target/softkey.jar)
#   Env (host): SOFTKEY_VM_DIR (default ../shared/vm beside the repo, else /work/shared/vm),
#     GUEST_TIMEOUT (default 600), GUEST_MEM (default 3072), and for the guest (passed through
#     OUT_DIR/guest.env): BLUETOOTHD_FLAGS (default -E: AdvertisementMonitor1 scanning; "" gives
#     BlueZ 5.66's filtered-discovery fallback), HYBRID_TIMEOUT (seconds each hybrid step may wait,
#     default 180); SOFTKEY_CDS=0 (no class-data-sharing archive for the guest JVMs).
#   Needs the Debian packages listed in shared/vm/README.md (qemu-system-x86 linux-image-amd64
#   busybox-static bluez bluez-test-tools).
#
# Guest half: btvirt's two LE controllers (hci0, hci1), dbus-daemon, bluetoothd; then
#   softkey tunnel-server --port 18080                                   (background)
#   softkey hybrid initiate --radio bluez --adapter hci1 --qr-png ...    (the desktop, background)
#   softkey --store memory hybrid scan QR.png --radio bluez --adapter hci0  (the phone)
# Exit 0 only if the desktop printed a RegistrationResponseJSON (with "attestationObject") and the
# phone printed "served 1 CTAP request"; then prints HYBRID_BLUEZ_OK. Logs go to OUT_DIR.
set -u
SELF=$(readlink -f "$0")
HERE=$(cd "$(dirname "$SELF")" && pwd)
REPO=$(cd "$HERE/../../../.." && pwd)
JAR=$REPO/cli/target/softkey.jar

# ---------------------------------------------------------------- host half
if ! grep -q "guest_cmd=" /proc/cmdline 2>/dev/null; then
  set -eo pipefail
  [ -f "$JAR" ] || { echo "missing $JAR: run ./mvnw -B -q -o install -DskipTests first" >&2; exit 2; }
  OUT=${1:-$REPO/transport-hybrid/target/hybrid-bluez}
  mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
  rm -f "$OUT"/*.log "$OUT"/*.out "$OUT"/*.err "$OUT"/qr.png "$OUT"/softkey.jsa
  VM=${SOFTKEY_VM_DIR:-}
  if [ -z "$VM" ]; then
    if [ -f "$REPO/../shared/vm/run-guest.sh" ]; then VM=$REPO/../shared/vm; else VM=/work/shared/vm; fi
  fi
  # A class-data-sharing archive of softkey's classes (from an offline hybrid demo on the host) cuts each
  # guest JVM's start-up roughly in half; it is tied to this JVM and this jar, so it is made afresh.
  rm -f "$OUT/softkey.jsa"
  if [ "${SOFTKEY_CDS:-1}" = 1 ]; then
    java -XX:ArchiveClassesAtExit="$OUT/softkey.jsa" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$JAR" --store memory hybrid demo > "$OUT/cds.log" 2>&1 \
      || { echo "no CDS archive (see $OUT/cds.log); the guest JVMs start without one" >&2; rm -f "$OUT/softkey.jsa"; }
  fi
  # the guest gets no environment from the host: hand the knobs over in the writable dir
  { printf 'BLUETOOTHD_FLAGS=%q\n' "${BLUETOOTHD_FLAGS--E}"; printf 'HYBRID_TIMEOUT=%q\n' "${HYBRID_TIMEOUT:-180}"; } > "$OUT/guest.env"
  GUEST_TIMEOUT=${GUEST_TIMEOUT:-600} GUEST_MEM=${GUEST_MEM:-3072} bash "$VM/run-guest.sh" "$SELF" "$OUT"
  exit $?
fi

# ---------------------------------------------------------------- guest half
RW=$(sed -n 's/.*guest_rw=\([^ ]*\).*/\1/p' /proc/cmdline)
OUT=${RW:-/tmp/hybrid-bluez}
mkdir -p "$OUT"
BLUETOOTHD_FLAGS=-E HYBRID_TIMEOUT=180
[ -f "$OUT/guest.env" ] && . "$OUT/guest.env"
PORT=18080
TUNNEL=ws://127.0.0.1:$PORT
# SecureRandom's seeding blocks on the guest's thin entropy without the egd setting; C1 only and the
# serial collector start a JVM fastest under emulation.
JAVA=(java -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx384m -Djava.security.egd=file:/dev/urandom)
[ -f "$OUT/softkey.jsa" ] && JAVA+=(-XX:SharedArchiveFile="$OUT/softkey.jsa")
# The guest sees the host's files read-only: the attestation CA (default: ca under the softkey home)
# goes to the writable directory.
JAVA+=(-jar "$JAR" --ca "$OUT/ca")
ms() { echo $(( $(date +%s%N) / 1000000 )); }
T0=$(ms)
# prefixes each line with milliseconds since T0
stamp() { while IFS= read -r l; do echo "$(( $(ms) - T0 )) $l"; done; }
PIDS=()
finish() {
  local rc=$1
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  cp /tmp/btvirt.log /tmp/bluetoothd.log /tmp/btmon-*.log "$OUT"/ 2>/dev/null
  exit "$rc"
}
fail() { echo "HYBRID_BLUEZ_FAIL: $*"; finish 1; }
[ -f "$JAR" ] || fail "missing $JAR"
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd   # bash's process substitution needs it; the guest's /dev lacks it
ip link set lo up || fail "no loopback interface"   # the guest boots with lo down (-net none)

# 1. Two virtual LE controllers and bluetoothd (as ble-advert.sh, which explains each step).
modprobe hci_vhci || fail "modprobe hci_vhci"
modprobe -a af_alg algif_hash algif_skcipher cmac ecb   # btvirt's AF_ALG crypto, before hci0's HCI Reset times out
configured() { hciconfig "$1" 2>/dev/null | grep -q "BD Address" && ! hciconfig "$1" | grep -q "BD Address: 00:00:00:00:00:00"; }
for attempt in 1 2 3 4; do   # restart btvirt until both controllers are set up (see ble-advert.sh)
  btvirt -L -l2 > /tmp/btvirt.log 2>&1 &
  BTVIRT=$!
  for i in $(seq 100); do configured hci0 && configured hci1 && break; sleep 0.2; done
  if configured hci0 && configured hci1; then echo "BTVIRT_READY attempt $attempt"; PIDS+=($BTVIRT); break; fi
  echo "btvirt attempt $attempt: controllers not set up, starting it again"
  kill $BTVIRT; wait $BTVIRT 2>/dev/null
  for i in $(seq 50); do [ -e /sys/class/bluetooth/hci0 ] || [ -e /sys/class/bluetooth/hci1 ] || break; sleep 0.2; done
done
hciconfig | grep -E "^hci|BD Address"
mkdir -p /run/dbus; dbus-daemon --system --fork --nopidfile || fail "dbus-daemon"
mount -t tmpfs tmpfs /var/lib/bluetooth
/usr/libexec/bluetooth/bluetoothd -n -d $BLUETOOTHD_FLAGS > /tmp/bluetoothd.log 2>&1 &
PIDS+=($!)
ready=no
for i in $(seq 100); do
  for h in hci0 hci1; do
    dbus-send --system --print-reply --dest=org.bluez /org/bluez/$h org.freedesktop.DBus.Properties.Get \
      string:org.bluez.Adapter1 string:Address > /dev/null 2>&1 || { sleep 0.2; continue 2; }
  done
  ready=yes; break
done
[ $ready = yes ] || fail "BLE_SETUP_FAILED: bluetoothd did not offer hci0 and hci1"
btmon -i hci1 > /tmp/btmon-hci1.log 2>&1 &
BTMON=$!
PIDS+=($BTMON)
echo "BT_READY_MS=$(( $(ms) - T0 ))"

# 2. The tunnel server.
"${JAVA[@]}" --store memory tunnel-server --port $PORT > "$OUT/tunnel.out" 2> "$OUT/tunnel.err" &
PIDS+=($!)
for i in $(seq 600); do grep -q "tunnel server ready" "$OUT/tunnel.out" && break; sleep 0.2; done
grep -q "tunnel server ready" "$OUT/tunnel.out" || { cat "$OUT/tunnel.err"; fail "tunnel server not ready"; }
echo "TUNNEL_READY_MS=$(( $(ms) - T0 ))"

# 3. The desktop: a registration (rp example.com, ES256), scanning on hci1.
cat > "$OUT/register.json" << 'EOF'
{"publicKey":{"rp":{"id":"example.com","name":"Example"},
 "user":{"id":"AQIDBAUGBwg","name":"alice@example.com","displayName":"Alice"},
 "challenge":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
 "pubKeyCredParams":[{"type":"public-key","alg":-7}],
 "authenticatorSelection":{"userVerification":"discouraged"},"attestation":"none","timeout":180000}}
EOF
QR=$OUT/qr.png
rm -f "$QR"
"${JAVA[@]}" --store memory hybrid initiate --origin https://example.com --tunnel-url $TUNNEL --radio bluez --adapter hci1 \
  --timeout "$HYBRID_TIMEOUT" --qr-png "$QR" --options "$OUT/register.json" \
  > "$OUT/desktop.out" 2> >(stamp > "$OUT/desktop.err") &
DESKTOP=$!
PIDS+=($DESKTOP)
# the desktop writes the PNG, then logs that it scans: wait for the log line so the PNG is complete
for i in $(seq 900); do
  grep -q "desktop: scanning" "$OUT/desktop.err" 2>/dev/null && break
  kill -0 $DESKTOP 2>/dev/null || break
  sleep 0.2
done
grep -q "desktop: scanning" "$OUT/desktop.err" && [ -s "$QR" ] || { cat "$OUT/desktop.err"; fail "the desktop showed no QR code"; }
T_QR=$(ms)
echo "QR_SHOWN_MS=$(( T_QR - T0 ))"
# records when the response appears on the desktop's stdout
( while kill -0 $DESKTOP 2>/dev/null && ! grep -q attestationObject "$OUT/desktop.out"; do sleep 0.1; done; ms > /tmp/t_response ) &
WATCH=$!

# 4. The phone: scans the PNG, advertises on hci0, serves the request through the tunnel.
"${JAVA[@]}" --store memory hybrid scan "$QR" --tunnel-url $TUNNEL --radio bluez --adapter hci0 --timeout "$HYBRID_TIMEOUT" \
  > >(stamp > "$OUT/phone.out") 2> "$OUT/phone.err"
PHONE_RC=$?
T_PHONE=$(ms)
if [ $PHONE_RC != 0 ]; then
  # the desktop would wait out its timeout for a phone that is gone
  for i in $(seq 50); do kill -0 $DESKTOP 2>/dev/null || break; sleep 0.2; done
  kill $DESKTOP 2>/dev/null
fi
wait $DESKTOP; DESKTOP_RC=$?
wait $WATCH
sleep 0.3   # let the stamp pipes flush
T_RESP=$(cat /tmp/t_response 2>/dev/null || echo "$T_PHONE")

echo "---- phone (ms since start, rc=$PHONE_RC)"; cat "$OUT/phone.out"; tail -20 "$OUT/phone.err"
echo "---- desktop stderr (rc=$DESKTOP_RC)"; grep -v "^[0-9]* *[█▀▄ ]*$" "$OUT/desktop.err" | grep -v "FIDO:/" | tail -20
echo "---- desktop stdout"; head -c 400 "$OUT/desktop.out"; echo
kill $BTMON 2>/dev/null; sleep 0.3   # btmon flushes its log when it ends
echo "---- hci1: LE advertising reports with service data 0xfff9 (btmon): $(grep -a -c -i "Service Data: .*(0xfff9)" /tmp/btmon-hci1.log)"
at() { sed -n "s/^\([0-9]*\) .*$2.*/\1/p" "$1" | head -1; }
T_ADV=$(at "$OUT/phone.out" "phone: advertising"); T_FOUND=$(at "$OUT/desktop.err" "desktop: advert found")
[ -n "$T_ADV" ] && [ -n "$T_FOUND" ] && echo "ADVERT_TO_FOUND_MS=$(( T_FOUND - T_ADV )) FOUND_TO_RESPONSE_MS=$(( T_RESP - T0 - T_FOUND ))"
echo "PHONE_WALL_MS=$(( T_PHONE - T_QR )) QR_TO_RESPONSE_MS=$(( T_RESP - T_QR ))"
OK=yes
grep -q '"attestationObject"' "$OUT/desktop.out" || { echo "desktop printed no RegistrationResponseJSON"; OK=no; }
grep -q '"type":"public-key"' "$OUT/desktop.out" || { echo "desktop output is not a PublicKeyCredential"; OK=no; }
grep -q "served 1 CTAP request" "$OUT/phone.out" || { echo "phone did not report serving 1 CTAP request"; OK=no; }
[ $PHONE_RC = 0 ] && [ $DESKTOP_RC = 0 ] || { echo "phone rc=$PHONE_RC desktop rc=$DESKTOP_RC"; OK=no; }
[ $OK = yes ] || fail "see $OUT"
echo HYBRID_BLUEZ_OK
finish 0
