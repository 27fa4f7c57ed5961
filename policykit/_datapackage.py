"""Read the shipped Frictionless data package: locate, verify and parse its tables.

Files are found with :mod:`importlib.resources` (package ``policykit._data``, which is the
repository's ``datasets/`` folder in a checkout and in an installed wheel alike). Every load
checks the file's sha256 against ``datapackage.json`` and its header against the schema; a
mismatch is diagnosed down to the column and row before anything is returned.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import (
    BadValueError,
    ChecksumMismatchError,
    DataIntegrityError,
    DatasetNotFoundError,
    SchemaMismatchError,
    closest,
)

__all__ = ["DATA_PACKAGE", "DISTRIBUTION", "data_dir", "dataset_names", "installed_version",
           "read_table", "resource"]

DATA_PACKAGE = "policykit._data"
# The distribution name (pyproject.toml). "policykit" on the package index is an unrelated
# project (Open Policy Agent utilities): a repair hint naming it would replace this package.
DISTRIBUTION = "policykit-edu"
# Parsed tables by name: (sha256, frame). A table is kept from its second load on, so a table
# read once costs no memory and no copy; one read again (as the explorers do) is served from
# here after its checksum is checked again.
_CACHE: dict[str, tuple[str, pd.DataFrame]] = {}
_SEEN: set[str] = set()


def installed_version() -> str:
    """The installed version of the distribution, or "unknown" in an unbuilt tree."""
    from importlib import metadata

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # pragma: no cover - running from an unbuilt tree
        return "unknown"


@cache
def data_dir() -> Path:
    """Return the folder holding ``datapackage.json`` and the CSV files."""
    return Path(str(resources.files(DATA_PACKAGE)))


@cache
def descriptor() -> dict[str, Any]:
    """Return the parsed ``datapackage.json``."""
    text = resources.files(DATA_PACKAGE).joinpath("datapackage.json").read_text("utf-8")
    return json.loads(text)


def dataset_names() -> list[str]:
    """Names of the tables, in package order."""
    return [r["name"] for r in descriptor()["resources"]]


def resource(name: object) -> dict[str, Any]:
    """Return the descriptor of one table, or raise DatasetNotFoundError."""
    for res in descriptor()["resources"]:
        if res["name"] == name:
            return res
    names = dataset_names()
    hint = closest(name, names) if isinstance(name, str) else ""
    if not isinstance(name, str):
        what = f"Dataset names are strings; got {type(name).__name__} {name!r}."
    else:
        what = f"Unknown dataset {name!r}."
    msg = (f"{what} Available: {', '.join(names)}.{hint} "
           "See policykit.list_datasets() for what each one holds.")
    raise DatasetNotFoundError(msg)


def _restore_hint(path: Path) -> str:
    """How to get a pristine copy back, for a checkout or an installed package."""
    here = path.resolve()
    for parent in here.parents:
        if (parent / ".git").exists() and (parent / "datasets").is_dir():
            rel = here.relative_to(parent)
            return (f"Restore it with 'git checkout -- {rel.as_posix()}' (or rebuild with "
                    "'python datasets/scripts/build.py').")
    version = installed_version()
    pin = f"=={version}" if version != "unknown" else ""
    return f"Restore it with 'pip install --force-reinstall --no-deps {DISTRIBUTION}{pin}'."


# Dtype objects, not strings: resolving a string such as "Int64" costs more than parsing a
# small column (measured in benchmarks/bench_load.py).
_DTYPES = {"integer": pd.Int64Dtype(), "number": np.dtype("float64"),
           "boolean": pd.BooleanDtype(), "string": pd.api.types.pandas_dtype("str")}


@cache
def _read_options(name: str) -> dict[str, Any]:
    """read_csv keyword arguments giving one table its schema types (built once per table)."""
    fields = resource(name)["schema"]["fields"]
    dtype = {}
    for f in fields:
        if "enum" in f.get("constraints", {}):
            dtype[f["name"]] = pd.CategoricalDtype(f["constraints"]["enum"])
        elif f["type"] != "date":
            dtype[f["name"]] = _DTYPES[f["type"]]
    for f in fields:
        if f["type"] == "date":
            dtype[f["name"]] = object  # ISO dates, converted by numpy in _parse
    return {"dtype": dtype, "keep_default_na": False, "na_values": [""], "low_memory": False}


_BOOL = {"true": True, "false": False}


def _bad_cell(field: dict[str, Any], raw: str) -> str | None:
    """Why ``raw`` does not fit ``field`` (None if it does). Used only to diagnose."""
    cons = field.get("constraints", {})
    if raw == "":
        return "the cell is empty but the column is required" if cons.get("required") else None
    kind = field["type"]
    try:
        if kind == "integer":
            value: Any = int(raw)
        elif kind == "number":
            value = float(raw)
        elif kind == "boolean":
            if raw not in _BOOL:
                return f"{raw!r} is not a boolean (allowed: 'true', 'false')"
            value = _BOOL[raw]
        elif kind == "date":
            value = pd.Timestamp(pd.to_datetime(raw, format="%Y-%m-%d"))
        else:
            value = raw
    except (ValueError, TypeError):
        article = "an" if kind[0] in "aeiou" else "a"
        return f"{raw!r} is not {article} {kind}" + (" (YYYY-MM-DD)" if kind == "date" else "")
    if "enum" in cons and raw not in cons["enum"]:
        allowed = ", ".join(repr(v) for v in cons["enum"])
        hint = closest(raw, cons["enum"]).replace(" Did you mean", "; did you mean")
        return f"{raw!r} is not an allowed value (allowed: {allowed}{hint})"
    if "pattern" in cons and not re.fullmatch(cons["pattern"], raw):
        return f"{raw!r} does not match the pattern {cons['pattern']!r}"
    if "minimum" in cons and value < cons["minimum"]:
        return f"{raw!r} is below the minimum {cons['minimum']}"
    if "maximum" in cons and value > cons["maximum"]:
        return f"{raw!r} is above the maximum {cons['maximum']}"
    return None


def _diagnose(name: str, path: Path, data: bytes, fields: list[dict[str, Any]]) -> None:
    """Raise the most precise DataIntegrityError for ``data``; return if nothing is wrong."""
    where = f"{path.name!r} (dataset {name!r})"
    restore = _restore_hint(path)
    _check_header(name, path, data, fields)
    raw = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    for field in fields:
        col = raw[field["name"]]
        for row, value in enumerate(col, start=1):
            problem = _bad_cell(field, value)
            if problem:
                msg = (f"Bad value in {where}, column {field['name']!r}, row {row} "
                       f"(line {row + 1}): {problem}. {restore}")
                raise BadValueError(msg)


def _check_header(name: str, path: Path, data: bytes, fields: list[dict[str, Any]]) -> None:
    first = data.split(b"\n", 1)[0].decode("utf-8", errors="replace").rstrip("\r")
    header = next(csv.reader([first]), [])
    expected = [f["name"] for f in fields]
    if header == expected:
        return
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    parts = []
    if missing:
        col = missing[0]
        renamed = closest(col, extra)
        renamed = f" (renamed to {renamed.split('mean ')[1].rstrip('?')}?)" if renamed else ""
        parts.append(f"column {col!r} is missing{renamed}")
    if extra and not missing:
        parts.append(f"unexpected column {extra[0]!r}")
    if not parts:
        parts.append("columns are out of order")
    msg = (f"{path.name!r} (dataset {name!r}) does not match its schema: {'; '.join(parts)}. "
           f"Expected columns: {', '.join(expected)}. {_restore_hint(path)}")
    raise SchemaMismatchError(msg)


def _parse(name: str, data: bytes) -> pd.DataFrame:
    """Parse verified bytes. The checksum already proved they are the validated release, so
    constraints are not re-checked here (see :func:`_diagnose` for damaged files)."""
    frame = pd.read_csv(io.BytesIO(data), **_read_options(name))
    for f in resource(name)["schema"]["fields"]:
        if f["type"] == "date":
            # numpy parses ISO 8601 dates directly; faster than read_csv's parse_dates here.
            values = frame[f["name"]].to_numpy(dtype=object)
            values = np.where(pd.isna(values), "NaT", values).astype("datetime64[s]")
            frame[f["name"]] = values.astype("datetime64[us]")
    return frame


def read_table(name: str) -> pd.DataFrame:
    """Verify and parse one table into a typed DataFrame.

    Every call returns a new frame that shares no memory with the cache or with any other
    call's frame, so changing it in place (even through ``.values``) never changes what the
    next call returns.
    """
    res = resource(name)
    path = data_dir() / res["path"]
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        msg = (f"The data file {path.name!r} (dataset {name!r}) is missing from "
               f"{path.parent}. {_restore_hint(path)}")
        raise DataIntegrityError(msg) from None
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    cached = _CACHE.get(name)
    if cached and cached[0] == digest:
        return _detached(cached[1])
    fields = res["schema"]["fields"]
    if digest != res["hash"] or len(data) != res["bytes"]:
        _diagnose(name, path, data, fields)
        msg = (f"{path.name!r} (dataset {name!r}) has been changed: its sha256 checksum does "
               f"not match the one recorded in datapackage.json, although every value still "
               f"fits the schema. {_restore_hint(path)}")
        raise ChecksumMismatchError(msg)
    try:
        frame = _parse(name, data)
    except (ValueError, TypeError):
        _diagnose(name, path, data, fields)
        raise
    if name not in _SEEN:
        _SEEN.add(name)
        return frame
    _CACHE[name] = (digest, frame)
    return _detached(frame)


def _detached(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a cached frame that shares no memory with it.

    A shallow copy is not enough: copy-on-write guards assignments made through pandas, but
    ``frame["position"].values[:] = "Nay"`` writes straight into the shared buffer and would
    change every later load (issue 7). A deep copy costs well under a parse (see
    benchmarks/bench_load.py).
    """
    return frame.copy(deep=True)
