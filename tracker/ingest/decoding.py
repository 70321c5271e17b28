"""Bytes to text for the text readers: BOMs, UTF-16 without a BOM, strict UTF-8, then a
legacy single-byte encoding (``encoding``); binary content is refused.

See docs/design.md ("Decoding") for the order and why.
"""

from __future__ import annotations

import codecs
import re

from tracker.errors import InputError
from tracker.ingest.encoding import cp1252_reading, mojibake


def decode(data: bytes) -> str:
    """Decode text bytes: BOMs first, then strict UTF-8, then detection; never raises."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _legacy(data)[0]


def _legacy(data: bytes) -> tuple[str, str]:
    """Text and encoding of bytes in a single-byte (legacy) encoding: cp1252 when the text
    reads as a Western European language in it (see ``encoding.py``), else the most likely
    one."""
    western = cp1252_reading(data)
    if western is not None:
        return western, "cp1252"
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        return str(best), best.encoding
    return data.decode("cp1252", errors="replace"), "cp1252"


def _utf16_without_bom(data: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` when the bytes look like UTF-16 text without a BOM.

    Text in a Latin script saved as UTF-16 has a NUL in every other byte (the high byte of
    each ASCII character) and almost none in the other half. That pattern is unmistakable, so
    such files are decoded rather than refused; anything less clear is not guessed at.
    """
    sample = data[:8192]
    sample = sample[: len(sample) - len(sample) % 2]
    pairs = len(sample) // 2
    if pairs < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.3 * pairs and even <= 0.02 * pairs:
        return "utf-16-le"
    if even >= 0.3 * pairs and odd <= 0.02 * pairs:
        return "utf-16-be"
    return None


# Mostly valid UTF-8 (multi-byte sequences decode) with some bytes that do not: a corrupt
# UTF-8 file, where guessing a legacy encoding would garble every accented letter.
_UTF8_MULTIBYTE = re.compile(r"[^\x00-\x7f\udc80-\udcff]")
_UTF8_INVALID = re.compile(r"[\udc80-\udcff]")
# C0/C1 control characters other than tab, newline, carriage return, form feed and vertical
# tab: text has none; binary files decoded as text are full of them.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
# Share of control characters above which a "text" file is binary junk; a few stray escape
# sequences in a short brief are not (they are made visible, see ``_defuse``).
_MAX_CONTROL_SHARE = 0.01
_MAX_CONTROL_FLOOR = 16


def decode_text(data: bytes) -> str:
    """Decode the bytes of a text file (txt, md, html), refusing what is not text.

    BOMs are honoured, UTF-16 without a BOM is recognised by its NUL pattern, UTF-8 is tried
    strictly, and other files are decoded with the most likely legacy encoding. Raises
    ``InputError`` for NUL bytes, corrupt UTF-8 and binary content.
    """
    if not data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) and not data.startswith(
        (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    ):
        codec = _utf16_without_bom(data)
        if codec is not None:
            try:
                return _check_text(data.decode(codec))
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"looks like {codec.upper()} without a byte-order mark but does not decode "
                    f"({exc.reason} at byte {exc.start})"
                ) from None
        nul = data.find(b"\x00")
        if nul >= 0:
            raise InputError(f"binary content (NUL byte at offset {nul}) in a text file")
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            escaped = data.decode("utf-8", errors="surrogateescape")
            valid = len(_UTF8_MULTIBYTE.findall(escaped))
            invalid = len(_UTF8_INVALID.findall(escaped))
            # Random bytes hold a few valid sequences by chance; a corrupt UTF-8 file holds
            # more good multi-byte characters than bad bytes.
            if valid >= invalid:
                raise InputError(
                    f"invalid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}) in a "
                    "file that is otherwise UTF-8; repair or re-save it as UTF-8"
                ) from None
            text, encoding = _legacy(data)
            text = _check_text(text)  # binary junk is the better reason than mojibake
            bad = mojibake(text)
            if bad is not None:
                # Storing it would put garbled words into claims and search for good.
                at, reason = bad
                offset = len(text[:at].encode(encoding, errors="replace"))
                raise InputError(
                    f"not UTF-8 and no legacy encoding fits (read as {encoding}: {reason} near "
                    f"byte {offset}); re-save it as UTF-8"
                ) from None
            return text
    return _check_text(decode(data))


def _check_text(text: str) -> str:
    """Refuse decoded text that is binary junk (NULs or many control characters)."""
    nul = text.find("\x00")
    if nul >= 0:
        raise InputError(f"binary content (NUL character at offset {nul}) in a text file")
    controls = len(_CONTROL.findall(text))
    if controls > max(_MAX_CONTROL_FLOOR, _MAX_CONTROL_SHARE * len(text)):
        raise InputError(
            f"binary content ({controls} control characters in {len(text)}) in a text file"
        )
    return text
