"""Tests for tracker.claims.quantities: quantity extraction from English policy sentences."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tracker.claims.quantities as quantities_module
from tests.conftest import seed_manifest, seed_text
from tracker.claims.quantities import Quantity, extract_quantities
from tracker.claims.quantity_format import format_value, quantity_key

# Typographic characters as escapes: they look like ASCII in an editor.
EN = "\u2013"  # en dash
EM = "\u2014"  # em dash
RSQ = "\u2019"  # right single quotation mark (apostrophe)

Row = tuple[str, float, str, str]  # (kind, value, unit, raw)


def rows(text: str) -> list[Row]:
    """The extracted quantities as comparable tuples, after checking their spans."""
    found = extract_quantities(text)
    for q in found:
        assert text[q.start : q.end] == q.raw
    return [(q.kind, q.value, q.unit, q.raw) for q in found]


def only(text: str) -> Quantity:
    """The single quantity in ``text``."""
    found = extract_quantities(text)
    assert len(found) == 1, found
    return found[0]


# --------------------------------------------------------------------------------------
# Real-text constructs from the briefs.
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Tokyo lifted its military budget past the old ceiling of 1 percent "
            "of gross domestic product",
            [("percent", 1.0, "% of GDP", "1 percent of gross domestic product")],
        ),
        (
            "increasing defence spending to 2% of GDP in 2027",
            [("percent", 2.0, "% of GDP", "2% of GDP"), ("year", 2027.0, "year", "2027")],
        ),
        (
            "bilateral commerce reached \\$190.4 billion and the gap stood at \\$58.4 billion",
            [
                ("money", 190.4e9, "USD", "\\$190.4 billion"),
                ("money", 58.4e9, "USD", "\\$58.4 billion"),
            ],
        ),
        (
            "ranked as the second-largest market, taking (18.5%) of shipments and "
            "supplying (11.3%)",
            [
                ("rank", 2.0, "rank", "second-largest"),
                ("percent", 18.5, "%", "18.5%"),
                ("percent", 11.3, "%", "11.3%"),
            ],
        ),
        (
            "the cut in carbon output is now 46% (previously 26%) by 2030 against 2013",
            [
                ("percent", 46.0, "%", "46%"),
                ("percent", 26.0, "%", "26%"),
                ("year", 2030.0, "by-year", "by 2030"),
                ("year", 2013.0, "year", "2013"),
            ],
        ),
        (
            "about 55,000 American troops",
            [("count", 55000.0, "troops", "55,000 American troops")],
        ),
        (
            "(\\$800 billion invested in factories, supporting 1 million jobs)",
            [
                ("money", 800e9, "USD", "\\$800 billion"),
                ("count", 1e6, "jobs", "1 million jobs"),
            ],
        ),
        ("to \\$13.9 billion", [("money", 13.9e9, "USD", "\\$13.9 billion")]),
        (
            f"an increase of $8 billion{EM}more than four times the current amount",
            [("money", 8e9, "USD", "$8 billion"), ("count", 4.0, "times", "four times")],
        ),
        (
            "only 25 percent of the Japanese public",
            [("percent", 25.0, "%", "25 percent")],
        ),
        (
            f"Japan{RSQ}s third-largest trading partner",
            [("rank", 3.0, "rank", "third-largest")],
        ),
        (
            "the fourth-largest trading partner of the U.S.",
            [("rank", 4.0, "rank", "fourth-largest")],
        ),
        (
            "establishing a JSDF Joint Operations Command by 2025",
            [("year", 2025.0, "by-year", "by 2025")],
        ),
        (
            "more than 60 percent of global trade",
            [("percent", 60.0, "%", "60 percent")],
        ),
    ],
)
def test_real_text(text: str, expected: list[Row]) -> None:
    assert rows(text) == expected


def test_offsets_index_the_text_passed_in() -> None:
    text = "Spending rose to 2% of GDP, and 55,000 troops stay until 2035."
    found = extract_quantities(text)
    assert [(q.start, q.end) for q in found] == [
        (17, 26),
        (32, 45),
        (51, 61),
    ]
    assert [q.raw for q in found] == ["2% of GDP", "55,000 troops", "until 2035"]


# --------------------------------------------------------------------------------------
# Percentages and shares of GDP.
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "raw"),
    [
        ("a rise of 46%", 46.0, "%", "46%"),
        ("a rise of 46 %", 46.0, "%", "46 %"),
        ("a rise of 46 percent", 46.0, "%", "46 percent"),
        ("a rise of 46 per cent", 46.0, "%", "46 per cent"),
        ("a rise of 46 Percent", 46.0, "%", "46 Percent"),
        ("a rise of 4.6pc", 4.6, "%", "4.6pc"),
        ("2% of GDP", 2.0, "% of GDP", "2% of GDP"),
        ("2 percent of GDP", 2.0, "% of GDP", "2 percent of GDP"),
        ("2 per cent of its GDP", 2.0, "% of GDP", "2 per cent of its GDP"),
        ("2pc of GDP", 2.0, "% of GDP", "2pc of GDP"),
        (
            "1 percent of gross domestic product",
            1.0,
            "% of GDP",
            "1 percent of gross domestic product",
        ),
        (f"2% of Japan{RSQ}s GDP", 2.0, "% of GDP", f"2% of Japan{RSQ}s GDP"),
        ("2% of the country's GDP", 2.0, "% of GDP", "2% of the country's GDP"),
        ("up 0.5 percentage points", 0.5, "pp", "0.5 percentage points"),
        ("up 1 percentage point", 1.0, "pp", "1 percentage point"),
        ("up 0.5pp", 0.5, "pp", "0.5pp"),
        ("up 0.5 percentage points of GDP", 0.5, "pp of GDP", "0.5 percentage points of GDP"),
    ],
)
def test_percent_forms(text: str, value: float, unit: str, raw: str) -> None:
    q = only(text)
    assert (q.kind, q.value, q.unit, q.raw) == ("percent", value, unit, raw)


def test_percent_of_something_else_is_plain_percent() -> None:
    assert rows("more than 60 percent of global trade") == [("percent", 60.0, "%", "60 percent")]


def test_previously_gives_two_quantities() -> None:
    assert [q.value for q in extract_quantities("by 46% (previously 26%)")] == [46.0, 26.0]


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        (f"support stands at 36{EN}38%", f"36{EN}38%"),
        ("support stands at 36-38 percent", "36-38 percent"),
        ("support stands at 36 - 38 percent", "36 - 38 percent"),
        (f"support stands at 36%{EN}38%", f"36%{EN}38%"),
    ],
)
def test_percent_range_is_one_quantity_at_its_midpoint(text: str, raw: str) -> None:
    q = only(text)
    assert (q.kind, q.value, q.unit, q.raw) == ("percent", 37.0, "%", raw)


def test_between_percent_range() -> None:
    q = only("support is between 40 and 50 percent")
    assert (q.value, q.unit, q.raw) == (45.0, "%", "between 40 and 50 percent")


def test_from_to_is_a_change_not_a_range() -> None:
    assert [q.value for q in extract_quantities("from 26% to 46%")] == [26.0, 46.0]


# --------------------------------------------------------------------------------------
# Money.
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "raw"),
    [
        ("$4.5 billion", 4.5e9, "USD", "$4.5 billion"),
        ("$4.5bn", 4.5e9, "USD", "$4.5bn"),
        ("$4.5 bn", 4.5e9, "USD", "$4.5 bn"),
        ("$5m", 5e6, "USD", "$5m"),
        ("$3B", 3e9, "USD", "$3B"),
        ("$1,500", 1500.0, "USD", "$1,500"),
        ("$2 trillion", 2e12, "USD", "$2 trillion"),
        ("$2tn", 2e12, "USD", "$2tn"),
        ("$750 thousand", 750e3, "USD", "$750 thousand"),
        ("US$3 million", 3e6, "USD", "US$3 million"),
        ("US $3 million", 3e6, "USD", "US $3 million"),
        ("U.S.$3 million", 3e6, "USD", "U.S.$3 million"),
        ("\\$190.4 billion", 190.4e9, "USD", "\\$190.4 billion"),
        ("US\\$3 million", 3e6, "USD", "US\\$3 million"),
        ("\u20ac10 billion", 10e9, "EUR", "\u20ac10 billion"),
        ("\u00a51 trillion", 1e12, "JPY", "\u00a51 trillion"),
        ("\u00a3300 million", 300e6, "GBP", "\u00a3300 million"),
        ("USD 5 billion", 5e9, "USD", "USD 5 billion"),
        ("20 trillion yen", 20e12, "JPY", "20 trillion yen"),
        ("5 billion dollars", 5e9, "USD", "5 billion dollars"),
        ("5 billion US dollars", 5e9, "USD", "5 billion US dollars"),
        ("5 billion U.S. dollars", 5e9, "USD", "5 billion U.S. dollars"),
        ("10 million euros", 10e6, "EUR", "10 million euros"),
        ("10 million pounds", 10e6, "GBP", "10 million pounds"),
        ("100 yen", 100.0, "JPY", "100 yen"),
        ("$4-5 billion", 4.5e9, "USD", "$4-5 billion"),
    ],
)
def test_money_forms(text: str, value: float, unit: str, raw: str) -> None:
    q = only(f"a budget of {text} in total")
    assert (q.kind, q.value, q.unit, q.raw) == ("money", value, unit, raw)


def test_escaped_dollar_raw_starts_at_the_backslash() -> None:
    text = "commerce reached \\$190.4 billion"
    q = only(text)
    assert q.start == text.index("\\")
    assert q.raw.startswith("\\$")


def test_money_without_a_number_is_not_extracted() -> None:
    assert rows("millions of dollars were spent") == []
    assert rows("billions of yen") == []


def test_dollar_of_another_currency_is_not_usd() -> None:
    assert all(q.kind != "money" for q in extract_quantities("A$5 and HK$7 million"))


# --------------------------------------------------------------------------------------
# Counts.
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "raw"),
    [
        ("about 55,000 American troops", 55000.0, "troops", "55,000 American troops"),
        ("70 agreements", 70.0, "agreements", "70 agreements"),
        ("1 million jobs", 1e6, "jobs", "1 million jobs"),
        ("300 million people", 300e6, "people", "300 million people"),
        ("four new bases", 4.0, "bases", "four new bases"),
        ("Four bases", 4.0, "bases", "Four bases"),
        ("twelve ships", 12.0, "ships", "twelve ships"),
        ("1.5 degrees Celsius", 1.5, "degrees", "1.5 degrees"),
        (
            "55,000 active-duty American troops",
            55000.0,
            "troops",
            "55,000 active-duty American troops",
        ),
        ("10-15 ships", 12.5, "ships", "10-15 ships"),
        ("two million people", 2e6, "people", "two million people"),
        ("1,200 personnel", 1200.0, "personnel", "1,200 personnel"),
        ("400 Tomahawk missiles.", 400.0, "missiles", "400 Tomahawk missiles"),
        ("55,000 U.S. troops", 55000.0, "troops", "55,000 U.S. troops"),
    ],
)
def test_count_forms(text: str, value: float, unit: str, raw: str) -> None:
    q = only(text)
    assert (q.kind, q.value, q.unit, q.raw) == ("count", value, unit, raw)


def test_bare_scaled_number_is_a_count_without_unit() -> None:
    q = only("a population of more than 1.2 billion")
    assert (q.kind, q.value, q.unit, q.raw) == ("count", 1.2e9, "", "1.2 billion")


@pytest.mark.parametrize(
    "text",
    [
        "Article 9 of the constitution",
        "about 55,000.",
        "nine of the",
        "one base",  # "one" is not among the spelled numbers
        "two-thirds of the budget",
        "a 5-year plan",
        "55,000-strong force",
        "the 2+2 meeting of ministers",
        "the four of them",
        "seven is a number",
    ],
)
def test_numbers_without_a_noun_are_not_counts(text: str) -> None:
    assert rows(text) == []


def test_spelled_number_needs_a_plural_noun() -> None:
    assert rows("the nine") == []
    assert rows("nine bases") == [("count", 9.0, "bases", "nine bases")]


def test_head_noun_is_searched_in_the_next_three_words_only() -> None:
    assert rows("5 very big new ships") == []
    assert rows("5 big new ships") == [("count", 5.0, "ships", "5 big new ships")]


# --------------------------------------------------------------------------------------
# Years and deadlines.
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit", "raw"),
    [
        ("by 2030", "by-year", "by 2030"),
        ("By 2030", "by-year", "By 2030"),
        ("by the end of 2030", "by-year", "by the end of 2030"),
        ("until 2030", "by-year", "until 2030"),
        ("before 2030", "by-year", "before 2030"),
        ("no later than 2030", "by-year", "no later than 2030"),
        ("by end-2030", "by-year", "by end-2030"),
        ("by fiscal 2030", "by-year", "by fiscal 2030"),
        ("by FY2030", "by-year", "by FY2030"),
        ("by March 2030", "by-year", "by March 2030"),
        ("by 16 April 2030", "by-year", "by 16 April 2030"),
        ("in 2030", "year", "2030"),
        ("from 2030", "year", "2030"),
        ("the 2030 target", "year", "2030"),
    ],
)
def test_years_and_deadlines(text: str, unit: str, raw: str) -> None:
    q = only(f"emissions fall {text}.")
    assert (q.kind, q.value, q.unit, q.raw) == ("year", 2030.0, unit, raw)


def test_year_bounds() -> None:
    assert [q.value for q in extract_quantities("1900 and 2099")] == [1900.0, 2099.0]
    assert rows("1899 or 2100") == []


def test_year_in_the_name_of_an_agreement() -> None:
    text = "the 2019 U.S.-Japan Digital Trade Agreement"
    assert rows(text) == [("year", 2019.0, "year", "2019")]


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        (f"between 2008{EN}2018", f"2008{EN}2018"),
        ("over 2008-2018", "2008-2018"),
        ("over 2008-18", "2008-18"),
        ("between 2008 and 2018", "between 2008 and 2018"),
    ],
)
def test_year_range_is_one_year_quantity(text: str, raw: str) -> None:
    q = only(text)
    assert (q.kind, q.value, q.unit, q.raw) == ("year", 2008.0, "year", raw)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("talks on 8-14 April", []),
        (f"talks on 8{EN}14 April", []),
        ("talks on 16 April", []),
        ("talks on April 16", []),
        ("talks on 16th April", []),
        ("talks on April 16th", []),
        ("talks on 16 April 2024", [("year", 2024.0, "year", "2024")]),
        ("talks on April 16, 2024", [("year", 2024.0, "year", "2024")]),
        ("talks on 8-14 April 2024", [("year", 2024.0, "year", "2024")]),
    ],
)
def test_dates_only_yield_their_year(text: str, expected: list[Row]) -> None:
    assert rows(text) == expected


def test_decade_and_scaled_year_shaped_numbers_are_not_years() -> None:
    assert rows("in the 2030s") == []
    assert rows("2000 million people") == [
        ("count", 2e9, "people", "2000 million people"),
    ]


# --------------------------------------------------------------------------------------
# Ranks.
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "raw"),
    [
        ("the second-largest economy", 2.0, "second-largest"),
        ("the third-largest trading partner", 3.0, "third-largest"),
        ("ranked fourth", 4.0, "fourth"),
        ("the first-ever visit", 1.0, "first-ever"),
        ("the 3rd", 3.0, "3rd"),
        ("the first visit", 1.0, "first"),
        ("the 21st-largest", 21.0, "21st-largest"),
        ("Second-largest exporter", 2.0, "Second-largest"),
        ("its twelfth round", 12.0, "twelfth"),
    ],
)
def test_ranks(text: str, value: float, raw: str) -> None:
    q = only(text)
    assert (q.kind, q.value, q.unit, q.raw) == ("rank", value, "rank", raw)


@pytest.mark.parametrize(
    "text",
    [
        "at first the talks stalled",
        "first of all the talks stalled",
        "first and foremost a trade deal",
        "in the first place a trade deal",
        "First, the alliance must adapt",
        "a third of the budget",
        "one fifth of the budget",
        "two-thirds of the budget",
        "a no-first-use pledge",
        "third parties",
        "exports to third countries",
        "a third-party audit",
        "a first-hand account",
        "the 21st century",
        "21st-century threats",
        "near Second Thomas Shoal",
        "the Seventh Fleet",
        "one per second",
        "firstly and secondly",
    ],
)
def test_not_ranks(text: str) -> None:
    assert all(q.kind != "rank" for q in extract_quantities(text))


# --------------------------------------------------------------------------------------
# Things that look like numbers but are not quantities.
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "the G7 summit",
        "G7 leaders",
        "5G networks",
        "6G research",
        "F-35 fighters",
        "F-35s",
        "AUKUS Pillar II",
        "COVID-19 vaccines",
        "24/7 operations",
        "the 2+2 dialogue",
    ],
)
def test_not_quantities(text: str) -> None:
    assert rows(text) == []


def test_a_long_sentence_mixing_everything() -> None:
    text = (
        f"By 2027, Japan{RSQ}s defence budget will reach 2% of GDP (\u00a543 trillion over five "
        "years), making it the third-largest spender; 55,000 U.S. troops remain."
    )
    assert rows(text) == [
        ("year", 2027.0, "by-year", "By 2027"),
        ("percent", 2.0, "% of GDP", "2% of GDP"),
        ("money", 43e12, "JPY", "\u00a543 trillion"),
        ("count", 5.0, "years", "five years"),
        ("rank", 3.0, "rank", "third-largest"),
        ("count", 55000.0, "troops", "55,000 U.S. troops"),
    ]


# --------------------------------------------------------------------------------------
# Greenhouse-gas amounts: the figures of an emissions target, in tonnes of CO2 equivalent.
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a cap of 65 MtCO2e for the decade", [("emissions", 65e6, "t CO2e", "65 MtCO2e")]),
        ("to 536 MtCO2eq by then", [("emissions", 536e6, "t CO2e", "536 MtCO2eq")]),
        ("about 730 Mt CO2-eq. last year", [("emissions", 730e6, "t CO2e", "730 Mt CO2-eq")]),
        ("cut to 523 Mt across the economy", [("emissions", 523e6, "t CO2e", "523 Mt")]),
        ("a fall of 1.2 Gt CO2e", [("emissions", 1.2e9, "t CO2e", "1.2 Gt CO2e")]),
        ("peaking at 815 megatonnes (Mt)", [("emissions", 815e6, "t CO2e", "815 megatonnes")]),
        ("an inventory of 1.457 Gg CO2e", [("emissions", 1457.0, "t CO2e", "1.457 Gg CO2e")]),
        (
            "51.2 million tonnes of CO2 equivalent",
            [("emissions", 51.2e6, "t CO2e", "51.2 million tonnes of CO2 equivalent")],
        ),
        (
            "plants that emit 100,000 tonnes of carbon dioxide a year",
            [("emissions", 1e5, "t CO2e", "100,000 tonnes of carbon dioxide")],
        ),
        (
            "an intensity of 0.113 kgCO2e/S$",
            [("emissions", 0.113e-3, "t CO2e/SGD", "0.113 kgCO2e/S$")],
        ),
        (
            "8 tonnes of CO2e per capita",
            [("emissions", 8.0, "t CO2e/capita", "8 tonnes of CO2e per capita")],
        ),
        # A plain tonne with no gas is a count of what it weighs.
        ("the mill shipped 5 tonnes of steel", [("count", 5.0, "tonnes", "5 tonnes")]),
        ("a lorry of 12 t of gravel", []),
    ],
)
def test_emissions_are_read_in_tonnes_of_co2_equivalent(text: str, expected: list[Row]) -> None:
    found = rows(text)
    assert [(k, u, r) for k, _, u, r in found] == [(k, u, r) for k, _, u, r in expected]
    assert [v for _, v, _, _ in found] == pytest.approx([v for _, v, _, _ in expected])


# --------------------------------------------------------------------------------------
# format_value and quantity_key.
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "formatted"),
    [
        ("2% of GDP", "2% of GDP"),
        ("1 percent of gross domestic product", "1% of GDP"),
        ("18.5%", "18.5%"),
        ("0.5 percentage points", "0.5 pp"),
        ("$4.5 billion", "$4.5 billion"),
        ("\\$190.4 billion", "$190.4 billion"),
        ("20 trillion yen", "\u00a520 trillion"),
        ("\u20ac10 million", "\u20ac10 million"),
        ("\u00a3300 million", "\u00a3300 million"),
        ("$1,500", "$1,500"),
        ("55,000 American troops", "55,000 troops"),
        ("1 million jobs", "1 million jobs"),
        ("1.5 degrees", "1.5 degrees"),
        ("more than 1.2 billion", "1.2 billion"),
        ("in 2030", "2030"),
        ("by 2030", "2030"),
        ("the second-largest", "2nd"),
        ("the first visit", "1st"),
        ("the 3rd", "3rd"),
        ("the eleventh", "11th"),
        ("the 22nd", "22nd"),
        ("the 113th", "113th"),
        ("65 MtCO2e", "65 Mt CO2e"),
        ("51.2 million tonnes of CO2 equivalent", "51.2 Mt CO2e"),
        ("1.457 Gg CO2e", "1.457 kt CO2e"),
        ("0.113 kgCO2e/S$", "0.113 kg CO2e/SGD"),
    ],
)
def test_format_value(text: str, formatted: str) -> None:
    assert format_value(only(text)) == formatted


def test_format_value_of_constructed_quantities() -> None:
    def q(value: float, unit: str, kind: str) -> Quantity:
        return Quantity(value=value, unit=unit, raw="", start=0, end=0, kind=kind)

    assert format_value(q(1e10, "CNY", "money")) == "10 billion CNY"
    assert format_value(q(0.25, "pp of GDP", "percent")) == "0.25 pp of GDP"
    assert format_value(q(7.0, "", "count")) == "7"
    assert format_value(q(float("inf"), "USD", "money")) == "inf USD"


def test_quantity_key() -> None:
    a = only("spending of 2% of GDP")
    b = only("spending of 1 percent of gross domestic product")
    c = only("a 2% rise")
    assert quantity_key(a) == quantity_key(b) == ("percent", "% of GDP")
    assert quantity_key(c) == ("percent", "%")
    assert quantity_key(only("by 2030")) == ("year", "by-year")
    assert quantity_key(only("in 2030")) == ("year", "year")
    assert quantity_key(only("55,000 troops")) == ("count", "troops")


def test_quantity_is_frozen() -> None:
    q = only("46%")
    with pytest.raises(AttributeError):
        q.value = 1.0  # type: ignore[misc]


# --------------------------------------------------------------------------------------
# Robustness: arbitrary text, odd Unicode, and linear time.
# --------------------------------------------------------------------------------------


def check_invariants(text: str) -> None:
    """Spans in bounds, sorted, non-overlapping and equal to ``raw``; kinds known."""
    found = extract_quantities(text)
    previous_end = 0
    for q in found:
        assert 0 <= q.start < q.end <= len(text)
        assert q.start >= previous_end
        assert text[q.start : q.end] == q.raw
        assert q.kind in {"percent", "money", "count", "year", "rank"}
        assert isinstance(format_value(q), str)
        previous_end = q.end


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_property_arbitrary_text(text: str) -> None:
    check_invariants(text)


# Text built from the characters the patterns care about, so that examples hit the patterns.
_PIECES = st.sampled_from(
    [
        " ", ",", ".", "-", EN, EM, "%", "$", "\\", "\u20ac", "\u00a5", "(", ")", "'", RSQ,
        "0", "1", "2", "5", "19", "20", "30", "2030", "55,000", "18.5",
        "by", "the", "end", "of", "GDP", "percent", "per cent", "points", "billion", "bn",
        "m", "yen", "dollars", "troops", "American", "second", "-largest", "first", "third",
        "April", "16", "th", "st", "between", "and", "four", "times", "G", "F", "US",
    ]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_property_quantity_like_text(text: str) -> None:
    check_invariants(text)


@pytest.mark.parametrize(
    "text",
    [
        "the \u017fecond-largest",  # long s: matches (?i)s
        "5 b\u0131llion dollars",  # dotless i: matches (?i)i
        "the \u212aorean second",  # Kelvin sign: matches (?i)k
        "\u0663\u0664 troops and \uff15\uff10 percent",  # non-ASCII digits
        "1" * 400 + " troops",  # overflows a float
        "$" + "9" * 400 + " billion",
        "1e5 troops",
        "",
        "\x00\ud7ff\U0010ffff",
    ],
)
def test_odd_text_does_not_raise(text: str) -> None:
    check_invariants(text)


def test_huge_numbers_are_dropped_not_reported_as_infinity() -> None:
    assert rows("1" * 400 + " troops") == []


def test_long_runs_of_digits_commas_and_spaces_finish() -> None:
    rng = random.Random(1234)
    text = "".join(rng.choice("0123456789,,   ") for _ in range(100_000))
    check_invariants(text)
    check_invariants("1" + ",000" * 25_000)
    check_invariants("1" * 100_000)
    check_invariants("1 " + " " * 100_000 + "%")
    check_invariants("by " * 33_000 + "2030")


@pytest.mark.parametrize(
    "text",
    ["Section 232 tariffs", "Article 5 commitments", "No. 2 ships", "Pillar 2 projects"],
)
def test_numbers_after_a_label_word_are_identifiers_not_counts(text: str) -> None:
    assert rows(text) == []


def test_one_counts_only_with_a_scale_word() -> None:
    assert rows("one million people") == [("count", 1e6, "people", "one million people")]
    assert rows("one base") == []


def test_hyphenated_percent() -> None:
    assert rows("a 46-percent cut") == [("percent", 46.0, "%", "46-percent")]


def test_range_with_to_is_one_quantity_but_from_to_is_two() -> None:
    (q,) = extract_quantities("Renewables are to supply 36 to 38 percent of power.")
    assert q.raw == "36 to 38 percent" and q.value == 37.0 and q.unit == "%"
    moved = extract_quantities("The goal went from 26 to 46 percent.")
    assert [q.raw for q in moved] == ["46 percent"]


# -- the pass-skipping fast path finds exactly what running every pass finds -----------------

_WORDY = st.sampled_from(
    [
        " ", "-", "first", "FIRST", "f\u0131rst", "F\u0130RST", "\u017fecond", "seCond", "third",
        "twelfth", "one", "ONE", "tw\u00f6", "seven", "\u017feven", "million", "billion",
        "buyers", "troops", "largest", "-largest", "-time", "4", "2030", "\u00a3", "5th", "no",
    ]
)  # fmt: skip


def _all_passes(text: str) -> list[Quantity]:
    return quantities_module._extract(text, quantities_module._PASSES)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_PIECES, _WORDY), max_size=40).map("".join))
def test_skipping_passes_never_changes_the_result(text: str) -> None:
    assert extract_quantities(text) == _all_passes(text)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_skipping_passes_never_changes_the_result_on_any_text(text: str) -> None:
    assert extract_quantities(text) == _all_passes(text)


@pytest.mark.evaluation
def test_skipping_passes_on_the_seed_briefs() -> None:
    lines = [line for brief in seed_manifest() for line in seed_text(brief["file"][:3]).split("\n")]
    assert sum(bool(extract_quantities(line)) for line in lines) > 20
    for line in lines:
        assert extract_quantities(line) == _all_passes(line)


# --------------------------------------------------------------------------------------
# Figures glued to punctuation (text converted from PDF, Markdown or plain-text mail).
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The United States keeps troops in Japan, around 50,000--and more on rotation.",
        "The United States keeps troops in Japan, around 50,000\u2014and more on rotation.",
        "The United States keeps troops in Japan, around 50,000 \u2013 and more on rotation.",
        "The United States keeps troops in Japan (50,000) and more on rotation.",
        "U.S. forces in Japan number around 50,000; more rotate through.",
    ],
)
def test_a_count_glued_to_punctuation_finds_its_noun_before_it(text: str) -> None:
    found = [(q.kind, q.value) for q in extract_quantities(text)]
    assert found == [("count", 50000.0)]
    assert extract_quantities(text)[0].unit in ("troops", "forces")


def test_a_double_hyphen_does_not_glue_a_count_to_the_next_word() -> None:
    assert rows("about 54,000 troops--and more") == [("count", 54000.0, "troops", "54,000 troops")]
    assert rows("some 8,000 sailors\u2014and their families") == [
        ("count", 8000.0, "sailors", "8,000 sailors")
    ]


def test_a_footnote_mark_after_a_figure_is_not_part_of_it() -> None:
    assert rows("54,000a troops stay") == [("count", 54000.0, "troops", "54,000a troops")]
    assert rows("net zero by 2050c, as agreed") == [("year", 2050.0, "by-year", "by 2050")]


def test_a_slash_before_a_word_ends_a_figure_but_not_between_numbers() -> None:
    assert rows("24/7 operations") == []
    assert rows("300 ships/year") == [("count", 300.0, "ships", "300 ships")]


def test_a_noun_before_a_number_needs_a_linking_word() -> None:
    # A bare number after a noun names nothing: "troops 50,000" could be a caption.
    assert rows("about 55,000.") == []
    assert rows("the troops 50,000 strong") == []
    assert rows("Troops rose from 50,000 to 54,000.") == [
        ("count", 50000.0, "troops", "50,000"),
        ("count", 54000.0, "troops", "54,000"),
    ]
