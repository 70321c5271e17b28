"""Cleanup of extraction artefacts and the claims it yields: on the five real seed briefs, and
on small texts of our own for each artefact."""

from __future__ import annotations

import re
from functools import cache
from itertools import pairwise

import pytest
from sqlalchemy.orm import Session

from tests.conftest import seed_manifest, seed_text
from tracker.claims import ClaimDraft, extract_claims
from tracker.claims.cleanup import clean_blocks
from tracker.store.db import Database
from tracker.store.repo import get_brief, list_briefs

SEEDS = ["000", "001", "002", "003", "004"]


@cache
def seed_claims(prefix: str) -> tuple[str, list[ClaimDraft]]:
    text = seed_text(prefix)
    return text, extract_claims(text)


def claims_of(prefix: str) -> list[ClaimDraft]:
    return seed_claims(prefix)[1]


# -- what a span covers --------------------------------------------------------------------

_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_ESCAPE = re.compile(r"\\(?=[$*_#\[\]()`>~|])")
# A markdown heading in capitals is a publisher's running header, which cleanup drops even in
# the middle of a sentence; a claim's single span then covers it.
_RUNNING_HEADER = re.compile(r"^#{1,6}[ \t]+[A-Z][A-Z \t]+$", re.M)


def markup_mask(text: str) -> list[bool]:
    """True for each character of ``text`` that is markup, not prose: link syntax around the
    link text, escaping backslashes, emphasis stars, running headers."""
    mask = [False] * len(text)
    for match in _LINK.finditer(text):
        for i in [*range(match.start(), match.start(1)), *range(match.end(1), match.end())]:
            mask[i] = True
    for match in _ESCAPE.finditer(text):
        mask[match.start()] = True
    for match in _RUNNING_HEADER.finditer(text):
        for i in range(match.start(), match.end()):
            mask[i] = True
    for i, ch in enumerate(text):
        if ch == "*":
            mask[i] = True
    return mask


def squash(text: str) -> str:
    """Collapse white space; drop the space a removed link leaves before punctuation."""
    return re.sub(r"\s+(?=[.,;:!?])", "", " ".join(text.split()))


def visible(text: str, mask: list[bool], start: int, end: int) -> str:
    return squash("".join(ch for i, ch in enumerate(text[start:end], start) if not mask[i]))


# -- the real seeds ------------------------------------------------------------------------


@pytest.mark.evaluation
def test_every_stored_span_maps_back_to_its_claim(seeded_db: Database) -> None:
    briefs = list_briefs(seeded_db.engine)
    assert len(briefs) == len(seed_manifest())
    mismatches = []
    with Session(seeded_db.engine) as session:
        for summary in briefs:
            brief = get_brief(session, summary.id)
            assert brief is not None
            mask = markup_mask(brief.text)
            assert brief.claims
            for claim in brief.claims:
                assert 0 <= claim.start < claim.end <= len(brief.text)
                if visible(brief.text, mask, claim.start, claim.end) != squash(claim.text):
                    source = brief.text[claim.start : claim.end]
                    mismatches.append((brief.title, claim.text, source))
                for q in claim.quantities:
                    assert claim.start <= q.start < q.end <= claim.end
                    assert visible(brief.text, mask, q.start, q.end) == squash(q.raw)
    assert mismatches == []


@pytest.mark.evaluation
def test_span_check_notices_an_off_by_one_span() -> None:
    text, claims = seed_claims("000")
    mask = markup_mask(text)
    claim = claims[0]
    assert visible(text, mask, claim.start, claim.end) == squash(claim.text)
    assert visible(text, mask, claim.start, claim.end - 1) != squash(claim.text)
    assert visible(text, mask, claim.start + 1, claim.end) != squash(claim.text)


@pytest.mark.evaluation
def test_stored_claims_are_the_extracted_ones(seeded_db: Database) -> None:
    by_title = {b["title"]: b["file"][:3] for b in seed_manifest()}
    with Session(seeded_db.engine) as session:
        for summary in list_briefs(seeded_db.engine):
            brief = get_brief(session, summary.id)
            assert brief is not None
            expected = claims_of(by_title[brief.title])
            assert [(c.text, c.start, c.end, c.sentence, c.section) for c in brief.claims] == [
                (c.text, c.start, c.end, c.sentence, c.section) for c in expected
            ]


@pytest.mark.evaluation
@pytest.mark.parametrize("prefix", SEEDS)
@pytest.mark.parametrize("artefact", ["PISM BULLETIN", "](", "\\$", "**"])
def test_no_markup_or_running_header_in_claims(prefix: str, artefact: str) -> None:
    assert not [c.text for c in claims_of(prefix) if artefact in c.text]


@pytest.mark.evaluation
def test_the_artefacts_are_really_in_the_seeds() -> None:
    everything = "".join(seed_text(p) for p in SEEDS)
    for artefact in ["PISM BULLETIN", "](", "\\$", "**"]:
        assert artefact in everything


@pytest.mark.evaluation
@pytest.mark.parametrize("prefix", SEEDS)
def test_no_byline_in_claims(prefix: str) -> None:
    brief = next(b for b in seed_manifest() if b["file"].startswith(prefix))
    authors = list(brief.get("authors") or [])
    if not authors:
        # Nothing to look for: passing here would test nothing.
        pytest.skip("this seed lists no authors")
    for claim in claims_of(prefix):
        assert not any(claim.text.startswith(name) for name in authors), claim.text
        names_removed = claim.text
        for name in authors:
            names_removed = names_removed.replace(name, "")
        assert re.sub(r"[\s,;&]|\band\b|\bBy\b", "", names_removed), claim.text


@pytest.mark.evaluation
@pytest.mark.parametrize("prefix", SEEDS)
def test_claims_start_upper_case_unless_list_items(prefix: str) -> None:
    for claim in claims_of(prefix):
        assert claim.text in claim.sentence
        if claim.text[0].islower():
            assert claim.text != claim.sentence, claim.text


@pytest.mark.evaluation
def test_sentence_broken_by_blank_line_is_one_claim() -> None:
    text, claims = seed_claims("000")
    [claim] = [c for c in claims if "Senkaku/Diaoyu islands," in c.text]
    assert "remain the pillar of the alliance" in claim.text
    assert claim.text == claim.sentence
    # It really was broken in the file.
    assert "\n\n" in text[claim.start : claim.end]


@pytest.mark.evaluation
def test_list_sentence_becomes_claims_that_keep_their_parent() -> None:
    claims = claims_of("004")
    items = [c for c in claims if c.sentence.startswith("It includes, among others,")]
    assert len(items) >= 4
    parent = items[0].sentence
    assert all(c.sentence == parent for c in items)
    for claim in items:
        assert claim.text != parent
        assert claim.text in parent
        assert claim.text.split()[0].endswith("ing")
    assert any("2% of GDP" in c.text for c in items)
    # The items are in reading order and do not overlap.
    spans = [(c.start, c.end) for c in items]
    assert all(a[1] <= b[0] for a, b in pairwise(spans))


@pytest.mark.evaluation
@pytest.mark.parametrize(
    ("prefix", "key"),
    [
        ("003", "flags fly on a lamp post"),  # photo caption with a (Getty/...) credit
        ("003", "Michael Fuchs is a senior fellow"),
        ("003", "Haneul Lee is a research assistant"),
        ("003", "would like to thank the government"),
        ("003", "full list of supporters"),
        ("003", "Former Research Assistant"),
        ("002", "Richard Weitz is a senior fellow"),
    ],
)
def test_captions_blurbs_and_boilerplate_are_not_claims(prefix: str, key: str) -> None:
    text, claims = seed_claims(prefix)
    assert key in text
    assert not [c.text for c in claims if key in c.text]


@pytest.mark.evaluation
@pytest.mark.parametrize(
    ("prefix", "heading"),
    [
        ("003", "Climate change"),
        ("003", "The China challenge"),
        ("003", "Working together on North Korea"),
        ("003", "Conclusion"),
        ("001", "Japan Looks Regionally"),
        ("001", "Conclusion"),
    ],
)
def test_section_headings_are_sections_not_claims(prefix: str, heading: str) -> None:
    text, claims = seed_claims(prefix)
    line = re.search(rf"^{re.escape(heading)}[ \t]*$", text, re.M)
    assert line is not None
    # Neither a claim of its own nor glued to the first sentence after it.
    glued = re.compile(rf"{re.escape(heading)}\s+[A-Z“\"]")
    assert not [c.text for c in claims if c.text == heading or glued.match(c.text)]
    first_after = next(c for c in claims if c.start >= line.end())
    paragraph_start = line.end() + len(text[line.end() :]) - len(text[line.end() :].lstrip())
    assert first_after.start == paragraph_start
    assert first_after.section == heading


# -- each artefact on our own text ---------------------------------------------------------


def texts(text: str, *, hard_wrapped: bool = False) -> list[str]:
    return [c.text for c in extract_claims(text, hard_wrapped=hard_wrapped)]


@pytest.mark.parametrize(
    "first_half",
    [
        "The committee approved the harbour expansion plan after a long debate about",
        "The committee approved the harbour expansion plan on Tuesday evening after a long"
        " and at times heated debate among its members about",
    ],
    ids=["short", "long"],
)
def test_unit_sentence_broken_by_blank_line(first_half: str) -> None:
    text = f"The council met twice this month.\n\n{first_half}\n\nits cost to the fishing fleet.\n"
    claims = extract_claims(text)
    assert [c.text for c in claims] == [
        "The council met twice this month.",
        f"{first_half} its cost to the fishing fleet.",
    ]
    joined = claims[1]
    assert joined.section is None  # the first half is no heading
    assert text[joined.start : joined.end] == f"{first_half}\n\nits cost to the fishing fleet."


def test_unit_running_header_between_two_halves_of_a_sentence() -> None:
    text = (
        "## Port Strategy\n\n"
        "The port authority will widen the northern channel so that larger container ships\n\n"
        "# HARBOUR REVIEW\n\n"
        "can dock without waiting for the tide.\n"
    )
    [claim] = extract_claims(text)
    assert claim.text == (
        "The port authority will widen the northern channel so that larger container ships"
        " can dock without waiting for the tide."
    )
    assert claim.section == "Port Strategy"  # a marked heading, though it looks like a name
    assert "HARBOUR" not in claim.text


def test_unit_repeated_page_banner_is_dropped() -> None:
    page = "The agency will publish a new flood map every spring from now on.\n"
    text = "\n".join(["Riverside Quarterly", page] * 3)
    assert texts(text) == [page.strip()] * 3


def test_unit_link_stub() -> None:
    text = "The minister praised [the new tariff agreement](#) with neighbouring states.\n"
    [claim] = extract_claims(text)
    assert claim.text == "The minister praised the new tariff agreement with neighbouring states."
    assert (claim.start, claim.end) == (0, len(text.strip()))


def test_unit_link_stub_with_dropped_text_leaves_no_space_before_the_stop() -> None:
    assert texts("The minister praised the deal in her speech on Friday .\n") == [
        "The minister praised the deal in her speech on Friday."
    ]


def test_unit_escaped_dollar() -> None:
    text = "The city will spend \\$2.5 billion on flood barriers over ten years.\n"
    [claim] = extract_claims(text)
    assert claim.text == "The city will spend $2.5 billion on flood barriers over ten years."
    [money] = [q for q in claim.quantities if q.kind == "money"]
    assert money.value == 2.5e9
    assert text[money.start : money.end] == "$2.5 billion"


def test_unit_bold_run_in_heading() -> None:
    text = "**Outlook.** The treasury expects growth to slow in the second half of the year.\n"
    [claim] = extract_claims(text)
    assert claim.text == "The treasury expects growth to slow in the second half of the year."
    assert claim.section == "Outlook"
    assert text[claim.start : claim.end] == claim.text


def test_unit_bold_heading_on_its_own_line() -> None:
    text = "**Risks and Limits**\n\nHigher rates could delay the new housing programme.\n"
    [claim] = extract_claims(text)
    assert claim.section == "Risks and Limits"


@pytest.mark.parametrize(
    "caption",
    [
        "Workers repair a dam on the river near the capital, May 2019. (Getty/Jane Roe/AFP)",
        "Workers repair a dam on the river near the capital. (Photo by Jane Roe)",
        "Photo: workers repair a dam on the river near the capital",
    ],
)
def test_unit_photo_caption(caption: str) -> None:
    body = "The river authority plans to raise the dam by two metres before the rains."
    assert texts(f"{caption}\n\n{body}\n") == [body]


@pytest.mark.parametrize(
    "blurb",
    [
        "Jonas Berg is a senior fellow at the Institute for Water Policy.",
        "Maria Lind is the director of the Delta Programme at the Water Forum.",
        "Jonas Berg is a research assistant with the Center's climate team.",
    ],
)
def test_unit_author_blurb(blurb: str) -> None:
    body = "The agency will publish a new flood map every spring from now on."
    assert texts(f"{body}\n\n{blurb}\n") == [body]


@pytest.mark.parametrize(
    "boilerplate",
    [
        "We would like to thank the Rivers Foundation for its generous support.",
        "The institute is a nonpartisan organization and keeps full editorial independence.",
        "The views expressed here are those of the authors alone.",
        "A full list of our supporters is available on the website.",
    ],
)
def test_unit_donor_boilerplate(boilerplate: str) -> None:
    body = "The agency will publish a new flood map every spring from now on."
    assert texts(f"{body}\n\n{boilerplate}\n") == [body]


def test_unit_author_section_ends_the_body() -> None:
    text = (
        "The agency will publish a new flood map every spring from now on.\n\n"
        "About the authors\n\n"
        "Both authors have written widely about flood policy in northern Europe.\n"
    )
    assert texts(text) == ["The agency will publish a new flood map every spring from now on."]


def test_unit_byline_under_the_title_is_dropped_but_later_headings_are_kept() -> None:
    text = (
        "## River Futures\n\n"
        "Jonas Berg, Maria Lind\n\n"
        "The agency will publish a new flood map every spring from now on.\n\n"
        "Trade Policy and Economic Security\n\n"
        "Farmers will receive grants for water storage tanks next year.\n"
    )
    blocks = clean_blocks(text)
    assert [(b.kind, b.text) for b in blocks] == [
        ("heading", "River Futures"),
        ("text", "The agency will publish a new flood map every spring from now on."),
        ("heading", "Trade Policy and Economic Security"),
        ("text", "Farmers will receive grants for water storage tanks next year."),
    ]
    assert [c.section for c in extract_claims(text)] == [
        "River Futures",
        "Trade Policy and Economic Security",
    ]


def test_unit_plain_headings_set_the_section() -> None:
    text = (
        "Flood defences\n\n"
        "The agency will publish a new flood map every spring from now on.\n\n"
        "Drought planning\n\n"
        "Farmers will receive grants for water storage tanks next year.\n"
    )
    claims = extract_claims(text)
    assert [(c.section, c.text.split()[0]) for c in claims] == [
        ("Flood defences", "The"),
        ("Drought planning", "Farmers"),
    ]


def test_unit_bullets_are_separate_claims() -> None:
    text = (
        "The plan has three parts:\n\n"
        "- The city will plant ten thousand trees along the ring road.\n"
        "- Bus fares will be frozen until the end of the decade.\n"
        "* Every school will get a new bicycle shelter by 2026.\n"
    )
    # The lead-in is each item's context, not a claim of its own (a bare lead-in is debris).
    assert texts(text) == [
        "The city will plant ten thousand trees along the ring road.",
        "Bus fares will be frozen until the end of the decade.",
        "Every school will get a new bicycle shelter by 2026.",
    ]
    assert {c.context for c in extract_claims(text)} == {"The plan has three parts:"}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("The council will extend the tram line to the", "airport by 2027 and open four stops."),
        ("The council will extend the tram line to", "Airport Road by 2027 and open four stops."),
    ],
)
def test_unit_hard_wrapped_pdf_lines_are_joined(first: str, second: str) -> None:
    text = f"Transport\n{first}\n{second}\nFunding comes from a regional bond.\n"
    claims = extract_claims(text, hard_wrapped=True)
    assert [(c.section, c.text) for c in claims] == [
        ("Transport", f"{first} {second}"),
        ("Transport", "Funding comes from a regional bond."),
    ]


def test_a_line_break_after_a_hyphen_joins_a_compound_or_a_split_word() -> None:
    # Text wrappers break after a compound's hyphen: the break is no space. A word the
    # document writes whole elsewhere was split by the break, and loses its hyphen; a
    # suspended hyphen ("low- and middle-income") keeps its space; claim spans still cover
    # the source text.
    text = (
        "The bank expects longer-\nterm rates to stay low for low-\nand middle-income\n"
        "borrowers, and it will review its emis-\nsions policy.\n\n"
        "Its emissions policy covers every loan.\n"
    )
    claims = extract_claims(text)
    assert [c.text for c in claims] == [
        "The bank expects longer-term rates to stay low for low- and middle-income borrowers,"
        " and it will review its emissions policy.",
        "Its emissions policy covers every loan.",
    ]
    assert text[claims[0].start : claims[0].end].endswith("sions policy.")


def test_unit_short_fragments_are_not_claims() -> None:
    assert texts("Yes.\n\nThe ministry agreed to the plan.\n") == [
        "The ministry agreed to the plan."
    ]


def test_a_numbered_heading_in_capitals_is_a_heading_not_a_list_item() -> None:
    text = "2. HARBOUR WORKS\n\nThe board will dredge the northern channel before the storms.\n"
    blocks = clean_blocks(text, hard_wrapped=True)
    assert [(b.kind, b.text) for b in blocks] == [
        ("heading", "HARBOUR WORKS"),
        ("text", "The board will dredge the northern channel before the storms."),
    ]
