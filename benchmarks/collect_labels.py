"""Bring judged labelling tasks back as labels by claim hash (no claim text).

Reads ``keys.tsv`` and ``done/*.labels.tsv`` of a task folder written by ``label_tasks.py``
and writes ``data/pair_labels.tsv`` (unit, old hash, new hash, label, labeller). Labels
already in the file are kept; a pair judged again takes the newer label.

    .venv/bin/python benchmarks/collect_labels.py --tasks /work/labelling
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

LABELS = Path(__file__).resolve().parent / "data" / "pair_labels.tsv"
HEADER = (
    "# Labelled claim pairs for the matcher (benchmarks/fit_matcher.py). Claims are named by the\n"
    "# first 16 hex digits of SHA-256 of their whitespace-normalised text; no text is stored.\n"
    "# label: same (same assertion, same subject), related (same specific subject, another\n"
    "# assertion), different (anything else). Units and the frozen split: benchmarks/pairsets.py.\n"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=Path, required=True)
    args = parser.parse_args()
    rows: dict[tuple[str, str, str], tuple[str, str]] = {}
    if LABELS.exists():
        for line in LABELS.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or line.startswith("unit\t"):
                continue
            unit, old, new, label, who = line.split("\t")
            rows[(unit, old, new)] = (label, who)
    with (args.tasks / "keys.tsv").open(encoding="utf-8") as f:
        keys = {r["pid"]: r for r in csv.DictReader(f, delimiter="\t")}
    who_of = {}
    for path in sorted((args.tasks / "doing").glob("*.tsv")):
        batch, who = path.name.split(".")[:2]
        who_of[batch] = who
    for path in sorted((args.tasks / "done").glob("*.labels.tsv")):
        batch = path.name.split(".")[0]
        with path.open(encoding="utf-8") as f:
            for r in csv.DictReader(f, delimiter="\t"):
                label = (r.get("label") or "").strip().lower()
                key = keys.get((r.get("pid") or "").strip())
                if key is None or label not in ("same", "related", "different"):
                    continue
                rows[(key["unit"], key["old"], key["new"])] = (label, who_of.get(batch, "?"))
    with LABELS.open("w", encoding="utf-8") as f:
        f.write(HEADER)
        f.write("unit\told\tnew\tlabel\tlabeller\n")
        for (unit, old, new), (label, who) in sorted(rows.items()):
            f.write(f"{unit}\t{old}\t{new}\t{label}\t{who}\n")
    print(f"{len(rows)} labels in {LABELS}")


if __name__ == "__main__":
    main()
