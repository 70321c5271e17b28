"""Bad input: every kind of file an analyst's inbox holds is either ingested or refused with
one line naming the file and the reason, and the rest of the batch goes on.

The last test is the issue's "done when": one folder mixing every bad case with good briefs,
ingested twice through the CLI.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import frontmatter
import pytest
from click.testing import CliRunner
from lxml import etree
from pypdf import PdfReader, PdfWriter
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import SAMPLE
from tests.test_readers import PDF_LINES, make_pdf
from tracker.claims import extract_claims
from tracker.cli import cli
from tracker.errors import InputError
from tracker.ingest import IngestFailure, IngestResult, ingest_file, ingest_paths
from tracker.ingest.readers import read_document
from tracker.ingest.service import MAX_FILE_BYTES
from tracker.store.db import Database
from tracker.store.doctor import check_store
from tracker.store.models import Brief

# -- inputs, all made up here ---------------------------------------------------------------

PROSE = (
    "The harbour board will dredge the northern channel before the winter storms arrive.\n\n"
    "Inspectors recommended that the city replace the cranes on the east pier within "
    "three years.\n"
)


def _pdf(lines: list[str] = PDF_LINES, *, password: str | None = None, owner: str = "") -> bytes:
    data = make_pdf(lines)
    if password is None:
        return data
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=password, owner_password=owner or None)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _junk(size: int) -> bytes:
    """Deterministic bytes that look random (a SHA-256 chain)."""
    out = bytearray()
    block = b"seed"
    while len(out) < size:
        block = hashlib.sha256(block).digest()
        out += block
    return bytes(out[:size])


NO_MAIN_TEXT = (
    b"<!DOCTYPE html><html><head><title>Menu</title></head><body><header><nav><ul>"
    b"<li><a href='/'>Home</a></li><li><a href='/about'>About us</a></li></ul></nav></header>"
    b"<main></main><footer><p>Copyright 2024 Harbour Institute. All rights reserved.</p>"
    b"</footer></body></html>"
)
COOKIE_WALL = (
    b"<!DOCTYPE html><html><head><title>Before you continue</title></head><body>"
    b"<div id='consent'><h2>Before you continue</h2>"
    b"<p>We and our partners use cookies and similar technologies to store and access "
    b"information on your device.</p><p>Select Accept all to consent to this use, or Manage "
    b"preferences to choose what we may do with your personal data.</p>"
    b"<button>Accept all</button><button>Reject all</button></div></body></html>"
)
ARTICLE_ABOUT_COOKIES = (
    "<!DOCTYPE html><html><head><title>Cookie rules</title>"
    "<meta name='date' content='2023-03-01'></head><body><article><h1>Cookie rules</h1>"
    + "".join(
        f"<p>Paragraph {i}: the regulator said the new rules on tracking cookies will apply "
        "to every website operating in the country from next year, and that companies must "
        "show a clear refusal button beside the acceptance button on the first screen.</p>"
        for i in range(12)
    )
    + "</article></body></html>"
).encode()


def _long_sentence(chars: int = 100_000) -> str:
    words = " ".join(f"berth{i % 1000}" for i in range(chars // 8))
    return f"The harbour board will allocate {words[: chars - 40]} next year."


def _tiny_lines(lines: int = 100_000) -> str:
    return "".join(f"item {i}\n" for i in range(lines))


# -- one reader case at a time -------------------------------------------------------------

REFUSED = {
    "empty": ("brief.txt", b"", "the file has no text (it is empty)"),
    "whitespace only": ("brief.md", b" \n\t\n  \n", "the file has no text (only white space)"),
    "binary junk": ("brief.txt", _junk(4000), "binary content"),
    "binary junk without NUL": (
        "brief.txt",
        bytes(b for b in _junk(8000) if b)[:4000],
        "binary content",
    ),
    "NUL bytes in text": ("brief.txt", PROSE.encode() + b"\x00\x00" + PROSE.encode(), "NUL byte"),
    "NUL byte late in the file": ("brief.md", PROSE.encode() * 100 + b"\x00", "NUL byte"),
    "invalid UTF-8": (
        "brief.md",
        "Le port sera dragué en été, à côté de la jetée.\n".encode() + b"\xff\xfe broken \xc3\n",
        "invalid UTF-8 (byte 0xff at offset",
    ),
    "HTML without main text": ("page.html", NO_MAIN_TEXT, "no main text found in the HTML page"),
    "HTML cookie wall": ("page.html", COOKIE_WALL, "cookie or consent notice"),
    "encrypted PDF": ("brief.pdf", _pdf(password="secret"), "the PDF is encrypted"),
    "scanned PDF": ("brief.pdf", _pdf([]), "the PDF has no text layer"),
    "truncated PDF": ("brief.pdf", _pdf()[:300], "cannot read the PDF"),
    "HTML saved as PDF": ("brief.pdf", NO_MAIN_TEXT, "not a PDF file"),
    "unparsable date": (
        "brief.md",
        b"---\ndate: the spring after next\n---\n\n" + PROSE.encode(),
        "cannot parse date 'the spring after next'",
    ),
    "front matter not YAML": (
        "brief.md",
        b"---\ntitle: [never closed\ndate: 2022-01-01\n---\n\n" + PROSE.encode(),
        "front matter is not valid YAML",
    ),
    # PyYAML builds dates itself and raised a bare ValueError here, crashing the batch.
    "impossible date in front matter": (
        "brief.md",
        b"---\ndate: 2021-02-30\n---\n\n" + PROSE.encode(),
        "date 2021-02-30 is not a valid date",
    ),
    "impossible date in a text file's front matter": (
        "brief.txt",
        b"---\ndate: 2023-13-01\ntitle: Harbour\n---\n\n" + PROSE.encode(),
        "date 2023-13-01 is not a valid date",
    ),
    "impossible date in a Date: header": (
        "brief.txt",
        b"Date: 2022-04-31\n\n" + PROSE.encode(),
        "date 2022-04-31 is not a valid date",
    ),
    "explicit timestamp tag with an impossible date": (
        "brief.md",
        b"---\nupdated: !!timestamp 2021-02-30\n---\n\n" + PROSE.encode(),
        "front matter is not valid YAML (day is out of range for month)",
    ),
    "explicit int tag on a word": (
        "brief.md",
        b"---\nversion: !!int draft\n---\n\n" + PROSE.encode(),
        "front matter is not valid YAML (invalid literal for int()",
    ),
    "python object tag": (
        "brief.md",
        b"---\nx: !!python/object/apply:os.system [echo owned]\n---\n\n" + PROSE.encode(),
        "front matter is not valid YAML (could not determine a constructor",
    ),
    "front matter nesting too deep": (
        "brief.md",
        b"---\ntitle: " + b"[" * 20_000 + b"]" * 20_000 + b"\n---\n\n" + PROSE.encode(),
        "front matter is not valid YAML (",
    ),
    "front matter that is a list": (
        "brief.md",
        b"---\n- harbour\n- channel\n---\n\n" + PROSE.encode(),
        "front matter is YAML but not keys and values (a list)",
    ),
    # Six levels of nine aliases: str() of the title would be 9**6 items long, and each level
    # more multiplies it by nine (a few more levels exhaust the memory of any machine).
    "alias bomb in the title": (
        "brief.md",
        (
            "---\na0: &a0 [x, x, x, x, x, x, x, x, x]\n"
            + "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 6))
            + "title: *a5\n---\n\n"
            + PROSE
        ).encode(),
        "front matter title is not text (it is a list)",
    ),
    # (A PDF whose cross-reference table alone is broken is repaired and read by PDFium.)
    "PDF cut off after its first third": (
        "brief.pdf",
        _pdf()[: len(_pdf()) // 3],
        "cannot read the PDF",
    ),
    "gzip data named .html": ("page.html", gzip.compress(PROSE.encode() * 40), "binary content"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_each_bad_input_is_one_line_naming_the_reason(case: str) -> None:
    name, data, reason = REFUSED[case]
    with pytest.raises(InputError) as info:
        read_document(Path(name), data)
    message = str(info.value)
    assert reason in message
    assert "\n" not in message


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_decoded(codec: str) -> None:
    text = "Date: 2021-02-03\n\nLa capitainerie draguera le chenal nord avant l’hiver.\n"
    doc = read_document(Path("brief.txt"), text.encode(codec))
    assert doc.text == " " * 16 + text.removeprefix("Date: 2021-02-03")  # header blanked
    assert doc.date is not None and doc.date.isoformat() == "2021-02-03"


def test_utf16_without_bom_that_does_not_decode_is_refused() -> None:
    # An unpaired high surrogate (U+D801) before "A".
    data = "The harbour board will dredge the channel.".encode("utf-16-le") + b"\x01\xd8A\x00"
    with pytest.raises(InputError, match="looks like UTF-16-LE without a byte-order mark"):
        read_document(Path("brief.txt"), data)


def test_a_legacy_encoding_is_still_decoded() -> None:
    text = "The harbour board will dredge the channel before the storms, said the préfet.\n"
    doc = read_document(Path("brief.txt"), text.encode("cp1252"))
    assert doc.text == text


def test_an_article_about_cookies_is_not_a_cookie_wall() -> None:
    doc = read_document(Path("page.html"), ARTICLE_ABOUT_COOKIES)
    assert "tracking cookies" in doc.text


def test_a_pdf_locked_only_against_editing_is_read() -> None:
    doc = read_document(Path("brief.pdf"), _pdf(password="", owner="owner-secret"))
    assert doc.text.splitlines() == PDF_LINES


def test_damaged_pdfs_leave_nothing_on_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    for data in (_pdf()[:300], _pdf()[:-40], _pdf(password="secret")):
        with pytest.raises(InputError):
            read_document(Path("brief.pdf"), data)
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize(
    "error",
    [
        IndexError("list index out of range"),
        KeyError("href"),
        etree.ParserError("Document is empty"),
        UnicodeEncodeError("utf-8", "\udc80", 0, 1, "surrogates not allowed"),
        MemoryError(),
    ],
    ids=lambda e: type(e).__name__,
)
def test_a_parser_that_raises_on_a_hostile_page_costs_one_line(
    monkeypatch: pytest.MonkeyPatch, db: Database, tmp_path: Path, error: Exception
) -> None:
    """Whatever trafilatura (or lxml under it) raises is that page's failure only."""
    import trafilatura

    def hostile(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(trafilatura, "bare_extraction", hostile)
    with pytest.raises(InputError) as info:
        read_document(Path("page.html"), ARTICLE_ABOUT_COOKIES)
    assert re.match(r"cannot (read|parse) the HTML page \(", str(info.value)), info.value
    assert "\n" not in str(info.value)
    (tmp_path / "page.html").write_bytes(ARTICLE_ABOUT_COOKIES)
    (tmp_path / "2022-01-01-next.txt").write_text(PROSE, encoding="utf-8")
    report = ingest_paths(db, [tmp_path / "page.html", tmp_path / "2022-01-01-next.txt"])
    assert [f.path.name for f in report.failures] == ["page.html"]
    assert [r.path.name for r in report.results] == ["2022-01-01-next.txt"]


def test_a_broken_install_is_not_passed_off_as_a_bad_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An ImportError (lxml_html_clean missing, issue #15) is the install's fault: it is not
    reported as one more file that cannot be read."""
    import trafilatura

    def missing(*args: object, **kwargs: object) -> None:
        raise ImportError("lxml.html.clean module is now a separate project")

    monkeypatch.setattr(trafilatura, "bare_extraction", missing)
    with pytest.raises(ImportError):
        read_document(Path("page.html"), ARTICLE_ABOUT_COOKIES)


def test_an_impossible_date_fails_its_file_and_the_folder_goes_on(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bad.md").write_text(f"---\ndate: 2021-02-30\n---\n\n{PROSE}", encoding="utf-8")
    (folder / "good.md").write_text(f"---\ndate: 2021-03-01\n---\n\n{PROSE}", encoding="utf-8")
    result = runner.invoke(cli, ["--db", str(tmp_path / "t.db"), "ingest", str(folder)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        f"failed  {folder / 'bad.md'}: date 2021-02-30 is not a valid date "
        "(day is out of range for month)"
    ]
    assert "good.md → brief 1 (2021-03-01," in result.stdout
    assert result.stdout.splitlines()[-1] == "1 stored, 0 already present, 1 failed"


def test_a_brief_without_a_sentence_is_refused(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "2022-08-08-labels.txt"
    path.write_text("Budget\n\nTimeline\n\nAnnex\n", encoding="utf-8")
    with pytest.raises(InputError, match="no sentence found in the text"):
        ingest_file(db, path)


def test_a_100k_character_sentence_is_one_claim(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "2022-04-04-long.txt"
    path.write_text(_long_sentence(), encoding="utf-8")
    result = ingest_file(db, path)
    assert result.claims == 1
    assert check_store(db) == []


def test_many_abbreviations_and_clause_breaks_stay_linear() -> None:
    # These shapes were quadratic (benchmarks/hostile_text.py): minutes at 100k characters.
    text = (
        "The plan "
        + "Dr. " * 25_000
        + "ends.\n\n"
        + "one two three four five; " * 4_000
        + "end.\n\n"
        + "the ministers met in the city, and Anna was " * 2_000
        + "x.\n"
    )
    claims = extract_claims(text)
    assert claims
    assert all(0 <= c.start < c.end <= len(text) for c in claims)


def test_a_file_over_the_size_limit_is_refused_before_reading(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(200 * 2**20)  # sparse: takes no disk, would take 200 MB of memory
    with pytest.raises(InputError) as info:
        ingest_file(db, path)
    limit = MAX_FILE_BYTES // 2**20
    assert str(info.value) == f"file is 200 MB, larger than the {limit} MB limit"


# -- files that change under the batch ------------------------------------------------------


def _vanish(path: Path, how: str) -> None:
    path.unlink()
    if how == "directory":
        path.mkdir()
    elif how == "dangling symlink":
        path.symlink_to(path.parent / "nowhere.txt")
    elif how == "fifo":
        os.mkfifo(path)


@pytest.mark.parametrize(
    ("how", "reason"),
    [
        ("deleted", "No such file or directory"),
        ("directory", "not a regular file (a directory)"),
        ("dangling symlink", "No such file or directory"),
        ("fifo", "not a regular file (a device, FIFO or socket)"),
    ],
)
def test_a_file_that_changes_between_listing_and_reading(
    db: Database, tmp_path: Path, how: str, reason: str
) -> None:
    """The folder is listed first; after the first brief, the second one is taken away."""
    folder = tmp_path / "in"
    folder.mkdir()
    names = ["2021-06-18-japan-2030-goal-coal-finance.md", "2023-06-02-gx-bonds.txt"]
    for name in names:
        shutil.copy(SAMPLE / name, folder / name)
    (folder / "2024-01-01-third.txt").write_text(PROSE, encoding="utf-8")
    victim = folder / names[1]

    def on_file(item: Path | IngestFailure, outcome: IngestResult | IngestFailure) -> None:
        if outcome.path.name == names[0]:
            _vanish(victim, how)

    report = ingest_paths(db, [folder], on_file=on_file)
    assert [(f.path, f.reason) for f in report.failures] == [(victim, reason)]
    assert sorted(r.path.name for r in report.results) == [
        "2021-06-18-japan-2030-goal-coal-finance.md",
        "2024-01-01-third.txt",
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_a_file_without_read_permission(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "2024-01-01-locked.txt"
    path.write_text(PROSE, encoding="utf-8")
    path.chmod(0)
    try:
        report = ingest_paths(db, [path])
    finally:
        path.chmod(0o644)
    assert [f.reason for f in report.failures] == ["Permission denied"]


# -- hostile names and control characters ---------------------------------------------------

HOSTILE_MD = (
    "---\n"
    "title: ../../etc/passwd\n"
    "source: ../../../root/.ssh\n"
    "url: file:///etc/passwd\n"
    "date: 2022-09-09\n"
    "---\n\n" + PROSE
)


@pytest.mark.parametrize("name", ["..%2F..%2Fetc%2Fpasswd.md", "passwd .. .md", "-rf ~.md"])
def test_archive_paths_never_leave_snapshots(db: Database, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(HOSTILE_MD, encoding="utf-8")
    ingest_file(db, path)
    with Session(db.engine) as session:
        archive_path, title = session.execute(select(Brief.archive_path, Brief.title)).one()
    assert title == "../../etc/passwd"  # stored as data, never used as a path
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert archive_path == f"2022/{digest[:32]}.md"
    archived = (db.archive_root / archive_path).resolve()
    assert archived.is_relative_to(db.archive_root.resolve())
    assert archived.read_bytes() == path.read_bytes()
    files = [p.name for p in tmp_path.rglob("*") if p.is_file()]
    assert sorted(f for f in files if not f.startswith("tracker.db")) == sorted(
        [name, archived.name]
    )


ESCAPES = "\x1b[2J\x1b]0;owned\x07\x1b[31m"


def test_control_characters_in_a_brief_are_made_visible() -> None:
    data = (
        f'---\ntitle: "Harbour\\e[2J plan\\nline two"\ndate: 2022-01-01\n---\n\n'
        f"The harbour board {ESCAPES}will dredge the northern channel next year.\n\n{PROSE}"
    ).encode()
    doc = read_document(Path("brief.md"), data)
    assert doc.title == "Harbour␛[2J plan line two"
    assert "\x1b" not in doc.text and "\x07" not in doc.text
    assert "board ␛[2J␛]0;owned␇␛[31mwill dredge" in doc.text
    # One character for one: spans into the text are spans into what was read.
    _meta, body = frontmatter.parse(data.decode())
    assert doc.text == body.replace("\x1b", "␛").replace("\x07", "␇")


def test_no_escape_sequence_reaches_the_terminal(runner: CliRunner, tmp_path: Path) -> None:
    db_path = str(tmp_path / "t.db")
    for year, verb in ((2021, "dredge"), (2024, "deepen")):
        path = tmp_path / f"{year}-05-05-harbour.txt"
        path.write_text(
            f"Title: Harbour {ESCAPES}plan\n\n"
            f"The harbour board {ESCAPES}will {verb} the northern channel by {year + 3}.\n\n"
            + PROSE,
            encoding="utf-8",
        )
        assert runner.invoke(cli, ["--db", db_path, "ingest", str(path)]).exit_code == 0
    outputs = [
        runner.invoke(cli, ["--db", db_path, *args]).output
        for args in (
            ["briefs"],
            ["claims", "1"],
            ["diff", "2021", "2024"],
            ["diff", "2021", "2024", "--format", "markdown"],
            ["diff", "2021", "2024", "--format", "json"],
        )
    ]
    for output in outputs:
        assert "␛" in output or "\\u241b" in output  # JSON may escape it
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", output), output


def test_file_names_with_escape_sequences_print_as_symbols(
    runner: CliRunner, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / f"2022-01-01-evil{ESCAPES}.txt").write_text(PROSE, encoding="utf-8")
    (inbox / f"2022-01-01-empty{ESCAPES}.txt").write_text("", encoding="utf-8")
    result = runner.invoke(cli, ["--db", str(tmp_path / "t.db"), "ingest", str(inbox)])
    assert result.exit_code == 1
    for output in (result.stdout, result.stderr):
        assert "␛[2J" in output
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", output), output


def test_ingesting_the_folder_that_holds_the_database_skips_its_archive(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "2022-01-01-harbour.txt").write_text(PROSE, encoding="utf-8")
    args = ["--db", str(tmp_path / "tracker.db"), "ingest", str(tmp_path)]
    first = runner.invoke(cli, args)
    assert first.stdout.splitlines()[-1] == "1 stored, 0 already present, 0 failed"
    assert (tmp_path / "snapshots" / "2022").is_dir()  # the archive is now inside the folder
    again = runner.invoke(cli, args)
    assert "snapshots" not in again.stdout
    assert again.stdout.splitlines()[-1] == "0 stored, 1 already present, 0 failed"


# -- the done-when test: one folder mixing every case with good briefs ----------------------

GOOD = {
    "2021-06-18-japan-2030-goal-coal-finance.md": None,  # sample corpus: copied
    "2023-06-02-gx-bonds.txt": None,
    "2021-10-25-sixth-strategic-energy-plan.html": None,
    "2022-02-02-utf16-no-bom.txt": (
        "Title: Chenal\n\n" + PROSE.replace("harbour", "estuary")
    ).encode("utf-16-le"),
    "2022-03-03-cp1252.txt": PROSE.replace("harbour", "préfecture").encode("cp1252"),
    "2022-04-04-long-sentence.txt": _long_sentence().encode(),
    "2022-05-05-tiny-lines.txt": _tiny_lines().encode(),
    "2022-06-06-tram.pdf": _pdf(),
    "2022-07-07-owner-locked.pdf": _pdf(
        ["The ferry service to the islands will run twice a day from next spring."],
        password="",
        owner="owner-secret",
    ),
    "2022-09-09-hostile.md": HOSTILE_MD.encode(),
    "2022-10-10-cookies-article.html": ARTICLE_ABOUT_COOKIES,
    # Dated only by its front matter, behind a UTF-8 BOM (a .txt used to ignore it).
    "front-matter-bom.txt": b"\xef\xbb\xbf---\r\ndate: 2022-11-11\r\n---\r\n\r\n"
    + PROSE.replace("harbour", "lighthouse").encode(),
}
BAD = {
    "empty.txt": (b"", "the file has no text (it is empty)"),
    "blank.md": (b"\n \t \n", "the file has no text (only white space)"),
    "junk.txt": (_junk(4000), "binary content"),
    "nul.txt": (PROSE.encode() + b"\x00" + PROSE.encode(), "NUL byte"),
    "broken-utf8.md": REFUSED["invalid UTF-8"][1:],
    "huge.txt": (None, "file is 200 MB, larger than the 50 MB limit"),
    "no-main-text.html": (NO_MAIN_TEXT, "no main text found"),
    "cookie-wall.html": (COOKIE_WALL, "cookie or consent notice"),
    "encrypted.pdf": (_pdf(password="secret"), "the PDF is encrypted"),
    "scanned.pdf": (_pdf([]), "the PDF has no text layer"),
    "truncated.pdf": (_pdf()[:300], "cannot read the PDF"),
    "vanished.txt": (None, "No such file or directory"),
    "loop": (None, "symlink loop"),
    "bad-date.md": REFUSED["unparsable date"][1:],
    "bad-yaml.md": REFUSED["front matter not YAML"][1:],
    "2022-08-08-no-sentence.txt": (b"Budget\n\nTimeline\n\nAnnex\n", "no sentence found"),
    "impossible-date.md": REFUSED["impossible date in front matter"][1:],
    "alias-bomb.md": REFUSED["alias bomb in the title"][1:],
    "bad-xref.pdf": REFUSED["PDF cut off after its first third"][1:],
}
# Not briefs: listed as skipped on standard output, never failed, never read.
SKIPPED = {
    "minutes.docx": "unsupported type .docx",
    "chart.png": "unsupported type .png",
    ".DS_Store": "hidden file",
    "dangling": "broken symlink (No such file or directory)",
}


@pytest.fixture
def mixed(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name, data in GOOD.items():
        if data is None:
            shutil.copy(SAMPLE / name, folder / name)
        else:
            (folder / name).write_bytes(data)
    for name, (data, _reason) in BAD.items():
        if data is not None:
            (folder / name).write_bytes(data)
    with (folder / "huge.txt").open("wb") as fh:
        fh.truncate(200 * 2**20)
    (folder / "vanished.txt").symlink_to(tmp_path / "gone.txt")
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    for name in SKIPPED:
        if name == "dangling":
            (folder / name).symlink_to(tmp_path / "nowhere")
        else:
            (folder / name).write_bytes(_junk(64))
    yield folder


def _fingerprint(folder: Path) -> dict[str, str]:
    """What each entry is: a file's hash (its size when huge), a link's target."""
    out = {}
    for path in sorted(folder.iterdir()):
        if path.is_symlink():
            out[path.name] = f"-> {os.readlink(path)}"
        elif path.stat().st_size > MAX_FILE_BYTES:
            out[path.name] = f"{path.stat().st_size} bytes"
        else:
            out[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _failures(stderr: str) -> dict[str, str]:
    failures = {}
    for line in stderr.strip().splitlines():
        match = re.fullmatch(r"failed  (.+?): (.+)", line)
        assert match, line
        failures[Path(match.group(1)).name] = match.group(2)
    return failures


def test_a_mixed_folder_ingests_every_good_brief_exactly_once(
    runner: CliRunner, tmp_path: Path, mixed: Path
) -> None:
    db_path = tmp_path / "tracker.db"
    before = _fingerprint(mixed)

    first = runner.invoke(cli, ["--db", str(db_path), "ingest", str(mixed)])
    assert first.exit_code == 1
    assert first.exception is None or isinstance(first.exception, SystemExit), first.exception
    assert "Traceback" not in first.output
    failures = _failures(first.stderr)
    assert failures.keys() == BAD.keys()
    for name, (_data, reason) in BAD.items():
        assert reason in failures[name], (name, failures[name])
    summary = f"{len(GOOD)} stored, 0 already present, {len(BAD)} failed, {len(SKIPPED)} skipped"
    assert first.stdout.splitlines()[-1] == summary, first.stdout
    stored = {
        Path(line.split()[1]).name
        for line in first.stdout.splitlines()
        if line.startswith("stored ")
    }
    assert stored == GOOD.keys()
    skipped = [line for line in first.stdout.splitlines() if line.startswith("skipped ")]
    assert sorted(skipped) == sorted(
        f"skipped  {mixed / name}: {reason}" for name, reason in SKIPPED.items()
    )

    second = runner.invoke(cli, ["--db", str(db_path), "ingest", str(mixed)])
    assert second.exit_code == 1
    assert _failures(second.stderr) == failures
    assert second.stdout.splitlines()[-1] == (
        f"0 stored, {len(GOOD)} already present, {len(BAD)} failed, {len(SKIPPED)} skipped"
    )

    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute(
            "SELECT count(*), count(DISTINCT content_hash) FROM briefs"
        ).fetchone() == (len(GOOD), len(GOOD))
    finally:
        conn.close()
    # Nothing was deleted, moved or changed in the inbox, failures included.
    assert _fingerprint(mixed) == before
    doctor = runner.invoke(cli, ["--db", str(db_path), "doctor"])
    assert doctor.exit_code == 0, doctor.output
