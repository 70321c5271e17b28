"""Control characters made visible: text from briefs, file names and URLs must print as
characters, never act on a terminal (ESC starts colour, cursor and window-title sequences)."""

from __future__ import annotations

import re

# Tab, newlines and form feed are layout and stay.
_UNSAFE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _visible(match: re.Match[str]) -> str:
    """The printable stand-in of a control character (␛ for ESC), one character for one."""
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def visible_controls(text: str) -> str:
    """``text`` with each control character replaced by one visible symbol (same length, so
    offsets into it are unchanged)."""
    return _UNSAFE.sub(_visible, text)
