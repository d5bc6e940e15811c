#!/usr/bin/env bash
# Instruction counts of the key ring bench cases (key-model/benches/ring.rs),
# exact and independent of machine load: each case runs TIMES operations
# under valgrind's callgrind, counting only inside the measured function,
# and the count is divided by TIMES. Prints ring / raw for each operation
# and size; raw must be the floor (fewer instructions than the ring), and
# the script fails if it is not. Needs valgrind.
#
#   bash scripts/bench/ring-instructions.sh          # TIMES=100, 64B and 4KiB
#   SIZES="64B 4KiB 1MiB" TIMES=3 bash scripts/bench/ring-instructions.sh
#   SIDES="raw ring refreshed" bash scripts/bench/ring-instructions.sh  # + the ring with its refresher on
set -euo pipefail
cd "$(dirname "$0")/../.."
times=${TIMES:-100}
sizes=${SIZES:-64B 4KiB}
sides=${SIDES:-raw ring}
bin=$(cargo bench -q -p key-model --bench ring --no-run --message-format=json \
  | python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "ring" and m.get("executable"):
        print(m["executable"])')
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
declare -A ir
for op in encrypt decrypt; do
  for size in $sizes; do
    for side in $sides; do
      case=$op/$side/$size
      KEY_MODEL_BENCH_CASE=$case KEY_MODEL_BENCH_TIMES=$times valgrind -q --tool=callgrind \
        --toggle-collect='*key_model_measured_region*' --callgrind-out-file="$out/cg" "$bin"
      total=$(grep -m1 '^summary:' "$out/cg" | awk '{print $2}')
      ir[$case]=$(awk -v t="$total" -v n="$times" 'BEGIN { printf "%.1f", t / n }')
      printf '%-20s %12s instructions per operation\n' "$case" "${ir[$case]}"
    done
  done
done
echo
status=0
for op in encrypt decrypt; do
  for size in $sizes; do
    raw=${ir[$op/raw/$size]} ring=${ir[$op/ring/$size]}
    awk -v o="$op" -v s="$size" -v a="$ring" -v b="$raw" \
      'BEGIN { printf "ring / raw  %-8s %-5s %12.1f / %12.1f = %.4f (%+.1f%%, %+.0f instructions)\n", o, s, a, b, a / b, (a / b - 1) * 100, a - b }'
    if awk -v a="$ring" -v b="$raw" 'BEGIN { exit !(b >= a) }'; then
      echo "  raw is not the floor: $op $size"; status=1
    fi
  done
done
exit $status
