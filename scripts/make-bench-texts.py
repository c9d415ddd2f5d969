#!/usr/bin/env python3
"""Builds the scale-out benchmark's texts, deterministically, from ../shared (never committed).

Usage: scripts/make-bench-texts.py [N] [OUT_DIR]   (defaults: 100000, target/bench-texts)
Writes OUT_DIR/texts.txt (one text per line, for `embed4j encode`) and OUT_DIR/texts.jsonl
({"id", "text"}, for the Spark job): the same N texts in the same order.

Sources, in this order, each text once: SciFact corpus titles and abstract sentences, STS-B
sentences, NQ-UTD passages and their sentences, then pairs of consecutive SciFact sentences
until N is reached. Sentence-sized texts, as short passages of a real corpus would be.
"""
import json
import os
import re
import sys

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
OUT = sys.argv[2] if len(sys.argv) > 2 else "target/bench-texts"
SHARED = os.environ.get("EMBED4J_SHARED", os.path.join(os.path.dirname(__file__), "..", "..", "shared"))
SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\[])")


def sentences(text):
    return [s.strip() for s in SPLIT.split(text) if len(s.strip()) >= 20]


def jsonl(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def main():
    seen, texts = set(), []

    def add(t):
        t = " ".join(t.split())
        if t and t not in seen and len(texts) < N:
            seen.add(t)
            texts.append(t)

    scifact = list(jsonl(os.path.join(SHARED, "datasets/scifact/corpus.jsonl")))
    for d in scifact:
        add(d.get("title", ""))
        for s in sentences(d.get("text", "")):
            add(s)
    for name in ("sts-train.csv", "sts-dev.csv", "sts-test.csv"):
        with open(os.path.join(SHARED, "datasets/stsbenchmark", name), encoding="utf-8") as f:
            for line in f:
                cols = line.rstrip("\n").split("\t")
                for c in cols[5:7]:
                    add(c)
    for d in jsonl(os.path.join(SHARED, "datasets/nq-utd/corpus.jsonl")):
        add(d.get("text", ""))
        for s in sentences(d.get("text", "")):
            add(s)
    for d in scifact:
        ss = sentences(d.get("text", ""))
        for a, b in zip(ss, ss[1:]):
            add(a + " " + b)
    if len(texts) < N:
        sys.exit(f"only {len(texts)} distinct texts in {SHARED}; asked for {N}")
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "texts.txt"), "w", encoding="utf-8") as t, \
         open(os.path.join(OUT, "texts.jsonl"), "w", encoding="utf-8") as j:
        for i, s in enumerate(texts):
            t.write(s + "\n")
            j.write(json.dumps({"id": f"t{i:06d}", "text": s}, ensure_ascii=False) + "\n")
    chars = sum(len(s) for s in texts)
    print(f"{len(texts)} texts, {chars / len(texts):.0f} characters on average -> {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
