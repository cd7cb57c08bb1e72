#!/usr/bin/env python3
"""Vexil's subject-weight layout in plain Python, independent of the TypeScript code.

Checks every layout of conformance/subject-weights.json:

    python3 conformance/tools/subject_weights.py

A weight table ({subject: whole-number weight}) becomes one bucket per subject, for a seed:
order the subjects by their ordinary bucket under the seed (ties by code point), lay them
along [0, 100000) in proportion to their weights, and give each the middle of its interval.
"""
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from murmur3 import BUCKETS, bucket  # noqa: E402

MAX_TOTAL_WEIGHT = 10_000_000_000


def weighted_buckets(seed: str, weights: dict[str, int]) -> list[tuple[str, int]]:
    """(subject, bucket) in layout order."""
    # Python compares str by code point, which is the order Vexil specifies for ties.
    order = sorted(weights, key=lambda subject: (bucket(seed, subject), subject))
    total = sum(weights.values())
    assert all(isinstance(w, int) and w >= 1 for w in weights.values()), "weights are whole numbers >= 1"
    assert total <= MAX_TOTAL_WEIGHT, "a table's weights sum to at most 10**10"
    out, before = [], 0
    for subject in order:
        w = weights[subject]
        out.append((subject, (2 * before + w) * BUCKETS // (2 * total)))
        before += w
    return out


def check(path: pathlib.Path) -> int:
    vectors = json.loads(path.read_text(encoding="utf-8"))
    failures = 0
    for v in vectors["layouts"]:
        got = weighted_buckets(v["seed"], v["weights"])
        want = [(e["subject"], e["bucket"]) for e in v["layout"]]
        hashes = [(e["subject"], e["hashBucket"]) for e in v["layout"]]
        if got != want or hashes != [(s, bucket(v["seed"], s)) for s, _ in got]:
            failures += 1
            print(f"layout mismatch: {v['description']}:\n  got  {got}\n  want {want}")
    total = len(vectors["layouts"])
    print(f"{total - failures}/{total} layouts agree")
    return 1 if failures else 0


if __name__ == "__main__":
    default = pathlib.Path(__file__).resolve().parent.parent / "subject-weights.json"
    sys.exit(check(pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else default))
