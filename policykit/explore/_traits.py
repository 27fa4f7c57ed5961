"""Typed traits for the explorer models: a rejected value raises a policykit error, unset.

Each model declares its allowed values once, on the trait. A value outside them raises
:class:`policykit.errors.InvalidArgumentError` with the usual four-part message (from the
package's one argument layer, :mod:`policykit._validate`) and leaves the model (and so the
explorer, which stays displayable) as it was.

Examples
--------
>>> import traitlets
>>> class M(traitlets.HasTraits):
...     sort_by = Choice(["name", "nays"], "name", what="sort order", next_step="Use 'nays'.")
>>> m = M()
>>> try:
...     m.sort_by = "nay"
... except InvalidArgumentError as exc:
...     print(exc)
Unknown sort order 'nay'. Allowed: 'name', 'nays'. Did you mean 'nays'? Use 'nays'.
>>> m.sort_by
'name'
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Sequence
from typing import Any

import traitlets

from .. import _validate
from ..errors import InvalidArgumentError

__all__ = ["Choice", "Choices", "OptionalDate", "Text", "as_date"]

#: The allowed values: a list, or a function of the model (so that each model, reading its
#: own case, allows that case's roll calls, lanes or parties), or of nothing.
Allowed = Sequence[str] | Callable[..., Sequence[str]]


def _takes_model(function: Callable[..., Any], n: int) -> bool:
    try:
        return len(inspect.signature(function).parameters) >= n
    except (TypeError, ValueError):
        return False


def _allowed(values: Allowed, obj: Any = None) -> list[str]:
    if not callable(values):
        return list(values)
    return list(values(obj) if _takes_model(values, 1) else values())


def _message(message: Callable[..., str], value: object, allowed: list[str], obj: Any) -> str:
    """A custom message, given the model too when it takes a third argument."""
    if _takes_model(message, 3):
        return message(value, allowed, obj)
    return message(value, allowed)


class Choice(traitlets.Enum):  # type: ignore[type-arg]
    """One of a set of strings (the set may be computed lazily from the data).

    ``message`` (optional) builds the whole error text from the value and the allowed list
    (and the model, if it takes a third argument), for choices whose message says more than
    :func:`policykit.errors.invalid_choice`.
    """

    def __init__(self, values: Allowed, default_value: Any = traitlets.Undefined, *,
                 what: str, next_step: str,
                 message: Callable[[object, list[str]], str] | None = None,
                 **kwargs: Any) -> None:
        self._source = values
        self.what = what
        self.next_step = next_step
        self.message = message
        super().__init__([] if callable(values) else list(values), default_value, **kwargs)

    def validate(self, obj: Any, value: Any) -> str:
        allowed = _allowed(self._source, obj)
        if isinstance(value, str) and value in allowed:
            return value
        if self.message is not None:
            raise InvalidArgumentError(_message(self.message, value, allowed, obj))
        return _validate.choice(self.what, value, allowed, self.next_step)

    def info(self) -> str:
        return f"one of the allowed {self.what} values"


class Choices(traitlets.TraitType):  # type: ignore[type-arg]
    """A tuple of strings, each one of a set (a list is accepted and stored as a tuple)."""

    default_value: tuple[str, ...] = ()

    def __init__(self, values: Allowed, *, what: str, next_step: str,
                 message: Callable[[object, list[str]], str] | None = None,
                 **kwargs: Any) -> None:
        self._source = values
        self.what = what
        self.next_step = next_step
        self.message = message
        super().__init__((), **kwargs)

    def validate(self, obj: Any, value: Any) -> tuple[str, ...]:
        if isinstance(value, str) or not isinstance(value, list | tuple):
            msg = (f"{self.what} must be a tuple of names; got {value!r}. Allowed: a tuple "
                   f"such as {tuple(_allowed(self._source, obj)[:1])!r}, or () for none. "
                   "Pass a tuple.")
            raise InvalidArgumentError(msg)
        allowed = _allowed(self._source, obj)
        for item in value:
            if not isinstance(item, str) or item not in allowed:
                if self.message is not None:
                    raise InvalidArgumentError(_message(self.message, item, allowed, obj))
                _validate.choice(self.what, item, allowed, self.next_step)
        return tuple(value)

    def info(self) -> str:
        return f"a tuple of {self.what} values"


def as_date(value: Any, what: str) -> dt.date | None:
    """``None``, or a calendar date (see :func:`policykit._validate.as_date`).

    Numbers, booleans, timezone-aware datetimes and text that is not a date are rejected
    (a number would otherwise be read as nanoseconds since 1970).

    Examples
    --------
    >>> as_date("24 Oct 2022", "start")
    datetime.date(2022, 10, 24)
    >>> as_date(20221024, "start")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    policykit.errors.InvalidArgumentError: start must be a date like '2022-10-24' or ...
    """
    day = _validate.as_optional_date(value, what, "Pass None for no limit.")
    return None if day is None else day.date()


class OptionalDate(traitlets.TraitType):  # type: ignore[type-arg]
    """A calendar date or None; date-like values are converted (see :func:`as_date`)."""

    default_value = None
    allow_none = True

    def __init__(self, *, what: str, **kwargs: Any) -> None:
        self.what = what
        super().__init__(None, allow_none=True, **kwargs)

    def validate(self, obj: Any, value: Any) -> dt.date | None:
        return as_date(value, self.what)

    def info(self) -> str:
        return "a date or None"


class Text(traitlets.Unicode):  # type: ignore[type-arg]
    """A string; anything else raises a policykit error."""

    def __init__(self, default_value: str = "", *, what: str, example: str,
                 empty: str = "none", **kwargs: Any) -> None:
        self.what = what
        self.example = example
        self.empty = empty
        super().__init__(default_value, **kwargs)

    def validate(self, obj: Any, value: Any) -> str:
        if isinstance(value, str):
            return value
        msg = (f"{self.what} must be text; got {type(value).__name__} {value!r}. "
               f"Allowed: any string, e.g. {self.example!r}, or '' for {self.empty}. "
               "Pass a string.")
        raise InvalidArgumentError(msg)
