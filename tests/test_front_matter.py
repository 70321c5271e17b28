"""Front matter: the leading ``---`` YAML block of a Markdown or plain-text brief.

Issue #15: a ``.txt`` file's front matter was ignored (with or without a BOM, in any
encoding), so a file that states its date failed with "no date found".
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from tracker.claims import extract_claims
from tracker.ingest import ingest_file
from tracker.ingest.front_matter import split_front_matter
from tracker.ingest.readers import read_document
from tracker.store.db import Database

BODY = (
    "The river authority will raise the flood wall along the east bank by 40 centimetres.\n\n"
    "Work on the second lock is to start in 2026, two years later than planned.\n"
)
BLOCK = (
    "---\n"
    "title: Flood wall plan\n"
    "date: 2023-09-14\n"
    "source: River Desk\n"
    "url: https://example.org/flood-wall\n"
    "authors: [Ana Ruiz, Tom Berg]\n"
    "---\n"
)

ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8 with BOM": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf-16 with BOM": lambda text: text.encode("utf-16"),
    "utf-16-le without BOM": lambda text: text.encode("utf-16-le"),
    "utf-16-be without BOM": lambda text: text.encode("utf-16-be"),
    "cp1252": lambda text: text.replace("Ruiz", "Ruíz").encode("cp1252"),
    "windows line endings": lambda text: text.replace("\n", "\r\n").encode("utf-8"),
}


@pytest.mark.parametrize("encoding", list(ENCODINGS))
@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_front_matter_is_honoured_in_any_text_format_and_encoding(
    encoding: str, suffix: str
) -> None:
    doc = read_document(Path("brief" + suffix), ENCODINGS[encoding](BLOCK + "\n" + BODY))
    assert doc.date is not None and doc.date.isoformat() == "2023-09-14"
    assert doc.date_source == "front matter"
    assert doc.title == "Flood wall plan"
    assert doc.source == "River Desk"
    assert doc.url == "https://example.org/flood-wall"
    assert [a.replace("í", "i") for a in doc.authors] == ["Ana Ruiz", "Tom Berg"]
    assert "title:" not in doc.text and "---" not in doc.text
    assert doc.text.strip().replace("\r\n", "\n") == BODY.strip()


def test_a_text_files_front_matter_is_blanked_so_spans_stay_offsets_into_the_file() -> None:
    text = BLOCK + "\n" + BODY
    doc = read_document(Path("brief.txt"), text.encode("utf-8"))
    assert len(doc.text) == len(text)
    assert doc.text[len(BLOCK) :] == text[len(BLOCK) :]
    assert doc.text[: len(BLOCK)].strip() == ""
    assert doc.text.count("\n") == text.count("\n")
    claims = extract_claims(doc.text)
    assert text[claims[0].start : claims[0].end].startswith("The river authority")


def test_a_text_file_dated_only_by_its_front_matter_is_ingested(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "flood-wall.txt"  # no date in the name
    path.write_bytes(codecs.BOM_UTF8 + (BLOCK + "\n" + BODY).encode("utf-8"))
    result = ingest_file(db, path)
    assert result.date.isoformat() == "2023-09-14"
    assert result.title == "Flood wall plan"
    assert result.claims == 2


def test_a_title_underlined_with_dashes_is_text_not_front_matter() -> None:
    text = "----------------\nFlood wall plan\n----------------\n\n" + BODY
    doc = read_document(Path("2023-09-14-flood.txt"), text.encode("utf-8"))
    assert doc.text == text
    assert doc.date_source == "file name"


def test_date_header_lines_still_work_without_front_matter() -> None:
    text = "Title: Flood wall plan\nDate: 14 September 2023\n\n" + BODY
    doc = read_document(Path("brief.txt"), text.encode("utf-8"))
    assert doc.title == "Flood wall plan"
    assert doc.date is not None and doc.date.isoformat() == "2023-09-14"
    assert doc.date_source == "Date: header"


@pytest.mark.parametrize(
    ("yaml_date", "iso"),
    [
        ("2023-09-14", "2023-09-14"),
        ("2023-09-14 08:30:00", "2023-09-14"),
        ("2023-09", "2023-09-01"),
        ("'14 September 2023'", "2023-09-14"),
        ("2023", "2023-01-01"),
    ],
)
def test_front_matter_dates_reach_the_date_parser_as_text(yaml_date: str, iso: str) -> None:
    matter = split_front_matter(f"---\ndate: {yaml_date}\n---\nbody\n")
    assert matter is not None
    doc = read_document(Path("b.md"), f"---\ndate: {yaml_date}\n---\n\n{BODY}".encode())
    assert doc.date is not None and doc.date.isoformat() == iso


def test_a_file_without_front_matter_has_none() -> None:
    assert split_front_matter(BODY) is None
    assert split_front_matter("--- not a delimiter\n" + BODY) is None
    empty = split_front_matter("---\n---\n" + BODY)
    assert empty is not None and empty.title is None and empty.date is None


def test_a_page_with_front_matter_is_read_and_dated_by_it() -> None:
    page = (
        "<html><head><title>Flood wall</title><meta name='date' content='2001-01-01'></head>"
        "<body><article><h1>Flood wall</h1>"
        + "".join(f"<p>{line}</p>" for line in BODY.split("\n\n"))
        + "</article></body></html>"
    )
    for data in (BLOCK + page, "\ufeff" + BLOCK.replace("\n", "\r\n") + page):
        doc = read_document(Path("flood.html"), data.encode("utf-8"))
        assert doc.date is not None and doc.date.isoformat() == "2023-09-14"
        assert doc.date_source == "front matter"
        assert doc.title == "Flood wall plan"
        assert doc.authors == ["Ana Ruiz", "Tom Berg"]
        assert "title:" not in doc.text
        assert "flood wall along the east bank" in doc.text
