"""Carry answer values out of a student's kernel as plain data, and back in for the judge.

The student's kernel is untrusted: it may have rebound builtins, patched pandas or installed
input transformers. Whatever it does, what leaves it is JSON text, and JSON can only hold plain
data. :func:`emit` runs in the student's kernel (the grader puts a one-line call to it where each
test cell was); :func:`decode` runs in the judge, a fresh interpreter that never ran student code.

Supported values: ``None``, ``bool``, ``int``, ``float``, ``str``, numpy scalars, ``list``,
``tuple``, ``set``, ``frozenset``, ``dict``, ``datetime.date``/``datetime.datetime``, pandas
``Timestamp``, ``Timedelta``, ``NaT``, ``NA``, ``Series``, ``DataFrame`` and ``Index``, and
policykit's own result dataclasses (``claims.ClaimCheck``), nested as deep as
:data:`MAX_DEPTH`. Anything else, subclasses included (a ``list`` whose ``__eq__`` always
returns True is not a list answer), arrives as an :class:`Unsupported` marker that equals
nothing.

>>> decode(encode([1, (2.5, "x"), {"a": None}]))
[1, (2.5, 'x'), {'a': None}]
>>> class Always(list):
...     def __eq__(self, other):
...         return True
>>> decode(encode(Always())) == []
False
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import importlib
import io
import json
import math
from typing import Any

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MIME", "Unsupported", "decode", "emit", "encode"]

#: The output type an export cell publishes; the grader reads only outputs of this type.
MIME = "application/vnd.policykit.answers+json"
#: Answers nested deeper than this are not graded.
MAX_DEPTH = 20
#: Answers whose encoding is larger than this (in characters) are not graded.
MAX_BYTES = 5_000_000


class _TooBig(Exception):
    pass


def _tag(kind: str, **rest: Any) -> dict[str, Any]:
    return {"$": kind, **rest}


def _float(value: float) -> Any:
    if math.isfinite(value):
        return value
    return _tag("float", value=repr(value))


def encode(value: Any, depth: int = 0) -> Any:
    """Turn ``value`` into JSON-ready plain data (exact types only; see the module docstring)."""
    if depth > MAX_DEPTH:
        return _tag("unsupported", type="(nested too deep)", reason="nested too deeply")
    kind = type(value)
    if value is None or kind in (bool, int, str):
        return value
    if kind is float:
        return _float(value)
    if kind in (list, tuple, set, frozenset):
        items = [encode(v, depth + 1) for v in value]
        if kind is list:
            return items
        return _tag(kind.__name__, items=items)
    if kind is dict:
        return _tag("dict", items=[[encode(k, depth + 1), encode(v, depth + 1)]
                                   for k, v in value.items()])
    module = getattr(kind, "__module__", "")
    if (module.startswith("numpy") and hasattr(value, "dtype") and hasattr(value, "item")
            and getattr(value, "shape", None) == ()):  # a numpy scalar, not an array
        item = value.item()
        if type(item) in (bool, int, float, str):
            return _tag("numpy", dtype=str(value.dtype),
                        value=_float(item) if type(item) is float else item)
    if module.startswith("pandas"):
        return _encode_pandas(value, kind)
    if module.startswith("policykit.") and dataclasses.is_dataclass(kind):
        # A policykit result object (e.g. claims.ClaimCheck): its fields, as plain data.
        return _tag("dataclass", module=module, name=kind.__qualname__,
                    fields={f.name: encode(getattr(value, f.name), depth + 1)
                            for f in dataclasses.fields(kind)})
    if kind is _dt.datetime:
        return _tag("datetime", value=value.isoformat())
    if kind is _dt.date:
        return _tag("date", value=value.isoformat())
    name = f"{module}.{kind.__qualname__}" if module else kind.__qualname__
    return _tag("unsupported", type=name, reason="not a plain value")


def _encode_pandas(value: Any, kind: type) -> Any:
    import pandas as pd

    if value is pd.NaT:
        return _tag("NaT")
    if value is pd.NA:
        return _tag("NA")
    if kind is pd.Timestamp:
        return _tag("Timestamp", value=value.isoformat())
    if kind is pd.Timedelta:
        return _tag("Timedelta", value=value.isoformat())
    if kind in (pd.DataFrame, pd.Series):
        frame = value.to_frame() if kind is pd.Series else value
        try:
            text = frame.to_json(orient="table", date_format="iso")
        except (ValueError, TypeError):
            text = frame.to_json(orient="split", date_format="iso")
            return _tag(kind.__name__, orient="split", text=text,
                        name=encode(getattr(value, "name", None), 1))
        return _tag(kind.__name__, orient="table", text=text,
                    name=encode(getattr(value, "name", None), 1) if kind is pd.Series else None)
    if kind is pd.Index:
        return _tag("Index", items=[encode(v, 1) for v in value.tolist()],
                    name=encode(value.name, 1))
    return _tag("unsupported", type=f"{kind.__module__}.{kind.__qualname__}",
                reason="not a plain value")


class Unsupported:
    """Stands in for an answer that could not be carried out as plain data.

    It equals nothing (itself included), has no length and refuses conversions, so every test
    that looks at it fails with a message saying why.
    """

    __slots__ = ("reason", "type_name")

    def __init__(self, type_name: str, reason: str) -> None:
        self.type_name = type_name
        self.reason = reason

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        msg = (f"this answer is a {self.type_name} ({self.reason}); only plain values "
               "(numbers, strings, lists, tuples, dicts, pandas frames) can be graded")
        raise TypeError(msg)

    def __eq__(self, other: object) -> bool:
        return False

    def __ne__(self, other: object) -> bool:
        return True

    __hash__ = None  # type: ignore[assignment]
    __len__ = __iter__ = __bool__ = __int__ = __float__ = __index__ = _refuse
    __getitem__ = __contains__ = __lt__ = __le__ = __gt__ = __ge__ = _refuse
    __add__ = __sub__ = __mul__ = __truediv__ = __abs__ = __round__ = _refuse

    def __repr__(self) -> str:
        return f"<ungradable {self.type_name}: {self.reason}>"


def decode(data: Any) -> Any:
    """Rebuild a value from :func:`encode`'s output (run in the judge, never in the kernel)."""
    if data is None or type(data) in (bool, int, float, str):
        return data
    if type(data) is list:
        return [decode(v) for v in data]
    if type(data) is not dict:
        return Unsupported(type(data).__name__, "malformed export")
    kind = data.get("$")
    if kind in ("tuple", "set", "frozenset"):
        items = [decode(v) for v in data.get("items", [])]
        try:
            return {"tuple": tuple, "set": set, "frozenset": frozenset}[kind](items)
        except TypeError:
            return Unsupported(kind, "holds values that cannot be compared")
    if kind == "dict":
        try:
            return {decode(k): decode(v) for k, v in data.get("items", [])}
        except (TypeError, ValueError):
            return Unsupported("dict", "malformed export")
    if kind == "float":
        return float(str(data.get("value")))
    if kind == "numpy":
        import numpy as np

        try:
            return np.dtype(str(data["dtype"])).type(decode(data["value"]))
        except (TypeError, ValueError, KeyError):
            return Unsupported("numpy scalar", "malformed export")
    if kind == "date":
        return _dt.date.fromisoformat(str(data["value"]))
    if kind == "datetime":
        return _dt.datetime.fromisoformat(str(data["value"]))
    if kind in ("Timestamp", "Timedelta", "NaT", "NA", "DataFrame", "Series", "Index"):
        return _decode_pandas(kind, data)
    if kind == "dataclass":
        return _decode_dataclass(data)
    if kind == "unsupported":
        return Unsupported(str(data.get("type")), str(data.get("reason")))
    return Unsupported(str(kind), "malformed export")


def _decode_dataclass(data: dict[str, Any]) -> Any:
    """Rebuild a policykit dataclass (only those: the name comes from untrusted data)."""
    module, name = str(data.get("module", "")), str(data.get("name", ""))
    if not module.startswith("policykit.") or not name.isidentifier():
        return Unsupported(f"{module}.{name}", "not a policykit result")
    try:
        cls = getattr(importlib.import_module(module), name)
        fields = data.get("fields", {})
        if not dataclasses.is_dataclass(cls) or not isinstance(fields, dict):
            raise TypeError
        return cls(**{k: decode(v) for k, v in fields.items()})
    except Exception:
        return Unsupported(f"{module}.{name}", "could not be rebuilt")


def _decode_pandas(kind: str, data: dict[str, Any]) -> Any:
    import pandas as pd

    if kind == "NaT":
        return pd.NaT
    if kind == "NA":
        return pd.NA
    if kind == "Timestamp":
        return pd.Timestamp(str(data["value"]))
    if kind == "Timedelta":
        return pd.Timedelta(str(data["value"]))
    if kind == "Index":
        return pd.Index([decode(v) for v in data.get("items", [])], name=decode(data.get("name")))
    try:
        frame = pd.read_json(io.StringIO(str(data["text"])), orient=data.get("orient", "table"))
    except (ValueError, TypeError, KeyError):
        return Unsupported(kind, "malformed export")
    if kind == "Series":
        series = frame.iloc[:, 0]
        series.name = decode(data.get("name"))
        return series
    return frame


def emit(namespace: dict[str, Any], names: list[str]) -> None:
    """Publish the values of ``names`` found in ``namespace`` as one display output.

    Runs in the student's kernel, in place of a test cell. A name that is not defined is left
    out (the test then fails with ``NameError``, as an unanswered question should).
    """
    payload: dict[str, Any] = {}
    for name in names:
        if name not in namespace:
            continue
        try:
            encoded = encode(namespace[name])
            text = json.dumps(encoded, allow_nan=False)
            if len(text) > MAX_BYTES:
                raise _TooBig
        except _TooBig:
            encoded = _tag("unsupported", type=type(namespace[name]).__qualname__,
                           reason=f"larger than {MAX_BYTES:,} characters when exported")
        except Exception as exc:
            encoded = _tag("unsupported", type=type(namespace[name]).__qualname__,
                           reason=f"could not be exported ({type(exc).__name__})")
        payload[name] = encoded
    from IPython.display import publish_display_data

    publish_display_data({MIME: payload, "text/plain": f"(answers handed to the grader: "
                          f"{', '.join(sorted(payload)) or 'none'})"})
