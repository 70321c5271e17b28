"""JSON and CSV of what is stored: ``briefs``, ``claims``, ``search`` and ``runs``.

The shapes are documented in docs/json.md; like the diff contract, fields are never renamed or
removed, and the same store gives the same bytes. Timestamps (of runs only) are UTC ISO 8601.
Each renderer is a pure function of plain values; none imports the ORM at run time, so
``tracker briefs --format json`` starts as fast as the text listing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tracker.report.csvrows import write_rows

if TYPE_CHECKING:
    from tracker.store.listing import BriefSummary
    from tracker.store.models import Brief, Run
    from tracker.store.search import SearchResult

VERSION = 1

BRIEF_COLUMNS = ("id", "date", "date_precision", "claims", "title", "source", "url")
CLAIM_COLUMNS = ("claim_id", "brief_id", "ordinal", "start", "end", "text", "quantities")
SEARCH_COLUMNS = ("claim_id", "brief_id", "ordinal", "date", "title", "text", "snippet")
RUN_COLUMNS = (
    "id",
    "started_at",
    "finished_at",
    "new",
    "unchanged",
    "failed",
    "exit_status",
    "status",
    "alerts_sent",
    "alerts_failed",
)


def dumps(data: Any) -> str:
    """JSON as every tracker command writes it: UTF-8 text, indented, one final newline."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def briefs_to_dict(rows: Sequence[BriefSummary]) -> dict[str, Any]:
    """``tracker briefs --format json``."""
    return {
        "version": VERSION,
        "briefs": [
            {
                "id": r.id,
                "date": r.date.isoformat(),
                "date_precision": r.date_precision,
                "title": r.title,
                "source": r.source,
                "url": r.url,
                "claims": r.claims,
            }
            for r in rows
        ],
    }


def briefs_csv(rows: Sequence[BriefSummary]) -> str:
    """``tracker briefs --format csv``: one row per brief."""
    return write_rows(
        BRIEF_COLUMNS,
        (
            (r.id, r.date.isoformat(), r.date_precision, r.claims, r.title, r.source, r.url)
            for r in rows
        ),
    )


def _quantity(q: Any) -> dict[str, Any]:
    return {
        "raw": q.raw,
        "value": q.value,
        "unit": q.unit,
        "kind": q.kind,
        "span": [q.start, q.end],
    }


def claims_to_dict(brief: Brief) -> dict[str, Any]:
    """``tracker claims ID --format json``: the brief, then its claims in order."""
    return {
        "version": VERSION,
        "brief": {
            "id": brief.id,
            "title": brief.title,
            "date": brief.date.isoformat(),
            "source": brief.source,
            "url": brief.url,
        },
        "claims": [
            {
                "claim_id": c.id,
                "brief_id": brief.id,
                "ordinal": c.ordinal,
                "text": c.text,
                "span": [c.start, c.end],
                "sentence": c.sentence,
                "section": c.section,
                "quantities": [_quantity(q) for q in c.quantities],
            }
            for c in brief.claims
        ],
    }


def claims_csv(brief: Brief) -> str:
    """``tracker claims ID --format csv``: one row per claim; quantities as ``raw`` texts."""
    return write_rows(
        CLAIM_COLUMNS,
        (
            (
                c.id,
                brief.id,
                c.ordinal,
                c.start,
                c.end,
                c.text,
                "; ".join(q.raw for q in c.quantities),
            )
            for c in brief.claims
        ),
    )


def search_to_dict(result: SearchResult) -> dict[str, Any]:
    """``tracker search --format json`` (the shape it always had)."""
    return {
        "version": VERSION,
        "query": result.query,
        "selection": result.selection,
        "more": result.more,
        "results": [
            {
                "claim_id": h.claim_id,
                "brief_id": h.brief_id,
                "ordinal": h.ordinal,
                "date": h.date.isoformat(),
                "title": h.title,
                "text": h.text,
                "snippet": h.snippet,
                "highlights": [list(span) for span in h.highlights],
            }
            for h in result.hits
        ],
    }


def search_csv(result: SearchResult) -> str:
    """``tracker search --format csv``: one row per matching claim, best first."""
    return write_rows(
        SEARCH_COLUMNS,
        (
            (h.claim_id, h.brief_id, h.ordinal, h.date.isoformat(), h.title, h.text, h.snippet)
            for h in result.hits
        ),
    )


def utc(value: dt.datetime | None) -> str | None:
    """A stored timestamp in UTC, ISO 8601 (SQLite hands back naive datetimes, written in UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="seconds")


def run_status(run: Run) -> str:
    """``ok``, ``exit N`` or ``running or killed`` (no end time)."""
    if run.finished_at is None:
        return "running or killed"
    return "ok" if run.exit_status == 0 else f"exit {run.exit_status}"


def run_to_dict(run: Run, *, errors: bool) -> dict[str, Any]:
    """One run; with its errors (``tracker runs ID``) or without (the list)."""
    data: dict[str, Any] = {
        "id": run.id,
        "started_at": utc(run.started_at),
        "finished_at": utc(run.finished_at),
        "new": run.new,
        "unchanged": run.unchanged,
        "failed": run.failed,
        "exit_status": run.exit_status,
        "status": run_status(run),
        "alerts_sent": run.alerts_sent or 0,
        "alerts_failed": run.alerts_failed or 0,
    }
    if errors:
        data["errors"] = [
            {"source": e.get("source"), "item": e.get("item"), "reason": e.get("reason")}
            for e in run.errors
        ]
    return data


def runs_to_dict(runs: Sequence[Run]) -> dict[str, Any]:
    """``tracker runs --format json``: newest first."""
    return {"version": VERSION, "runs": [run_to_dict(r, errors=False) for r in runs]}


def runs_csv(runs: Sequence[Run]) -> str:
    """``tracker runs --format csv``: one row per run, newest first."""
    return write_rows(
        RUN_COLUMNS,
        (
            (
                r.id,
                utc(r.started_at),
                utc(r.finished_at),
                r.new,
                r.unchanged,
                r.failed,
                r.exit_status,
                run_status(r),
                r.alerts_sent or 0,
                r.alerts_failed or 0,
            )
            for r in runs
        ),
    )


def run_errors_csv(run: Run) -> str:
    """``tracker runs ID --format csv``: one row per error of the run."""
    return write_rows(
        ("run", "source", "item", "reason"),
        ((run.id, e.get("source"), e.get("item"), e.get("reason")) for e in run.errors),
    )
