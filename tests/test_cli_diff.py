"""`tracker diff` through the command line, as a user runs it."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from tracker.cli import cli
from tracker.compare.model import STRONG_MATCH, WEAK_MATCH
from tracker.store.db import Database


def _db_arg(database: Database) -> list[str]:
    return ["--db", database.url]


def test_text_output_groups_changes_and_ends_with_a_summary(
    runner: CliRunner, sample_db: Database
) -> None:
    result = runner.invoke(cli, [*_db_arg(sample_db), "diff", "2021", "2024"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("from 2021: 2 brief(s)")
    assert "Modified claims (" in result.output and "Added claims (" in result.output
    assert "[-" in result.output and "{+" in result.output  # word diff marks when piped
    assert "\x1b[" not in result.output  # no colour codes when not a terminal
    summary = re.fullmatch(
        r"(\d+) modified, \d+ added, \d+ removed, (\d+) unchanged; "
        r"matches: (\d+) strong, (\d+) probable, (\d+) weak",
        lines[-1],
    )
    assert summary, lines[-1]
    modified, unchanged, *bands = map(int, summary.groups())
    assert sum(bands) == modified + unchanged  # every pair is in one confidence band


def test_json_to_file_matches_stdout(
    runner: CliRunner, sample_db: Database, tmp_path: Path
) -> None:
    out = tmp_path / "nested" / "changes.json"
    to_file = runner.invoke(
        cli, [*_db_arg(sample_db), "diff", "2023", "2024", "--format", "json", "-o", str(out)]
    )
    assert to_file.exit_code == 0
    assert f"wrote {out}" in to_file.stderr
    stdout = runner.invoke(cli, [*_db_arg(sample_db), "diff", "2023", "2024", "--format", "json"])
    assert out.read_text(encoding="utf-8") == stdout.output
    data = json.loads(stdout.output)
    assert data["from"]["selection"] == "2023" and data["to"]["selection"] == "2024"


def test_markdown_and_html_formats(runner: CliRunner, sample_db: Database) -> None:
    md = runner.invoke(cli, [*_db_arg(sample_db), "diff", "2021", "2023", "--format", "markdown"])
    assert md.exit_code == 0
    assert md.output.startswith("# Changes from 2021 to 2023")
    assert "## Modified (" in md.output and "~~" in md.output
    html = runner.invoke(cli, [*_db_arg(sample_db), "diff", "2021", "2023", "--format", "html"])
    assert html.exit_code == 0 and html.output.startswith("<!doctype html>")


def test_kind_grep_and_min_score_filter(runner: CliRunner, sample_db: Database) -> None:
    args = [*_db_arg(sample_db), "diff", "2021", "2024", "--format", "json"]
    base = json.loads(runner.invoke(cli, args).output)
    only = json.loads(runner.invoke(cli, [*args, "--kind", "added", "--kind", "removed"]).output)
    assert {c["kind"] for c in only["changes"]} == {"added", "removed"}
    assert only["summary"]["added"] == base["summary"]["added"]
    grep = json.loads(runner.invoke(cli, [*args, "--grep", "NUCLEAR"]).output)
    assert grep["changes"] and all(
        "nuclear" in ((c["old"] or {}).get("text", "") + (c["new"] or {}).get("text", "")).lower()
        for c in grep["changes"]
    )
    strict = json.loads(runner.invoke(cli, [*args, "--min-score", "0.9"]).output)
    assert strict["summary"]["modified"] < base["summary"]["modified"]


def test_each_pair_carries_its_confidence_band(runner: CliRunner, sample_db: Database) -> None:
    args = [*_db_arg(sample_db), "diff", "2021", "2024", "--format", "json"]
    data = json.loads(runner.invoke(cli, args).output)
    pairs = [c for c in data["changes"] if c["old"] and c["new"]]
    singles = [c for c in data["changes"] if not (c["old"] and c["new"])]
    assert singles and all(c["confidence"] is None for c in singles)
    threshold = data["matcher"]["threshold"]
    for c in pairs:
        p = c["probability"]
        assert p >= threshold, c  # nothing below the threshold is reported as a pair
        band = "strong" if p >= STRONG_MATCH else "probable" if p >= WEAK_MATCH else "weak"
        assert c["confidence"] == band, c
    bands = [c["confidence"] for c in pairs]
    assert data["confidence"] == {b: bands.count(b) for b in ("strong", "probable", "weak")}
    # The sample has pairs in more than one band, so this tests something.
    assert sum(1 for n in data["confidence"].values() if n) >= 2

    # --min-score at the probable band reports no weak pair: each becomes a removed and an
    # added claim.
    strict = json.loads(runner.invoke(cli, [*args, "--min-score", str(WEAK_MATCH)]).output)
    assert strict["confidence"]["weak"] == 0
    assert strict["confidence"]["strong"] == data["confidence"]["strong"]

    text = runner.invoke(cli, [*_db_arg(sample_db), "diff", "2021", "2024"]).output
    assert text.count("(weak match)") == data["confidence"]["weak"]
    assert text.count("(strong match)") == data["confidence"]["strong"]


def test_context_figures_are_listed_apart_from_moved_ones(
    runner: CliRunner, sample_db: Database
) -> None:
    args = [*_db_arg(sample_db), "diff", "2021", "2024"]
    data = json.loads(runner.invoke(cli, [*args, "--format", "json"]).output)
    quantities = [q for c in data["changes"] for q in c["quantities"]]
    context = [q for q in quantities if not q["moved"]]
    assert context and len(context) < len(quantities)
    for q in quantities:  # a figure moved when both sides have it, or it is a share or amount
        both = q["old"] is not None and q["new"] is not None
        assert q["moved"] == (both or q["kind"] in ("percent", "money")), q
    for c in data["changes"]:  # only a moved figure makes the "quantity" aspect
        assert ("quantity" in c["aspects"]) == any(q["moved"] for q in c["quantities"]), c
    text = runner.invoke(cli, args).output
    assert text.count("\n    context: ") == len(context)
    assert text.count("\n    quantity: ") == len(quantities) - len(context)
    markdown = runner.invoke(cli, [*args, "--format", "markdown"]).output
    assert markdown.count("\n  - context: ") == len(context)


def test_bad_and_empty_selections_are_one_line_errors(
    runner: CliRunner, sample_db: Database
) -> None:
    for spec, message in [
        ("2019", "matches no brief"),
        ("2024-13", "selection '2024-13'"),
        ("brief:999", "matches no brief"),
    ]:
        result = runner.invoke(cli, [*_db_arg(sample_db), "diff", spec, "2024"])
        assert result.exit_code == 1
        assert message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr
