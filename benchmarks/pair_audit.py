"""How often is a pair the engine makes on the seed briefs right, by confidence band?

The gold files check a few chosen pairs; this audit checks every pair. The five seed briefs
(../shared/seeds, filed as ``score.py`` files them: manifest dates and titles) are ingested
into a fresh SQLite database and diffed as 2021 → 2023, 2023 → 2024 and 2021 → 2024. Each
pair (modified or unchanged) is looked up in ``data/seed_pair_labels.tsv``, hand labels
written on 2026-11-23: 1 when the two claims state the same position (restated, reworded or
changed), 0 when they do not. Claims are named there by a hash of their text, so the file
holds no brief text.

Reported per confidence band (``tracker.compare.model.confidence``): pairs, labelled pairs,
right ones and precision; overall, how many of the labelled true pairs the run still makes
(recall against the labels). Pairs the labels do not cover (the engine changed) are counted;
``--show-unlabelled`` prints them to be judged and added to the file.

    .venv/bin/python benchmarks/pair_audit.py
    .venv/bin/python benchmarks/pair_audit.py --min-score 0.3
    .venv/bin/python benchmarks/pair_audit.py --embeddings MODEL_DIR --show-unlabelled
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
from collections import Counter
from pathlib import Path

from _common import ROOT, require

from tracker.app.diffs import diff
from tracker.compare.model import CONFIDENCES, DiffOptions
from tracker.compare.semantic import Encoder, load_encoder
from tracker.ingest.service import Overrides, ingest_file
from tracker.store.db import open_database

SEEDS = ROOT.parent / "shared" / "seeds"
LABELS = Path(__file__).resolve().parent / "data" / "seed_pair_labels.tsv"
YEAR_PAIRS = (("2021", "2023"), ("2023", "2024"), ("2021", "2024"))

Key = tuple[str, str, str, str]  # from, to, old claim hash, new claim hash


def claim_hash(text: str) -> str:
    """What the labels file names a claim by."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


def read_labels(path: Path) -> dict[Key, int]:
    labels: dict[Key, int] = {}
    lines = [x for x in path.read_text(encoding="utf-8").splitlines() if not x.startswith("#")]
    for line in lines[1:]:  # the first is the header
        a, b, old, new, label = line.split("\t")
        labels[(a, b, old, new)] = int(label)
    return labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, default=SEEDS, help="seed folder with manifest")
    parser.add_argument("--min-score", type=float, help="the diff's --min-score (default off)")
    parser.add_argument("--embeddings", metavar="DIR", help="sentence-embedding model (off)")
    parser.add_argument("--show-unlabelled", action="store_true", help="print unlabelled pairs")
    args = parser.parse_args()

    labels = read_labels(LABELS)
    manifest = json.loads(require(args.seeds / "manifest.json").read_text(encoding="utf-8"))
    encoder: Encoder | None = load_encoder(args.embeddings) if args.embeddings else None
    options = DiffOptions(min_score=args.min_score)

    made: set[Key] = set()
    pairs: Counter[str] = Counter()
    labelled: Counter[str] = Counter()
    right: Counter[str] = Counter()
    unlabelled: list[str] = []
    with tempfile.TemporaryDirectory(prefix="tracker-audit-") as tmp:
        db = open_database(str(Path(tmp) / "tracker.db"))
        for brief in manifest["briefs"]:
            overrides = Overrides(date=brief["date"], title=brief["title"])
            ingest_file(db, require(args.seeds / brief["file"]), overrides)
        for a, b in YEAR_PAIRS:
            result = diff(db, a, b, options, encoder=encoder)
            for change in result.changes:
                if change.old is None or change.new is None or change.confidence is None:
                    continue
                key = (a, b, claim_hash(change.old.text), claim_hash(change.new.text))
                made.add(key)
                band = change.confidence
                pairs[band] += 1
                if key in labels:
                    labelled[band] += 1
                    right[band] += labels[key]
                else:
                    unlabelled.append(
                        f"{a}\t{b}\t{key[2]}\t{key[3]}\t?\t{change.score:.3f}\n"
                        f"  old: {change.old.text}\n  new: {change.new.text}"
                    )
        db.engine.dispose()

    print(f"{'band':<9} {'pairs':>6} {'labelled':>9} {'right':>6} {'precision':>10}")
    rows: list[str] = [*CONFIDENCES, "all"]
    for row in rows:
        n = sum(pairs.values()) if row == "all" else pairs[row]
        m = sum(labelled.values()) if row == "all" else labelled[row]
        r = sum(right.values()) if row == "all" else right[row]
        precision = f"{r / m:.0%}" if m else "—"
        print(f"{row:<9} {n:>6} {m:>9} {r:>6} {precision:>10}")
    true_pairs = {k for k, v in labels.items() if v}
    found = len(true_pairs & made)
    print(f"\nlabelled true pairs made: {found} of {len(true_pairs)}")
    print(f"pairs without a label: {len(unlabelled)}")
    if args.show_unlabelled:
        print("\n".join(unlabelled))


if __name__ == "__main__":
    main()
