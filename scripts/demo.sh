#!/usr/bin/env bash
# Install claimlint into the CURRENT Python environment and lint the example
# pages in examples/. They contain problems on purpose, so findings (exit 1)
# are the expected result: this script exits 0 after printing the report, and
# fails only when claimlint itself fails (exit 2: bad input, config or rules).
# Extra arguments go to `claimlint check`, e.g. `bash scripts/demo.sh --format json`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-$(command -v python || command -v python3)}"
export PIP_DISABLE_PIP_VERSION_CHECK=1

"$PYTHON" -m pip install --quiet -e .

status=0
"$PYTHON" -m claimlint check examples/ "$@" || status=$?
case "$status" in
  0|1) exit 0 ;;
  *) echo "demo: claimlint exited with $status" >&2; exit "$status" ;;
esac
