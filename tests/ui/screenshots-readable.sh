#!/bin/sh
# Saves the screenshots of docs/gui.md's "Readable where people work" under Xvfb, each at a laptop's
# 1366x768 and at 1920x1080: the sample's demo session (three lists), the same session with four
# lists, MovieLens with a BPR (two-tower embedding) model, the movie-search query case (BM25 run,
# MMR), and presentation mode. Every window is opened with a private settings folder, so no saved
# layout changes the picture.
#   tests/ui/screenshots-readable.sh [BUILD_DIR] [OUT_DIR]   (default build/release, docs)
# Needs the sample data (the sample_data target) and ../shared/datasets (MovieLens, movie-search).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
out=${2:-$root/docs}
app="$build/app/gui/reclens"
cli="$build/app/cli/reclens-cli"
sample="$build/sample_data"
datasets="$root/../shared/datasets"
[ -x "$app" ] && [ -x "$cli" ] || { echo "screenshots: build first (cmake --build --preset release)" >&2; exit 1; }
[ -f "$sample/demo.reclens" ] || { echo "screenshots: sample data missing in $sample (build the sample_data target)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

shot() { # SIZE NAME ARGS...: one window of SIZE (WxH), saved as $out/screenshot-NAME-SIZE.png
    size=$1 name=$2
    shift 2
    XDG_CONFIG_HOME=$(mktemp -d -p "$work") xvfb-run -a -s "-screen 0 ${size}x24" \
        "$app" "$@" --size "$size" --screenshot "$out/screenshot-$name-$size.png" >/dev/null 2>&1 \
        || { echo "screenshots: $name at $size failed" >&2; exit 1; }
    echo "screenshots: wrote $out/screenshot-$name-$size.png"
}

# The demo session with four lists: the same session, its paths made absolute, two more sources shown.
python3 - "$sample/demo.reclens" "$work/four.reclens" <<'EOF'
import json, os, sys
src, dst = sys.argv[1], sys.argv[2]
s = json.load(open(src))
here = os.path.dirname(os.path.abspath(src))
s["dataset"]["path"] = os.path.join(here, s["dataset"]["path"])
for source in s["sources"]:
    source["path"] = os.path.join(here, source["path"])
s["settings"]["compared"] = [1, 2]
json.dump(s, open(dst, "w"), indent=2)
EOF

# MovieLens with BPR, and the movie-search dataset with its BM25 run (docs/search.md).
"$cli" import movielens "$datasets/ml-latest-small" --out "$work/ml.sqlite" >/dev/null
"$cli" train bpr --data "$work/ml.sqlite" --out "$work/ml-bpr.pt" >/dev/null
python3 "$root/tests/data/moviesearch/ranklib_to_trec.py" "$datasets/movie-search/ltr_movies_judgements_max.txt" \
    "$work/q.tsv" "$work/q.qrels" >/dev/null
"$cli" import queries --base "$work/ml.sqlite" --queries "$work/q.tsv" --qrels "$work/q.qrels" \
    --id-map "$datasets/ml-latest-small/links.csv" --out "$work/search.sqlite" >/dev/null
"$cli" search --data "$work/search.sqlite" --out "$work/bm25.trec" >/dev/null

for size in 1366x768 1920x1080; do
    shot "$size" demo "$sample/demo.reclens"
    shot "$size" four-lists "$work/four.reclens"
    shot "$size" movielens "$work/ml.sqlite" --model "$work/ml-bpr.pt" --rerank mmr --diversity 0.5
    shot "$size" search "$work/search.sqlite" --run "$work/bm25.trec" --user 2 --rerank mmr --diversity 0.7
    shot "$size" presentation "$sample/demo.reclens" --present
done
