#!/usr/bin/env python3
"""Build tracker/data/background_df.tsv.gz: document frequencies of content tokens in policy prose.

A single diff holds a few hundred claims, too few to tell a generic policy word
("cooperation", "security") from a telling one ("tariffs", "Taiwan") by its IDF alone. The
matcher therefore pools its local counts with these background counts, taken from real
manifesto and platform sentences (../shared/datasets, not shipped: only the counts are).

Usage: .venv/bin/python scripts/build_idf.py [../shared/datasets]
"""

from __future__ import annotations

import csv
import gzip
import sys
from collections import Counter
from pathlib import Path

from tracker.claims.normalize import normalize
from tracker.compare.features import features

MIN_DF = 3
OUT = Path(__file__).resolve().parent.parent / "tracker" / "data" / "background_df.tsv.gz"


def sentences(root: Path) -> list[str]:
    out: list[str] = []
    with gzip.open(
        root / "manifestosentsUK" / "manifestosentsUK.csv.gz", "rt", encoding="utf-8"
    ) as fh:
        out += [row["texts"] for row in csv.DictReader(fh)]
    for path in sorted((root / "manifesto_us_platforms").glob("616*.csv")) + sorted(
        (root / "manifesto_us_platforms").glob("613*.csv")
    ):
        with path.open(encoding="utf-8") as fh:
            out += [row["text"] for row in csv.DictReader(fh)]
    return [s for s in out if len(s.split()) >= 4]


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/datasets")
    docs = sentences(root)
    df: Counter[str] = Counter()
    for text in docs:
        tokens = features(normalize(text)).tokens
        df.update(set(tokens))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 keeps the file byte-identical across rebuilds.
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(f"#documents\t{len(docs)}\n".encode())
        for term, n in sorted(df.items(), key=lambda kv: (-kv[1], kv[0])):
            if n >= MIN_DF:
                gz.write(f"{term}\t{n}\n".encode())
    kept = sum(1 for n in df.values() if n >= MIN_DF)
    print(
        f"{len(docs)} sentences, {kept} terms with df >= {MIN_DF} -> {OUT} "
        f"({OUT.stat().st_size // 1024} KiB)"
    )


if __name__ == "__main__":
    main()
