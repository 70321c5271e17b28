"""`tracker matcher fit|use previous|show`: review verdicts refit the pair model, the
previous model is kept, and every report names the model it used."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from tracker.app import matcher as app
from tracker.cli import cli
from tracker.compare import fitting
from tracker.compare.probability import shipped_model
from tracker.store.db import open_database

SAMPLE = Path(__file__).resolve().parent.parent / "snapshots" / "sample"


@pytest.fixture
def store_path(runner: CliRunner, tmp_path: Path) -> str:
    path = str(tmp_path / "tracker.db")
    assert runner.invoke(cli, ["--db", path, "ingest", str(SAMPLE)]).exit_code == 0
    return path


def run(runner: CliRunner, db: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["--db", db, *args])
    return result.exit_code, result.output


def model_of(runner: CliRunner, db: str, *args: str) -> str:
    code, output = run(runner, db, *args, "--format", "json")
    assert code == 0, output
    return str(json.loads(output)["matcher"]["model"])


def test_the_shipped_rows_reproduce_the_shipped_model() -> None:
    rows = app.shipped_rows()
    train, test = rows.take("train"), rows.take("test")
    model = shipped_model()
    assert len(train.labels) == model.meta["train_pairs"]
    assert len(test.labels) > 1000 and set(rows.splits) == {"train", "test"}
    y = np.asarray([lab in fitting.TARGET for lab in train.labels], dtype=np.float64)
    fitted = fitting.fit_logistic(train.matrix, y, fitting.source_weights(train.sources))
    # The shipped model carries its out-of-fold recalibration folded into the log-odds. The
    # rows are rounded to 6 digits, and correlated columns (dice, containment, lexical) then
    # trade a few thousandths of weight: what must agree is the probability of every pair.
    a, b = model.meta["recalibration"]
    refit = fitting.pair_model(
        fitted,
        version="refit",
        threshold=model.threshold,
        meta={},
        recalibrated=(a, b),
        features=model.features,
    )
    p_refit = refit.probability(test.matrix, model.features)
    p_shipped = model.probability(test.matrix, model.features)
    assert np.abs(p_refit - p_shipped).max() < 2e-3


def test_fit_learns_from_verdicts_and_use_previous_reverts(
    runner: CliRunner, store_path: str
) -> None:
    db = open_database(store_path)
    from tracker.app.review import reviewed_diff

    diff = reviewed_diff(db.engine, "2021", "2024")
    leads = [c for c in diff.changes if c.kind == "removed" and c.lead and c.old][:3]
    for c in leads:
        assert c.old is not None and c.lead is not None
        assert (
            run(runner, store_path, "review", "link", str(c.old.id), str(c.lead.claim.id))[0] == 0
        )
    shipped = model_of(runner, store_path, "diff", "2021", "2024")
    assert shipped == shipped_model().version

    code, output = run(runner, store_path, "matcher", "fit", "--weight", "200")
    assert code == 0, output
    assert f"+ {len(leads)} review verdicts" in output
    assert "before (" in output and "after  (" in output and "reliability" in output
    assert output.count("  0.9-1.0  before") == 1
    # The model is kept in the database, not in a file beside it.
    assert not (Path(store_path).parent / "matcher").exists()
    name = app.read_choice(db).current
    assert name is not None and name.startswith("model-") and f"saved {name}" in output
    fitted = app.chosen_model(db).to_json()
    assert fitted["meta"]["review_pairs"] == len(leads)
    assert fitted["threshold"] == shipped_model().threshold
    assert fitted.get("restatement") == shipped_model().to_json().get("restatement")
    # With embeddings the store's own (lexical) model still decides, with the veto; without
    # a fitted model the shipped one fitted with the embedding column would.
    assert app.matcher_config(db, embeddings=True).model.version == fitted["version"]

    # Every report names the model it used: two-way, multi-way and history.
    assert model_of(runner, store_path, "diff", "2021", "2024") == fitted["version"]
    assert model_of(runner, store_path, "diff", "2021", "2023", "2024") == fitted["version"]
    assert model_of(runner, store_path, "history", "nuclear") == fitted["version"]
    code, output = run(runner, store_path, "matcher", "show")
    assert code == 0 and f"in use: {name} in the store" in output and fitted["version"] in output

    # The verdicts ("same", weighted heavily) raised the model's probability of those pairs.
    rows = app.store_rows(db).rows
    before = shipped_model().probability(rows.matrix, fitting.FEATURE_NAMES)
    after = app.chosen_model(db).probability(rows.matrix, fitting.FEATURE_NAMES)
    assert (after > before).all()

    code, output = run(runner, store_path, "matcher", "use", "previous")
    assert code == 0 and output.strip() == f"now using {shipped} (shipped with tracker)"
    semantic = app.matcher_config(db, embeddings=True).model
    assert semantic.version == shipped_model(semantic=True).version != shipped
    assert model_of(runner, store_path, "diff", "2021", "2024") == shipped
    code, output = run(runner, store_path, "matcher", "use", "previous")
    assert code == 0 and fitted["version"] in output
    assert model_of(runner, store_path, "diff", "2021", "2024") == fitted["version"]


def test_use_previous_without_a_fit_is_a_one_line_error(runner: CliRunner, store_path: str) -> None:
    code, output = run(runner, store_path, "matcher", "use", "previous")
    assert code == 1
    assert output.strip() == (
        "Error: this store has only ever used the shipped model: nothing to revert"
    )


def test_a_broken_model_choice_names_the_file(runner: CliRunner, store_path: str) -> None:
    # A choice written before choices were per database file (matcher/chosen.json) counts.
    pointer = Path(store_path).parent / "matcher" / "chosen.json"
    pointer.parent.mkdir()
    pointer.write_text('{"current": "model-missing.json", "previous": null}', encoding="utf-8")
    code, output = run(runner, store_path, "diff", "2021", "2024")
    assert code == 1
    assert output.startswith(f"Error: {pointer.parent / 'model-missing.json'}: not a matcher model")
    pointer.write_text("not json", encoding="utf-8")
    code, output = run(runner, store_path, "matcher", "show")
    assert code == 1 and output.startswith(f"Error: {pointer}: not a model choice")


def test_two_stores_in_one_folder_keep_their_own_model(runner: CliRunner, store_path: str) -> None:
    other = str(Path(store_path).parent / "other.db")
    assert runner.invoke(cli, ["--db", other, "ingest", str(SAMPLE)]).exit_code == 0
    code, output = run(runner, store_path, "matcher", "fit")
    assert code == 0, output
    fitted = model_of(runner, store_path, "diff", "2021", "2024")
    assert fitted != shipped_model().version
    # The other store beside it has chosen nothing: it still uses the shipped model.
    assert model_of(runner, other, "diff", "2021", "2024") == shipped_model().version


def test_the_model_travels_with_the_database(
    runner: CliRunner, store_path: str, tmp_path: Path
) -> None:
    # A team shares one database: whoever opens it, from wherever, runs the model it chose.
    # A copy of the SQLite file in another folder stands for a second machine.
    code, output = run(runner, store_path, "matcher", "fit")
    assert code == 0, output
    fitted = model_of(runner, store_path, "diff", "2021", "2024")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    copy = str(elsewhere / "copy.db")
    with sqlite3.connect(store_path) as src, sqlite3.connect(copy) as dest:
        src.backup(dest)  # the WAL too: a plain file copy could miss the newest pages
    assert model_of(runner, copy, "diff", "2021", "2024") == fitted
    # Going back on one store is seen by everyone using it, and not by the copy.
    assert run(runner, store_path, "matcher", "use", "previous")[0] == 0
    assert model_of(runner, store_path, "diff", "2021", "2024") == shipped_model().version
    assert model_of(runner, copy, "diff", "2021", "2024") == fitted


def test_a_choice_file_of_an_older_tracker_is_read_then_taken_into_the_store(
    runner: CliRunner, store_path: str
) -> None:
    # An older tracker wrote models and the choice as files beside the store.
    db = open_database(store_path)
    folder = Path(store_path).parent / "matcher"
    folder.mkdir()
    older = shipped_model().to_json()
    older["version"] = "lr-older-file"
    (folder / "model-older.json").write_text(json.dumps(older), encoding="utf-8")
    pointer = folder / "tracker.db.chosen.json"
    pointer.write_text('{"current": "model-older.json", "previous": null}', encoding="utf-8")
    assert model_of(runner, store_path, "diff", "2021", "2024") == "lr-older-file"
    # The first choice made in the database takes that model along: going back reaches it
    # even once its file is gone.
    code, output = run(runner, store_path, "matcher", "fit")
    assert code == 0, output
    (folder / "model-older.json").unlink()
    pointer.unlink()
    assert app.read_choice(db).previous == "model-older.json"
    assert run(runner, store_path, "matcher", "use", "previous")[0] == 0
    assert model_of(runner, store_path, "diff", "2021", "2024") == "lr-older-file"
    assert run(runner, store_path, "matcher", "use", "previous")[0] == 0
    assert run(runner, store_path, "matcher", "use", "previous")[0] == 0
    assert model_of(runner, store_path, "diff", "2021", "2024") == "lr-older-file"


def test_a_model_file_of_an_older_tracker_that_is_gone_is_left_behind(
    runner: CliRunner, store_path: str
) -> None:
    # The older choice names a previous model whose file was deleted: the first choice in
    # the database still takes the current one along, and the fit goes on.
    folder = Path(store_path).parent / "matcher"
    folder.mkdir()
    (folder / "model-kept.json").write_text(json.dumps(shipped_model().to_json()), "utf-8")
    (folder / "tracker.db.chosen.json").write_text(
        '{"current": "model-kept.json", "previous": "model-gone.json"}', encoding="utf-8"
    )
    code, output = run(runner, store_path, "matcher", "fit")
    assert code == 0, output
    assert app.read_choice(open_database(store_path)).previous == "model-kept.json"
