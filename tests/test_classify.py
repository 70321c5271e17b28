"""Classification of matched pairs: which figures moved, and which stance flags are real.

Every sentence here is the project's own wording. Quantities come from the real extractor,
so these tests exercise extraction, measures and classification together.
"""

from __future__ import annotations

import pytest

from tests.conftest import claim_ref
from tracker.claims.quantities import extract_quantities
from tracker.compare.classify import classify, quantity_changes
from tracker.compare.flips import stance_changes
from tracker.compare.model import ClaimRef, QuantityRef
from tracker.report.describe import quantity_phrase


def claim(text: str, ordinal: int = 0) -> ClaimRef:
    """A claim as the store would load it, quantities from the extractor."""
    quantities = tuple(
        QuantityRef(q.kind, q.value, q.unit, q.raw) for q in extract_quantities(text)
    )
    return claim_ref(text, ordinal=ordinal, claim_id=ordinal, quantities=quantities)


def moved(old: str, new: str) -> list[tuple[float | None, float | None]]:
    return [
        (q.old.value if q.old else None, q.new.value if q.new else None)
        for q in quantity_changes(claim(old), claim(new))
        if q.moved
    ]


# -- figures ------------------------------------------------------------------------------


def test_a_troop_figure_glued_to_a_dash_that_moved_is_a_quantity_change() -> None:
    old = claim("Washington keeps troops in Japan, around 50,000--and it plans no cut.")
    new = claim("Washington keeps troops in Japan, around 54,000--and it plans no cut.")
    kind, aspects, quantities, _ = classify(old, new)
    assert kind == "modified"
    assert "quantity" in aspects
    assert [(q.old.value, q.new.value) for q in quantities if q.old and q.new] == [
        (50000.0, 54000.0)
    ]


def test_an_emissions_cap_that_moved_is_a_quantity_change_in_tonnes() -> None:
    old = claim("The plan caps national emissions at 523 Mt in 2030.")
    new = claim("The plan caps national emissions at 470 MtCO2e in 2030.")
    kind, aspects, quantities, _ = classify(old, new)
    assert (kind, "quantity" in aspects) == ("modified", True)
    [change] = [q for q in quantities if q.moved]
    assert (change.old.value, change.new.value, change.unit) == (523e6, 470e6, "t CO2e")  # type: ignore[union-attr]
    assert quantity_phrase(change) == "523 Mt → 470 MtCO2e (−53 Mt CO2e)"


def test_an_intensity_target_replaced_by_a_cap_is_one_change_without_arithmetic() -> None:
    # The target changed form (per dollar of output, then an absolute amount): one change
    # from the one figure to the other, and no difference computed across two units.
    old = claim("Emissions per dollar of output are to fall to 0.11 kgCO2e/S$ by 2030.")
    new = claim("Emissions are to peak at no more than 60 MtCO2e by 2030.")
    [change] = [q for q in quantity_changes(old, new) if q.moved]
    assert change.delta is None
    assert quantity_phrase(change) == "0.11 kgCO2e/S$ → 60 MtCO2e"


def test_a_moved_number_the_extractor_cannot_read_is_never_unchanged() -> None:
    # "No. 50" is an identifier, not a quantity; the texts are still not the same claim.
    old = claim("The ministry keeps its reserve fund under rule No. 50 this year.")
    new = claim("The ministry keeps its reserve fund under rule No. 51 this year.")
    assert not old.quantities
    assert classify(old, new)[0] == "modified"


def test_an_rnd_budget_and_an_investment_stock_are_not_a_quantity_change() -> None:
    old = claim("Japan's R&D budget for batteries reached $5 billion in 2022.")
    new = claim("The stock of Japanese direct investment in India stood at $8 billion.")
    assert moved(old.text, new.text) == []
    changes = quantity_changes(old, new)
    money = [q for q in changes if q.unit == "USD"]
    assert len(money) == 2 and all(q.other_measure and not q.moved for q in money)
    assert "quantity" not in classify(old, new)[1]


def test_a_forecast_verb_names_no_measure() -> None:
    # "projected" says how a figure is stated, as "estimated" does: shared by two
    # forecasts of different things, it made them one measure.
    old = "Economic output is projected to average 5% a year."
    new = "Population growth is projected at 0.74% a year."
    assert moved(old, new) == []
    # The same thing forecast twice still moves.
    assert (5.0, 4.0) in moved(
        "Economic output is projected to grow 5% a year.",
        "Economic output is now projected to grow 4% a year.",
    )


def test_the_same_measure_in_other_words_still_moves() -> None:
    old = "Tokyo will raise defence spending beyond the national cap of 1% of GDP."
    new = "Tokyo will raise defence spending to 2% of GDP by 2027."
    assert (1.0, 2.0) in moved(old, new)


def test_two_measures_in_one_claim_pair_with_their_own() -> None:
    old = "The R&D budget was $5 billion, and the FDI stock was $8 billion."
    new = "The R&D budget was $6 billion, and the FDI stock was $8 billion."
    assert moved(old, new) == [(5e9, 6e9)]


def test_a_measured_fact_and_a_goal_of_the_same_thing_are_not_a_move() -> None:
    # "were 18% below" is where emissions stood; "cutting ... 55% below ... by 2036" is where
    # a plan wants them: two figures, listed side by side, not a position moving 18 → 55.
    old = "Emissions in 2022 were about 18% below the 2010 baseline, the agency said."
    new = "The ministry has proposed cutting emissions 55% below 2010 levels by 2036."
    assert moved(old, new) == []
    changes = quantity_changes(claim(old), claim(new))
    shares = [q for q in changes if (q.old or q.new).kind == "percent"]
    assert len(shares) == 2 and all(q.other_measure for q in shares)
    # Two goals of one thing still move, and so do two facts.
    assert (26.0, 46.0) in moved(
        "The plan aims to cut emissions 26% below 2013 levels by 2030.",
        "The plan aims to cut emissions 46% below 2013 levels by 2030.",
    )
    assert (12.0, 15.0) in moved(
        "Output of the mines rose 12% last year.", "Output of the mines rose 15% last year."
    )


def test_a_goal_word_outranks_a_past_tense_verb() -> None:
    # "was raised to 46%" states the new goal, not a measurement.
    assert (26.0, 46.0) in moved(
        "The emissions target is 26% below 2013 levels.",
        "The emissions target was raised to 46% below 2013 levels.",
    )


def test_a_year_both_claims_name_is_no_move_however_often_or_however_written() -> None:
    # The old claim names 2040 twice and the new one once: the second 2040 once paired with
    # the new claim's 2028 as a move.
    old = "States should reach net zero by 2040 and publish a plan for net zero by 2040."
    new = "States should halve coal use by 2028 and reach net zero by 2040."
    assert moved(old, new) == []
    # "the 2045 strategy" and "by 2045" are one year too.
    assert (
        moved("We will submit 2045 strategies soon.", "We will reach net zero by 2045 or 2035.")
        == []
    )


def test_two_years_pair_only_in_the_same_role() -> None:
    # Claims dated 2024 (claim_ref's default). A baseline moved is a change of the position...
    assert moved(
        "Emissions will fall 40% by 2030 compared to 1990 levels.",
        "Emissions will fall 40% by 2030 compared to 2005 levels.",
    ) == [(1990.0, 2005.0)]
    # ...and so is a year the claim looks forward to; but a baseline is no target year, and
    # the year in a name ("the 2006 guidelines") is neither.
    assert (2030.0, 2035.0) in moved(
        "The grid is to run on 60% renewables in 2030.",
        "The grid is to run on 60% renewables in 2035.",
    )
    assert (
        moved(
            "Emissions are to fall 40% from 1990 levels.",
            "Emissions are to fall 40% in 2030 under the 2006 guidelines.",
        )
        == []
    )


# -- stance -------------------------------------------------------------------------------


def dimensions(old: str, new: str) -> list[str]:
    return [s.dimension for s in stance_changes(claim(old), claim(new))]


def test_reduce_to_maximize_on_the_same_object_is_a_direction_flip() -> None:
    old = "The cabinet will lower its reliance on coal power as far as it can."
    # A second direction word ("cutting") elsewhere in the new claim once hid the flip.
    new = (
        "The cabinet will now seek to maximize the use of coal power rather than cutting its role."
    )
    found = stance_changes(claim(old), claim(new))
    assert [s.dimension for s in found] == ["direction"]
    assert found[0].old_words == ("lower",) and found[0].new_words == ("maximize",)


def test_target_as_a_noun_is_not_modality() -> None:
    assert (
        dimensions(
            "The government will cut emissions by 2030.",
            "The government's emissions targets for 2030 are unchanged.",
        )
        == []
    )
    assert dimensions("The levy will start in 2028.", "The levy target is to start in 2028.") == []
    # A noun with its infinitive ("our plans to cut") states no weaker commitment than the
    # plain verb; a subject's verb ("we plan to cut") does.
    firm = "The council will cut the share of the budget spent on roads."
    assert (
        dimensions(
            "The council presses on with its plans to cut the share of the budget spent on roads.",
            firm,
        )
        == []
    )
    assert dimensions("The council plans to cut the share of the budget spent on roads.", firm) == [
        "modality"
    ]


def test_both_sides_opposing_is_no_polarity_flip() -> None:
    assert (
        dimensions(
            "The ministers oppose any unilateral change to the border.",
            "The ministers do not accept any unilateral change to the border.",
        )
        == []
    )


def test_against_as_a_preposition_is_no_polarity() -> None:
    assert (
        dimensions(
            "The allies condemn attacks against power plants.",
            "The allies condemn attacks on power plants and ports.",
        )
        == []
    )


def test_no_later_than_is_a_deadline_not_a_negation() -> None:
    assert (
        dimensions(
            "The country aims to reach net zero by 2050.",
            "The country aims to reach net zero no later than 2050.",
        )
        == []
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # "No." before a number names a law or a decision; it negates nothing.
        (
            "The plan rests on Law No. 12/2019 on coastal protection.",
            "Coastal protection is planned under the new coastal law.",
        ),
        # "no" and "without" both exclude the credits: the same position, no flip.
        (
            "Net contribution of market mechanisms: no contribution from foreign credits.",
            "The target is met at home, without contribution from foreign credits.",
        ),
        # "with and without the provision": both cases are reported, nothing is refused.
        (
            "The ministry will apply the guidance on the flood provision.",
            "The ministry will report losses with and without the flood provision.",
        ),
    ],
)
def test_negators_that_negate_nothing_are_no_flip(old: str, new: str) -> None:
    assert dimensions(old, new) == []


def test_without_is_a_negation_of_the_noun_after_it() -> None:
    assert dimensions(
        "The port will reopen with customs checks.",
        "The port will reopen without customs checks.",
    ) == ["polarity"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("We will approve new drilling licences.", "We will approve no new drilling licences."),
        ("New coal plants will be built.", "No new coal plants will be built."),
    ],
)
def test_no_flips_against_the_same_phrase_in_the_same_frame(old: str, new: str) -> None:
    assert dimensions(old, new) == ["polarity"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # The negated noun is named, but in another frame: descriptions, not reversals.
        (
            "Farmers pay the water levy every spring.",
            "Without the water levy, farmers would lose their income.",
        ),
        (
            "The union defends the right to strike in the public sector.",
            "The court found no right to strike in the public sector statute.",
        ),
        (
            "The region saw little lasting growth in wages.",
            "The region saw no lasting growth in wages.",
        ),
        # "oppose X" against "support Y" on a word they share.
        (
            "We support the expansion of the rail depot.",
            "We oppose the closure of the rail depot.",
        ),
    ],
)
def test_a_noun_negated_or_opposed_elsewhere_is_no_flip(old: str, new: str) -> None:
    assert dimensions(old, new) == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "The cabinet is declining to adopt a levy on imported coal.",
            "The cabinet is adopting a levy on imported coal.",
        ),
        ("The ministry fails to publish the grid audit.", "The ministry publishes the grid audit."),
    ],
)
def test_every_form_of_a_refusal_verb_refuses(old: str, new: str) -> None:
    assert dimensions(old, new) == ["polarity"]


def test_a_refusal_in_another_frame_is_no_flip() -> None:
    # The bill opposes the right; the party defends it. A refusal, like "not", must be an
    # edit of the predicate the texts share, not a new clause that happens to name it.
    assert (
        dimensions(
            "We will defend the right to a jury trial in every court.",
            "The new bill stands in opposition to the right to a jury trial in every court.",
        )
        == []
    )


def test_a_refusal_verb_without_an_infinitive_describes() -> None:
    assert dimensions("Coal imports are declining.", "Coal imports will rise.") == []


def test_oppose_flips_against_support_of_the_same_thing() -> None:
    assert dimensions("We support the new runway.", "We oppose the new runway.") == ["polarity"]


@pytest.mark.parametrize(
    ("old", "new", "dimension"),
    [
        ("The board will approve the deal.", "The board will not approve the deal.", "polarity"),
        ("The city will expand bus lanes.", "The city will shrink bus lanes.", "direction"),
        ("The agency will publish the data.", "The agency may publish the data.", "modality"),
        ("We plan to close the mine.", "We will close the mine.", "modality"),
    ],
)
def test_flips_on_a_shared_predicate_are_found(old: str, new: str, dimension: str) -> None:
    assert dimensions(old, new) == [dimension]
    kind, aspects, _, _ = classify(claim(old), claim(new))
    assert kind == "modified" and "stance" in aspects


def test_a_negated_verb_flips_only_against_that_verb_not_its_object() -> None:
    # Only the object is shared: the old claim negates hindering the shipments, the new one
    # reports on the shipments; nothing was reversed.
    assert (
        dimensions(
            "Both sides must not hinder the shipments of grain from the port.",
            "The shipments of grain from the port doubled this spring.",
        )
        == []
    )
    # The negated verb is shared: a reversal.
    assert dimensions(
        "Both sides will not allow the shipments of grain from the port.",
        "Both sides will allow the shipments of grain from the port.",
    ) == ["polarity"]


def test_a_stance_word_far_from_the_shared_words_is_no_flip() -> None:
    assert (
        dimensions(
            "Ministers discussed the grid, and separately refused a new airport tax.",
            "Ministers discussed the grid and its costs.",
        )
        == []
    )


def test_making_the_fullest_use_of_what_was_to_be_reduced_is_a_direction_flip() -> None:
    assert dimensions(
        "The ministry will cut its reliance on imported coal as far as it can.",
        "The ministry now wants to make the fullest possible use of imported coal.",
    ) == ["direction"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # The modals bear on different verbs ("provide" / "focus"): "continue" is aspect.
        (
            "Budgets should continue to provide targeted support to poorer households.",
            "Budget policy will continue to focus on growth and support for households.",
        ),
        # "will" governs "promote", "could" governs "include": no shared predicate.
        (
            "We will promote secure and diverse digital supply chains.",
            "This could include promoting digital skills in schools.",
        ),
    ],
)
def test_a_modal_bears_on_its_own_verb(old: str, new: str) -> None:
    assert dimensions(old, new) == []


def test_a_modal_flip_past_an_aspect_verb_is_found() -> None:
    assert dimensions(
        "We will continue to strengthen our ties with the islands.",
        "The partners intend to continue to strengthen their ties with the islands.",
    ) == ["modality"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # "away from coal": the transition speeds up, coal goes down; "end new coal" agrees.
        (
            "We will accelerate the transition away from unabated coal power.",
            "We will end new unabated coal power projects abroad.",
        ),
        # "increasing the pace" and "reducing emissions from the fleet" bear on different
        # things; "global" belongs to another phrase on each side.
        (
            "This requires increasing the pace of global decarbonisation of road transport.",
            "We will keep reducing emissions from the global road fleet.",
        ),
        # "limited scope for solar": the scope is limited, not the deployment of solar.
        (
            "The government is increasing the deployment of solar panels.",
            "Dense cities leave limited scope for solar panels.",
        ),
    ],
)
def test_a_direction_word_bears_on_its_object_not_a_later_phrase(old: str, new: str) -> None:
    assert dimensions(old, new) == []


def test_no_or_limited_is_a_bound_not_a_refusal() -> None:
    assert (
        dimensions(
            "Scenarios that limit warming to 2 degrees need deep cuts.",
            "Pathways limit warming to 1.5 degrees with no or limited overshoot.",
        )
        == []
    )


def test_a_contracted_negation_is_a_negation() -> None:
    assert dimensions(
        "The council will close the depot.", "The council won't close the depot."
    ) == ["polarity"]
    assert dimensions("We can accept the offer.", "We cannot accept the offer.") == ["polarity"]
    # Both sides negative: no one left in poverty / a parent shouldn't raise children in it.
    assert (
        dimensions(
            "No one with children who works full time should be left in poverty.",
            "A parent in full-time work shouldn't have to raise children in poverty.",
        )
        == []
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # A plain negator flips only against its own verb and object, never against
        # "support" of a word it happens to share.
        (
            "With paid leave, staff don't have to pick between family and work.",
            "We support family and work balance through paid leave.",
        ),
        # The verb is shared, its object is not: taxes against the cost of care.
        (
            "Damage awards raise the cost of care for every family.",
            "We will not raise taxes to pay for care.",
        ),
        # "no" before an actor negates no position.
        (
            "We will make sure no Americans are left out of the recovery.",
            "The recovery must reach towns that were left out for decades.",
        ),
    ],
)
def test_descriptive_negation_is_no_polarity_flip(old: str, new: str) -> None:
    assert dimensions(old, new) == []


def test_condemning_is_opposing_so_both_sides_are_negative() -> None:
    # Deploring the shelling and reporting a withdrawal from the deal: both sides oppose,
    # nothing was reversed.
    assert (
        dimensions(
            "We deplore the shelling of Black Sea ports.",
            "Exports resumed despite the shelling and the withdrawal from the Black Sea deal.",
        )
        == []
    )


def test_a_negated_include_flips_only_against_include() -> None:
    # "include" is no content word (it marks lists), but it is a predicate a claim negates.
    assert dimensions(
        "Emissions from forest land will be included in the base year.",
        "Emissions from forest land are not included in the base year.",
    ) == ["polarity"]
    assert (
        dimensions(
            "The country supports agreed rules for reporting aviation emissions.",
            "The country does not include aviation emissions in its target.",
        )
        == []
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # "not" after a noun contrasts two things; it refuses nothing.
        (
            "Our health service was once the envy of the world.",
            "It is a health service for the nation, not a health service for the world.",
        ),
        # A ban and "shall not be used" both oppose the use.
        (
            "Controlled drugs shall not be used for assisted suicide.",
            "The ban on the use of controlled drugs for assisted suicide should be restored.",
        ),
    ],
)
def test_a_contrast_or_two_negatives_is_no_polarity_flip(old: str, new: str) -> None:
    assert dimensions(old, new) == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # "that limit": the barriers limit access, the claim does not.
        (
            "Trade barriers that limit market access hurt our farmers.",
            "New agreements will expand market access for our farmers.",
        ),
        # "oppose tax increases" is against a rise, as "cut taxes" is.
        (
            "We oppose tax increases on working families.",
            "We will cut taxes on working families.",
        ),
    ],
)
def test_a_described_or_opposed_move_is_no_direction_flip(old: str, new: str) -> None:
    assert "direction" not in dimensions(old, new)


# -- a flip bears on one predicate: the same place in both texts (stance.aligned_words) ------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # "failed to reach" negates reaching; the other claim shares only the object.
        (
            "Half of the pupils fail to reach the expected standard in reading.",
            "Half of the pupils were up to the standard in reading last year.",
        ),
        # "rather than" negates what follows it: both claims refuse the penalty.
        (
            "The fund will assist, not penalise, farmers who change crops.",
            "The fund will assist, rather than penalise, farmers who change crops.",
        ),
        # The shared words stand elsewhere in the other claim: "work" there is another
        # predicate, on another subject.
        (
            "Ministers admit the rules did not work for small ports.",
            "Small ports and the new scheme will work together.",
        ),
    ],
)
def test_a_negation_off_the_shared_predicate_is_no_flip(old: str, new: str) -> None:
    assert "polarity" not in dimensions(old, new)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "Emissions from forest land will be included in the base year.",
            "Emissions from forest land are not included in the base year.",
        ),
        (
            "Emissions from forest land have been included in the inventory.",
            "Emissions from forest land have not yet been included in the inventory.",
        ),
    ],
)
def test_a_negation_edited_into_the_same_predicate_flips(old: str, new: str) -> None:
    assert dimensions(old, new) == ["polarity"]
