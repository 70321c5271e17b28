"""Parse selection strings (``2021``, ``2024-04``, ``2024-04-12``, ``2021..2022``,
``brief:7``) and load the briefs and claims they select."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from tracker.compare.features import FEATURES_VERSION
from tracker.compare.model import BriefRef, ClaimRef, QuantityRef, Selection
from tracker.errors import SelectionError
from tracker.store.models import Brief, Claim, QuantityRow

_DATE_PART = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


def _bounds(part: str, spec: str) -> tuple[dt.date, dt.date]:
    match = _DATE_PART.match(part.strip())
    if not match:
        raise SelectionError(
            f"selection {spec!r}: expected YYYY, YYYY-MM, YYYY-MM-DD, A..B or brief:ID"
        )
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        if month is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return dt.date(year, month, 1), dt.date(year, month, last)
        day_date = dt.date(year, month, day)
    except (ValueError, calendar.IllegalMonthError):
        raise SelectionError(f"selection {spec!r}: not a valid date") from None
    return day_date, day_date


def parse_selection(spec: str) -> tuple[dt.date, dt.date] | list[int]:
    """A date range (inclusive) or a list of brief ids."""
    text = spec.strip()
    if text.lower().startswith("brief:"):
        ids = text.split(":", 1)[1]
        try:
            return [int(x) for x in ids.split(",") if x.strip()]
        except ValueError:
            raise SelectionError(f"selection {spec!r}: brief ids must be numbers") from None
    if ".." in text:
        left, right = text.split("..", 1)
        start = _bounds(left, spec)[0]
        end = _bounds(right, spec)[1]
        if end < start:
            raise SelectionError(f"selection {spec!r}: range ends before it starts")
        return start, end
    return _bounds(text, spec)


def load_selection(session: Session, spec: str) -> Selection:
    """Resolve ``spec`` against the database; an empty selection is an error.

    Claims are read as plain rows (no ORM objects): a year of a large corpus holds
    100k claims, and building mapped objects for them would dominate a diff.
    """
    parsed = parse_selection(spec)
    where: ColumnElement[bool] = (
        Brief.id.in_(parsed)
        if isinstance(parsed, list)
        else (Brief.date >= parsed[0]) & (Brief.date <= parsed[1])
    )
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
        raise SelectionError(f"selection {spec!r} matches no brief (see: tracker briefs)")
    if isinstance(parsed, list):
        missing = sorted(set(parsed) - {r.id for r in brief_rows})
        if missing:
            raise SelectionError(f"selection {spec!r}: no brief with id {missing[0]}")
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
