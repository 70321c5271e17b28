"""Locate the data directories that ship with the package.

In a wheel, ``migrations/`` and ``templates/`` are copied into the package directory (see
``pyproject.toml``); in a source checkout or an editable install they stay at the top of the
repository, one level above the package. Looking in both keeps a single copy in the repo.
"""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """Return the directory ``name`` (``"migrations"`` or ``"templates"``)."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"tracker is installed without its {name}/ directory")
