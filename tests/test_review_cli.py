"""`tracker review`: scripted and interactive decisions, listing, export and import."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from tracker.app import review as app
from tracker.cli import cli
from tracker.store import reviews as store
from tracker.store.db import open_database

SAMPLE = Path(__file__).resolve().parent.parent / "snapshots" / "sample"


@pytest.fixture
def store_path(runner: CliRunner, tmp_path: Path) -> str:
    path = str(tmp_path / "tracker.db")
    result = runner.invoke(cli, ["--db", path, "ingest", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    return path


def run(runner: CliRunner, db: str, *args: str, input: str | None = None) -> tuple[int, str]:
    result = runner.invoke(cli, ["--db", db, *args], input=input)
    return result.exit_code, result.output


def diff_json(runner: CliRunner, db: str, *specs: str) -> dict[str, object]:
    code, output = run(runner, db, "diff", *specs, "--format", "json")
    assert code == 0, output
    data: dict[str, object] = json.loads(output)
    return data


def pairs_of(data: dict[str, object]) -> dict[tuple[int, int], dict[str, object]]:
    changes = data["changes"]
    assert isinstance(changes, list)
    return {
        (c["old"]["claim_id"], c["new"]["claim_id"]): c for c in changes if c["old"] and c["new"]
    }


def test_link_and_reject_change_the_diff(runner: CliRunner, store_path: str) -> None:
    before = pairs_of(diff_json(runner, store_path, "2021", "2024"))
    best = max(before, key=lambda p: float(str(before[p]["probability"])))
    code, output = run(runner, store_path, "review", "reject", *map(str, best), "--by", "ben")
    assert code == 0, output
    assert output.strip() == f"recorded: claim {best[0]} → claim {best[1]} different (by ben)"
    after = pairs_of(diff_json(runner, store_path, "2021", "2024"))
    assert best not in after

    code, output = run(runner, store_path, "review", "link", *map(str, best), "--note", "oops")
    assert code == 0, output
    again = pairs_of(diff_json(runner, store_path, "2021", "2024"))
    assert again[best]["review"] == {
        "verdict": "same",
        "by": app.default_reviewer(Path(store_path).parent / "tracker.toml"),
        "at": again[best]["review"]["at"],  # type: ignore[index]
        "note": "oops",
    }
    code, output = run(runner, store_path, "review", "list", "--format", "json")
    listed = json.loads(output)["decisions"]
    assert [d["verdict"] for d in listed] == ["same"]  # the newest verdict of the pair


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["review", "link", "99999", "1"], "Error: no claim with id 99999 (old claim"),
        (["review", "reject", "1", "99999"], "Error: no claim with id 99999 (new claim"),
        (["review", "link", "1", "2", "--verdict", "different"], "Invalid value for '--verdict'"),
    ],
)
def test_bad_ids_and_verdicts_are_one_line_errors(
    runner: CliRunner, store_path: str, args: list[str], message: str
) -> None:
    code, output = run(runner, store_path, *args)
    assert code != 0
    assert message in output
    assert "Traceback" not in output
    with Session(open_database(store_path).engine) as session:
        assert store.rows(session) == []


def test_interactive_review_records_keys_in_uncertainty_order(
    runner: CliRunner, store_path: str
) -> None:
    engine = open_database(store_path).engine
    reviewed = app.reviewed_diff(engine, "2021", "2024")
    queue = app.review_queue(reviewed)
    assert len(queue) >= 4
    threshold = float(reviewed.matcher["threshold"])  # type: ignore[arg-type]
    gaps = [q.uncertainty(threshold) for q in queue]
    assert gaps == sorted(gaps)
    # same, skip, an unknown key (help, no move), different, then quit.
    code, output = run(runner, store_path, "review", "2021", "2024", "--by", "ana", input="skxdq")
    assert code == 0, output
    total = len(queue)
    assert f"4/{total}" in output and f"5/{total}" not in output
    assert output.count(f"3/{total}") == 2  # shown again after the unknown key
    assert "keys: s=same r=related d=different k=skip u=undo q=quit" in output
    assert output.rstrip().endswith(f"2 decided, 1 skipped, {total - 3} left (of {total})")
    with Session(engine) as session:
        now = store.current(session)
    from tracker.claims.identity import claim_hash

    def key(i: int) -> tuple[str, str]:
        return claim_hash(queue[i].old.text), claim_hash(queue[i].new.text)

    assert {k: d.verdict for k, d in now.items()} == {key(0): "same", key(2): "different"}
    assert all(d.by == "ana" for d in now.values())
    # The next session starts with what is left: the two decided items are gone.
    again = app.review_queue(app.reviewed_diff(engine, "2021", "2024"))
    ids = {(q.old.id, q.new.id) for q in again}
    assert (queue[0].old.id, queue[0].new.id) not in ids
    assert (queue[2].old.id, queue[2].new.id) not in ids
    assert (queue[1].old.id, queue[1].new.id) in ids


def test_interactive_undo_withdraws_the_previous_verdict(
    runner: CliRunner, store_path: str
) -> None:
    code, output = run(runner, store_path, "review", "2021", "2024", input="s u r q")
    assert code == 0, output
    assert "undone: back to the previous item" in output
    assert output.count("1/") == 2  # shown again after the undo
    engine = open_database(store_path).engine
    with Session(engine) as session:
        now = store.current(session)
        [(pair, decision)] = now.items()
        verdicts = [d.verdict for d in store.history(session, *pair)]
    assert decision.verdict == "related"
    assert verdicts == ["same", "withdrawn", "related"]


def test_interactive_review_ends_at_end_of_input(runner: CliRunner, store_path: str) -> None:
    code, output = run(runner, store_path, "review", "2021", "2024", input="")
    assert code == 0, output
    assert "0 decided, 0 skipped" in output


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_export_then_import_twice_is_idempotent(
    runner: CliRunner, store_path: str, tmp_path: Path, suffix: str
) -> None:
    for args in (["link", "1", "74", "--verdict", "related"], ["reject", "24", "95"]):
        assert run(runner, store_path, "review", *args, "--note", 'a "quoted", note')[0] == 0
    assert run(runner, store_path, "review", "link", "24", "95")[0] == 0  # history: 2 rows
    path = tmp_path / f"decisions{suffix}"
    code, output = run(runner, store_path, "review", "export", str(path))
    assert code == 0, output
    if suffix == ".csv":
        rows = list(csv.DictReader(path.open(encoding="utf-8")))
        assert [r["verdict"] for r in rows] == ["related", "different", "same"]
    other = str(tmp_path / "other.db")
    code, output = run(runner, other, "review", "import", str(path))
    assert code == 0 and output.strip() == f"{path}: 3 added, 0 already present", output
    code, output = run(runner, other, "review", "import", str(path))
    assert code == 0 and output.strip() == f"{path}: 0 added, 3 already present", output
    with Session(open_database(store_path).engine) as a, Session(open_database(other).engine) as b:
        assert store.rows(a) == store.rows(b)
        assert store.current(a) == store.current(b)


def test_importing_a_bad_file_names_it_and_changes_nothing(
    runner: CliRunner, store_path: str, tmp_path: Path
) -> None:
    path = tmp_path / "bad.json"
    good = {"old_hash": "a" * 64, "new_hash": "b" * 64, "verdict": "same", "by": "x"}
    good["at"] = "2026-01-01T00:00:00+00:00"
    path.write_text(json.dumps({"decisions": [good, {**good, "verdict": "maybe"}]}))
    code, output = run(runner, store_path, "review", "import", str(path))
    assert code == 1
    assert output.strip().splitlines() == [
        f"Error: {path}: unknown verdict 'maybe' "
        + ("(expected one of: same, related, different, withdrawn)")
    ]
    code, output = run(runner, store_path, "review", "import", str(tmp_path / "d.txt"))
    assert code == 1 and "expected a .json or .csv file" in output
    with Session(open_database(store_path).engine) as session:
        assert store.rows(session) == []


def test_decisions_survive_reextract(runner: CliRunner, store_path: str) -> None:
    engine = open_database(store_path).engine
    before = app.reviewed_diff(engine, "2021", "2024")
    removed = next(c for c in before.changes if c.kind == "removed" and c.lead is not None)
    assert removed.old is not None and removed.lead is not None
    old_text, new_text = removed.old.text, removed.lead.claim.text
    assert (
        run(runner, store_path, "review", "link", str(removed.old.id), str(removed.lead.claim.id))[
            0
        ]
        == 0
    )
    code, output = run(runner, store_path, "db", "reextract", "--all")
    assert code == 0, output
    after = app.reviewed_diff(engine, "2021", "2024")
    found = [c for c in after.changes if c.old and c.new and c.old.text == old_text]
    assert found and found[0].new is not None and found[0].new.text == new_text
    assert found[0].review is not None and found[0].review.verdict == "same"
    # The claims were stored again (new ids), the decision follows their text.
    assert found[0].old is not None and found[0].old.id != removed.old.id


def test_reviewer_name_comes_from_tracker_toml(tmp_path: Path) -> None:
    config = tmp_path / "tracker.toml"
    config.write_text('[review]\nby = "Ana Lee"\n', encoding="utf-8")
    assert app.default_reviewer(config) == "Ana Lee"
    assert app.default_reviewer(tmp_path / "missing.toml") not in ("", "Ana Lee")


def test_list_filters_by_selection(runner: CliRunner, store_path: str) -> None:
    assert run(runner, store_path, "review", "link", "1", "74")[0] == 0  # 2021 → 2024
    code, output = run(runner, store_path, "review", "list", "--from", "2021", "--to", "2024")
    assert code == 0 and output.rstrip().endswith("1 decision"), output
    assert "claim 1:" in output and "claim 74:" in output
    code, output = run(runner, store_path, "review", "list", "--from", "2023", "--format", "csv")
    assert code == 0 and output.strip().splitlines() == [",".join(app.EXPORT_FIELDS)]
