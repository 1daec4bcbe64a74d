#!/usr/bin/env bash
# Tests of bin/softkey's class-data-sharing archive and JVM flags, on a copy of the launcher in a
# temporary tree whose cli/target/softkey.jar is a tiny program (built here with javac and jar)
# that prints its arguments, its version and whether it runs with the short-run flags. Checks: the
# archive is made on a command's first successful run and then used; the exit status comes
# through; a changed jar gets a new archive; a read-only, uncreatable or unwritable archive
# directory and a corrupt archive change nothing on stdout, stderr or the status; long-running
# commands and SOFTKEY_CDS=off run plain. Prints one line per check; exit 0 when all pass.
#
# Usage: scripts/launcher-test.sh [LAUNCHER]   (default: this checkout's bin/softkey)
# Run by cli's LauncherScriptTest.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LAUNCHER=${1:-$ROOT/bin/softkey}
t=$(mktemp -d)
trap 'chmod -R u+w "$t" 2>/dev/null; rm -rf "$t"' EXIT
mkdir -p "$t/bin" "$t/cli/target" "$t/src"
cp "$LAUNCHER" "$t/bin/softkey"
chmod +x "$t/bin/softkey"
unset SOFTKEY_CDS SOFTKEY_CDS_DIR SOFTKEY_JAVA_OPTS
failed=0
passed=0

# The fake softkey: "VERSION args=[...] flags=short|default"; "fail N" exits with N.
build_jar() {
  cat > "$t/src/Main.java" <<EOF
public class Main {
  public static void main(String[] a) {
    boolean shortRun = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
        .contains("-XX:TieredStopAtLevel=1");
    System.out.println("$1 args=" + java.util.Arrays.toString(a) + " flags=" + (shortRun ? "short" : "default"));
    if (a.length == 2 && a[0].equals("fail")) System.exit(Integer.parseInt(a[1]));
  }
}
EOF
  javac -d "$t/src" "$t/src/Main.java" && jar --create --file "$t/cli/target/softkey.jar" --main-class Main -C "$t/src" Main.class
}

# run NAME EXPECTED_STATUS EXPECTED_STDOUT -- ARGS...: the launcher's stdout exactly, stderr empty.
run() {
  local name=$1 want_status=$2 want_out=$3
  shift 4
  local out err status
  out=$("$t/bin/softkey" "$@" 2> "$t/err" < /dev/null)
  status=$?
  err=$(cat "$t/err")
  if [ "$status" = "$want_status" ] && [ "$out" = "$want_out" ] && [ -z "$err" ]; then
    echo "PASS $name"
    passed=$((passed + 1))
  else
    echo "FAIL $name: status $status (want $want_status), stdout '$out' (want '$want_out'), stderr '$err'"
    failed=$((failed + 1))
  fi
}

check() {
  local name=$1
  shift
  if "$@"; then
    echo "PASS $name"
    passed=$((passed + 1))
  else
    echo "FAIL $name"
    failed=$((failed + 1))
  fi
}

archives() { ls "$1"/softkey-*.jsa 2> /dev/null | wc -l; }

build_jar v1 || { echo "FAIL cannot build the test jar"; exit 1; }
target=$t/cli/target

run "first run: the command's output, status 0" 0 "v1 args=[webauthn, get] flags=short" -- webauthn get
check "first run: an archive for webauthn get beside the jar" test "$(ls "$target"/softkey-webauthn-get-*.jsa 2> /dev/null | wc -l)" = 1
check "first run: no temporary file left" test -z "$(ls -A "$target" | grep '\.tmp$')"
# -Xshare:on (last, so it wins over the launcher's auto) fails unless the archive maps.
SOFTKEY_JAVA_OPTS=-Xshare:on run "second run: the archive is used (-Xshare:on)" 0 "v1 args=[webauthn, get] flags=short" -- webauthn get
run "global options before the command" 0 "v1 args=[--store, memory, webauthn, get] flags=short" -- --store memory webauthn get

run "dump run: the exit status comes through" 3 "v1 args=[fail, 3] flags=short" -- fail 3
check "dump run: no archive kept after a failed run" test "$(ls "$target"/softkey-fail-*.jsa 2> /dev/null | wc -l)" = 0

run "long-running serve: default flags" 0 "v1 args=[serve, --port, 1] flags=default" -- serve --port 1
run "long-running hybrid scan: default flags" 0 "v1 args=[hybrid, scan] flags=default" -- hybrid scan
run "long-running mds serve: default flags" 0 "v1 args=[--seed, 1, mds, serve] flags=default" -- --seed 1 mds serve
check "long-running commands make no archive" test "$(ls "$target"/softkey-{serve,hybrid-scan,mds-serve}-*.jsa 2> /dev/null | wc -l)" = 0
SOFTKEY_CDS=off run "SOFTKEY_CDS=off: plain java -jar" 0 "v1 args=[info, ] flags=default" -- info ""

# The jar changes (another size and mtime): a new archive, the old ones go.
old=$(ls "$target"/softkey-webauthn-get-*.jsa)
sleep 1
build_jar v2-longer-output || { echo "FAIL cannot rebuild the test jar"; exit 1; }
run "changed jar: the new jar runs" 0 "v2-longer-output args=[webauthn, get] flags=short" -- webauthn get
check "changed jar: a new archive" test "$(ls "$target"/softkey-webauthn-get-*.jsa 2> /dev/null | grep -vc "$old")" = 1
check "changed jar: the old archive is removed" test ! -e "$old"
SOFTKEY_JAVA_OPTS=-Xshare:on run "changed jar: the new archive is used" 0 "v2-longer-output args=[webauthn, get] flags=short" -- webauthn get

# A corrupt archive: the JVM runs without it, silently.
for a in "$target"/softkey-*.jsa; do chmod u+w "$a"; head -c 4096 /dev/urandom > "$a"; done
run "corrupt archive: output and status unchanged" 0 "v2-longer-output args=[webauthn, get] flags=short" -- webauthn get
for a in "$target"/softkey-*.jsa; do : > "$a"; done
run "empty archive: output and status unchanged" 0 "v2-longer-output args=[webauthn, get] flags=short" -- webauthn get

# Archive directories that cannot take the archive.
mkdir -p "$t/ro"
chmod 555 "$t/ro"
SOFTKEY_CDS_DIR=$t/ro run "read-only archive directory" 0 "v2-longer-output args=[webauthn, create] flags=short" -- webauthn create
if [ -w "$t/ro" ]; then
  echo "SKIP read-only archive directory: nothing written (root writes through mode 555)"
else
  check "read-only archive directory: nothing written" test -z "$(ls -A "$t/ro")"
fi
: > "$t/a-file"
SOFTKEY_CDS_DIR=$t/a-file/sub run "archive directory that cannot be created" 0 "v2-longer-output args=[webauthn, create] flags=short" -- webauthn create
if [ -d /proc/self ] && ! (: > /proc/self/softkey-probe) 2> /dev/null; then
  # Passes -w for root, refuses files: the JVM would fail at exit if it tried to dump there.
  SOFTKEY_CDS_DIR=/proc/self run "directory that refuses files (status 0, no JVM error)" 0 "v2-longer-output args=[webauthn, create] flags=short" -- webauthn create
fi
chmod 555 "$target"
run "read-only jar directory, no archive yet" 0 "v2-longer-output args=[pin, set] flags=short" -- pin set
chmod 755 "$target"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
