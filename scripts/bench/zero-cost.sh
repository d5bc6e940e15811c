#!/usr/bin/env bash
# The boundary derives add no code to a binary (issue 7; see
# docs/performance.md). Builds two tiny programs that differ only in
# `ApiDto` (and `SecretFree` on the nested type) on the DTO they serialize,
# in the dev and release profiles, and compares their `.text` sizes and
# their lists of function symbols (hashes stripped, since the two crates'
# names differ). Exits non-zero if anything differs, or if a symbol of the
# derives' own (`SecretFree`, `ApiDto`, `__key_model`) is present.
#
#   bash scripts/bench/zero-cost.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
work="$root/target/zero-cost"
mkdir -p "$work"
export CARGO_TARGET_DIR="$work/target"

gen() { # name derives nested-derives
  local dir="$work/$1"
  mkdir -p "$dir/src"
  cat > "$dir/Cargo.toml" <<TOML
[package]
name = "zc-$1"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
key-model = { path = "$root/key-model" }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
TOML
  cp "$root/Cargo.lock" "$dir/Cargo.lock"
  cat > "$dir/src/main.rs" <<RS
#[allow(unused_imports)]
use key_model::{ApiDto, KeyRef, SecretFree};

#[derive($3)]
struct Recording {
    label: String,
    bytes: u64,
}

#[derive($2)]
struct Session {
    id: u64,
    name: String,
    description: Option<String>,
    encryption_key_ref: KeyRef,
    recording: Recording,
    tags: Vec<String>,
}

fn main() {
    let session = Session {
        id: std::env::args().count() as u64,
        name: "ssh session".into(),
        description: None,
        encryption_key_ref: "tenants/acme/keys/ssh-session-recording/versions/3"
            .parse()
            .expect("key ref"),
        recording: Recording { label: "r-1".into(), bytes: 10 },
        tags: vec!["prod".into()],
    };
    serde_json::to_writer(std::io::stdout(), &session).expect("stdout");
}
RS
}

gen plain 'serde::Serialize' 'serde::Serialize'
gen api 'serde::Serialize, ApiDto' 'serde::Serialize, SecretFree'

symbols() { # binary: defined function symbols, demangled, without hashes
  nm -C --defined-only "$1" | awk '$2 ~ /^[tTwW]$/ { $1 = ""; $2 = ""; print substr($0, 3) }' \
    | sed -E 's/::h[0-9a-f]{16}$//; s/zc_(plain|api)/zc/g' | sort
}
text() { size -A "$1" | awk '$1 == ".text" { print $2 }'; }

status=0
for profile in dev release; do
  dir=$([[ $profile == dev ]] && echo debug || echo release)
  for v in plain api; do
    (cd "$work/$v" && cargo build -q --profile "$profile")
    "$CARGO_TARGET_DIR/$dir/zc-$v" > "$work/$v.$profile.out"
  done
  plain="$CARGO_TARGET_DIR/$dir/zc-plain"
  api="$CARGO_TARGET_DIR/$dir/zc-api"
  cmp -s "$work/plain.$profile.out" "$work/api.$profile.out" || { echo "$profile: outputs differ"; status=1; }
  echo "$profile: .text plain $(text "$plain") B, api $(text "$api") B"
  [[ $(text "$plain") == $(text "$api") ]] || { echo "$profile: .text sizes differ"; status=1; }
  if diff <(symbols "$plain") <(symbols "$api") > "$work/symbols.$profile.diff"; then
    echo "$profile: function symbols identical ($(symbols "$api" | wc -l) of them)"
  else
    echo "$profile: function symbols differ:"; cat "$work/symbols.$profile.diff"; status=1
  fi
  if symbols "$api" | grep -E 'SecretFree|ApiDto|__key_model'; then
    echo "$profile: the derives left symbols in the binary"; status=1
  fi
done
exit $status
