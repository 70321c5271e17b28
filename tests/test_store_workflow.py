"""Fixing the store: date precision, re-ingest warnings, briefs edit/remove, db reextract,
manifest ingest, one claim id across commands (on SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select, update
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from tests.conftest import SAMPLE, SEEDS, drop_database, new_database, seed_manifest
from tracker.claims.version import EXTRACTOR_VERSION
from tracker.cli import cli
from tracker.errors import TrackerError
from tracker.ingest import Overrides, ingest_file
from tracker.ingest.manifest import ingest_manifest
from tracker.ingest.reextract import briefs_to_reextract, reextract
from tracker.store.briefs import edit_brief, remove_briefs
from tracker.store.db import Database, head_revision, upgrade
from tracker.store.models import Brief, Claim, QuantityRow
from tracker.store.repo import list_briefs
from tracker.store.search import search_claims

LEVY = (
    "Date: 2022-03-15\n"
    "Title: Fuel levy plan\n\n"
    "The ministry will raise the fuel levy by 5% in 2026 to fund 300 new buses.\n\n"
    "Rural towns will receive 40 million euros for cycling paths before 2028.\n"
)
PORTS = (
    "---\ntitle: Ports outlook\ndate: 2024-04\nsource: Harbour Desk\n---\n\n"
    "The port authority plans to dredge the northern channel by 2027.\n\n"
    "Container fees will stay frozen for two more years, the authority said.\n"
)
GRID = (
    "Grid upgrade note\n\n"
    "The regulator approved a new interconnector to the island grid this spring.\n\n"
    "Households on the island will pay lower standing charges from next winter.\n"
)


def _url(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _invoke(runner: CliRunner, db: Database, *args: str) -> Result:
    return runner.invoke(cli, ["--db", _url(db), "--archive", str(db.archive_root), *args])


def _claim_texts(db: Database, brief_id: int) -> list[str]:
    with Session(db.engine) as session:
        return list(
            session.scalars(
                select(Claim.text).where(Claim.brief_id == brief_id).order_by(Claim.ordinal)
            )
        )


# --- migration ------------------------------------------------------------------------------


def test_upgrade_gives_existing_briefs_day_precision_and_version_1(
    backend: str, tmp_path: Path
) -> None:
    database, schema = new_database(backend, tmp_path, migrate=False)
    try:
        upgrade(database.engine, "0004")
        with database.engine.begin() as conn:
            conn.execute(
                sql(
                    "INSERT INTO briefs (id, title, date, authors, content_hash, archive_path, "
                    "format, word_count, text, ingested_at) VALUES (1, 'Old', '2020-05-01', "
                    "'[]', 'h', '2020/x.txt', 'txt', 9, :t, '2020-05-01 00:00:00')"
                ),
                {"t": "The council will rebuild the old harbour wall next year."},
            )
        upgrade(database.engine, head_revision())
        [row] = list_briefs(database.engine)
        assert (row.date_precision, row.extractor_version) == ("day", 1)
        assert briefs_to_reextract(database) == [1]
        # The search index still follows claim rows after the briefs table was altered.
        with Session(database.engine) as session, session.begin():
            session.add(
                Claim(
                    brief_id=1,
                    ordinal=0,
                    text="The council will rebuild the old harbour wall next year.",
                    norm_text="x",
                    start=0,
                    end=10,
                    sentence="x",
                )
            )
        assert len(search_claims(database.engine, "harbour").hits) == 1
    finally:
        drop_database(database, schema)


# --- date precision -------------------------------------------------------------------------


def test_date_precision_from_option_and_front_matter(
    db: Database, tmp_path: Path, runner: CliRunner
) -> None:
    ports = ingest_file(db, _write(tmp_path, "ports.md", PORTS))
    assert (ports.date.isoformat(), ports.date_precision) == ("2024-04-01", "month")
    grid = ingest_file(db, _write(tmp_path, "grid.txt", GRID), Overrides(date="2021"))
    assert (grid.date.isoformat(), grid.date_precision) == ("2021-01-01", "year")
    levy = ingest_file(db, _write(tmp_path, "levy.txt", LEVY))
    assert levy.date_precision == "day"

    listing = _invoke(runner, db, "briefs")
    rows = {line.split()[0]: line.split()[1] for line in listing.stdout.splitlines()[1:]}
    assert rows == {
        str(grid.brief_id): "2021",
        str(levy.brief_id): "2022-03-15",
        str(ports.brief_id): "2024-04",
    }

    result = _invoke(runner, db, "diff", "2021", "2024", "--format", "json")
    data = json.loads(result.stdout)
    assert data["from"]["briefs"][0]["date"] == "2021-01-01"
    assert data["from"]["briefs"][0]["date_precision"] == "year"
    assert data["to"]["briefs"][0]["date_precision"] == "month"
    text = _invoke(runner, db, "diff", "2021", "2024").stdout
    assert f"#{grid.brief_id} 2021 Grid upgrade note" in text
    assert f"#{ports.brief_id} 2024-04 Ports outlook" in text


# --- re-ingest with other metadata ----------------------------------------------------------


def test_reingest_with_other_date_warns_and_names_the_edit_command(
    db: Database, tmp_path: Path, runner: CliRunner
) -> None:
    path = _write(tmp_path, "levy.txt", LEVY)
    first = ingest_file(db, path)
    again = ingest_file(db, path, Overrides(date="2022-04-01", source="Transport Desk"))
    assert again.status == "duplicate" and again.date.isoformat() == "2022-03-15"
    assert [(d.field, d.stored, d.given) for d in again.differences] == [
        ("date", "2022-03-15", "2022-04-01"),
        ("source", "", "Transport Desk"),
    ]
    assert again.edit_command() == (
        f"tracker briefs edit {first.brief_id} --date 2022-04-01 --source 'Transport Desk'"
    )
    assert ingest_file(db, path).differences == ()  # the file says what is stored

    result = _invoke(runner, db, "ingest", str(path), "--date", "2022-04")
    assert result.exit_code == 0
    assert "already present" in result.stdout
    [warning] = result.stderr.strip().splitlines()
    assert warning.startswith(f"warning  {path}: brief {first.brief_id} is stored with other")
    assert f"tracker briefs edit {first.brief_id} --date 2022-04" in warning


# --- briefs edit ----------------------------------------------------------------------------


def test_edit_changes_metadata_only_and_in_one_go(
    db: Database, tmp_path: Path, runner: CliRunner
) -> None:
    levy = ingest_file(db, _write(tmp_path, "levy.txt", LEVY), Overrides(source="Old Desk"))
    claims_before = _claim_texts(db, levy.brief_id)

    result = _invoke(
        runner,
        db,
        "briefs",
        "edit",
        str(levy.brief_id),
        "--date",
        "2023-05",
        "--title",
        "Fuel levy, revised",
        "--source",
        "",
        "--url",
        "https://example.org/levy",
    )
    assert result.exit_code == 0, result.output
    assert f"brief {levy.brief_id} date: 2022-03-15 → 2023-05" in result.stdout
    [row] = list_briefs(db.engine)
    assert (row.shown_date, row.title, row.source) == ("2023-05", "Fuel levy, revised", None)
    assert _claim_texts(db, levy.brief_id) == claims_before
    # Selections follow the new date.
    hit = search_claims(db.engine, "buses", selection="2023").hits[0]
    assert hit.date.isoformat() == "2023-05-01"

    with pytest.raises(TrackerError, match="no brief with id 99"):
        edit_brief(db, 99, title="x")
    with pytest.raises(TrackerError, match="cannot be empty"):
        edit_brief(db, levy.brief_id, title="  ")
    assert list_briefs(db.engine)[0].title == "Fuel levy, revised"
    bad = _invoke(runner, db, "briefs", "edit", str(levy.brief_id), "--date", "2023-13")
    assert bad.exit_code == 1 and "date 2023-13 is not a valid date" in bad.stderr
    assert list_briefs(db.engine)[0].shown_date == "2023-05"


# --- briefs remove --------------------------------------------------------------------------


def test_remove_takes_claims_out_of_search_and_deletes_unshared_raw_files(
    db: Database, tmp_path: Path, runner: CliRunner
) -> None:
    levy = ingest_file(db, _write(tmp_path, "levy.txt", LEVY))
    ports = ingest_file(db, _write(tmp_path, "ports.md", PORTS))
    grid = ingest_file(db, _write(tmp_path, "grid.txt", GRID), Overrides(date="2021-02-03"))
    with Session(db.engine) as session:
        paths = dict(session.execute(select(Brief.id, Brief.archive_path)).all())
    assert len(search_claims(db.engine, "buses").hits) == 1

    # An unknown id among known ones removes nothing.
    with pytest.raises(TrackerError, match="no brief with id 99"):
        remove_briefs(db, [levy.brief_id, 99])
    assert len(list_briefs(db.engine)) == 3

    result = _invoke(runner, db, "briefs", "remove", str(levy.brief_id), str(ports.brief_id))
    assert result.exit_code == 0, result.output
    assert f"removed brief {levy.brief_id} (2 claims)" in result.stdout
    assert [b.id for b in list_briefs(db.engine)] == [grid.brief_id]
    assert search_claims(db.engine, "buses").hits == ()
    assert search_claims(db.engine, "dredge").hits == ()
    with Session(db.engine) as session:
        assert session.scalar(select(func.count()).select_from(Claim)) == 2
        assert session.scalar(
            select(func.count()).select_from(QuantityRow).join(Claim)
        ) == session.scalar(select(func.count()).select_from(QuantityRow))
    assert not (db.archive_root / paths[levy.brief_id]).exists()
    assert not (db.archive_root / paths[ports.brief_id]).exists()

    removed = remove_briefs(db, [grid.brief_id], keep_archive=True)
    assert removed[0].archive == "kept"
    assert (db.archive_root / paths[grid.brief_id]).exists()


def test_remove_keeps_a_raw_file_another_brief_refers_to(db: Database, tmp_path: Path) -> None:
    a = ingest_file(db, _write(tmp_path, "levy.txt", LEVY))
    b = ingest_file(db, _write(tmp_path, "grid.txt", GRID), Overrides(date="2021-02-03"))
    with Session(db.engine) as session, session.begin():
        shared = session.get_one(Brief, a.brief_id).archive_path
        session.execute(update(Brief).where(Brief.id == b.brief_id).values(archive_path=shared))
    assert remove_briefs(db, [a.brief_id])[0].archive == "shared"
    assert (db.archive_root / shared).exists()
    assert remove_briefs(db, [b.brief_id])[0].archive == "removed"
    assert not (db.archive_root / shared).exists()


# --- db reextract ---------------------------------------------------------------------------


def _age(db: Database, brief_id: int) -> None:
    """Make a brief look extracted by an old extractor: version 1, one claim garbled."""
    with Session(db.engine) as session, session.begin():
        session.execute(update(Brief).where(Brief.id == brief_id).values(extractor_version=1))
        session.execute(
            update(Claim)
            .where(Claim.brief_id == brief_id, Claim.ordinal == 0)
            .values(text="garbled zebra text", norm_text="garbled zebra text", tokens=None)
        )


def test_reextract_rederives_claims_of_older_briefs_and_keeps_metadata(
    db: Database, tmp_path: Path, runner: CliRunner
) -> None:
    levy = ingest_file(
        db, _write(tmp_path, "levy.txt", LEVY), Overrides(title="Given title", source="Desk")
    )
    ports = ingest_file(db, _write(tmp_path, "ports.md", PORTS))
    good = _claim_texts(db, levy.brief_id)
    _age(db, levy.brief_id)
    assert search_claims(db.engine, "zebra").hits
    assert briefs_to_reextract(db) == [levy.brief_id]

    result = _invoke(runner, db, "db", "reextract")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"reextracted brief {levy.brief_id}: 2 → 2 claims (version 1 → {EXTRACTOR_VERSION})",
        "1 reextracted, 0 failed",
    ]
    assert _claim_texts(db, levy.brief_id) == good
    assert search_claims(db.engine, "zebra").hits == ()
    [hit] = search_claims(db.engine, "buses").hits
    with Session(db.engine) as session:
        brief = session.get_one(Brief, levy.brief_id)
        assert (brief.title, brief.source, brief.date.isoformat()) == (
            "Given title",
            "Desk",
            "2022-03-15",
        )
        assert brief.extractor_version == EXTRACTOR_VERSION
        claim = session.get_one(Claim, hit.claim_id)
        assert claim.tokens is not None and len(claim.quantities) >= 2
    assert briefs_to_reextract(db) == []
    again = _invoke(runner, db, "db", "reextract")
    assert "nothing to do" in again.stdout
    assert briefs_to_reextract(db, every=True) == [levy.brief_id, ports.brief_id]


def test_reextract_failure_rolls_back_that_brief_only(db: Database, tmp_path: Path) -> None:
    levy = ingest_file(db, _write(tmp_path, "levy.txt", LEVY))
    ports = ingest_file(db, _write(tmp_path, "ports.md", PORTS))
    grid = ingest_file(db, _write(tmp_path, "grid.txt", GRID), Overrides(date="2021-02-03"))
    for brief_id in (levy.brief_id, ports.brief_id, grid.brief_id):
        _age(db, brief_id)
    with Session(db.engine) as session, session.begin():
        levy_path = session.get_one(Brief, levy.brief_id).archive_path
        grid_brief = session.get_one(Brief, grid.brief_id)
        # Ports' raw file is gone; grid's now holds levy's bytes, so its text as read now is
        # levy's: the unique content hash fails after its old claims were deleted.
        (db.archive_root / session.get_one(Brief, ports.brief_id).archive_path).unlink()
        (db.archive_root / grid_brief.archive_path).write_bytes(
            (db.archive_root / levy_path).read_bytes()
        )
    ports_before, grid_before = _claim_texts(db, ports.brief_id), _claim_texts(db, grid.brief_id)

    outcomes = reextract(db, briefs_to_reextract(db))
    assert [(o.brief_id, o.ok) for o in outcomes] == [
        (levy.brief_id, True),
        (ports.brief_id, False),
        (grid.brief_id, False),
    ]
    assert "archived raw file" in (outcomes[1].error or "")
    assert f"text of brief {levy.brief_id}" in (outcomes[2].error or "")
    assert _claim_texts(db, ports.brief_id) == ports_before
    assert _claim_texts(db, grid.brief_id) == grid_before  # rolled back, garbled claim too
    assert briefs_to_reextract(db) == [ports.brief_id, grid.brief_id]
    with pytest.raises(TrackerError, match="no brief with id 42"):
        briefs_to_reextract(db, [42])


# --- manifest ingest ------------------------------------------------------------------------


def test_manifest_csv_and_json_with_relative_files_and_a_bad_row(
    db: Database, tmp_path: Path, runner: CliRunner
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _write(folder, "levy.txt", LEVY)
    _write(folder, "grid.txt", GRID)
    _write(folder, "ports.md", PORTS)
    (folder / "list.csv").write_text(
        "file,date,title,source,url,authors\n"
        "levy.txt,2022-03,Levy (manifest),Transport Desk,https://example.org/l,"
        "A. Writer;B. Editor\n"
        ",2020,Nothing,,,\n"
        "missing.txt,2020,Missing,,,\n",
        encoding="utf-8",
    )
    (folder / "list.json").write_text(
        json.dumps(
            {
                "briefs": [
                    {
                        "file": "grid.txt",
                        "date": "2021-06-01",
                        "date_precision": "month",
                        "publisher": "Grid Desk",
                        "source_url": "https://example.org/g",
                    },
                    {"file": "ports.md", "date_precision": "fortnight"},
                ]
            }
        ),
        encoding="utf-8",
    )

    result = runner.invoke(
        cli,
        [
            "--db",
            _url(db),
            "--archive",
            str(db.archive_root),
            "ingest",
            "--manifest",
            str(folder / "list.csv"),
        ],
    )
    assert result.exit_code == 1
    assert "1 stored, 0 already present, 2 failed" in result.stdout
    assert f"{folder / 'list.csv'} (row 3): no 'file' given" in result.stderr
    assert f"{folder / 'missing.txt'}: " in result.stderr

    report = ingest_manifest(db, folder / "list.json")
    assert report.stored == 1 and len(report.failures) == 1
    assert "invalid date_precision 'fortnight'" in report.failures[0].reason

    with Session(db.engine) as session:
        rows = {b.title: b for b in session.scalars(select(Brief))}
    levy, grid = rows["Levy (manifest)"], rows["Grid upgrade note"]
    assert (levy.date.isoformat(), levy.date_precision) == ("2022-03-01", "month")
    assert (levy.source, levy.url) == ("Transport Desk", "https://example.org/l")
    assert levy.authors == ["A. Writer", "B. Editor"]
    assert (grid.date.isoformat(), grid.date_precision) == ("2021-06-01", "month")
    assert (grid.source, grid.url) == ("Grid Desk", "https://example.org/g")

    usage = runner.invoke(
        cli, ["--db", _url(db), "ingest", "--manifest", "x.csv", "--date", "2020"]
    )
    assert usage.exit_code == 2


@pytest.mark.evaluation
def test_seed_manifest_keeps_its_date_precisions(db: Database) -> None:
    briefs = seed_manifest()
    report = ingest_manifest(db, SEEDS / "manifest.json")
    assert report.stored == len(briefs) and not report.failures
    stored = {b.title: b.shown_date for b in list_briefs(db.engine)}
    for brief in briefs:
        date = brief["date"]
        want = {"year": date[:4], "month": date[:7]}.get(brief.get("date_precision", ""), date)
        assert stored[brief["title"].strip()] == want
    assert {"year", "month", "day"} <= {b.get("date_precision") for b in briefs}


# --- one claim id ---------------------------------------------------------------------------


def test_search_claims_diff_and_history_share_one_claim_id(db: Database, runner: CliRunner) -> None:
    for path in sorted(SAMPLE.iterdir()):
        ingest_file(db, path)
    found = _invoke(runner, db, "search", "renewables", "--format", "json")
    hit = json.loads(found.stdout)["results"][0]
    claim_id, brief_id = hit["claim_id"], hit["brief_id"]
    assert claim_id != hit["ordinal"] + 1  # the two numberings differ in this store
    assert f"claim {claim_id}" in _invoke(runner, db, "search", "renewables").stdout
    listing = _invoke(runner, db, "claims", str(brief_id)).stdout
    assert f"claim {claim_id}  {hit['text']}" in listing
    history = _invoke(runner, db, "history", "--claim", str(claim_id), "--format", "json")
    data = json.loads(history.stdout)
    steps = [s["claim"] for c in data["chains"] for s in c["steps"]]
    assert any(s["claim_id"] == claim_id and s["text"] == hit["text"] for s in steps)
    text = _invoke(runner, db, "history", "--claim", str(claim_id)).stdout
    assert f"(claim {claim_id}, #{brief_id} " in text
    diff = _invoke(runner, db, "diff", "2021", "2024", "--kind", "modified").stdout
    assert "    old: claim " in diff and "    new: claim " in diff


def test_diff_across_extractor_versions_warns(db: Database, runner: CliRunner) -> None:
    for path in sorted(SAMPLE.iterdir()):
        ingest_file(db, path)
    quiet = _invoke(runner, db, "diff", "2021", "2024")
    assert quiet.stderr == ""
    with Session(db.engine) as session, session.begin():
        session.execute(update(Brief).where(Brief.id == 1).values(extractor_version=1))
    loud = _invoke(runner, db, "diff", "2021", "2024")
    assert loud.exit_code == 0
    [warning] = loud.stderr.strip().splitlines()
    assert warning.startswith("warning: briefs compared were extracted by different")
    assert "version 1: brief 1;" in warning and "tracker db reextract" in warning
    assert loud.stdout == quiet.stdout


def test_db_copy_keeps_precision_and_extractor_version(db: Database, tmp_path: Path) -> None:
    from tracker.store.copy import copy_database
    from tracker.store.db import open_database

    ports = ingest_file(db, _write(tmp_path, "ports.md", PORTS))
    with Session(db.engine) as session, session.begin():
        session.execute(update(Brief).where(Brief.id == ports.brief_id).values(extractor_version=1))
    dest = open_database(str(tmp_path / "copy" / "dest.db"))
    try:
        copy_database(db, dest)
        [row] = list_briefs(dest.engine)
        assert (row.shown_date, row.extractor_version) == ("2024-04", 1)
    finally:
        dest.engine.dispose()
