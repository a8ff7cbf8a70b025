#!/bin/bash
# The movie-search case end to end (DESIGN §11, docs/search.md): MovieLens ml-latest-small imported,
# the movie-search judgements (TMDB ids) turned into queries + qrels and imported against it through
# links.csv, a BM25 run built with `reclens-cli search`, and evaluated:
# - RecLens's P@10, recall@10, nDCG@10 (graded), MRR@10 and MAP@10 equal an independent
#   implementation of trec_eval's conventions (../qrels/trec_eval_ref.py) on the BM25 run and on a
#   run made outside RecLens (outside.py: random scores with ties, ranked in trec_eval's order or
#   against it), per query and in the mean, with
#   the judgements table and with --qrels, at relevance thresholds 1 and 3;
# - MovieLens ratings as grades (--relevance graded) equal the reference on qrels read from the
#   dataset's test interactions;
# - a query run exported with --lists-format trec evaluates back to the same metrics;
# - MMR re-ranks the queries' lists (some list changes, intra-list distance does not fall);
# - malformed qrels and query files each give one stderr line naming the file and line, a non-zero
#   exit and no output.
#   check_moviesearch.sh RECLENS_CLI SAMPLE_DIR [WORK_DIR]
# Exit 0 when all hold, 1 otherwise, 77 (skipped) without MovieLens, movie-search or python3.
set -euo pipefail
source "$(dirname "$0")/../e2e_setup.sh"
search=$datasets/movie-search
if [ $have_ml = 0 ] || [ ! -f "$search/ltr_movies_judgements_max.txt" ] || [ ! -f "$ml/links.csv" ]; then
  echo "MovieLens ($ml) or movie-search ($search) is not there: skipped"
  exit 77
fi
ref=$here/../qrels/trec_eval_ref.py

"$cli" import movielens "$ml" --out ml.sqlite >/dev/null
"$py" "$here/ranklib_to_trec.py" "$search/ltr_movies_judgements_max.txt" queries.tsv qrels.tmdb >/dev/null
"$cli" import queries --base ml.sqlite --queries queries.tsv --qrels qrels.tmdb --id-map "$ml/links.csv" \
  --out search.sqlite >import.txt
"$cli" info search.sqlite --json >info.json
if "$py" -c "import json,sys; j=json.load(open('info.json')); sys.exit(not (j['queries']==10 and j['judgements']==71))"; then
  ok "import queries: 10 queries, 71 judgements ($(grep -o '[0-9]* of ids the base has no item for' import.txt))"
else
  bad "import queries"; cat info.json
fi
"$cli" search --data search.sqlite --out bm25.trec --depth 100 >search.txt
ok "search: $(cat search.txt)"
"$py" "$here/outside.py" translate qrels.tmdb "$ml/links.csv" qrels.ml
"$py" "$here/outside.py" run qrels.ml "$ml/movies.csv" outside.trec 7
"$py" "$here/outside.py" run qrels.ml "$ml/movies.csv" outside-asc.trec 7 ascending

# agree NAME RUN THRESHOLD [evaluate options]: RecLens vs the reference on one run.
agree() {
  local name=$1 run=$2 threshold=$3
  shift 3
  "$cli" evaluate --data search.sqlite --run "$run" --k 10 "$@" --json "$name.json" --per-user "$name.csv" \
    >/dev/null 2>"$name.err"
  "$py" "$ref" qrels.ml "$run" --k 10 --threshold "$threshold" --json "$name-ref.json" >/dev/null
  if "$py" "$here/compare_trec.py" "$name.json" "$name.csv" "$name-ref.json" >"$name-check.txt"; then
    ok "$name: $(tail -1 "$name-check.txt") ($(head -c 200 "$name-ref.json" | tr -d '\n' | grep -o '"P": [0-9.]*' | head -1))"
  else
    bad "$name"; cat "$name-check.txt" "$name.err"
  fi
}
agree bm25 bm25.trec 1
agree bm25-qrels bm25.trec 1 --qrels qrels.ml
agree bm25-t3 bm25.trec 3 --relevance-threshold 3
agree outside outside.trec 1
agree outside-t3 outside.trec 3 --qrels qrels.ml --relevance-threshold 3
# ties ranked by docid ascending: trec_eval ignores ranks, and so does RecLens with judgements (warned)
agree outside-asc outside-asc.trec 1
if grep -q "ranked otherwise than by score" outside-asc.err; then
  ok "ranks that differ from trec_eval's order are reported: $(grep -o '[0-9]* requests are ranked otherwise' outside-asc.err)"
else
  bad "no warning for ranks against trec_eval's order"; cat outside-asc.err
fi

# MovieLens ratings as grades (--relevance graded): a popularity model's top 10 per user, exported as
# a TREC run, against the reference on qrels read from the dataset's test interactions.
"$cli" train popularity --data ml.sqlite --out pop.pt >/dev/null
"$cli" evaluate --data ml.sqlite --model pop.pt --relevance graded --relevance-threshold 4 --json pop.json \
  --per-user pop.csv --lists pop.trec --lists-format trec >/dev/null 2>pop.err
"$py" "$here/outside.py" test-qrels ml.sqlite ml-test.qrels
"$py" "$ref" ml-test.qrels pop.trec --k 10 --threshold 4 --json pop-ref.json >/dev/null
if "$py" "$here/compare_trec.py" pop.json pop.csv pop-ref.json >pop-check.txt; then
  ok "ratings as grades (MovieLens, threshold 4): $(tail -1 pop-check.txt)"
else
  bad "ratings as grades"; cat pop-check.txt pop.err
fi

# A query run through --lists-format trec and back (the export holds the top K only, so the AUC,
# which ranks a run's whole list, is not compared).
"$cli" evaluate --data search.sqlite --run bm25.trec --json rt-a.json --lists rt.trec --lists-format trec >/dev/null 2>&1
"$cli" evaluate --data search.sqlite --run rt.trec --json rt-b.json >/dev/null 2>&1
if "$py" -c "
import json,sys
a,b=json.load(open('rt-a.json'))['metrics'],json.load(open('rt-b.json'))['metrics']
sys.exit(any((a[k] is None) != (b[k] is None) or (a[k] is not None and abs(a[k]-b[k])>1e-12)
             for k in a if k not in ('auc', 'auc_pooled')))"; then
  ok "a query run exported as TREC evaluates back to the same metrics"
else
  bad "query run round trip"
fi

# MMR on the queries' BM25 lists (category similarity: a run alone has no embeddings).
"$cli" evaluate --data search.sqlite --run bm25.trec --lists plain.csv --json plain.json >/dev/null 2>&1
"$cli" evaluate --data search.sqlite --run bm25.trec --rerank mmr --diversity 0.7 --lists mmr.csv --json mmr.json \
  >/dev/null 2>&1
if ! cmp -s plain.csv mmr.csv && "$py" -c "
import json,sys
a,b=json.load(open('plain.json'))['metrics'],json.load(open('mmr.json'))['metrics']
print(f'ild_category {a[\"ild_category\"]:.4f} -> {b[\"ild_category\"]:.4f}, ndcg {a[\"ndcg\"]:.4f} -> {b[\"ndcg\"]:.4f}')
sys.exit(b['ild_category'] < a['ild_category'])" >mmr.txt; then
  ok "MMR re-ranks the queries' lists: $(cat mmr.txt)"
else
  bad "MMR on queries"; cat mmr.txt
fi

# refused CASE EXPECTED COMMAND…: non-zero exit, one stderr line holding EXPECTED, no output file.
refused() {
  local name=$1 expect=$2
  shift 2
  rm -f out.json out.sqlite
  if "$@" >/dev/null 2>"$name.err"; then
    bad "$name: accepted"; return
  fi
  if [ "$(wc -l <"$name.err")" = 1 ] && grep -qF -- "$expect" "$name.err" && [ ! -e out.json ] && [ ! -e out.sqlite ]; then
    ok "$name: $(cat "$name.err")"
  else
    bad "$name: expected one line with '$expect'"; cat "$name.err"
  fi
}
printf '1 0 1 2\n1 0 2\n' >bad-columns.qrels
printf '1 0 1 2\n1 0 2 relevant\n' >bad-grade.qrels
printf 'x1 0 1 1\nx2 0 2 1\n' >unknown-ids.qrels
: >empty.qrels
head -c 3000 /dev/urandom >random.qrels
printf '1\twill smith\n2 no tab here\n' >bad.tsv
for q in bad-columns:bad-columns.qrels:2 bad-grade:bad-grade.qrels:2 unknown-ids:unknown-ids.qrels:: \
         empty:empty.qrels:: random:random.qrels::; do
  IFS=: read -r name file line <<<"$q"
  refused "qrels-$name" "$file${line:+:$line}" "$cli" evaluate --data search.sqlite --run bm25.trec --qrels "$file" \
    --json out.json
done
refused import-bad-queries "bad.tsv:2" "$cli" import queries --base ml.sqlite --queries bad.tsv --qrels qrels.tmdb \
  --out out.sqlite
refused import-bad-qrels "bad-grade.qrels:2" "$cli" import queries --base ml.sqlite --queries queries.tsv \
  --qrels bad-grade.qrels --out out.sqlite
refused import-over-base "same file" "$cli" import queries --base ml.sqlite --queries queries.tsv --qrels qrels.tmdb \
  --out ml.sqlite
refused threshold-without-grades "--relevance-threshold needs graded relevance" "$cli" evaluate --data ml.sqlite \
  --run bm25.trec --relevance-threshold 2 --json out.json
exit $failed
