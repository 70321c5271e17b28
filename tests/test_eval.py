"""Matching quality, measured exactly as ../shared/eval/score.py measures it (through the CLI).

The floors below are the scores this engine reaches today (see benchmarks/README.md); a change
that lowers either fails here. They are floors, not targets: raise them when the engine
improves. The held-out gold is scored elsewhere, so nothing here is tuned to listed strings.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA, SAMPLE, SHARED

DEV_FLOOR = 15
SAMPLE_FLOOR = 19


def _tracker() -> str:
    exe = Path(sys.executable).parent / "tracker"
    if not exe.exists():
        pytest.skip("the tracker console script is not installed in this environment")
    return str(exe)


def _score(gold: Path, seeds: Path) -> tuple[int, int, str]:
    scorer = SHARED / "eval" / "score.py"
    if not scorer.exists():
        pytest.skip(f"{scorer} not found (CI has ../shared beside the repo)")
    proc = subprocess.run(
        [
            sys.executable,
            str(scorer),
            "--tracker",
            _tracker(),
            "--gold",
            str(gold),
            "--seeds",
            str(seeds),
            "-v",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    match = re.search(r"gold pairs right: (\d+)/(\d+)", proc.stdout)
    assert match, proc.stdout + proc.stderr
    return int(match.group(1)), int(match.group(2)), proc.stdout


def test_dev_gold_on_the_seed_briefs() -> None:
    right, total, report = _score(SHARED / "eval" / "dev_gold.json", SHARED / "seeds")
    assert total == 16
    assert right >= DEV_FLOOR, report


def test_sample_gold_on_the_sample_corpus(tmp_path: Path) -> None:
    # score.py ingests from a folder with a manifest; the sample briefs carry their own
    # titles, so the manifest only repeats the date each file name starts with.
    briefs = []
    for path in sorted(SAMPLE.iterdir()):
        shutil.copy(path, tmp_path / path.name)
        briefs.append({"file": path.name, "date": path.name[:10], "title": path.stem[11:]})
    (tmp_path / "manifest.json").write_text(json.dumps({"briefs": briefs}), encoding="utf-8")
    right, total, report = _score(DATA / "sample_gold.json", tmp_path)
    assert total == 20
    assert right >= SAMPLE_FLOOR, report
