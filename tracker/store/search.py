"""Full-text search over claim text: SQLite FTS5 or PostgreSQL text search, one interface.

Query syntax (the same on both backends): words are matched after stemming ("tax" finds
"taxes") and every word must occur; ``"two words"`` in double quotes is a phrase; ``word*`` is
a prefix. Everything else is plain text: operators and punctuation of the underlying engines
(``AND``, ``NEAR``, ``:``, ``&``, ``(``) are never interpreted, so no query can be a syntax
error. PostgreSQL drops English stop words ("the", "of") from queries; SQLite keeps them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import ColumnElement, Engine, column, func, literal, literal_column, select, table
from sqlalchemy.orm import Session

from tracker.errors import SelectionError, StoreError
from tracker.store.models import Brief, Claim
from tracker.store.selections import selection_filter

# Tables, triggers and indexes of the search that are not in the models (see revision
# claim_search); schema comparisons must leave them out.
SEARCH_OBJECTS = frozenset(
    {
        "claims_fts",
        "claims_fts_data",
        "claims_fts_idx",
        "claims_fts_content",
        "claims_fts_docsize",
        "claims_fts_config",
        "ix_claims_text_fts",
    }
)
# Marks around matches inside snippets; private-use code points, never in claim text.
START, STOP = "\ue000", "\ue001"
SNIPPET_WORDS = 24
PG_CONFIG = "'english'::regconfig"
Order = Literal["rank", "date"]

_TERM = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"[^\W_]+")


def is_search_object(name: str | None) -> bool:
    """True for the search's own tables and indexes (left out of schema comparisons)."""
    return name in SEARCH_OBJECTS


@dataclass(frozen=True)
class Term:
    """One part of a query: a word, a prefix (``tax*``) or a quoted phrase."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class SearchHit:
    """A claim that matches, with its brief and a snippet of its text.

    ``highlights`` are (start, end) character offsets of the matched words in ``snippet``.
    """

    claim_id: int
    brief_id: int
    ordinal: int
    date: dt.date
    title: str
    text: str
    snippet: str
    highlights: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class SearchResult:
    """The hits (at most ``limit``) and whether more claims matched."""

    query: str
    selection: str | None
    hits: tuple[SearchHit, ...]
    more: bool


def parse_query(query: str) -> list[Term]:
    """Split a user query into terms; characters that are not letters or digits separate words.

    Raises ``SelectionError`` when nothing searchable is left.
    """
    terms: list[Term] = []
    for match in _TERM.finditer(query):
        phrase, word = match.groups()
        if phrase is not None:
            words = tuple(w.lower() for w in _WORD.findall(phrase))
            if words:
                terms.append(Term(words))
            continue
        assert word is not None
        prefix = word.endswith("*")
        parts = [w.lower() for w in _WORD.findall(word)]
        # "U.K." or "co-operation" are one term whose parts must be adjacent, as in the text.
        if parts:
            terms.append(Term(tuple(parts), prefix=prefix))
    if not terms:
        raise SelectionError(f"search {query!r}: no words to search for")
    return terms


def fts5_query(terms: list[Term]) -> str:
    """The FTS5 MATCH expression: each term a quoted string, so nothing is an operator."""
    parts = []
    for term in terms:
        quoted = '"' + " ".join(term.words).replace('"', '""') + '"'
        parts.append(quoted + ("*" if term.prefix else ""))
    return " ".join(parts)


def _pg_tsquery(terms: list[Term]) -> Any:
    """A tsquery built from parameters, never by parsing user text as tsquery syntax."""
    cfg: Any = literal_column(PG_CONFIG)
    query: Any = None
    for term in terms:
        if term.prefix:
            # Safe as tsquery syntax: the words are letters and digits only (see _WORD).
            spec = " <-> ".join((*term.words[:-1], term.words[-1] + ":*"))
            part = func.to_tsquery(cfg, literal(spec))
        elif len(term.words) > 1:
            part = func.phraseto_tsquery(cfg, literal(" ".join(term.words)))
        else:
            part = func.plainto_tsquery(cfg, literal(term.words[0]))
        query = part if query is None else query.op("&&")(part)
    return query


def _selection_filter(spec: str | None) -> ColumnElement[bool] | None:
    if spec is None:
        return None
    return selection_filter(spec)


def _unmark(marked: str, full: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Remove the match marks from a snippet; add "…" where it cuts the claim."""
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    size = 0
    start = -1
    for piece in re.split(f"({START}|{STOP})", marked):
        if piece == START:
            start = size
        elif piece == STOP:
            if start >= 0 and size > start:
                spans.append((start, size))
            start = -1
        else:
            plain.append(piece)
            size += len(piece)
    # Adjacent matched words ("nuclear power") read as one highlight.
    merged: list[tuple[int, int]] = []
    joined = "".join(plain)
    for s, e in spans:
        if merged and not joined[merged[-1][1] : s].strip():
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    spans = merged
    snippet = joined.strip()
    offset = len(joined) - len(joined.lstrip())
    spans = [(s - offset, e - offset) for s, e in spans]
    core = snippet
    if core and not full.startswith(core):
        snippet = "…" + snippet
        spans = [(s + 1, e + 1) for s, e in spans]
    if core and not full.endswith(core):
        snippet += "…"
    return snippet, tuple(spans)


def search_claims(
    engine: Engine,
    query: str,
    *,
    selection: str | None = None,
    limit: int = 20,
    order: Order = "rank",
) -> SearchResult:
    """Claims whose text matches ``query``, best first (or newest first with ``order="date"``).

    ``selection`` narrows the briefs as in a diff (``2021``, ``2021..2024``, ``brief:3``).
    Ties are broken by date, brief and claim order, so the output is deterministic.
    """
    if limit < 1:
        raise SelectionError("search: --limit must be at least 1")
    terms = parse_query(query)
    where = _selection_filter(selection)
    dialect = engine.dialect.name
    if dialect == "sqlite":
        fts = table("claims_fts", column("rowid"))
        fts_col: Any = literal_column("claims_fts")
        marked_snippet: Any = func.snippet(fts_col, 0, START, STOP, "", SNIPPET_WORDS)
        rank: Any = func.bm25(fts_col)  # lower is better
        stmt = (
            select(
                Claim.id,
                Claim.brief_id,
                Claim.ordinal,
                Brief.date,
                Brief.title,
                Claim.text,
                marked_snippet,
                rank,
            )
            .select_from(fts)
            .join(Claim, Claim.id == fts.c.rowid)
            .join(Brief, Brief.id == Claim.brief_id)
            .where(fts_col.op("MATCH")(fts5_query(terms)))
        )
    elif dialect == "postgresql":
        tsquery = _pg_tsquery(terms)
        vector = func.to_tsvector(literal_column(PG_CONFIG), Claim.text)
        options = (
            f'StartSel="{START}", StopSel="{STOP}", '
            f"MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 2}"
        )
        headline = func.ts_headline(literal_column(PG_CONFIG), Claim.text, tsquery, options)
        rank = -func.ts_rank_cd(vector, tsquery)  # negated: lower is better, as bm25
        stmt = (
            select(
                Claim.id,
                Claim.brief_id,
                Claim.ordinal,
                Brief.date,
                Brief.title,
                Claim.text,
                headline,
                rank,
            )
            .join(Brief, Brief.id == Claim.brief_id)
            .where(vector.op("@@")(tsquery))
        )
    else:
        raise StoreError(f"search needs SQLite (FTS5) or PostgreSQL, not {dialect}")
    if where is not None:
        stmt = stmt.where(where)
    tie = (Brief.date.desc(), Brief.id, Claim.ordinal)
    stmt = stmt.order_by(rank, *tie) if order == "rank" else stmt.order_by(*tie)
    with Session(engine) as session:
        rows = session.execute(stmt.limit(limit + 1)).all()
    hits = []
    for cid, bid, ordinal, date, title, text, marked, _rank in rows[:limit]:
        snippet, spans = _unmark(marked or text, text)
        hits.append(SearchHit(cid, bid, ordinal, date, title, text, snippet, spans))
    return SearchResult(query, selection, tuple(hits), len(rows) > limit)
