"""Sentence segmentation of one paragraph: abbreviations, initials, decimals, quotes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.claims.segment import split_sentences


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


CASES = [
    # "U.S." inside a sentence, and at its end before a typical opener.
    ["The U.S. and Japan signed the accord.", "It enters into force next year."],
    ["Trade with the U.S. rose sharply in 2020.", "Exports to the U.K. fell."],
    ["The U.S.-Japan alliance is strong.", "Both sides agree."],
    ["Ties matter to the U.S.", "This is why Tokyo invests."],
    ["Ships were sold to the U.S.", "The contract was worth a fortune."],
    ["Pressure grew on the U.S. Congress to act before the recess."],
    ["The envoy flew to Washington, D.C., on Monday.", "She returned on Friday."],
    # e.g. / i.e.
    ["Several allies, e.g., Australia and India, joined the drill.", "Others declined."],
    ["Key sectors (e.g. chips and batteries) were covered.", "The list is long."],
    ["Some ports, i.e. the deep-water ones, stay open.", "The rest close."],
    # Titles, suffixes and initials.
    ["Dr. Akiko Tanaka briefed the committee.", "She warned of delays."],
    ["President Ferdinand Marcos Jr. attended the summit.", "He spoke first."],
    ["Ferdinand Marcos Jr. and Joe Biden met in Washington on Thursday."],
    ["The report by J. R. Smith was cited.", "Its findings were contested."],
    ["Sen. Warner and Rep. Smith co-sponsored the bill.", "Gov. Holcomb welcomed it."],
    ["The memo was drafted by Gen. Charles Q. Brown.", "It was later leaked."],
    ["Mr. Kishida and Mrs. Kishida arrived at St. Andrews.", "Ms. Lee greeted them."],
    ["The firm, Nippon Steel Corp., bid for U.S. Steel.", "The bid drew opposition."],
    # Decimals, percentages, money.
    ["Trade reached $190.4 billion in 2020.", "The deficit was $58.4 billion."],
    ["Trade reached \\$190.4 billion in 2020.", "The deficit was \\$58.4 billion."],
    ["Exports rose 18.5% and imports 11.3%.", "Both figures were records."],
    ["Prices rose by 1.5 percent vs. 2.1 percent last year.", "Analysts were surprised."],
    ["Section 3.2 describes the plan.", "Figure 4 shows the data."],
    # Quotes ending sentences.
    ["“We will stand together,” the minister said.", "The audience applauded."],
    ["“The alliance has never been stronger.”", "The minister said so in parliament."],
    ["He called it “a relationship of peers.”", "The phrase stuck."],
    ['She called the plan "a turning point."', "Few agreed."],
    ["“Why now?” the reporter asked.", "Nobody answered."],
    # Numbering, times and lists.
    ["Resolution No. 1 was adopted unanimously.", "Resolution No. 2 failed."],
    ["The meeting began at 9 a.m. on Tuesday and ended at 5 p.m. sharp."],
    ["Talks started at 10 a.m.", "The leaders then issued a statement."],
    ["The talks covered 5G, AI, etc.", "Officials expect more."],
    ["The agreement took effect on Jan. 1, 2020.", "It covers software."],
    ["Fig. 3 shows the trend on pp. 12-14 of the annex.", "It is striking."],
    # Semicolons never split a sentence here; question and exclamation marks do.
    ["The allies oppose coercion; they also back dialogue.", "Talks resume in May."],
    ["Japan raised spending; China objected; Korea stayed silent."],
    ["Is the alliance ready?", "Officials say yes!", "The next test comes soon."],
    ["The summit (held in April) was a success.", "(Critics disagreed.)", "A third one follows."],
    # No final stop: the rest of the paragraph is one sentence.
    ["The ministry agreed.", "Details will follow in a later note"],
]


@pytest.mark.parametrize("expected", CASES, ids=lambda sents: sents[0][:40])
def test_split_sentences(expected: list[str]) -> None:
    assert sentences(" ".join(expected)) == expected


def test_spans_exclude_surrounding_white_space() -> None:
    text = "  \n The port reopened.   Ships queued outside.  \n"
    first, second = "The port reopened.", "Ships queued outside."
    a, b = text.index(first), text.index(second)
    assert split_sentences(text) == [(a, a + len(first)), (b, b + len(second))]


def test_paragraph_of_white_space_has_no_sentence() -> None:
    assert split_sentences(" \n\t ") == []
    assert split_sentences("") == []


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.lists(
            st.sampled_from(
                ["U.S.", "e.g.", "Dr.", "Jr.", "J.", "18.5%", " ", ". ", "? ", "”", "The", "it"]
            ),
            max_size=40,
        ).map("".join),
    )
)
def test_spans_are_in_bounds_ordered_and_disjoint(text: str) -> None:
    previous_end = 0
    for start, end in split_sentences(text):
        assert previous_end <= start < end <= len(text)
        assert not text[start].isspace()
        assert not text[end - 1].isspace()
        previous_end = end
