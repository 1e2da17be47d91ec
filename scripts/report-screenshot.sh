#!/usr/bin/env bash
# Renders the HTML review report of the bundled Django demo in headless Chromium and saves
# screenshots at two widths (a laptop and a phone) plus a PDF print, so the page is checked in
# a real browser: the trend chart, the sections of what changed first, inline code, the
# progress bars' fill and the print layout. Not a CI requirement.
#
# Needs Debian's chromium (`apt-get install -y chromium`). Writes to OUT (default: docs/):
#   report-wide.png (1280 px), report-narrow.png (420 px), report.pdf.
# Usage: scripts/report-screenshot.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
[ -n "$CHROMIUM" ] || { echo "error: chromium is missing
  hint: apt-get install -y chromium" >&2; exit 2; }
OUT="$(realpath -m "${1:-docs}")"
mkdir -p "$OUT"

cargo build --quiet
BIN="$PWD/target/debug/preflight"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
PROJECT="$WORK/fingpt-demo"
cp -r assets/demo "$PROJECT"
rm -f "$PROJECT/EXPECTED.toml"

# A history worth a report: DEBUG fixed at one check and broken again at the next, a
# decision made and then its view edited, secret rotation never done.
settings="$PROJECT/config/settings.py"
"$BIN" check "$PROJECT" >/dev/null || true
sed -i 's/^DEBUG = True/DEBUG = False/' "$settings"
"$BIN" check "$PROJECT" >/dev/null || true
sed -i 's/^DEBUG = False/DEBUG = True/' "$settings"
"$BIN" check "$PROJECT" >/dev/null || true
"$BIN" mark api-auth-required done "$PROJECT" >/dev/null
"$BIN" mark backups skip --reason "the platform snapshots nightly" "$PROJECT" >/dev/null
echo "# reviewed" >> "$PROJECT/ledger/views.py"
"$BIN" report "$PROJECT" -o "$WORK/report.html" 2>/dev/null

shot() { # width height file
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$WORK/profile-$1" --hide-scrollbars --window-size="$1,$2" \
    --screenshot="$3" "file://$WORK/report.html" 2>/dev/null
}
shot 1280 1600 "$OUT/report-wide.png"
shot 420 2400 "$OUT/report-narrow.png"
"$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$WORK/profile-pdf" --no-pdf-header-footer \
  --print-to-pdf="$OUT/report.pdf" "file://$WORK/report.html" 2>/dev/null

for file in report-wide.png report-narrow.png report.pdf; do
  [ -s "$OUT/$file" ] || { echo "error: chromium wrote no $OUT/$file" >&2; exit 1; }
  echo "wrote $OUT/$file"
done
