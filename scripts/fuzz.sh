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
cargo test --profile fuzz --lib --no-run
for target in "${targets[@]}"; do
  start=$(date +%s)
  PROPTEST_CASES="$cases" cargo test --profile fuzz --lib -q "scan::fuzz::$target" \
    -- --exact --test-threads=1 >/dev/null
  echo "$target: $cases cases, no failure, $(( $(date +%s) - start )) s"
done
