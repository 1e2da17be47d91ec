#!/usr/bin/env bash
# Benchmarks `preflight check`:
#   1. against Django's own `python manage.py check --deploy` on the django-split fixture;
#   2. on a generated tree of ~10,500 Python files (+40,000 ignored ones) against ripgrep
#      searching the same tree for the same keywords;
#   3. peak memory (max RSS) of check on that tree.
# Targets (issue 5): >= 20x faster than Django's check, <= 1.5x ripgrep's wall time, <= 64 MiB.
#
# Needs hyperfine, ripgrep and GNU time (`apt-get install hyperfine ripgrep time`) and the
# validators venv with Django (.ci/run makes it). RUNS=20 scripts/bench-check.sh for more runs.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${PREFLIGHT_VALIDATORS:-$HOME/.cache/preflight-validators}"
PY="$VENV/bin/python"
RUNS="${RUNS:-10}"
for tool in hyperfine rg /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "error: $tool is missing
  hint: apt-get install hyperfine ripgrep time python3" >&2; exit 2; }
done
"$PY" -c "import django, environ, rest_framework, corsheaders, whitenoise, sentry_sdk" 2>/dev/null || {
  echo "error: $PY lacks Django or the fixture's apps
  hint: run .ci/run once, or pip install django django-environ djangorestframework django-cors-headers whitenoise sentry-sdk into it" >&2
  exit 2
}

cargo build --release --quiet
BIN="$PWD/target/release/preflight"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# --- 1. Django's check --deploy on the same project -------------------------------------------
cp -r tests/fixtures/django-split "$WORK/django"
export DJANGO_SETTINGS_MODULE=config.settings.production
export DJANGO_SECRET_KEY="k8Jx2mQ9vR4tW7yZ1aC3eF6hJ0lN5pS8uX2bD4gK7mP9rT1wY3zA6cE8fH0jL2nQ"
export DJANGO_ALLOWED_HOSTS=api.example.com DJANGO_CSRF_TRUSTED_ORIGINS=https://api.example.com
export DATABASE_URL="sqlite:///$WORK/bench.db" REDIS_URL=redis://cache:6379/0
echo "== check vs manage.py check --deploy (tests/fixtures/django-split)"
hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$WORK/django.json" \
  -n "preflight check" "$BIN check $WORK/django --format json --fail-on none" \
  -n "manage.py check --deploy" "$PY $WORK/django/manage.py check --deploy"

# --- 2. A large tree, against ripgrep -----------------------------------------------------------
python3 scripts/gen-bench-tree.py "$WORK/tree"
echo "== check vs rg on the generated tree"
KEYWORDS=(-e DEBUG -e SECRET_KEY -e ALLOWED_HOSTS -e os.environ -e getenv -e "print(" -e csrf_exempt
          -e "://" -e FloatField -e CORS -e FastAPI -e Flask -e sqlite -e INSTALLED_APPS)
hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$WORK/tree.json" \
  -n "preflight check" "$BIN check $WORK/tree --format json --fail-on none" \
  -n "rg" "rg -n -i -F ${KEYWORDS[*]} $WORK/tree"

# --- 3. Peak memory -------------------------------------------------------------------------------
/usr/bin/time -v "$BIN" check "$WORK/tree" --format json --fail-on none 2>"$WORK/time.txt" >/dev/null || true
RSS_KB="$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$WORK/time.txt")"

python3 - "$WORK/django.json" "$WORK/tree.json" "$RSS_KB" <<'EOF'
import json, sys
django = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
tree = {r["command"]: r for r in json.load(open(sys.argv[2]))["results"]}
rss_mib = int(sys.argv[3]) / 1024
ours, theirs = django["preflight check"]["mean"], django["manage.py check --deploy"]["mean"]
mine, rg = tree["preflight check"]["mean"], tree["rg"]["mean"]
rows = [
    (f"vs Django check --deploy: {ours*1000:.1f} ms vs {theirs*1000:.0f} ms", theirs / ours, ">= 20x faster", theirs / ours >= 20),
    (f"vs ripgrep on 10,500 files: {mine*1000:.0f} ms vs {rg*1000:.0f} ms", mine / rg, "<= 1.5x rg", mine / rg <= 1.5),
    (f"peak memory on the tree: {rss_mib:.1f} MiB", rss_mib, "<= 64 MiB", rss_mib <= 64),
]
print("\n== summary")
for text, value, target, ok in rows:
    print(f"  {'ok  ' if ok else 'MISS'} {text}  ({value:.2f}; target {target})")
EOF
