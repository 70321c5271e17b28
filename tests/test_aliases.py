"""Acronyms a brief defines itself, and years as evidence: a long form matches its short form,
a word that only looks like an acronym does not, and a shared target year counts."""

from __future__ import annotations

import dataclasses

import numpy as np

from tracker.compare.aliases import Expander, definitions
from tracker.compare.evidence import FEATURE_NAMES
from tracker.compare.features import content_tokens
from tracker.compare.matcher import MatcherConfig, Scored, score_candidates
from tracker.compare.model import QuantityRef

from .test_matcher import _claims


def _forms(texts: list[str]) -> dict[str, str]:
    return {" ".join(a.short): " ".join(a.long) for a in definitions(texts)}


def test_definitions_follow_the_letters_of_the_short_form() -> None:
    found = _forms(
        [
            "Both sides back the open radio access network (Open RAN) for rural towns.",
            "The plan cuts greenhouse gas (GHG) output and sets up a carbon border fee (CBF).",
            "A new Joint Office of Harbour Safety (JOHS) opens next spring.",
        ]
    )
    assert found[" ".join(content_tokens("open ran"))] == " ".join(
        content_tokens("open radio access network")
    )
    assert found["ghg"] == " ".join(content_tokens("greenhouse gas"))
    assert found[" ".join(content_tokens("johs"))] == " ".join(
        content_tokens("joint office of harbour safety")
    )


def test_brackets_that_are_not_definitions_are_left_alone() -> None:
    found = _forms(
        [
            "Output rose sharply (see the annex) over the decade (2010-2020).",
            "The pact (NATO) was signed.",  # the letters are not in the words before it
            "Funds go to the United States (US) and Japan.",  # a word when lower-cased
        ]
    )
    assert found == {}


def test_each_form_brings_the_other_and_case_decides_what_is_the_acronym() -> None:
    aliases = definitions(["Japan joins the Access to COVID Tools (ACT) pledge."])
    expand = Expander(aliases)
    long_form = content_tokens("access to covid tools")
    short = content_tokens("act")
    tokens = content_tokens("the act pledge grew")
    # "ACT" written as the brief defined it is the programme...
    assert set(long_form) <= set(expand(tokens, "The ACT pledge grew."))
    # ...but "act" in lower case is the verb, and gains nothing.
    assert expand(tokens, "We act on the pledge that grew.") == tokens
    # The long form gains the short form.
    spelt = content_tokens("access to covid tools funding")
    assert set(short) <= set(expand(spelt, "Access to COVID tools funding."))


def test_a_defined_acronym_makes_the_short_and_the_long_form_a_match() -> None:
    new = _claims(
        [
            "Ports will trial Open RAN from next year.",
            "Rice tariffs remain unchanged this year.",
            "Fishing quotas rise.",
        ],
        2,
        2024,
    )
    config = MatcherConfig()
    pair = (np.array([0]), np.array([0]))

    def probability(first: str) -> float:
        old = _claims([first, "Tariffs on rice stay as they are.", "Steel output fell."], 1, 2021)
        return _probability(score_candidates(old, new, config, pairs=pair), 0, 0)

    # Defined, the long form is the short form; spelt out without a definition, the two
    # claims share only "ports".
    assert probability("Japan backs the open radio access network (Open RAN) for its ports.") > (
        config.cutoff
    )
    assert probability("Japan backs the open radio access network for its ports.") < config.cutoff


def _probability(scored: Scored, i: int, j: int) -> float:
    k = list(zip(scored.rows.tolist(), scored.cols.tolist(), strict=True)).index((i, j))
    return float(scored.probability[k])


def _year(value: int) -> QuantityRef:
    return QuantityRef(kind="year", value=float(value), unit="year", raw=str(value))


def test_a_shared_year_is_evidence_and_different_years_are_noted() -> None:
    old = _claims(["Cut emissions by 30% by 2030."], 1, 2015)
    new = _claims(["Cut emissions by 45% by 2030.", "Cut emissions by 45% by 2035."], 2, 2021)
    old = (dataclasses.replace(old[0], quantities=(_year(2030),)),)
    new = (
        dataclasses.replace(new[0], quantities=(_year(2030),)),
        dataclasses.replace(new[1], quantities=(_year(2035),)),
    )
    scored = score_candidates(old, new, MatcherConfig(), pairs=(np.array([0, 0]), np.array([0, 1])))
    at = {
        (int(i), int(j)): k for k, (i, j) in enumerate(zip(scored.rows, scored.cols, strict=True))
    }
    shared, differ = FEATURE_NAMES.index("years_shared"), FEATURE_NAMES.index("years_differ")
    assert scored.evidence[at[(0, 0)], shared] == 1.0
    assert scored.evidence[at[(0, 0)], differ] == 0.0
    assert scored.evidence[at[(0, 1)], shared] == 0.0
    assert scored.evidence[at[(0, 1)], differ] == 1.0
