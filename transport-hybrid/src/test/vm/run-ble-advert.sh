#!/bin/bash
# Host side of ble-advert.sh: builds transport-hybrid's main and test classes (offline), writes the
# classpath the guest's JVM uses, boots the guest (shared/vm/run-guest.sh) and returns its exit code.
# usage: transport-hybrid/src/test/vm/run-ble-advert.sh [OUT_DIR]
#   SOFTKEY_VM_DIR: where run-guest.sh lives (default: ../shared/vm beside the repo, else /work/shared/vm)
#   needs the Debian packages listed in shared/vm/README.md (qemu-system-x86 linux-image-amd64 busybox-static bluez bluez-test-tools)
set -euo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
REPO=$(cd "$HERE/../../../.." && pwd)
OUT=$(mkdir -p "${1:-$REPO/transport-hybrid/target/ble-vm}" && cd "${1:-$REPO/transport-hybrid/target/ble-vm}" && pwd)
VM=${SOFTKEY_VM_DIR:-}
if [ -z "$VM" ]; then
  if [ -f "$REPO/../shared/vm/run-guest.sh" ]; then VM=$REPO/../shared/vm; else VM=/work/shared/vm; fi
fi
cd "$REPO"
./mvnw -B -q ${MVN_OFFLINE--o} test-compile dependency:build-classpath -pl transport-hybrid -am \
  -Dmdep.outputFile="$REPO/transport-hybrid/target/deps.classpath" -Dmdep.includeScope=runtime
echo -n "$REPO/transport-hybrid/target/classes:$REPO/transport-hybrid/target/test-classes:$(cat transport-hybrid/target/deps.classpath)" \
  > transport-hybrid/target/ble-vm.classpath
GUEST_TIMEOUT=${GUEST_TIMEOUT:-300} bash "$VM/run-guest.sh" "$HERE/ble-advert.sh" "$OUT"
