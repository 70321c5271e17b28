"""The layout-aware PDF reader on PDFs generated here (fpdf2), and on the real NDC PDFs.

Each generated PDF places its text at chosen positions, so every case of the layout reader
has a page that shows it: running headers and footers, page numbers, a footnote and its
marker, a line-end hyphen, a table, a form field with its answer. The text is our own.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

fpdf = pytest.importorskip("fpdf")

from tests.conftest import SHARED  # noqa: E402
from tracker.claims import extract_claims  # noqa: E402
from tracker.claims.debris import classify, debris, whole_texts  # noqa: E402
from tracker.ingest.readers import read_document  # noqa: E402

KEYS = Path(__file__).resolve().parent.parent / "benchmarks" / "data" / "key_sentences.tsv"


class _Page:
    """Text placed on an A4 page in points, measured from the top (fpdf2's convention)."""

    def __init__(self, pdf: fpdf.FPDF) -> None:
        self.pdf = pdf
        pdf.add_page()

    def text(
        self, x: float, y: float, words: str, size: float = 11, font: str = "Helvetica"
    ) -> None:
        self.pdf.set_font(font, size=size)
        self.pdf.text(x, y, words)


Rule = tuple[float, float, float, float]  # x1, y1, x2, y2 in points from the top


def _pdf(
    pages: list[list[tuple[float, float, str, float]]], rules: list[list[Rule]] | None = None
) -> bytes:
    pdf = fpdf.FPDF(unit="pt", format="A4")
    for n, items in enumerate(pages, start=1):
        page = _Page(pdf)
        page.text(72, 40, "Harbour Board Planning Notes", 9)  # running header
        page.text(290, 815, f"{n}", 9)  # page number
        for x, y, words, size in items:
            page.text(x, y, words, size)
        pdf.set_line_width(0.5)
        for x1, y1, x2, y2 in (rules or [[]] * len(pages))[n - 1]:
            pdf.line(x1, y1, x2, y2)
    return bytes(pdf.output())


def _grid(xs: list[float], ys: list[float]) -> list[Rule]:
    """The rules of a table whose column walls are ``xs`` and row walls ``ys``."""
    return [(xs[0], y, xs[-1], y) for y in ys] + [(x, ys[0], x, ys[-1]) for x in xs]


def _body(
    lines: list[str], top: float = 100, x: float = 72
) -> list[tuple[float, float, str, float]]:
    return [(x, top + 14 * i, line, 11) for i, line in enumerate(lines)]


def _claims(data: bytes) -> tuple[str, list[str]]:
    doc = read_document(Path("2024-03-01-plan.pdf"), data)
    return doc.text, [c.text for c in extract_claims(doc.text, hard_wrapped=doc.hard_wrapped)]


PROSE = [
    "The harbour board will dredge the northern channel before the winter storms arrive.",
    "Inspectors recommended that the city replace the cranes on the east pier soon.",
]


def test_text_drawn_twice_for_a_shadow_is_read_once() -> None:
    # A drop shadow: the same lines drawn again later in the page, three points to the left
    # and a few down (as a real NDC does; PDFium itself merges copies closer than that).
    # Each word comes out once; a real repeat ("the the", the "ll" of "will") and the
    # digits of a table stay.
    lines = [
        "The harbour board will dredge the the northern channel before the winter storms.",
        "Inspectors recommended that the city replace all cranes on the east pier soon.",
    ]
    items = _body(lines)
    shadow = [(x - 2.9, y + 2.5, words, size) for x, y, words, size in items]
    table = [(72, 200, "1,669 1,607 1,660", 11), (72, 214, "1,669 1,607 1,606", 11)]
    text, claims = _claims(_pdf([[*items, *table, *shadow]]))
    assert claims[:2] == lines
    assert "1,669 1,607 1,660" in text and "1,669 1,607 1,606" in text
    assert text.count("dredge") == 1 and "the the northern" in text


def test_running_headers_footers_and_page_numbers_are_dropped() -> None:
    pages = [_body(PROSE), _body(PROSE[::-1]), _body(PROSE)]
    text, claims = _claims(_pdf(pages))
    assert "Harbour Board Planning Notes" not in text
    assert all(line.strip() not in {"1", "2", "3"} for line in text.splitlines())
    assert claims == [PROSE[0], PROSE[1], PROSE[1], PROSE[0], PROSE[0], PROSE[1]]


def test_a_sentence_across_a_page_break_is_whole() -> None:
    first = _body(["The harbour board will dredge the northern channel before the"], top=760)
    second = _body(["winter storms arrive, as the inspectors asked."])
    _, claims = _claims(_pdf([_body(PROSE) + first, second]))
    assert claims[-1] == (
        "The harbour board will dredge the northern channel before the winter storms "
        "arrive, as the inspectors asked."
    )


def test_a_footnote_and_its_marker_stay_out_of_claims() -> None:
    items = [
        *_body(["The energy mix will shift towards wind power by 2030.", *PROSE]),
        (342, 96, "1", 7),  # the marker, raised and small, right after "2030."
        (72, 760, "1", 6),
        (78, 764, "Our own estimate, based on the board's tender documents.", 8),
    ]
    text, claims = _claims(_pdf([items]))
    assert claims == ["The energy mix will shift towards wind power by 2030.", *PROSE]
    # The note is kept as context at the end of the text, out of the claims.
    assert text.rstrip().endswith("Our own estimate, based on the board's tender documents.")


def test_line_end_hyphens_are_resolved_by_the_documents_vocabulary() -> None:
    lines = [
        "The port is the fourth-largest in the region by tonnage handled each year.",
        "Its emissions fell last year, and the port is now the fourth-",
        "largest emitter of the city, and further emis-",
        "sions cuts are planned for the coming decade.",
    ]
    _, claims = _claims(_pdf([_body(lines)]))
    assert claims[1] == (
        "Its emissions fell last year, and the port is now the fourth-largest emitter of the "
        "city, and further emissions cuts are planned for the coming decade."
    )


def test_a_table_row_is_one_claim_with_its_header() -> None:
    rows = [("Gas", "2030 target", "2040 target"), ("Methane", "30 percent", "45 percent"),
            ("Nitrous oxide", "20 percent", "35 percent")]  # fmt: skip
    items = _body(["The board sets targets for two gases in the table below."])
    for i, row in enumerate(rows):
        for x, cell in zip((72, 250, 400), row, strict=True):
            items.append((x, 140 + 16 * i, cell, 11))
    items += _body(["The targets are reviewed every five years by the board."], top=220)
    _, claims = _claims(_pdf([items]))
    # The header row is no claim of its own: each row carries its cells.
    assert claims == [
        "The board sets targets for two gases in the table below.",
        "Gas: Methane | 2030 target: 30 percent | 2040 target: 45 percent",
        "Gas: Nitrous oxide | 2030 target: 20 percent | 2040 target: 35 percent",
        "The targets are reviewed every five years by the board.",
    ]
    assert all(classify(c) is None for c in claims)


def test_a_form_field_label_and_its_answer_are_one_claim() -> None:
    items = [
        *_body(PROSE * 3),
        (72, 200, "Time frame", 11),
        (250, 200, "A single-year target in 2030.", 11),
        (72, 230, "Gases covered", 11),
        (250, 230, "Carbon dioxide, methane and nitrous oxide.", 11),
    ]
    _, claims = _claims(_pdf([items]))
    assert claims[6:] == [
        "Time frame: A single-year target in 2030.",
        "Gases covered: Carbon dioxide, methane and nitrous oxide.",
    ]


def _width(words: str, size: float) -> float:
    pdf = fpdf.FPDF(unit="pt", format="A4")
    pdf.set_font("Helvetica", size=size)
    return float(pdf.get_string_width(words))


def test_an_ordinal_keeps_its_raised_suffix_and_years_stay_whole() -> None:
    head = "The board adopted its 7"
    x = 72 + _width(head, 11)
    items = [
        *_body(PROSE),
        (72, 140, head, 11),
        (x, 136, "th", 7),  # raised and small, like a footnote marker, but letters
        (x + _width("th", 7) + 3, 140, "plan in 1990, and it stands.", 11),
    ]
    _, claims = _claims(_pdf([items]))
    assert claims[-1] == "The board adopted its 7th plan in 1990, and it stands."


def test_a_bullet_in_a_column_of_its_own_marks_a_list_item() -> None:
    items = [
        *_body([*PROSE * 3, "The board has two priorities for the coming decade:"]),
        (80, 214, "-", 11),  # hanging bullet, far left of its text
        (110, 214, "Dredging the northern channel before the storms.", 11),
        (80, 244, "-", 11),
        (110, 244, "Replacing the cranes on the east pier.", 11),
    ]
    text, claims = _claims(_pdf([items]))
    assert "-:" not in text and "• Dredging the northern channel" in text
    assert claims[6:] == [
        "Dredging the northern channel before the storms.",
        "Replacing the cranes on the east pier.",
    ]


def test_a_sign_of_a_symbol_font_is_a_bullet_not_text() -> None:
    # Word processors draw bullets and check marks in Symbol or Wingdings, and many PDFs map
    # those glyphs to ASCII signs: an "!" before each item, read as text, ended one item
    # with "!" and left the next one cut in two.
    lead = "The board uses three models to estimate the cost of dredging:"
    items = [
        "a tide model of the northern channel;",
        "a storm surge model of the outer",
        "harbour;",
    ]
    data = fpdf.FPDF(unit="pt", format="A4")
    page = _Page(data)
    for i, line in enumerate([*PROSE * 3, lead]):
        page.text(72, 100 + 14 * i, line)
    for i, item in enumerate(items):
        if i != 2:
            page.text(80, 198 + 14 * i, "!", 11, font="Symbol")
        page.text(92, 198 + 14 * i, item)
    text, claims = _claims(bytes(data.output()))
    assert "!" not in text
    assert claims[6:] == [
        "a tide model of the northern channel;",
        "a storm surge model of the outer harbour;",
    ]


def test_indented_items_in_lower_case_under_a_lead_in_are_list_items() -> None:
    items = [
        *_body([*PROSE * 3, "These measures build on what the board has done, including:"]),
        *_body(["the new ferry terminal that opened to passengers last spring."], top=210, x=100),
        *_body(["the tide gauges that now report every ten minutes."], top=240, x=100),
        *_body(["The board will report on both next year."], top=270),
    ]
    text, _ = _claims(_pdf([items]))
    paragraphs = text.split("\n\n")
    assert paragraphs[-4].endswith("including:")
    assert paragraphs[-3].startswith("• the new ferry terminal")
    assert paragraphs[-2].startswith("• the tide gauges")
    assert paragraphs[-1].startswith("The board will report")


def test_a_wrapped_line_without_a_stop_is_no_heading() -> None:
    lines = [
        "The board will join the regional trading scheme after",
        "2030, which covers most of the emissions of the port.",
    ]
    _, claims = _claims(_pdf([_body([*PROSE, *lines], x=72)]))
    assert claims[-1] == " ".join(lines)


def test_an_enumerator_in_a_column_of_its_own_opens_its_item() -> None:
    items = [
        *_body(PROSE * 3),
        (72, 200, "a", 11),
        (110, 200, "National circumstances, such as the tides and the harbour floor;", 11),
        (72, 230, "b.", 11),
        (110, 230, "Best practices of other ports, where they apply.", 11),
    ]
    text, claims = _claims(_pdf([items]))
    assert "(a) National circumstances" in text and "b. Best practices" in text
    # The claim layer takes the enumerators for list markers.
    assert claims[6:] == [
        "National circumstances, such as the tides and the harbour floor;",
        "Best practices of other ports, where they apply.",
    ]
    assert all(classify(c) is None for c in claims)


def test_a_title_over_two_lines_is_no_claim() -> None:
    items = [
        *_body(["A NOTE BY THE HARBOUR BOARD AND THE CITY ON", "BEHALF OF THE PORT USERS"], 100),
        *_body(PROSE, top=160),
    ]
    _, claims = _claims(_pdf([items]))
    assert claims == PROSE


def test_a_pdf_without_text_is_still_refused() -> None:
    pdf = fpdf.FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.rect(100, 100, 200, 200)
    from tracker.errors import InputError

    with pytest.raises(InputError, match="no text layer"):
        read_document(Path("scan.pdf"), bytes(pdf.output()))


# -- the real NDC PDFs ---------------------------------------------------------------------

DOCUMENTS = SHARED / "documents"


def _ndc_pdfs() -> list[Path]:
    if not DOCUMENTS.is_dir():
        return []
    paths = []
    for manifest in sorted(DOCUMENTS.glob("ndc-*/manifest.json")):
        briefs = json.loads(manifest.read_text(encoding="utf-8"))["briefs"]
        paths += [manifest.parent / b["file"] for b in briefs if b["file"].endswith(".pdf")]
    return paths


def _keys() -> dict[str, set[str]]:
    import hashlib

    keys: dict[str, set[str]] = {}
    lines = [x for x in KEYS.read_text(encoding="utf-8").splitlines() if x and x[0] != "#"]
    for line in lines[1:]:
        doc, digest, _about = line.split("\t")
        keys.setdefault(doc, set()).add(digest)
    del hashlib
    return keys


@pytest.mark.evaluation
@pytest.mark.skipif(not _ndc_pdfs(), reason=f"real NDC PDFs not found under {DOCUMENTS}")
@pytest.mark.parametrize("path", _ndc_pdfs(), ids=lambda p: p.name)
def test_real_ndc_pdf_keeps_its_key_sentences_and_little_debris(path: Path) -> None:
    import hashlib

    doc = read_document(path, path.read_bytes())
    claims = extract_claims(doc.text, hard_wrapped=doc.hard_wrapped)
    texts = whole_texts(claims)
    found = {hashlib.sha256(" ".join(t.split()).encode()).hexdigest()[:16] for t in texts}
    missing = _keys().get(path.name, set()) - found
    assert not missing, f"key sentences lost: {sorted(missing)}"
    # Judged as the audit judges them: a split sentence once, a list item with its lead-ins.
    count, found_debris = debris(claims)
    rate = len(found_debris) / count
    # The target is 2% (benchmarks/README.md); the floor here is what the reader reaches today.
    assert rate <= DEBRIS_FLOOR.get(path.name, 0.02), f"{rate:.1%} debris: {found_debris[:3]}"


# Documents above the 2% target today (benchmarks/extraction_audit.py), held at their rate
# plus 0.6 points so that a regression fails; the others are held to the 2% target.
DEBRIS_FLOOR: dict[str, float] = {
    "2020-03-31_singapore-ndc-update.pdf": 0.028,
}


def test_a_long_form_question_beside_its_answer_is_one_claim() -> None:
    # The clarity forms quote the guidance as labels: a question of three lines beside a
    # one-line answer on its first baseline.
    question = [
        "Quantifiable information on the reference ferries, their",
        "number in the reference year(s), base year(s) or other starting",
        "point(s), and, as applicable, in the target year of the harbour plan",
    ]
    items = [
        *_body(PROSE * 3),
        *[(72, 200 + 14 * i, line, 11) for i, line in enumerate(question)],
        (420, 200, "Forty-two ferries in 2019.", 11),
    ]
    _, claims = _claims(_pdf([items]))
    assert claims[6:] == [" ".join(question) + ": Forty-two ferries in 2019."]


def test_a_page_number_above_the_foot_band_is_dropped() -> None:
    # A wide bottom margin: the number sits well above the bands, alone on the last line.
    pages = [
        [*_body(PROSE), (290, 700, "7", 11)],
        [*_body(PROSE[::-1]), (290, 700, "8", 11)],
    ]
    text, claims = _claims(_pdf(pages))
    assert all(line.strip() not in {"7", "8"} for line in text.splitlines())
    assert claims == [PROSE[0], PROSE[1], PROSE[1], PROSE[0]]


def test_a_ruled_table_keeps_wrapped_cells_whole_in_their_row() -> None:
    # Three columns, cells wrapping over two or three lines: read by the glyphs alone, the
    # lines of a row interleave ("to 2030. | actions. | ...").
    xs, ys = [72.0, 200.0, 330.0, 460.0], [300.0, 320.0, 370.0, 420.0]
    items = [
        *_body(PROSE * 2),
        (76, 314, "Measure", 11),
        (204, 314, "Target 2025", 11),
        (334, 314, "Target 2030", 11),
        (76, 334, "Longer ferry hours on", 11),
        (76, 348, "the northern route", 11),
        (204, 334, "Two more crossings", 11),
        (204, 348, "each night", 11),
        (334, 334, "Four more crossings", 11),
        (334, 348, "each night and one", 11),
        (334, 362, "at dawn", 11),
        (76, 384, "New cranes", 11),
        (204, 384, "One crane", 11),
        (334, 384, "Three cranes on the", 11),
        (334, 398, "east pier", 11),
    ]
    _, claims = _claims(_pdf([items], [_grid(xs, ys)]))
    assert claims[4:] == [
        "Measure: Longer ferry hours on the northern route | Target 2025: Two more crossings "
        "each night | Target 2030: Four more crossings each night and one at dawn",
        "Measure: New cranes | Target 2025: One crane | Target 2030: Three cranes on the east pier",
    ]


def test_a_ruled_table_cell_of_bullets_gives_a_claim_per_item() -> None:
    # Plan tables list their actions as bullets in a cell (here drawn as "!" in Symbol, as
    # one NDC does): each is a position of its own, with the row's other cells and the
    # column's header as its context.
    xs, ys = [72.0, 200.0, 330.0, 520.0], [300.0, 320.0, 420.0]
    data = fpdf.FPDF(unit="pt", format="A4")
    page = _Page(data)
    for x, y, words, size in [
        *_body(PROSE * 2),
        (76, 314, "Programme", 11),
        (204, 314, "Strategy", 11),
        (334, 314, "Action", 11),
        (76, 334, "Harbour safety", 11),
        (204, 334, "Safer berths.", 11),
        (346, 334, "Dredge the northern channel.", 11),
        (346, 362, "Replace the cranes on the", 11),
        (346, 376, "east pier.", 11),
    ]:
        page.text(x, y, words, size)
    for y in (334, 362):
        page.text(334, y, "!", 11, font="Symbol")
    data.set_line_width(0.5)
    for x1, y1, x2, y2 in _grid(xs, ys):
        data.line(x1, y1, x2, y2)
    text, claims = _claims(bytes(data.output()))
    assert claims[4:] == ["Dredge the northern channel.", "Replace the cranes on the east pier."]
    docs = extract_claims(text, hard_wrapped=True)
    assert {c.context for c in docs[4:]} == {
        "Programme: Harbour safety | Strategy: Safer berths. | Action:"
    }


def test_a_ruled_form_pairs_a_question_with_its_centred_answer() -> None:
    # The answer sits halfway down beside a question of three lines (it does not start on
    # the question's first baseline), and the form numbers its rows in a column of its own.
    xs, ys = [72.0, 100.0, 330.0, 520.0], [300.0, 360.0, 400.0]
    items = [
        *_body(PROSE * 2),
        (76, 314, "(a)", 11),
        (104, 314, "Information on the ferries counted in", 11),
        (104, 328, "the reference year, and on how the count", 11),
        (104, 342, "was made by the harbour board", 11),
        (334, 330, "Forty-two ferries in 2019.", 11),
        (76, 374, "(b)", 11),
        (104, 374, "Time frame of the plan", 11),
        (334, 374, "From 2025 to 2030.", 11),
    ]
    _, claims = _claims(_pdf([items], [_grid(xs, ys)]))
    assert claims[4:] == [
        # The row numbers open their items, as list markers (kept out of the claim's text).
        "Information on the ferries counted in the reference year, and on how the count "
        "was made by the harbour board: Forty-two ferries in 2019.",
        "Time frame of the plan: From 2025 to 2030.",
    ]


def test_a_justified_line_with_wide_spaces_stays_one_line() -> None:
    # Each word placed on its own, 1.5 ems apart: wider than the gap between columns, far
    # narrower than a table's.
    words = ["The", "board", "agreed", "to", "paint", "the", "northern", "cranes", "before"]
    x, placed = 72.0, []
    for word in words:
        placed.append((x, 240.0, word, 11.0))
        x += _width(word, 11) + 16.5
    items = [*_body(PROSE * 2), *placed, (72, 254, "the first storm of the winter.", 11)]
    _, claims = _claims(_pdf([items]))
    assert claims[-1] == (
        "The board agreed to paint the northern cranes before the first storm of the winter."
    )


def test_asterisk_note_markers_are_dropped() -> None:
    items = [
        *_body(PROSE * 2),
        (72, 240, "Ferry crossings will rise to 40 a day by 2030**.", 11),
        (72, 268, "** counted on weekdays only, as the harbour board does.", 9),
    ]
    text, claims = _claims(_pdf([items]))
    assert "*" not in text
    assert "Ferry crossings will rise to 40 a day by 2030." in claims
