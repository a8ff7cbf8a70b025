#!/bin/bash
# Sharded evaluation with an exact merge (DESIGN §4, §12), end to end through reclens-cli:
# for each case, one unsharded `evaluate` (or `compare`) run, then N shards (`--shard I/N
# --partial`) and `merge` of their partials in a shuffled order; the merged JSON, lists and per-user
# CSV must equal the unsharded ones (compare_outputs.py: timing aside, numbers within 1e-12
# relative, lists identical). Cases on the bundled sample (BPR, item-kNN, MMR, compare) and on
# MovieLens ml-latest-small (BPR with DPP, item-kNN without AUC). Then every way a merge must be
# refused: each gives a non-zero exit, one line on stderr naming the file, and no output.
#   check_shards.sh RECLENS_CLI SAMPLE_DIR [WORK_DIR]
# SAMPLE_DIR holds completejourney.sqlite and completejourney-{bpr,itemknn}.pt (the build's
# sample_data/). The datasets folder is $RECLENS_SHARED_DATASETS, else ../shared/datasets beside the
# repository. Exit 0 when all agree, 1 otherwise, 77 (skipped) when neither dataset is there or
# python3 is missing.
set -euo pipefail
source "$(dirname "$0")/../e2e_setup.sh"

# evaluate_case NAME SHARDS --data D --model M [options]: unsharded vs N shards + merge.
evaluate_case() {
  local name=$1 n=$2
  shift 2
  "$cli" evaluate "$@" --json "$name-whole.json" --lists "$name-whole.csv" --per-user "$name-whole-pu.csv" >/dev/null
  local parts=()
  for ((i = 0; i < n; i++)); do
    "$cli" evaluate "$@" --threads 1 --shard "$i/$n" --partial "$name-$i.part" >/dev/null
    parts+=("$name-$i.part")
  done
  # A shuffled order: merge must not depend on it.
  mapfile -t parts < <(printf '%s\n' "${parts[@]}" | sort -r)
  if ! "$cli" merge "${parts[@]}" --json "$name-merged.json" --lists "$name-merged.csv" \
    --per-user "$name-merged-pu.csv" >/dev/null 2>"$name-merge.err"; then
    bad "$name: merge failed: $(cat "$name-merge.err")"
    return
  fi
  if "$py" "$here/compare_outputs.py" "$name-whole.json" "$name-merged.json" "$name-whole.csv" "$name-merged.csv" \
    "$name-whole-pu.csv" "$name-merged-pu.csv" >"$name-check.txt"; then
    ok "$name: $n shards merged = unsharded ($(($(wc -l <"$name-whole.csv") - 1)) list rows)"
  else
    bad "$name"
    cat "$name-check.txt"
  fi
}

# compare_case NAME SHARDS --data D --model A --model B [options]
compare_case() {
  local name=$1 n=$2
  shift 2
  "$cli" compare "$@" --json "$name-whole.json" >/dev/null
  local parts=()
  for ((i = 0; i < n; i++)); do
    "$cli" compare "$@" --shard "$i/$n" --partial "$name-$i.part" >/dev/null
    parts+=("$name-$i.part")
  done
  if ! "$cli" merge "${parts[@]}" --json "$name-merged.json" >/dev/null 2>"$name-merge.err"; then
    bad "$name: merge failed: $(cat "$name-merge.err")"
    return
  fi
  if "$py" "$here/compare_outputs.py" "$name-whole.json" "$name-merged.json" >"$name-check.txt"; then
    ok "$name: $n shards merged = unsharded comparison"
  else
    bad "$name"
    cat "$name-check.txt"
  fi
}

if [ $have_sample = 1 ]; then
  cj=$sample/completejourney.sqlite
  evaluate_case cj-bpr 4 --data "$cj" --model "$sample/completejourney-bpr.pt"
  evaluate_case cj-bpr-mmr 3 --data "$cj" --model "$sample/completejourney-bpr.pt" --rerank mmr --diversity 0.5
  evaluate_case cj-itemknn 4 --data "$cj" --model "$sample/completejourney-itemknn.pt" --k 20 --pool 50
  evaluate_case cj-bpr-one 1 --data "$cj" --model "$sample/completejourney-bpr.pt"
  compare_case cj-compare 4 --data "$cj" --model "$sample/completejourney-bpr.pt" \
    --model "$sample/completejourney-itemknn.pt"
else
  echo "skip the sample cases: $sample has no completejourney.sqlite"
fi

if [ $have_ml = 1 ]; then
  "$cli" import movielens "$ml" --out ml.sqlite >ml-import.txt
  "$cli" train bpr --data ml.sqlite --out ml-bpr.pt --epochs 3 --threads 1 >ml-bpr.txt
  "$cli" train itemknn --data ml.sqlite --out ml-knn.pt >ml-knn.txt
  evaluate_case ml-bpr-dpp 4 --data ml.sqlite --model ml-bpr.pt --rerank dpp --diversity 0.3
  evaluate_case ml-knn-noauc 4 --data ml.sqlite --model ml-knn.pt --no-auc
  evaluate_case ml-bpr-caps 5 --data ml.sqlite --model ml-bpr.pt --rerank caps --max-per-category 3
else
  echo "skip the MovieLens cases: $ml not found"
fi

# Refusals. refused NAME PATTERN -- merge arguments…: non-zero exit, one stderr line matching
# PATTERN, no output written.
refused() {
  local name=$1 pattern=$2
  shift 3
  rm -f refused.json
  local rc=0
  "$cli" merge "$@" --json refused.json >/dev/null 2>refused.err || rc=$?
  local lines
  lines=$(grep -c . refused.err || true)
  if [ $rc -ne 0 ] && [ "$lines" = 1 ] && grep -qE "$pattern" refused.err && [ ! -e refused.json ]; then
    ok "refused $name: $(cat refused.err)"
  else
    bad "refused $name (exit $rc, $lines stderr lines, output $([ -e refused.json ] && echo written || echo none)): $(cat refused.err)"
  fi
}
if [ $have_sample = 1 ]; then
  p=(cj-bpr-0.part cj-bpr-1.part cj-bpr-2.part cj-bpr-3.part)
  "$cli" evaluate --data "$cj" --model "$sample/completejourney-bpr.pt" --k 5 --shard 2/4 --partial k5-2.part >/dev/null
  "$cli" evaluate --data "$cj" --model "$sample/completejourney-bpr.pt" --shard 2/3 --partial three-2.part >/dev/null
  cp cj-bpr-1.part copy-of-1.part
  head -c 60000 cj-bpr-2.part >truncated.part
  head -c 8192 /dev/urandom >random.part
  : >empty.part
  printf 'user_id,rank,item_id,score\n1,1,2,0.5\n' >text.part
  # Edited copies: a newer format version, a user row taken out, another user list.
  for edit in newer:"UPDATE meta SET value = '2' WHERE key = 'format_version'" \
              lost-row:"DELETE FROM users WHERE rowid = (SELECT max(rowid) FROM users)"; do
    cp cj-bpr-2.part "${edit%%:*}.part"
    "$py" -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()' \
      "${edit%%:*}.part" "${edit#*:}"
  done
  refused newer-version "newer.part: partial format version 2 is newer than this RecLens reads \(1\)" -- "${p[0]}" newer.part
  refused lost-row "lost-row.part: the partial is damaged \(run 0 lists 569 users but holds 568\)" -- "${p[0]}" lost-row.part
  refused missing-shard "shard 2 of 4 missing" -- "${p[0]}" "${p[1]}" "${p[3]}"
  refused missing-shards "shards 1-3 of 4 missing" -- "${p[0]}"
  refused missing-two "shards 0, 3 of 4 missing" -- "${p[1]}" "${p[2]}"
  refused shard-twice "copy-of-1.part: is shard 1/4, as cj-bpr-1.part is" -- "${p[@]}" copy-of-1.part
  refused same-file-twice "given twice" -- "${p[@]}" "${p[1]}"
  refused other-model "cj-itemknn-2.part: comes from another model" -- "${p[0]}" "${p[1]}" cj-itemknn-2.part "${p[3]}"
  refused other-options "k5-2.part: ran with other options \(k 5 vs 10" -- "${p[0]}" "${p[1]}" k5-2.part "${p[3]}"
  refused other-split "three-2.part: is shard 2/3, split into 3 shards, not 4" -- "${p[0]}" "${p[1]}" three-2.part "${p[3]}"
  refused compare-with-evaluate "cj-compare-2.part: is a partial of 'compare'" -- "${p[0]}" "${p[1]}" cj-compare-2.part "${p[3]}"
  refused truncated "truncated.part: .*(corrupt|damaged|malformed)" -- "${p[0]}" "${p[1]}" truncated.part "${p[3]}"
  refused random-bytes "random.part: not a SQLite database" -- "${p[0]}" random.part
  refused empty "empty.part: not a RecLens partial state: the file is empty" -- "${p[0]}" empty.part
  refused text "text.part: not a SQLite database" -- "${p[0]}" text.part
  refused dataset "completejourney.sqlite: not a RecLens partial state: it is a RecLens dataset" -- "${p[0]}" "$cj"
  refused no-file "nothere.part: no such file" -- "${p[0]}" nothere.part
  if [ $have_ml = 1 ]; then
    refused other-dataset "ml-bpr-dpp-1.part: comes from another dataset" -- "${p[0]}" ml-bpr-dpp-1.part
  fi
  # An output that is an input is refused before any work, and the input is unchanged.
  before=$(sha256sum "${p[0]}")
  rc=0
  "$cli" merge "${p[@]}" --json "./${p[0]}" >/dev/null 2>refused.err || rc=$?
  if [ $rc -ne 0 ] && grep -q "is the same file as the input partial" refused.err && [ "$(sha256sum "${p[0]}")" = "$before" ]; then
    ok "refused output over an input: $(cat refused.err)"
  else
    bad "output over an input (exit $rc): $(cat refused.err)"
  fi
fi

if [ $failed -ne 0 ]; then
  echo "check_shards: FAILED"
  exit 1
fi
echo "check_shards: all cases agree"
