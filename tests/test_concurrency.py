"""Concurrent use of one store: racing ingests of the same brief, a diff during an ingest."""

from __future__ import annotations

import dataclasses
import multiprocessing
import traceback
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

import tracker.app.diffs as diffs_module
import tracker.ingest.service as service
import tracker.store.selections as selections_module
from tracker.app.diffs import diff
from tracker.ingest import Overrides, ingest_file
from tracker.store.db import Database, open_database, read_snapshot
from tracker.store.models import Brief, Claim

BRIEF = (
    "Date: 2023-06-01\n"
    "Title: Harbour dredging plan\n\n"
    "The port authority will dredge the northern channel to 14 metres by 2026.\n"
    "Shipping firms will pay a levy of 2% on container fees to cover the works.\n"
    "The council rejected a second terminal on the salt marsh.\n"
)
OLD = (
    "Date: 2021-02-01\nTitle: Harbour review\n\n"
    "The port authority will study a deeper northern channel.\n"
    "The council supports a second terminal on the salt marsh.\n"
)
NEW = (
    "Date: 2024-02-01\nTitle: Harbour decision\n\n"
    "The port authority will dredge the northern channel by 2027.\n"
    "The council rejected a second terminal on the salt marsh.\n"
)
LATE = (
    "Date: 2024-09-01\nTitle: Harbour addendum\n\n"
    "Fishing crews will receive 12 new moorings in the inner basin.\n"
)


def _race_ingest(
    url: str, archive: Path, path: Path, barrier: Any, results: Any, racers: int
) -> None:
    """One racer: check for the hash, wait until every racer has checked, then insert."""
    try:
        database = dataclasses.replace(open_database(url), archive_root=archive)
        real_check = service._already_stored
        calls = []

        def check_then_wait(*args: Any) -> Any:
            found = real_check(*args)
            calls.append(found)
            if len(calls) == 1:  # the check before the insert, not the one after a conflict
                barrier.wait(timeout=60)
            return found

        service._already_stored = check_then_wait  # type: ignore[assignment]
        result = ingest_file(database, path)
        results.put((result.status, result.brief_id, len(calls)))
        database.engine.dispose()
    except BaseException:
        results.put(("error", traceback.format_exc(), 0))


def test_racing_ingests_of_the_same_brief_store_it_once(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "harbour.txt"
    path.write_text(BRIEF, encoding="utf-8")
    url = db.engine.url.render_as_string(hide_password=False)
    db.engine.dispose()  # no pooled connection is inherited by the forked racers
    ctx = multiprocessing.get_context("fork")
    racers = 3
    barrier = ctx.Barrier(racers)
    results = ctx.Queue()
    procs = [
        ctx.Process(
            target=_race_ingest, args=(url, db.archive_root, path, barrier, results, racers)
        )
        for _ in range(racers)
    ]
    for proc in procs:
        proc.start()
    outcomes = [results.get(timeout=120) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
        assert proc.exitcode == 0

    assert not [o for o in outcomes if o[0] == "error"], outcomes
    # Every racer passed the first check before any insert: all saw "not stored yet" ...
    statuses = sorted(status for status, _, _ in outcomes)
    assert statuses == ["duplicate", "duplicate", "stored"]
    # ... and the losers' unique-hash conflict was answered by a second look, not a traceback.
    assert sorted(calls for status, _, calls in outcomes if status == "duplicate") == [2, 2]
    assert len({brief_id for _, brief_id, _ in outcomes}) == 1
    with Session(db.engine) as session:
        assert session.scalar(select(func.count(Brief.id))) == 1
        assert session.scalar(select(func.count(Claim.id))) == 3


def _ingest_after_first_load(
    db: Database, tmp_path: Path, monkeypatch: Any, module: Any
) -> list[str]:
    """Store a 2021 and a 2024 brief; patch ``module.load_selection`` so that another writer
    commits a second 2024 brief right after the first selection is read. Returns the list
    the patched loader appends each spec to."""
    for name, text in (("old.txt", OLD), ("new.txt", NEW)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        ingest_file(db, tmp_path / name)
    late = tmp_path / "late.txt"
    late.write_text(LATE, encoding="utf-8")
    real_load = module.load_selection
    loads: list[str] = []

    def load_then_ingest(session: Session, spec: str, *within: Any) -> Any:
        selection = real_load(session, spec, *within)
        if not loads:
            assert ingest_file(db, late, Overrides()).status == "stored"
        loads.append(spec)
        return selection

    monkeypatch.setattr(module, "load_selection", load_then_ingest)
    return loads


def test_diff_during_an_ingest_sees_one_snapshot(
    db: Database, tmp_path: Path, monkeypatch: Any
) -> None:
    loads = _ingest_after_first_load(db, tmp_path, monkeypatch, diffs_module)
    during = diff(db, "2021", "2024")
    assert loads == ["2021", "2024"]
    assert [b.title for b in during.new.briefs] == ["Harbour decision"]
    assert all("moorings" not in c.text for c in during.new.claims)

    monkeypatch.undo()
    after = diff(db, "2021", "2024")
    assert [b.title for b in after.new.briefs] == ["Harbour decision", "Harbour addendum"]
    assert any("moorings" in c.text for c in after.new.claims)


def test_snapshot_session_does_not_see_later_commits(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "harbour.txt"
    path.write_text(BRIEF, encoding="utf-8")
    with read_snapshot(db.engine) as session:
        before = session.scalar(select(func.count(Claim.id)))
        ingest_file(db, path)
        # Claims of a brief committed after the snapshot began are not visible in it.
        assert session.scalar(select(func.count(Claim.id))) == before == 0
        assert session.scalar(select(func.count(Brief.id))) == 0
    with read_snapshot(db.engine) as session:
        assert session.scalar(select(func.count(Claim.id))) == 3


def test_a_timeline_during_an_ingest_sees_one_snapshot(
    db: Database, tmp_path: Path, monkeypatch: Any
) -> None:
    # The timeline loads its selections through the store module's own load_selection.
    loads = _ingest_after_first_load(db, tmp_path, monkeypatch, selections_module)
    during = diffs_module.timeline(db, ["2021", "2024", "2021..2024"])
    assert loads == ["2021", "2024", "2021..2024"]
    for period in during.periods[1:]:
        assert "Harbour addendum" not in [b.title for b in period.selection.briefs]
