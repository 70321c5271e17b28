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


class FetchError(TrackerError):
    """A URL could not be fetched (network, HTTP status, size limit, refused scheme).

    ``transient`` says whether trying again later may succeed (a timeout, a 503), as opposed
    to a request that will fail the same way every time (a 404, a file:// link).
    """

    def __init__(
        self, message: str, *, transient: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.transient = transient
        # Seconds the server asked us to wait (429/503 with Retry-After).
        self.retry_after = retry_after


class ConfigError(TrackerError):
    """The sources file (``tracker.toml``) is unreadable, malformed or names a bad source."""


class RunLocked(TrackerError):
    """Another ``tracker ingest --sources`` run holds the lock on this store."""


class ReviewError(TrackerError):
    """A review decision is malformed (unknown verdict, bad claim hash or id, bad file)."""
