#!/usr/bin/env python3
"""Ratios of the store bench (tests/benches/stores.rs) from criterion's
estimates: run `cargo bench -p key-model-tests --bench stores` first, then
`python3 scripts/bench/store-ratios.py` from the workspace root. Prints criterion's
median per side, each store against raw XChaCha20-Poly1305 (target <= 1.10),
and the throughput of two threads against one on one ring (target >= 1.7).
The bench itself prints rotate latency (p50, p99) and the cold start."""

import json
import os
import sys

CRITERION = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "target", "criterion")


def median_ns(*parts):
    path = os.path.join(CRITERION, *parts, "new", "estimates.json")
    try:
        with open(path) as f:
            return json.load(f)["median"]["point_estimate"]
    except FileNotFoundError:
        return None


def main():
    for op in ("encrypt", "decrypt"):
        raw = median_ns("store_cached", op, "raw")
        if raw is None:
            sys.exit("missing estimates: run `cargo bench -p key-model-tests --bench stores` first")
        for store in ("memory", "sqlite", "postgres"):
            ns = median_ns("store_cached", op, store)
            if ns is not None:
                print(f"{op} 4 KiB  {store:9} {ns:9.1f} ns   raw {raw:9.1f} ns   ratio {ns / raw:.3f}")
    one, two = median_ns("store_threads", "decrypt", "1"), median_ns("store_threads", "decrypt", "2")
    if one is not None and two is not None:
        # One iteration is one decrypt per thread: two threads do twice the work.
        print(f"2 threads / 1 thread throughput: {2 * one / two:.2f}x "
              f"(1 thread {one:.1f} ns per decrypt, 2 threads {two:.1f} ns per pair)")


if __name__ == "__main__":
    main()
