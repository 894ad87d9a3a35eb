# Sourced by the scripts in this folder: the repository root, the Swift toolchain and the test venv.
# shellcheck shell=bash

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

# The toolchain lives at /opt/swift on these machines, and a non-login shell may not have it on PATH.
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi

VENV_DIR="$REPO_ROOT/.venv"
export MESH_TEST_PYTHON="$VENV_DIR/bin/python"
export MESH_BINARY="$REPO_ROOT/.build/debug/mesh"
