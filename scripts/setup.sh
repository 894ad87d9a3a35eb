#!/usr/bin/env bash
# Installs what A2A Mesh needs on Debian 12 and builds it (debug).
# Idempotent: it only calls apt or pip when something is missing or requirements-dev.txt changed,
# so a second run costs about as much as an incremental `swift build`.
#
# Usage: scripts/setup.sh [--no-build]
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

build=1
for arg in "$@"; do
    case "$arg" in
        --no-build) build=0 ;;
        *) echo "setup.sh: unknown argument '$arg' (expected --no-build)" >&2; exit 2 ;;
    esac
done

# Debian packages the scripts and tests use. Later issues append to this list (redis-server, avahi-daemon, ...).
#   curl: readiness probes; util-linux: taskset to pin servers to a core in benchmarks;
#   wrk: HTTP load for benchmarks; procps: ps, to read a server's RSS in benchmarks;
#   pkg-config + libhiredis-dev: the CHiredis system library (RESP reader and formatter);
#   redis-server, redis-tools, openssl: the real Redis servers (ACL, TLS, mutual TLS) the tests start;
#   libavahi-client-dev, avahi-daemon, avahi-utils, dbus, iproute2: mDNS discovery on the loopback interface.
APT_PACKAGES=(curl util-linux wrk procps pkg-config openssl libhiredis-dev redis-server redis-tools
    libavahi-client-dev avahi-daemon avahi-utils dbus iproute2)

log() { printf '==> %s\n' "$*"; }

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    installed "$pkg" || missing+=("$pkg")
done
# The venv needs a python3 with venv and ensurepip; Debian splits those into separate packages.
if ! command -v python3 >/dev/null 2>&1; then
    missing+=(python3 python3-venv python3-pip)
elif ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    missing+=(python3-venv python3-pip)
fi

if [ "${#missing[@]}" -gt 0 ]; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || { echo "setup.sh: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
        SUDO="sudo"
    fi
    log "apt-get install ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "setup.sh: swift not found on PATH nor at /opt/swift/usr/bin; install Swift 6.3 first" >&2
    exit 1
fi

# A venv that a moved or upgraded python left broken is recreated rather than patched.
if ! "$VENV_DIR/bin/python" -c 'import sys' >/dev/null 2>&1; then
    log "creating $VENV_DIR"
    rm -rf "$VENV_DIR"
    python3 -m venv "$VENV_DIR"
fi

# The stamp records which requirements-dev.txt the venv was made from, so pip runs only when it changes.
stamp="$VENV_DIR/.requirements-dev.sha256"
want="$(sha256sum requirements-dev.txt | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
    log "pip install -r requirements-dev.txt"
    "$VENV_DIR/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
    echo "$want" > "$stamp"
fi

if [ "$build" -eq 1 ]; then
    log "swift build"
    swift build
fi
