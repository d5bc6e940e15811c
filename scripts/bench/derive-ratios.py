#!/usr/bin/env python3
"""Ratios of the derive benches (tests/benches/derives.rs) from criterion's
estimates: run `cargo bench -p key-model-tests --bench derives` first, then
`python3 scripts/bench/derive-ratios.py` from the workspace root. Prints criterion's
median for each side and the ratio of medians (see docs/performance.md)."""

import json
import os
import sys

CRITERION = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "target", "criterion")

# (group, measured side, baseline side, what the ratio shows)
PAIRS = [
    ("debug", "redacted", "std", "RedactedDebug / std Debug"),
    ("debug", "veil", "redacted", "veil / RedactedDebug"),
    ("serialize", "redacted", "serde", "RedactedSerialize / serde"),
    ("boundary", "api", "plain", "with ApiDto / without"),
]


def median_ns(group, side, size):
    path = os.path.join(CRITERION, group, side, size, "new", "estimates.json")
    with open(path) as f:
        return json.load(f)["median"]["point_estimate"]


def main():
    for group, side, base, label in PAIRS:
        for size in ("large", "small"):
            try:
                a, b = median_ns(group, side, size), median_ns(group, base, size)
            except FileNotFoundError as err:
                sys.exit(f"missing estimate ({err.filename}): run the bench first")
            print(f"{label:28} {size:6} {side:>9} {a:8.1f} ns  {base:>9} {b:8.1f} ns  ratio {a / b:.3f}")


if __name__ == "__main__":
    main()
