"""How the comparison engine scales: time and peak memory of one diff of N old × N new claims.

Claims are real sentences of UK party manifestos (../shared/datasets/manifestosentsUK, column
``texts``, sentences of at least 8 words, deduplicated). The old side is N of them, stored as a
few briefs dated 2020. The new side (a few briefs dated 2024, shuffled) holds N claims: 70%
are mutations of distinct old claims (0–3 edits: two adjacent words swapped, a word dropped, a
word replaced by one from another sentence, a number changed; 10% are exact copies) and 30%
are unrelated sentences. The other 30% of old claims have no counterpart.

The corpus holds about 67k distinct sentences of 8+ words. When 1.3·N exceeds that, each side
is topped up with splices of its own sentences (the first part of one + the rest of another,
each sentence head and tail used about once), so the two sides never share text by accident.

Each size runs in two fresh subprocesses: one builds the SQLite database (ClaimDrafts built
directly, one per sentence, and stored with ``tracker.store.repo.add_brief`` in one session),
the other opens it and times ``tracker.app.diffs.diff(db, "2020", "2024")`` end to
end (loading + comparing). Peak RSS (``ru_maxrss``) is that second process's, so it covers
imports + loading + the diff and nothing of the setup.

Quality check: the share of mutated new claims that the diff pairs with the old claim they
were made from (as one-to-one, split or merge, or through a near-duplicate group), and the
share of unrelated new claims that it pairs with anything, two ways (lower is better):

- over all unrelated new claims (the 30%): some of them restate an old position in other
  words, so a perfect matcher does not score 0 here;
- over the unrelated new claims unlike anything in the old year, defined as issue #13's hidden
  benchmark does: the largest TF-IDF cosine to every old claim is below 0.35 (scikit-learn
  ``TfidfVectorizer`` with English stop words, fitted on the old and new texts of the diff;
  the largest cosine is sparse_dot_topn's top-1). Pairing one of these is a wrong pair.

A TF-IDF peer runs in the same invocation on the same database, in its own fresh process:
it loads both selections as the diff does, fits a plain ``TfidfVectorizer`` (English stop
words) on the claim texts, takes each new claim's top-1 old claim (sparse_dot_topn), keeps
pairs with cosine >= 0.5 and makes them one-to-one greedily (best cosine first). Its time,
peak memory, re-pairing and unrelated-paired use the same definitions as the engine's.

    .venv/bin/python benchmarks/diff_scale.py                      # 10k, 30k, 100k
    .venv/bin/python benchmarks/diff_scale.py --sizes 2000,5000
    .venv/bin/python benchmarks/diff_scale.py --profile 100000     # cProfile of one diff
    .venv/bin/python benchmarks/diff_scale.py --sizes 30000 --stages   # + time per stage
    .venv/bin/python benchmarks/diff_scale.py --sizes 10000 --pairs DIR   # every pair, to diff
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from _common import DATASETS, BriefSpec, peak_rss_mb, require, store_briefs

CORPUS = DATASETS / "manifestosentsUK" / "manifestosentsUK.csv.gz"
MIN_WORDS = 8
MUTATED_SHARE = 0.7
# Number of edits applied to a mutated claim: 0 (an exact copy) to 3.
EDIT_WEIGHTS = {0: 0.1, 1: 0.4, 2: 0.3, 3: 0.2}
_NUMBER = re.compile(r"\d+")
# Issue #13: an unrelated new sentence is "unlike anything in the old year" when its TF-IDF
# cosine to every old claim is below this.
UNLIKE_COSINE = 0.35
# The TF-IDF peer pairs a new claim with its top-1 old claim at or above this cosine.
PEER_CUTOFF = 0.5


# --------------------------------------------------------------------------------------
# Synthesis.


def load_sentences() -> list[str]:
    """Distinct corpus sentences of at least MIN_WORDS words, whitespace collapsed, in order."""
    with gzip.open(require(CORPUS), "rt", encoding="utf-8", newline="") as fh:
        texts = (" ".join(row["texts"].split()) for row in csv.DictReader(fh))
        return list(dict.fromkeys(t for t in texts if len(t.split()) >= MIN_WORDS))


def top_up(pool: list[str], need: int, rng: random.Random) -> list[str]:
    """``pool`` extended to ``need`` distinct sentences with splices of its own sentences."""
    out = list(pool)
    seen = set(out)
    rounds = 0
    while len(out) < need:
        rounds += 1
        if rounds > 20:
            raise RuntimeError(f"cannot synthesise {need} distinct sentences from {len(pool)}")
        heads = list(pool)
        tails = list(pool)
        rng.shuffle(tails)
        for head, tail in zip(heads, tails, strict=True):
            if len(out) >= need:
                break
            hw, tw = head.split(), tail.split()
            cut_h = max(4, round(len(hw) * rng.uniform(0.4, 0.6)))
            cut_t = min(len(tw) - 4, round(len(tw) * rng.uniform(0.4, 0.6)))
            text = " ".join(hw[:cut_h] + tw[cut_t:])
            if head is not tail and text not in seen:
                seen.add(text)
                out.append(text)
    return out


def _change_number(token: str, rng: random.Random) -> str:
    match = _NUMBER.search(token)
    assert match is not None
    n = int(match.group())
    new = n + max(1, round(n * rng.uniform(0.1, 0.5))) * rng.choice((1, -1) if n > 1 else (1,))
    return token[: match.start()] + str(new) + token[match.end() :]


def mutate(sentence: str, donor: str, rng: random.Random) -> str:
    """Apply 0–3 random edits (swap, drop, replace, number) to a sentence."""
    words = sentence.split()
    donor_words = donor.split()
    edits = rng.choices(list(EDIT_WEIGHTS), weights=list(EDIT_WEIGHTS.values()))[0]
    for _ in range(edits):
        numbers = [i for i, w in enumerate(words) if _NUMBER.search(w)]
        ops = ["swap", "drop", "replace"] + ["number"] * (3 if numbers else 0)
        op = rng.choice(ops)
        if op == "number":
            i = rng.choice(numbers)
            words[i] = _change_number(words[i], rng)
        elif op == "swap":
            i = rng.randrange(len(words) - 1)
            words[i], words[i + 1] = words[i + 1], words[i]
        elif op == "drop" and len(words) > MIN_WORDS // 2:
            del words[rng.randrange(len(words))]
        else:
            words[rng.randrange(len(words))] = rng.choice(donor_words)
    return " ".join(words)


def synthesise(n: int, seed: int) -> tuple[list[str], list[str], list[int], list[bool]]:
    """Old sentences, new sentences, per new sentence its old source index (or -1), and
    per new sentence whether it is a splice (an unrelated sentence made to top the side up)."""
    rng = random.Random(seed)
    pool = load_sentences()
    rng.shuffle(pool)
    n_mutated = round(n * MUTATED_SHARE)
    n_unrelated = n - n_mutated
    # Split the corpus between the sides in proportion to need, then top each side up alone.
    cut = min(n, round(len(pool) * n / (n + n_unrelated)))
    old = top_up(pool[:cut], n, rng)[:n]
    real_unrelated = len(pool) - cut
    unrelated = top_up(pool[cut:], n_unrelated, rng)[:n_unrelated]
    sources = sorted(rng.sample(range(n), n_mutated))
    new_items = [(mutate(old[i], rng.choice(old), rng), i, False) for i in sources]
    new_items += [(text, -1, k >= real_unrelated) for k, text in enumerate(unrelated)]
    rng.shuffle(new_items)
    return (
        old,
        [t for t, _, _ in new_items],
        [s for _, s, _ in new_items],
        [spliced for _, _, spliced in new_items],
    )


def top1(query: Any, against: Any) -> tuple[np.ndarray, np.ndarray]:
    """Per row of ``query``: the row of ``against`` with the largest dot product, and that
    product (-1 and 0.0 when nothing is shared), via sparse_dot_topn's top-1 product."""
    from sparse_dot_topn import sp_matmul_topn

    top = sp_matmul_topn(query, against.T.tocsr(), top_n=1, n_threads=2).tocsr()
    best = np.full(query.shape[0], -1, dtype=np.int64)
    value = np.zeros(query.shape[0], dtype=np.float64)
    has = np.diff(top.indptr) > 0
    best[has] = top.indices[top.indptr[:-1][has]]
    value[has] = top.data[top.indptr[:-1][has]]
    return best, value


def tfidf_matrices(old: list[str], new: list[str]) -> tuple[Any, Any]:
    """Plain scikit-learn TF-IDF rows (English stop words) of both sides, one vocabulary."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(stop_words="english").fit_transform([*old, *new]).tocsr()
    return matrix[: len(old)], matrix[len(old) :]


def max_cosine_to_old(old: list[str], new: list[str]) -> np.ndarray:
    """Each new sentence's largest TF-IDF cosine to any old sentence (issue #13's measure
    of "unlike anything in the old year")."""
    x_old, x_new = tfidf_matrices(old, new)
    return top1(x_new, x_old)[1]


def chunks(items: list[str], parts: int) -> list[list[str]]:
    size = -(-len(items) // parts)
    return [items[k : k + size] for k in range(0, len(items), size)]


# --------------------------------------------------------------------------------------
# Workers (each run in a fresh subprocess).


def worker_setup(n: int, seed: int, briefs: int, db_path: Path, meta_path: Path) -> None:
    from tracker.store.db import open_database

    t0 = time.perf_counter()
    old, new, truth, spliced = synthesise(n, seed)
    t_unlike = time.perf_counter()
    max_cosine = max_cosine_to_old(old, new)
    t1 = time.perf_counter()
    db = open_database(str(db_path))
    specs = [
        BriefSpec(f"old part {k + 1}", dt.date(2020, 1 + k % 12, 1), part)
        for k, part in enumerate(chunks(old, briefs))
    ] + [
        BriefSpec(f"new part {k + 1}", dt.date(2024, 1 + k % 12, 1), part)
        for k, part in enumerate(chunks(new, briefs))
    ]
    timings: dict[str, float] = {}
    ids = store_briefs(db, specs, timings)
    db.engine.dispose()
    t2 = time.perf_counter()
    n_old_briefs = len(chunks(old, briefs))
    meta = {
        "n": n,
        "synth_s": t_unlike - t0,
        "unlike_s": t1 - t_unlike,
        "store_s": t2 - t1,
        "build_s": timings["build"],
        "insert_s": timings["insert"],
        "setup_peak_rss_mb": peak_rss_mb(),
        "old_briefs": [[i, len(s.sentences)] for i, s in zip(ids, specs, strict=True)][
            :n_old_briefs
        ],
        "new_briefs": [[i, len(s.sentences)] for i, s in zip(ids, specs, strict=True)][
            n_old_briefs:
        ],
        "truth": truth,
        "spliced": spliced,
        "unlike": (max_cosine < UNLIKE_COSINE).tolist(),
    }
    meta_path.write_text(json.dumps(meta), encoding="utf-8")


def _global_index(briefs: list[list[int]]) -> dict[int, int]:
    """brief id → index of its first claim on its side."""
    offsets, at = {}, 0
    for brief_id, size in briefs:
        offsets[brief_id] = at
        at += size
    return offsets


def quality(paired: dict[int, set[int]], meta: dict[str, Any]) -> dict[str, Any]:
    """Re-pairing and unrelated-paired shares of one method's pairs (new index → old indexes)."""
    truth: list[int] = meta["truth"]
    unlike: list[bool] = meta["unlike"]
    spliced: list[bool] = meta["spliced"]
    mutated = [j for j, s in enumerate(truth) if s >= 0]
    unrelated = [j for j, s in enumerate(truth) if s < 0]
    hidden = [j for j in unrelated if unlike[j]]
    hidden_real = [j for j in hidden if not spliced[j]]

    def share(claims: list[int]) -> float:
        return sum(j in paired for j in claims) / len(claims) if claims else 0.0

    return {
        "repaired": sum(truth[j] in paired.get(j, ()) for j in mutated) / len(mutated)
        if mutated
        else 0.0,
        "unrelated_paired": share(unrelated),
        "n_unrelated": len(unrelated),
        "unlike_paired": share(hidden),
        "n_unlike": len(hidden),
        "unlike_real_paired": share(hidden_real),
        "n_unlike_real": len(hidden_real),
        "pairs": sum(len(olds) for olds in paired.values()),
    }


# The stages of one diff that ``--stages`` times: (module, function), each timed at every
# call and summed (classification is one call per matched pair).
STAGES = (
    ("tracker.app.diffs", "load_selection"),
    ("tracker.compare.matcher", "_vectors"),
    ("tracker.compare.matcher", "_dedupe"),
    ("tracker.compare.matcher", "candidate_pairs"),
    ("tracker.compare.matcher", "pair_evidence"),
    ("tracker.compare.matcher", "align"),
    ("tracker.compare.engine", "classify"),
)


def _time_stages() -> dict[str, float]:
    """Wrap each of ``STAGES`` where its caller looks it up; the dict fills in as they run."""
    import importlib

    spent: dict[str, float] = {}
    for module_name, name in STAGES:
        module = importlib.import_module(module_name)
        inner = getattr(module, name)

        def timed(*args: Any, _inner: Any = inner, _name: str = name, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return _inner(*args, **kwargs)
            finally:
                spent[_name] = spent.get(_name, 0.0) + time.perf_counter() - t0

        setattr(module, name, timed)
    return spent


def worker_diff(
    db_path: Path,
    meta_path: Path,
    out_path: Path | None,
    profile: bool,
    embeddings: str | None = None,
    pairs_path: Path | None = None,
    stages: bool = False,
) -> None:
    import cProfile
    import pstats

    spent = _time_stages() if stages else None
    from tracker.app.diffs import diff
    from tracker.compare.semantic import load_encoder
    from tracker.store.db import open_database

    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    db = open_database(str(db_path))
    rss_before = peak_rss_mb()
    profiler = cProfile.Profile() if profile else None
    t0 = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    # The model is loaded inside the timed span, as `tracker --embeddings DIR diff` does.
    encoder = load_encoder(embeddings) if embeddings else None
    result = diff(db, "2020", "2024", encoder=encoder)
    if profiler is not None:
        profiler.disable()
    elapsed = time.perf_counter() - t0
    rss_peak = peak_rss_mb()

    old_at, new_at = _global_index(meta["old_briefs"]), _global_index(meta["new_briefs"])
    paired: dict[int, set[int]] = {}
    relations: dict[str, int] = {}
    listing: list[str] = []
    for change in result.changes:
        if pairs_path is not None:
            listing.append(_change_line(change, old_at, new_at))
        if change.old is None or change.new is None:
            continue
        relations[change.relation] = relations.get(change.relation, 0) + 1
        olds = {old_at[c.brief_id] + c.ordinal for c in (change.old, *change.also_old)}
        for c in (change.new, *change.also_new):
            paired.setdefault(new_at[c.brief_id] + c.ordinal, set()).update(olds)
    stats = {
        "n_old": len(result.old.claims),
        "n_new": len(result.new.claims),
        "diff_s": elapsed,
        "rss_before_mb": rss_before,
        "peak_rss_mb": rss_peak,
        "summary": result.summary,
        "relations": relations,
        **quality(paired, meta),
        **({"stages": spent} if spent is not None else {}),
    }
    if profiler is not None:
        print(f"diff of {meta['n']} × {meta['n']} claims: {elapsed:.1f} s under cProfile\n")
        stats_obj = pstats.Stats(profiler, stream=sys.stdout)
        stats_obj.strip_dirs().sort_stats("cumulative").print_stats(25)
        stats_obj.sort_stats("tottime").print_stats(15)
    if out_path is not None:
        out_path.write_text(json.dumps(stats), encoding="utf-8")
    if pairs_path is not None:
        pairs_path.write_text("".join(f"{line}\n" for line in listing), encoding="utf-8")


def _change_line(change: Any, old_at: dict[int, int], new_at: dict[int, int]) -> str:
    """One change as a stable JSON line (claims as side indexes), to compare two runs."""

    def ix(claims: Any, at: dict[int, int]) -> list[int]:
        return [at[c.brief_id] + c.ordinal for c in claims]

    lead = change.lead
    return json.dumps(
        {
            "kind": change.kind,
            "relation": change.relation,
            "old": ix([change.old, *change.also_old], old_at) if change.old else None,
            "new": ix([change.new, *change.also_new], new_at) if change.new else None,
            "score": change.score,
            "probability": change.probability,
            "aspects": list(change.aspects),
            "lead": None
            if lead is None
            else [ix([lead.claim], old_at if change.new else new_at)[0], lead.probability],
        }
    )


def worker_peer(db_path: Path, meta_path: Path, out_path: Path) -> None:
    """The TF-IDF peer on the same database: load, vectorise, top-1, greedy one-to-one."""
    # Imported before the clock starts, as the engine's libraries are for the diff.
    import sklearn.feature_extraction.text  # noqa: F401
    import sparse_dot_topn  # noqa: F401

    from tracker.store.db import open_database, read_snapshot
    from tracker.store.selections import load_selection

    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    db = open_database(str(db_path))
    rss_before = peak_rss_mb()
    t0 = time.perf_counter()
    with read_snapshot(db.engine) as session:
        old = load_selection(session, "2020").claims
        new = load_selection(session, "2024").claims
    x_old, x_new = tfidf_matrices([c.text for c in old], [c.text for c in new])
    best, cosine = top1(x_new, x_old)
    # Greedy one-to-one, best cosine first (ties by new, then old claim): each new claim has
    # one candidate, so an old claim goes to the new claim most like it.
    candidates = np.flatnonzero(cosine >= PEER_CUTOFF)
    order = candidates[np.lexsort((best[candidates], candidates, -cosine[candidates]))]
    taken: set[int] = set()
    chosen: list[tuple[int, int]] = []
    for j in order.tolist():
        i = int(best[j])
        if i not in taken:
            taken.add(i)
            chosen.append((i, j))
    elapsed = time.perf_counter() - t0
    rss_peak = peak_rss_mb()

    old_at, new_at = _global_index(meta["old_briefs"]), _global_index(meta["new_briefs"])
    paired = {
        new_at[new[j].brief_id] + new[j].ordinal: {old_at[old[i].brief_id] + old[i].ordinal}
        for i, j in chosen
    }
    stats = {"diff_s": elapsed, "rss_before_mb": rss_before, "peak_rss_mb": rss_peak}
    stats.update(quality(paired, meta))
    out_path.write_text(json.dumps(stats), encoding="utf-8")


# --------------------------------------------------------------------------------------
# Driver.


def _run(args: list[str]) -> None:
    subprocess.run([sys.executable, __file__, *args], check=True)


def run_size(
    n: int,
    seed: int,
    briefs: int,
    tmp: Path,
    profile: bool = False,
    stages: bool = False,
    embeddings: str | None = None,
    pairs_dir: Path | None = None,
    peer: bool = True,
) -> dict[str, Any]:
    db_path, meta_path, out_path = tmp / f"n{n}.db", tmp / f"n{n}.json", tmp / f"n{n}.out"
    peer_path = tmp / f"n{n}.peer"
    common = ["--db", str(db_path), "--meta", str(meta_path)]
    _run(
        ["--worker", "setup", "--n", str(n), "--seed", str(seed), "--briefs", str(briefs), *common]
    )
    extra = [*(["--cprofile"] * profile), *(["--embeddings", embeddings] if embeddings else [])]
    extra += ["--stage-times"] * stages
    if pairs_dir is not None:
        extra += ["--pairs-file", str(pairs_dir / f"pairs-{n}.jsonl")]
    _run(["--worker", "diff", "--out", str(out_path), *common, *extra])
    if peer:
        _run(["--worker", "peer", "--out", str(peer_path), *common])
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    stats: dict[str, Any] = json.loads(out_path.read_text(encoding="utf-8"))
    keys = ("n", "synth_s", "unlike_s", "store_s", "build_s", "insert_s", "setup_peak_rss_mb")
    stats.update({k: meta[k] for k in keys})
    if peer:
        stats["peer"] = json.loads(peer_path.read_text(encoding="utf-8"))
    for path in (db_path, meta_path, out_path, peer_path):
        path.unlink(missing_ok=True)
    return stats


def print_table(rows: list[dict[str, Any]]) -> None:
    head = (
        f"{'N':>7} {'setup s':>8} {'diff s':>7} {'peak MB':>7} {'base MB':>7} "
        f"{'modified':>8} {'unchanged':>9} {'added':>6} {'removed':>7} {'split/merge':>11} "
        f"{'re-paired':>9} {'unrel. paired (all)':>19} {'unrel. paired (cos<.35)':>23}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        s = r["summary"]
        rel = r["relations"]
        print(
            f"{r['n']:>7} {r['synth_s'] + r['unlike_s'] + r['store_s']:>8.1f} "
            f"{r['diff_s']:>7.1f} {r['peak_rss_mb']:>7.0f} {r['rss_before_mb']:>7.0f} "
            f"{s['modified']:>8} {s['unchanged']:>9} {s['added']:>6} {s['removed']:>7} "
            f"{rel.get('split', 0) + rel.get('merge', 0):>11} "
            f"{r['repaired']:>9.1%} {r['unrelated_paired']:>19.1%} {r['unlike_paired']:>23.1%}"
        )
    print(
        f"\nunrelated new claims unlike every old claim (TF-IDF cosine < {UNLIKE_COSINE}), and of "
        "them real corpus sentences (not splices):"
    )
    for r in rows:
        print(
            f"  N={r['n']}: {r['n_unlike']} of {r['n_unrelated']} unrelated, "
            f"{r['n_unlike_real']} real; engine pairs {r['unlike_real_paired']:.1%} of the real"
        )
    print("\nsetup = synthesise + unlike cosines + build ClaimDrafts + tokens and insert:")
    for r in rows:
        print(
            f"  N={r['n']}: {r['synth_s']:.1f} + {r['unlike_s']:.1f} + {r['build_s']:.1f} + "
            f"{r['insert_s']:.1f} s, peak RSS of the setup process {r['setup_peak_rss_mb']:.0f} MB"
        )


def print_peer(rows: list[dict[str, Any]]) -> None:
    """The engine against the TF-IDF peer, size by size, with issue #13's targets."""
    print(
        f"\nengine vs TF-IDF peer (TfidfVectorizer, English stop words, top-1, cosine >= "
        f"{PEER_CUTOFF}, greedy one-to-one), same database, each in a fresh process:"
    )
    head = (
        f"{'N':>7} {'method':<7} {'time s':>7} {'peak MB':>7} {'pairs':>7} {'re-paired':>9} "
        f"{'unrel. paired (all)':>19} {'unrel. paired (cos<.35)':>23}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        for name, m in (("engine", r), ("tf-idf", r.get("peer"))):
            if m is None:
                continue
            print(
                f"{r['n']:>7} {name:<7} {m['diff_s']:>7.1f} {m['peak_rss_mb']:>7.0f} "
                f"{m['pairs']:>7} {m['repaired']:>9.1%} {m['unrelated_paired']:>19.1%} "
                f"{m['unlike_paired']:>23.1%}"
            )
    print(
        "\nissue #13 targets (engine): unrelated paired (cos<.35) <= 5%, re-paired >= 95%, "
        "30k <= 8 s, 100k <= 30 s and <= 2 GB"
    )
    for r in rows:
        checks = [
            ("unrelated", r["unlike_paired"] <= 0.05),
            ("re-paired", r["repaired"] >= 0.95),
        ]
        if r["n"] == 30_000:
            checks.append(("time", r["diff_s"] <= 8.0))
        if r["n"] == 100_000:
            checks += [("time", r["diff_s"] <= 30.0), ("memory", r["peak_rss_mb"] <= 2048)]
        verdict = ", ".join(f"{what} {'met' if ok else 'MISSED'}" for what, ok in checks)
        print(f"  N={r['n']}: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,30000,100000", help="comma-separated N")
    parser.add_argument("--profile", type=int, metavar="N", help="cProfile one diff of size N")
    parser.add_argument("--seed", type=int, default=20240101)
    parser.add_argument("--briefs", type=int, default=4, help="briefs per side (default 4)")
    parser.add_argument("--json", action="store_true", help="also print raw results as JSON")
    parser.add_argument(
        "--embeddings", metavar="DIR", help="sentence-embedding model for the diff (default off)"
    )
    parser.add_argument(
        "--pairs",
        type=Path,
        metavar="DIR",
        help="write every change of each diff to DIR/pairs-N.jsonl (to compare two versions)",
    )
    parser.add_argument("--no-peer", action="store_true", help="skip the TF-IDF peer")
    # Internal: the per-size subprocesses.
    parser.add_argument("--worker", choices=("setup", "diff", "peer"), help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--meta", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cprofile", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--pairs-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--stage-times", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--stages", action="store_true", help="also time each stage of the diff (summed calls)"
    )
    args = parser.parse_args()

    if args.worker == "setup":
        worker_setup(args.n, args.seed, args.briefs, args.db, args.meta)
        return
    if args.worker == "diff":
        worker_diff(
            args.db,
            args.meta,
            args.out,
            args.cprofile,
            args.embeddings,
            args.pairs_file,
            args.stage_times,
        )
        return
    if args.worker == "peer":
        worker_peer(args.db, args.meta, args.out)
        return
    if args.pairs is not None:
        args.pairs.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="tracker-bench-") as tmp_name:
        tmp = Path(tmp_name)
        if args.profile:
            rows = [
                run_size(
                    args.profile,
                    args.seed,
                    args.briefs,
                    tmp,
                    profile=True,
                    embeddings=args.embeddings,
                    peer=False,
                )
            ]
        else:
            sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
            rows = []
            for n in sizes:
                print(f"N={n} ...", file=sys.stderr, flush=True)
                rows.append(
                    run_size(
                        n,
                        args.seed,
                        args.briefs,
                        tmp,
                        embeddings=args.embeddings,
                        pairs_dir=args.pairs,
                        peer=not args.no_peer,
                        stages=args.stages,
                    )
                )
    print(f"\nold × new claims, {args.briefs} briefs per side, seed {args.seed}")
    if args.embeddings:
        print(f"with sentence embeddings from {args.embeddings} (model load inside diff s)")
    print("peak MB: peak RSS of the diff process; base MB: its RSS before the diff (imports)")
    print_table(rows)
    if not args.profile and not args.no_peer:
        print_peer(rows)
    for r in rows:
        if "stages" in r:
            parts = ", ".join(
                f"{k} {v:.2f}" for k, v in sorted(r["stages"].items(), key=lambda kv: -kv[1])
            )
            print(f"stages at N={r['n']} (s, of diff {r['diff_s']:.1f}): {parts}")
    if args.json:
        print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
