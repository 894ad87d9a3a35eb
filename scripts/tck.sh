#!/usr/bin/env bash
# Runs the official A2A conformance kit (TCK 1.0, github.com/a2aproject/a2a-tck, branch 1.0-dev) against
# `mesh conformance` on 127.0.0.1. Not part of CI: bring your own checkout of the TCK; nothing of it is committed.
#
# Usage: scripts/tck.sh TCK_DIR [PYTEST_ARGS...]     (or TCK_DIR=... scripts/tck.sh)
# Environment:
#   TCK_TRANSPORT          transports to test (default jsonrpc,http_json; the agent has no gRPC binding)
#   TCK_LEVEL              must | should | may (default: all levels)
#   TCK_STREAMING_TIMEOUT  seconds (default 2.0); the agent gets the same value
#   TCK_PORT               port for the agent (default: a free one)
#   TCK_MESH_BINARY        agent binary to test instead of .build/debug/mesh (skips the build)
# The TCK's reports land in TCK_DIR/reports; a list of failures is printed at the end.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

if [ "$#" -gt 0 ] && [ -d "$1" ]; then
    TCK_DIR="$1"
    shift
fi
TCK_DIR="${TCK_DIR:-}"
if [ -z "$TCK_DIR" ] || [ ! -f "$TCK_DIR/run_tck.py" ]; then
    echo "usage: scripts/tck.sh TCK_DIR [PYTEST_ARGS...]" >&2
    echo "  TCK_DIR is a checkout of a2aproject/a2a-tck, branch 1.0-dev (with run_tck.py at its top); got '${TCK_DIR}'" >&2
    exit 2
fi
TCK_DIR="$(cd "$TCK_DIR" && pwd)"

transport="${TCK_TRANSPORT:-jsonrpc,http_json}"
export TCK_STREAMING_TIMEOUT="${TCK_STREAMING_TIMEOUT:-2.0}"

if [ -n "${TCK_MESH_BINARY:-}" ]; then
    binary="$TCK_MESH_BINARY"
else
    scripts/setup.sh
    binary="$MESH_BINARY"
fi

work="$REPO_ROOT/.run/tck"
mkdir -p "$work/plugin"

# The TCK lives in its own venv: it pins other versions of pytest and protobuf than the interop suite.
tck_venv="$work/venv"
if ! "$tck_venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
    echo "==> creating $tck_venv"
    python3 -m venv "$tck_venv"
fi
stamp="$tck_venv/.tck-pyproject.sha256"
want="$(sha256sum "$TCK_DIR/pyproject.toml" | cut -d' ' -f1) $TCK_DIR"
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
    echo "==> pip install -e $TCK_DIR"
    "$tck_venv/bin/python" -m pip install --quiet --disable-pip-version-check -e "$TCK_DIR"
    echo "$want" > "$stamp"
fi

# The TCK's webhook receiver listens on 0.0.0.0; this plugin keeps it on loopback like everything else here.
cat > "$work/plugin/tck_loopback.py" <<'PY'
from tck.webhook import server

_start = server.WebhookReceiver.start


def _start_on_loopback(self):
    self.host = "127.0.0.1"
    return _start(self)


server.WebhookReceiver.start = _start_on_loopback
PY

if [ -n "${TCK_PORT:-}" ]; then
    port="$TCK_PORT"
else
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
fi
base="http://127.0.0.1:$port"

log="$work/agent.log"
echo "==> $binary conformance --port $port  (log: $log)"
# The TCK's webhook receiver is on loopback, which the webhook guard refuses unless allowed.
MESH_WEBHOOK_ALLOW_PRIVATE=1 "$binary" conformance --port "$port" >"$log" 2>&1 &
agent_pid=$!
# Stop the agent we started, and only it, however the script ends.
trap 'kill "$agent_pid" 2>/dev/null || true; wait "$agent_pid" 2>/dev/null || true' EXIT

for _ in $(seq 1 300); do
    if curl -fsS -o /dev/null "$base/.well-known/agent-card.json"; then
        break
    fi
    if ! kill -0 "$agent_pid" 2>/dev/null; then
        echo "mesh conformance exited before serving its card:" >&2
        tail -n 50 "$log" >&2
        exit 1
    fi
    sleep 0.1
done
curl -fsS -o /dev/null "$base/.well-known/agent-card.json" || { echo "no agent card at $base after 30 s" >&2; exit 1; }

level_args=()
if [ -n "${TCK_LEVEL:-}" ]; then
    level_args=(--level "$TCK_LEVEL")
fi

echo "==> TCK ($TCK_DIR) against $base, transports $transport, TCK_STREAMING_TIMEOUT=$TCK_STREAMING_TIMEOUT"
tck_rc=0
(
    cd "$TCK_DIR"
    PYTHONPATH="$work/plugin${PYTHONPATH:+:$PYTHONPATH}" "$tck_venv/bin/python" run_tck.py \
        --sut-host "$base" --transport "$transport" "${level_args[@]}" -v \
        -- -p tck_loopback --webhook-host 127.0.0.1 -rfE "$@"
) || tck_rc=$?

# The failures, one line each with the first line of the assertion, from the TCK's JUnit report.
junit="$TCK_DIR/reports/junitreport.xml"
if [ -f "$junit" ]; then
    python3 - "$junit" <<'PY'
import sys
import xml.etree.ElementTree as ET

cases = list(ET.parse(sys.argv[1]).getroot().iter("testcase"))
failed = []
for case in cases:
    for tag in ("failure", "error"):
        node = case.find(tag)
        if node is not None:
            text = (node.get("message") or node.text or "").strip().splitlines()
            failed.append(f"{case.get('classname')}::{case.get('name')}: {text[0] if text else tag}")
skipped = sum(1 for c in cases if c.find("skipped") is not None)
print()
print(f"TCK: {len(cases) - len(failed) - skipped} passed, {len(failed)} failed, {skipped} skipped or xfailed")
for line in failed:
    print(f"  FAILED {line[:400]}")
print(f"reports: {sys.argv[1].rsplit('/', 1)[0]}/compatibility.html")
PY
fi
exit "$tck_rc"
