"""Review use cases: diffs and timelines that honour the store's decisions, recording and
undoing verdicts, listing, exporting and importing them, and the review queue.

Decisions are loaded here and handed to ``tracker.compare`` as plain data (a mapping from
claim-hash pairs to ``Review``), so the comparison engine never reads the database for them.
"""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import io
import json
import os
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from tracker.app import diffs
from tracker.claims.identity import claim_hash
from tracker.compare.matcher import MatcherConfig
from tracker.compare.model import Diff, DiffOptions, ReportFilter, Review
from tracker.compare.queue import QueueItem as QueueItem
from tracker.compare.queue import review_queue as review_queue
from tracker.compare.semantic import Encoder
from tracker.compare.timeline import Granularity, Status, Timeline
from tracker.errors import ReviewError
from tracker.fsutil import write_atomically
from tracker.store import reviews as store
from tracker.store.db import read_snapshot
from tracker.store.models import Claim
from tracker.store.reviews import Decision as Decision
from tracker.store.reviews import StoredClaim as StoredClaim

CONFIG_VAR = "TRACKER_CONFIG"
CONFIG_NAME = "tracker.toml"
EXPORT_FIELDS = ("old_hash", "new_hash", "verdict", "by", "at", "note")


# -- who reviews ---------------------------------------------------------------------------


def default_reviewer(config: Path | None = None) -> str:
    """The reviewer's name: ``[review] by = "..."`` of ``tracker.toml`` (``config``, else
    ``TRACKER_CONFIG``, else the one in the current directory) when set, else the OS user."""
    path = config or Path(os.environ.get(CONFIG_VAR) or CONFIG_NAME)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        data = {}  # no file, or one the sources commands will complain about
    section = data.get("review")
    by = section.get("by") if isinstance(section, dict) else None
    if isinstance(by, str) and by.strip():
        return by.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name for this uid (a bare container)
        return "unknown"


# -- honouring decisions -------------------------------------------------------------------


def as_review(decision: Decision) -> Review:
    """A stored decision as reports show it."""
    at = decision.at.isoformat(timespec="seconds").replace("+00:00", "Z")
    return Review(decision.verdict, decision.by, at, decision.note)


def load_reviews(engine: Engine) -> dict[tuple[str, str], Review]:
    """The current verdict of every decided pair, as the engine takes them."""
    with read_snapshot(engine) as session:
        return {pair: as_review(d) for pair, d in store.current(session).items()}


def reviewed_diff(
    engine: Engine,
    old_spec: str,
    new_spec: str,
    options: DiffOptions | None = None,
    *,
    report: ReportFilter | None = None,
    encoder: Encoder | None = None,
    config: MatcherConfig | None = None,
) -> Diff:
    """``tracker diff FROM TO``: a diff in which confirmed pairs are paired, rejected pairs
    are not, and everything else is aligned around them; it holds the changes ``report``
    keeps (all of them by default)."""
    found = load_reviews(engine)
    return diffs.diff(
        engine,
        old_spec,
        new_spec,
        options,
        report=report,
        encoder=encoder,
        config=config,
        reviews=found,
    )


def reviewed_timeline(
    engine: Engine,
    specs: Sequence[str],
    options: DiffOptions | None = None,
    *,
    statuses: Sequence[Status] = (),
    grep: str | None = None,
    encoder: Encoder | None = None,
    config: MatcherConfig | None = None,
) -> Timeline:
    """``tracker diff A B C``: every position chained, each link honouring the decisions
    (``statuses`` and ``grep`` filter the chains, as in ``tracker.app.diffs.timeline``)."""
    found = load_reviews(engine)
    return diffs.timeline(
        engine,
        specs,
        options,
        statuses=statuses,
        grep=grep,
        encoder=encoder,
        reviews=found,
        config=config,
    )


def reviewed_history(
    engine: Engine,
    query: str | None = None,
    *,
    claim_id: int | None = None,
    by: Granularity = "year",
    limit: int = 5,
    options: DiffOptions | None = None,
    encoder: Encoder | None = None,
    config: MatcherConfig | None = None,
) -> Timeline:
    """``tracker history``: one position through the store, each link honouring decisions."""
    return diffs.history(
        engine,
        query,
        claim_id=claim_id,
        by=by,
        limit=limit,
        options=options,
        encoder=encoder,
        reviews=load_reviews(engine),
        config=config,
    )


# -- recording -----------------------------------------------------------------------------


def _claim_text(session: Session, claim_id: int, side: str) -> str:
    text = session.scalar(select(Claim.text).where(Claim.id == claim_id))
    if text is None:
        raise ReviewError(f"no claim with id {claim_id} ({side} claim; see: tracker claims BRIEF)")
    return text


def decide(
    engine: Engine,
    old_claim_id: int,
    new_claim_id: int,
    verdict: str,
    *,
    by: str,
    note: str | None = None,
) -> Decision:
    """Record a verdict on the pair (old claim, new claim), named by the claims' ids now;
    it is stored by their text hashes. Unknown ids and verdicts are a ``ReviewError``."""
    with Session(engine) as session, session.begin():
        old_hash = claim_hash(_claim_text(session, old_claim_id, "old"))
        new_hash = claim_hash(_claim_text(session, new_claim_id, "new"))
        return store.record(session, old_hash, new_hash, verdict, by=by, note=note)


def undo(engine: Engine, old_claim_id: int, new_claim_id: int, *, by: str) -> None:
    """Withdraw the pair's newest verdict (the one before, if any, is current again)."""
    with Session(engine) as session, session.begin():
        old_hash = claim_hash(_claim_text(session, old_claim_id, "old"))
        new_hash = claim_hash(_claim_text(session, new_claim_id, "new"))
        store.clear(session, old_hash, new_hash, by=by)


# -- listing, export, import ---------------------------------------------------------------


def _selection_hashes(session: Session, spec: str) -> set[str]:
    from tracker.store.selections import load_selection

    return {claim_hash(c.text) for c in load_selection(session, spec).claims}


def decisions(
    engine: Engine, *, old_spec: str | None = None, new_spec: str | None = None
) -> list[Decision]:
    """The current decisions, oldest first; with ``old_spec`` / ``new_spec``, only those
    whose old (new) claim is in that selection."""
    with read_snapshot(engine) as session:
        found = list(store.current(session).values())
        if old_spec is not None:
            olds = _selection_hashes(session, old_spec)
            found = [d for d in found if d.old_hash in olds]
        if new_spec is not None:
            news = _selection_hashes(session, new_spec)
            found = [d for d in found if d.new_hash in news]
    return sorted(found, key=lambda d: (d.at, d.old_hash, d.new_hash))


def claims_by_hash(engine: Engine, hashes: set[str]) -> dict[str, StoredClaim]:
    """The store's claims whose text hashes are among ``hashes`` (lowest id per hash)."""
    found: dict[str, StoredClaim] = {}
    if not hashes:
        return found
    with read_snapshot(engine) as session:
        for cid, text in session.execute(select(Claim.id, Claim.text).order_by(Claim.id)):
            h = claim_hash(text)
            if h in hashes and h not in found:
                found[h] = StoredClaim(cid, text)
    return found


def decision_to_dict(d: Decision) -> dict[str, Any]:
    """A decision as the export files (and ``review list --format json``) carry it."""
    return {
        "old_hash": d.old_hash,
        "new_hash": d.new_hash,
        "verdict": d.verdict,
        "by": d.by,
        "at": d.at.isoformat(),
        "note": d.note,
    }


def export_text(items: Sequence[Decision], fmt: str) -> str:
    """Decisions as JSON (``{"version": 1, "decisions": [...]}``) or CSV."""
    if fmt == "json":
        data = {"version": 1, "decisions": [decision_to_dict(d) for d in items]}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_FIELDS, lineterminator="\n")
    writer.writeheader()
    for d in items:
        writer.writerow({k: ("" if v is None else v) for k, v in decision_to_dict(d).items()})
    return buffer.getvalue()


def file_format(path: Path) -> str:
    """``json`` or ``csv``, from the file's suffix."""
    suffix = path.suffix.lower()
    if suffix not in (".json", ".csv"):
        raise ReviewError(f"{path}: expected a .json or .csv file of review decisions")
    return suffix[1:]


def export_decisions(engine: Engine, path: Path) -> int:
    """Write every recorded row (the whole history, withdrawals too) to ``path``, JSON or
    CSV by its suffix; the number of rows written."""
    fmt = file_format(path)
    with read_snapshot(engine) as session:
        everything = store.rows(session)
    write_atomically(path, export_text(everything, fmt).encode("utf-8"))
    return len(everything)


def _parse(path: Path, fmt: str) -> list[Decision]:
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReviewError(f"{path}: cannot read ({exc})") from None
    records: Any
    if fmt == "json":
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise ReviewError(f"{path}: not valid JSON ({exc})") from None
        records = data.get("decisions") if isinstance(data, dict) else data
        if not isinstance(records, list):
            raise ReviewError(f'{path}: expected {{"decisions": [...]}} or a list of decisions')
    else:
        records = list(csv.DictReader(io.StringIO(raw)))
    out = []
    for n, rec in enumerate(records, 1):
        where = f"{path}: decision {n}"
        if not isinstance(rec, dict):
            raise ReviewError(f"{where}: expected an object with {', '.join(EXPORT_FIELDS)}")
        missing = [k for k in EXPORT_FIELDS[:5] if not rec.get(k)]
        if missing:
            raise ReviewError(f"{where}: missing {', '.join(missing)}")
        try:
            at = dt.datetime.fromisoformat(str(rec["at"]))
        except ValueError:
            raise ReviewError(f"{where}: 'at' is not an ISO 8601 time: {rec['at']!r}") from None
        note = rec.get("note")
        out.append(
            Decision(
                str(rec["old_hash"]),
                str(rec["new_hash"]),
                str(rec["verdict"]),
                str(rec["by"]),
                store.utc(at),
                str(note) if note else None,
            )
        )
    return out


@dataclass(frozen=True)
class Imported:
    """What an import did."""

    read: int
    added: int


def import_decisions(engine: Engine, path: Path) -> Imported:
    """Append the decisions of ``path`` (JSON or CSV by suffix) that this store lacks, in
    one transaction; a malformed file changes nothing (``ReviewError`` names the row)."""
    parsed = _parse(path, file_format(path))
    with Session(engine) as session, session.begin():
        try:
            added = store.add(session, parsed)
        except ReviewError as exc:
            raise ReviewError(f"{path}: {exc}") from None
    return Imported(len(parsed), added)
