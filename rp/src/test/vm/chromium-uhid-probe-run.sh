#!/bin/bash
# Host wrapper of chromium-uhid-probe.sh: the built CLI as SOFTKEY, 3 GiB guest, 600 s.
export GUEST_TIMEOUT=${GUEST_TIMEOUT:-600} GUEST_MEM=${GUEST_MEM:-3072}
export SOFTKEY="java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Djava.security.egd=file:/dev/urandom -jar $(cd "$(dirname "$0")/../../.." && pwd)/../cli/target/softkey.jar"
start=$SECONDS; nice -n 5 bash "$(dirname "$0")/chromium-uhid-probe.sh"; echo "HOST rc=$? wall=$((SECONDS-start)) s"
