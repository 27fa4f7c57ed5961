"""The one argument layer of policykit: dates, choices, roll-call keys and whole numbers.

Every public entry point (loaders, :mod:`policykit.analysis`, :mod:`policykit.claims`, the
explorers' models) checks its arguments with these functions, so that the same value is
accepted, converted or rejected the same way everywhere, with the same four-part message:
what was wrong (the value quoted with ``!r``), what is allowed, the closest match where there is
one, and what to do next. Each raises :class:`~policykit.errors.InvalidArgumentError` (a
``ValueError``) unless told otherwise.

For other modules (the explorers' traits, the grading code), the validators are:

``as_date(value, what, next_step) -> pandas.Timestamp``
    A calendar day as a naive midnight ``Timestamp``. Accepts ``'2022-10-24'``,
    ``'24 Oct 2022'``, ``'24 October 2022'``, ``'Oct 24, 2022'``, a ``datetime.date``, and a
    naive ``datetime``/``Timestamp``/``numpy.datetime64`` (its time of day is dropped: the
    record's dates are days). Rejects numbers (pandas would read ``20221024`` as nanoseconds
    after 1970), booleans, ``NaT``/empty text, dates without a year and timezone-aware values
    (a time zone can move the day; pass the day itself). ``.date()`` gives a
    ``datetime.date``. ``as_optional_date`` (same arguments) also returns None for None.
``choice(what, value, allowed, next_step, *, fold=False, aliases=None, shown=None,
error=InvalidArgumentError) -> str``
    One of a fixed set of strings, returned in its canonical spelling. ``fold=True`` also
    accepts other letter cases; ``aliases`` maps extra (case-folded) spellings to canonical
    values; ``shown`` replaces the listed allowed values in the message and ``suggest`` the
    strings "Did you mean ...?" picks from (default: ``allowed``); ``error`` is the class
    raised (a :class:`~policykit.errors.PolicykitError`).
``vote_key(value, what="roll call") -> str``
    A roll-call key of the record such as ``'h145-117.2022'`` (unknown keys get the closest
    key; an int gets the keys with that roll number).
``flag(value, what, next_step) -> bool``
    ``True`` or ``False`` (also numpy booleans); anything else, such as ``'no'``, is rejected
    rather than read as true.
``frame(value, what, columns, made_by, example) -> pandas.DataFrame``
    A DataFrame with at least ``columns`` (for helpers that take another helper's output).
``whole_number(value, what, *, minimum=0, example=30) -> int``
    A count: ``int`` or any numpy/pandas integer (``policykit.tally(k)['Yea']`` is a
    ``numpy.int64``); booleans, floats and text are rejected (``30.0`` and ``'30'`` get
    "Did you mean 30?").

Examples
--------
>>> from policykit._validate import as_date, whole_number
>>> as_date("24 Oct 2022", "date", "").date().isoformat()
'2022-10-24'
>>> as_date(20221024, "date", "Pass a string.")
Traceback (most recent call last):
...
policykit.errors.InvalidArgumentError: date must be a date like '2022-10-24' or '24 Oct 2022'; got 20221024, which is a number, not a date. Allowed: a string such as '2022-10-24' or '24 Oct 2022', a datetime.date, or a datetime without a time zone. Did you mean '2022-10-24'? Pass a string.
>>> import numpy as np
>>> whole_number(np.int64(361), "yea")
361
"""  # noqa: E501

from __future__ import annotations

import datetime as dt
import numbers
import operator
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .errors import InvalidArgumentError, PolicykitError, closest

if TYPE_CHECKING:
    from ._case import Case

__all__ = ["as_date", "as_optional_date", "choice", "flag", "frame", "vote_key", "whole_number"]

def _a(value: object) -> str:
    """'an int', 'a list': the value's type with its article."""
    name = type(value).__name__
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


# --- Dates -------------------------------------------------------------------------------------

_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _example_day() -> dt.date | None:
    """The date messages show as an example: the default case's ``examples.input_date``.

    Its year is also the one assumed for "Did you mean ...?" when a date has no year.
    """
    from . import _case  # here: _case imports the data layer, which imports this module

    try:
        examples = _case.case().config.get("examples") or {}
        text = examples.get("input_date") or examples.get("date")
        return dt.date.fromisoformat(text) if isinstance(text, str) else None
    except (PolicykitError, ValueError):
        return None


def _date_like() -> str:
    """``'2022-10-24' or '24 Oct 2022'`` for the default case's example date."""
    day = _example_day()
    if day is None:
        return "'YYYY-MM-DD' or 'D Mon YYYY'"
    return f"{day.isoformat()!r} or {f'{day.day} {_ABBR[day.month - 1]} {day.year}'!r}"


def date_allowed() -> str:
    """What a date argument may be, for messages."""
    return f"a string such as {_date_like()}, a datetime.date, or a datetime without a time zone"
_MONTHS = {name: number for number, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1) for name in names}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?(?:\s+(\d{4}))?")
_MONTH_DAY = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?")


class _NotADate(Exception):
    """Internal: why a value is not a date, and the closest date if one is obvious."""

    def __init__(self, reason: str, guess: dt.date | None = None) -> None:
        super().__init__(reason)
        self.reason, self.guess = reason, guess


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _parse_text(text: str) -> dt.date:
    """A calendar day from text, or _NotADate."""
    s = text.strip()
    if not s:
        raise _NotADate("is empty")
    if m := _ISO.fullmatch(s):
        year, month, day = (int(g) for g in m.groups())
        if found := _day(year, month, day):
            return found
        raise _NotADate("is not a real date (year-month-day)", _day(year, day, month))
    if _ISO_TIME.fullmatch(s):
        stamp = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
        if stamp.tzinfo is not None:
            raise _NotADate(f"carries a time zone ({stamp.tzname()})", stamp.date())
        return stamp.date()
    for pattern, order in ((_DAY_MONTH, "dmy"), (_MONTH_DAY, "mdy")):
        if m := pattern.fullmatch(s):
            groups = dict(zip(order, m.groups(), strict=True))
            month = _MONTHS.get(groups["m"].lower())
            if month is None:
                continue
            day = int(groups["d"])
            if groups["y"] is None:
                example = _example_day()
                raise _NotADate("has no year", example and _day(example.year, month, day))
            if found := _day(int(groups["y"]), month, day):
                return found
            raise _NotADate("is not a real date")
    raise _NotADate("is not a date policykit can read")


def _parse_date(value: object) -> dt.date:
    """A calendar day from any accepted value, or _NotADate."""
    if isinstance(value, bool | np.bool_):
        raise _NotADate("is a boolean, not a date")
    if isinstance(value, numbers.Number | np.number):
        guess = None
        if isinstance(value, numbers.Integral | np.integer) and 10_000_000 <= value <= 99_999_999:
            v = int(value)
            guess = _day(v // 10_000, v // 100 % 100, v % 100)
        raise _NotADate("is a number, not a date", guess)
    if isinstance(value, str):
        return _parse_text(value)
    if value is pd.NaT or (isinstance(value, np.datetime64) and np.isnat(value)):
        raise _NotADate("is missing (NaT)")
    if isinstance(value, dt.datetime):  # also pandas.Timestamp
        if value.tzinfo is not None:
            raise _NotADate(f"carries a time zone ({value.tzname()})", value.date())
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).date()
    raise _NotADate(f"is {_a(value)}, not a date")


def as_date(value: object, what: str, next_step: str) -> pd.Timestamp:
    """``value`` as a calendar day (a naive midnight Timestamp), or InvalidArgumentError.

    Parameters
    ----------
    value : object
        The argument as given.
    what : str
        Its name in the message (``'as_known_on'``, ``'date'``, ...).
    next_step : str
        What to do next, ending the message (e.g. ``'Pass None to see everything.'``).

    Examples
    --------
    >>> import datetime as dt
    >>> as_date(dt.datetime(2022, 10, 25, 14, 30), "date", "").isoformat()
    '2022-10-25T00:00:00'
    >>> as_date("Oct 24, 2022", "date", "") == as_date("2022-10-24", "date", "")
    True
    """
    try:
        day = _parse_date(value) if value is not None else None
        if day is None:
            raise _NotADate("is missing")
        return pd.Timestamp(day)
    except _NotADate as exc:
        hint = f" Did you mean {exc.guess.isoformat()!r}?" if exc.guess else ""
        msg = (f"{what} must be a date like {_date_like()}; got {value!r}, "
               f"which {exc.reason}. Allowed: {date_allowed()}.{hint} {next_step}").rstrip()
        raise InvalidArgumentError(msg) from None
    except (ValueError, OverflowError):  # a date pandas cannot hold (before 1677, after 2262)
        msg = (f"{what} must be a date like {_date_like()}; got {value!r}, "
               f"which is out of range. Allowed: {date_allowed()}. {next_step}").rstrip()
        raise InvalidArgumentError(msg) from None


def as_optional_date(value: object, what: str, next_step: str) -> pd.Timestamp | None:
    """None for None (an optional bound), else :func:`as_date`."""
    return None if value is None else as_date(value, what, next_step)


# --- Choices -----------------------------------------------------------------------------------

def choice(what: str, value: object, allowed: Iterable[str], next_step: str, *,
           fold: bool = False, aliases: Mapping[str, str] | None = None,
           shown: str | None = None, suggest: Iterable[str] | None = None,
           error: type[PolicykitError] = InvalidArgumentError) -> str:
    """``value`` if it is one of ``allowed`` (canonical spelling), else ``error``.

    Examples
    --------
    >>> choice("position", " nay", ["Yea", "Nay"], "", fold=True)
    'Nay'
    >>> choice("chamber", "house", ["House", "Senate"], "Pass one of them.")
    Traceback (most recent call last):
    ...
    policykit.errors.InvalidArgumentError: Unknown chamber 'house'. Allowed: 'House', 'Senate'. Did you mean 'House'? Pass one of them.
    """  # noqa: E501
    allowed = list(allowed)
    if isinstance(value, str):
        if value in allowed:
            return str(value)
        key = value.strip().casefold()
        if aliases and key in aliases:
            return aliases[key]
        if fold:
            for option in allowed:
                if option.casefold() == key:
                    return option
    if shown is None:
        shown = ", ".join(repr(a) for a in allowed[:12]) + (", ..." if len(allowed) > 12 else "")
    note = "" if isinstance(value, str) else f" ({_a(value)}, not a string)"
    candidates = list(suggest) if suggest is not None else allowed
    msg = (f"Unknown {what} {value!r}{note}. Allowed: {shown}.{closest(value, candidates)} "
           f"{next_step}").rstrip()
    raise error(msg)


# --- Roll-call keys ----------------------------------------------------------------------------

def vote_key(value: object, what: str = "roll call", *, case: Case | None = None,
             where: str = "", loader: str | None = None) -> str:
    """A roll-call key of a case (default: the default case), or InvalidArgumentError.

    ``where`` (e.g. `` in case 'x'``) follows the value in the message, and ``loader`` replaces
    the default ``policykit.load_<table>()`` hint: callers naming another case pass both.

    Examples
    --------
    >>> vote_key("h145-117.2022")
    'h145-117.2022'
    >>> vote_key(145)
    Traceback (most recent call last):
    ...
    policykit.errors.InvalidArgumentError: Unknown roll call 145 (an int, not a string). Keys look like 'h145-117.2022' (House roll 145) or 's191-117.2022' (Senate roll 191). Did you mean 'h145-117.2022'? See policykit.load_rollcalls()[['vote_key', 'label']] for all 24.
    """  # noqa: E501
    from . import _case  # here, not at import: the data layer imports this module

    c = _case.case() if case is None else case
    spec = c.role("rollcalls")
    rc = c.table("rollcalls")
    keys = rc[spec["key"]].tolist()
    if isinstance(value, str) and value in keys:
        return str(value)
    hint = closest(value, keys)
    note = ""
    if isinstance(value, str) and not hint:
        prefixed = [k for k in keys if k.startswith(value.strip().lower() + "-")]
        hint = f" Did you mean {prefixed[0]!r}?" if prefixed else ""
    elif not isinstance(value, str):
        note = f" ({_a(value)}, not a string)"
        if isinstance(value, numbers.Integral | np.integer) and not isinstance(value, bool):
            same_roll = rc.loc[rc["roll"] == int(value), spec["key"]].tolist()
            hint = f" Did you mean {same_roll[0]!r}?" if same_roll else ""
    loader = loader or f"policykit.load_{spec['resource']}()"
    msg = (f"Unknown {what} {value!r}{note}{where}. Keys look like "
           f"{_key_shapes(c, rc, spec['key'])}.{hint} See {loader}[[{spec['key']!r}, 'label']] "
           f"for all {len(keys)}.")
    raise InvalidArgumentError(msg)


def _key_shapes(c: Case, rc: pd.DataFrame, key: str) -> str:
    """``'h145-117.2022' (House roll 145) or ...``: the case's example key per chamber."""
    shown = (c.config.get("examples") or {}).get("vote_keys") or {}
    shapes = []
    for chamber in c.chambers:
        rows = rc[rc[key] == shown[chamber]] if chamber in shown else rc[rc["chamber"] == chamber]
        if len(rows):
            shapes.append(f"{rows[key].iloc[0]!r} ({chamber} roll {int(rows['roll'].iloc[0])})")
    return " or ".join(shapes)


# --- Flags and frames --------------------------------------------------------------------------

def flag(value: object, what: str, next_step: str) -> bool:
    """``value`` if it is a boolean (Python or numpy), else InvalidArgumentError.

    Examples
    --------
    >>> flag("no", "split_signers", "Pass split_signers=True or leave it out.")
    Traceback (most recent call last):
    ...
    policykit.errors.InvalidArgumentError: split_signers must be True or False; got 'no'. Allowed: True, False. Pass split_signers=True or leave it out.
    """  # noqa: E501
    if isinstance(value, bool | np.bool_):
        return bool(value)
    raise InvalidArgumentError(f"{what} must be True or False; got {value!r}. Allowed: True, "
                               f"False. {next_step}")


def frame(value: object, what: str, columns: Iterable[str], made_by: str,
          example: str) -> pd.DataFrame:
    """``value`` if it is a DataFrame with every column of ``columns``, else InvalidArgumentError.

    Examples
    --------
    >>> frame([1, 2], "frame", ["position"], "member_positions()",
    ...       "member_positions('h65-117.2022')")
    Traceback (most recent call last):
    ...
    policykit.errors.InvalidArgumentError: frame must be a DataFrame from member_positions(); got a list. Allowed: a pandas DataFrame with the column 'position'. Pass e.g. member_positions('h65-117.2022').
    """  # noqa: E501
    columns = list(columns)
    needed = ", ".join(repr(c) for c in columns)
    needed = f"the column{'s' if len(columns) > 1 else ''} {needed}"
    if not isinstance(value, pd.DataFrame):
        got = _a(value)
    else:
        missing = [c for c in columns if c not in value.columns]
        if not missing:
            return value
        hint = closest(missing[0], [str(c) for c in value.columns])
        got = f"a DataFrame without {missing[0]!r}"
        got += f" (did you mean {hint.split('mean ', 1)[1].rstrip('?')}?)" if hint else ""
    raise InvalidArgumentError(
        f"{what} must be a DataFrame from {made_by}; got {got}. Allowed: a pandas DataFrame "
        f"with {needed}. Pass e.g. {example}.")


# --- Whole numbers -----------------------------------------------------------------------------

def whole_number(value: object, what: str, *, minimum: int = 0, example: int = 30) -> int:
    """``value`` as an ``int`` of at least ``minimum``, or InvalidArgumentError.

    Python and numpy/pandas integers are accepted; booleans, floats and text are not.

    Examples
    --------
    >>> whole_number(30.0, "n")
    Traceback (most recent call last):
    ...
    policykit.errors.InvalidArgumentError: n must be a whole number of 0 or more; got 30.0. Allowed: 0, 1, 2, ... Did you mean 30? Pass e.g. n=30.
    """  # noqa: E501
    number: int | None = None
    if not isinstance(value, bool | np.bool_):
        try:
            number = operator.index(value)  # int, numpy and pandas integers
        except TypeError:
            number = None
    if number is not None and number >= minimum:
        return int(number)
    integral_float = isinstance(value, float | np.floating) and float(value).is_integer()
    digits = isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value) is not None
    guess = int(value) if integral_float or digits else None  # type: ignore[arg-type]
    hint = f" Did you mean {guess}?" if guess is not None and guess >= minimum else ""
    allowed = ", ".join(str(minimum + i) for i in range(3)) + ", ..."
    msg = (f"{what} must be a whole number of {minimum} or more; got {value!r}. "
           f"Allowed: {allowed}{hint} Pass e.g. {what}={example}.")
    raise InvalidArgumentError(msg)
