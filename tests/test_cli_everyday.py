"""Everyday CLI conventions (issue #15): machine-readable output on every listing and report,
selections narrowed by source or brief, colour and width, Ctrl-C, closed pipes, a missing
database, and what `tracker --help` and `tracker briefs` import."""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.errors import StoreError
from tracker.store.db import Database

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "snapshots" / "sample"
ANSI = re.compile(r"\x1b\[[0-9;]*m")

# Two parties, two platforms each: in 2024 only Party B states the wage position, so a chain
# of Party A's 2020 claim can only reach 2024 by hopping to the other party's platform.
PLATFORMS = {
    "2020-a.txt": (
        "Party A",
        "2020-05-01",
        "Party A will raise the federal minimum wage to 12 dollars an hour by 2025.\n\n"
        "Party A will expand rail service between the coastal cities.\n",
    ),
    "2020-b.txt": (
        "Party B",
        "2020-06-01",
        "Party B opposes a higher federal minimum wage for small employers.\n\n"
        "Party B will cut the corporate income tax to 18 percent.\n",
    ),
    "2024-a.txt": (
        "Party A",
        "2024-05-01",
        "Party A will expand rail service between the coastal cities and the mountain towns.\n\n"
        "Party A will build two hundred thousand homes for rent.\n",
    ),
    "2024-b.txt": (
        "Party B",
        "2024-06-01",
        "Party B will raise the federal minimum wage to 15 dollars an hour by 2028.\n\n"
        "Party B will cut the corporate income tax to 15 percent.\n",
    ),
}


def _invoke(runner: CliRunner, db: str, *args: str, **kwargs: Any) -> Any:
    return runner.invoke(cli, ["--db", db, *args], catch_exceptions=False, **kwargs)


@pytest.fixture(scope="module")
def sample_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    """An SQLite store of the sample corpus (six briefs, 2021-2024)."""
    db = str(tmp_path_factory.mktemp("everyday") / "tracker.db")
    result = CliRunner().invoke(cli, ["--db", db, "ingest", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture(scope="module")
def parties_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    """An SQLite store of the four party platforms above."""
    folder = tmp_path_factory.mktemp("parties")
    db = str(folder / "tracker.db")
    runner = CliRunner()
    for name, (source, date, body) in PLATFORMS.items():
        (folder / name).write_text(f"Title: {source} platform {date[:4]}\n\n{body}", "utf-8")
        result = runner.invoke(
            cli, ["--db", db, "ingest", str(folder / name), "--source", source, "--date", date]
        )
        assert result.exit_code == 0, result.output
    return db


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# -- machine-readable output ---------------------------------------------------------------


def test_diff_csv_has_one_row_per_change_in_json_order(runner: CliRunner, sample_path: str) -> None:
    as_json = json.loads(
        _invoke(runner, sample_path, "diff", "2021", "2024", "--format", "json").stdout
    )
    result = _invoke(runner, sample_path, "diff", "2021", "2024", "--format", "csv")
    assert result.exit_code == 0
    rows = _csv(result.stdout)
    changes = as_json["changes"]
    assert len(rows) == len(changes) > 10
    assert list(rows[0])[:7] == [
        "kind", "aspects", "confidence", "probability", "score", "old_text", "new_text"
    ]  # fmt: skip
    for row, change in zip(rows, changes, strict=True):
        assert row["kind"] == change["kind"]
        assert row["confidence"] == (change["confidence"] or "")
        old, new = change["old"], change["new"]
        assert row["old_text"] == (old["text"] if old else "")
        assert row["new_date"] == (new["date"] if new else "")
        assert row["old_brief_id"] == (str(old["brief_id"]) if old else "")
        if change["score"] is not None:
            assert float(row["score"]) == pytest.approx(change["score"], abs=0.0005)
    moved = [r for r in rows if "quantity" in r["aspects"].split()]
    assert moved and all("→" in r["quantities"] for r in moved)


def test_history_csv_has_one_row_per_step(runner: CliRunner, sample_path: str) -> None:
    args = ("history", "renewables share", "--limit", "2")
    data = json.loads(_invoke(runner, sample_path, *args, "--format", "json").stdout)
    rows = _csv(_invoke(runner, sample_path, *args, "--format", "csv").stdout)
    steps = [(c["id"], s["claim"]["claim_id"]) for c in data["chains"] for s in c["steps"]]
    assert [(int(r["chain"]), int(r["claim_id"])) for r in rows] == steps
    assert rows[0]["kind"] == ""  # a first step has no link before it
    assert any(r["kind"] == "modified" for r in rows)


@pytest.mark.parametrize(
    ("suffix", "check"),
    [
        (".csv", lambda t: t.startswith("kind,aspects,confidence")),
        (".json", lambda t: "changes" in json.loads(t)),
        (".md", lambda t: t.lstrip().startswith("#")),
        (".html", lambda t: t.lstrip().lower().startswith("<!doctype html")),
    ],
)
def test_output_suffix_implies_the_format(
    runner: CliRunner, sample_path: str, tmp_path: Path, suffix: str, check: Any
) -> None:
    target = tmp_path / f"changes{suffix}"
    result = _invoke(runner, sample_path, "diff", "2021", "2024", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert check(target.read_text(encoding="utf-8"))


def test_explicit_format_beats_the_suffix_and_a_wrong_suffix_is_refused(
    runner: CliRunner, sample_path: str, tmp_path: Path
) -> None:
    target = tmp_path / "briefs.csv"
    result = _invoke(runner, sample_path, "briefs", "--format", "json", "-o", str(target))
    assert result.exit_code == 0
    assert len(json.loads(target.read_text("utf-8"))["briefs"]) == 6
    refused = runner.invoke(cli, ["--db", sample_path, "briefs", "-o", str(tmp_path / "b.html")])
    assert refused.exit_code == 2
    assert "b.html" in refused.stderr and "--format" in refused.stderr


def test_briefs_json_and_csv(runner: CliRunner, sample_path: str) -> None:
    data = json.loads(_invoke(runner, sample_path, "briefs", "--format", "json").stdout)
    assert data["version"] == 1
    first = data["briefs"][0]
    assert set(first) == {"id", "date", "date_precision", "title", "source", "url", "claims"}
    assert (first["id"], first["date"], first["claims"]) == (1, "2021-06-18", 17)
    rows = _csv(_invoke(runner, sample_path, "briefs", "--format", "csv").stdout)
    assert [r["id"] for r in rows] == ["1", "2", "3", "4", "5", "6"]
    assert rows[0]["claims"] == "17" and rows[0]["source"] == first["source"]


def test_claims_json_and_csv(runner: CliRunner, sample_path: str) -> None:
    data = json.loads(_invoke(runner, sample_path, "claims", "1", "--format", "json").stdout)
    assert data["brief"]["id"] == 1 and len(data["claims"]) == 17
    claim = data["claims"][0]
    assert claim["ordinal"] == 0 and claim["span"][0] < claim["span"][1]
    assert {"raw", "value", "unit", "kind", "span"} == set(claim["quantities"][0])
    rows = _csv(_invoke(runner, sample_path, "claims", "1", "--format", "csv").stdout)
    assert [r["text"] for r in rows] == [c["text"] for c in data["claims"]]
    assert rows[0]["quantities"].split("; ")[0] == claim["quantities"][0]["raw"]


def test_search_csv(runner: CliRunner, sample_path: str) -> None:
    data = json.loads(_invoke(runner, sample_path, "search", "coal", "--format", "json").stdout)
    rows = _csv(_invoke(runner, sample_path, "search", "coal", "--format", "csv").stdout)
    assert [int(r["claim_id"]) for r in rows] == [h["claim_id"] for h in data["results"]]
    assert rows and all("coal" in r["text"].lower() for r in rows)


def test_runs_json_and_csv(runner: CliRunner, tmp_path: Path) -> None:
    from tracker.store.db import open_database
    from tracker.store.runs import finish_run, start_run

    db = str(tmp_path / "t.db")
    database = open_database(db)
    run_id = start_run(database.engine)
    finish_run(
        database.engine,
        run_id,
        new=2,
        unchanged=1,
        failed=1,
        exit_status=1,
        errors=[{"source": "s", "item": "http://x/1", "reason": "404"}],
    )
    data = json.loads(_invoke(runner, db, "runs", "--format", "json").stdout)
    assert [(r["id"], r["new"], r["failed"], r["status"]) for r in data["runs"]] == [
        (run_id, 2, 1, "exit 1")
    ]
    assert data["runs"][0]["started_at"].endswith("+00:00")
    rows = _csv(_invoke(runner, db, "runs", "--format", "csv").stdout)
    assert rows[0]["id"] == str(run_id) and rows[0]["status"] == "exit 1"
    one = json.loads(_invoke(runner, db, "runs", str(run_id), "--format", "json").stdout)
    assert one["run"]["errors"] == [{"source": "s", "item": "http://x/1", "reason": "404"}]


# -- selections narrowed by source or brief ------------------------------------------------


def _chain_sources(data: dict[str, Any], briefs: dict[int, str]) -> list[set[str]]:
    return [{briefs[s["claim"]["brief_id"]] for s in c["steps"]} for c in data["chains"]]


def test_history_by_source_cannot_hop_to_the_other_party(
    runner: CliRunner, parties_path: str
) -> None:
    listing = json.loads(_invoke(runner, parties_path, "briefs", "--format", "json").stdout)
    source_of = {b["id"]: b["source"] for b in listing["briefs"]}
    args = ("history", "federal minimum wage", "--limit", "5", "--format", "json")
    mixed = json.loads(_invoke(runner, parties_path, *args).stdout)
    # Unrestricted, some chain does run through both parties' platforms.
    assert any(len(s) > 1 for s in _chain_sources(mixed, source_of))
    for narrowing in (
        ["--source", "Party A"],
        ["--in", "source:party a"],
        ["--brief", "1", "--brief", "3"],
    ):
        result = _invoke(runner, parties_path, *args, *narrowing)
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert [p["label"] for p in data["periods"]] == ["2020", "2024"]
        assert all(s == {"Party A"} for s in _chain_sources(data, source_of)), narrowing


def test_diff_by_source_compares_one_party_with_itself(
    runner: CliRunner, parties_path: str
) -> None:
    result = _invoke(
        runner, parties_path, "diff", "2020", "2024", "--source", "Party B", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {b["id"] for b in data["from"]["briefs"]} == {2}
    assert {b["id"] for b in data["to"]["briefs"]} == {4}
    modified = [c for c in data["changes"] if c["kind"] == "modified"]
    assert any("tax" in c["new"]["text"] for c in modified)
    missing = runner.invoke(
        cli, ["--db", parties_path, "diff", "2020", "2024", "--source", "Party C"]
    )
    assert missing.exit_code == 1
    assert "within source:Party C" in missing.stderr


def test_search_in_a_source(runner: CliRunner, parties_path: str) -> None:
    args = ("search", "minimum", "wage", "--in", "source:Party B", "--format", "json")
    data = json.loads(_invoke(runner, parties_path, *args).stdout)
    assert {h["brief_id"] for h in data["results"]} == {2, 4}


def test_sort_score_puts_figures_and_the_best_matches_first(
    runner: CliRunner, sample_path: str
) -> None:
    def modified_headlines(*extra: str) -> list[str]:
        text = _invoke(
            runner, sample_path, "diff", "2021", "2024", "--kind", "modified", *extra
        ).stdout
        return [line for line in text.splitlines() if line.startswith("  • modified")]

    by_order, by_score = modified_headlines(), modified_headlines("--sort", "score")
    assert sorted(by_order) == sorted(by_score) and by_order != by_score
    figures = [("quantity" in h or "stance" in h) for h in by_score]
    assert figures == sorted(figures, reverse=True)  # figures and stance first
    # Within the figures, best matched (highest probability) first.
    found = [
        re.search(r"probability (\d\.\d+)", h) for h, f in zip(by_score, figures, strict=True) if f
    ]
    scores = [float(m.group(1)) for m in found if m]
    assert len(scores) == sum(figures)
    assert scores == sorted(scores, reverse=True)


# -- colour, width, interrupts, pipes ------------------------------------------------------


def test_colour_decision() -> None:
    from tracker.cli.term import use_color

    env = dict(os.environ)
    try:
        os.environ.pop("NO_COLOR", None)
        os.environ["TERM"] = "xterm"
        assert use_color(True, "auto") and not use_color(False, "auto")
        assert use_color(False, "always") and not use_color(True, "never")
        os.environ["NO_COLOR"] = "1"
        assert not use_color(True, "auto")
        assert use_color(True, "always")  # the flag beats the environment
    finally:
        os.environ.clear()
        os.environ.update(env)


def test_color_always_styles_piped_output_and_never_does_not(
    runner: CliRunner, sample_path: str
) -> None:
    always = _invoke(runner, sample_path, "diff", "2021", "2024", "--color", "always")
    assert ANSI.search(always.stdout)
    group = _invoke(runner, sample_path, "--color", "always", "briefs")
    assert ANSI.search(group.stdout)
    plain = _invoke(runner, sample_path, "diff", "2021", "2024", "--color", "never")
    assert not ANSI.search(plain.stdout)
    assert ANSI.sub("", always.stdout) == plain.stdout
    # The next invocation (same process) does not inherit the last one's --color.
    again = _invoke(runner, sample_path, "--color", "always", "briefs")
    assert ANSI.search(again.stdout)
    assert not ANSI.search(_invoke(runner, sample_path, "briefs").stdout)


def test_every_command_takes_color() -> None:
    from tests.test_cli_basic import ALL_COMMANDS

    for path in ALL_COMMANDS:
        result = CliRunner().invoke(cli, [*path, "--color", "never", "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "--color" in result.stdout, path


def _on_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run tracker with a pseudo-terminal as standard output; what it printed."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker", *args],
        stdout=follower,
        stderr=subprocess.PIPE,
        env={**os.environ, **env},
        cwd=ROOT,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=120) == 0, proc.stderr.read() if proc.stderr else ""
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_terminal_output_is_wrapped_and_no_color_is_honoured(sample_path: str) -> None:
    args = ["--db", sample_path, "diff", "2021", "2024"]
    shown = _on_a_terminal(args, {"COLUMNS": "72", "NO_COLOR": "1", "TERM": "xterm"})
    assert not ANSI.search(shown)
    lines = shown.splitlines()
    assert lines and max(len(line) for line in lines) <= 72
    # A wrapped claim continues under its own text, not at the left margin.
    continued = [
        b for a, b in itertools.pairwise(lines) if a.startswith("    ") and b.startswith("    ")
    ]
    assert continued
    coloured = _on_a_terminal(args, {"COLUMNS": "72", "NO_COLOR": "", "TERM": "xterm"})
    assert ANSI.search(coloured)
    piped = subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout
    assert max(len(line) for line in piped.splitlines()) > 120  # one line per claim, for grep
    assert ANSI.sub("", coloured).split() == piped.split()  # same words, only wrapped


def test_history_is_wrapped_on_a_terminal(sample_path: str) -> None:
    shown = _on_a_terminal(
        ["--db", sample_path, "history", "renewables share", "--limit", "1"],
        {"COLUMNS": "64", "NO_COLOR": "1"},
    )
    assert max(len(line) for line in shown.splitlines()) <= 64
    assert "trajectory:" in shown


def test_ctrl_c_during_ingest_exits_130_and_a_rerun_finishes(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tracker.ingest.service as service

    real = service.ingest_file
    calls = []

    def interrupted_on_the_third(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[1])
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "ingest_file", interrupted_on_the_third)
    db = str(tmp_path / "t.db")
    result = runner.invoke(cli, ["--db", db, "ingest", str(SAMPLE)])
    assert result.exit_code == 130
    assert result.stderr.strip().splitlines()[-1] == (
        "interrupted: 2 stored before the interrupt; run again to finish"
    )
    monkeypatch.setattr(service, "ingest_file", real)
    again = runner.invoke(cli, ["--db", db, "ingest", str(SAMPLE)])
    assert again.exit_code == 0
    assert again.stdout.strip().splitlines()[-1] == "4 stored, 2 already present, 0 failed"


def test_ctrl_c_in_any_command_exits_130(
    runner: CliRunner, sample_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tracker.store.listing as listing

    def interrupt(*_: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(listing, "quick_list_briefs", interrupt)
    result = runner.invoke(cli, ["--db", sample_path, "briefs"])
    assert result.exit_code == 130
    assert result.stderr == "interrupted\n"


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--version"],
        ["briefs"],
        ["diff", "2021", "2024"],
        ["claims", "1"],
        ["history", "coal"],
        ["search", "coal"],
        ["runs"],
        ["doctor"],
        ["diff", "--help"],
    ],
    ids=lambda a: " ".join(a),
)
def test_a_closed_pipe_is_a_quiet_exit_0(sample_path: str, args: list[str]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before tracker writes a byte: EPIPE every time
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tracker", "--db", sample_path, *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr.decode()) == (0, "")


@pytest.mark.parametrize(
    "args",
    [
        ["briefs"],
        ["claims", "1"],
        ["diff", "2021", "2024"],
        ["search", "coal"],
        ["history", "coal"],
        ["runs"],
    ],
    ids=lambda a: a[0],
)
def test_read_only_commands_do_not_create_a_missing_database(
    runner: CliRunner, tmp_path: Path, args: list[str]
) -> None:
    missing = tmp_path / "typo" / "trackr.db"
    result = runner.invoke(cli, ["--db", str(missing), *args])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"Error: {missing}: no such database")
    assert not missing.exists() and not missing.parent.exists()


# -- start-up ------------------------------------------------------------------------------

HEAVY = ("sklearn", "scipy", "trafilatura", "pypdf", "numpy", "httpx")


def _imported(args: list[str], cwd: Path) -> set[str]:
    """Top-level packages loaded by one tracker command, run in a fresh interpreter."""
    code = (
        "import runpy, sys\n"
        f"sys.argv = ['tracker', *{args!r}]\n"
        "try:\n    runpy.run_module('tracker', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "sys.stderr.write(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, check=True
    )
    return set(done.stderr.split())


def test_help_imports_no_heavy_module() -> None:
    loaded = _imported(["--help"], ROOT)
    assert "tracker" in loaded and "click" in loaded
    assert not loaded & {*HEAVY, "sqlalchemy", "alembic", "rich"}


def test_briefs_of_an_sqlite_file_imports_no_sqlalchemy(sample_path: str) -> None:
    for args in (["briefs"], ["briefs", "--format", "json"], ["briefs", "--format", "csv"]):
        loaded = _imported(["--db", sample_path, *args], ROOT)
        assert not loaded & {*HEAVY, "sqlalchemy", "alembic", "rich"}, args


def test_diff_and_history_import_no_scikit_learn(sample_path: str) -> None:
    # scikit-learn costs most of a second to import; the engine counts its n-grams and
    # figure sets itself, and only fitting a model imports it.
    for args in (["diff", "2021", "2024"], ["history", "renewables share"]):
        loaded = _imported(["--db", sample_path, *args], ROOT)
        assert "numpy" in loaded and "sklearn" not in loaded, args


def test_briefs_of_a_url_reads_through_sqlalchemy_core_only(sample_path: str) -> None:
    code = (
        "import runpy, sys\n"
        f"sys.argv = ['tracker', '--db', 'sqlite:///' + {sample_path!r}, 'briefs']\n"
        "try:\n    runpy.run_module('tracker', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "sys.stderr.write(' '.join(m for m in ('sqlalchemy', 'sqlalchemy.orm', 'alembic')"
        " if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr == "sqlalchemy"
    assert "Japan Lifts Its 2030 Climate Goal" in done.stdout


def test_the_quick_listing_equals_the_full_one_or_steps_aside(tmp_path: Path) -> None:
    from sqlalchemy import text

    from tracker.store.db import open_database
    from tracker.store.listing import list_briefs, quick_list_briefs

    path = tmp_path / "t.db"
    database = open_database(str(path))
    assert quick_list_briefs(path) == list_briefs(database.engine) == []
    for name in sorted(SAMPLE.iterdir())[:3]:
        assert CliRunner().invoke(cli, ["--db", str(path), "ingest", str(name)]).exit_code == 0
    quick = quick_list_briefs(path)
    assert quick is not None and len(quick) == 3
    assert quick == list_briefs(database.engine)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0003'"))
    assert quick_list_briefs(path) is None  # an older schema: the full path migrates it
    database.engine.dispose()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    assert quick_list_briefs(junk) is None
    assert quick_list_briefs(tmp_path / "missing.db") is None
    result = CliRunner().invoke(cli, ["--db", str(junk), "briefs"])
    assert result.exit_code == 1 and "file is not a database" in result.stderr


def test_shipped_heads_match_alembic() -> None:
    from alembic.script import ScriptDirectory

    from tracker.store.db import alembic_config
    from tracker.store.revisions import shipped_heads

    assert shipped_heads() == frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def test_source_kinds_of_the_cli_match_the_library() -> None:
    from tracker.cli.sources import SOURCE_KINDS
    from tracker.ingest.sources import KINDS

    assert SOURCE_KINDS == KINDS


def test_a_stamp_other_than_the_heads_goes_to_alembic(tmp_path: Path) -> None:
    """The fast schema check skips alembic only when the stamp is exactly the shipped heads:
    a revision it does not know is still refused untouched."""
    from sqlalchemy import text

    from tracker.store.db import open_database

    path = tmp_path / "t.db"
    database: Database = open_database(str(path))
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    database.engine.dispose()
    with pytest.raises(StoreError, match="newer than this tracker knows"):
        open_database(str(path))
    result = CliRunner().invoke(cli, ["--db", str(path), "briefs"])
    assert result.exit_code == 1 and "newer than this tracker knows" in result.stderr
