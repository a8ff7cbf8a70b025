#!/bin/bash
# The report written headless by the app itself (DESIGN §10): `reclens --report R.pdf --html R.html`
# on the sample (no session: what the app opens on start) writes both and exits 0; pages counted
# with pdfinfo. A session that cannot be opened and a report over the dataset exit non-zero with one
# line and write nothing. Usage: report_headless.sh RECLENS SAMPLE_DIR
set -u
app=$1 sample=$(realpath "$2")
[ -f "$sample/completejourney.sqlite" ] || { echo "sample data not built"; exit 77; }
command -v pdfinfo >/dev/null || { echo "pdfinfo (poppler-utils) missing: .ci/install-deps installs it"; exit 77; }
export QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME=$(mktemp -d)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$XDG_CONFIG_HOME"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$app" --report "$tmp/r.pdf" --html "$tmp/r.html" > "$tmp/out.txt" 2> "$tmp/err.txt" || { cat "$tmp/err.txt"; fail "report on the sample exited $?"; }
pages=$(pdfinfo "$tmp/r.pdf" | awk '/^Pages:/ {print $2}')
[ "$pages" -ge 4 ] || fail "the sample report has $pages pages, expected a title, metrics, trade-off and a user page"
grep -q "src='data:image/png;base64," "$tmp/r.html" || fail "the HTML report has no embedded image"
grep -q "report written to $tmp/r.pdf" "$tmp/out.txt" || fail "no line says where the PDF went"
echo "sample report: $pages pages, $(stat -c %s "$tmp/r.pdf") bytes PDF, $(stat -c %s "$tmp/r.html") bytes HTML"

# A truncated session: exit 2, one line, nothing written.
printf '{"format": "reclens-session", "version": 1, "datas' > "$tmp/broken.reclens"
"$app" "$tmp/broken.reclens" --report "$tmp/b.pdf" > /dev/null 2> "$tmp/err.txt"; code=$?
[ $code -ne 0 ] || fail "a truncated session exited 0"
grep -q "ends early" "$tmp/err.txt" || { cat "$tmp/err.txt"; fail "no 'ends early' message"; }
[ ! -e "$tmp/b.pdf" ] || fail "a report was written for a broken session"

# The report over the dataset (through a link): refused before anything runs; the dataset unchanged.
ln -s "$sample/completejourney.sqlite" "$tmp/data.pdf"
before=$(sha256sum < "$sample/completejourney.sqlite")
"$app" "$sample/completejourney.sqlite" --report "$tmp/data.pdf" > /dev/null 2> "$tmp/err.txt"; code=$?
[ $code -ne 0 ] || fail "a report over the dataset exited 0"
grep -q "same file" "$tmp/err.txt" || { cat "$tmp/err.txt"; fail "no 'same file' message"; }
[ "$(sha256sum < "$sample/completejourney.sqlite")" = "$before" ] || fail "the dataset changed"
echo "refusals: broken session and report over the dataset, one line each"
