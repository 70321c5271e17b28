"""``tracker.toml``, read and edited: the one place that opens it.

Sources (``ingest.sources``), watches and channels (``notify``) live in the same file. It is
read with the standard library's tomllib, and edited with tomlkit, which keeps the user's
comments and layout; every error is a ``ConfigError`` naming the file.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from tracker.errors import ConfigError
from tracker.fsutil import write_atomically


def read(path: Path) -> dict[str, Any]:
    """The file's tables; empty when it does not exist."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"{path}: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None


def document(path: Path, new: str = "") -> Any:
    """The file as a tomlkit document to edit; ``new`` is the text of a file not yet there."""
    import tomlkit

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = new
    except OSError as exc:
        raise ConfigError(f"{path}: {exc.strerror or exc}") from None
    try:
        return tomlkit.parse(text)
    except Exception as exc:  # tomlkit raises its own ParseError family
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None


def save(path: Path, doc: Any) -> None:
    """Write an edited document back, atomically."""
    import tomlkit

    try:
        write_atomically(path, tomlkit.dumps(doc).encode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from None
