#!/usr/bin/env bash
# Runs the consumer project (a relying party's build that depends on dev.softkey:softkey-testkit)
# against a Maven repository where softkey was installed; softkey itself comes only from there (it
# is on no remote repository). What else the project needs (its own plugin versions, say) may be
# fetched from Maven Central, as on a fresh CI machine; CONSUMER_OFFLINE=1 forbids that:
#   ./mvnw install -DskipTests -pl testkit -am [-Dmaven.repo.local=REPO]
#   testkit/src/test/consumer/run-consumer.sh [REPO]       (default: ~/.m2/repository)
# The project is copied to a temporary directory first, so nothing is built inside the source tree.
# Exit status: Maven's; 2 when softkey-testkit is not in the repository.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
repo="${1:-$HOME/.m2/repository}"
version="$(sed -n 's:.*<softkey.version>\(.*\)</softkey.version>.*:\1:p' "$here/pom.xml")"
if [[ ! -f "$repo/dev/softkey/softkey-testkit/$version/softkey-testkit-$version.jar" ]]; then
  echo "softkey-testkit $version is not installed in $repo; run first:" >&2
  echo "  ./mvnw install -DskipTests -pl testkit -am -Dmaven.repo.local=$repo" >&2
  exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$here/pom.xml" "$here/src" "$work/"
cd "$work"
"$root/mvnw" -B ${CONSUMER_OFFLINE:+-o} -ntp -q -f "$work/pom.xml" -Dmaven.repo.local="$repo" test
# -q hides surefire's summary: count the tests from its reports, so that "no test ran" is a failure.
tests="$(cat "$work"/target/surefire-reports/TEST-*.xml 2>/dev/null | grep -o '<testsuite [^>]*tests="[0-9]*"' | sed 's/.*tests="\([0-9]*\)"/\1/' | awk '{s+=$1} END {print s+0}')"
if [[ -z "$tests" || "$tests" -eq 0 ]]; then
  echo "consumer project: no test ran" >&2
  exit 1
fi
echo "consumer project: $tests tests passed against softkey-testkit $version from $repo"
