#!/usr/bin/env bash
# Sets up (apt, pip, swift build) and runs the whole mesh in the foreground with `mesh up` (Ctrl-C stops it):
# a local Redis with TLS + ACL + AOF, the llm-gateway, workers a-d and the master, as mesh.yaml describes.
# Extra arguments go to `mesh up` (e.g. --config other.yaml, --state-dir DIR).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

scripts/setup.sh

# mesh.yaml discovers agents over mDNS by default: avahi-daemon, restricted to the loopback interface.
config="mesh.yaml"
for ((i = 1; i <= $#; i++)); do
    if [ "${!i}" = "--config" ]; then next=$((i + 1)); config="${!next}"; fi
done
if "$MESH_BINARY" config check --config "$config" | grep -Eq '^discovery:.*mdns'; then
    scripts/avahi.sh
fi

# exec, so that Ctrl-C and SIGTERM reach `mesh up`, which stops the agents in order.
exec "$MESH_BINARY" up "$@"
