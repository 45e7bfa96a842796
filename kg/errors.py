"""One family of errors whose messages a user can act on."""

from __future__ import annotations


class KgError(Exception):
    """Base of every error the tool reports to its user."""


class ReadError(KgError):
    """A report file could not be read (missing, empty, binary, unknown encoding)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class StoreError(KgError):
    """The RDF store could not be opened or written."""


class QueryError(KgError):
    """A SPARQL query is unknown, malformed or missing a parameter."""


class DependencyError(KgError):
    """An optional dependency is not installed."""
