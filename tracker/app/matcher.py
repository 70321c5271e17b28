"""Matcher use cases: refit the pair model on the shipped labels plus the store's review
verdicts, choose which model a store uses, and say which one that is.

Fitted models and the choice among them live in the database (``tracker.store.pair_models``),
so every machine that uses a shared store runs the same model. Each fit is kept under its
own name (``model-<UTC time>.json``) and never deleted, and the choice is a log whose newest
entry is the model in use and the one before it the previous model (none: the model shipped
with tracker), so ``tracker matcher use previous`` can always go back one step.

Stores of an older tracker kept both in files (``matcher/`` beside an SQLite file, else
beside the archive folder; the choice in ``matcher/<db file>.chosen.json`` or
``matcher/chosen.json``). Such a choice is still read, and the first choice made in the
database takes its models along.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import math
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from tracker.claims.identity import claim_hash
from tracker.compare import fitting
from tracker.compare.evidence import FEATURE_NAMES
from tracker.compare.fitting import PairScores as PairScores
from tracker.compare.matcher import MatcherConfig
from tracker.compare.probability import PairModel, load_model, model_from_json, shipped_model
from tracker.errors import TrackerError
from tracker.store import pair_models
from tracker.store import reviews as store
from tracker.store.db import Database, read_snapshot
from tracker.store.models import Claim

FOLDER = "matcher"
POINTER = "chosen.json"
TRAINING = "matcher_training.tsv.gz"
# The review verdicts' share of the fit: each counts as much as an average shipped pair
# (the shipped rows' weights average 1), unless ``fit(weight=...)`` says otherwise.
REVIEW_WEIGHT = 1.0


def _sqlite_file(db: Database) -> Path | None:
    parsed = make_url(db.url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return Path(str(parsed.database)).resolve()
    return None


def legacy_folder(db: Database) -> Path:
    """Where an older tracker kept a store's fitted models: ``matcher/`` beside an SQLite
    database, else beside its archive folder."""
    file = _sqlite_file(db)
    return (file.parent if file else db.archive_root.resolve().parent) / FOLDER


@dataclass(frozen=True)
class Choice:
    """Which model a store uses (``current``) and which it used before (``previous``): a
    model's name, or None for the shipped model."""

    current: str | None = None
    previous: str | None = None


def _legacy_choice(db: Database) -> Choice | None:
    """The choice file of an older tracker, if the store has one."""
    folder = legacy_folder(db)
    file = _sqlite_file(db)
    path = folder / (f"{file.name}.{POINTER}" if file else POINTER)
    if not path.exists() and (folder / POINTER).exists():
        path = folder / POINTER  # written before choices were per database file
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise TrackerError(f"{path}: not a model choice ({exc})") from None
    if not isinstance(data, dict):
        raise TrackerError(f"{path}: not a model choice (expected an object)")
    current, previous = data.get("current"), data.get("previous")
    for value in (current, previous):
        if value is not None and (not isinstance(value, str) or "/" in value):
            raise TrackerError(f"{path}: not a model choice (bad file name {value!r})")
    return Choice(current, previous)


def read_choice(db: Database) -> Choice:
    """The store's choice of model; the shipped model when it has made none."""
    with read_snapshot(db.engine) as session:
        stored = pair_models.choice(session)
    if stored is not None:
        return Choice(stored.current, stored.previous)
    return _legacy_choice(db) or Choice()


def _load(db: Database, name: str | None) -> PairModel:
    if name is None:
        return shipped_model()
    with read_snapshot(db.engine) as session:
        text = pair_models.body(session, name)
    if text is None:  # a model of an older tracker's choice file
        return load_model(legacy_folder(db) / name)
    try:
        return model_from_json(json.loads(text))
    except (ValueError, KeyError, TypeError) as exc:
        raise TrackerError(f"matcher model {name} in the store: not a model ({exc})") from None


def _choose(db: Database, session: Session, name: str | None, now: dt.datetime) -> None:
    """Log ``name`` as the model in use. The first choice made in the database takes the
    older tracker's choice file along (its models too), so ``use previous`` still reaches it."""
    legacy = _legacy_choice(db) if pair_models.choice(session) is None else None
    if legacy is not None:
        kept: set[str | None] = {None}
        for old in dict.fromkeys((legacy.previous, legacy.current)):
            if old is None or pair_models.body(session, old) is not None:
                kept.add(old)
                continue
            path = legacy_folder(db) / old
            try:
                model = load_model(path)
            except TrackerError:
                continue  # a model file gone or broken: that step cannot be gone back to
            pair_models.save(session, old, model.version, now, path.read_text(encoding="utf-8"))
            kept.add(old)
        for old in (legacy.previous, legacy.current):
            if old in kept:
                pair_models.choose(session, old, now)
    pair_models.choose(session, name, now)


def chosen_model(db: Database) -> PairModel:
    """The pair model the store uses: its chosen fitted model, else the shipped one."""
    return _load(db, read_choice(db).current)


def matcher_config(db: Database, *, embeddings: bool = False) -> MatcherConfig:
    """The matcher settings every diff and history of this store runs with.

    With ``embeddings`` (an encoder is loaded) and no fitted model chosen, the shipped model
    fitted with the embedding column; a model fitted on the store's reviews is lexical, and
    with embeddings it runs with the embedding veto.
    """
    current = read_choice(db).current
    if embeddings and current is None:
        return MatcherConfig(model=shipped_model(semantic=True))
    return MatcherConfig(model=_load(db, current))


def model_origin(db: Database, name: str | None) -> str:
    """ "shipped with tracker", "NAME in the store" or an older tracker's model file, for
    messages."""
    if name is None:
        return "shipped with tracker"
    with read_snapshot(db.engine) as session:
        stored = pair_models.body(session, name) is not None
    return f"{name} in the store" if stored else str(legacy_folder(db) / name)


def use_previous(db: Database, *, now: dt.datetime | None = None) -> Choice:
    """Go back to the model used before the current one (the two swap places)."""
    choice = read_choice(db)
    if choice.current is None and choice.previous is None:
        raise TrackerError("this store has only ever used the shipped model: nothing to revert")
    _load(db, choice.previous)  # refuse to point at a missing or broken model
    with Session(db.engine) as session, session.begin():
        _choose(db, session, choice.previous, now or dt.datetime.now(dt.UTC))
    return Choice(current=choice.previous, previous=choice.current)


# -- training rows -------------------------------------------------------------------------


@dataclass(frozen=True)
class Rows:
    """Labelled evidence rows: one per pair."""

    matrix: np.ndarray
    labels: list[str]
    sources: list[str]
    splits: list[str]

    def take(self, split: str) -> Rows:
        keep = [k for k, s in enumerate(self.splits) if s == split]
        return Rows(
            self.matrix[keep] if keep else np.zeros((0, self.matrix.shape[1])),
            [self.labels[k] for k in keep],
            [self.sources[k] for k in keep],
            [self.splits[k] for k in keep],
        )


def shipped_rows() -> Rows:
    """The shipped labelled pairs (``tracker/data/matcher_training.tsv.gz``, written by
    ``benchmarks/export_training.py``), columns in ``FEATURE_NAMES`` order."""
    raw = resources.files("tracker.data").joinpath(TRAINING).read_bytes()
    lines = gzip.decompress(raw).decode("utf-8").splitlines()
    header = lines[0].split("\t")
    try:
        columns = [header.index(name) for name in FEATURE_NAMES]
    except ValueError as exc:
        raise TrackerError(f"{TRAINING}: lacks an evidence column ({exc})") from None
    labels, sources, splits, values = [], [], [], []
    for line in lines[1:]:
        cells = line.split("\t")
        splits.append(cells[1])
        sources.append(cells[2])
        labels.append(cells[3])
        values.append([float(cells[c]) for c in columns])
    matrix = np.asarray(values, dtype=np.float64).reshape(len(values), len(FEATURE_NAMES))
    return Rows(matrix, labels, sources, splits)


@dataclass(frozen=True)
class StoreRows:
    """The store's verdicts as labelled rows, and how many could not be used."""

    rows: Rows
    missing: int  # decisions whose claims this store does not hold (any more)


def store_rows(db: Database, config: MatcherConfig | None = None) -> StoreRows:
    """Each current review verdict as an evidence row, computed in the diff of the two
    claims' briefs (``brief:A`` against ``brief:B``), as the matcher would see the pair."""
    from tracker.store.selections import load_selection

    with read_snapshot(db.engine) as session:
        decided = store.current(session)
        where: dict[str, tuple[int, int]] = {}  # hash → (brief id, claim id), lowest id
        for cid, brief_id, text in session.execute(
            select(Claim.id, Claim.brief_id, Claim.text).order_by(Claim.id)
        ):
            where.setdefault(claim_hash(text), (brief_id, cid))
        groups: dict[tuple[int, int], list[tuple[int, int, str]]] = defaultdict(list)
        missing = 0
        for (ho, hn), decision in decided.items():
            if ho not in where or hn not in where:
                missing += 1
                continue
            (bo, co), (bn, cn) = where[ho], where[hn]
            groups[(bo, bn)].append((co, cn, decision.verdict))
        values: list[np.ndarray] = []
        labels: list[str] = []
        for (bo, bn), pairs in sorted(groups.items()):
            old = load_selection(session, f"brief:{bo}").claims
            new = load_selection(session, f"brief:{bn}").claims
            at_old = {c.id: i for i, c in enumerate(old)}
            at_new = {c.id: j for j, c in enumerate(new)}
            index = [(at_old[co], at_new[cn]) for co, cn, _ in pairs]
            values.append(fitting.evidence_rows(old, new, index, config))
            labels += [verdict for _, _, verdict in pairs]
    matrix = np.vstack(values) if values else np.zeros((0, len(FEATURE_NAMES)))
    n = len(labels)
    return StoreRows(Rows(matrix, labels, ["review"] * n, ["train"] * n), missing)


# -- fitting -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FitResult:
    """What ``tracker matcher fit`` did and measured."""

    before: fitting.PairScores  # the model in use, on the shipped test rows
    after: fitting.PairScores  # the new model, same rows and threshold
    before_model: PairModel
    model: PairModel
    name: str  # the model's name in the store
    shipped_train: int
    review_pairs: int
    review_missing: int


def fit(
    db: Database, *, weight: float = REVIEW_WEIGHT, now: dt.datetime | None = None
) -> FitResult:
    """Fit a new pair model on the shipped train rows plus the store's review verdicts (a
    right pair, ``same`` or ``related``, is the positive class), measure it and the model in
    use on the shipped test rows, save it in the store and make it the store's model (the
    one before it stays, for ``use_previous``).

    The threshold, the restatement bar and the out-of-fold recalibration are kept from the
    model in use: the shipped rows carry no claims, so the whole-matcher search for them that
    ``benchmarks/fit_matcher.py`` makes cannot run here, and keeping them makes before and
    after comparable.
    """
    choice = read_choice(db)
    before_model = _load(db, choice.current)
    shipped = shipped_rows()
    train, test = shipped.take("train"), shipped.take("test")
    reviewed = store_rows(db, MatcherConfig(model=before_model))
    weights = np.concatenate(
        [fitting.source_weights(train.sources), np.full(len(reviewed.rows.labels), weight)]
    )
    x = np.vstack([train.matrix, reviewed.rows.matrix])
    labels = [*train.labels, *reviewed.rows.labels]
    y = np.asarray([lab in fitting.TARGET for lab in labels], dtype=np.float64)
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    version = f"lr-{stamp.date().isoformat()}-{len(train.labels)}+{len(reviewed.rows.labels)}r"
    meta: dict[str, Any] = {
        "fitted_on": "tracker/data/matcher_training.tsv.gz (train rows) + review verdicts",
        "train_pairs": len(train.labels),
        "review_pairs": len(reviewed.rows.labels),
        "review_weight": weight,
        "threshold_from": before_model.version,
        "fitted_at": stamp.isoformat(timespec="seconds"),
    }
    model = fitting.pair_model(
        fitting.fit_logistic(x, y, weights),
        version=version,
        threshold=before_model.threshold,
        meta=meta,
        recalibrated=_recalibration(before_model),
        restatement=before_model.restatement,
    )
    name = f"model-{stamp.strftime('%Y%m%dT%H%M%S%fZ')}.json"
    text = json.dumps(model.to_json(), indent=1) + "\n"
    # The model and the choice of it in one transaction: a store never names a model it
    # does not hold.
    with Session(db.engine) as session, session.begin():
        pair_models.save(session, name, model.version, stamp, text)
        _choose(db, session, name, stamp)
    return FitResult(
        before=fitting.pair_scores(before_model, test.matrix, test.labels),
        after=fitting.pair_scores(model, test.matrix, test.labels),
        before_model=before_model,
        model=model,
        name=name,
        shipped_train=len(train.labels),
        review_pairs=len(reviewed.rows.labels),
        review_missing=reviewed.missing,
    )


def _recalibration(model: PairModel) -> tuple[float, float]:
    a, b = model.meta.get("recalibration", (1.0, 0.0))
    return float(a), float(b)


def model_summary(model: PairModel) -> str:
    """The model as ``tracker matcher show`` prints it: version, threshold, provenance and
    the weights, largest first."""
    out = io.StringIO()
    restated = f", restatement {model.restatement:g}" if math.isfinite(model.restatement) else ""
    out.write(f"model {model.version}, threshold {model.threshold:g}{restated}\n")
    for key, value in sorted(model.meta.items()):
        out.write(f"  {key}: {value}\n")
    out.write("weights (standardised features, largest first):\n")
    ranked = sorted(
        zip(model.features, model.weights.tolist(), strict=True), key=lambda t: -abs(t[1])
    )
    for name, w in ranked:
        out.write(f"  {name:22s} {w:+.3f}\n")
    out.write(f"  {'intercept':22s} {model.intercept:+.3f}\n")
    return out.getvalue()
