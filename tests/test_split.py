"""Splitting a sentence into atomic claims: clause lists split, noun lists stay whole."""

from __future__ import annotations

from itertools import pairwise

import pytest

from tracker.claims import extract_claims
from tracker.claims.split import atomic_spans


def parts(sentence: str) -> list[str]:
    spans = atomic_spans(sentence)
    for (_, end), (start, _) in pairwise(spans):
        assert end <= start
    return [sentence[a:b] for a, b in spans]


def test_gerund_list_is_split_into_items() -> None:
    sentence = (
        "The plan covers, among other things, raising the fuel tax to 60 cents by 2026, "
        "constructing two reservoirs by 2028, and expanding rural broadband to every village."
    )
    assert parts(sentence) == [
        "raising the fuel tax to 60 cents by 2026",
        "constructing two reservoirs by 2028",
        "expanding rural broadband to every village",
    ]


def test_gerund_list_with_the_first_item_in_the_lead_in() -> None:
    sentence = (
        "The reform is about lowering the pension age, raising the minimum wage, "
        "and abolishing the vehicle levy."
    )
    assert parts(sentence) == [
        "lowering the pension age",
        "raising the minimum wage",
        "abolishing the vehicle levy",
    ]


def test_bare_verb_list_after_to() -> None:
    sentence = (
        "The ministry pledged to build three desalination plants, expand the metro to the "
        "airport, and provide free school meals in every district."
    )
    assert parts(sentence) == [
        "build three desalination plants",
        "expand the metro to the airport",
        "provide free school meals in every district",
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The strategy names agriculture, forestry, fisheries and tourism as priority sectors.",
        "We need to improve schools, hospitals, and roads in every region of the country.",
        "Exports of cars, ships, steel, and chemicals all fell by a fifth last year.",
    ],
)
def test_noun_list_is_not_split(sentence: str) -> None:
    assert parts(sentence) == [sentence]


def test_semicolon_separates_two_claims() -> None:
    sentence = (
        "The council approved the budget for the new hospital; "
        "the opposition voted against the plan in protest."
    )
    assert parts(sentence) == [
        "The council approved the budget for the new hospital",
        "the opposition voted against the plan in protest",
    ]


def test_short_clauses_around_a_semicolon_stay_together() -> None:
    assert parts("Tariffs fell; prices rose.") == ["Tariffs fell; prices rose."]


def test_whereas_separates_two_claims() -> None:
    sentence = (
        "Exports of timber grew by a third last year, "
        "whereas imports of steel fell sharply over the same period."
    )
    assert parts(sentence) == [
        "Exports of timber grew by a third last year",
        "imports of steel fell sharply over the same period",
    ]


def test_and_with_a_named_subject_and_a_verb_separates_two_claims() -> None:
    sentence = (
        "The central bank kept interest rates unchanged at its March meeting, "
        "and Norway raised its benchmark rate by a quarter point."
    )
    assert parts(sentence) == [
        "The central bank kept interest rates unchanged at its March meeting",
        "Norway raised its benchmark rate by a quarter point",
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "To secure the strait, the U.S., Japan, and South Korea must hold joint drills each year.",
        "The envoy said Brazil, Argentina, and Chile will sign the accord next year.",
        "Farm output rose in the north, and the government expanded irrigation in the south.",
    ],
)
def test_name_lists_and_shared_subjects_are_not_split(sentence: str) -> None:
    assert parts(sentence) == [sentence]


@pytest.mark.parametrize(
    "sentence",
    [
        "The report lists partners (Canada, Mexico, Chile, and Peru) that could join the union.",
        "Officials discussed the measures (raising tariffs, limiting quotas, and banning "
        "exports) at length during the summit.",
        "The summit (held in Oslo, Bergen, and Tromsø, and Norway hosted it) ended on time.",
    ],
)
def test_lists_inside_brackets_are_not_split(sentence: str) -> None:
    assert parts(sentence) == [sentence]


def test_list_items_keep_the_acronym_stop() -> None:
    sentence = (
        "The agency plans to expand the port, upgrade the rail link, and deepen ties with the U.S."
    )
    assert parts(sentence)[-1] == "deepen ties with the U.S."


def test_split_items_become_claims_with_their_parent_sentence() -> None:
    text = (
        "The coalition agreed on cutting income taxes for low earners, freezing rents in the "
        "capital, and hiring more nurses in rural clinics.\n"
    )
    claims = extract_claims(text)
    assert [c.text for c in claims] == [
        "cutting income taxes for low earners",
        "freezing rents in the capital",
        "hiring more nurses in rural clinics",
    ]
    for claim in claims:
        assert claim.sentence == text.strip()
        assert text[claim.start : claim.end] == claim.text
