"""How often did the Manifesto Project coders give the very same sentence the same code?

``manifesto_agreement.py`` scores the engine by whether the claims it pairs across two
platforms carry the same Manifesto category. No matcher can beat the labels' own consistency:
a perfect matcher pairs a sentence with its verbatim copy, and then scores only as often as
the two copies were coded alike. This script measures that ceiling without any matcher.

For every two platforms of the same party, sentences whose text is identical after
rapidfuzz's default processing (case, punctuation and spacing ignored; at least
``--min-words`` words; coded rows only, as in ``manifesto_agreement.py``) are taken as
pairs, each old sentence with one identical new sentence (a text repeated within a platform
counts once per pairing). Agreement uses the same four measures (exact, exact+twin, major,
major+twin). Nothing is random.

    .venv/bin/python benchmarks/manifesto_ceiling.py
    .venv/bin/python benchmarks/manifesto_ceiling.py --min-words 8
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

from _common import require
from manifesto_agreement import (
    PLATFORMS,
    SCHEME,
    TARGET_AGREEMENT,
    Metrics,
    Platform,
    load_platform,
    twin_keys,
)
from rapidfuzz import utils

from tracker.claims.extract import MIN_CLAIM_WORDS


def identical_pairs(old: Platform, new: Platform) -> list[tuple[str, str]]:
    """(old code, new code) for each old sentence that appears verbatim in ``new``."""
    first_new: dict[str, int] = {}
    for j, text in enumerate(new.texts):
        first_new.setdefault(utils.default_process(text), j)
    pairs = []
    for i, text in enumerate(old.texts):
        j = first_new.get(utils.default_process(text), -1)
        if j >= 0:
            pairs.append((old.codes[i], new.codes[j]))
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=PLATFORMS, help="platform folder")
    parser.add_argument(
        "--min-words",
        type=int,
        default=MIN_CLAIM_WORDS,
        help=f"skip shorter rows (default {MIN_CLAIM_WORDS})",
    )
    args = parser.parse_args()

    metrics = Metrics(twin_keys(require(args.data / SCHEME)))
    names = list(metrics.functions())
    files = sorted(p.name for p in require(args.data).glob("6*_*.csv"))
    platforms = [load_platform(args.data, name, args.min_words) for name in files]

    print(f"{'platforms':<34} {'pairs':>6} " + " ".join(f"{n:>10}" for n in names))
    everything: list[tuple[str, str]] = []
    for old, new in itertools.combinations(platforms, 2):
        if old.file.split("_")[0] != new.file.split("_")[0]:
            continue  # the parties' platforms do not share sentences
        pairs = identical_pairs(old, new)
        if not pairs:
            continue
        everything += pairs
        agree = metrics.agreement(pairs)
        label = f"{old.title[:-3]} -> {new.title[-7:-3]}"
        print(f"{label:<34} {len(pairs):>6} " + " ".join(f"{agree[n]:>10.1%}" for n in names))
    agree = metrics.agreement(everything)
    print(f"{'all':<34} {len(everything):>6} " + " ".join(f"{agree[n]:>10.1%}" for n in names))
    print(
        f"\nA matcher that pairs every verbatim copy correctly agrees with the codes at most "
        f"this often; the target in manifesto_agreement.py is {TARGET_AGREEMENT:.0%}."
    )


if __name__ == "__main__":
    main()
