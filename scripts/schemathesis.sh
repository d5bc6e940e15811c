#!/usr/bin/env bash
# Property-based API test of the reference service: starts `serve --demo` on
# 127.0.0.1 (a free port) and a temporary data directory, runs Schemathesis
# against /api/openapi.json as tenant acme for a bounded number of cases
# (every check: no 5xx, every response as documented, invalid requests
# rejected), then checks the service's log for any 5xx. Schemathesis comes
# from scripts/install-test-deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

st="${KEY_MODEL_TEST_DEPS:-$HOME/.cache/key-model-test-deps}/schemathesis/bin/schemathesis"
[[ -x $st ]] || { echo "schemathesis is missing: run scripts/install-test-deps.sh" >&2; exit 1; }
cargo build --locked -q -p key-model-service

dir=$(mktemp -d)
out="$dir/stdout"
log="$dir/stderr"
target/debug/key-model-service serve --listen 127.0.0.1:0 --data-dir "$dir/data" --demo >"$out" 2>"$log" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT

for _ in $(seq 100); do
    grep -q '^serving on ' "$out" && break
    sleep 0.1
done
base=$(sed -n 's|^serving on \(http://[^/]*\)/.*|\1|p' "$out")
token=$(sed -n 's/^demo tenant acme: sign in with token //p' "$out")
[[ -n $base && -n $token ]] || { echo "the service did not start" >&2; exit 1; }

"$st" run "$base/api/openapi.json" -H "Authorization: Bearer $token" \
    --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-50}" --checks all --seed 1

if grep -E ' 5[0-9][0-9]$' "$log"; then
    echo "the service answered with a 5xx (above)" >&2
    exit 1
fi
echo "schemathesis: no failure; the service's log has no 5xx ($(grep -c '' "$log") lines)"
