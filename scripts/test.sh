#!/usr/bin/env bash
# Sets up and runs every test: the Swift suites (`swift test`), then the Python interop suite in which the
# reference a2a-sdk client drives `mesh conformance` as a separate process.
# Both runners always run; the script exits non-zero if either one failed.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

scripts/setup.sh --no-build
# mDNS tests need avahi-daemon, restricted to the loopback interface (the script refuses anything else).
scripts/avahi.sh

out="$REPO_ROOT/.run/test"
rm -rf "$out"
mkdir -p "$out"

# Test fixtures (redis-server instances, logs) live under this run's own temporary directory; if a test
# process dies before its fixtures stop their servers, the trap below stops them by their pidfiles.
export TMPDIR="$out/tmp"
mkdir -p "$TMPDIR"
stop_leftover_servers() {
    for pidfile in "$TMPDIR"/mesh-redis-*/redis.pid; do
        [ -f "$pidfile" ] || continue
        pid="$(cat "$pidfile" 2>/dev/null || true)"
        [ -n "$pid" ] && kill "$pid" 2>/dev/null && echo "test.sh: stopped a leftover redis-server (pid $pid)"
    done
    return 0
}
trap stop_leftover_servers EXIT

echo "==> swift build --build-tests"
swift build --build-tests

# The Swift interop tests start Python agents and the mesh binary through these (exported by env.sh).
echo "==> swift test  (MESH_TEST_PYTHON=$MESH_TEST_PYTHON MESH_BINARY=$MESH_BINARY)"
swift_rc=0
# A hung test fails the run after 30 minutes instead of using up CI's whole budget.
timeout --kill-after=30 1800 swift test --skip-build --xunit-output "$out/swift.xml" || swift_rc=$?

echo "==> pytest Tests/interop  (a2a-sdk client -> $MESH_BINARY conformance)"
pytest_rc=0
"$MESH_TEST_PYTHON" -m pytest Tests/interop --junitxml="$out/pytest.xml" || pytest_rc=$?

# One closing line over both runners, counted from their JUnit reports. A runner that failed without
# reporting a failed test (a crash, a build error, no tests collected) counts as one failure.
"$MESH_TEST_PYTHON" - "$out" "$swift_rc" "$pytest_rc" <<'PY'
import glob, sys
import xml.etree.ElementTree as ET

out, swift_rc, pytest_rc = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

def count(pattern):
    total = failed = skipped = 0
    for path in glob.glob(pattern):
        for case in ET.parse(path).getroot().iter("testcase"):
            total += 1
            if case.find("failure") is not None or case.find("error") is not None:
                failed += 1
            elif case.find("skipped") is not None:
                skipped += 1
    return total - failed - skipped, failed, skipped

passed = failed = skipped = 0
for pattern, rc, name in ((f"{out}/swift*.xml", swift_rc, "swift test"), (f"{out}/pytest.xml", pytest_rc, "pytest")):
    p, f, s = count(pattern)
    if rc != 0 and f == 0:
        print(f"{name} exited with status {rc} without a failed test in its report; counting it as one failure")
        f = 1
    passed, failed, skipped = passed + p, failed + f, skipped + s
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
PY

# The summary line above stays the last line printed; the exit status carries the verdict.
if [ "$swift_rc" -ne 0 ] || [ "$pytest_rc" -ne 0 ]; then
    exit 1
fi
