"""Ship the matcher's training data as numbers: one row per labelled pair.

``tracker matcher fit`` refits the pair model on the shipped labels plus a store's review
verdicts, but the labelled claims' texts live in ``../shared`` and are never copied into the
package. So this script computes every labelled pair's evidence row exactly as
``fit_matcher.py`` does (inside its unit's diff) and writes only numbers and labels to
``tracker/data/matcher_training.tsv.gz``:

    unit, split (train/test, pairsets.TEST_UNITS), source, label, one column per
    tracker.compare.evidence.FEATURE_NAMES (6 significant digits)

Run it again whenever the evidence columns or the labels change:

    .venv/bin/python benchmarks/export_training.py
"""

from __future__ import annotations

import argparse
import gzip
import io
import time
from pathlib import Path

from fit_matcher import labelled_pairs, read_labels

from tracker.compare.evidence import FEATURE_NAMES

OUT = Path(__file__).resolve().parent.parent / "tracker" / "data" / "matcher_training.tsv.gz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the rows")
    args = parser.parse_args()
    started = time.perf_counter()
    found = labelled_pairs(read_labels())
    buffer = io.StringIO()
    buffer.write("\t".join(("unit", "split", "source", "label", *FEATURE_NAMES)) + "\n")
    rows = 0
    for up in found:
        for label, values in zip(up.labels, up.matrix.tolist(), strict=True):
            cells = [f"{v:.6g}" for v in values]
            buffer.write("\t".join((up.unit.name, up.unit.split, up.unit.source, label, *cells)))
            buffer.write("\n")
            rows += 1
    # mtime=0 and no file name: the same rows always give the same bytes.
    with (
        args.out.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz,
    ):
        gz.write(buffer.getvalue().encode("utf-8"))
    took = time.perf_counter() - started
    print(f"wrote {rows} labelled pairs of {len(found)} units to {args.out} in {took:.0f} s")


if __name__ == "__main__":
    main()
