"""`tracker db copy`: SQLite → the other backend → SQLite keeps every brief, claim and quantity."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import SAMPLE
from tracker.app.diffs import diff
from tracker.cli import cli
from tracker.errors import StoreError
from tracker.ingest import ingest_file
from tracker.report.json_report import render_json
from tracker.store.copy import copy_database
from tracker.store.db import Database, open_database
from tracker.store.models import Brief, Claim, QuantityRow
from tracker.store.search import search_claims


def _contents(database: Database) -> list[Any]:
    """Everything stored, without the row ids a copy renumbers."""
    with Session(database.engine) as session:
        briefs = session.scalars(select(Brief).order_by(Brief.content_hash)).all()
        result = []
        for b in briefs:
            claims = session.scalars(
                select(Claim).where(Claim.brief_id == b.id).order_by(Claim.ordinal)
            ).all()
            result.append(
                (
                    (b.title, b.date, b.source, b.url, b.authors, b.content_hash),
                    (b.archive_path, b.format, b.word_count, b.text),
                    [
                        (
                            c.ordinal,
                            c.text,
                            c.norm_text,
                            c.start,
                            c.end,
                            c.sentence,
                            c.section,
                            c.tokens,
                            c.tokens_version,
                            [
                                (q.kind, q.value, q.unit, q.raw, q.start, q.end)
                                for q in c.quantities
                            ],
                        )
                        for c in claims
                    ],
                )
            )
        return result


def _diff_json(database: Database) -> str:
    """The diff as JSON with claim and brief ids blanked (a copy renumbers them)."""
    import json

    data = json.loads(render_json(diff(database, "2021", "2024")))
    for change in data["changes"]:
        lead = change.get("lead") or {}
        for claim in (change["old"], change["new"], lead.get("claim")):
            if claim:
                claim["claim_id"] = claim["brief_id"] = 0
    for side in ("from", "to"):
        for brief in data[side]["briefs"]:
            brief["id"] = 0
    return json.dumps(data, sort_keys=True)


def test_copy_there_and_back_keeps_everything(db: Database, tmp_path: Path) -> None:
    src = open_database(str(tmp_path / "src" / "tracker.db"))
    for path in sorted(SAMPLE.iterdir()):
        ingest_file(src, path)
    back = open_database(str(tmp_path / "back" / "tracker.db"))
    try:
        # The destination already holds a brief that the source does not have.
        extra = tmp_path / "extra.txt"
        extra.write_text(
            "Date: 2020-05-05\nTitle: Canal tolls\n\nThe canal board will cut tolls by 10%.\n",
            encoding="utf-8",
        )
        ingest_file(db, extra)

        there = copy_database(src, db)
        assert (there.briefs, there.already_present) == (len(list(SAMPLE.iterdir())), 0)
        assert there.claims > 100 and there.quantities > 20
        assert there.archive_files == there.briefs and there.archive_missing == 0
        home = copy_database(db, back)
        assert home.briefs == there.briefs + 1

        original = _contents(src)
        assert [b for b in _contents(db) if b[0][0] != "Canal tolls"] == original
        assert [b for b in _contents(back) if b[0][0] != "Canal tolls"] == original
        # Archive references still point at the raw files, now beside the copies.
        for _meta, (archive_path, *_), _claims in original:
            raw = (src.archive_root / archive_path).read_bytes()
            assert (db.archive_root / archive_path).read_bytes() == raw
            assert (back.archive_root / archive_path).read_bytes() == raw

        assert _diff_json(db) == _diff_json(src) == _diff_json(back)
        hits = [h.text for h in search_claims(src.engine, "nuclear power", order="date").hits]
        assert hits
        assert [
            h.text for h in search_claims(db.engine, "nuclear power", order="date").hits
        ] == hits

        again = copy_database(src, db)
        assert (again.briefs, again.already_present) == (0, there.briefs)
        with Session(db.engine) as session:
            assert len(session.scalars(select(QuantityRow.id)).all()) == there.quantities + 1
    finally:
        src.engine.dispose()
        back.engine.dispose()


def test_copy_refuses_an_archive_path_outside_the_archive(tmp_path: Path) -> None:
    src = open_database(str(tmp_path / "src" / "tracker.db"))
    dest = open_database(str(tmp_path / "dest" / "tracker.db"))
    try:
        brief = tmp_path / "2021-03-01-ferry.txt"
        brief.write_text("The ferry operator will double its winter sailings.\n", encoding="utf-8")
        ingest_file(src, brief)
        outside = tmp_path / "outside.txt"
        outside.write_text("not a brief", encoding="utf-8")
        with Session(src.engine) as session:
            row = session.scalars(select(Brief)).one()
            row.archive_path = "../../outside.txt"
            session.commit()
        with pytest.raises(StoreError, match="not a snapshots/<year>/<hash> name"):
            copy_database(src, dest)
        assert not (dest.archive_root.parent / "outside.txt").exists()
        with Session(dest.engine) as session:
            assert session.scalars(select(Brief)).all() == []
    finally:
        src.engine.dispose()
        dest.engine.dispose()


def test_copy_into_itself_is_refused(tmp_path: Path) -> None:
    database = open_database(str(tmp_path / "t.db"))
    try:
        with pytest.raises(StoreError, match="same database"):
            copy_database(database, database)
    finally:
        database.engine.dispose()


def test_db_copy_command(runner: CliRunner, tmp_path: Path) -> None:
    src = str(tmp_path / "a" / "tracker.db")
    dest = str(tmp_path / "b" / "tracker.db")
    assert runner.invoke(cli, ["--db", src, "ingest", str(SAMPLE)]).exit_code == 0
    result = runner.invoke(cli, ["db", "copy", src, dest])
    assert result.exit_code == 0, result.output
    n = len(list(SAMPLE.iterdir()))
    assert result.output.startswith(f"copied {n} brief(s) with ")
    assert f"archive: {n} raw file(s) copied to {tmp_path / 'b' / 'snapshots'}" in result.output
    again = runner.invoke(cli, ["db", "copy", src, dest])
    assert f"copied 0 brief(s) with 0 claims and 0 quantities; {n} already present" in again.output
    listed = runner.invoke(cli, ["--db", dest, "briefs"])
    assert listed.output == runner.invoke(cli, ["--db", src, "briefs"]).output

    result = runner.invoke(cli, ["db", "copy", src, src])
    assert result.exit_code == 1 and "same database" in result.stderr


def test_copy_takes_the_review_decisions_along(db: Database, tmp_path: Path) -> None:
    """Decisions name claims by text hash, so they apply in the copy (new claim ids) too."""
    from tracker.app.review import decide, load_reviews, reviewed_diff

    src = open_database(str(tmp_path / "src" / "tracker.db"))
    try:
        for path in sorted(SAMPLE.iterdir()):
            ingest_file(src, path)
        first = reviewed_diff(src.engine, "2021", "2024")
        pair = next(c for c in first.changes if c.old and c.new)
        assert pair.old and pair.new
        decide(src.engine, pair.old.id, pair.new.id, "different", by="ana")
        decide(src.engine, pair.old.id, pair.new.id, "related", by="ben")
        report = copy_database(src, db)
        assert report.decisions == 2
        assert load_reviews(db.engine) == load_reviews(src.engine)
        copied = reviewed_diff(db.engine, "2021", "2024")
        reviewed = [c for c in copied.changes if c.review is not None]
        assert [(c.old.text, c.new.text) for c in reviewed if c.old and c.new] == [
            (pair.old.text, pair.new.text)
        ]
        assert copy_database(src, db).decisions == 0  # already there
    finally:
        src.engine.dispose()


def test_copy_takes_the_fitted_models_and_the_choice_along(db: Database, tmp_path: Path) -> None:
    """A store copied for a team runs the model it had chosen; a store that chose its own
    keeps it."""
    from tracker.app import matcher

    src = open_database(str(tmp_path / "src" / "tracker.db"))
    try:
        for path in sorted(SAMPLE.iterdir()):
            ingest_file(src, path)
        fitted = matcher.fit(src)
        report = copy_database(src, db)
        assert (report.models, report.model_choice) == (1, True)
        assert matcher.chosen_model(db).version == fitted.model.version
        assert matcher.read_choice(db) == matcher.read_choice(src)
        again = copy_database(src, db)
        assert (again.models, again.model_choice) == (0, False)
        # The copy goes back on its own; copying again does not undo that.
        matcher.use_previous(db)
        copy_database(src, db)
        assert matcher.read_choice(db).current is None
        assert matcher.read_choice(src).current == fitted.name
    finally:
        src.engine.dispose()
