# Shared start of the end-to-end scripts that take "RECLENS_CLI SAMPLE_DIR [WORK_DIR]"
# (tests/data/shards/check_shards.sh, tests/data/runs/check_runs.sh). Sourced right after
# `set -euo pipefail`, with the script's own arguments. It sets:
#   cli, sample      the absolute paths given;
#   here             the calling script's folder;
#   datasets, ml     $RECLENS_SHARED_DATASETS (else ../shared/datasets beside the repository) and
#                    its ml-latest-small;
#   py               python3 (exits 77, skipped, without one);
#   have_sample, have_ml   1 when the sample / MovieLens is there (exits 77 when neither is);
# enters WORK_DIR (a temporary folder, removed on exit, when none is given) and defines
# ok/bad, which print a line and record a failure in $failed.
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: $0 RECLENS_CLI SAMPLE_DIR [WORK_DIR]" >&2
  exit 2
fi
cli=$(realpath "$1")
sample=$(realpath -m "$2")
here=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
datasets=${RECLENS_SHARED_DATASETS:-$here/../../../../shared/datasets}
ml=$datasets/ml-latest-small
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3 || true)
[ -n "$py" ] || { echo "python3 not found: skipped"; exit 77; }
have_sample=0
[ -f "$sample/completejourney.sqlite" ] && [ -f "$sample/completejourney-bpr.pt" ] && have_sample=1
have_ml=0
[ -f "$ml/ratings.csv" ] && [ -f "$ml/movies.csv" ] && have_ml=1
if [ $have_sample = 0 ] && [ $have_ml = 0 ]; then
  echo "neither the sample ($sample) nor MovieLens ($ml) is there: skipped"
  exit 77
fi
if [ $# -eq 3 ]; then
  work=$3
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
cd "$work"
failed=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; failed=1; }
