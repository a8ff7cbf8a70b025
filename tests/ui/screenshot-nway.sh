#!/bin/sh
# Saves docs/screenshot-nway.png: the demo session with two other models compared (item-kNN's model
# order and its MMR list beside popularity and EASE, rank moves against the model order, the overlap
# of every pair) under Xvfb at 1600x1000.
#   tests/ui/screenshot-nway.sh [BUILD_DIR] [OUT.png]   (default build/release, docs/screenshot-nway.png)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
out=${2:-$root/docs/screenshot-nway.png}
app="$build/app/gui/reclens"
demo="$build/sample_data/demo.reclens"
[ -x "$app" ] || { echo "screenshot: $app not built (cmake --build --preset release)" >&2; exit 1; }
[ -f "$demo" ] || { echo "screenshot: $demo missing (build the sample_data target)" >&2; exit 1; }
export XDG_CONFIG_HOME="$(mktemp -d)"
session="$build/sample_data/demo-three-models.reclens"
trap 'rm -rf "$XDG_CONFIG_HOME" "$session"' EXIT
# The demo, comparing popularity and EASE; the files and hashes stay the demo's.
python3 - "$demo" "$session" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["settings"]["compared"] = [1, 3]
s["settings"]["baseline_column"] = 0
json.dump(s, open(sys.argv[2], "w"), indent=2)
PY
mkdir -p "$(dirname "$out")"
xvfb-run -a -s "-screen 0 1600x1000x24" "$app" "$session" --size 1600x1000 --screenshot "$out"
echo "screenshot: wrote $out"
