"""Classes of extraction failure met in official Markdown and PDF documents, each on a small
document of our own words: nested legal lists and their lead-ins, escaped list markers, bold
words that carry on a sentence, wrapped lines at full width, HTML tags wrapped over lines,
lead-ins without their colon, and the debris rules that judge them."""

from __future__ import annotations

from pathlib import Path

from tracker.claims import ClaimDraft, extract_claims
from tracker.claims.debris import classify, debris
from tracker.claims.line_kinds import marker_style
from tracker.ingest.readers import read_document


def claims(name: str, text: str) -> list[ClaimDraft]:
    doc = read_document(Path(name), text.encode("utf-8"))
    return extract_claims(doc.text, hard_wrapped=doc.hard_wrapped)


NESTED = """\
# Order on Harbour Safety

     (a)  Within 90 days of the date of this order, the Harbour Master
shall issue rules for the night ferries.  These rules shall, at a
minimum:

          (i)    set the crew that each ferry must carry at night,
including:

               (A)  the number of deckhands that each crossing needs on
board at all times; and

               (B)  records that each ferry operator must keep for every
crossing, including information establishing:

                    (1)  the name of the captain on duty for the crossing;

                    (2)  the hour at which each crossing left the pier; and

               (C)  the training that each deckhand must complete before
the first crossing of the season;

          (ii)   require a second radio on every ferry that crosses after
dark; and

     (b)  The Harbour Master shall report to the council on these rules
within one year of the date of this order.
"""


def test_nested_list_items_carry_the_chain_of_their_lead_ins() -> None:
    found = {c.text.split(";")[0]: c.context for c in claims("order.md", NESTED)}
    regs = "These rules shall, at a minimum:"
    crew = "set the crew that each ferry must carry at night, including:"
    records = (
        "records that each ferry operator must keep for every crossing, including "
        "information establishing:"
    )
    assert found["the name of the captain on duty for the crossing"] == f"{regs} {crew} {records}"
    # Back up one level: (C) follows (B), under the crew lead-in, not under the records.
    assert (
        found[
            "the training that each deckhand must complete before the first crossing of the season"
        ]
        == f"{regs} {crew}"
    )
    # Back up two levels: (ii) is an item of the rules again.
    assert found["require a second radio on every ferry that crosses after dark"] == regs
    # A paragraph of its own after the list carries no lead-in.
    assert (
        found[
            "The Harbour Master shall report to the council on these rules within one year of "
            "the date of this order."
        ]
        is None
    )
    count, bad = debris(claims("order.md", NESTED))
    assert count >= 7 and bad == []


def test_marker_styles_tell_list_levels_apart() -> None:
    assert marker_style("(a)") == "(a)" == marker_style("(q)")
    assert marker_style("(iv)") == "(i)" == marker_style("(ii)")
    assert marker_style("(B)") == "(A)"
    assert marker_style("3.") == "1." and marker_style("(12)") == "(1)"
    assert marker_style("•") == "•"


def test_a_letter_i_after_h_is_a_letter_item_not_a_roman_one() -> None:
    text = (
        "The board shall:\n\n"
        + "\n\n".join(
            f"({c})  {verb} the pier number {n} before the winter storms;"
            for n, (c, verb) in enumerate(
                zip("ghij", ["inspect", "paint", "repair", "light"], strict=True), start=1
            )
        )
        + "\n\nThe ferries will run all year.\n"
    )
    found = claims("board.md", text)
    assert [c.context for c in found[:4]] == ["The board shall:"] * 4


ESCAPED = """\
# Council Members

The Harbour Council shall consist of the following members, who shall
serve for two years:

\\(i\\)      the Master of the Northern Harbour, who chairs its meetings;

\\(ii\\)     the Chair of the Board of the Harbour Ferries, who keeps its minutes;

\\(iii\\)    the Director of the Harbour Pilots Guild, who speaks for the pilots.
"""


def test_escaped_list_markers_are_markers() -> None:
    found = claims("council.md", ESCAPED)
    assert [c.text for c in found] == [
        "the Master of the Northern Harbour, who chairs its meetings;",
        "the Chair of the Board of the Harbour Ferries, who keeps its minutes;",
        "the Director of the Harbour Pilots Guild, who speaks for the pilots.",
    ]
    assert {c.context for c in found} == {
        "The Harbour Council shall consist of the following members, who shall serve for two years:"
    }


BOLD_ON = """\
# Harbour Plan

-   The harbour board can **cut the noise from cranes and**
    **ferries** **and plant reed beds** along the northern shore through a
    range of small projects over the next ten years.

**Sec. 4.  General Provisions***.*  (a)  Nothing in this plan changes the
budget of the harbour board for the current year.
"""


def test_bold_words_that_carry_on_a_sentence_are_no_heading() -> None:
    texts = [c.text for c in claims("plan.md", BOLD_ON)]
    assert texts == [
        "The harbour board can cut the noise from cranes and ferries and plant reed beds "
        "along the northern shore through a range of small projects over the next ten years.",
        "(a) Nothing in this plan changes the budget of the harbour board for the current year.",
    ]


FULL_WIDTH = (
    "# Harbour Statement\n\n"
    + "\n\n".join(
        [
            "The harbour board met on Tuesday to discuss the ferry timetable for the\n"
            "winter, the repairs of the northern pier and the budget for the year.",
        ]
        * 12
        + [
            "Today, the harbour board and the ferry company launched a new programme\n"
            "– the **Northern Crossings Plan** –\n"
            "to add four boats to the night crossings before the end of next year.",
        ]
    )
    + "\n"
)


def test_a_wrapped_line_at_full_width_is_no_heading() -> None:
    found = claims("statement.md", FULL_WIDTH)
    assert found[-1].text == (
        "Today, the harbour board and the ferry company launched a new programme – the "
        "Northern Crossings Plan – to add four boats to the night crossings before the end "
        "of next year."
    )
    assert found[-1].section == "Harbour Statement"


WRAPPED_TAG = """\
# Harbour Notes

<figure>
<img
src="https://example.org/harbour/pier.gif"
title="Pier" class="picture" decoding="async" />
</figure>

The ferries will run every half hour from the northern pier next summer.
"""


def test_an_html_tag_wrapped_over_lines_is_markup() -> None:
    assert [c.text for c in claims("notes.md", WRAPPED_TAG)] == [
        "The ferries will run every half hour from the northern pier next summer."
    ]


def test_a_lead_in_without_its_colon_introduces_the_items_below() -> None:
    text = (
        "# Harbour Form\n\n"
        "(e)  Assumptions and methods used for the ferry counts, including, as applicable\n\n"
        "(i)    Approach to counting the passengers of the night crossings;\n\n"
        "(ii)   Approach to counting the bicycles carried on the ferries.\n"
    )
    found = claims("form.md", text)
    lead = "Assumptions and methods used for the ferry counts, including, as applicable"
    assert [(c.text, c.context) for c in found] == [
        ("Approach to counting the passengers of the night crossings;", lead),
        ("Approach to counting the bicycles carried on the ferries.", lead),
    ]


def test_a_legal_list_item_may_end_on_its_conjunction() -> None:
    assert classify("The board shall: inspect the pier before the storms; and") is None
    assert classify("The board shall: inspect the pier before the storms; or") is None
    assert classify("The board shall inspect the pier before the storms and") == "cut-end"


def test_an_i_under_a_fresh_lead_in_opens_a_roman_sub_list() -> None:
    text = (
        "The board shall:\n\n"
        "(g)  inspect the northern pier before the winter storms;\n\n"
        "(h)  within 90 days, submit a report to the council that includes:\n\n"
        "     (i)    recommendations on the repair of the cranes on the east pier;\n\n"
        "     (ii)   recommendations on the lights of the night crossings.\n"
    )
    found = claims("board.md", text)
    report = "within 90 days, submit a report to the council that includes:"
    assert [c.context for c in found] == [
        "The board shall:",
        f"The board shall: {report}",
        f"The board shall: {report}",
    ]


def test_a_numbered_caption_is_a_heading_not_a_claim() -> None:
    text = (
        "The ferries carried more people this year than in any year before.\n\n"
        "Table 1. Ferry crossings by route and season\n\n"
        "The northern route carried twice as many people as the southern one.\n"
    )
    found = claims("notes.txt", text)
    assert [c.text for c in found] == [
        "The ferries carried more people this year than in any year before.",
        "The northern route carried twice as many people as the southern one.",
    ]
    assert found[1].section == "Table 1. Ferry crossings by route and season"


def test_a_line_ending_on_using_goes_on_in_the_next() -> None:
    text = (
        "# Harbour Notes\n\n"
        "• The board counts the crossings of each ferry using\n"
        "Harbour Office counting rules\n"
    )
    assert [c.text for c in claims("notes.md", text)] == [
        "The board counts the crossings of each ferry using Harbour Office counting rules"
    ]


def test_a_numbered_form_section_heads_its_items() -> None:
    text = (
        "# Harbour Form\n\n"
        "1. Information on the ferries of the harbour (including their home piers)\n\n"
        "(a)  Each ferry is counted at its home pier every morning.\n\n"
        "(b)  The count is sent to the harbour office every week.\n"
    )
    found = claims("form.md", text)
    section = "Information on the ferries of the harbour (including their home piers)"
    assert [(c.text, c.context) for c in found] == [
        ("Each ferry is counted at its home pier every morning.", section),
        ("The count is sent to the harbour office every week.", section),
    ]


def test_debris_rules_for_figures_labels_and_ellipses() -> None:
    assert classify("95% of the ferry users asked for later crossings.") is None
    assert classify("1,134 people answered the harbour survey.") is None
    assert classify("2015, has set a new target for the harbour.") == "cut-start"
    assert classify("% of emissions covered: 100 per cent.") is None
    assert classify("% of the ferries will be electric.") == "cut-start"
    assert classify("Further details of the crossings are in the annex…") is None
