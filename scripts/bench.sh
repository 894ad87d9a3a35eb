#!/usr/bin/env bash
# Compares SendMessage throughput and latency of our conformance agent with the a2a-sdk (Python) echo agent,
# each server pinned to one core and `mesh bench a2a` pinned to another, all on loopback. Then checks that
# RSS_REQUESTS SendMessage calls to a fresh agent grow its RSS by less than 20 MB.
#
# Usage: scripts/bench.sh
# Environment:
#   CONNECTIONS (32)  DURATION seconds (10)  WARMUP seconds (2)  RSS_REQUESTS (100000)
#   SERVER_CORE (0)  CLIENT_CORE (1)  SDK_PORT, MESH_PORT (free ports)
#   SKIP_SDK=1        skip the reference agent (reuse nothing; just no SDK figures)
# Reports and server logs land in .run/bench/.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

CONNECTIONS="${CONNECTIONS:-32}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-2}"
RSS_REQUESTS="${RSS_REQUESTS:-100000}"
SERVER_CORE="${SERVER_CORE:-0}"
CLIENT_CORE="${CLIENT_CORE:-1}"
work="$REPO_ROOT/.run/bench"
mkdir -p "$work"

log() { printf '==> %s\n' "$*"; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
SDK_PORT="${SDK_PORT:-$(free_port)}"
MESH_PORT="${MESH_PORT:-$(free_port)}"

scripts/setup.sh --no-build
log "swift build -c release --product mesh"
swift build -c release --product mesh
mesh="$(swift build -c release --show-bin-path)/mesh"

# Only the servers this script started are stopped, by pid.
server_pid=""
stop_server() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        server_pid=""
    fi
}
trap stop_server EXIT

# start_server NAME PORT COMMAND...: starts COMMAND pinned to SERVER_CORE and waits for its agent card.
start_server() {
    local name="$1" port="$2"
    shift 2
    taskset -c "$SERVER_CORE" "$@" >"$work/$name.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 300); do
        if curl -fsS -o /dev/null "http://127.0.0.1:$port/.well-known/agent-card.json" 2>/dev/null; then
            return 0
        fi
        if ! kill -0 "$server_pid" 2>/dev/null; then
            wait "$server_pid" 2>/dev/null || true
            server_pid=""
            echo "bench.sh: $name exited before serving; its log ($work/$name.log):" >&2
            tail -n 20 "$work/$name.log" >&2
            return 1
        fi
        sleep 0.1
    done
    echo "bench.sh: $name did not serve its agent card on port $port within 30 s" >&2
    return 1
}

# bench NAME PORT [ARGS...]: runs the generator pinned to CLIENT_CORE against the running server.
bench() {
    local name="$1" port="$2"
    shift 2
    log "mesh bench a2a against $name (server on core $SERVER_CORE, generator on core $CLIENT_CORE)"
    taskset -c "$CLIENT_CORE" "$mesh" bench a2a --url "http://127.0.0.1:$port/" --connections "$CONNECTIONS" \
        --pid "$server_pid" --json "$@" >"$work/$name.json"
    python3 - "$work/$name.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
l = r["latency"]
print(f"    {r['requests']} requests in {r['seconds']:.2f} s, {r['throughput']:.1f} req/s, "
      f"errors {r['httpErrors']} non-2xx / {r['rpcErrors']} JSON-RPC / {r['socketErrors']} socket")
print(f"    latency ms p50 {l['p50']:.3f}  p90 {l['p90']:.3f}  p99 {l['p99']:.3f}  max {l['max']:.3f}")
m = r.get("serverMemory") or {}
if m.get("before") is not None and m.get("after") is not None:
    print(f"    server RSS {m['before'] / 2**20:.1f} MiB -> {m['after'] / 2**20:.1f} MiB "
          f"({(m['after'] - m['before']) / 2**20:+.1f} MiB)")
PY
}

if [ "${SKIP_SDK:-0}" != 1 ]; then
    start_server sdk-echo "$SDK_PORT" "$MESH_TEST_PYTHON" bench/sdk_echo_agent.py "$SDK_PORT"
    bench sdk-echo "$SDK_PORT" --duration "$DURATION" --warmup "$WARMUP"
    stop_server
fi

start_server mesh-conformance "$MESH_PORT" "$mesh" conformance --port "$MESH_PORT"
bench mesh-conformance "$MESH_PORT" --duration "$DURATION" --warmup "$WARMUP"
stop_server

# A fresh agent, no warm-up: RSS before the first call against RSS after the last.
start_server mesh-conformance-rss "$MESH_PORT" "$mesh" conformance --port "$MESH_PORT"
bench mesh-conformance-rss "$MESH_PORT" --requests "$RSS_REQUESTS" --warmup 0
stop_server

python3 - "$work" "$RSS_REQUESTS" <<'PY'
import json, os, sys
work, rss_requests = sys.argv[1], int(sys.argv[2])
def load(name):
    path = os.path.join(work, name + ".json")
    return json.load(open(path)) if os.path.exists(path) and os.path.getsize(path) else None
sdk, ours, rss = load("sdk-echo"), load("mesh-conformance"), load("mesh-conformance-rss")
print("\n== SendMessage, JSON-RPC, 1 server core ==")
for name, r in (("a2a-sdk echo", sdk), ("mesh conformance", ours)):
    if r:
        print(f"{name:18} {r['throughput']:10.1f} req/s   p50 {r['latency']['p50']:8.3f} ms   "
              f"p99 {r['latency']['p99']:8.3f} ms   errors {r['httpErrors'] + r['rpcErrors'] + r['socketErrors']}")
if sdk and ours and sdk["throughput"] > 0:
    ratio = ours["throughput"] / sdk["throughput"]
    print(f"throughput ratio   {ratio:.1f}x   (target >= 25x: {'met' if ratio >= 25 else 'NOT met'})")
if ours:
    print(f"our p99            {ours['latency']['p99']:.3f} ms   "
          f"(target < 10 ms: {'met' if ours['latency']['p99'] < 10 else 'NOT met'})")
memory = (rss or {}).get("serverMemory") or {}
if memory.get("before") is not None and memory.get("after") is not None:
    growth = (memory["after"] - memory["before"]) / 1e6
    print(f"RSS growth         {growth:+.1f} MB over {rss['requests']} calls from a fresh agent   "
          f"(target < 20 MB: {'met' if growth < 20 and rss['requests'] >= rss_requests else 'NOT met'})")
PY
