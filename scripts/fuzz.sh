#!/usr/bin/env bash
# Coverage-guided fuzzing of every Jazzer @FuzzTest in the fuzz module, each for a bounded time.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [FILTER]   fuzz every target (default 20 s each, for CI);
#                                                    FILTER (a grep -E pattern) picks targets by
#                                                    Class#method; long runs pass 600
#   scripts/fuzz.sh --list                           print the targets
#   scripts/fuzz.sh --seeds                          rewrite the seed corpora from the test vectors
#
# Builds once (the fuzz module and what it depends on, test-compile), then starts one JVM per
# target (Jazzer fuzzes one target per JVM) with JAZZER_FUZZ=1 and JAZZER_MAX_DURATION. Prints per
# target: verdict, executions, coverage (libFuzzer's cov = edges, ft = features), corpus size and
# seconds; exits 1 if any target found something. A finding is written by Jazzer as crash-<sha1>
# into the target's src/test/resources/.../<Class>Inputs/<method>/ directory, where the plain
# build (`./mvnw verify`, regression mode) replays it from then on. The corpus Jazzer grows is kept
# in fuzz/.cifuzz-corpus (git-ignored; CI may cache it), so a next run starts where this one ended.
#
# Environment: MVN_ARGS (extra Maven arguments, e.g. -o -Dmaven.repo.local=...), FUZZ_JAVA_OPTS
# (default -Xmx1g), FUZZ_LOGS (default fuzz/target/fuzz-logs).
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
MODE=fuzz
SECONDS_PER_TARGET=20
FILTER=.
case "${1:-}" in
  --list) MODE=list ;;
  --seeds) MODE=seeds ;;
  '') ;;
  *[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [FILTER] | --list | --seeds" >&2; exit 2 ;;
  *) SECONDS_PER_TARGET=$1 ;;
esac
[ $# -ge 2 ] && FILTER=$2

targets() {
  # Class#method of every @FuzzTest, from the sources (the annotation is on the line before).
  find fuzz/src/test/java -name '*FuzzTest.java' | sort | while read -r f; do
    cls=$(sed -e 's|^fuzz/src/test/java/||' -e 's|\.java$||' -e 's|/|.|g' <<<"$f")
    awk -v c="$cls" '/@FuzzTest/ {grab=1; next} grab && /void [a-zA-Z0-9_]+\(/ {match($0, /void [a-zA-Z0-9_]+\(/); m=substr($0, RSTART+5, RLENGTH-6); print c "#" m; grab=0}' "$f"
  done | grep -E -- "$FILTER"
}

if [ "$MODE" = list ]; then
  targets
  exit 0
fi

CP_FILE=fuzz/target/fuzz-classpath.txt
echo "fuzz: building the fuzz module (test-compile) ..."
# shellcheck disable=SC2086
./mvnw -B -q ${MVN_ARGS:-} -pl fuzz -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$ROOT/$CP_FILE" -Dmdep.includeScope=test >/dev/null || {
  echo "fuzz: build failed" >&2
  exit 2
}
CP="$ROOT/fuzz/target/test-classes:$(cat "$CP_FILE")"
JAVA_OPTS=${FUZZ_JAVA_OPTS:--Xmx1g}

if [ "$MODE" = seeds ]; then
  cd fuzz && exec java -cp "$CP" dev.softkey.fuzz.WriteSeeds src/test/resources
fi

LOGS=${FUZZ_LOGS:-$ROOT/fuzz/target/fuzz-logs}
mkdir -p "$LOGS"
mapfile -t TARGETS < <(targets)
[ ${#TARGETS[@]} -gt 0 ] || { echo "fuzz: no target matches $FILTER" >&2; exit 2; }
echo "fuzz: ${#TARGETS[@]} targets, ${SECONDS_PER_TARGET} s each; logs in $LOGS"
START=$(date +%s)
found=0
SUMMARY=()
total_execs=0
for t in "${TARGETS[@]}"; do
  log="$LOGS/${t//#/_}.log"
  t0=$(date +%s)
  # Jazzer stops itself after JAZZER_MAX_DURATION; the timeout is a guard against a hang outside it.
  (cd fuzz && JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${SECONDS_PER_TARGET}s" \
      JAZZER_INSTRUMENTATION_INCLUDES='dev.softkey.**' \
      timeout --kill-after=10 $((SECONDS_PER_TARGET + 180)) \
      java $JAVA_OPTS -Dbasedir="$ROOT/fuzz" -Djazzer.internal.basedir="$ROOT/fuzz" \
      -cp "$CP" dev.softkey.fuzz.RunFuzzTarget "$t") >"$log" 2>&1
  rc=$?
  secs=$(( $(date +%s) - t0 ))
  # libFuzzer's last status line: "#<execs> DONE cov: <edges> ft: <features> corp: <n>/<size> ..."
  last=$(grep -aE '^#[0-9]+[[:space:]]+(DONE|REDUCE|NEW|pulse|INITED)' "$log" | tail -1)
  execs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$last")
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
  corp=$(sed -nE 's/.* corp: ([0-9]+)\/.*/\1/p' <<<"$last")
  case $rc in
    0) verdict=ok ;;
    1) verdict=FINDING; found=$((found + 1)) ;;
    *) verdict="ERROR($rc)"; found=$((found + 1)) ;;
  esac
  total_execs=$((total_execs + ${execs:-0}))
  line=$(printf '%-66s %-8s execs %10s  cov %5s  ft %6s  corpus %5s  %4ss' "$t" "$verdict" "${execs:--}" "${cov:--}" "${ft:--}" "${corp:--}" "$secs")
  echo "$line"
  SUMMARY+=("$line")
  if [ $rc -ne 0 ]; then
    grep -aE 'FuzzTestFinding|Exception|Error|crash-|artifact_prefix|Test unit written' "$log" | head -8 | sed 's/^/    /'
  fi
done
echo
echo "fuzz: summary ($(( $(date +%s) - START )) s in all, $total_execs executions)"
printf '%s\n' "${SUMMARY[@]}"
[ $found -eq 0 ] || { echo "fuzz: $found target(s) with findings or errors (crash files under fuzz/src/test/resources, logs in $LOGS)"; exit 1; }
