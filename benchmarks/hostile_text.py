"""Time each claim-pipeline stage on hostile texts at two sizes, to spot super-linear cost.

Each case is built at size n and 2n (default n = 50,000); a stage whose time grows by much
more than 2× when the input doubles is quadratic (or worse) somewhere. The texts are made up
here; no dataset is read.

    .venv/bin/python benchmarks/hostile_text.py            # n = 50000 and 100000
    .venv/bin/python benchmarks/hostile_text.py --n 20000  # smaller, quicker
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from tracker.claims.cleanup import clean_blocks
from tracker.claims.normalize import normalize
from tracker.claims.quantities import extract_quantities
from tracker.claims.segment import split_sentences
from tracker.claims.split import atomic_spans


def _sentence_of_words(n: int) -> str:
    return ("word " * (n // 5)).strip() + "."


CASES: dict[str, Callable[[int], str]] = {
    # One sentence of n characters, no punctuation inside.
    "long sentence": _sentence_of_words,
    # n tiny lines ("ab"), each a heading-like line of its own.
    "tiny lines": lambda n: "ab\n" * (n // 3),
    # n tiny lines separated by blank lines: n tiny paragraphs.
    "tiny paragraphs": lambda n: "ab\n\n" * (n // 4),
    # Abbreviations that never end the sentence: each candidate boundary looks back.
    "abbreviations": lambda n: "Dr. " * (n // 4) + "end.",
    # Commas everywhere: list-item detection.
    "commas": lambda n: "x, " * (n // 3) + "end.",
    # Semicolons between long enough clauses: clause splitting.
    "semicolons": lambda n: "one two three four five; " * (n // 25) + "end.",
    # ", and <Name> was" coordinated clauses.
    "and-clauses": lambda n: "the ministers met in the city, and Anna was " * (n // 44) + "x.",
    # Policy verbs with no "to" before them in one comma segment.
    "policy verbs": lambda n: "build " * (n // 6) + ", raise x y, cut x y, end z w.",
    # Open parentheses and stars that are never closed.
    "open brackets": lambda n: "(a " * (n // 3) + "end.",
    "stars": lambda n: "*a " * (n // 3) + "end.",
    # Numbers everywhere.
    "numbers": lambda n: "5 " * (n // 2) + "percent.",
    # Short numbered lines without punctuation, which cleanup joins into one paragraph.
    "numbered lines": lambda n: "".join(f"item {i}\n" for i in range(n // 10)),
    # One-word sentences, one per line.
    "tiny sentences": lambda n: "".join(f"Go {i}.\n" for i in range(n // 9)),
    # Alternating headings and byline-like names.
    "names": lambda n: "".join(f"Harbour Section {i}\n\nAnna Berg\n\n" for i in range(n // 40)),
    # Spaces before punctuation.
    "space punct": lambda n: "a ." * (n // 3),
}


def _stages(text: str) -> dict[str, float]:
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    blocks = clean_blocks(text)
    times["cleanup"] = time.perf_counter() - t0
    paras = [b.m.text for b in blocks if b.kind == "text"]
    t0 = time.perf_counter()
    sentences = [p[s:e] for p in paras for s, e in split_sentences(p)]
    times["segment"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    claims = [s[a:b] for s in sentences for a, b in atomic_spans(s)]
    times["split"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for c in claims:
        extract_quantities(c)
    times["quantities"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for c in claims:
        normalize(c)
    times["normalize"] = time.perf_counter() - t0
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50_000, help="base size in characters")
    parser.add_argument("--cases", default="", help="comma-separated case names (default all)")
    args = parser.parse_args()
    names = [c for c in args.cases.split(",") if c] or list(CASES)
    stages = ["cleanup", "segment", "split", "quantities", "normalize"]
    print(f"{'case':<16}" + "".join(f"{s:>22}" for s in stages))
    for name in names:
        small = _stages(CASES[name](args.n))
        large = _stages(CASES[name](2 * args.n))
        cells = []
        for s in stages:
            ratio = large[s] / small[s] if small[s] > 1e-4 else float("nan")
            cells.append(f"{large[s]:8.3f}s (×{ratio:4.1f})")
        print(f"{name:<16}" + "".join(f"{c:>22}" for c in cells), flush=True)


if __name__ == "__main__":
    main()
