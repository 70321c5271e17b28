"""`tracker serve` through Flask's test client: every page on the sample corpus, reviews and
metadata edits by POST, hostile brief text, the access token, CSRF and the Host check."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from tests.conftest import SAMPLE
from tests.test_html_report import parse
from tracker.app.browse import text_pieces
from tracker.app.diffs import diff
from tracker.app.review import review_queue, reviewed_diff
from tracker.cli import cli
from tracker.ingest import ingest_file
from tracker.store.db import Database, open_database
from tracker.web.app import create_app
from tracker.web.security import TOKEN_COOKIE, Guard, is_loopback, safe_next

pytestmark = pytest.mark.sqlite_only


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file holding the sample corpus, copied by each test that writes."""
    folder = tmp_path_factory.mktemp("serve-sample")
    database = open_database(str(folder / "tracker.db"))
    for path in sorted(SAMPLE.iterdir()):
        ingest_file(database, path)
    database.engine.dispose()  # checkpoints the WAL: the file alone is the store
    return folder / "tracker.db"


@pytest.fixture
def store(sample_file: Path, tmp_path: Path) -> Iterator[Database]:
    shutil.copy(sample_file, tmp_path / "tracker.db")
    database = open_database(str(tmp_path / "tracker.db"))
    yield database
    database.engine.dispose()


def client_for(database: Database, guard: Guard) -> FlaskClient:
    return create_app(database, guard, reviewer="tester").test_client()


@pytest.fixture
def guard() -> Guard:
    return Guard(host="127.0.0.1", token=None)


@pytest.fixture
def client(store: Database, guard: Guard) -> FlaskClient:
    return client_for(store, guard)


def page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.data[:500])
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def pick_ids(html: str, side: str) -> list[int]:
    """The claim ids of the "link to another claim" links of one side ("old"/"new")."""
    return [
        int(m) for m in re.findall(rf'href="/pick\?from=2021&amp;to=2024&amp;{side}=(\d+)"', html)
    ]


# -- pages ---------------------------------------------------------------------------------


def test_every_page_answers_on_the_sample_corpus(client: FlaskClient) -> None:
    for url in (
        "/",
        "/briefs",
        "/briefs/1",
        "/diff",
        "/diff?from=2021&to=2024",
        "/queue?from=2021&to=2024",
        "/pick?from=2021&to=2024&old=1",
        "/pick?from=2021&to=2024&old=1&q=coal",
        "/history",
        "/history?q=renewables+share",
        "/search?q=nuclear",
        "/runs",
    ):
        html = page(client, url)
        assert '<nav class="site"' in html
    assert client.get("/briefs/999").status_code == 404
    assert client.get("/runs/5").status_code == 404
    assert client.get("/no-such-page").status_code == 404


def test_briefs_filter_by_year_and_source(client: FlaskClient) -> None:
    def ids(html: str) -> list[str]:
        return re.findall(r'<a href="/briefs/(\d+)">', html)

    assert ids(page(client, "/briefs")) == ["1", "2", "3", "4", "5", "6"]
    assert ids(page(client, "/briefs?year=2023")) == ["3", "4"]
    assert ids(page(client, "/briefs?source=kestrel+policy+institute")) == ["2"]
    assert ids(page(client, "/briefs?year=2024&source=Kestrel+Policy+Institute")) == []
    assert client.get("/briefs?year=twenty").status_code == 400


def test_brief_page_highlights_every_claim_span(client: FlaskClient, store: Database) -> None:
    from sqlalchemy.orm import Session

    from tracker.store.repo import get_brief

    html = page(client, "/briefs/2")
    with Session(store.engine) as session:
        brief = get_brief(session, 2)
        assert brief is not None
        claims = [(c.id, c.text, brief.text[c.start : c.end]) for c in brief.claims]
    dom = parse(html)
    anchors = {
        a.get("id") for t, a in dom.tags if t == "span" and (a.get("id") or "").startswith("claim-")
    }
    assert anchors == {f"claim-{cid}" for cid, _, _ in claims}
    marked = [a for t, a in dom.tags if t == "mark"]
    covered = {int(x) for a in marked for x in (a.get("data-claims") or "").split()}
    assert covered == {cid for cid, _, _ in claims}
    # The whole stored text is on the page, spans and all.
    assert "Sixth Strategic Energy Plan" in html


def test_text_pieces_cut_overlapping_spans() -> None:
    pieces = text_pieces("abcdefghij", [(1, 0, 4), (2, 2, 6), (3, 8, 10)])
    assert [(p.text, p.claims, p.starts) for p in pieces] == [
        ("ab", (1,), (1,)),
        ("cd", (1, 2), (2,)),
        ("ef", (2,), ()),
        ("gh", (), ()),
        ("ij", (3,), (3,)),
    ]
    assert "".join(p.text for p in pieces) == "abcdefghij"


def test_metadata_form_corrects_date_title_and_source(client: FlaskClient, guard: Guard) -> None:
    form = {"csrf": guard.csrf, "date": "2023-06", "title": "GX bonds, corrected", "source": ""}
    response = client.post("/briefs/3/edit", data=form)
    assert response.status_code == 303
    assert response.headers["Location"] == "/briefs/3?saved=date%2Ctitle"
    html = page(client, "/briefs/3")
    assert "<h1>GX bonds, corrected</h1>" in html and ">2023-06</time>" in html
    # The same store the CLI reads.
    listed = page(client, "/briefs?year=2023")
    assert "GX bonds, corrected" in listed
    bad = client.post("/briefs/3/edit", data={**form, "date": "2023-02-30"})
    assert bad.status_code == 400 and "2023-02-30" in bad.get_data(as_text=True)


def test_diff_page_is_the_change_report_with_review_controls(
    client: FlaskClient, store: Database
) -> None:
    result = diff(store.engine, "2021", "2024")
    html = page(client, "/diff?from=2021&to=2024")
    cards = [a for t, a in parse(html).tags if t == "article"]
    assert len(cards) == len(result.changes)
    pairs = sum(c.old is not None and c.new is not None for c in result.changes)
    assert html.count('action="/review"') >= pairs
    assert len(pick_ids(html, "old")) == sum(c.old is not None for c in result.changes)
    assert len(pick_ids(html, "new")) == sum(c.old is None for c in result.changes)
    assert "No decision yet" in html
    # The report's own filters script is there, admitted by the page's nonce.
    nonce = re.search(
        r"script-src 'nonce-([^']+)'", client.get("/").headers["Content-Security-Policy"]
    )
    assert nonce and '<script nonce="' in html


def test_reviewing_by_post_shows_on_the_diff_and_in_the_queue(
    client: FlaskClient, guard: Guard, store: Database
) -> None:
    result = reviewed_diff(store.engine, "2021", "2024")
    items = review_queue(result)
    assert len(items) > 2, "the sample diff has pairs and leads to review"
    queue = page(client, "/queue?from=2021&to=2024")
    # The CLI's order: the first item of the page is the first of tracker review's queue.
    shown = re.findall(
        r'name="old_id" value="(\d+)">\s*<input type="hidden" name="new_id" value="(\d+)"', queue
    )
    assert shown[: len(items)] == [(str(i.old.id), str(i.new.id)) for i in items]
    first = items[0]
    before = queue.count('class="q-item"')
    assert before == len(items)
    response = client.post(
        "/review",
        data={
            "csrf": guard.csrf,
            "old_id": first.old.id,
            "new_id": first.new.id,
            "verdict": "different",
            "note": "not the same target",
            "next": "/queue?from=2021&to=2024",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/queue?from=2021&to=2024"
    queue = page(client, "/queue?from=2021&to=2024")
    assert queue.count('class="q-item"') == before - 1
    html = page(client, "/diff?from=2021&to=2024")
    row = re.search(
        r'<tr class="decision" data-verdict="(\w+)" data-old="(\d+)" data-new="(\d+)">', html
    )
    assert row and row.groups() == ("different", str(first.old.id), str(first.new.id))
    assert "not the same target" in html and "tester" in html
    # The queue's own forms come back with an undo of the verdict just given.
    own = re.search(r'name="next" value="(/queue\?[^"]*undo=[^"]*)"', queue)
    assert own is not None
    offered = page(client, own.group(1).replace("&amp;", "&"))
    assert 'class="notice undo-last"' in offered and 'action="/review/undo"' in offered
    # Undo withdraws it: the pair is back in the queue, the history keeps both rows.
    undo = {"csrf": guard.csrf, "old_id": first.old.id, "new_id": first.new.id, "next": "/"}
    assert client.post("/review/undo", data=undo).status_code == 303
    assert page(client, "/queue?from=2021&to=2024").count('class="q-item"') == before
    assert "No decision yet" in page(client, "/diff?from=2021&to=2024")


def test_confirming_a_lead_pairs_it_in_the_diff(
    client: FlaskClient, guard: Guard, store: Database
) -> None:
    result = reviewed_diff(store.engine, "2021", "2024")
    lead = next(i for i in review_queue(result) if i.source == "lead")
    form = {"csrf": guard.csrf, "old_id": lead.old.id, "new_id": lead.new.id, "verdict": "same"}
    assert client.post("/review", data=form).status_code == 303
    paired = reviewed_diff(store.engine, "2021", "2024")
    change = next(c for c in paired.changes if c.old and c.new and c.old.id == lead.old.id)
    assert change.new is not None and change.new.id == lead.new.id
    assert change.review is not None and change.review.verdict == "same"
    html = page(client, "/diff?from=2021&to=2024")
    assert "reviewed: same" in html


def test_review_rejects_bad_verdicts_and_unsafe_redirects(
    client: FlaskClient, guard: Guard
) -> None:
    form = {"csrf": guard.csrf, "old_id": "1", "new_id": "80", "verdict": "maybe"}
    assert client.post("/review", data=form).status_code == 400
    form = {**form, "verdict": "same", "next": "//evil.example/x"}
    response = client.post("/review", data=form)
    assert response.status_code == 303 and response.headers["Location"] == "/"
    for bad in ("https://evil.example/", "javascript:alert(1)", "/\\evil.example", "", None):
        assert safe_next(bad) == "/"
    assert safe_next("/diff?from=2021&to=2024") == "/diff?from=2021&to=2024"


def test_picker_searches_the_other_selection(client: FlaskClient) -> None:
    html = page(client, "/pick?from=2021&to=2024&old=1&q=nuclear")
    offered = [int(x) for x in re.findall(r'<tr class="choice" data-claim="(\d+)">', html)]
    assert offered and all(cid > 72 for cid in offered)  # claims of the 2024 briefs only
    assert all('name="old_id" value="1"' in html for _ in offered)
    assert client.get("/pick?from=2021&to=2024").status_code == 400


def test_history_search_and_runs_pages(client: FlaskClient) -> None:
    html = page(client, "/history?q=renewables+share")
    assert 'class="chain"' in html and "<svg" in html and 'class="trajectory"' in html
    html = page(client, "/history?claim=20")
    assert "History of claim 20" in html
    html = page(client, "/search?q=nuclear+power")
    assert html.count('class="search-hit"') >= 2 and "<mark>" in html


# -- security ------------------------------------------------------------------------------


HOSTILE = [
    "<script>alert('brief')</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(2)",
]


def _hostile_store(tmp_path: Path) -> Database:
    database = open_database(str(tmp_path / "tracker.db"))
    for year, share in ((2030, 5), (2031, 7)):
        body = (
            f"---\ntitle: \"<script>alert('title')</script> {year}\"\n"
            f'source: \'" onmouseover="alert(3)\'\nurl: "javascript:alert(4)"\n'
            f"date: {year}-03-01\n---\n"
            f"The council will raise the harbour levy to {share} percent by 2035, it said "
            f"<script>alert('brief')</script> in its plan.\n\n"
            f'Ferries are to run every hour from May "><img src=x onerror=alert(1)> onwards.\n\n'
            f"Details are at javascript:alert(2) and nowhere else in the document.\n"
        )
        path = tmp_path / f"{year}.txt"
        path.write_text(body, encoding="utf-8")
        ingest_file(database, path)
    return database


def assert_inert(html: str) -> None:
    dom = parse(html)
    scripts = [a for t, a in dom.tags if t == "script"]
    assert len(scripts) <= 1 and all(a.get("nonce") for a in scripts)
    for tag, attrs in dom.tags:
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        assert tag not in ("img", "iframe", "object", "embed")
        for name in ("href", "src", "action"):
            assert not (attrs.get(name) or "").strip().lower().startswith("javascript:"), attrs


def test_hostile_brief_text_is_inert_in_every_page(tmp_path: Path, guard: Guard) -> None:
    database = _hostile_store(tmp_path)
    client = client_for(database, guard)
    result = diff(database.engine, "2030", "2031")
    assert any(c.old and c.new for c in result.changes)
    old_id = next(c.old.id for c in result.changes if c.old is not None)
    client.post(
        "/review",
        data={
            "csrf": guard.csrf,
            "old_id": old_id,
            "new_id": old_id + 3,
            "verdict": "related",
            "note": "<script>alert(5)</script>",
        },
    )
    seen = ""
    for url in (
        "/",
        "/briefs",
        "/briefs/1",
        "/briefs/2",
        "/diff?from=2030&to=2031",
        "/queue?from=2030&to=2031",
        f"/pick?from=2030&to=2031&old={old_id}",
        f"/pick?from=2030&to=2031&old={old_id}&q=ferries",
        "/history?q=harbour+levy",
        f"/history?claim={old_id}",
        "/search?q=ferries",
        "/search?q=%3Cscript%3Ealert(6)%3C/script%3E",
    ):
        html = page(client, url)
        assert_inert(html)
        seen += html
    # The hostile text is shown, as text (not dropped on the way).
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in seen
    assert "onerror=alert(1)" in seen and "&lt;img src=x" in seen
    assert "&lt;script&gt;alert(5)&lt;/script&gt;" in seen


def test_security_headers_on_every_answer(client: FlaskClient) -> None:
    for url in ("/", "/diff?from=2021&to=2024", "/nope"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert (
            "script-src 'nonce-" in csp
            and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        )
        assert (
            headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
        )


def test_post_without_csrf_token_is_refused(
    client: FlaskClient, guard: Guard, store: Database
) -> None:
    form = {"old_id": "1", "new_id": "80", "verdict": "same"}
    assert client.post("/review", data=form).status_code == 403
    assert client.post("/review", data={**form, "csrf": "guess"}).status_code == 403
    assert (
        client.post("/briefs/3/edit", data={"date": "2020", "title": "x", "source": ""}).status_code
        == 403
    )
    other_site = client.post(
        "/review", data={**form, "csrf": guard.csrf}, headers={"Origin": "http://evil.example"}
    )
    assert other_site.status_code == 403
    html = page(client, "/diff?from=2021&to=2024")
    assert "No decision yet" in html  # nothing refused was recorded
    assert client.get("/briefs/3").get_data(as_text=True).count("<h1>Japan&#39;s GX Law") == 1


def test_loopback_server_answers_loopback_host_names_only(client: FlaskClient) -> None:
    assert client.get("/", headers={"Host": "127.0.0.1:8765"}).status_code == 200
    assert client.get("/", headers={"Host": "localhost:8765"}).status_code == 200
    assert client.get("/", headers={"Host": "[::1]:8765"}).status_code == 200
    # A page of another site whose name was re-pointed at 127.0.0.1 (DNS rebinding).
    assert client.get("/", headers={"Host": "rebind.evil.example:8765"}).status_code == 400
    assert is_loopback("127.0.0.2") and is_loopback("::1") and not is_loopback("0.0.0.0")


def test_request_without_token_is_refused_beyond_loopback(store: Database) -> None:
    guard = Guard(host="0.0.0.0", token="s3cret-token")
    client = client_for(store, guard)
    assert client.get("/").status_code == 403
    assert client.get("/diff?from=2021&to=2024").status_code == 403
    assert client.get("/?token=wrong").status_code == 403
    assert (
        client.post(
            "/review", data={"csrf": guard.csrf, "old_id": "1", "new_id": "80", "verdict": "same"}
        ).status_code
        == 403
    )
    # The token once in the URL becomes a cookie; the redirect drops it from the address.
    response = client.get("/briefs?year=2021&token=s3cret-token")
    assert response.status_code == 302 and response.headers["Location"] == "/briefs?year=2021"
    assert f"{TOKEN_COOKIE}=s3cret-token" in response.headers["Set-Cookie"]
    assert (
        "HttpOnly" in response.headers["Set-Cookie"]
        and "SameSite=Strict" in response.headers["Set-Cookie"]
    )
    assert client.get("/briefs?year=2021").status_code == 200
    fresh = client_for(store, guard)
    fresh.set_cookie(TOKEN_COOKIE, "wrong")
    assert fresh.get("/").status_code == 403


# -- the command ---------------------------------------------------------------------------


def _start(args: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    """Start ``tracker serve`` and wait for the line with its URL: (process, url)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = re.search(r"(http://\S+)", line)
    if match is None:
        proc.kill()
        raise AssertionError(f"no URL printed: {line!r} {proc.communicate()[1]!r}")
    return proc, match.group(1)


def _stop(proc: subprocess.Popen[str]) -> str:
    proc.terminate()
    _out, err = proc.communicate(timeout=30)
    return err


def test_serve_prints_a_url_that_answers(sample_file: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc, url = _start(["--db", str(sample_file), "serve", "--port", "0"], env)
    try:
        assert url.startswith("http://127.0.0.1:") and "token" not in url
        answer = httpx.get(url + "briefs", timeout=30)
        assert answer.status_code == 200 and "Japan" in answer.text
    finally:
        _stop(proc)


def test_serve_beyond_loopback_generates_and_checks_a_token(sample_file: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc, url = _start(["--db", str(sample_file), "serve", "--host", "0.0.0.0", "--port", "0"], env)
    try:
        base, token = url.split("?token=")
        assert len(token) >= 32
        assert httpx.get(base + "briefs", timeout=30).status_code == 403
        with httpx.Client(base_url=base, timeout=30, follow_redirects=True) as browser:
            answer = browser.get("/", params={"token": token})
            assert answer.status_code == 200 and str(answer.url) == base
            assert browser.get("/briefs").status_code == 200  # the cookie carries it now
    finally:
        err = _stop(proc)
    assert f"access token (generated): {token}" in err


def test_serve_refuses_a_missing_database(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["--db", str(tmp_path / "nothing.db"), "serve"])
    assert result.exit_code == 1 and "no such database" in result.output
    assert not (tmp_path / "nothing.db").exists()


def test_runs_pages_list_runs_and_their_failures(client: FlaskClient, store: Database) -> None:
    from tracker.store.runs import finish_run, start_run

    run_id = start_run(store.engine)
    failure = {
        "source": "https://feeds.example/x.xml",
        "item": "https://feeds.example/2",
        "reason": "HTTP 404 <b>gone</b>",
    }
    finish_run(store.engine, run_id, new=2, unchanged=3, failed=1, exit_status=1, errors=[failure])
    listed = page(client, "/runs")
    assert f'<a href="/runs/{run_id}">{run_id}</a>' in listed and "exit 1" in listed
    one = page(client, f"/runs/{run_id}")
    assert "2 new, 3 unchanged, 1 failed" in one
    assert "HTTP 404 &lt;b&gt;gone&lt;/b&gt;" in one and "https://feeds.example/2" in one
