#!/usr/bin/env bash
# Instruction counts of the derive bench cases (tests/benches/derives.rs),
# exact and independent of machine load: each case runs TIMES writes under
# valgrind's callgrind, counting only inside the measured function, and the
# count is divided by TIMES. Pairs print with their ratio: first on the
# same output (the bench binary asserts it before it runs a case), then as
# users see it. Needs valgrind.
#
#   bash scripts/bench/instructions.sh            # TIMES=1000
set -euo pipefail
cd "$(dirname "$0")/../.."
times=${TIMES:-1000}
bin=$(cargo bench -q -p key-model-tests --bench derives --no-run --message-format=json \
  | python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "derives" and m.get("executable"):
        print(m["executable"])')
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
declare -A ir
cases=$(for group in "debug std std-same redacted veil veil-same" "serialize serde serde-same redacted" \
  "boundary plain api"; do
  set -- $group
  g=$1
  shift
  for shape in large small; do for side in "$@"; do echo "$g/$side/$shape"; done; done
done)
for case in $cases; do
  KEY_MODEL_BENCH_CASE=$case KEY_MODEL_BENCH_TIMES=$times valgrind -q --tool=callgrind \
    --toggle-collect='*key_model_measured_region*' --callgrind-out-file="$out/cg" "$bin"
  total=$(grep -m1 '^summary:' "$out/cg" | awk '{print $2}')
  ir[$case]=$(awk -v t="$total" -v n="$times" 'BEGIN { printf "%.1f", t / n }')
  printf '%-26s %10s instructions per write\n' "$case" "${ir[$case]}"
done
echo
pair() { # label measured baseline
  for size in large small; do
    awk -v l="$1" -v s="$size" -v a="${ir[$2/$size]}" -v b="${ir[$3/$size]}" \
      'BEGIN { printf "%-28s %-6s %10.1f / %10.1f = %.3f\n", l, s, a, b, a / b }'
  done
}
echo "same output (the baseline writes [REDACTED] too; veil ten '*'):"
pair "RedactedDebug / std Debug" debug/redacted debug/std-same
pair "veil / RedactedDebug" debug/veil-same debug/redacted
pair "RedactedSerialize / serde" serialize/redacted serialize/serde-same
echo "as users see it (std and serde print the secret, veil one '*' per character):"
pair "RedactedDebug / std Debug" debug/redacted debug/std
pair "veil / RedactedDebug" debug/veil debug/redacted
pair "RedactedSerialize / serde" serialize/redacted serialize/serde
echo "boundary derives:"
pair "with ApiDto / without" boundary/api boundary/plain
