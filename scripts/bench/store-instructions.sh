#!/usr/bin/env bash
# Instruction counts of the store bench's cached 4 KiB cases
# (tests/benches/stores.rs), exact and independent of machine load: each case
# runs TIMES operations under valgrind's callgrind, counting only inside the
# measured function, and the count is divided by TIMES. Each store's side
# prints with its ratio to raw XChaCha20-Poly1305. Needs valgrind and
# PostgreSQL (the bench starts its own server).
#
#   bash scripts/bench/store-instructions.sh            # TIMES=1000
set -euo pipefail
cd "$(dirname "$0")/../.."
times=${TIMES:-1000}
bin=$(cargo bench -q -p key-model-tests --bench stores --no-run --message-format=json \
  | python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "stores" and m.get("executable"):
        print(m["executable"])')
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
declare -A ir
for op in encrypt decrypt; do
  for side in raw memory sqlite postgres; do
    # --trace-children=no: the server processes the bench starts are not counted.
    KEY_MODEL_BENCH_CASE=$op/$side KEY_MODEL_BENCH_TIMES=$times valgrind -q --tool=callgrind \
      --trace-children=no --toggle-collect='*key_model_measured_region*' \
      --callgrind-out-file="$out/cg.%p" "$bin"
    total=$(cat "$out"/cg.* | grep '^summary:' | awk '{ s += $2 } END { print s }')
    rm -f "$out"/cg.*
    ir[$op/$side]=$(awk -v t="$total" -v n="$times" 'BEGIN { printf "%.1f", t / n }')
    printf '%-18s %10s instructions per 4 KiB operation\n' "$op/$side" "${ir[$op/$side]}"
  done
done
echo
for op in encrypt decrypt; do
  for side in memory sqlite postgres; do
    awk -v l="$op/$side" -v a="${ir[$op/$side]}" -v b="${ir[$op/raw]}" \
      'BEGIN { printf "%-18s / raw %10.1f / %10.1f = %.3f\n", l, a, b, a / b }'
  done
done
