#!/bin/bash
# End-to-end re-ranking check on MovieLens ml-latest-small: import it, export a two-tower
# TorchScript model from a truncated SVD of the train matrix (make_movielens_model.py), run
# `reclens-cli evaluate --lists` for none/mmr/dpp at several diversities and both similarities, and
# compare every user's list with an independent reimplementation of DESIGN §6 (reference_rerank.py).
#   check_movielens.sh RECLENS_CLI [WORK_DIR]
# WORK_DIR keeps the dataset, model and lists (default: a temporary folder, removed afterwards).
# The datasets folder is $RECLENS_SHARED_DATASETS, else ../shared/datasets beside the repository.
# Exit 0 when every run agrees, 1 when one does not, 77 (skipped) without the dataset or without
# python3 with numpy and torch.
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 RECLENS_CLI [WORK_DIR]" >&2
  exit 2
fi
cli=$1
here=$(cd "$(dirname "$0")" && pwd)
datasets=${RECLENS_SHARED_DATASETS:-$here/../../../../shared/datasets}
ml=$datasets/ml-latest-small
if [ ! -f "$ml/ratings.csv" ] || [ ! -f "$ml/movies.csv" ]; then
  echo "MovieLens ml-latest-small not found under $datasets: skipped"
  exit 77
fi
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3 || true)
if [ -z "$py" ] || ! "$py" -c 'import numpy, torch' 2>/dev/null; then
  echo "python3 with numpy and torch not found: skipped"
  exit 77
fi
if [ $# -eq 2 ]; then
  work=$2
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi

data=$work/ml.sqlite
model=$work/svd16.pt
rm -f "$data"
"$cli" import movielens "$ml" --out "$data" >"$work/import.log"
"$py" "$here/make_movielens_model.py" "$data" "$model"

# rerank similarity diversity
runs=(
  "none - 0"
  "mmr embedding 0.3"
  "mmr embedding 0.5"
  "mmr embedding 0.9"
  "mmr category 0.5"
  "dpp embedding 0.3"
  "dpp embedding 0.7"
  "dpp category 0.5"
)
failed=0
summary=()
for spec in "${runs[@]}"; do
  read -r method sim delta <<<"$spec"
  flags=(--rerank "$method" --diversity "$delta")
  [ "$sim" = "-" ] || flags+=(--similarity "$sim")
  name=$method${sim/#-/}$delta
  name=${name//./}
  lists=$work/lists_$name.csv
  echo "== $method ${sim/#-/} δ=$delta"
  start=$(date +%s.%N)
  if ! "$cli" evaluate --data "$data" --model "$model" --k 10 --pool 100 --no-auc "${flags[@]}" \
      --json "$work/eval_$name.json" --lists "$lists" >"$work/eval_$name.log" 2>&1; then
    cat "$work/eval_$name.log"
    echo "evaluate failed"
    failed=1
    summary+=("$spec: evaluate failed")
    continue
  fi
  mid=$(date +%s.%N)
  set +e
  "$py" "$here/reference_rerank.py" "$data" "$model" "$lists" --k 10 --pool 100 "${flags[@]}" | tee "$work/ref_$name.log"
  rc=${PIPESTATUS[0]}
  set -e
  end=$(date +%s.%N)
  [ "$rc" -eq 0 ] || failed=1
  times=$(awk -v a="$start" -v b="$mid" -v c="$end" 'BEGIN { printf "evaluate %.1f s, reference %.1f s", b - a, c - b }')
  summary+=("$(tail -n 1 "$work/ref_$name.log") [$times]")
done
echo
echo "== summary"
printf '%s\n' "${summary[@]}"
if [ "$failed" -ne 0 ]; then
  echo "FAILED: at least one run disagrees with the reference"
  exit 1
fi
echo "all runs agree"
