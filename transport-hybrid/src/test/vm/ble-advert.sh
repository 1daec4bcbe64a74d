#!/bin/bash
# Runs INSIDE the guest (shared/vm/run-guest.sh): two btvirt LE controllers, dbus-daemon, bluetoothd;
# a JVM (prebuilt classes, classpath in transport-hybrid/target/ble-vm.classpath written by the host,
# see run-ble-advert.sh) scans on hci1 with BluezRadio.scan (AdvertisementMonitor1) and advertises a
# known 20-byte EID under service data 0xFFF9 on hci0 with BluezRadio.advertise.
# Exit 0 only if the EID was seen on hci1 both at the HCI level (btmon: LE Advertising Report with
# Service Data 0xfff9 and the EID) and by BluezRadio.scan.
# The guest gets no environment from the host: to vary SCAN_METHOD (MONITOR|DISCOVERY|AUTO), ADV_TYPE
# (broadcast|peripheral), BLUETOOTHD_FLAGS (default -E), EID or SCAN_SECONDS, run a wrapper script that sets
# them and then runs this one.
set -u
EID=${EID:-a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3}   # 20 bytes, like an encrypted caBLE EID
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
REPO=$(cd "$HERE/../../../.." && pwd)
CPFILE=$REPO/transport-hybrid/target/ble-vm.classpath
RW=$(sed -n 's/.*guest_rw=\([^ ]*\).*/\1/p' /proc/cmdline)
OUT=${RW:-/tmp}
ms() { echo $(( $(date +%s%N) / 1000000 )); }
[ -f "$CPFILE" ] || { echo "missing $CPFILE: run run-ble-advert.sh on the host first"; exit 2; }

modprobe hci_vhci || exit 1
# btvirt's first controller opens AF_ALG sockets (LE crypto); loading those modules on demand takes
# seconds under emulation, long enough for the kernel's 2 s HCI Reset timeout on hci0 to expire.
modprobe -a af_alg algif_hash algif_skcipher cmac ecb
# Under emulation the first controller's HCI Reset can time out while btvirt is still creating the
# second ("hci0: Opcode 0x0c03 failed: -110"): it then stays unconfigured (BD 00:00:00:00:00:00) or
# disappears, and bluetoothd never sees it. Start btvirt again (at most 4 times) until both are set up.
configured() { hciconfig "$1" 2>/dev/null | grep -q "BD Address" && ! hciconfig "$1" | grep -q "BD Address: 00:00:00:00:00:00"; }
for attempt in 1 2 3 4; do
  btvirt -L -l2 > /tmp/btvirt.log 2>&1 &
  BTVIRT=$!
  for i in $(seq 100); do configured hci0 && configured hci1 && break; sleep 0.2; done
  if configured hci0 && configured hci1; then echo "BTVIRT_READY attempt $attempt"; break; fi
  echo "btvirt attempt $attempt: controllers not set up, starting it again"
  kill $BTVIRT; wait $BTVIRT 2>/dev/null
  for i in $(seq 50); do [ -e /sys/class/bluetooth/hci0 ] || [ -e /sys/class/bluetooth/hci1 ] || break; sleep 0.2; done
done
hciconfig | grep -E "^hci|BD Address"
mkdir -p /run/dbus; dbus-daemon --system --fork --nopidfile
mount -t tmpfs tmpfs /var/lib/bluetooth
# -E (experimental) by default: see whether BlueZ 5.66 offers AdvertisementMonitorManager1 without it
/usr/libexec/bluetooth/bluetoothd -n -d ${BLUETOOTHD_FLAGS--E} > /tmp/bluetoothd.log 2>&1 &
# Wait until bluetoothd has registered both adapters.
adapters_ready() {
  for h in hci0 hci1; do
    dbus-send --system --print-reply --dest=org.bluez /org/bluez/$h org.freedesktop.DBus.Properties.Get \
      string:org.bluez.Adapter1 string:Address > /dev/null 2>&1 || return 1
  done
}
for i in $(seq 100); do
  adapters_ready && break
  sleep 0.3
done
if adapters_ready; then
  echo "ADAPTERS_READY after ${i} checks"
else
  # The emulated controllers' setup is timing-sensitive under TCG; say so and end early, so the
  # caller can retry the whole guest run instead of waiting for its timeout.
  echo "BLE_SETUP_FAILED: bluetoothd did not register hci0 and hci1"; hciconfig -a; tail -20 /tmp/btvirt.log
  exit 3
fi
btmon -i hci1 > /tmp/btmon-hci1.log 2>&1 &
MON1=$!
btmon -i hci0 > /tmp/btmon-hci0.log 2>&1 &
MON0=$!

# JVM start-up alone
T=$(ms); java -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -version > /dev/null 2>&1; echo "JAVA_VERSION_MS=$(( $(ms) - T ))"

T=$(ms)
java -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$(cat "$CPFILE")" dev.softkey.hybrid.ble.BleAdvertMain \
  --scan hci1 --advertise hci0 --eid "$EID" --seconds "${SCAN_SECONDS:-20}" --scan-method "${SCAN_METHOD:-MONITOR}" \
  --type "${ADV_TYPE:-broadcast}" > /tmp/main.log 2> /tmp/main.err
JRC=$?
echo "JVM_RUN_MS=$(( $(ms) - T )) rc=$JRC"
cat /tmp/main.log; tail -20 /tmp/main.err
sleep 0.5; kill $MON1 $MON0

echo "---- hci0: advertising data set by bluetoothd"
grep -a -A12 "LE Set Advertising Data\|LE Set Extended Advertising Data" /tmp/btmon-hci0.log | grep -a -i -E "Service Data|Data:|UUID|Flags|fff9" | head -10
echo "---- hci1: advertising reports"
grep -a -B2 -A14 "LE Advertising Report\|LE Extended Advertising Report" /tmp/btmon-hci1.log | grep -a -i -E "Service Data|Data:|fff9|Event type" | sort | uniq -c | head -12
HCI=1; grep -a -i -A1 "Service Data.*0xfff9" /tmp/btmon-hci1.log | grep -a -q -i "$EID" && HCI=0
SCAN=1; grep -q "^EID_SEEN_BY_SCAN" /tmp/main.log && SCAN=0
grep -a -i -E "monitor|adv_monitor" /tmp/bluetoothd.log | head -15
[ -n "$RW" ] && cp /tmp/*.log /tmp/main.err "$RW"/ 2>/dev/null
echo "EID_SEEN_HCI1_BTMON=$([ $HCI = 0 ] && echo yes || echo no) EID_SEEN_BLUEZRADIO_SCAN=$([ $SCAN = 0 ] && echo yes || echo no)"
[ $HCI = 0 ] && [ $SCAN = 0 ] && echo BLE_ADVERT_OK && exit 0
exit 1
