#!/usr/bin/env bash
# Runs each property-test target of src/scan/fuzz.rs for many cases (default
# 100 000; FUZZ_CASES overrides) in an optimised build, and prints the time per
# target. The test suite runs the same targets for a short pass.
#
#   scripts/fuzz.sh            # 100 000 cases per target
#   FUZZ_CASES=1000000 scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${FUZZ_CASES:-100000}"
targets=(
  fuzz_python_tokenizer_and_parser
  fuzz_env_parser_and_merger_keep_the_old_bytes
  fuzz_state_reader
  fuzz_gitignore_matching_and_appending
)
# Built once, then the test binary runs by itself: cargo would hold the build
# directory's lock (and rebuild after an edit) for the whole run otherwise.
bin=$(cargo test --profile fuzz --lib --no-run --message-format=json \
  | grep -o '"executable":"[^"]*"' | tail -n 1 | cut -d'"' -f4)
[ -x "$bin" ] || { echo "error: no test binary was built" >&2; exit 1; }
failed=0
for target in "${targets[@]}"; do
  start=$(date +%s)
  if ! out=$(PROPTEST_CASES="$cases" "$bin" -q "scan::fuzz::$target" --exact --test-threads=1 2>&1)
  then
    # proptest prints the minimal failing input: add it as a regression test.
    printf '%s\n' "$out" | tail -n 60
    echo "$target: FAILED after $(( $(date +%s) - start )) s" >&2
    failed=1
    continue
  fi
  echo "$target: $cases cases, no failure, $(( $(date +%s) - start )) s"
done
exit "$failed"
