"""Write labelling tasks: candidate claim pairs of every unit, for people to judge.

For each unit (``pairsets.units``) some old claims are chosen: all of them in a small unit,
otherwise a sample, half among claims whose best candidate scores at least 0.3 (so that true
pairs are well represented) and half uniformly (so that claims with no counterpart are too).
For each chosen claim the task lists its best few new candidates by the engine's lexical score,
the best by rapidfuzz ``token_set_ratio`` over all new claims, and the partner the engine
reports; a few new claims are also sampled with their best old candidates (pairs seen from the
other side). Judged per chosen claim, this makes the labels exhaustive for that claim's
plausible partners, which is what recall on the test split is measured against.

``--reported`` writes instead every pair the shipped matcher reports (modified or unchanged)
that has no label yet, test units first: the labels then cover all of its pairs, so the
precision of what it reports is measured on every pair rather than on those the sampled
claims happen to reach (and the train units gain labels where the matcher decides).

The tasks hold claim text, so they are written outside the repository (``--out``); only the
labels, by claim hash, come back into ``data/pair_labels.tsv``.

    .venv/bin/python benchmarks/label_tasks.py --out /work/labelling --batch 150
    .venv/bin/python benchmarks/label_tasks.py --out /work/labelling7 --reported --pdf \
        --skip-labelled
    .venv/bin/python benchmarks/label_tasks.py --out /work/labelling8 --reported --pdf \
        --skip-labelled --embeddings "$MODEL"     # the embedding model's pairs
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import numpy as np
from pairsets import Unit, claim_hash, units
from rapidfuzz import fuzz, process

from tracker.compare.candidates import candidate_pairs, vectorize
from tracker.compare.engine import compare
from tracker.compare.features import claim_features
from tracker.compare.matcher import MatcherConfig
from tracker.compare.model import ClaimRef
from tracker.compare.probability import shipped_model
from tracker.compare.scoring import pair_measures
from tracker.compare.semantic import Encoder, load_encoder

PER_CLAIM = 3
LABELS = Path(__file__).resolve().parent / "data" / "pair_labels.tsv"


def _sampled(items: list[int], k: int, good: set[int], rng: random.Random) -> list[int]:
    """``k`` of ``items`` (all when fewer): half from ``good`` where it has them, half at random."""
    if len(items) <= k:
        return items
    picked = set(rng.sample(sorted(good & set(items)), min(k // 2, len(good & set(items)))))
    rest = [i for i in items if i not in picked]
    picked |= set(rng.sample(rest, k - len(picked)))
    return sorted(picked)


def unit_tasks(unit: Unit, n_old: int, n_new: int) -> list[tuple[int, int]]:
    """Claim index pairs (old, new) to label for one unit."""
    old, new = unit.old.claims, unit.new.claims
    if not old or not new:
        return []
    f_old = [claim_features(c) for c in old]
    f_new = [claim_features(c) for c in new]
    vectors = vectorize(
        [f.tokens for f in f_old],
        [f.tokens for f in f_new],
        [(sorted(f.actors), f.subject) for f in f_old],
        [(sorted(f.actors), f.subject) for f in f_new],
    )
    rows, cols, cos = candidate_pairs(vectors)
    score = pair_measures(vectors, rows, cols, cos).lexical
    by_old: dict[int, list[tuple[float, int]]] = {}
    by_new: dict[int, list[tuple[float, int]]] = {}
    for i, j, s in zip(rows.tolist(), cols.tolist(), score.tolist(), strict=True):
        by_old.setdefault(i, []).append((-s, j))
        by_new.setdefault(j, []).append((-s, i))
    rng = random.Random(unit.name)
    good_old = {i for i, c in by_old.items() if -min(c)[0] >= 0.3}
    reported = {
        (ch.old.id, ch.new.id)
        for ch in compare(unit.old, unit.new).changes
        if ch.old is not None and ch.new is not None
    }
    index_old = {c.id: k for k, c in enumerate(old)}
    index_new = {c.id: k for k, c in enumerate(new)}
    partner = {index_old[a]: index_new[b] for a, b in reported}
    new_texts = [c.norm_text for c in new]
    tasks: list[tuple[int, int]] = []
    for i in _sampled(list(range(len(old))), n_old, good_old, rng):
        chosen = [j for _, j in sorted(by_old.get(i, []))[:PER_CLAIM]]
        best = process.extractOne(old[i].norm_text, new_texts, scorer=fuzz.token_set_ratio)
        if best is not None:
            chosen.append(best[2])
        if i in partner:
            chosen.append(partner[i])
        tasks.extend((i, j) for j in dict.fromkeys(chosen))
    covered_new = {j for _, j in tasks}
    good_new = {j for j, c in by_new.items() if -min(c)[0] >= 0.3}
    rest_new = [j for j in range(len(new)) if j not in covered_new]
    for j in _sampled(rest_new, n_new, good_new, rng):
        tasks.extend((i, j) for _, i in sorted(by_new.get(j, []))[:2])
    return list(dict.fromkeys(tasks))


def task_claims(unit: Unit, n_old: int, n_new: int) -> list[tuple[ClaimRef, ClaimRef]]:
    """The claim pairs of :func:`unit_tasks`."""
    return [(unit.old.claims[i], unit.new.claims[j]) for i, j in unit_tasks(unit, n_old, n_new)]


def reported(unit: Unit, encoder: Encoder | None = None) -> list[tuple[ClaimRef, ClaimRef]]:
    """Every pair the shipped matcher reports on the unit (modified or unchanged); with an
    ``encoder``, the shipped model fitted with the embedding column."""
    config = MatcherConfig(model=shipped_model(semantic=True)) if encoder else None
    return [
        (c.old, c.new)
        for c in compare(unit.old, unit.new, encoder=encoder, config=config).changes
        if c.old is not None and c.new is not None
    ]


def _clean(text: str) -> str:
    return " ".join(text.split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder outside the repo")
    parser.add_argument("--batch", type=int, default=150, help="pairs per batch file")
    parser.add_argument("--sources", default="us,uk,seeds,sample,doc")
    parser.add_argument("--pdf", action="store_true", help="include the PDF series (NDCs)")
    parser.add_argument(
        "--claims", type=int, help="old claims per unit (default: by source); 0 for all"
    )
    parser.add_argument("--prefix", default="", help="only units whose name starts so")
    parser.add_argument(
        "--skip-labelled", action="store_true", help="leave out pairs already in the labels file"
    )
    parser.add_argument(
        "--reported", action="store_true", help="the pairs the shipped matcher reports instead"
    )
    parser.add_argument(
        "--embeddings", type=Path, help="with --reported: the embedding model's pairs (its DIR)"
    )
    args = parser.parse_args()
    encoder = load_encoder(args.embeddings) if args.embeddings else None

    per_source = {
        "us": (22, 4),
        "uk": (18, 4),
        "seeds": (45, 10),
        "sample": (40, 6),
        "doc": (14, 3),
    }
    by_source: dict[tuple[bool, str], list[list[tuple[str, str, str, str, str]]]] = {}
    seen: set[tuple[str, str, str]] = set()
    if args.skip_labelled and LABELS.exists():
        for line in LABELS.read_text(encoding="utf-8").splitlines():
            if not line.startswith(("#", "unit\t")):
                unit_name, old, new = line.split("\t")[:3]
                seen.add((unit_name, old, new))
    for unit in units(set(args.sources.split(",")), pdf=args.pdf):
        if not unit.name.startswith(args.prefix):
            continue
        n_old, n_new = per_source[unit.source]
        if args.claims is not None:
            n_old = args.claims or len(unit.old.claims)
            n_new = args.claims or len(unit.new.claims)
        unit_rows = []
        for a, b in reported(unit, encoder) if args.reported else task_claims(unit, n_old, n_new):
            key = (unit.name, claim_hash(a.text), claim_hash(b.text))
            if key in seen:
                continue
            seen.add(key)
            unit_rows.append((unit.name, key[1], key[2], _clean(a.text), _clean(b.text)))
        by_source.setdefault((unit.split == "train", unit.source), []).append(unit_rows)
    # Test units first (with --reported they measure precision); within a split, units go
    # round-robin across sources, so that the first batches judged cover every source.
    rows = []
    for first_split in (False, True):
        queues = [q for (train, _), q in sorted(by_source.items()) if train == first_split]
        while any(queues):
            for queue in queues:
                if queue:
                    rows.extend(queue.pop(0))
    args.out.mkdir(parents=True, exist_ok=True)
    todo = args.out / "todo"
    todo.mkdir(exist_ok=True)
    # Batches are numbered after those already in the folder, so a second round of tasks
    # can be added to a folder whose first round is judged.
    first = len(list(args.out.glob("*/b*.tsv"))) - len(list(args.out.glob("done/*.tsv")))
    new_keys = not (args.out / "keys.tsv").exists()
    with (args.out / "keys.tsv").open("a", encoding="utf-8") as keys:
        if new_keys:
            keys.write("pid\tunit\told\tnew\n")
        for b in range(0, len(rows), args.batch):
            name = f"b{first + b // args.batch:03d}"
            with (todo / f"{name}.tsv").open("w", encoding="utf-8") as f:
                f.write("pid\tunit\told_claim\tnew_claim\n")
                for k, (unit_name, ho, hn, to, tn) in enumerate(rows[b : b + args.batch]):
                    pid = f"{name}-{k:03d}"
                    keys.write(f"{pid}\t{unit_name}\t{ho}\t{hn}\n")
                    f.write(f"{pid}\t{unit_name}\t{to}\t{tn}\n")
    counts = np.unique([r[0].split(":")[0] for r in rows], return_counts=True)
    print(
        f"{len(rows)} pairs in {(len(rows) + args.batch - 1) // args.batch} batches:",
        dict(zip(counts[0].tolist(), counts[1].tolist(), strict=True)),
    )


if __name__ == "__main__":
    main()
