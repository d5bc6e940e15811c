#!/usr/bin/env bash
# Load test of the reference service on loopback (issue 15; figures in
# docs/performance.md): GET one SSH session record through the API
# (`ApiJson`, key-model's API sink) against a bench-only twin route that
# sends the same record with plain serde_json (both behind the same token
# check and record lookup), in alternating rounds of one run; then uploads of a
# 4 KiB recording (encrypted under the tenant's key, stored, audited), set
# beside the raw AEAD's throughput on the same 4 KiB payload (XChaCha20-
# Poly1305 seals in a loop, `load_twin raw-aead`, on one thread and on as
# many as the machine has cores). Prints the date and the load average
# before and after, since a shared machine's figures mean nothing without.
# Needs wrk (bash scripts/install-test-deps.sh wrk). Bounded: ROUNDS x 2 runs of
# SECONDS_PER_RUN seconds, one upload run and two raw AEAD runs.
set -euo pipefail
cd "$(dirname "$0")/../.."

ROUNDS=${ROUNDS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
command -v wrk >/dev/null || { echo "wrk is missing: bash scripts/install-test-deps.sh wrk (apt-get install -y wrk)" >&2; exit 1; }
cargo build --locked --release -q -p key-model-service --example load_twin
echo "start $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"

out=$(mktemp)
target/release/examples/load_twin >"$out" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -f "$out" "$out.lua" "$out.body" "$out.results"' EXIT
for _ in $(seq 100); do grep -q '^session ' "$out" && break; sleep 0.1; done
addr=$(sed -n 's/^addr //p' "$out")
token=$(sed -n 's/^token //p' "$out")
session=$(sed -n 's/^session //p' "$out")

run() { # name url [wrk args...]
    local name=$1 url=$2
    shift 2
    wrk -t1 -c8 -d"${SECONDS_PER_RUN}s" --latency "$@" "$url" \
        | awk -v n="$name" '/Requests\/sec/ {rps=$2} / 99%/ {p99=$2} / [0-9]+ requests in/ {n_req=$1} /Non-2xx/ {bad=$NF} END {printf "%-22s rps=%s p99=%s requests=%s non2xx=%s\n", n, rps, p99, n_req, bad+0}' \
        | tee -a "$out.results"
}

for round in $(seq "$ROUNDS"); do
    run "round $round ApiJson" "http://$addr/api/ssh-sessions/$session" -H "Authorization: Bearer $token"
    run "round $round serde_json" "http://$addr/bench/plain/$session" -H "Authorization: Bearer $token"
done

head -c 4096 /dev/zero | tr '\0' 'x' >"$out.body"
cat >"$out.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/octet-stream"
wrk.headers["Authorization"] = "Bearer $token"
local f = io.open("$out.body", "rb"); wrk.body = f:read("*a"); f:close()
LUA
run "upload 4 KiB" "http://$addr/api/ssh-sessions" -s "$out.lua"

# The raw AEAD on the same payload, once the server is idle (it stays up,
# idle, so both share the machine as the upload run did).
target/release/examples/load_twin raw-aead "$SECONDS_PER_RUN" 1 | tee -a "$out.results"
target/release/examples/load_twin raw-aead "$SECONDS_PER_RUN" "$(nproc)" | tee -a "$out.results"

# The two comparisons the figures are for: requests per second through the
# sink against the twin over all rounds, and uploads against raw seals.
awk '
    { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
    / ApiJson / { api += v["rps"] }
    / serde_json / { plain += v["rps"] }
    /^upload/ { upload = v["rps"] }
    /^raw_aead threads=1 / { raw1 = v["seals/s"] }
    END {
        printf "ratio ApiJson / serde_json over the rounds: %.3f (%.0f / %.0f req/s)\n", api / plain, api, plain
        printf "upload 4 KiB: %.0f req/s = %.2f MiB/s; raw XChaCha20-Poly1305 on one thread: %.0f seals/s = %.0f MiB/s; upload / raw = %.4f\n", upload, upload * 4096 / 1048576, raw1, raw1 * 4096 / 1048576, upload / raw1
    }' "$out.results"
echo "end $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
