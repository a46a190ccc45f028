"""The exceptions metiers raises. Each carries the library's stable ``code``; data errors also
carry ``source``, ``line`` (or ``row`` for a frame), ``field`` and ``value``; a strict load refused for bad rows carries
every problem in ``errors``."""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional


class MetiersError(Exception):
    """Base class: ``code`` is the library's stable error code."""

    code: str = "internal"

    def __init__(self, message: str, details: Optional[Mapping[str, Any]] = None) -> None:
        super().__init__(message)
        d = dict(details or {})
        self.message: str = message
        self.code = str(d.get("code", type(self).code))
        self.source: Optional[str] = d.get("source")
        self.line: Optional[int] = d.get("line")
        #: For data handed over as a frame (``load_frame``): the 0-based row (``df.iloc[row]``).
        self.row: Optional[int] = d.get("row")
        self.field: Optional[str] = d.get("field")
        self.value: Optional[str] = d.get("value")
        #: For ``not_found``: what was looked up ("place", "metier", "commune", "company"…: ``metiers.types.Lookup``).
        self.kind: Optional[str] = d.get("kind")
        #: For ``ambiguous_place``: the places it could mean (dicts with ``kind``, ``code``,
        #: ``name``, ``matched``…), most populous first, and how many there are in all.
        self.candidates: List[Dict[str, Any]] = list(d.get("candidates", []) or [])
        self.total: Optional[int] = d.get("total")
        self.errors: List[DataError] = [
            DataError(str(e.get("message", "")), e) for e in d.get("errors", []) or []
        ]


class InvalidInputError(MetiersError, ValueError):
    """A malformed value: a bad ROME code, an empty search, a radius of -3, a wrong type."""

    code = "invalid_input"


class AmbiguousPlaceError(InvalidInputError):
    """A place that could mean several places: ``candidates`` lists them with what matched.
    Ask the person, then send the one chosen by its key (``{"insee": candidate["code"]}``)."""

    code = "ambiguous_place"


class NotFoundError(MetiersError, LookupError):
    """A well-formed key that matches nothing: an unknown place, ROME code or id."""

    code = "not_found"


class DataError(MetiersError, ValueError):
    """A bad row in a data file (``source``, ``line``, ``field``, ``value``), or a strict load
    refused because of bad rows (every problem in ``errors``)."""

    code = "data_error"


class ConflictError(MetiersError):
    """A duplicate id, no place left to reserve, a company still named by its stages."""

    code = "conflict"


class InternalError(MetiersError):
    """A defect of the library (embedded data that cannot be decoded)."""

    code = "internal"


__all__ = [
    "MetiersError",
    "InvalidInputError",
    "AmbiguousPlaceError",
    "NotFoundError",
    "DataError",
    "ConflictError",
    "InternalError",
]
