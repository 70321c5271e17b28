"""Read use cases of `tracker serve`: briefs, one brief's text, claims to pick, runs, decisions.

The web handlers call these and render what they return; they never run SQL themselves.
Each function opens its own session and hands back plain frozen dataclasses, so a page is
rendered after the database is let go.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tracker.dates import format_date
from tracker.errors import TrackerError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from tracker.compare.model import ClaimRef, Diff
    from tracker.store.briefs import MetadataEdit
    from tracker.store.db import Database
    from tracker.store.listing import BriefSummary
    from tracker.store.models import Run
    from tracker.store.reviews import Decision
    from tracker.store.search import SearchResult


@dataclass(frozen=True)
class BriefList:
    """The briefs a filter keeps, and the years and sources there are to filter by."""

    briefs: tuple[BriefSummary, ...]
    years: tuple[int, ...]
    sources: tuple[str, ...]
    year: int | None
    source: str | None


def list_briefs(engine: Engine, *, year: int | None = None, source: str | None = None) -> BriefList:
    """All briefs, oldest first, kept by ``year`` and ``source`` (case-insensitive) if given."""
    from tracker.store.listing import list_briefs as all_briefs

    rows = all_briefs(engine)
    wanted = source.casefold() if source else None
    kept = tuple(
        r
        for r in rows
        if (year is None or r.date.year == year)
        and (wanted is None or (r.source or "").casefold() == wanted)
    )
    return BriefList(
        briefs=kept,
        years=tuple(sorted({r.date.year for r in rows})),
        sources=tuple(sorted({r.source for r in rows if r.source}, key=str.casefold)),
        year=year,
        source=source or None,
    )


@dataclass(frozen=True)
class TextPiece:
    """A run of a brief's text and the claims whose spans cover it (none: text between)."""

    text: str
    claims: tuple[int, ...]
    starts: tuple[int, ...]  # claims whose span begins here: the anchors of ``#claim-ID``


@dataclass(frozen=True)
class ClaimLine:
    """A claim as the brief page lists it."""

    id: int
    ordinal: int
    start: int
    end: int
    text: str
    context: str | None


@dataclass(frozen=True)
class BriefDetail:
    """One brief: its metadata, its stored text cut at every claim boundary, its claims."""

    id: int
    title: str
    date: dt.date
    date_precision: str
    source: str | None
    url: str | None
    authors: tuple[str, ...]
    format: str
    word_count: int
    archive_path: str
    ingested_at: dt.datetime
    extractor_version: int
    pieces: tuple[TextPiece, ...]
    claims: tuple[ClaimLine, ...]

    @property
    def shown_date(self) -> str:
        """The date as precise as it is known (``2024-04`` for a month)."""
        return format_date(self.date, self.date_precision)


def text_pieces(text: str, spans: Sequence[tuple[int, int, int]]) -> tuple[TextPiece, ...]:
    """Cut ``text`` at every start and end of the ``(claim_id, start, end)`` spans.

    Spans may overlap (the items of one listing sentence share its lead-in), so the text is
    cut at every boundary and each piece names all the claims covering it, rather than
    nesting highlights that cannot be nested.
    """
    cuts = {0, len(text)}
    for _, start, end in spans:
        cuts.update((max(0, min(start, len(text))), max(0, min(end, len(text)))))
    points = sorted(cuts)
    pieces = []
    for left, right in itertools.pairwise(points):
        if left == right:
            continue
        covering = tuple(cid for cid, start, end in spans if start <= left and right <= end)
        starts = tuple(cid for cid, start, _ in spans if start == left)
        pieces.append(TextPiece(text[left:right], covering, starts))
    return tuple(pieces)


def brief_detail(engine: Engine, brief_id: int) -> BriefDetail:
    """One brief with its text and claims; ``TrackerError`` when there is no such brief."""
    from sqlalchemy.orm import Session

    from tracker.store.repo import get_brief

    with Session(engine) as session:
        brief = get_brief(session, brief_id)
        if brief is None:
            raise TrackerError(f"no brief with id {brief_id}")
        claims = tuple(
            ClaimLine(c.id, c.ordinal, c.start, c.end, c.text, c.context) for c in brief.claims
        )
        return BriefDetail(
            id=brief.id,
            title=brief.title,
            date=brief.date,
            date_precision=brief.date_precision,
            source=brief.source,
            url=brief.url,
            authors=tuple(brief.authors or ()),
            format=brief.format,
            word_count=brief.word_count,
            archive_path=brief.archive_path,
            ingested_at=brief.ingested_at,
            extractor_version=brief.extractor_version,
            pieces=text_pieces(brief.text, [(c.id, c.start, c.end) for c in claims]),
            claims=claims,
        )


def correct_brief(
    db: Database, brief_id: int, *, date: str, title: str, source: str
) -> MetadataEdit:
    """Apply a metadata form: each field as the form sends it (all three, pre-filled).

    The date is parsed only when it differs from the stored one as shown, so a brief known
    to the month keeps its precision when only its title is corrected. An empty source
    clears it; an empty title or date is refused.
    """
    from tracker.ingest.service import parse_dated
    from tracker.store.briefs import edit_brief, get_metadata

    current = get_metadata(db, brief_id)
    if current is None:
        raise TrackerError(f"no brief with id {brief_id}")
    date = date.strip()
    if not date:
        raise TrackerError("a brief's date cannot be empty")
    new_date = parse_dated(date) if date != current.shown_date else None
    return edit_brief(db, brief_id, date=new_date, title=title, source=source)


@dataclass(frozen=True)
class PickChoice:
    """A claim the picker offers as the other side of a link."""

    claim_id: int
    brief_id: int
    date: dt.date
    title: str
    text: str


def claim_choices(
    engine: Engine, spec: str, query: str | None, *, limit: int = 50
) -> tuple[PickChoice, ...]:
    """Claims of selection ``spec`` to link to: those matching ``query`` (full-text search,
    best first), or without a query every claim of the selection in reading order."""
    if query and query.strip():
        from tracker.store.search import search_claims

        result = search_claims(engine, query, selection=spec, limit=limit)
        return tuple(
            PickChoice(h.claim_id, h.brief_id, h.date, h.title, h.text) for h in result.hits
        )
    from tracker.store.db import read_snapshot
    from tracker.store.selections import load_selection

    with read_snapshot(engine) as session:
        selection = load_selection(session, spec)
    titles = {b.id: b.title for b in selection.briefs}
    return tuple(
        PickChoice(c.id, c.brief_id, c.date, titles[c.brief_id], c.text)
        for c in sorted(selection.claims, key=lambda c: c.order)[:limit]
    )


def claim_by_id(engine: Engine, claim_id: int) -> PickChoice:
    """One claim with its brief; ``TrackerError`` when there is none."""
    from sqlalchemy.orm import Session

    from tracker.store.models import Claim

    with Session(engine) as session:
        claim = session.get(Claim, claim_id)
        if claim is None:
            raise TrackerError(f"no claim with id {claim_id}")
        return PickChoice(claim.id, claim.brief_id, claim.brief.date, claim.brief.title, claim.text)


def search(engine: Engine, query: str, *, selection: str | None = None) -> SearchResult:
    """Full-text search over claim text (``tracker search``)."""
    from tracker.store.search import search_claims

    return search_claims(engine, query, selection=selection or None, limit=50)


def runs(engine: Engine, limit: int = 50) -> list[Run]:
    """The most recent ingest runs, newest first."""
    from tracker.store.runs import recent_runs

    return recent_runs(engine, limit)


def run(engine: Engine, run_id: int) -> Run:
    """One run with its errors; ``TrackerError`` when there is none."""
    from tracker.store.runs import get_run

    found = get_run(engine, run_id)
    if found is None:
        raise TrackerError(f"no run with id {run_id}")
    return found


@dataclass(frozen=True)
class DecisionRow:
    """A decision of the diff's selections with the text of its claims (as far as the diff
    holds them: a decision on claims of other selections is shown by hash)."""

    decision: Decision
    old_text: str | None
    new_text: str | None
    old_id: int | None
    new_id: int | None


def _claims_by_hash(diff: Diff) -> dict[str, ClaimRef]:
    from tracker.claims.identity import claim_hash

    found: dict[str, ClaimRef] = {}
    for claim in (*diff.old.claims, *diff.new.claims):
        found.setdefault(claim_hash(claim.text), claim)
    return found


def decision_rows(diff: Diff, decisions: Sequence[Decision]) -> tuple[DecisionRow, ...]:
    """``decisions`` with their claims' text and ids, newest first."""
    claims = _claims_by_hash(diff)
    rows = []
    for d in sorted(decisions, key=lambda d: d.at, reverse=True):
        old, new = claims.get(d.old_hash), claims.get(d.new_hash)
        rows.append(
            DecisionRow(
                d,
                old.text if old else None,
                new.text if new else None,
                old.id if old else None,
                new.id if new else None,
            )
        )
    return tuple(rows)


def verdicts_by_ids(diff: Diff, decisions: Sequence[Decision]) -> dict[tuple[int, int], Decision]:
    """The current decision of each (old claim id, new claim id) pair of the diff."""
    claims = _claims_by_hash(diff)
    found: dict[tuple[int, int], Decision] = {}
    for d in decisions:
        old, new = claims.get(d.old_hash), claims.get(d.new_hash)
        if old is not None and new is not None:
            found[(old.id, new.id)] = d
    return found


@dataclass(frozen=True)
class SnippetPiece:
    text: str
    marked: bool


def snippet_pieces(snippet: str, highlights: Sequence[tuple[int, int]]) -> tuple[SnippetPiece, ...]:
    """A search snippet cut into plain and matched runs (the page marks the matched ones)."""
    pieces, at = [], 0
    for start, end in sorted(highlights):
        if start < at:
            continue
        if start > at:
            pieces.append(SnippetPiece(snippet[at:start], False))
        pieces.append(SnippetPiece(snippet[start:end], True))
        at = end
    if at < len(snippet):
        pieces.append(SnippetPiece(snippet[at:], False))
    return tuple(pieces)
