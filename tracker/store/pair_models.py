"""Fitted pair models and the store's choice among them, kept in the database.

A model is kept as the text of its JSON file (``tracker.compare.probability`` reads it) under
a unique name, and never deleted. The choice is an append-only log: the newest row names the
model in use (null: the one shipped with tracker), the row before it the previous model. Two
analysts choosing at once each append a row; the later one is in use, and neither is lost.

This module knows models only as names and text: it never parses them, and it never commits
(the caller owns the transaction).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.store.models import MatcherChoice, MatcherModel


@dataclass(frozen=True)
class StoredChoice:
    """The model in use and the one before it (None: the shipped model)."""

    current: str | None
    previous: str | None


def save(session: Session, name: str, version: str, fitted_at: dt.datetime, body: str) -> None:
    """Keep a fitted model under ``name`` (unique)."""
    session.add(MatcherModel(name=name, version=version, fitted_at=fitted_at, body=body))


def body(session: Session, name: str) -> str | None:
    """The JSON text of the model named ``name``; None when the store has no such model."""
    found: str | None = session.scalar(select(MatcherModel.body).where(MatcherModel.name == name))
    return found


def choose(session: Session, name: str | None, at: dt.datetime) -> None:
    """Make ``name`` (None: the shipped model) the model in use from now on."""
    session.add(MatcherChoice(model=name, at=at))


def choice(session: Session) -> StoredChoice | None:
    """The store's current and previous choice; None when it has never chosen in the
    database (it may still have a choice file of an older tracker)."""
    rows = session.scalars(
        select(MatcherChoice.model).order_by(MatcherChoice.id.desc()).limit(2)
    ).all()
    if not rows:
        return None
    return StoredChoice(current=rows[0], previous=rows[1] if len(rows) > 1 else None)


@dataclass(frozen=True)
class Exported:
    """Every model and choice of a store, for ``tracker db copy``."""

    models: list[tuple[str, str, dt.datetime, str]]  # name, version, fitted_at, body
    choices: list[tuple[str | None, dt.datetime]]  # oldest first


def export(session: Session) -> Exported:
    """The store's models and its choice log."""
    models = session.execute(
        select(
            MatcherModel.name, MatcherModel.version, MatcherModel.fitted_at, MatcherModel.body
        ).order_by(MatcherModel.id)
    ).all()
    choices = session.execute(
        select(MatcherChoice.model, MatcherChoice.at).order_by(MatcherChoice.id)
    ).all()
    return Exported(
        [(m.name, m.version, m.fitted_at, m.body) for m in models],
        [(c.model, c.at) for c in choices],
    )


def merge(session: Session, exported: Exported) -> tuple[int, bool]:
    """Add the models this store lacks (by name) and, when it has never chosen one, the
    choice log: a copy into an empty store runs the same model, and a store that chose its
    own keeps it. Returns the models added and whether the choice came along."""
    present = set(session.scalars(select(MatcherModel.name)))
    added = 0
    for name, version, fitted_at, text in exported.models:
        if name not in present:
            save(session, name, version, fitted_at, text)
            added += 1
    take_choice = bool(exported.choices) and choice(session) is None
    if take_choice:
        for model, at in exported.choices:
            choose(session, model, at)
    return added, take_choice
