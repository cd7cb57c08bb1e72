#!/usr/bin/env python3
"""An independent MurmurHash3 (x86, 32-bit) and Vexil bucketing, in plain Python.

Checks every vector of conformance/hash.json without using the TypeScript code:

    python3 conformance/tools/murmur3.py

It is also a short reference for SDK authors in other languages.
"""
import json
import pathlib
import sys

BUCKET_LIMIT = 4_294_900_000  # the largest multiple of 100 000 below 2**32
BUCKETS = 100_000
MASK = 0xFFFFFFFF


def _rotl(x: int, r: int) -> int:
    return ((x << r) | (x >> (32 - r))) & MASK


def murmur3(data: bytes, seed: int = 0) -> int:
    c1, c2 = 0xCC9E2D51, 0x1B873593
    h = seed & MASK
    blocks = len(data) // 4
    for i in range(blocks):
        k = int.from_bytes(data[4 * i : 4 * i + 4], "little")
        k = (k * c1) & MASK
        k = _rotl(k, 15)
        k = (k * c2) & MASK
        h ^= k
        h = _rotl(h, 13)
        h = (h * 5 + 0xE6546B64) & MASK
    tail = data[4 * blocks :]
    if tail:
        k = int.from_bytes(tail, "little")
        k = (k * c1) & MASK
        k = _rotl(k, 15)
        k = (k * c2) & MASK
        h ^= k
    h ^= len(data)
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & MASK
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & MASK
    h ^= h >> 16
    return h


def utf8(text: str) -> bytes:
    # Lone surrogates (possible in JSON text) encode as U+FFFD, as JavaScript's TextEncoder does.
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace").encode("utf-8")


def bucket_hash(seed: str, value: str) -> tuple[int, int]:
    """(accepted hash, hash seed that produced it)."""
    data = utf8(seed + "/" + value)
    hash_seed = 0
    h = murmur3(data, hash_seed)
    while h >= BUCKET_LIMIT:
        hash_seed += 1
        h = murmur3(data, hash_seed)
    return h, hash_seed


def bucket(seed: str, value: str) -> int:
    return bucket_hash(seed, value)[0] % BUCKETS


def check(path: pathlib.Path) -> int:
    vectors = json.loads(path.read_text(encoding="utf-8"))
    failures = 0
    for v in vectors["murmur3"]:
        data = utf8(v["text"])
        if "utf8" in v and data.hex() != v["utf8"]:
            failures += 1
            print(f"utf8 mismatch: {v['description']}: {data.hex()} != {v['utf8']}")
        got = murmur3(data, v["seed"])
        if got != v["hash"]:
            failures += 1
            print(f"murmur3 mismatch: {v['description']}: {got} != {v['hash']}")
    for v in vectors["bucket"]:
        h, hash_seed = bucket_hash(v["seed"], v["value"])
        got = (h, hash_seed, h % BUCKETS)
        want = (v["hash"], v["hashSeed"], v["bucket"])
        if got != want:
            failures += 1
            print(f"bucket mismatch: {v['description']}: {got} != {want}")
    total = len(vectors["murmur3"]) + len(vectors["bucket"])
    print(f"{total - failures}/{total} vectors agree")
    return 1 if failures else 0


if __name__ == "__main__":
    default = pathlib.Path(__file__).resolve().parent.parent / "hash.json"
    sys.exit(check(pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else default))
