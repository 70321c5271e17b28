"""A new user's install: ``pip install`` of the checkout with the pip that ships with Python.

``make`` upgrades pip before installing, so the other tests never see what an older pip
leaves out (issue #15: pip 23.x skipped lxml_html_clean, and every HTML page then failed with
an ImportError). This test builds a fresh venv without upgrading pip, installs the checkout
(a plain install, dependencies from the package index), and ingests an HTML page with the
installed ``tracker``. It takes about half a minute, once per run (deselect it with
``-m "not install"``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

# A page written for this test: an article with a date in its metadata.
PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>Ferry timetable review</title>
<meta name="date" content="2022-05-17"></head>
<body><article><h1>Ferry timetable review</h1>
<p>The island council will add a second daily ferry to the northern harbour from next spring.</p>
<p>Fares for residents are to stay at the level set in 2019, the council said on Tuesday.</p>
<p>The operator expects the extra crossings to cost about 1.2 million euros a year.</p>
</article></body></html>
"""

# Guards against a hung download, not a measurement: the install takes 20-40 s here.
INSTALL_TIMEOUT = 170


def _run(
    args: list[str], *, cwd: Path | None = None, timeout: float | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, capture_output=True, text=True, check=False, cwd=cwd, timeout=timeout
    )


@pytest.mark.install
def test_the_stock_pip_installs_a_tracker_that_reads_html(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    made = _run([sys.executable, "-m", "venv", str(venv)])
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    pip = _run([str(python), "-m", "pip", "--version"])
    assert pip.returncode == 0, pip.stderr
    installed = _run(
        [str(python), "-m", "pip", "install", "--quiet", str(ROOT)],
        timeout=INSTALL_TIMEOUT,
    )
    assert installed.returncode == 0, f"{pip.stdout}{installed.stderr[-3000:]}"

    page = tmp_path / "ferry.html"
    page.write_text(PAGE, encoding="utf-8")
    ingest = _run(
        [str(venv / "bin" / "tracker"), "--db", str(tmp_path / "t.db"), "ingest", str(page)],
        cwd=tmp_path,
    )
    assert ingest.returncode == 0, f"{pip.stdout}{ingest.stdout}{ingest.stderr[-3000:]}"
    assert "Traceback" not in ingest.stderr
    assert "brief 1 (2022-05-17," in ingest.stdout
    assert ingest.stdout.splitlines()[-1] == "1 stored, 0 already present, 0 failed"
