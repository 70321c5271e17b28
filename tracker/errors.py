"""Errors the library raises for problems a user can fix.

The CLI turns every ``TrackerError`` into a one-line message and a non-zero exit; anything
else is a bug and keeps its traceback.
"""


class TrackerError(Exception):
    """Base class: a problem with the user's input, files or database, not a bug."""


class InputError(TrackerError):
    """A brief cannot be read or has no usable content (bad encoding, no text, no date...)."""


class MetadataError(InputError):
    """A brief's metadata is missing or malformed (no date, unparsable date, bad front matter)."""


class StoreError(TrackerError):
    """The database cannot be opened, migrated or written."""


class SelectionError(TrackerError):
    """A diff selection is malformed or selects no brief."""
