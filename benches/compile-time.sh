#!/usr/bin/env bash
# Compile-time cost of the derives: generates a crate of N DTOs of 10 fields
# and builds it (a) with serde's derive only, (b) with serde plus the boundary
# derive, (c) with serde plus the redacting derives. Dependencies are built
# once beforehand; each timed build recompiles only the generated crate.
# Reports the median wall time of RUNS builds and the ratios to (a).
#
#   bash benches/compile-time.sh            # N=200, RUNS=3
#   N=50 RUNS=5 bash benches/compile-time.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
n=${N:-200}
runs=${RUNS:-3}
work="$root/target/compile-time"
mkdir -p "$work"

gen() { # variant derives
  local variant=$1 derives=$2 dir="$work/$1"
  mkdir -p "$dir/src"
  cat > "$dir/Cargo.toml" <<TOML
[package]
name = "ct-$variant"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
key-model = { path = "$root/key-model" }
serde = { version = "1", features = ["derive"] }
TOML
  {
    echo '#![allow(dead_code)]'
    echo 'use key_model::*;'
    echo '#[derive(serde::Serialize)]'
    [[ $variant == boundary ]] && echo '#[derive(SecretFree)]'
    echo 'pub struct Nested { pub label: String, pub count: u32 }'
    for i in $(seq 1 "$n"); do
      echo "#[derive($derives)]"
      echo "pub struct Dto$i {"
      echo "    pub id: u64,"
      echo "    pub name: String,"
      echo "    pub description: Option<String>,"
      echo "    pub count: u32,"
      echo "    pub ratio: f64,"
      echo "    pub enabled: bool,"
      echo "    pub encryption_key_ref: KeyRef,"
      echo "    pub nested: Nested,"
      echo "    pub tags: Vec<String>,"
      if [[ $variant == redact ]]; then
        echo "    #[redact]"
      fi
      echo "    pub token: String,"
      echo "}"
    done
  } > "$dir/src/lib.rs"
}

gen serde 'serde::Serialize'
gen boundary 'serde::Serialize, ApiDto'
gen redact 'serde::Serialize, RedactedDebug, RedactedSerialize'

export CARGO_TARGET_DIR="$work/target"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A result
for variant in serde boundary redact; do
  (cd "$work/$variant" && cargo build -q 2>&1) # dependencies, untimed
  times=()
  for _ in $(seq 1 "$runs"); do
    touch "$work/$variant/src/lib.rs"
    start=$(date +%s.%N)
    (cd "$work/$variant" && cargo build -q)
    end=$(date +%s.%N)
    times+=("$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }')")
  done
  result[$variant]=$(printf '%s\n' "${times[@]}" | median)
  echo "$variant: runs ${times[*]} -> median ${result[$variant]} s"
done
for variant in boundary redact; do
  awk -v v="$variant" -v a="${result[$variant]}" -v b="${result[serde]}" \
    'BEGIN { printf "%s / serde = %.3f\n", v, a / b }'
done
