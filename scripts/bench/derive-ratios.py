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
    ("debug", "redacted", "std-same", "RedactedDebug / std Debug, same output"),
    ("debug", "veil-same", "redacted", "veil / RedactedDebug, same length"),
    ("serialize", "redacted", "serde-same", "RedactedSerialize / serde, same output"),
    ("debug", "redacted", "std", "RedactedDebug / std Debug, as seen"),
    ("debug", "veil", "redacted", "veil / RedactedDebug, as seen"),
    ("serialize", "redacted", "serde", "RedactedSerialize / serde, as seen"),
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
            print(f"{label:40} {size:6} {side:>9} {a:8.1f} ns  {base:>10} {b:8.1f} ns  ratio {a / b:.3f}")


if __name__ == "__main__":
    main()
