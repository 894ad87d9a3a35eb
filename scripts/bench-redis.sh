#!/usr/bin/env bash
# Compares `mesh bench redis` (our NIO client over hiredis's RESP codec) with `redis-benchmark` against the same
# redis-server, over plain TCP with ACL and over TLS with ACL: pipelined SET, GET and XADD, the same connections,
# pipeline depth and request count for both tools, redis-server pinned to one core and the clients to another.
# The tools take turns test by test (which one goes first alternates per repeat), REPEATS times; the table shows
# the ratio of the medians and the median of the paired per-repeat ratios.
#
# Usage: scripts/bench-redis.sh
# Environment:
#   CONNECTIONS (50)  PIPELINE (16)  REQUESTS per test (1000000)  KEYSPACE (100000)  REPEATS (3)
#   SERVER_CORE (0)  CLIENT_CORE (1)  TRANSPORTS ("plain tls")
# Raw outputs land in .run/bench-redis/; the servers, certificates and passwords live in a temporary
# directory that is removed at exit.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

CONNECTIONS="${CONNECTIONS:-50}"
PIPELINE="${PIPELINE:-16}"
REQUESTS="${REQUESTS:-1000000}"
KEYSPACE="${KEYSPACE:-100000}"
REPEATS="${REPEATS:-3}"
SERVER_CORE="${SERVER_CORE:-0}"
CLIENT_CORE="${CLIENT_CORE:-1}"
TRANSPORTS="${TRANSPORTS:-plain tls}"
results="$REPO_ROOT/.run/bench-redis"

log() { printf '==> %s\n' "$*"; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

scripts/setup.sh --no-build
log "swift build -c release --product mesh"
swift build -c release --product mesh
mesh="$(swift build -c release --show-bin-path)/mesh"

rm -rf "$results"
mkdir -p "$results"
work="$(mktemp -d /tmp/mesh-bench-redis.XXXXXX)"

# Only the servers this script started are stopped, by pid.
server_pids=()
cleanup() {
    for pid in "${server_pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

# --- certificates: a CA and a server certificate for localhost and 127.0.0.1 (EC P-256), as the tests make them.
tls="$work/tls"
mkdir -p "$tls"
make_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
make_key "$tls/ca.key"
cat >"$tls/ca.cnf" <<'EOF'
[req]
distinguished_name = dn
prompt = no
x509_extensions = ca
[dn]
CN = Mesh Bench CA
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
EOF
openssl req -x509 -new -key "$tls/ca.key" -sha256 -days 2 -config "$tls/ca.cnf" -out "$tls/ca.crt" 2>/dev/null
make_key "$tls/server.key"
cat >"$tls/server.ext" <<'EOF'
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
openssl req -new -key "$tls/server.key" -subj /CN=localhost -out "$tls/server.csr" 2>/dev/null
openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" \
    -set_serial "0x$(openssl rand -hex 8)" -days 2 -sha256 -extfile "$tls/server.ext" -out "$tls/server.crt" 2>/dev/null

# --- servers: plain + ACL and TLS + ACL, each in its own directory and on its own free port.
user=mesh
password="$(openssl rand -hex 16)"
declare -A port

# start_redis NAME: writes NAME's config, starts it pinned to SERVER_CORE and waits for PING.
start_redis() {
    local name="$1" dir="$work/$1"
    mkdir -p "$dir"
    port[$name]="$(free_port)"
    {
        echo "bind 127.0.0.1"
        echo "daemonize no"
        echo "dir $dir"
        echo "pidfile $dir/redis.pid"
        echo "logfile $dir/redis.log"
        echo 'save ""'
        echo "appendonly no"
        echo "requirepass $password"
        echo "user $user on >$password ~* &* +@all"
        if [ "$name" = tls ]; then
            echo "port 0"
            echo "tls-port ${port[$name]}"
            echo "tls-cert-file $tls/server.crt"
            echo "tls-key-file $tls/server.key"
            echo "tls-ca-cert-file $tls/ca.crt"
            echo "tls-auth-clients no"
        else
            echo "port ${port[$name]}"
        fi
    } >"$dir/redis.conf"
    taskset -c "$SERVER_CORE" redis-server "$dir/redis.conf" &
    server_pids+=($!)
    local pid=$!
    for _ in $(seq 1 200); do
        if [ "$(cli "$name" PING 2>/dev/null)" = PONG ]; then
            log "redis-server $name on 127.0.0.1:${port[$name]} (pid $pid, core $SERVER_CORE)"
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "bench-redis.sh: redis-server $name exited; its log:" >&2
            tail -n 20 "$dir/redis.log" >&2
            return 1
        fi
        sleep 0.05
    done
    echo "bench-redis.sh: redis-server $name did not answer PING" >&2
    return 1
}

# Connection options of redis-cli and redis-benchmark for a transport.
tool_args() {
    local name="$1"
    local args=(-h 127.0.0.1 -p "${port[$name]}" --user "$user" -a "$password")
    [ "$name" = tls ] && args+=(--tls --cacert "$tls/ca.crt")
    printf '%s\n' "${args[@]}"
}
cli() {
    local name="$1"
    shift
    mapfile -t args < <(tool_args "$name")
    redis-cli "${args[@]}" --no-auth-warning "$@"
}

# run_redis_benchmark TRANSPORT TEST OUT: one redis-benchmark run of TEST (set, get or xadd) as CSV.
run_redis_benchmark() {
    local name="$1" test="$2" out="$3"
    mapfile -t args < <(tool_args "$name")
    local common=(-c "$CONNECTIONS" -P "$PIPELINE" -n "$REQUESTS" --csv)
    if [ "$test" = xadd ]; then
        taskset -c "$CLIENT_CORE" redis-benchmark "${args[@]}" "${common[@]}" xadd bench:stream '*' field value \
            2>/dev/null >"$out"
    else
        # -r: random keys over the same keyspace as ours (key:000000012345 against bench:key:12345).
        taskset -c "$CLIENT_CORE" redis-benchmark "${args[@]}" "${common[@]}" -r "$KEYSPACE" -t "$test" \
            2>/dev/null >"$out"
    fi
}

# run_mesh TRANSPORT TEST OUT: one `mesh bench redis` run of TEST as JSON.
run_mesh() {
    local name="$1" test="$2" out="$3" url
    if [ "$name" = tls ]; then url="rediss://$user:$password@127.0.0.1:${port[$name]}"; else url="redis://$user:$password@127.0.0.1:${port[$name]}"; fi
    local extra=()
    [ "$name" = tls ] && extra+=(--ca "$tls/ca.crt")
    taskset -c "$CLIENT_CORE" "$mesh" bench redis --url "$url" "${extra[@]}" --connections "$CONNECTIONS" \
        --pipeline "$PIPELINE" --requests "$REQUESTS" --warmup 0 --keyspace "$KEYSPACE" --tests "$test" \
        --json >"$out"
}

for name in $TRANSPORTS; do start_redis "$name"; done

log "$REPEATS repeats: -c $CONNECTIONS -P $PIPELINE -n $REQUESTS, keyspace $KEYSPACE, clients on core $CLIENT_CORE"
for repeat in $(seq 1 "$REPEATS"); do
    for name in $TRANSPORTS; do
        log "repeat $repeat, $name"
        cli "$name" FLUSHALL >/dev/null
        # The tools take turns test by test, so each pair of figures comes from the same few seconds, and
        # which one goes first alternates, so that drift on a shared machine favours neither.
        # SET runs first and fills the keyspace (both tools' keys) that GET then reads.
        for test in set get xadd; do
            if [ $((repeat % 2)) -eq 1 ]; then order="redis-benchmark mesh"; else order="mesh redis-benchmark"; fi
            for tool in $order; do
                if [ "$tool" = mesh ]; then
                    run_mesh "$name" "$test" "$results/mesh-$name-$test-$repeat.json"
                else
                    run_redis_benchmark "$name" "$test" "$results/redis-benchmark-$name-$test-$repeat.csv"
                fi
                if [ "$test" = xadd ]; then cli "$name" DEL bench:stream >/dev/null; fi
            done
        done
    done
done

python3 - "$results" "$REPEATS" "$TRANSPORTS" "$CONNECTIONS" "$PIPELINE" "$REQUESTS" <<'PY'
import csv, json, os, statistics, sys
results, repeats, transports = sys.argv[1], int(sys.argv[2]), sys.argv[3].split()
connections, pipeline, requests = sys.argv[4:7]
tests = ["set", "get", "xadd"]

def reference(name, test, repeat):
    with open(os.path.join(results, f"redis-benchmark-{name}-{test}-{repeat}.csv")) as f:
        rows = [row for row in csv.reader(f) if row and row[0] != "test"]
    return float(rows[-1][1])

def ours(name, test, repeat):
    result = json.load(open(os.path.join(results, f"mesh-{name}-{test}-{repeat}.json")))["results"][0]
    if result["errors"]:
        print(f"warning: mesh {name} {test} repeat {repeat}: {result['errors']} error replies "
              f"({result.get('firstError')})", file=sys.stderr)
    return result["opsPerSecond"], result["latency"]

print(f"\n== redis ops/s, medians of {repeats}: -c {connections} -P {pipeline} -n {requests}, "
      f"redis-server and clients pinned to separate cores ==")
print(f"{'transport':9} {'test':5} {'redis-benchmark':>15} {'mesh':>9} {'ratio':>6} {'paired':>7}  "
      f"{'ratios per repeat':<30} {'mesh pipeline p50/p99 ms':>24}")
failed, summary = [], []
for name in transports:
    for test in tests:
        refs = [reference(name, test, r) for r in range(1, repeats + 1)]
        mine = [ours(name, test, r) for r in range(1, repeats + 1)]
        ref = statistics.median(refs)
        our = statistics.median(m[0] for m in mine)
        ratio = our / ref if ref else 0
        pairs = [m[0] / r for r, m in zip(refs, mine)]
        paired = statistics.median(pairs)
        p50 = statistics.median(m[1]["p50"] for m in mine)
        p99 = statistics.median(m[1]["p99"] for m in mine)
        print(f"{name:9} {test.upper():5} {ref:15.0f} {our:9.0f} {ratio:6.2f} {paired:7.2f}  "
              f"{' '.join(f'{p:.2f}' for p in pairs):<30} {p50:12.3f} / {p99:.3f}")
        summary.append({"transport": name, "test": test, "redisBenchmark": ref, "mesh": our,
                        "ratio": ratio, "pairedRatio": paired, "pairs": pairs})
        if min(ratio, paired) < 0.7:
            failed.append(f"{name} {test}")
json.dump(summary, open(os.path.join(results, "summary.json"), "w"), indent=2)
print("ratio: median mesh / median redis-benchmark; paired: median of the per-repeat ratios")
print("target >= 0.70x redis-benchmark: " + ("met" if not failed else "NOT met for " + ", ".join(failed)))
PY
