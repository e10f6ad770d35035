#!/usr/bin/env bash
# Install claimlint with its test extras into the CURRENT Python environment
# (activate a virtualenv first) and run the test suite. Extra arguments go to
# pytest, e.g. `bash scripts/test.sh -k precommit -x`.
#
#   python3 -m venv .venv && . .venv/bin/activate && bash scripts/test.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-$(command -v python || command -v python3)}"
export PIP_DISABLE_PIP_VERSION_CHECK=1

"$PYTHON" -m pip install --quiet -e ".[test]"
exec "$PYTHON" -m pytest "$@"
