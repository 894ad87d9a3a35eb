#!/usr/bin/env bash
# Sets up, builds and runs the A2A conformance agent in the foreground (Ctrl-C stops it).
# PORT overrides the port (default 9999); extra arguments go to `mesh conformance`.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

scripts/setup.sh

port="${PORT:-9999}"
echo "==> mesh conformance on http://127.0.0.1:$port (card: /.well-known/agent-card.json)"
# exec, so that signals reach the agent itself and it shuts down gracefully.
exec "$MESH_BINARY" conformance --port "$port" "$@"
