#!/usr/bin/env bash
# softkey's JMH benchmarks in one run, with the ratios to their baselines (docs/benchmarks.md).
#
#   scripts/jmh.sh                     every benchmark: 1 fork, 3 warm-up (5 for the clients)
#                                      and 3 measured iterations of 1 s, then the table and ratios
#   scripts/jmh.sh [JMH args]          JMH's own options and a benchmark regexp, e.g.
#                                      scripts/jmh.sh -i 5 -r 2s 'Engine|RawSigning'
#   scripts/jmh.sh -h                  the options
#
# Builds bench/target/benchmarks.jar first when it is missing or older than a source of the bench
# module or of a module it runs (ctap-types, platform, authenticator-core, testkit, the poms), with
# `./mvnw package -pl bench -am -DskipTests`. Environment: MVN_ARGS (extra Maven arguments, e.g.
# -o -Dmaven.repo.local=...), JMH_JAVA_OPTS (options of the runner JVM; the forks take JMH's
# -jvmArgs). The machine should be quiet: every other load lowers the figures (the ratios less so,
# since both sides of one share the same run).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
JAR=bench/target/benchmarks.jar

stale() {
  [ -f "$JAR" ] || return 0
  [ -n "$(find pom.xml bench/pom.xml bench/src/main ctap-types/src/main platform/src/main \
    authenticator-core/src/main testkit/src/main ctap-types/pom.xml platform/pom.xml \
    authenticator-core/pom.xml testkit/pom.xml -newer "$JAR" -print -quit 2>/dev/null)" ]
}

if stale; then
  echo "jmh.sh: building $JAR" >&2
  # shellcheck disable=SC2086
  if ! ./mvnw -B -q ${MVN_ARGS:-} package -DskipTests -pl bench -am >&2; then
    echo "jmh.sh: the build failed; fix it (the Maven output is above) and run again" >&2
    exit 1
  fi
fi
# shellcheck disable=SC2086
exec java ${JMH_JAVA_OPTS:-} -jar "$JAR" "$@"
