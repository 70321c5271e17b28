"""`tracker serve` in a real browser: Debian's chromium driven by Selenium through
chromium-driver (scripts/ensure-chromium.sh installs both).

An analyst opens the diff of two sample years, rejects a pair, links a removed claim to an
added one through the claim picker, reviews one more pair from the queue with a key, and
reloads: the page and `tracker diff --format json` both show the decisions. Screenshots go
to build/.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT, SAMPLE
from tracker.cli import cli
from tracker.ingest import ingest_file
from tracker.store.db import open_database
from tracker.web.app import create_app
from tracker.web.security import Guard
from tracker.web.server import bind, url_of

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]
BUILD = ROOT / "build"


def _executable(*names: str) -> str | None:
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The sample corpus served on a free loopback port: (base URL, database file)."""
    database = open_database(str(tmp_path / "tracker.db"))
    for path in sorted(SAMPLE.iterdir()):
        ingest_file(database, path)
    app = create_app(database, Guard(host="127.0.0.1", token=None), reviewer="browser-test")
    server = bind(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url_of(server, "127.0.0.1", None), tmp_path / "tracker.db"
    finally:
        server.shutdown()
        server.server_close()
        database.engine.dispose()


@pytest.fixture
def driver(tmp_path: Path) -> Iterator[Any]:
    browser = _executable("chromium", "chromium-browser")
    chromedriver = _executable("chromedriver")
    if browser is None or chromedriver is None:
        pytest.skip(
            "chromium and chromium-driver not installed (scripts/ensure-chromium.sh installs them)"
        )
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1100,900",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        options.add_argument(arg)
    # The driver's path is given, so Selenium Manager never looks for (or downloads) one.
    chrome = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    chrome.set_page_load_timeout(120)
    try:
        yield chrome
    finally:
        chrome.quit()


def _ids(card: Any) -> tuple[int, int]:
    """The (old, new) claim ids of the first verdict form of a card."""
    from selenium.webdriver.common.by import By

    form = card.find_element(By.CSS_SELECTOR, "form.verdict")
    return int(form.get_attribute("data-old")), int(form.get_attribute("data-new"))


def _pick_id(card: Any) -> tuple[str, int]:
    """The side and claim id of a card's "link to another claim" link."""
    from urllib.parse import parse_qs, urlsplit

    from selenium.webdriver.common.by import By

    href = card.find_element(By.CSS_SELECTOR, "a.pick").get_attribute("href")
    query = parse_qs(urlsplit(href).query)
    side = "old" if "old" in query else "new"
    return side, int(query[side][0])


def _replaced(driver: Any, html: Any) -> None:
    """Wait until the page whose root element is ``html`` has been replaced by the next one,
    and that one has finished loading (its scripts bound their keys).

    Selenium's ``staleness_of`` knows only StaleElementReferenceException, but Chromium
    sometimes answers a question about a node of the document being replaced with "Node
    with given id does not belong to the document": that is the same news.
    """
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    def gone(_: Any) -> bool:
        try:
            html.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as exc:
            if "does not belong to the document" in str(exc):
                return True
            raise
        return False

    wait = WebDriverWait(driver, 60)
    wait.until(gone)
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")


def _submit(driver: Any, element: Any) -> None:
    """Click ``element`` and wait until the page it leads to has replaced this one."""
    html = driver.find_element("tag name", "html")
    element.click()
    _replaced(driver, html)


def _submit_by_key(driver: Any, key: str) -> None:
    """Type ``key`` on the page and wait until the form it submitted has answered."""
    html = driver.find_element("tag name", "html")
    driver.find_element("tag name", "body").send_keys(key)
    _replaced(driver, html)


def _decisions(driver: Any) -> set[tuple[str, int, int]]:
    from selenium.webdriver.common.by import By

    rows = driver.find_elements(By.CSS_SELECTOR, "tr.decision")
    return {
        (
            r.get_attribute("data-verdict"),
            int(r.get_attribute("data-old")),
            int(r.get_attribute("data-new")),
        )
        for r in rows
    }


def _shot(driver: Any, name: str) -> Path:
    from selenium.common.exceptions import TimeoutException

    BUILD.mkdir(exist_ok=True)
    path = BUILD / name
    try:
        saved = driver.save_screenshot(str(path))
    except TimeoutException:
        # Chromium gives a capture 10 s, a limit of its own; on a machine busy with other
        # work one capture can miss it, and the page is then still there to capture again.
        saved = driver.save_screenshot(str(path))
    assert saved
    assert path.stat().st_size > 10_000
    return path


def test_review_in_the_browser_and_the_cli_honours_it(
    served: tuple[str, Path], driver: Any, runner: CliRunner
) -> None:
    from selenium.webdriver.common.by import By

    base, db_file = served
    diff_url = base + "diff?from=2021&to=2024"
    driver.get(diff_url)
    assert "How positions changed: 2021 → 2024" in driver.title or "2021" in driver.title
    _shot(driver, "serve-diff.png")

    # Reject the first modified pair.
    modified = driver.find_element(By.CSS_SELECTOR, "article.change[data-kind=modified]")
    rejected = _ids(modified)
    _submit(driver, modified.find_element(By.CSS_SELECTOR, "button[value=different]"))
    assert driver.current_url == diff_url
    assert ("different", *rejected) in _decisions(driver)

    # Link a removed claim to an added one through the claim picker: a removed claim whose
    # best candidate (its lead, below the threshold) is an added claim, the case a reviewer
    # meets most.
    added_ids = {
        _pick_id(card)[1]
        for card in driver.find_elements(By.CSS_SELECTOR, "article.change[data-kind=added]")
    }
    candidates = [
        (card, _ids(card))
        for card in driver.find_elements(By.CSS_SELECTOR, "article.change[data-kind=removed]")
        if card.find_elements(By.CSS_SELECTOR, "form.verdict")
    ]
    removed, (removed_id, target) = next((c, ids) for c, ids in candidates if ids[1] in added_ids)
    assert _pick_id(removed) == ("old", removed_id)
    _submit(driver, removed.find_element(By.CSS_SELECTOR, "a.pick"))
    assert "/pick?" in driver.current_url
    choice = driver.find_element(By.CSS_SELECTOR, f"tr.choice[data-claim='{target}']")
    _shot(driver, "serve-picker.png")
    _submit(driver, choice.find_element(By.CSS_SELECTOR, "button[value=same]"))
    assert driver.current_url == diff_url

    # One more from the review queue, by keyboard (the script presses the button).
    driver.get(base + "queue?from=2021&to=2024")
    items = driver.find_elements(By.CSS_SELECTOR, ".q-item")
    assert items and "current" in (items[0].get_attribute("class") or "")
    queued = _ids(items[0])
    _shot(driver, "serve-queue.png")
    _submit_by_key(driver, "r")
    assert len(driver.find_elements(By.CSS_SELECTOR, ".q-item")) == len(items) - 1
    # u takes it back (the history keeps both rows); r again records it for good.
    assert driver.find_elements(By.CSS_SELECTOR, ".undo-last")
    _submit_by_key(driver, "u")
    assert len(driver.find_elements(By.CSS_SELECTOR, ".q-item")) == len(items)
    assert _ids(driver.find_elements(By.CSS_SELECTOR, ".q-item")[0]) == queued
    _submit_by_key(driver, "r")
    assert len(driver.find_elements(By.CSS_SELECTOR, ".q-item")) == len(items) - 1

    # Reload the diff: the decisions are there, and the linked pair is one change now.
    driver.get(diff_url)
    driver.refresh()
    assert {
        ("different", *rejected),
        ("same", removed_id, target),
        ("related", *queued),
    } <= _decisions(driver)
    linked = [
        card
        for card in driver.find_elements(By.CSS_SELECTOR, "article.change")
        if card.find_elements(By.CSS_SELECTOR, "form.verdict")
        and _ids(card) == (removed_id, target)
    ]
    assert len(linked) == 1 and "reviewed: same" in linked[0].text
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", linked[0])
    _shot(driver, "serve-reviewed.png")
    # A small one for the README (docs/serve-review.png is a copy).
    driver.set_window_size(960, 600)
    # Below the sticky filter bar, so the card's header (with its "reviewed" tag) shows.
    driver.execute_script(
        "arguments[0].scrollIntoView(true);"
        "window.scrollBy(0, -document.querySelector('form.controls').offsetHeight - 12);",
        linked[0],
    )
    _shot(driver, "serve-readme.png")

    # The command line reads the same store and honours the same decisions.
    out = runner.invoke(cli, ["--db", str(db_file), "diff", "2021", "2024", "--format", "json"])
    assert out.exit_code == 0, out.output
    changes = json.loads(out.output)["changes"]

    def pair(c: dict[str, Any]) -> tuple[int | None, int | None]:
        return (c["old"] or {}).get("claim_id"), (c["new"] or {}).get("claim_id")

    by_pair = {pair(c): c for c in changes}
    assert by_pair[(removed_id, target)]["review"]["verdict"] == "same"
    assert by_pair[(removed_id, target)]["review"]["by"] == "browser-test"
    assert rejected not in by_pair  # never paired again
    assert by_pair[queued]["review"]["verdict"] == "related"
