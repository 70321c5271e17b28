"""Fit the pair model on the training split, and report it on the frozen test split.

Labels (``data/pair_labels.tsv``: unit, old claim hash, new claim hash, same / related /
different) are joined to the claims of each unit (``pairsets.units``); every labelled pair
gets its evidence row exactly as the matcher computes it inside that unit's diff. A
logistic regression (``sklearn``, standardised features, L2, each source weighted equally)
is fitted on the *train* units only, with "same" or "related" as the positive class, and
recalibrated (Platt) on its out-of-fold log-odds. The threshold is the
lowest on a grid at which the whole matcher's reported pairs on the train units, each scored
by a model fitted without its fold (5 folds by unit), are right ("same" or "related": the two
claims share a specific subject) at ``--precision``. At that threshold, the restatement bar
(a claim whose partner is taken joins that pair at this probability: one position stated
twice) is the lowest on a grid at which the pairs it adds, out of fold, are right at
``--join-precision``.

Then, on the *test* units only (``pairsets.TEST_UNITS``, frozen):
- the reliability table of the probability (bins; predicted vs observed share right);
- the whole matcher (``matcher.match``: assignment with "no counterpart", splits, merges) run
  on each test unit: precision of the pairs it reports that are labelled, and recall of the
  labelled "same" pairs;
- the same for a plain rapidfuzz baseline (token_set_ratio, Hungarian, cut-off 80).

    .venv/bin/python benchmarks/fit_matcher.py            # fit, report, write the model
    .venv/bin/python benchmarks/fit_matcher.py --dry-run  # report only
    .venv/bin/python benchmarks/fit_matcher.py --evaluate # the shipped model, no fitting
    .venv/bin/python benchmarks/fit_matcher.py --oof      # out of fold on train only

``--oof`` is how a change is tried without touching the frozen split: it reads the train
units only and prints the out-of-fold ranking (AUC), the whole matcher's precision and
recall per threshold, the recall at ``--precision``, and both per source. ``--drop A,B``
leaves evidence columns out (an ablation); a new column is tried by adding it to the
evidence and comparing the two runs.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import datetime as dt
import json
import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

import numpy as np
from pairsets import Unit, claim_hash, units
from rapidfuzz import fuzz, process
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold

from tracker.compare import fitting
from tracker.compare.align import Alignment
from tracker.compare.evidence import EMBEDDING_COSINE, FEATURE_NAMES
from tracker.compare.fitting import POSITIVE, TARGET, reliability
from tracker.compare.matcher import MatcherConfig, Prepared, assign, prepare
from tracker.compare.probability import PairModel, shipped_model
from tracker.compare.semantic import Encoder, load_encoder

LABELS = Path(__file__).resolve().parent / "data" / "pair_labels.tsv"
DATA = Path(__file__).resolve().parent.parent / "tracker" / "data"
MODEL = DATA / "matcher_model.json"
SEMANTIC_MODEL = DATA / "matcher_model_semantic.json"  # fitted with --embeddings
THRESHOLD_GRID = tuple(round(0.2 + 0.025 * k, 3) for k in range(29))
RESTATEMENT_GRID = (0.95, 0.9, 0.85, 0.8, 0.75)  # tried in this order


# Labellers of the audit of reported pairs (``label_tasks.py --reported``) are named so.
# Those labels exist because a matcher reported the pair: they count for precision, and for
# training, but not for recall, which would otherwise favour the matcher that chose them.
AUDIT_PREFIX = "audit"


class Label(NamedTuple):
    """A pair's label, and whether the audit of reported pairs gave it (``AUDIT_PREFIX``)."""

    label: str
    audited: bool


Labels = dict[str, dict[tuple[str, str], Label]]  # unit → (old hash, new hash) → label


def read_labels(path: Path = LABELS) -> Labels:
    """Every label of the labels file, by unit and pair of claim hashes."""
    out: Labels = defaultdict(dict)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("unit\t"):
            continue
        unit, old, new, label, who = line.split("\t")[:5]
        out[unit][(old, new)] = Label(label, who.startswith(AUDIT_PREFIX))
    return out


@dataclass
class UnitPairs:
    """The labelled pairs of one unit with their evidence rows."""

    unit: Unit
    index: list[tuple[int, int]]
    labels: list[str]
    matrix: np.ndarray
    # Pairs labelled in the audit of reported pairs: counted for precision, not recall.
    audited: frozenset[tuple[int, int]] = frozenset()


def _indices(
    unit: Unit, labels: dict[tuple[str, str], Label]
) -> tuple[list[tuple[int, int]], list[str], frozenset[tuple[int, int]]]:
    by_old: dict[str, list[int]] = defaultdict(list)
    by_new: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(unit.old.claims):
        by_old[claim_hash(c.text)].append(i)
    for j, c in enumerate(unit.new.claims):
        by_new[claim_hash(c.text)].append(j)
    index, out, audited = [], [], set()
    for (ho, hn), label in sorted(labels.items()):
        for i in by_old.get(ho, [])[:1]:
            for j in by_new.get(hn, [])[:1]:
                index.append((i, j))
                out.append(label.label)
                if label.audited:
                    audited.add((i, j))
    return index, out, frozenset(audited)


# Set by --embeddings: the evidence gets the embedding column, and every diff run reads it.
ENCODER: Encoder | None = None


def columns() -> tuple[str, ...]:
    """The evidence columns of this run."""
    return (*FEATURE_NAMES, EMBEDDING_COSINE) if ENCODER else FEATURE_NAMES


def labelled_pairs(all_labels: Labels, split: str | None = None) -> list[UnitPairs]:
    """Evidence rows of every labelled pair (of one ``split`` only, if given), unit by unit."""
    config = MatcherConfig()
    found: list[UnitPairs] = []
    for unit in units(pdf=True):
        if split is not None and unit.split != split:
            continue
        labels = all_labels.get(unit.name)
        if not labels:
            continue
        index, names, audited = _indices(unit, labels)
        if not index:
            continue
        matrix = fitting.evidence_rows(unit.old.claims, unit.new.claims, index, config, ENCODER)
        found.append(UnitPairs(unit, index, names, matrix, audited))
    return found


def _model(
    fitted: tuple[np.ndarray, np.ndarray, np.ndarray, float],
    threshold: float,
    pairs: int,
    positive: int,
    target: float | str,
    recalibrated: tuple[float, float] = (1.0, 0.0),
    restatement: float = math.inf,
    features: tuple[str, ...] | None = None,
) -> PairModel:
    return fitting.pair_model(
        fitted,
        version=f"lr{'+emb' if ENCODER else ''}-{dt.date.today().isoformat()}-{pairs}",
        threshold=threshold,
        recalibrated=recalibrated,
        restatement=restatement,
        features=features or columns(),
        meta={
            "fitted_on": "benchmarks/data/pair_labels.tsv, train units of pairsets.py",
            "train_pairs": pairs,
            "train_positive": positive,
            "precision_target": target,
        },
    )


def source_weights(found: list[UnitPairs]) -> np.ndarray:
    """Per labelled pair, a weight that gives every source the same total weight.

    Manifestos hold most of the labels, but a matcher is used on briefs of every kind: without
    this the model would learn what a match looks like between two manifestos of one party.
    """
    return fitting.source_weights([u.unit.source for u in found for _ in u.labels])


_PREPARED: dict[tuple[str, str], Prepared] = {}


# Probability bands in which the precision of reported pairs is estimated separately (the
# baseline has no probability: one band).
PRECISION_BANDS = (0.75, 0.85, 0.95)


def _tally(
    found: list[UnitPairs],
    made_of: Callable[[UnitPairs], dict[tuple[int, int], float | None]],
) -> Counter[str]:
    """Raw counts behind :func:`_against_labels` (they add up over folds)."""
    t: Counter[str] = Counter()
    for up in found:
        made = made_of(up)
        label_of = dict(zip(up.index, up.labels, strict=True))
        for pair, p in made.items():
            band = 0 if p is None else bisect.bisect_right(PRECISION_BANDS, p)
            t[f"in{band}"] += 1
            if pair in label_of:
                ok = label_of[pair] in POSITIVE
                t["reported"] += 1
                t["right"] += ok
                t[f"labelled{band}"] += 1
                t[f"right{band}"] += ok
            else:
                t["unlabelled"] += 1
        for pair, label in label_of.items():
            if label == "same" and pair not in up.audited:
                t["same"] += 1
                t["found"] += pair in made
    return t


def _summary(t: Counter[str]) -> dict[str, float]:
    """Precision, recall and the counts of a tally (see :func:`_against_labels`)."""
    bands = [b for b in range(len(PRECISION_BANDS) + 1) if t[f"labelled{b}"]]
    covered = sum(t[f"in{b}"] for b in bands)
    expected_right = sum(t[f"in{b}"] * t[f"right{b}"] / t[f"labelled{b}"] for b in bands)
    return {
        "reported": t["reported"],
        "right": t["right"],
        "unlabelled": t["unlabelled"],
        "covered": covered,
        "expected_right": expected_right,
        "precision": expected_right / covered if covered else float("nan"),
        "labelled_precision": t["right"] / t["reported"] if t["reported"] else float("nan"),
        "same": t["same"],
        "found": t["found"],
        "recall": t["found"] / t["same"] if t["same"] else float("nan"),
    }


def _against_labels(
    found: list[UnitPairs],
    made_of: Callable[[UnitPairs], dict[tuple[int, int], float | None]],
) -> dict[str, float]:
    """Precision of the pairs a matcher reports (right = same or related) and its recall of
    the sampled (not audit) labelled "same" pairs, over the units of ``found``.

    Labels do not cover every reported pair (``unlabelled``), and they cover the likely ones
    best: the audit labelled what one matcher reported, which another matcher at a lower
    threshold extends with unlabelled, less likely pairs. So ``precision`` is stratified: the
    share right is taken per probability band (``PRECISION_BANDS``) among its labelled pairs
    and weighted by how many pairs the band reports, labelled or not (``covered``: those of
    bands with any label). ``labelled_precision`` is the plain share over labelled pairs.
    """
    return _summary(_tally(found, made_of))


def _alignment(up: UnitPairs, config: MatcherConfig) -> Alignment:
    """The whole matcher's alignment of one unit. Candidates are scored once per unit and
    model; only the assignment runs per threshold."""
    key = (up.unit.name, str(config.model.weights.tobytes()))
    if key not in _PREPARED:
        _PREPARED[key] = prepare(up.unit.old.claims, up.unit.new.claims, config, encoder=ENCODER)
    return assign(_PREPARED[key], config).alignment


def _reported(up: UnitPairs, config: MatcherConfig) -> dict[tuple[int, int], float]:
    """The pairs the whole matcher reports on one unit, with their probabilities."""
    return {(e.old, e.new): e.probability for e, _ in _alignment(up, config).pairs}


def shown_as_lead(found: list[UnitPairs], config: MatcherConfig) -> tuple[int, int]:
    """(labelled "same" pairs the matcher reports or shows as a lead, all of them): what an
    analyst reading the report, "possibly related" lines included, gets to see."""
    seen = total = 0
    for up in found:
        alignment = _alignment(up, config)
        shown = {(e.old, e.new) for e, _ in alignment.pairs}
        shown |= {(e.old, e.new) for e in alignment.lead_old.values()}
        shown |= {(e.old, e.new) for e in alignment.lead_new.values()}
        for pair, label in zip(up.index, up.labels, strict=True):
            if label == "same" and pair not in up.audited:
                total += 1
                seen += pair in shown
    return seen, total


def one_to_one_ceiling(found: list[UnitPairs]) -> tuple[int, int]:
    """(labelled "same" pairs that one one-to-one alignment can hold at most, all of them).

    A claim restated twice in the other version has two "same" partners, and a one-to-one
    alignment, however well it judges, reports one of them: the recall that is left for the
    split, merge and restatement joins is beyond this ceiling.
    """
    held = total = 0
    for up in found:
        same = [
            pair
            for pair, label in zip(up.index, up.labels, strict=True)
            if label == "same" and pair not in up.audited
        ]
        if not same:
            continue
        olds = {i: k for k, i in enumerate(sorted({i for i, _ in same}))}
        news = {j: k for k, j in enumerate(sorted({j for _, j in same}))}
        links = np.zeros((len(olds), len(news)))
        for i, j in same:
            links[olds[i], news[j]] = 1.0
        rows, cols = linear_sum_assignment(links, maximize=True)
        held += int(links[rows, cols].sum())
        total += len(same)
    return held, total


def evaluate_system(found: list[UnitPairs], config: MatcherConfig) -> dict[str, float]:
    """Run the whole matcher on each unit; precision of its reported pairs, recall of same."""
    return _summary(system_tally(found, config))


def system_tally(found: list[UnitPairs], config: MatcherConfig) -> Counter[str]:
    """The counts of :func:`evaluate_system`, to add up over folds."""
    return _tally(found, lambda up: dict(_reported(up, config)))


def reported_reliability(
    found: list[UnitPairs], config: MatcherConfig, edges: tuple[float, ...]
) -> list[tuple[str, int, float, float]]:
    """(bin, pairs, mean probability, share right) of the labelled pairs the whole matcher
    *reports*: the calibration a user meets, where the table over all labelled pairs also
    holds every runner-up candidate that the assignment never shows."""
    p: list[float] = []
    right: list[bool] = []
    for up in found:
        label_of = dict(zip(up.index, up.labels, strict=True))
        for pair, probability in _reported(up, config).items():
            if pair in label_of:
                p.append(probability)
                right.append(label_of[pair] in POSITIVE)
    return reliability(np.asarray(p), np.asarray(right, dtype=np.float64), edges=edges)


def evaluate_baseline(found: list[UnitPairs], cutoff: float = 80.0) -> dict[str, float]:
    """rapidfuzz token_set_ratio + Hungarian with a cut-off, on the same labels."""

    def made(up: UnitPairs) -> dict[tuple[int, int], float | None]:
        a = [c.norm_text for c in up.unit.old.claims]
        b = [c.norm_text for c in up.unit.new.claims]
        sim = process.cdist(a, b, scorer=fuzz.token_set_ratio, workers=2)
        ri, ci = linear_sum_assignment(sim, maximize=True)
        return {(int(i), int(j)): None for i, j in zip(ri, ci, strict=True) if sim[i, j] >= cutoff}

    return _against_labels(found, made)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--precision", type=float, default=0.92, help="pair precision target")
    parser.add_argument(
        "--join-precision",
        type=float,
        default=0.9,
        help="precision target of the pairs the restatement rule adds",
    )
    parser.add_argument("--dry-run", action="store_true", help="do not write the model file")
    parser.add_argument("--evaluate", action="store_true", help="evaluate the shipped model")
    parser.add_argument("--sweep", action="store_true", help="system metrics per threshold")
    parser.add_argument(
        "--embeddings",
        type=Path,
        help="sentence-embedding model directory: fit the model with the embedding column",
    )
    parser.add_argument("--out", type=Path, help="where to write the model (default: shipped)")
    parser.add_argument(
        "--oof",
        action="store_true",
        help="out of fold on train only (the test split is not read): try a change with this",
    )
    parser.add_argument(
        "--drop",
        type=lambda v: frozenset(c for c in v.split(",") if c),
        default=frozenset(),
        help="evidence columns to leave out of the model (comma-separated)",
    )
    parser.add_argument(
        "--at", type=float, default=0.75, help="with --oof: the threshold of the per-source lines"
    )
    parser.add_argument(
        "--restatement", type=float, default=0.9, help="with --oof: the restatement bar"
    )
    args = parser.parse_args()
    global ENCODER
    if args.embeddings:
        ENCODER = load_encoder(args.embeddings)
    out = args.out or (SEMANTIC_MODEL if ENCODER else MODEL)
    # The labelled pairs, the folds and the sweep all embed the same claims: once each.
    with ENCODER.remembering() if ENCODER else contextlib.nullcontext():
        run(args, out)


class CrossFit:
    """The train units in 5 folds by unit: per fold, a model fitted on the other folds'
    labels, recalibrated (Platt) on the out-of-fold log-odds; and the whole matcher run on
    each fold's units by the model that never saw them."""

    def __init__(self, train: list[UnitPairs], features: tuple[str, ...]) -> None:
        picked = [columns().index(name) for name in features]
        self.train, self.features = train, features
        x = np.vstack([u.matrix for u in train])
        # Columns are copied out only when some are dropped: a copy sums in another order,
        # and the shipped model's digest should not move with the code path.
        self.x = x if picked == list(range(x.shape[1])) else x[:, picked]
        self.y = np.asarray([lab in TARGET for u in train for lab in u.labels], dtype=np.float64)
        self.groups = np.asarray([k for k, u in enumerate(train) for _ in u.labels])
        self.weight = source_weights(train)
        self.folds = list(GroupKFold(n_splits=5).split(self.x, self.y, self.groups))
        fits = [fitting.fit_logistic(self.x[f], self.y[f], self.weight[f]) for f, _ in self.folds]
        # Out of fold, the fitted log-odds are a little over-confident (new units are harder
        # than the ones a model was fitted on): a Platt fit of the labels on the out-of-fold
        # log-odds gives the correction, applied to the fold models and the final one alike.
        self.z = np.zeros(len(self.y))
        for (_, held), (m, sc, w, b) in zip(self.folds, fits, strict=True):
            self.z[held] = ((self.x[held] - m) / sc) @ w + b
        self.recalibrated = fitting.recalibration(self.z, self.y, self.weight)
        self.models = [
            _model(fit, 0.5, len(f), 0, "fold", self.recalibrated, features=features)
            for (f, _), fit in zip(self.folds, fits, strict=True)
        ]

    def system(
        self, t: float, r: float, keep: Callable[[UnitPairs], bool] = lambda _: True
    ) -> dict[str, float]:
        """The whole matcher at threshold ``t`` and restatement bar ``r``, out of fold, on
        the train units ``keep`` accepts."""
        total: Counter[str] = Counter()
        for (_, held), fold_model in zip(self.folds, self.models, strict=True):
            held_units = [self.train[k] for k in sorted({int(k) for k in self.groups[held]})]
            config = replace(MatcherConfig(model=fold_model), threshold=t, restatement=r)
            total.update(system_tally([u for u in held_units if keep(u)], config))
        return _summary(total)


def fit_on_train(args: argparse.Namespace, cross: CrossFit) -> PairModel:
    """The model fitted on every train label, with its threshold and restatement bar chosen
    out of fold."""
    fitted = fitting.fit_logistic(cross.x, cross.y, cross.weight)
    # What the user sees is the whole matcher's output (assignment, splits), so the
    # threshold is the lowest on a grid at which the pairs it reports on train units it
    # was *not* fitted on are right at the target precision. In-sample precision would be
    # optimistic.
    threshold = THRESHOLD_GRID[-1]
    for t in THRESHOLD_GRID:
        one_to_one = cross.system(t, math.inf)
        if one_to_one["covered"] and one_to_one["precision"] >= args.precision:
            threshold = t
            break
    # The pairs the restatement rule adds are runner-up candidates, whose probabilities
    # run a little high. With the threshold fixed, the bar is the lowest on a grid (tried
    # from the top) at which the pairs it adds, out of fold, are themselves right at
    # --join-precision (the target for reported pairs).
    print(f"out of fold on train, pairs added at threshold {threshold} per restatement bar:")
    restatement = math.inf
    for r in RESTATEMENT_GRID:
        got = cross.system(threshold, r)
        # Pairs added and how many of them are right, each band's share right standing
        # for its unlabelled pairs (as in the precision of _against_labels).
        added = got["covered"] - one_to_one["covered"]
        right = got["expected_right"] - one_to_one["expected_right"]
        labelled = got["reported"] - one_to_one["reported"]
        recall = got["found"] / got["same"]
        print(
            f"  {r:g}: {added:.0f} pairs added ({labelled:.0f} labelled), {right:.0f} right;"
            f" recall {recall:.3f}"
        )
        if added and right / added < args.join_precision:
            break
        restatement = r
    model = _model(
        fitted,
        threshold,
        len(cross.y),
        int(cross.y.sum()),
        args.precision,
        cross.recalibrated,
        restatement,
        features=cross.features,
    )
    print(
        f"threshold (whole matcher, out-of-fold on train, >= {args.precision}): {threshold},"
        f" restatement {restatement:g}"
    )
    for name, w in sorted(
        zip(cross.features, model.weights, strict=True), key=lambda t: -abs(t[1])
    ):
        print(f"  {name:20s} {w:+.3f}")
    return model


def _group(up: UnitPairs) -> str:
    """The source a unit is reported under: the PDF series (NDCs) apart from the Markdown
    ones, since their reader is another path."""
    return "ndc" if ":ndc-" in up.unit.name else up.unit.source


def report_out_of_fold(args: argparse.Namespace, cross: CrossFit) -> None:
    """The protocol for trying a change without the test split: the ranking and the whole
    matcher's precision and recall out of fold on train, per threshold and per source."""
    print(f"features: {len(cross.features)}; out-of-fold AUC (same or related): ", end="")
    print(f"{roc_auc_score(cross.y, cross.z, sample_weight=cross.weight):.4f}")
    restate = args.restatement
    print(f"whole matcher out of fold on train (restatement bar {restate:g}):")
    curve: dict[float, dict[str, float]] = {}
    for t in (0.6, 0.65, 0.7, 0.75, 0.8, 0.85):
        s = curve[t] = cross.system(t, restate)
        print(
            f"  {t:.2f}  P {s['precision']:.3f} ({s['covered']:.0f})"
            f"  R {s['recall']:.3f} ({s['found']:.0f}/{s['same']:.0f})"
        )
    ok = [s["recall"] for s in curve.values() if s["precision"] >= args.precision]
    print(f"recall at precision >= {args.precision}: {max(ok) if ok else float('nan'):.3f}")
    at = args.at
    print(f"by source at {at:g} (and the one-to-one ceiling of recall):")
    for name in sorted({_group(u) for u in cross.train}):
        s = cross.system(at, restate, lambda u, name=name: _group(u) == name)
        held, same = one_to_one_ceiling([u for u in cross.train if _group(u) == name])
        print(
            f"  {name:7s} P {s['precision']:.3f} ({s['covered']:.0f})"
            f"  R {s['recall']:.3f} ({s['found']:.0f}/{s['same']:.0f})"
            f"  ceiling {held / same if same else float('nan'):.3f}"
        )


def run(args: argparse.Namespace, out: Path) -> None:
    """Fit (unless --evaluate), report on the test split, write the model; with --oof,
    report out of fold on train only and stop."""

    found = labelled_pairs(read_labels(), split="train" if args.oof else None)
    train = [u for u in found if u.unit.split == "train"]
    test = [u for u in found if u.unit.split == "test"]
    counts = Counter((u.unit.split, lab) for u in found for lab in u.labels)
    print("labelled pairs:", dict(sorted(counts.items())))
    print(f"units: {len(train)} train, {len(test)} test")
    features = tuple(c for c in columns() if c not in args.drop)

    if args.evaluate:
        model = shipped_model(semantic=ENCODER is not None)
    else:
        cross = CrossFit(train, features)
        recalibrated = cross.recalibrated
        print(f"out-of-fold recalibration: z' = {recalibrated[0]:.3f} z + {recalibrated[1]:.3f}")
        if args.oof:
            report_out_of_fold(args, cross)
            return
        model = fit_on_train(args, cross)

    xt = np.vstack([u.matrix for u in test])
    yt = np.asarray([lab in TARGET for u in test for lab in u.labels], dtype=np.float64)
    ys = np.asarray([lab == "same" for u in test for lab in u.labels], dtype=np.float64)
    pt = model.probability(xt, columns())
    print("\nreliability on the test split (bin, pairs, mean p, share right, share same):")
    for (name, n, mean_p, right), (_, _, _, same) in zip(
        reliability(pt, yt), reliability(pt, ys), strict=True
    ):
        print(f"  {name}  {n:5d}  {mean_p:.3f}  {right:.3f}  {same:.3f}")
    brier = float(np.mean((pt - yt) ** 2))
    print(f"  Brier score {brier:.4f} (right: same or related)")

    config = MatcherConfig(model=model)
    print("\nreported pairs on the test split, by probability (bin, pairs, mean p, share right):")
    for name, n, mean_p, share in reported_reliability(
        test, config, (round(config.cutoff, 2), 0.75, 0.85, 0.95, 1.0)
    ):
        print(f"  {name}  {n:5d}  {mean_p:.3f}  {share:.3f}")
    if args.sweep:
        print("\nthreshold sweep (whole matcher; train | test):")
        for t in (0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85):
            a = evaluate_system(train, config.with_threshold(t))
            b = evaluate_system(test, config.with_threshold(t))
            print(
                f"  {t:.2f}  train P {a['precision']:.3f} ({a['covered']}) R {a['recall']:.3f}"
                f"  | test P {b['precision']:.3f} ({b['covered']}) R {b['recall']:.3f}"
            )
    print("\nwhole matcher on the test split:")
    by_source: dict[str, list[UnitPairs]] = defaultdict(list)
    for u in test:
        by_source[_group(u)].append(u)
    for name, group in [("all", test), *sorted(by_source.items())]:
        s = evaluate_system(group, config)
        b = evaluate_baseline(group)
        seen, same = shown_as_lead(group, config)
        held, _ = one_to_one_ceiling(group)
        print(
            f"  {name:7s} matcher: precision {s['precision']:.3f} of {s['covered']}"
            f" ({s['labelled_precision']:.3f} of {s['reported']} labelled),"
            f" recall {s['recall']:.3f} of {s['same']} same"
            f" ({seen / same if same else float('nan'):.3f} with leads,"
            f" one-to-one ceiling {held / same if same else float('nan'):.3f})"
            f"   | rapidfuzz: precision {b['precision']:.3f} of {b['covered']}"
            f" ({b['reported']} labelled), recall {b['recall']:.3f}"
        )
    if not args.dry_run and not args.evaluate:
        out.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
        print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
