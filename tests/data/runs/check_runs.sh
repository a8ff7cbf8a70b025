#!/bin/bash
# Precomputed runs end to end through reclens-cli (DESIGN §11). For each case a model is evaluated
# with `--lists … --lists-format trec` (and csv), the exported run is evaluated with `--run`, and
# the two must give the same metrics, strata and lists wherever a run defines them
# (compare_runs.py: auc/auc_pooled rank by place for a run; ild_embedding needs a model's
# embeddings, so it is compared when --model lends them). Cases on the bundled sample (BPR, BPR
# re-ranked by MMR, item-kNN from a CSV run) and on MovieLens ml-latest-small (BPR, K 20). Then
# malformed runs: each gives a non-zero exit, one stderr line naming the file (and line), and no
# output.
#   check_runs.sh RECLENS_CLI SAMPLE_DIR [WORK_DIR]
# The datasets folder is $RECLENS_SHARED_DATASETS, else ../shared/datasets beside the repository.
# Exit 0 when all agree, 1 otherwise, 77 (skipped) when neither dataset is there or python3 is
# missing.
set -euo pipefail
source "$(dirname "$0")/../e2e_setup.sh"

# round_trip NAME FORMAT --data D --model M [options]: the model's lists exported as a FORMAT run,
# evaluated back with --run (no re-ranking: the run holds the final lists), alone and with the
# model lending its embeddings.
round_trip() {
  local name=$1 format=$2
  shift 2
  local args=("$@") data="" model="" keep=()
  while [ $# -gt 0 ]; do
    case $1 in
      --data) data=$2; shift 2 ;;
      --model) model=$2; shift 2 ;;
      --rerank|--diversity|--similarity|--max-per-category|--max-per-brand) shift 2 ;;
      *) keep+=("$1"); shift ;;
    esac
  done
  "$cli" evaluate "${args[@]}" --json "$name-model.json" --lists "$name-export.$format" --lists-format "$format" >/dev/null
  "$cli" evaluate "${args[@]}" --lists "$name-model.csv" >/dev/null
  "$cli" evaluate --data "$data" --run "$name-export.$format" "${keep[@]}" --json "$name-run.json" \
    --lists "$name-run.csv" >/dev/null 2>"$name-run.err"
  "$cli" evaluate --data "$data" --run "$name-export.$format" --model "$model" "${keep[@]}" --json "$name-runm.json" \
    --lists "$name-runm.csv" >/dev/null 2>>"$name-run.err"
  local rows=$(($(wc -l <"$name-model.csv") - 1))
  if "$py" "$here/compare_runs.py" "$name-model.json" "$name-run.json" "$name-model.csv" "$name-run.csv" \
       --not auc auc_pooled ild_embedding >"$name-check.txt" \
     && "$py" "$here/compare_runs.py" "$name-model.json" "$name-runm.json" "$name-model.csv" "$name-runm.csv" \
       --not auc auc_pooled >>"$name-check.txt"; then
    ok "$name: --model and its exported $format run agree ($rows list rows)"
  else
    bad "$name"
    cat "$name-check.txt" "$name-run.err"
  fi
}

if [ $have_sample = 1 ]; then
  cj=$sample/completejourney.sqlite
  round_trip cj-bpr trec --data "$cj" --model "$sample/completejourney-bpr.pt"
  round_trip cj-bpr-mmr trec --data "$cj" --model "$sample/completejourney-bpr.pt" --rerank mmr --diversity 0.5
  round_trip cj-knn-csv csv --data "$cj" --model "$sample/completejourney-itemknn.pt" --k 5
  # A run in 3 shards, merged, equals the unsharded run (the pooled AUC counts add up).
  "$cli" evaluate --data "$cj" --run cj-bpr-mmr-export.trec --json shard-whole.json --lists shard-whole.csv >/dev/null 2>&1
  for i in 0 1 2; do
    "$cli" evaluate --data "$cj" --run cj-bpr-mmr-export.trec --shard "$i/3" --partial "run-$i.part" >/dev/null 2>&1
  done
  "$cli" merge run-2.part run-0.part run-1.part --json shard-merged.json --lists shard-merged.csv >/dev/null
  "$cli" evaluate --data "$cj" --run cj-bpr-mmr-export.trec --lists shard-whole.trec --lists-format trec >/dev/null 2>&1
  "$cli" merge run-1.part run-2.part run-0.part --lists shard-merged.trec --lists-format trec >/dev/null
  if "$py" "$here/../shards/compare_outputs.py" shard-whole.json shard-merged.json shard-whole.csv shard-merged.csv \
      >shard-check.txt && cmp -s <(sort shard-whole.trec) <(sort shard-merged.trec); then
    ok "a run's 3 shards merged = the unsharded run (JSON, CSV and TREC lists)"
  else
    bad "run shards"
    cat shard-check.txt
  fi
  # compare takes runs as sources, in command-line order: a model against its own exported run
  # differs only in the AUCs (and ild_embedding, which the run side lacks); its 2 shards merge to
  # the same comparison.
  "$cli" compare --data "$cj" --run cj-bpr-export.trec --model "$sample/completejourney-bpr.pt" --json cmp.json >/dev/null
  for i in 0 1; do
    "$cli" compare --data "$cj" --run cj-bpr-export.trec --model "$sample/completejourney-bpr.pt" --shard "$i/2" \
      --partial "cmp-$i.part" >/dev/null
  done
  "$cli" merge cmp-1.part cmp-0.part --json cmp-merged.json >/dev/null
  if "$py" - cmp.json <<'PY' && "$py" "$here/../shards/compare_outputs.py" cmp.json cmp-merged.json >cmp-check.txt
import json, sys
d = json.load(open(sys.argv[1]))
assert "run" in d["a"] and "model" in d["b"], (d["a"].keys(), d["b"].keys())
moved = sorted(k for k, v in d["metrics"].items() if v["delta"] is not None and v["delta"] != 0)
assert moved == ["auc", "auc_pooled"], moved
assert d["metrics"]["ild_embedding"]["delta"] is None
PY
  then
    ok "compare --run A --model B: only the AUCs differ; 2 shards merge to the same comparison"
  else
    bad "compare with a run"
    cat cmp-check.txt 2>/dev/null || true
  fi
  # A re-ranked TREC export carries rank scores, so tools that sort by score keep the order.
  if awk 'NR<=10 {print $5}' cj-bpr-mmr-export.trec | tr '\n' ' ' | grep -q '^10 9 8 7 6 5 4 3 2 1 $'; then
    ok "cj-bpr-mmr: re-ranked lists exported with score = length + 1 - rank"
  else
    bad "cj-bpr-mmr: the re-ranked export's scores are not rank scores: $(head -3 cj-bpr-mmr-export.trec)"
  fi
  # A run re-ranked by RecLens (category similarity without a model) changes the lists.
  "$cli" evaluate --data "$cj" --run cj-bpr-export.trec --pool 10 --k 5 --rerank mmr --diversity 0.9 \
    --lists mmr.csv >/dev/null
  "$cli" evaluate --data "$cj" --run cj-bpr-export.trec --pool 10 --k 5 --lists plain.csv >/dev/null
  if ! cmp -s mmr.csv plain.csv; then ok "a run re-ranked by MMR (category similarity)"; else bad "MMR left the run's lists as they were"; fi
else
  echo "skip the sample cases: $sample has no completejourney.sqlite"
fi

if [ $have_ml = 1 ]; then
  "$cli" import movielens "$ml" --out ml.sqlite >ml-import.txt
  "$cli" train bpr --data ml.sqlite --out ml-bpr.pt --epochs 3 --threads 1 >ml-bpr.txt
  round_trip ml-bpr trec --data ml.sqlite --model ml-bpr.pt --k 20 --pool 50
else
  echo "skip the MovieLens cases: $ml not found"
fi

# Refusals. refused NAME PATTERN FILE: evaluate --run FILE exits non-zero with one stderr line
# matching PATTERN and writes no output.
if [ $have_sample = 1 ]; then
  refused() {
    local name=$1 pattern=$2 file=$3
    rm -f refused.json
    local rc=0
    "$cli" evaluate --data "$cj" --run "$file" --json refused.json >/dev/null 2>refused.err || rc=$?
    local lines
    lines=$(grep -c . refused.err || true)
    if [ $rc -ne 0 ] && [ "$lines" = 1 ] && grep -qE "$pattern" refused.err && [ ! -e refused.json ]; then
      ok "refused $name: $(cat refused.err)"
    else
      bad "refused $name (exit $rc, $lines stderr lines, output $([ -e refused.json ] && echo written || echo none)): $(cat refused.err)"
    fi
  }
  : >empty.trec
  head -c 4096 /dev/urandom >random.trec
  printf 'a\000b\n' >>random.trec
  { head -3 cj-bpr-export.trec; echo "1 Q0 916122 1"; } >columns.trec
  { head -3 cj-bpr-export.trec; echo "1 Q0 916122 first 6.1 x"; } >rank.trec
  { echo "user_id,item_id,score,rank"; echo "1,916122,high,1"; } >score.csv
  sed 's/^[^ ]* /nobody /' cj-bpr-export.trec >users.trec
  awk '{ $3 = "no-such-" $3; print }' cj-bpr-export.trec >items.trec
  refused empty "empty.trec: the run file is empty" empty.trec
  refused random-bytes "random.trec:1: not a text file" random.trec
  refused columns "columns.trec:4: 4 fields, not 6" columns.trec
  refused rank "rank.trec:4: rank 'first' is not a whole number" rank.trec
  refused score "score.csv:2: score 'high' is not a finite number" score.csv
  refused unknown-users "users.trec: no line names a user and an item of the dataset \(the first unknown request is at line 1: 'nobody'\)" users.trec
  refused unknown-items "items.trec: no line names a user and an item of the dataset" items.trec
  refused no-file "nothere.trec: no such run file" nothere.trec
  # Writing the lists over the run is refused before any work; the run is unchanged.
  before=$(sha256sum cj-bpr-export.trec)
  rc=0
  "$cli" evaluate --data "$cj" --run cj-bpr-export.trec --lists ./cj-bpr-export.trec --lists-format trec >/dev/null 2>refused.err || rc=$?
  if [ $rc -ne 0 ] && grep -q "is the same file as" refused.err && [ "$(sha256sum cj-bpr-export.trec)" = "$before" ]; then
    ok "refused --lists over the --run: $(cat refused.err)"
  else
    bad "--lists over the --run (exit $rc): $(cat refused.err)"
  fi
fi

if [ $failed -ne 0 ]; then
  echo "check_runs: FAILED"
  exit 1
fi
echo "check_runs: all cases agree"
