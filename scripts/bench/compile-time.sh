#!/usr/bin/env bash
# Compile-time cost of the derives (issue 7; figures in docs/performance.md).
#
# 1. Generates a crate of N DTOs of 10 fields (numbers, strings, an
#    `Option`, a `KeyRef`, a nested struct, a `Vec`) in four variants and
#    builds each one RUNS times, interleaved (a b c d a b c d ...) so that
#    load from other work on the machine falls on every variant alike:
#      serde     (a) `#[derive(serde::Serialize)]`: the baseline;
#      boundary  (b) (a) plus `ApiDto` (and `SecretFree` on the nested type);
#      redact    (c) `RedactedDebug` + `RedactedSerialize`, the tenth field
#                    a `#[redact] KeyMaterial` (a type cannot derive both
#                    serde's `Serialize` and `RedactedSerialize`; the nested
#                    type keeps serde's);
#      std-debug (d) (a) plus std's `Debug`: the same two impls as (c)
#                    without redaction, so (c)/(d) is the redaction's own
#                    cost and (c)/(a) includes writing a `Debug` at all.
#    Dependencies are built once, untimed; each timed build recompiles only
#    the generated crate, non-incrementally (CARGO_INCREMENTAL=0: a touched
#    file would otherwise reuse the previous build's work). Reports every
#    run, the medians and the ratios to (a) and (d).
# 2. The clean build of key-model-derive and of serde_derive (each with
#    proc-macro2, quote and syn from scratch, then the crate alone), median
#    of RUNS, and the syn features each one enables.
#
#   bash scripts/bench/compile-time.sh                     # N=200 RUNS=5 CMD=build
#   N=50 RUNS=3 CMD=check bash scripts/bench/compile-time.sh
#   PART=1 bash scripts/bench/compile-time.sh              # only part 1 (or 2)
#   N=50 RUNS=1 PART=1 INSTRUCTIONS=1 bash scripts/bench/compile-time.sh
#                                # + rustc instruction counts (valgrind)
#   N=50 PART=levers CMD=check bash scripts/bench/compile-time.sh
#                                # the boundary derive's levers, below
#
# PART=levers: where (b)'s instructions over (a) go. Variants of (b) with
# the derive's output written by hand into the generated crate (so that a
# lever is measured without changing the derive), each counted with
# callgrind like INSTRUCTIONS=1:
#   hand        the derive's expansion at 54f8cef, token for token (the import,
#               the field struct, the proof function with one parameter
#               per field, three impls; since then the proof has a block
#               of its own), so (b) less this is about the proc-macro
#               invocation itself;
#   no-import   `::key_model::` paths instead of the `use .. as
#               key_model_crate;` import;
#   no-item-allow  without the `#[allow(..)]` on the struct and the proof;
#   no-wrapper-attrs  without the wrapper's `#[doc(hidden)]` and
#               `#[allow(..)]`;
#   no-one-kind without the `DeriveOneBoundaryKindAndNameTheOthers..` impl;
#   shared-struct  the field struct declared once for the crate instead of
#               once per type;
#   where-fn    the proof as one function per type whose where-clause
#               lists the field types (`fn proof() where u64: SecretFree,
#               ..`), no field struct;
#   no-proof    the import and the impls, no proof at all.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
n=${N:-200}
runs=${RUNS:-5}
cmd=${CMD:-build}
part=${PART:-all}
work="$root/target/compile-time"
mkdir -p "$work"
export CARGO_INCREMENTAL=0

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }
elapsed() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.3f", e - s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "rustc:   $(rustc --version)"

# gen VARIANT DERIVES NESTED_DERIVES LAST_FIELD
gen() {
  local variant=$1 derives=$2 nested=$3 last=$4 dir="$work/$1"
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
  # The workspace's lock file: the same dependency versions, no resolution.
  cp "$root/Cargo.lock" "$dir/Cargo.lock"
  {
    echo '#![allow(dead_code, unused_imports)]'
    echo 'use key_model::*;'
    echo "#[derive($nested)]"
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
      echo "    $last"
      echo "}"
    done
  } > "$dir/src/lib.rs"
}

# gen_empty: a crate with the nested type alone, rustc's and cargo's fixed
# cost, subtracted from every figure.
gen_empty() {
  gen empty 'serde::Serialize' 'serde::Serialize' 'pub token: String,'
  head -4 "$work/empty/src/lib.rs" > "$work/empty/src/lib.rs.head"
  mv "$work/empty/src/lib.rs.head" "$work/empty/src/lib.rs"
}

# instructions DIR: the instructions of the rustc run that builds the crate
# in DIR, counted by callgrind (the largest of the processes it traces).
instructions() {
  local dir="$work/$1" cmdfile="$work/$1.rustc.sh" out="$work/$1.cg"
  (cd "$dir" && cargo "$cmd" -q 2>/dev/null && touch src/lib.rs && cargo "$cmd" -v 2>&1 \
    | grep 'Running `.*rustc .*--crate-name ct_' | sed 's/^ *Running `//; s/`$//' > "$cmdfile")
  rm -rf "$out" && mkdir -p "$out"
  (cd "$dir" && valgrind -q --tool=callgrind --trace-children=yes \
    --callgrind-out-file="$out/cg.%p" bash "$cmdfile" > /dev/null 2>&1)
  cat "$out"/cg.* | awk '/^summary:/ { if ($2 > m) m = $2 } END { print m }'
}

part1() {
  declare -A ir
  local variants=(serde boundary redact std-debug)
  gen serde 'serde::Serialize' 'serde::Serialize' 'pub token: String,'
  gen boundary 'serde::Serialize, ApiDto' 'serde::Serialize, SecretFree' 'pub token: String,'
  gen redact 'RedactedDebug, RedactedSerialize' 'Debug, serde::Serialize' '#[redact] pub key: KeyMaterial,'
  gen std-debug 'Debug, serde::Serialize' 'Debug, serde::Serialize' 'pub token: String,'
  gen_empty

  export CARGO_TARGET_DIR="$work/target"
  local v
  for v in "${variants[@]}" empty; do
    (cd "$work/$v" && cargo "$cmd" -q) # dependencies and a first build, untimed
  done
  declare -A times
  local run start end
  for run in $(seq 1 "$runs"); do
    for v in "${variants[@]}" empty; do
      touch "$work/$v/src/lib.rs"
      start=$(now)
      (cd "$work/$v" && cargo "$cmd" -q)
      end=$(now)
      times[$v]="${times[$v]:-} $(elapsed "$start" "$end")"
    done
  done
  declare -A med
  echo
  echo "part 1: cargo $cmd of $n DTOs x 10 fields, $runs runs each, wall seconds"
  med[empty]=$(printf '%s\n' ${times[empty]} | median)
  printf '  %-10s runs%s -> median %s s (cargo and rustc fixed cost)\n' empty "${times[empty]}" "${med[empty]}"
  for v in "${variants[@]}"; do
    med[$v]=$(printf '%s\n' ${times[$v]} | median)
    printf '  %-10s runs%s -> median %s s, less empty %s s\n' "$v" "${times[$v]}" "${med[$v]}" \
      "$(awk -v a="${med[$v]}" -v b="${med[empty]}" 'BEGIN { printf "%.3f", a - b }')"
    # The ratios below are of the medians less the empty crate's, as the
    # instruction counts are.
    med[$v]=$(awk -v a="${med[$v]}" -v b="${med[empty]}" 'BEGIN { printf "%.3f", a - b }')
  done
  if [[ ${INSTRUCTIONS:-0} == 1 ]]; then
    # Load-independent: the instructions rustc executes for the generated
    # crate (callgrind, all threads), once per variant, less those of a
    # crate with the nested type alone (rustc's fixed cost).
    local base
    base=$(instructions empty)
    for v in "${variants[@]}"; do
      ir[$v]=$(( $(instructions "$v") - base ))
      printf '  %-10s %12d rustc instructions (less %d for an empty crate)\n' "$v" "${ir[$v]}" "$base"
    done
    echo "  instructions: boundary / serde = $(ratio "${ir[boundary]}" "${ir[serde]}"), redact / serde = $(ratio "${ir[redact]}" "${ir[serde]}"), redact / std-debug = $(ratio "${ir[redact]}" "${ir[std-debug]}"), std-debug / serde = $(ratio "${ir[std-debug]}" "${ir[serde]}")"
  fi
  echo "  wall, less empty:"
  echo "  boundary / serde     = $(ratio "${med[boundary]}" "${med[serde]}")"
  echo "  redact / serde       = $(ratio "${med[redact]}" "${med[serde]}")"
  echo "  redact / std-debug   = $(ratio "${med[redact]}" "${med[std-debug]}")"
  echo "  std-debug / serde    = $(ratio "${med[std-debug]}" "${med[serde]}")"
}

# gen_hand VARIANT STYLE: (b) with the boundary derive written out by hand
# in STYLE (see PART=levers above).
gen_hand() {
  local variant=$1 style=$2 dir="$work/$1" i ty
  local types=(u64 String 'Option<String>' u32 f64 bool KeyRef Nested 'Vec<String>' String)
  # The derive's one wrapper (key-model-derive/src/dummy.rs).
  local attrs='#[doc(hidden)] #[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]'
  local import='use ::key_model::key_model as key_model_crate;' km=key_model_crate
  case $style in
    no-import) import='' km='::key_model' ;;
  esac
  local item_allow='#[allow(dead_code)]' fn_allow='#[allow(dead_code, clippy::too_many_arguments)]'
  case $style in
    no-item-allow) item_allow='' fn_allow='' ;;
  esac

  gen "$variant" 'serde::Serialize' 'serde::Serialize, SecretFree' 'pub token: String,'
  {
    if [[ $style == shared-struct ]]; then
      echo "#[doc(hidden)] pub struct SecretFreeField<T: ?Sized + ::key_model::SecretFree>(::core::marker::PhantomData<T>);"
    fi
    for i in $(seq 1 "$n"); do
      local params='' bounds='' proof one_kind
      for ty in "${types[@]}"; do
        params+="_: SecretFreeField<$ty>, "
        bounds+="$ty: $km::SecretFree, "
      done
      proof="$item_allow struct SecretFreeField<T: ?Sized + $km::SecretFree>(::core::marker::PhantomData<T>);
$fn_allow fn secret_free_proof($params) {}"
      case $style in
        shared-struct) proof="$fn_allow fn secret_free_proof(${params//SecretFreeField/crate::SecretFreeField}) {}" ;;
        where-fn) proof="$item_allow fn secret_free_proof() where $bounds{}" ;;
        no-proof) proof='' ;;
      esac
      one_kind="#[automatically_derived] impl $km::derive_support::DeriveOneBoundaryKindAndNameTheOthersInKeyModelAlso for Dto$i {}"
      [[ $style == no-one-kind ]] && one_kind=''
      local wrapper_attrs=$attrs
      [[ $style == no-wrapper-attrs ]] && wrapper_attrs=''
      echo "$wrapper_attrs const _: () = { $import $proof
unsafe impl $km::ApiDto for Dto$i {}
$one_kind
#[automatically_derived] #[diagnostic::do_not_recommend] unsafe impl $km::SecretFree for Dto$i {}
};"
    done
  } >> "$dir/src/lib.rs"
}

levers() {
  export CARGO_TARGET_DIR="$work/target"
  declare -A ir
  local styles=(hand no-import no-item-allow no-wrapper-attrs no-one-kind shared-struct where-fn no-proof) v base
  gen serde 'serde::Serialize' 'serde::Serialize' 'pub token: String,'
  gen boundary 'serde::Serialize, ApiDto' 'serde::Serialize, SecretFree' 'pub token: String,'
  gen_empty
  for v in "${styles[@]}"; do gen_hand "lever-$v" "$v"; done
  echo
  echo "levers: cargo $cmd of $n DTOs, rustc instructions (callgrind) less an empty crate's"
  base=$(instructions empty)
  for v in serde boundary "${styles[@]/#/lever-}"; do
    ir[$v]=$(( $(instructions "$v") - base ))
    printf '  %-18s %13d  / serde %.3f  over serde %+12d  vs (b) %+12d\n' "$v" "${ir[$v]}" \
      "$(ratio "${ir[$v]}" "${ir[serde]}")" $(( ${ir[$v]} - ${ir[serde]} )) $(( ${ir[$v]} - ${ir[boundary]:-${ir[$v]}} ))
  done
}

part2() {
  export CARGO_TARGET_DIR="$work/clean"
  local krate full=() alone=() start end
  echo
  echo "part 2: clean cargo build of each derive crate (dev profile), $runs runs, wall seconds"
  for krate in key-model-derive serde_derive; do
    full=()
    alone=()
    for _ in $(seq 1 "$runs"); do
      rm -rf "$CARGO_TARGET_DIR"
      start=$(now)
      cargo build -q --locked -p "$krate"
      end=$(now)
      full+=("$(elapsed "$start" "$end")")
      cargo clean -q -p "$krate"
      start=$(now)
      cargo build -q --locked -p "$krate"
      end=$(now)
      alone+=("$(elapsed "$start" "$end")")
    done
    printf '  %-16s with proc-macro2, quote, syn: runs %s -> median %s s\n' \
      "$krate" "${full[*]}" "$(printf '%s\n' "${full[@]}" | median)"
    printf '  %-16s the crate alone:              runs %s -> median %s s\n' \
      "$krate" "${alone[*]}" "$(printf '%s\n' "${alone[@]}" | median)"
  done
  rm -rf "$CARGO_TARGET_DIR"
  echo
  echo "syn features each enables (cargo tree -e normal,features --depth 1 -p CRATE):"
  for krate in key-model-derive serde_derive; do
    echo "  $krate: $(cargo tree -q --locked -e normal,features --depth 1 --prefix none -p "$krate" \
      | grep '^syn feature' | sed 's/syn feature //; s/"//g' | sort -u | tr '\n' ' ')"
  done
}

case $part in
  1) part1 ;;
  levers) levers ;;
  2) part2 ;;
  *) part1; part2 ;;
esac
