#!/bin/bash
# Probe (issue 12, step 1): can Debian's Chromium, driven by chromedriver inside the guest of
# ../shared/vm, reach `softkey serve --transport uhid` through navigator.credentials.create/get?
# A stand-in page (standin/index.html, served by python3 -m http.server on 127.0.0.1:8000) and a
# stdlib-only WebDriver client (drive.py, wd.py). Prints STEP lines with seconds since the session
# request; screenshots into OUT. Env: OUT, SOFTKEY (the CLI command), MODE=headless|xvfb,
# UDEV=1 (start systemd-udevd first), CHROME_ARGS. Run through chromium-uhid-probe-run.sh.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if ! grep -q 'guest_cmd=' /proc/cmdline; then
  OUT=${OUT:-$HERE/../../../target/chromium-uhid-probe}; rm -rf "$OUT"; mkdir -p "$OUT"
  for v in CHROME_ARGS MODE UDEV SOFTKEY; do printf '%s=%q\n' "$v" "${!v:-}"; done > "$OUT/env"
  exec bash "${SOFTKEY_VM_DIR:-/work/shared/vm}/run-guest.sh" "$HERE/chromium-uhid-probe.sh" "$OUT"
fi
OUT=$(sed -n 's/.*guest_rw=\([^ ]*\).*/\1/p' /proc/cmdline)
set -a; . "$OUT/env"; set +a
up() { cut -d' ' -f1 /proc/uptime; }
echo "boot done t=$(up)"
ip link set lo up; modprobe uhid; modprobe hid-generic
if [ "${UDEV:-0}" = 1 ]; then
  mkdir -p /run/udev; /lib/systemd/systemd-udevd --daemon >"$OUT/udevd.log" 2>&1; echo "udevd rc=$? t=$(up)"
  udevadm trigger --action=add; udevadm settle -t 20  # the hidraw node then carries ID_FIDO_TOKEN=1
fi
bash -c "exec $SOFTKEY --ca $OUT/ca serve --transport uhid --store memory" >"$OUT/softkey.log" 2>&1 &
for _ in $(seq 600); do DEV=$(fido2-token -L 2>/dev/null | head -1); [ -n "$DEV" ] && break; sleep 0.2; done
echo "key: $DEV t=$(up)"
ls -l /dev/hidraw* 
cd "$HERE/standin" && python3 -m http.server 8000 --bind 127.0.0.1 >"$OUT/http.log" 2>&1 &
# Xvfb first: chromedriver passes its environment (DISPLAY) to Chromium.
if [ "${MODE:-headless}" = xvfb ]; then
  Xvfb :99 -screen 0 1280x900x24 -nolisten tcp >"$OUT/xvfb.log" 2>&1 & export DISPLAY=:99
fi
sleep 1
chromedriver --port=9515 --log-path="$OUT/chromedriver.log" --verbose >"$OUT/chrome-stderr.log" 2>&1 &
sleep 1
echo "drive t=$(up)"
OUT=$OUT timeout 500 python3 "$HERE/drive.py" 2>&1
echo "done t=$(up)"
