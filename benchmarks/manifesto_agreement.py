"""Do the claims the engine pairs across two platforms share a Manifesto Project category?

Two US party platforms (../shared/datasets/manifesto_us_platforms, Manifesto Project
quasi-sentences with a ``cmp_code`` each; default: Democrats 2016 vs 2020) are stored as one
dated brief each in a fresh SQLite database, one claim per quasi-sentence, so every claim maps
back to exactly one coded row (its ordinal). Rows coded H (headings), NA or 0 are skipped, as
are rows shorter than the claim pipeline's minimum (4 words; ``--min-words``).

The engine's diff (``tracker.app.diffs.diff``) pairs claims; for its pairs (modified +
unchanged, including split/merge) we report the share whose codes agree:

- exact: the same cmp_code (e.g. 504 = 504);
- exact+twin: the same code or its pro/contra twin (504 Welfare State Expansion vs 505
  Limitation; a stance change is still the same topic);
- major: the same major code, the part before the first '.' (605.1 vs 605.2);
- major+twin: the same major code or its twin (601 vs 602).

Twins are read from coding_scheme_mp_v5.csv: codes whose names differ only by
Positive/Negative or Expansion/Limitation (with the parent's name for sub-codes), plus
301/302 (Decentralisation/Centralisation) and 607.2/608.2 (Diversity/Assimilation).

Baseline on the same claims: rapidfuzz ``fuzz.token_set_ratio`` over all old × new pairs
(``process.cdist``, default processor), taken greedily one-to-one, best score first, until it
has as many pairs as the engine (``--baseline-pairs`` to override): the score of the last pair
taken is the cutoff that gives the baseline the engine's pair count. "chance" is the agreement
expected from random pairs with each side's code frequencies. "alike >= 90/80" is the ceiling
the labels allow: each old text with its closest new text (rapidfuzz ratio >= 90 or >= 80,
nearly the same words): how often the coders gave the same sentence the same code.

Nothing is random; the same inputs give the same numbers.

    .venv/bin/python benchmarks/manifesto_agreement.py
    .venv/bin/python benchmarks/manifesto_agreement.py --old 61620_201211.csv --new 61620_201611.csv
    .venv/bin/python benchmarks/manifesto_agreement.py --list
    .venv/bin/python benchmarks/manifesto_agreement.py --embeddings MODEL_DIR   # tracker[semantic]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from _common import DATASETS, BriefSpec, peak_rss_mb, require, store_briefs
from rapidfuzz import fuzz, process, utils

from tracker.app.diffs import diff
from tracker.claims.extract import MIN_CLAIM_WORDS
from tracker.compare.matcher import MatcherConfig
from tracker.compare.semantic import Encoder, load_encoder
from tracker.store.db import open_database

PLATFORMS = DATASETS / "manifesto_us_platforms"
SCHEME = "coding_scheme_mp_v5.csv"
PARTIES = {"61320": "Democrats", "61620": "Republicans"}
SKIP_CODES = {"H", "NA", "0", "000", ""}
TARGET_AGREEMENT = 0.60
TARGET_PAIRS = 400
# Pro/contra pairs whose names do not differ by Positive/Negative or Expansion/Limitation.
EXTRA_TWINS = (("301", "302"), ("607.2", "608.2"))
_POLARITY = re.compile(r":?\s*\b(?:Positive|Negative|Expansion|Limitation)\b")


# --------------------------------------------------------------------------------------
# Codes.


def major(code: str) -> str:
    return code.split(".", 1)[0]


def twin_keys(scheme_path: Path) -> dict[str, str]:
    """code → a key shared by the code and its pro/contra twin (codes without one: itself)."""
    names: dict[str, str] = {}
    with scheme_path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            code = (row.get("code") or "").strip()
            if code:
                names[code] = (row.get("name") or "").strip()
    keys: dict[str, str] = {}
    for code, name in names.items():
        full = f"{names.get(major(code), '')} / {name}" if "." in code else name
        keys[code] = " ".join(_POLARITY.sub(" ", full).split()).strip(" :/")
    for a, b in EXTRA_TWINS:
        keys[b] = keys[a]
    return keys


def twin_groups(keys: dict[str, str]) -> list[list[str]]:
    groups: dict[str, list[str]] = {}
    for code, key in keys.items():
        groups.setdefault(key, []).append(code)
    return [sorted(g) for g in groups.values() if len(g) > 1]


@dataclass(frozen=True)
class Metrics:
    """Ways two codes can agree."""

    keys: dict[str, str]

    def functions(self) -> dict[str, Callable[[str], str]]:
        return {
            "exact": lambda c: c,
            "exact+twin": lambda c: self.keys.get(c, c),
            "major": major,
            "major+twin": lambda c: self.keys.get(major(c), major(c)),
        }

    def agreement(self, pairs: Sequence[tuple[str, str]]) -> dict[str, float]:
        out = {}
        for name, key in self.functions().items():
            agree = sum(key(a) == key(b) for a, b in pairs)
            out[name] = agree / len(pairs) if pairs else float("nan")
        return out

    def chance(self, old: Sequence[str], new: Sequence[str]) -> dict[str, float]:
        """Expected agreement of a random old × new pair."""
        out = {}
        for name, key in self.functions().items():
            co, cn = Counter(map(key, old)), Counter(map(key, new))
            out[name] = sum(co[k] * cn[k] for k in co) / (len(old) * len(new))
        return out


# --------------------------------------------------------------------------------------
# Data.


@dataclass(frozen=True)
class Platform:
    file: str
    title: str
    date: dt.date
    texts: list[str]
    codes: list[str]
    rows: int


def load_platform(folder: Path, name: str, min_words: int) -> Platform:
    path = require(folder / name)
    match = re.fullmatch(r"(\d+)_(\d{4})(\d{2})\.csv", name)
    if not match:
        sys.exit(f"{name}: expected a Manifesto file name like 61320_201611.csv")
    party, year, month = match.groups()
    texts: list[str] = []
    codes: list[str] = []
    rows = 0
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            rows += 1
            code = (row["cmp_code"] or "").strip()
            text = " ".join((row["text"] or "").split())
            if code in SKIP_CODES or len(text.split()) < min_words:
                continue
            texts.append(text)
            codes.append(code)
    title = f"{PARTIES.get(party, party)} platform {year}-{month}"
    return Platform(name, title, dt.date(int(year), int(month), 1), texts, codes, rows)


# --------------------------------------------------------------------------------------
# Baseline.


def baseline_pairs(
    old: Sequence[str], new: Sequence[str], count: int
) -> tuple[list[tuple[int, int, float]], float]:
    """Greedy one-to-one pairs by token_set_ratio, best first, until ``count`` pairs."""
    scores = process.cdist(
        old,
        new,
        scorer=fuzz.token_set_ratio,
        processor=utils.default_process,
        dtype=np.float32,
        workers=-1,
    )
    flat = scores.ravel()
    n_new = scores.shape[1]
    # Best score first; ties in reading order (old, then new) so the result is deterministic.
    order = np.lexsort((np.arange(flat.size), -flat))
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs: list[tuple[int, int, float]] = []
    for idx in order:
        if len(pairs) >= count:
            break
        i, j = divmod(int(idx), n_new)
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        pairs.append((i, j, float(flat[idx])))
    cutoff = pairs[-1][2] if pairs else float("nan")
    return pairs, cutoff


def alike_pairs(old: Sequence[str], new: Sequence[str], min_ratio: float) -> list[tuple[int, int]]:
    """Each old text with its most similar new text, where they are nearly the same words.

    Their code agreement is what the labels themselves allow: two coders (or one coder in two
    years) giving the same sentence the same code. No matcher can be expected to do better.
    """
    scores = process.cdist(
        old, new, scorer=fuzz.ratio, processor=utils.default_process, dtype=np.float32, workers=-1
    )
    best = scores.argmax(axis=1)
    return [(i, int(j)) for i, j in enumerate(best) if scores[i, j] >= min_ratio]


# --------------------------------------------------------------------------------------
# Main.


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", default="61320_201611.csv", help="older platform file")
    parser.add_argument("--new", default="61320_202011.csv", help="newer platform file")
    parser.add_argument("--data", type=Path, default=PLATFORMS, help="platform folder")
    parser.add_argument(
        "--min-words", type=int, default=MIN_CLAIM_WORDS, help="skip shorter rows (default 4)"
    )
    parser.add_argument(
        "--baseline-pairs", type=int, help="pairs the baseline takes (default: the engine's)"
    )
    parser.add_argument(
        "--top", type=int, default=TARGET_PAIRS, help="also score each side's best N pairs"
    )
    parser.add_argument(
        "--embeddings", metavar="DIR", help="sentence-embedding model the engine uses (off)"
    )
    parser.add_argument("--list", action="store_true", help="list the platform files and exit")
    parser.add_argument("--json", action="store_true", help="also print the results as JSON")
    args = parser.parse_args()

    if args.list:
        for path in sorted(require(args.data).glob("6*_*.csv")):
            print(path.name)
        return

    metrics = Metrics(twin_keys(require(args.data / SCHEME)))
    old = load_platform(args.data, args.old, args.min_words)
    new = load_platform(args.data, args.new, args.min_words)
    encoder: Encoder | None = load_encoder(args.embeddings) if args.embeddings else None

    with tempfile.TemporaryDirectory(prefix="tracker-bench-") as tmp:
        db = open_database(str(Path(tmp) / "tracker.db"))
        t0 = time.perf_counter()
        old_id, new_id = store_briefs(
            db,
            [BriefSpec(old.title, old.date, old.texts), BriefSpec(new.title, new.date, new.texts)],
        )
        t1 = time.perf_counter()
        result = diff(db, f"brief:{old_id}", f"brief:{new_id}", encoder=encoder)
        t2 = time.perf_counter()
        db.engine.dispose()

    assert len(result.old.claims) == len(old.texts) and len(result.new.claims) == len(new.texts)
    # Best engine score first (ties in reading order), for the top-k rows.
    engine_pairs: list[tuple[int, int, str, float]] = sorted(
        (
            (c.old.ordinal, c.new.ordinal, c.kind, c.score or 0.0)
            for c in result.changes
            if c.old is not None and c.new is not None
        ),
        key=lambda p: (-p[3], p[0], p[1]),
    )
    count = args.baseline_pairs or len(engine_pairs)
    t3 = time.perf_counter()
    base, cutoff = baseline_pairs(old.texts, new.texts, count)
    t4 = time.perf_counter()

    def codes(pairs: Sequence[tuple[int, int]]) -> list[tuple[str, str]]:
        return [(old.codes[i], new.codes[j]) for i, j in pairs]

    norm_old = [c.norm_text for c in result.old.claims]
    norm_new = [c.norm_text for c in result.new.claims]
    top = min(args.top, len(engine_pairs), len(base))
    e_all = [(i, j) for i, j, _, _ in engine_pairs]
    b_all = [(i, j) for i, j, _ in base]
    # (group, subset, pairs): each method's pairs, then subsets of them.
    rows: list[tuple[str, str, list[tuple[int, int]]]] = [
        ("engine", "", e_all),
        ("engine", "modified", [(i, j) for i, j, k, _ in engine_pairs if k == "modified"]),
        ("engine", "unchanged", [(i, j) for i, j, k, _ in engine_pairs if k == "unchanged"]),
        ("engine", f"top {top}", e_all[:top]),
        ("baseline", "", b_all),
        ("baseline", "text differs", [(i, j) for i, j in b_all if norm_old[i] != norm_new[j]]),
        ("baseline", "same text", [(i, j) for i, j in b_all if norm_old[i] == norm_new[j]]),
        ("baseline", f"top {top}", b_all[:top]),
        ("alike >= 90", "", alike_pairs(old.texts, new.texts, 90)),
        ("alike >= 80", "", alike_pairs(old.texts, new.texts, 80)),
    ]
    shared = len({(i, j) for i, j, _, _ in engine_pairs} & {(i, j) for i, j, _ in base})
    chance = metrics.chance(old.codes, new.codes)

    print(
        f"{old.title} ({old.file}: {len(old.texts)} claims of {old.rows} rows) vs "
        f"{new.title} ({new.file}: {len(new.texts)} claims of {new.rows} rows)"
    )
    print(
        "twins: "
        + ", ".join("/".join(g) for g in sorted(twin_groups(metrics.keys), key=lambda g: g[0]))
    )
    if encoder is not None:
        print(f"embeddings: {encoder.model_dir} (veto below {MatcherConfig().semantic_veto})")
    print(f"engine: {result.summary}")
    print(f"baseline: token_set_ratio cutoff {cutoff:.1f} for {len(base)} one-to-one pairs")
    if top:
        print(
            f"top {top}: engine score >= {engine_pairs[top - 1][3]:.3f}, "
            f"baseline token_set_ratio >= {base[top - 1][2]:.1f}"
        )
    print()
    names = list(metrics.functions())
    print(f"{'pairs of':<16} {'pairs':>6} " + " ".join(f"{n:>10}" for n in names))
    results: dict[str, dict[str, float]] = {}
    for group, subset, pairs in rows:
        agree = metrics.agreement(codes(pairs))
        results[f"{group} {subset}".strip()] = {"pairs": len(pairs), **agree}
        label = f"  {subset}" if subset else group
        print(f"{label:<16} {len(pairs):>6} " + " ".join(f"{agree[n]:>10.1%}" for n in names))
    print(f"{'chance':<16} {'':>6} " + " ".join(f"{chance[n]:>10.1%}" for n in names))
    print(f"\npairs made by both engine and baseline: {shared}")
    engine_agree = results["engine"]
    met = [n for n in names if engine_agree[n] >= TARGET_AGREEMENT]
    ok = len(engine_pairs) >= TARGET_PAIRS and bool(met)
    print(
        f"target (>= {TARGET_AGREEMENT:.0%} agreement with >= {TARGET_PAIRS} pairs): "
        f"{'met on ' + ', '.join(met) if ok else 'not met'}"
    )
    print(
        f"runtime: store {t1 - t0:.2f} s, engine diff {t2 - t1:.2f} s, "
        f"baseline {t4 - t3:.2f} s; peak RSS {peak_rss_mb():.0f} MB"
    )
    if args.json:
        print(
            json.dumps(
                {
                    "old": old.file,
                    "new": new.file,
                    "claims": [len(old.texts), len(new.texts)],
                    "summary": result.summary,
                    "baseline_cutoff": cutoff,
                    "shared_pairs": shared,
                    "agreement": results,
                    "chance": chance,
                    "seconds": {"store": t1 - t0, "diff": t2 - t1, "baseline": t4 - t3},
                },
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
