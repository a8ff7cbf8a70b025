#!/bin/sh
# End-to-end check: reclens-cli evaluate on a dataset + model, then an independent recomputation of
# every metric from --lists/--per-user and the SQLite file (recompute.py). Exit 77 = skipped.
#   evaluate_e2e.sh RECLENS_CLI DATASET MODEL [extra evaluate flags...]
set -eu
cli=$1; data=$2; model=$3; shift 3
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3 || true)
if [ -z "$py" ] || ! "$py" -c 'import numpy, scipy' 2>/dev/null; then
  echo "python3 with numpy and scipy not found: skipped"; exit 77
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$cli" evaluate --data "$data" --model "$model" --json "$out/e.json" --lists "$out/l.csv" --per-user "$out/p.csv" "$@"
"$py" "$(dirname "$0")/recompute.py" "$data" "$out/e.json" "$out/l.csv" "$out/p.csv"
