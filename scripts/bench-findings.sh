#!/usr/bin/env bash
# Benchmarks `preflight check` where the code has many findings (issue 11):
#   1. the findings-heavy tree (2,000 apps, 10,006 files, about 18,000 findings) against
#      ripgrep searching it for the words the issue names, side by side;
#   2. peak memory (max RSS) of check there, and the state file it writes;
#   3. the 1.2-million-findings tree (`--repeat 200`): check's time, memory and state file.
# Targets: <= 1.5x rg's wall time, <= 48 MiB, state file <= 256 KiB on both trees.
#
# Needs hyperfine, ripgrep and GNU time (`apt-get install hyperfine ripgrep time`).
# RUNS=20 scripts/bench-findings.sh for more runs; KEEP=DIR keeps the trees in DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-10}"
for tool in hyperfine rg /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "error: $tool is missing
  hint: apt-get install hyperfine ripgrep time python3" >&2; exit 2; }
done

cargo build --release --quiet
BIN="$PWD/target/release/preflight"
if [ -n "${KEEP:-}" ]; then
  WORK="$KEEP"; mkdir -p "$WORK"
else
  WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
fi
[ -d "$WORK/findings" ] || python3 scripts/gen-bench-tree.py "$WORK/findings" --findings
[ -d "$WORK/million" ] || python3 scripts/gen-bench-tree.py "$WORK/million" --findings --repeat 200
RG=(rg -n -e DEBUG -e SECRET_KEY -e ALLOWED_HOSTS -e CORS -e csrf_exempt -e allow_origins)

# One run of check on TREE: wall seconds, peak RSS (KiB), findings, state file bytes.
measure() {
  local tree="$1" format="$2"
  rm -rf "$tree/.preflight"
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" \
    "$BIN" check "$tree" --format "$format" --fail-on none >"$WORK/out" 2>/dev/null || true
  local findings
  findings="$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$WORK/out" 2>/dev/null || echo "?")"
  echo "$(cat "$WORK/time.txt") $findings $(stat -c %s "$tree/.preflight/state.toml")"
}

echo "== check vs rg on the findings-heavy tree"
hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$WORK/findings.json" \
  -n "preflight check" "$BIN check $WORK/findings --format json --fail-on none" \
  -n "rg" "${RG[*]} $WORK/findings"
read -r _ RSS FINDINGS STATE <<<"$(measure "$WORK/findings" json)"
read -r M_WALL M_RSS M_FINDINGS M_STATE <<<"$(measure "$WORK/million" json)"
M_RG="$( { /usr/bin/time -f %e "${RG[@]}" "$WORK/million" >/dev/null; } 2>&1 )"

python3 - "$WORK/findings.json" "$RSS" "$FINDINGS" "$STATE" "$M_WALL" "$M_RSS" "$M_FINDINGS" "$M_STATE" "$M_RG" <<'PY'
import json, sys
tree = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
rss, findings, state = int(sys.argv[2]) / 1024, sys.argv[3], int(sys.argv[4]) / 1024
m_wall, m_rss, m_findings, m_state, m_rg = float(sys.argv[5]), int(sys.argv[6]) / 1024, sys.argv[7], int(sys.argv[8]) / 1024, float(sys.argv[9])
mine, rg = tree["preflight check"]["median"], tree["rg"]["median"]
rows = [
    (f"vs ripgrep, {findings} findings: {mine*1000:.0f} ms vs {rg*1000:.0f} ms", mine / rg, "<= 1.5x rg", mine / rg <= 1.5),
    (f"peak memory there: {rss:.1f} MiB", rss, "<= 48 MiB", rss <= 48),
    (f"state file there: {state:.1f} KiB", state, "<= 256 KiB", state <= 256),
    (f"{m_findings} findings: {m_wall:.2f} s (rg {m_rg:.2f} s), {m_rss:.0f} MiB", m_wall / m_rg, "(no target)", True),
    (f"state file there: {m_state:.1f} KiB", m_state, "<= 256 KiB", m_state <= 256),
]
print("\n== summary")
for text, value, target, ok in rows:
    print(f"  {'ok  ' if ok else 'MISS'} {text}  ({value:.2f}; target {target})")
PY
