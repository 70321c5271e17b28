"""YAML front matter: the ``---`` block at the top of a Markdown or plain-text brief.

Parsed with PyYAML's safe loader, taught to leave dates as text: PyYAML would turn
``date: 2021-02-30`` into a ``datetime.date`` itself and raise a bare ValueError on an
impossible one, so the reader's own date parser (which names the bad value) sees every date.
Values tracker uses must be scalars: a YAML alias bomb in a title would expand to gigabytes
in ``str()``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

from tracker.errors import MetadataError

# A line of three or more dashes at the very top, the YAML, and a line of dashes again (the
# delimiters of python-frontmatter and of static-site generators).
_BLOCK = re.compile(r"\A\s*-{3,}[ \t]*\r?\n(.*?)^-{3,}[ \t]*(?:\r?\n|\Z)", re.S | re.M)
_YAML_TIMESTAMP = "tag:yaml.org,2002:timestamp"
# The first line of a block meant as metadata ("title: ...", "date: ...").
_KEY_LINE = re.compile(r"\A\s*[A-Za-z_][\w .-]*:(?:\s|\Z)")


@dataclass(frozen=True)
class FrontMatter:
    """What a front-matter block says, as text, and where the text after it starts."""

    body_start: int
    title: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None
    # A list of names as given, or one string for the reader to split ("A and B").
    authors: list[str] | str | None = None


@functools.cache
def _loader() -> Any:
    """``yaml.SafeLoader`` without the implicit timestamp type (dates stay strings)."""
    import yaml

    # libyaml's parser when PyYAML has it (as python-frontmatter did): faster, and it refuses
    # deep nesting itself instead of recursing.
    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != _YAML_TIMESTAMP]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return Loader


def split_front_matter(text: str, *, keys_first: bool = False) -> FrontMatter | None:
    """The front matter at the top of ``text``, or None when it has none.

    With ``keys_first``, a block counts only when it starts with a ``key:`` line: plain text
    also underlines a title with dashes, and such a file has no front matter.

    Raises ``MetadataError`` when the block is not YAML (syntax, an explicit tag that cannot
    be built, nesting too deep), is not a mapping, or gives a non-scalar title, date, source
    or url.
    """
    match = _BLOCK.match(text)
    if match is None or (keys_first and not _KEY_LINE.match(match.group(1))):
        return None
    import yaml

    try:
        meta = yaml.load(match.group(1), Loader=_loader())
    except yaml.YAMLError as exc:
        raise MetadataError(f"front matter is not valid YAML ({_first_line(exc)})") from None
    except RecursionError:
        raise MetadataError("front matter is not valid YAML (it nests too deeply)") from None
    except (ValueError, TypeError, OverflowError) as exc:
        # An explicit tag PyYAML cannot construct: "!!int abc", "!!timestamp 2021-02-30".
        raise MetadataError(f"front matter is not valid YAML ({_first_line(exc)})") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise MetadataError(f"front matter is YAML but not keys and values ({_kind(meta)})")
    authors_key = "authors" if meta.get("authors") else "author"
    return FrontMatter(
        body_start=match.end(),
        title=_text(meta, "title"),
        date=_text(meta, "date"),
        source=_text(meta, "source") or _text(meta, "publisher"),
        url=_text(meta, "url"),
        authors=_names(meta, authors_key),
    )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _kind(value: Any) -> str:
    return "a list" if isinstance(value, list) else f"a {type(value).__name__}"


def _text(meta: dict[Any, Any], key: str) -> str | None:
    """A value that must be one piece of text (a title, a url, a date), else None."""
    value = meta.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float | dt.date):
        raise MetadataError(f"front matter {key} is not text (it is {_kind(value)})")
    return str(value).strip() or None


def _names(meta: dict[Any, Any], key: str) -> list[str] | str | None:
    """Authors: a list of names, or one piece of text."""
    value = meta.get(key)
    if isinstance(value, list):
        if not all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in value):
            raise MetadataError(f"front matter {key} is not a list of names")
        return [str(v) for v in value]
    return _text(meta, key)
