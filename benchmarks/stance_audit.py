"""Are the stance flags and quantity changes the engine shows on matched pairs right?

Re-runs the diffs of the seed briefs (2021 → 2023, 2023 → 2024, 2021 → 2024, filed as
``score.py`` files them), the sample corpus (same year pairs) and consecutive versions of a
few official series of ``../shared/documents`` (the units of ``pairsets.py``), and looks up
every stance flag (one per pair and dimension: polarity, direction, modality) in
``data/stance_labels.tsv``: hand judgements by claim hash, 1 when the flag is right (the two
claims do differ in that dimension on the same predicate), 0 when it is wrong. No claim text
is stored there.

Reported: flags shown, labelled, right and precision per dimension; pairs carrying a flag and
the share whose every flag is right; labelled-right flags the run no longer shows (recall
against the labels); and, for quantities, how many moved quantity changes are shown on pairs
``data/pair_labels.tsv`` labels ``different`` (wrong pairs). ``--show-unlabelled`` prints
the flags without a label, with both claims, to be judged and appended.

    .venv/bin/python benchmarks/stance_audit.py
    .venv/bin/python benchmarks/stance_audit.py --show-unlabelled
    .venv/bin/python benchmarks/stance_audit.py --dump flags.tsv   # every flag shown, by key
    .venv/bin/python benchmarks/stance_audit.py --all-series       # every series, NDC PDFs too
    .venv/bin/python benchmarks/stance_audit.py --manifestos       # + the US and UK pairs
    .venv/bin/python benchmarks/stance_audit.py --held-out         # only the held-out UK pairs
    .venv/bin/python benchmarks/stance_audit.py --held-out-2       # the second held-out set
    .venv/bin/python benchmarks/stance_audit.py --held-out-3       # the third (session 12)

Flags are also counted by the split of ``pairsets`` (a unit of ``TEST_UNITS`` is test): the
stance rules are written by hand, from flags of train units only; the test units' flags say
whether a rule carries over. ``--held-out`` audits only ``pairsets.STANCE_HELD_OUT_UK``
(source ``ukx``): consecutive UK manifestos whose flags were labelled by helpers and read
for no rule, so their precision is the held-out measure of the rules as they stand.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from pairsets import DOCUMENTS, claim_hash, units

from tracker.compare.engine import compare
from tracker.compare.model import Change

DATA = Path(__file__).resolve().parent / "data"
LABELS = DATA / "stance_labels.tsv"
PAIR_LABELS = DATA / "pair_labels.tsv"
# The official series audited (Markdown releases; the PDF series are slow to read).
SERIES = (
    "quad-leaders",
    "g7-statements-on-ukraine",
    "us-ai-executive-orders",
    "us-climate-target",
    "us-china-trade",
)
DIMENSIONS = ("polarity", "direction", "modality")

Key = tuple[str, str, str, str]  # unit, old claim hash, new claim hash, dimension


def read_labels(path: Path) -> dict[Key, int]:
    """The stance judgements: (unit, old hash, new hash, dimension) → 1 right / 0 wrong."""
    labels: dict[Key, int] = {}
    if not path.exists():
        return labels
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("unit\t"):
            continue
        unit, old, new, dimension, label = line.split("\t")[:5]
        labels[(unit, old, new, dimension)] = int(label)
    return labels


def read_pair_labels(path: Path) -> dict[tuple[str, str, str], str]:
    """The matcher's pair labels: (unit, old hash, new hash) → same / related / different."""
    out: dict[tuple[str, str, str], str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("unit\t"):
            continue
        unit, old, new, label = line.split("\t")[:4]
        out[(unit, old, new)] = label
    return out


def _wanted(name: str, series: set[str]) -> bool:
    return not name.startswith("doc:") or name.split(":")[1] in series


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show-unlabelled", action="store_true", help="print unlabelled flags")
    parser.add_argument("--dump", type=Path, help="write every flag shown (key and words)")
    parser.add_argument(
        "--series", default=",".join(SERIES), help="official series to audit (comma-separated)"
    )
    parser.add_argument(
        "--all-series", action="store_true", help="every series of ../shared/documents"
    )
    parser.add_argument(
        "--manifestos", action="store_true", help="the US platform and UK manifesto pairs too"
    )
    parser.add_argument(
        "--held-out",
        action="store_true",
        help="only the held-out UK manifesto pairs (pairsets.STANCE_HELD_OUT_UK)",
    )
    parser.add_argument(
        "--held-out-2",
        action="store_true",
        help="only the second held-out UK set (pairsets.STANCE_HELD_OUT_UK_2)",
    )
    parser.add_argument(
        "--held-out-3",
        action="store_true",
        help="only the third held-out UK set (pairsets.STANCE_HELD_OUT_UK_3)",
    )
    args = parser.parse_args()
    series = {s for s in args.series.split(",") if s}
    if args.all_series:
        series = {p.name for p in DOCUMENTS.iterdir() if p.is_dir()}
    pdf = any(any((DOCUMENTS / s).glob("*.pdf")) for s in series)

    labels = read_labels(LABELS)
    pair_labels = read_pair_labels(PAIR_LABELS)
    shown: Counter[str] = Counter()
    labelled: Counter[str] = Counter()
    right: Counter[str] = Counter()
    pairs_flagged = pairs_labelled = pairs_right = 0
    made: set[Key] = set()
    unlabelled: list[str] = []
    dump: list[str] = []
    q_shown = q_on_labelled = q_on_wrong = 0

    by_split: Counter[tuple[str, str]] = Counter()
    sources = {"seeds", "sample", "doc"} | ({"us", "uk"} if args.manifestos else set())
    if args.held_out:
        sources = {"ukx"}
    if args.held_out_2:
        sources = {"uky"}
    if args.held_out_3:
        sources = {"ukz"}
    for unit in units(sources, pdf=pdf):
        if not _wanted(unit.name, series):
            continue
        for change in compare(unit.old, unit.new).changes:
            if change.old is None or change.new is None:
                continue
            old_h, new_h = claim_hash(change.old.text), claim_hash(change.new.text)
            moved = sum(1 for q in change.quantities if q.moved)
            q_shown += moved
            pair_label = pair_labels.get((unit.name, old_h, new_h))
            if pair_label is not None:
                q_on_labelled += moved
                q_on_wrong += moved if pair_label == "different" else 0
            if not change.stance:
                continue
            pairs_flagged += 1
            verdicts: list[int] = []
            for flag in change.stance:
                key = (unit.name, old_h, new_h, flag.dimension)
                made.add(key)
                shown[flag.dimension] += 1
                words = f"{','.join(flag.old_words)} -> {','.join(flag.new_words)}"
                dump.append("\t".join((*key, words)))
                if key in labels:
                    labelled[flag.dimension] += 1
                    right[flag.dimension] += labels[key]
                    by_split[(unit.split, "labelled")] += 1
                    by_split[(unit.split, "right")] += labels[key]
                    verdicts.append(labels[key])
                else:
                    unlabelled.append(_describe(key, words, change))
            if len(verdicts) == len(change.stance):
                pairs_labelled += 1
                pairs_right += all(verdicts)

    print(f"{'dimension':<10} {'shown':>6} {'labelled':>9} {'right':>6} {'precision':>10}")
    for row in (*DIMENSIONS, "all"):
        n = sum(shown.values()) if row == "all" else shown[row]
        m = sum(labelled.values()) if row == "all" else labelled[row]
        r = sum(right.values()) if row == "all" else right[row]
        print(f"{row:<10} {n:>6} {m:>9} {r:>6} {_share(r, m):>10}")
    for split in ("train", "test"):
        m, r = by_split[(split, "labelled")], by_split[(split, "right")]
        print(f"{split} units: {r} of {m} labelled flags right ({_share(r, m)})")
    print(
        f"\npairs with a stance flag: {pairs_flagged}, fully labelled {pairs_labelled}, "
        f"every flag right {pairs_right} ({_share(pairs_right, pairs_labelled)})"
    )
    true_flags = {k for k, v in labels.items() if v}
    print(f"labelled right flags shown: {len(true_flags & made)} of {len(true_flags)}")
    print(f"flags without a label: {len(unlabelled)}")
    print(
        f"\nmoved quantity changes shown: {q_shown}; on pair-labelled pairs {q_on_labelled}, "
        f"of which on pairs labelled different {q_on_wrong} ({_share(q_on_wrong, q_on_labelled)})"
    )
    if args.dump:
        args.dump.write_text("\n".join(sorted(dump)) + "\n", encoding="utf-8")
    if args.show_unlabelled:
        print("\n" + "\n".join(unlabelled))


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "—"


def _describe(key: Key, words: str, change: Change) -> str:
    assert change.old is not None and change.new is not None
    return (
        "\t".join((*key, "?")) + f"\n  {words}\n  old: {change.old.text}\n  new: {change.new.text}"
    )


if __name__ == "__main__":
    main()
