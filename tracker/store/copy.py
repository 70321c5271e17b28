"""Copy the briefs of one tracker database into another (SQLite → PostgreSQL and back).

Every brief goes over with its extracted text, metadata, archive reference, claims (with
their matching tokens) and quantities. The destination numbers rows itself, so a copy can
merge into a database that already holds briefs; a brief whose content hash is already there
is skipped, which also makes an interrupted copy safe to run again. Each brief is copied in
one transaction, as an ingest stores it. Raw files are copied from the source's archive
folder into the destination's when they exist there and not yet here, before the brief's
transaction, as an ingest archives before it stores: a brief in the destination always has
its raw file, and a copy stopped by an archive that cannot be written is finished by running
it again. Review decisions go over last, in one transaction: they name claims by text hash,
not id, so they need no renumbering, and rows the destination already holds are skipped.
Fitted matcher models follow (those the destination lacks, by name), with the source's model
choice when the destination has never chosen one.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Row, insert, select
from sqlalchemy.orm import Session

from tracker.errors import StoreError
from tracker.store import pair_models, reviews
from tracker.store.archive import is_archive_name
from tracker.store.db import (
    Database,
    archive_folder,
    archive_root_for,
    open_database,
    read_snapshot,
    resolve_url,
)
from tracker.store.models import Brief, Claim, QuantityRow

_BRIEF_COLUMNS = [c.key for c in Brief.__table__.columns if c.key != "id"]
_CLAIM_COLUMNS = [c.key for c in Claim.__table__.columns if c.key not in ("id", "brief_id")]
_QUANTITY_COLUMNS = [
    c.key for c in QuantityRow.__table__.columns if c.key not in ("id", "claim_id")
]


@dataclass
class CopyReport:
    """What a copy did."""

    briefs: int = 0
    claims: int = 0
    quantities: int = 0
    already_present: int = 0
    archive_files: int = 0
    archive_missing: int = 0
    decisions: int = 0  # review decision rows copied (history included)
    models: int = 0  # fitted matcher models copied
    model_choice: bool = False  # the source's model choice came along (dest had none)
    # The two archive folders the raw files went between (equal: nothing to copy).
    source_archive: Path | None = None
    destination_archive: Path | None = None


def _copy_raw(src: Database, dest: Database, archive_path: str, report: CopyReport) -> None:
    if not is_archive_name(archive_path):
        # A damaged or edited row must not make the copy read or write outside the archives.
        raise StoreError(
            f"archive path {archive_path!r} is not a snapshots/<year>/<hash> name "
            "(see: tracker doctor)"
        )
    source = src.archive_root / archive_path
    target = dest.archive_root / archive_path
    partial = target.with_name(target.name + ".partial")
    try:
        if source.resolve() == target.resolve() or target.exists():
            return
        if not source.is_file():
            report.archive_missing += 1
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, partial)
        partial.replace(target)
    except OSError as exc:
        with contextlib.suppress(OSError):  # its folder may be what failed
            partial.unlink(missing_ok=True)
        raise StoreError(f"cannot copy {source} to {target}: {exc.strerror or exc}") from None
    report.archive_files += 1


def copy_database(
    src: Database,
    dest: Database,
    on_brief: Callable[[str, str], None] | None = None,
) -> CopyReport:
    """Copy every brief of ``src`` that ``dest`` lacks; ``on_brief(title, status)`` after each.

    ``status`` is "copied" or "already present". Raises ``StoreError`` when both name the
    same database.
    """
    if src.engine.url == dest.engine.url:
        raise StoreError(
            f"{src.engine.url.render_as_string(hide_password=True)}: "
            "source and destination are the same database"
        )
    report = CopyReport()
    with Session(dest.engine) as session:
        present = set(session.scalars(select(Brief.content_hash)))
    with read_snapshot(src.engine) as source:
        brief_ids = source.scalars(select(Brief.id).order_by(Brief.id)).all()
        for brief_id in brief_ids:
            brief = source.execute(
                select(*[Brief.__table__.c[k] for k in _BRIEF_COLUMNS]).where(Brief.id == brief_id)
            ).one()
            values = dict(zip(_BRIEF_COLUMNS, brief, strict=True))
            if values["content_hash"] in present:
                report.already_present += 1
                if on_brief is not None:
                    on_brief(values["title"], "already present")
                continue
            claims = source.execute(
                select(Claim.id, *[Claim.__table__.c[k] for k in _CLAIM_COLUMNS])
                .where(Claim.brief_id == brief_id)
                .order_by(Claim.ordinal)
            ).all()
            quantities = source.execute(
                select(
                    QuantityRow.claim_id, *[QuantityRow.__table__.c[k] for k in _QUANTITY_COLUMNS]
                )
                .join(Claim, Claim.id == QuantityRow.claim_id)
                .where(Claim.brief_id == brief_id)
                .order_by(QuantityRow.id)
            ).all()
            _copy_raw(src, dest, values["archive_path"], report)
            _insert(dest, values, claims, quantities)
            present.add(values["content_hash"])
            report.briefs += 1
            report.claims += len(claims)
            report.quantities += len(quantities)
            if on_brief is not None:
                on_brief(values["title"], "copied")
        decided = reviews.rows(source)
        fitted = pair_models.export(source)
    if decided:
        with Session(dest.engine) as session, session.begin():
            report.decisions = reviews.add(session, decided)
    if fitted.models or fitted.choices:
        with Session(dest.engine) as session, session.begin():
            report.models, report.model_choice = pair_models.merge(session, fitted)
    return report


def _insert(
    dest: Database,
    brief: dict[str, Any],
    claims: Sequence[Row[Any]],
    quantities: Sequence[Row[Any]],
) -> None:
    """One brief with its claims and quantities, in one transaction of ``dest``."""
    with Session(dest.engine) as session, session.begin():
        new_id = session.execute(insert(Brief).values(**brief).returning(Brief.id)).scalar_one()
        if not claims:
            return
        ordinal_of: dict[int, int] = {}
        rows = []
        for claim in claims:
            old_id, rest = claim[0], claim[1:]
            row: dict[str, Any] = dict(zip(_CLAIM_COLUMNS, rest, strict=True))
            row["brief_id"] = new_id
            ordinal_of[old_id] = row["ordinal"]
            rows.append(row)
        session.execute(insert(Claim), rows)
        new_ids = {
            ordinal: claim_id
            for ordinal, claim_id in session.execute(
                select(Claim.ordinal, Claim.id).where(Claim.brief_id == new_id)
            )
        }
        qrows = []
        for quantity in quantities:
            row = dict(zip(_QUANTITY_COLUMNS, quantity[1:], strict=True))
            row["claim_id"] = new_ids[ordinal_of[quantity[0]]]
            qrows.append(row)
        if qrows:
            session.execute(insert(QuantityRow), qrows)


def copy_store(
    source: str,
    destination: str,
    *,
    archive: Path | None = None,
    from_archive: str | None = None,
) -> CopyReport:
    """``tracker db copy``: open both stores and copy every brief of ``source`` into
    ``destination``.

    ``archive`` is the destination's archive folder (the setting of the store being written,
    as for ingest); the source's is ``from_archive``, else its own default (snapshots/ beside
    an SQLite file, else ./snapshots). The setting never applies to the source: one variable
    cannot describe two stores.
    """
    src_archive = (
        archive_folder(from_archive) if from_archive else archive_root_for(resolve_url(source))
    )
    src = open_database(source, archive=src_archive)
    try:
        dest = open_database(destination, archive=archive)
    except BaseException:
        src.engine.dispose()
        raise
    try:
        report = copy_database(src, dest)
    finally:
        src.engine.dispose()
        dest.engine.dispose()
    report.source_archive, report.destination_archive = src.archive_root, dest.archive_root
    return report
