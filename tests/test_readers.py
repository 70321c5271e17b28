"""Readers: text and metadata from .txt, .md, .html and .pdf files, in any common encoding."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import logging
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from tracker.errors import InputError, MetadataError
from tracker.ingest.readers import decode, parse_date, read_document

# -- plain text ----------------------------------------------------------------------------


def test_txt_header_lines_are_metadata() -> None:
    data = (
        b"Title: Harbour dredging plan\n"
        b"Date: 2022-09-14\n"
        b"Source: Coastal Policy Lab\n"
        b"URL: https://example.org/harbour\n"
        b"Authors: Ada Quill and Bo Lind\n"
        b"\n"
        b"The port authority will dredge the northern channel before winter.\n"
    )
    doc = read_document(Path("plan.txt"), data)
    assert doc.format == "txt"
    assert doc.title == "Harbour dredging plan"
    assert doc.date == dt.date(2022, 9, 14)
    assert doc.source == "Coastal Policy Lab"
    assert doc.url == "https://example.org/harbour"
    assert doc.authors == ["Ada Quill", "Bo Lind"]
    assert "dredge the northern channel" in doc.text


def test_txt_header_lines_count_only_before_the_first_blank_line() -> None:
    data = b"Harbour plan\n\nDate: 2022-09-14\nThe port will dredge the channel.\n"
    doc = read_document(Path("plan.txt"), data)
    assert doc.date is None
    assert doc.title == "Harbour plan"


def test_txt_header_block_is_metadata_not_text_or_title() -> None:
    data = b"Date: 2022-03-01\nSource: Harbour Lab\n\nThe port will dredge the channel.\n"
    doc = read_document(Path("plan.txt"), data)
    assert doc.date == dt.date(2022, 3, 1) and doc.source == "Harbour Lab"
    assert doc.text == " " * 16 + "\n" + " " * 19 + "\n\nThe port will dredge the channel.\n"
    assert doc.title is None  # the first line below the header is prose, not a title
    titled = read_document(Path("plan.txt"), b"Date: 2022-03-01\n\nHarbour plan\n\nThe port.\n")
    assert titled.title == "Harbour plan"


def test_txt_date_from_file_name() -> None:
    doc = read_document(Path("2023-06-02-x.txt"), b"The port will dredge the channel.\n")
    assert doc.date == dt.date(2023, 6, 2)


def test_txt_header_date_wins_over_file_name() -> None:
    data = b"Date: 2021-01-05\n\nThe port will dredge the channel.\n"
    doc = read_document(Path("2023-06-02-x.txt"), data)
    assert doc.date == dt.date(2021, 1, 5)


def test_txt_without_any_date() -> None:
    doc = read_document(Path("notes.txt"), b"The port will dredge the channel.\n")
    assert doc.date is None


# -- markdown ------------------------------------------------------------------------------

FRONT_MATTER = """---
title: Rail Freight Outlook
date: 2022-11-03
source: Transit Policy Lab
url: https://example.org/rail
authors:
  - Mira Holm
  - Tomas Ek
---

# A heading that is not the title

The agency plans to electrify the freight corridor between the two ports by 2030.
"""


def test_md_front_matter() -> None:
    doc = read_document(Path("rail.md"), FRONT_MATTER.encode())
    assert doc.format == "md"
    assert doc.title == "Rail Freight Outlook"
    assert doc.date == dt.date(2022, 11, 3)
    assert doc.source == "Transit Policy Lab"
    assert doc.url == "https://example.org/rail"
    assert doc.authors == ["Mira Holm", "Tomas Ek"]
    # The text is the body: front matter is metadata, not prose.
    assert "---" not in doc.text
    assert "Transit Policy Lab" not in doc.text
    assert "electrify the freight corridor" in doc.text


def test_md_without_front_matter_takes_title_from_heading() -> None:
    data = b"## Rail Freight Outlook\n\nThe agency plans to electrify the corridor.\n"
    doc = read_document(Path("2022-11-03-rail.md"), data)
    assert doc.title == "Rail Freight Outlook"
    assert doc.date == dt.date(2022, 11, 3)


@pytest.mark.parametrize(
    "front",
    [
        "title: [an unclosed list\ndate: 2022-11-03\n",
        "title: one: two: three\n  - dangling\n",
        'title: "unterminated\n',
    ],
)
def test_md_invalid_yaml_front_matter(front: str) -> None:
    data = f"---\n{front}---\n\nThe agency plans to electrify the corridor.\n".encode()
    with pytest.raises(MetadataError) as info:
        read_document(Path("rail.md"), data)
    message = str(info.value)
    assert message.startswith("front matter is not valid YAML")
    assert "\n" not in message


def test_md_bad_date_in_front_matter() -> None:
    data = b"---\ndate: sometime soon\n---\n\nThe agency plans to electrify the corridor.\n"
    with pytest.raises(MetadataError, match="cannot parse date"):
        read_document(Path("rail.md"), data)


# -- HTML ----------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour Policy Outlook</title>
<meta name="date" content="2022-09-14">
<meta name="author" content="Ada Quill">
</head><body>
<nav><ul>
<li><a href="/">Home</a></li>
<li><a href="/about">About the institute and its many programmes</a></li>
<li><a href="/donate">Donate now to support our independent research</a></li>
</ul></nav>
<article>
<h1>Harbour Policy Outlook</h1>
<p>The ministry will dredge the northern channel before the winter storms arrive, according
to the port authority plan published this week.</p>
<p>Inspectors also recommended that the city replace the aging cranes on the east pier within
three years, at a cost of roughly forty million crowns.</p>
<p>Local fishing cooperatives have asked for a seat on the oversight board that will monitor
the dredging work and its effect on fish stocks.</p>
</article>
<footer><p>Copyright 2022 Harbour Institute. All rights reserved. Subscribe to our newsletter
for weekly updates.</p></footer>
</body></html>
"""


def test_html_main_text_title_and_date() -> None:
    doc = read_document(Path("page.html"), PAGE.encode())
    assert doc.format == "html"
    assert doc.title == "Harbour Policy Outlook"
    assert doc.date == dt.date(2022, 9, 14)
    assert doc.authors == ["Ada Quill"]
    for key in ("dredge the northern channel", "aging cranes", "oversight board"):
        assert key in " ".join(doc.text.split())
    for boilerplate in ("Donate now", "About the institute", "All rights reserved", "newsletter"):
        assert boilerplate not in doc.text


def test_html_without_main_text() -> None:
    data = b"<!DOCTYPE html><html><head><title>Empty</title></head><body></body></html>"
    with pytest.raises(InputError, match="no main text"):
        read_document(Path("empty.html"), data)


def test_html_is_sniffed_without_a_suffix() -> None:
    doc = read_document(Path("download"), PAGE.encode())
    assert doc.format == "html"


# -- PDF -----------------------------------------------------------------------------------


def _pdf_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(lines: list[str], *, title: str | None = None, created: str | None = None) -> bytes:
    """A minimal one-page PDF with a Helvetica text layer, written object by object."""
    ops = " ".join(f"({_pdf_string(line)}) Tj T*" for line in lines)
    content = f"BT /F1 12 Tf 72 720 Td 14 TL {ops} ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    info = []
    if title:
        info.append(f"/Title ({_pdf_string(title)})")
    if created:
        info.append(f"/CreationDate (D:{created})")
    if info:
        objects.append(f"<< {' '.join(info)} >>".encode("latin-1"))

    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    trailer = b"/Size %d /Root 1 0 R" % (len(objects) + 1)
    if info:
        trailer += b" /Info %d 0 R" % len(objects)
    out += b"trailer\n<< %s >>\nstartxref\n%d\n%%%%EOF\n" % (trailer, xref)
    return bytes(out)


PDF_LINES = [
    "The council will extend the tram line to the airport by 2027.",
    "Funding comes from a regional bond of 300 million euros.",
]


def test_pdf_text_layer_and_info() -> None:
    data = make_pdf(PDF_LINES, title="Tram extension", created="20220301120000Z")
    # The hand-written file is valid: its xref offsets point at the objects.
    reader = PdfReader(io.BytesIO(data), strict=True)
    assert len(reader.pages) == 1

    doc = read_document(Path("tram.pdf"), data)
    assert doc.format == "pdf"
    assert doc.hard_wrapped
    assert doc.text.splitlines() == PDF_LINES
    assert doc.title == "Tram extension"
    assert doc.date == dt.date(2022, 3, 1)


def test_pdf_without_info_takes_date_from_file_name() -> None:
    doc = read_document(Path("2021-05-04-tram.pdf"), make_pdf(PDF_LINES))
    assert doc.date == dt.date(2021, 5, 4)
    assert doc.title is None


def test_pdf_is_sniffed_without_a_suffix() -> None:
    doc = read_document(Path("download.bin"), make_pdf(PDF_LINES))
    assert doc.format == "pdf"


def test_encrypted_pdf_is_an_input_error() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(PDF_LINES))))
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(InputError, match="encrypted"):
        read_document(Path("locked.pdf"), buffer.getvalue())


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.8])
def test_truncated_pdf_is_an_input_error(keep: float, caplog: pytest.LogCaptureFixture) -> None:
    data = make_pdf(PDF_LINES)
    caplog.set_level(logging.ERROR, logger="pypdf")
    with pytest.raises(InputError, match="cannot read the PDF"):
        read_document(Path("cut.pdf"), data[: int(len(data) * keep)])


def test_pdf_without_text_layer() -> None:
    with pytest.raises(InputError, match="no text layer"):
        read_document(Path("scan.pdf"), make_pdf([]))


# -- encodings and binary content ----------------------------------------------------------

SENTENCE = "Date: 2020-05-01\n\nThe navy will buy two patrol boats for coastal défense next year.\n"


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + SENTENCE.encode("utf-8"),
        codecs.BOM_UTF16_LE + SENTENCE.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + SENTENCE.encode("utf-16-be"),
        SENTENCE.encode("cp1252"),
    ],
    ids=["utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "cp1252"],
)
def test_encodings_decode_to_the_same_text(data: bytes) -> None:
    doc = read_document(Path("navy.txt"), data)
    # The header is metadata: blanked, so offsets still match the file.
    assert doc.text == " " * len("Date: 2020-05-01") + SENTENCE.removeprefix("Date: 2020-05-01")
    assert doc.date == dt.date(2020, 5, 1)


def test_short_cp1252_bytes_decode_without_crashing() -> None:
    text = decode(b"d\xe9fense")
    assert isinstance(text, str)
    assert text.startswith("d")
    assert text.endswith("fense")


def test_nul_bytes_are_binary_content() -> None:
    data = b"The navy\x00\x01\x02\x00 will buy boats.\x00" * 4
    with pytest.raises(InputError, match="binary"):
        read_document(Path("navy.txt"), data)


def test_unsupported_suffix() -> None:
    with pytest.raises(InputError, match=r"unsupported file type '\.csv'"):
        read_document(Path("table.csv"), b"a,b\n1,2\n")


def test_file_without_text() -> None:
    with pytest.raises(InputError, match="no text"):
        read_document(Path("blank.txt"), b"  \n\n \t\n")


# -- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024", dt.date(2024, 1, 1)),
        ("2024-04", dt.date(2024, 4, 1)),
        ("2024-04-12", dt.date(2024, 4, 12)),
        ("12 April 2024", dt.date(2024, 4, 12)),
        ("April 12, 2024", dt.date(2024, 4, 12)),
        ("12th April 2024", dt.date(2024, 4, 12)),
        ("2024-04-12T18:30:00Z", dt.date(2024, 4, 12)),
        (" 2024-04-12 ", dt.date(2024, 4, 12)),
        (dt.date(2024, 4, 12), dt.date(2024, 4, 12)),
        (dt.datetime(2024, 4, 12, 9, 30), dt.date(2024, 4, 12)),
    ],
)
def test_parse_date(value: object, expected: dt.date) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value", ["not-a-date", "", "2024-13-01", "2024-02-30", "April 31, 2024", "12/31"]
)
def test_parse_date_invalid(value: str) -> None:
    with pytest.raises(MetadataError) as info:
        parse_date(value)
    assert "\n" not in str(info.value)
