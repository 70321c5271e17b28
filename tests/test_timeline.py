"""Timelines: `tracker history` and `tracker diff A B C` chain positions across snapshots."""

from __future__ import annotations

import itertools
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.app.diffs import diff, timeline
from tracker.cli import cli
from tracker.compare.model import STRONG_MATCH, WEAK_MATCH
from tracker.compare.timeline import STATUSES, Chain, Timeline
from tracker.compare.trajectories import qualifiers
from tracker.ingest import Overrides, ingest_file
from tracker.report import render_timeline
from tracker.report.timeline_html import render_timeline_html
from tracker.store.db import Database, open_database

from .test_html_report import _browse, articles, parse

# Three years of a fisheries ministry's briefs, written for these tests. The quota position
# is stated in 2021, not in 2022, and again (raised) in 2023; the patrol fleet grows every
# year; the harbour levy is dropped after 2021; the port inspection line is new in 2023.
BRIEFS = {
    "2021-03-01": (
        "Fisheries outlook 2021",
        "The ministry will cap the annual cod quota at 40,000 tonnes for the northern fleet. "
        "The coast guard operates 12 patrol vessels in the northern fishing grounds. "
        "A harbour levy on visiting yachts will pay for new cold-storage depots.",
    ),
    "2022-03-01": (
        "Fisheries outlook 2022",
        "The coast guard now operates 15 patrol vessels in the northern fishing grounds. "
        "Researchers counted more juvenile cod near the shelf edge than in any survey since 2009.",
    ),
    "2023-03-01": (
        "Fisheries outlook 2023",
        "The ministry will raise the annual cod quota cap to 45,000 tonnes for the northern "
        "fleet. "
        "The coast guard will operate 18 patrol vessels in the northern fishing grounds. "
        "Inspectors will board every foreign trawler that lands its catch at a national port.",
    ),
}


def _store(tmp_path: Path, briefs: dict[str, tuple[str, str]]) -> Database:
    database = open_database(str(tmp_path / "tracker.db"))
    for date, (title, body) in briefs.items():
        path = tmp_path / f"{date}.txt"
        path.write_text(body + "\n", encoding="utf-8")
        ingest_file(database, path, Overrides(date=date, title=title))
    return database


@pytest.fixture
def fisheries(tmp_path: Path) -> Iterator[Database]:
    database = _store(tmp_path, BRIEFS)
    yield database
    database.engine.dispose()


def _cli_json(runner: CliRunner, database: Database, *args: str) -> dict[str, object]:
    result = runner.invoke(cli, ["--db", database.url, *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.output)
    return data


def _chain_with(tl: Timeline, needle: str) -> Chain:
    for chain in tl.chains:
        if any(needle in s.claim.text for s in chain.steps):
            return chain
    raise AssertionError(f"no chain states {needle!r}")


# -- the done-when case on the real seed briefs ----------------------------------------------


# The seeds' 2023 → 2024 defence-spending link scores 0.743, just under matcher v5's threshold
# (0.75; test_compare.test_defence_spending_cap_to_target, a strict xfail): the tests of the
# history's mechanics on that position give v4's threshold explicitly.
LINK = ("--threshold", "0.7")


def test_history_of_defence_spending_on_the_seeds(runner: CliRunner, seeded_db: Database) -> None:
    data = _cli_json(runner, seeded_db, "history", "defence spending", *LINK)
    assert [p["label"] for p in data["periods"]] == ["2021", "2023", "2024"]
    best = data["chains"][0]
    assert [s["period"] for s in best["steps"]] == ["2023", "2024"]
    assert best["not_stated"] == ["2021"]
    assert "1 percent of gross domestic product" in best["steps"][0]["claim"]["text"]
    assert "2% of GDP" in best["steps"][1]["claim"]["text"]
    change = best["steps"][1]["change"]
    assert change["kind"] == "modified" and "quantity" in change["aspects"]
    gdp = [q for q in change["quantities"] if q["unit"] == "% of GDP"]
    assert [(q["old_value"], q["new_value"], q["delta"]) for q in gdp] == [(1.0, 2.0, 1.0)]
    (series,) = [s for s in best["trajectory"] if s["unit"] == "% of GDP"]
    assert [(p["period"], p["value"], p["deadline"]) for p in series["points"]] == [
        ("2023", 1.0, None),
        ("2024", 2.0, 2027),
    ]
    assert best["topic"] == "defense spending"

    text = runner.invoke(cli, ["--db", seeded_db.url, "history", "defence spending", *LINK]).output
    assert text.startswith("history of “defence spending”: ")
    assert "2021  — not stated" in text
    assert "1 percent of gross domestic product → 2% of GDP (+1 pp)" in text
    assert "trajectory: 1% of GDP [above, cap] (2023) → 2% of GDP by 2027 (2024)" in text


def test_history_by_claim_follows_the_same_chain(runner: CliRunner, seeded_db: Database) -> None:
    by_query = _cli_json(runner, seeded_db, "history", "defence spending", *LINK)
    steps = by_query["chains"][0]["steps"]
    claim_id = steps[1]["claim"]["claim_id"]
    by_claim = _cli_json(runner, seeded_db, "history", "--claim", str(claim_id), *LINK)
    assert by_claim["type"] == "history" and by_claim["claim_id"] == claim_id
    (chain,) = by_claim["chains"]
    assert [s["claim"]["claim_id"] for s in chain["steps"]] == [
        s["claim"]["claim_id"] for s in steps
    ]


def test_multiway_diff_of_the_seeds_reads_in_text_and_html(
    runner: CliRunner, seeded_db: Database, tmp_path: Path
) -> None:
    result = runner.invoke(cli, ["--db", seeded_db.url, "diff", "2021", "2023", "2024", *LINK])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("periods: 2021 (2 briefs,")
    assert "Changed once (" in result.output and "Appeared (" in result.output
    assert lines[-1].endswith("stable throughout")
    # The defence spending position is one chain: 2023 → 2024, with its quantity change.
    block = result.output.split("] defense spending — ", 1)[1].split("\n\n", 1)[0]
    assert block.startswith("appeared, 2023 → 2024")
    assert "1 percent of gross domestic product → 2% of GDP (+1 pp)" in block
    # Links of the "weak" confidence band, and only those, are flagged for the reader.
    links = [x for x in lines if re.search(r"^\s+(modified|unchanged) .*probability \d\.\d\d", x)]
    assert links
    for link in links:
        probability = float(re.search(r"probability (\d\.\d\d)", link).group(1))
        assert link.endswith("(weak link)") == (probability < WEAK_MATCH), link
    out = tmp_path / "timeline.html"
    html = runner.invoke(
        cli,
        [
            "--db",
            seeded_db.url,
            "diff",
            "2021",
            "2023",
            "2024",
            *LINK,
            "--format",
            "html",
            "-o",
            str(out),
        ],
    )
    assert html.exit_code == 0, html.output
    page = out.read_text(encoding="utf-8")
    assert '<svg class="trajectory"' in page and "2% of GDP by 2027" in page


# -- chains, gaps, statuses and trajectories on briefs with known answers -------------------


def test_a_position_missing_for_a_year_is_one_chain_with_a_gap(fisheries: Database) -> None:
    tl = timeline(fisheries, ["2021", "2022", "2023"])
    quota = _chain_with(tl, "cod quota")
    assert [tl.periods[s.period].label for s in quota.steps] == ["2021", "2023"]
    assert quota.gaps(3) == (1,)
    assert quota.status == "changed-once"
    (series,) = quota.trajectory
    assert series.unit == "tonnes"
    assert [p.value for p in series.points] == [40000, 45000]
    assert "cap" in series.points[0].qualifiers and "cap" in series.points[1].qualifiers


def test_a_figure_that_moves_every_year_is_a_three_point_trajectory(fisheries: Database) -> None:
    tl = timeline(fisheries, ["2021", "2022", "2023"])
    patrols = _chain_with(tl, "patrol vessels")
    assert len(patrols.steps) == 3
    assert patrols.status == "changed-repeatedly"
    (series,) = patrols.trajectory
    assert [p.value for p in series.points] == [12, 15, 18]
    # The label is a key phrase that all three statements share.
    topic = patrols.topic
    assert len(topic.split()) == 2
    assert all(topic in s.claim.norm_text for s in patrols.steps)


def test_statuses_of_vanished_appeared_and_transient_positions(fisheries: Database) -> None:
    tl = timeline(fisheries, ["2021", "2022", "2023"])
    assert _chain_with(tl, "harbour levy").status == "vanished"
    assert _chain_with(tl, "Inspectors will board").status == "appeared"
    assert _chain_with(tl, "juvenile cod").status == "transient"
    assert sum(tl.summary.values()) == len(tl.chains)


def test_an_unchanged_restatement_is_stable(tmp_path: Path) -> None:
    line = "The coast guard operates 12 patrol vessels in the northern fishing grounds."
    asides = {
        "2020": "Anglers reported an early spring.",
        "2021": "Two lighthouses were repainted.",
        "2022": "The ferry timetable was revised.",
    }
    database = _store(
        tmp_path,
        {f"{y}-05-01": (f"Outlook {y}", f"{line} {aside}") for y, aside in asides.items()},
    )
    tl = timeline(database, ["2020", "2021", "2022"])
    chain = _chain_with(tl, "patrol vessels")
    assert chain.status == "stable" and chain.changes == 0
    kinds = [s.change.kind for s in chain.steps[1:]]
    assert kinds == ["unchanged", "unchanged"]


def test_chains_agree_with_the_pairwise_diffs(sample_db: Database) -> None:
    specs = ["2021", "2023", "2024"]
    tl = timeline(sample_db, specs)
    pairs = set()
    for old, new in itertools.pairwise(specs):
        for ch in diff(sample_db, old, new).changes:
            if ch.old is not None and ch.new is not None and ch.relation == "one-to-one":
                pairs.add((ch.old.id, ch.new.id))
    seen: set[int] = set()
    for chain in tl.chains:
        for a, b in zip(chain.steps, chain.steps[1:], strict=False):
            if b.period == a.period + 1:  # consecutive link: must be a pairwise match
                assert (a.claim.id, b.claim.id) in pairs
            else:  # bridged gap: the position was unmatched in between
                assert b.period > a.period + 1
        for step in chain.steps:
            for claim in (step.claim, *step.also):
                assert claim.id not in seen, "a claim belongs to one chain"
                seen.add(claim.id)
        first, last = chain.steps[0].period, chain.steps[-1].period
        expected = (
            ("stable", "changed-once", "changed-repeatedly")[min(chain.changes, 2)]
            if first == 0 and last == 2
            else "appeared"
            if last == 2
            else "vanished"
            if first == 0
            else "transient"
        )
        assert chain.status == expected
    every = {c.id for p in tl.periods for c in p.selection.claims}
    assert seen == every, "every claim is in some chain"


def test_qualifiers_frame_a_figure() -> None:
    text = "spending went well above the longstanding cap of 1 percent of output"
    assert qualifiers(text, "1 percent") == ("above", "cap")
    assert qualifiers("a target of at least 30% by 2030", "30%") == ("target", "at least")
    assert qualifiers("no figure here", "5%") == ()


# -- output formats and the command line -------------------------------------------------------


def test_multiway_json_is_deterministic_and_documented_fields_exist(
    runner: CliRunner, sample_db: Database
) -> None:
    args = ["--db", sample_db.url, "diff", "2021", "2023", "2024", "--format", "json"]
    first, second = runner.invoke(cli, args).output, runner.invoke(cli, args).output
    assert first == second
    data = json.loads(first)
    assert data["type"] == "timeline" and data["query"] is None
    assert set(data["summary"]) == set(STATUSES)
    assert sum(data["summary"].values()) == len(data["chains"])
    chain = data["chains"][0]
    assert set(chain) >= {
        "id", "topic", "terms", "status", "changes", "first", "last", "not_stated",
        "steps", "trajectory", "relevance",
    }  # fmt: skip
    assert [c["id"] for c in data["chains"]] == list(range(1, len(data["chains"]) + 1))
    links = [s["change"] for c in data["chains"] for s in c["steps"] if s["change"]]
    bands = {"strong": STRONG_MATCH, "probable": WEAK_MATCH, "weak": 0.0}  # lowest of each
    assert links and all(
        link["confidence"] == next(k for k, low in bands.items() if link["probability"] >= low)
        for link in links
    )


def test_status_and_grep_filter_the_chains(runner: CliRunner, fisheries: Database) -> None:
    data = _cli_json(runner, fisheries, "diff", "2021", "2022", "2023", "--status", "vanished")
    assert {c["status"] for c in data["chains"]} == {"vanished"}
    grep = _cli_json(runner, fisheries, "diff", "2021", "2022", "2023", "--grep", "PATROL")
    (chain,) = grep["chains"]
    assert all("patrol" in s["claim"]["text"] for s in chain["steps"])


def test_history_text_markdown_and_html(
    runner: CliRunner, fisheries: Database, tmp_path: Path
) -> None:
    text = runner.invoke(cli, ["--db", fisheries.url, "history", "cod quota"]).output
    assert "2022  — not stated" in text
    assert "trajectory: 40,000 tonnes [cap] (2021) → 45,000 tonnes [cap] (2023)" in text
    md = runner.invoke(cli, ["--db", fisheries.url, "history", "cod quota", "--format", "markdown"])
    assert md.output.startswith("# History of “cod quota”")
    assert "- **2022**: *not stated*" in md.output
    out = tmp_path / "quota.html"
    runner.invoke(
        cli, ["--db", fisheries.url, "history", "cod quota", "--format", "html", "-o", str(out)]
    )
    page = out.read_text(encoding="utf-8")
    assert page.count('<article class="chain"') >= 1
    assert '<li class="gap"><span class="period">2022</span>' in page
    assert "<polyline points=" in page and "45,000 tonnes" in page
    assert "http://" not in page and "https://" not in page  # standalone


def test_history_spelling_variants_find_the_same_position(
    runner: CliRunner, seeded_db: Database
) -> None:
    a = _cli_json(runner, seeded_db, "history", "defense spending", "--limit", "1")
    b = _cli_json(runner, seeded_db, "history", "Defence Spending", "--limit", "1")
    assert a["chains"] == b["chains"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["diff", "2021"], "at least two selections"),
        (["diff", "2021", "2022", "2023", "--kind", "added"], "--kind needs exactly two"),
        (["diff", "2021", "2023", "--status", "stable"], "--status needs three or more"),
        (["diff", "2021", "2021", "2023"], "each selection may be given once"),
        (["diff", "2021", "2022", "1999"], "selection '1999' matches no brief"),
        (["history"], "give a QUERY or --claim ID"),
        (["history", "cod", "--claim", "1"], "give a QUERY or --claim ID"),
        (["history", "--claim", "99999"], "no claim with id 99999"),
        (["history", "volcanic ash"], "no claim matches 'volcanic ash'"),
    ],
)
def test_bad_requests_are_one_line_errors(
    runner: CliRunner, fisheries: Database, args: list[str], message: str
) -> None:
    result = runner.invoke(cli, ["--db", fisheries.url, *args])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_history_needs_two_snapshots(runner: CliRunner, tmp_path: Path) -> None:
    database = _store(tmp_path, {"2024-02-01": BRIEFS["2021-03-01"]})
    result = runner.invoke(cli, ["--db", database.url, "history", "cod quota"])
    assert result.exit_code != 0
    assert "all briefs fall in one year (2024)" in result.output
    by_brief = runner.invoke(cli, ["--db", database.url, "history", "cod quota", "--by", "month"])
    assert "all briefs fall in one month" in by_brief.output


# -- the HTML timeline in a parser and in a real browser --------------------------------------


def _chain_cards(page: str) -> list[dict[str, str | None]]:
    return [a for a in articles(parse(page)) if a.get("class") == "chain"]


def test_html_timeline_escapes_hostile_text(tmp_path: Path) -> None:
    hostile = {
        "2021-01-05": (
            '<img src=x onerror="alert(1)"> Levy review',
            "The council will cap the <script>alert('x')</script> landing fee at 300 euros.",
        ),
        "2022-01-05": ("Levy review 2022", "The council will cap the landing fee at 350 euros."),
        "2023-01-05": ("Levy review 2023", "The council will cap the landing fee at 400 euros."),
    }
    database = _store(tmp_path, hostile)
    page = render_timeline_html(timeline(database, ["2021", "2022", "2023"]))
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page or "alert(&#39;x&#39;)" in page
    assert page.count("<script>") == 1  # the page's own filter script only


@pytest.mark.browser
@pytest.mark.sqlite_only  # the page is the same whatever the store
def test_status_filter_search_and_topic_order_work_in_chromium(
    sample_db: Database, tmp_path: Path
) -> None:
    tl = timeline(sample_db, ["2021", "2023", "2024"])
    report = tmp_path / "timeline.html"
    report.write_text(render_timeline_html(tl), encoding="utf-8")
    url = report.as_uri()

    def shown(fragment: str) -> list[dict[str, str | None]]:
        dom = _browse(url + fragment, tmp_path, "--dump-dom")
        return [a for a in _chain_cards(dom) if "hidden" not in a]

    assert len(shown("")) == len(tl.chains)
    appeared = shown("#status=appeared")
    assert {a["data-status"] for a in appeared} == {"appeared"}
    assert len(appeared) == tl.summary["appeared"] > 0
    word = "reactors"
    expected = sum(
        1
        for c in tl.chains
        if any(word in s.claim.text.lower() for s in c.steps) or word in c.topic
    )
    assert len(shown(f"#q={word}")) == expected > 0
    # Ordered by topic, each status group's cards come out sorted by their topic label.
    by_topic = shown("#sort=topic")
    groups: dict[str, list[str]] = {}
    for a in by_topic:
        groups.setdefault(a["data-status"] or "", []).append(a["data-topic"] or "")
    assert all(topics == sorted(topics, key=str.lower) for topics in groups.values())
    assert any(
        topics != [c.topic for c in tl.chains if c.status == status]
        for status, topics in groups.items()
    ), "topic order differs from the default order somewhere"

    shot = tmp_path / "timeline.png"
    _browse(url, tmp_path, "--window-size=1280,1600", f"--screenshot={shot}")
    assert shot.stat().st_size > 10_000
    Path("build").mkdir(exist_ok=True)
    shutil.copy(shot, Path("build") / "timeline-screenshot-sample.png")


def test_trajectory_follows_the_continuing_figure_and_keeps_ranges(tmp_path: Path) -> None:
    database = _store(
        tmp_path,
        {
            "2021-02-01": (
                "Grid plan 2021",
                "Wind farms are to supply 36 to 38 percent of the island's power by 2030.",
            ),
            "2022-02-01": (
                "Grid plan 2022",
                "Wind farms supplied 22% of the island's power last year, short of the 36 to 38 "
                "percent goal for 2030.",
            ),
            "2023-02-01": (
                "Grid plan 2023",
                "Under the new plan, wind farms would supply 40 to 50 percent of the island's "
                "power by 2040.",
            ),
        },
    )
    tl = timeline(database, ["2021", "2022", "2023"])
    wind = _chain_with(tl, "Wind farms")
    assert len(wind.steps) == 3
    (series,) = wind.trajectory
    # 2022's headline figure is a measurement (22%); the series continues with the goal.
    assert [p.value for p in series.points] == [37, 37, 45]
    text = render_timeline(tl, "text")
    assert (
        "36 to 38 percent by 2030 (2021) → 36 to 38 percent by 2030 [goal] (2022) → "
        "40 to 50 percent by 2040 (2023)"
    ) in text


def test_report_order_puts_moved_figures_first_then_topics(sample_db: Database) -> None:
    tl = timeline(sample_db, ["2021", "2023", "2024"])
    for status in STATUSES:
        group = [c for c in tl.chains if c.status == status and len(c.steps) > 1]
        moved = [
            any(s.change is not None and "quantity" in s.change.aspects for s in c.steps)
            for c in group
        ]
        assert moved == sorted(moved, reverse=True)  # figures that moved lead their status
        for flag in (True, False):
            topics = [c.topic.lower() for c, m in zip(group, moved, strict=True) if m is flag]
            assert topics == sorted(topics)
    # Not vacuous: some chain has a figure that moved.
    assert any(
        "quantity" in (s.change.aspects if s.change else ()) for c in tl.chains for s in c.steps
    )
