#!/usr/bin/env bash
# Startup of one-shot commands: wall time of `softkey webauthn get` through the launcher
# (bin/softkey: C1 only, SerialGC, a class-data-sharing archive) next to plain
# `java -jar cli/target/softkey.jar` and to the launcher's flags without an archive, in the same
# run, interleaved, so load from elsewhere on the machine hits all three alike. Prints the median
# wall and CPU time of each in milliseconds; the target is the launcher at most 300 ms (issue 14).
#
# Usage: scripts/startup-bench.sh [N]   (N runs of each, default 15). Builds the jar if missing.
# The store is a temporary SOFTKEY_HOME prepared by one `webauthn create`; the archives are the
# launcher's own (beside the jar), made by the first runs, which are not counted.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${1:-15}
case "$N" in '' | *[!0-9]* | 0) echo "startup-bench: N must be a positive number, not '$N'" >&2; exit 2 ;; esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOFTKEY_HOME="$work/home"
cat > "$work/create.json" <<'EOF'
{"rp":{"id":"example.com","name":"Example"},"user":{"id":"dXNlcjE","name":"alice","displayName":"Alice"},
 "challenge":"AAECAwQFBgcICQoLDA0ODw","pubKeyCredParams":[{"type":"public-key","alg":-7}],
 "authenticatorSelection":{"residentKey":"required","userVerification":"discouraged"}}
EOF
echo '{"rpId":"example.com","challenge":"AAECAwQFBgcICQoLDA0ODw","userVerification":"discouraged"}' > "$work/get.json"
get=(webauthn get --origin https://example.com --options "$work/get.json")

"$ROOT/bin/softkey" webauthn create --origin https://example.com --options "$work/create.json" > /dev/null 2> "$work/err" \
  || { cat "$work/err" >&2; exit 1; }
jar="$ROOT/cli/target/softkey.jar"

# "WALL CPU" in milliseconds (CPU: user + system, the JVM's threads included) of one run of "$@",
# its output discarded; a failed run ends the benchmark.
ms() {
  local t
  t=$( { TIMEFORMAT='%R %U %S'; time "$@" > /dev/null 2> "$work/err" < /dev/null; } 2>&1 ) \
    || { echo "startup-bench: failed: $*" >&2; cat "$work/err" >&2; exit 1; }
  echo "$t" | awk '{printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000}'
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }

first=$(ms "$ROOT/bin/softkey" "${get[@]}" | cut -d' ' -f1)
launcher="" plain="" flags="" c_launcher="" c_plain="" c_flags=""
for _ in $(seq "$N"); do
  read -r w c < <(ms "$ROOT/bin/softkey" "${get[@]}"); launcher+=" $w"; c_launcher+=" $c"
  read -r w c < <(ms java -jar "$jar" "${get[@]}"); plain+=" $w"; c_plain+=" $c"
  # The launcher's flags without an archive: an archive directory that cannot be created.
  read -r w c < <(SOFTKEY_CDS_DIR="$work/create.json/none" ms "$ROOT/bin/softkey" "${get[@]}"); flags+=" $w"; c_flags+=" $c"
done
m_launcher=$(echo "$launcher" | median)
m_plain=$(echo "$plain" | median)
m_flags=$(echo "$flags" | median)
java_version=$(java -version 2>&1 | head -1)
echo "softkey webauthn get, median of $N runs each (interleaved; $java_version, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)):"
printf '  %-44s %8s %8s\n' "" "wall" "CPU"
printf '  %-44s %5d ms %5d ms\n' "java -jar cli/target/softkey.jar" "$m_plain" "$(echo "$c_plain" | median)"
printf '  %-44s %5d ms %5d ms\n' "bin/softkey, C1 + SerialGC, no archive" "$m_flags" "$(echo "$c_flags" | median)"
printf '  %-44s %5d ms %5d ms   (wall %.2f x plain; target <= 300 ms)\n' "bin/softkey (C1 + SerialGC + AppCDS)" "$m_launcher" \
  "$(echo "$c_launcher" | median)" "$(awk -v a="$m_launcher" -v b="$m_plain" 'BEGIN {print a / b}')"
printf '  %-44s %5d ms            (not counted)\n' "bin/softkey, first timed run (dumps if none)" "$first"
