#!/bin/sh
# Saves docs/screenshot.png: RecLens as it starts (the sample's demo session: item-kNN re-ranked with
# MMR at δ 0.5 beside popularity, its first story user) under Xvfb at 1600x1000, after the lists,
# plots and all-user numbers are shown.
#   tests/ui/screenshot.sh [BUILD_DIR] [OUT.png]      (default build/release, docs/screenshot.png)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
out=${2:-$root/docs/screenshot.png}
app="$build/app/gui/reclens"
[ -x "$app" ] || { echo "screenshot: $app not built (cmake --build --preset release)" >&2; exit 1; }
[ -f "$build/sample_data/completejourney.sqlite" ] || { echo "screenshot: sample data missing in $build/sample_data (build the sample_data target)" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
# A private settings folder so saved window state and controls do not change the picture.
export XDG_CONFIG_HOME="$(mktemp -d)"
trap 'rm -rf "$XDG_CONFIG_HOME"' EXIT
xvfb-run -a -s "-screen 0 1600x1000x24" "$app" --size 1600x1000 --screenshot "$out"
echo "screenshot: wrote $out"
