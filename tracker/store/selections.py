"""Load selections from the store: the briefs, claims and quantities a selection string
names, as the plain values of ``tracker.selection``.

Claims are read as plain rows (no ORM objects): a year of a large corpus holds 100k claims,
and building mapped objects for them would dominate a diff.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from tracker.claims.tokens import FEATURES_VERSION
from tracker.errors import SelectionError
from tracker.selection import (
    BriefRef,
    ClaimRef,
    QuantityRef,
    Selection,
    SourceSelection,
    parse_selection,
    within_phrase,
)
from tracker.store.models import Brief, Claim, QuantityRow


def selection_filter(spec: str, within: Sequence[str] = ()) -> ColumnElement[bool]:
    """The condition on ``Brief`` of ``spec``, narrowed by every selection of ``within``."""
    parts: list[ColumnElement[bool]] = []
    for one in (spec, *within):
        parsed = parse_selection(one)
        if isinstance(parsed, list):
            parts.append(Brief.id.in_(parsed))
        elif isinstance(parsed, SourceSelection):
            parts.append(func.lower(Brief.source).in_([n.lower() for n in parsed.names]))
        else:
            parts.append((Brief.date >= parsed[0]) & (Brief.date <= parsed[1]))
    return and_(*parts)


def load_selection(session: Session, spec: str, within: Sequence[str] = ()) -> Selection:
    """Resolve ``spec`` (narrowed by ``within``) against the database; an empty selection is
    an error. Stored tokens of another ``FEATURES_VERSION`` are left out (recomputed)."""
    parsed = parse_selection(spec)
    where = selection_filter(spec, within)
    brief_rows = session.execute(
        select(
            Brief.id,
            Brief.title,
            Brief.date,
            Brief.source,
            Brief.url,
            Brief.date_precision,
            Brief.extractor_version,
        )
        .where(where)
        .order_by(Brief.date, Brief.id)
    ).all()
    if not brief_rows:
        raise SelectionError(
            f"selection {spec!r} matches no brief{within_phrase(within)} (see: tracker briefs)"
        )
    if isinstance(parsed, list):
        missing = sorted(set(parsed) - {r.id for r in brief_rows})
        if missing:
            raise SelectionError(
                f"selection {spec!r}: no brief with id {missing[0]}{within_phrase(within)}"
            )
    briefs = tuple(BriefRef(*r) for r in brief_rows)
    dates = {b.id: b.date for b in briefs}

    quantities: dict[int, list[QuantityRef]] = {}
    q_rows = session.execute(
        select(
            QuantityRow.claim_id,
            QuantityRow.kind,
            QuantityRow.value,
            QuantityRow.unit,
            QuantityRow.raw,
        )
        .join(Claim, Claim.id == QuantityRow.claim_id)
        .join(Brief, Brief.id == Claim.brief_id)
        .where(where)
        .order_by(QuantityRow.claim_id, QuantityRow.start)
    )
    for cid, kind, value, unit, raw in q_rows:
        quantities.setdefault(cid, []).append(QuantityRef(kind, value, unit, raw))

    c_rows = session.execute(
        select(
            Claim.id,
            Claim.brief_id,
            Claim.ordinal,
            Claim.text,
            Claim.norm_text,
            Claim.sentence,
            Claim.section,
            Claim.start,
            Claim.end,
            Claim.tokens,
            Claim.tokens_version,
            Claim.context,
        )
        .join(Brief, Brief.id == Claim.brief_id)
        .where(where)
        .order_by(Brief.date, Brief.id, Claim.ordinal)
    )
    claims = tuple(
        ClaimRef(
            id=r[0],
            brief_id=r[1],
            ordinal=r[2],
            date=dates[r[1]],
            text=r[3],
            norm_text=r[4],
            sentence=r[5],
            section=r[6],
            start=r[7],
            end=r[8],
            quantities=tuple(quantities.get(r[0], ())),
            tokens=r[9] if r[10] == FEATURES_VERSION else None,
            context=r[11],
        )
        for r in c_rows
    )
    return Selection(spec=spec, briefs=briefs, claims=claims)


def load_selections(
    session: Session, specs: Sequence[str], within: Sequence[str] = ()
) -> list[Selection]:
    """Load the given selections (each narrowed by ``within``), in order; each once."""
    if len(set(specs)) != len(specs):
        raise SelectionError("each selection may be given once")
    return [load_selection(session, spec, within) for spec in specs]


def period_specs(
    session: Session, by: Literal["year", "month", "brief"], within: Sequence[str] = ()
) -> list[tuple[str, str]]:
    """(label, selection) for every year, month or brief that has briefs (of ``within``
    only, when given), oldest first."""
    stmt = select(Brief.id, Brief.date).order_by(Brief.date, Brief.id)
    if within:
        stmt = stmt.where(selection_filter(within[0], within[1:]))
    rows = session.execute(stmt).all()
    if by == "brief":
        return [(f"{d.isoformat()} #{i}", f"brief:{i}") for i, d in rows]
    fmt = "%Y" if by == "year" else "%Y-%m"
    labels = list(dict.fromkeys(d.strftime(fmt) for _, d in rows))
    return [(label, label) for label in labels]
