"""Exceptions raised by policykit.

Every error policykit raises on purpose is a :class:`PolicykitError`, so a notebook can catch
them all with one ``except``. Messages follow one pattern: what was wrong, what is allowed, the
closest match where there is one, and what to do next.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = [
    "BadValueError",
    "CaseNotFoundError",
    "ChecksumMismatchError",
    "DataIntegrityError",
    "DataPackageError",
    "DatasetNotFoundError",
    "InvalidArgumentError",
    "MalformedFileError",
    "MissingRoleError",
    "PolicykitError",
    "SchemaMismatchError",
    "UnreadableFileError",
]


class PolicykitError(Exception):
    """Base class of every error policykit raises on purpose."""


class DatasetNotFoundError(PolicykitError, LookupError):
    """An unknown dataset name was asked for."""


class InvalidArgumentError(PolicykitError, ValueError):
    """An argument has a value policykit does not accept."""


class CaseNotFoundError(InvalidArgumentError, LookupError):
    """An unknown case id, or a folder that is not a policykit case, was asked for."""


class MissingRoleError(InvalidArgumentError, LookupError):
    """A case lacks a role, label or named event that a function needs."""


class DataIntegrityError(PolicykitError):
    """A shipped data file is corrupted, edited or does not match its schema."""


class ChecksumMismatchError(DataIntegrityError):
    """A data file's bytes differ from the checksum recorded in datapackage.json."""


class SchemaMismatchError(DataIntegrityError):
    """A data file's columns differ from its schema (missing, renamed or extra columns)."""


class BadValueError(DataIntegrityError):
    """A cell of a data file does not fit its column's type or constraints."""


class DataPackageError(DataIntegrityError):
    """``datapackage.json`` is missing, unreadable, not JSON, or lacks a table or checksum."""


class UnreadableFileError(DataIntegrityError):
    """A data file exists but cannot be read (permissions, a folder in its place)."""


class MalformedFileError(DataIntegrityError):
    """A data file is no longer UTF-8 CSV: re-encoded, truncated, or rows cut short."""


def closest(value: object, allowed: Iterable[str]) -> str:
    """Return " Did you mean 'x'?" for the closest allowed string, or "" if none is close.

    >>> closest("rollcall", ["rollcalls", "members"])
    " Did you mean 'rollcalls'?"
    >>> closest("zzz", ["rollcalls"])
    ''
    """
    if not isinstance(value, str):
        return ""
    by_lower = {a.lower(): a for a in allowed}
    match = difflib.get_close_matches(value.lower(), list(by_lower), n=1, cutoff=0.6)
    return f" Did you mean {by_lower[match[0]]!r}?" if match else ""


def invalid_choice(what: str, value: object, allowed: Iterable[str], next_step: str) -> str:
    """Build the message for a value outside a fixed set of choices.

    >>> invalid_choice("position", "maybe", ["Yea", "Nay"], "Pick one of them.")
    "Unknown position 'maybe'. Allowed: 'Yea', 'Nay'. Pick one of them."
    """
    allowed = list(allowed)
    shown = ", ".join(repr(a) for a in allowed[:12]) + (", ..." if len(allowed) > 12 else "")
    return f"Unknown {what} {value!r}. Allowed: {shown}.{closest(value, allowed)} {next_step}"
