"""Read the shipped Frictionless data packages (one per case): locate, verify, parse tables.

Files are found with :mod:`importlib.resources` (package ``policykit._data``, which is the
repository's ``datasets/`` folder in a checkout and in an installed wheel alike); each case is a
subfolder holding its ``datapackage.json`` and CSV files (see :mod:`policykit._case`). Every
function takes the case folder (``None``: the default case's, :func:`data_dir`), and every
cache (descriptors, read options, parsed tables) is keyed by that folder, so cases never mix.
Every load checks the file's sha256 against ``datapackage.json`` and its header against the
schema; a mismatch is diagnosed down to the column and row before anything is returned.

``import policykit`` succeeds even when a ``datapackage.json`` is damaged: the first use of the
data raises a :class:`~policykit.errors.DataPackageError` naming the file and how to restore
it. Unreadable data files (permissions, a folder in place of a file) raise
:class:`~policykit.errors.UnreadableFileError`; files that are not UTF-8 CSV any more
(re-encoded, truncated inside a quoted field, rows cut short) raise
:class:`~policykit.errors.MalformedFileError`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import _validate
from .errors import (
    BadValueError,
    ChecksumMismatchError,
    DataIntegrityError,
    DataPackageError,
    DatasetNotFoundError,
    MalformedFileError,
    SchemaMismatchError,
    UnreadableFileError,
    closest,
)

__all__ = ["DATA_PACKAGE", "DESCRIPTOR", "DISTRIBUTION", "TABLES", "case_folders", "data_dir",
           "data_root", "dataset_names", "descriptor", "installed_version", "read_table",
           "resource"]

DATA_PACKAGE = "policykit._data"
# The distribution name (pyproject.toml). "policykit" on the package index is an unrelated
# project (Open Policy Agent utilities): a repair hint naming it would replace this package.
DISTRIBUTION = "policykit-edu"
# Every cache below is keyed by the case folder (a str path), so two cases never share an entry.
# Parsed tables by (folder, name): (sha256, frame). A table is kept from its second load on, so
# a table read once costs no memory and no copy; one read again (as the explorers do) is served
# from here after its checksum is checked again.
_CACHE: dict[tuple[str, str], tuple[str, pd.DataFrame]] = {}
_SEEN: set[tuple[str, str]] = set()
DESCRIPTOR = "datapackage.json"
# The property of datapackage.json that makes a data package a policykit case (its roles).
CASE_PROPERTY = "policykit"
# The tables the default case has loaders for: policykit.datasets registers each one as it
# makes its loader, so a table with a loader that is missing from the default case's
# datapackage.json is reported as such.
TABLES: list[str] = []
# Keys every resource must have: loading needs the first five, describe() and cite() the rest.
_RESOURCE_KEYS = ("name", "path", "schema", "hash", "bytes", "title", "description", "unit",
                  "caveats", "licenses", "sources")
_PACKAGE_KEYS = ("title", "version", "sources", "resources")
# Per case folder: the parsed descriptor, keyed by the file's stat so that a file changed on
# disk is re-read, the set of its resource names, and the read options per table (built once
# per parsed descriptor).
_DESCRIPTOR: dict[str, dict[str, Any]] = {}


def installed_version() -> str:
    """The installed version of the distribution, or "unknown" in an unbuilt tree."""
    from importlib import metadata

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # pragma: no cover - running from an unbuilt tree
        return "unknown"


def data_root() -> Path:
    """The folder of package ``policykit._data``: one subfolder per case."""
    root = resources.files(DATA_PACKAGE)
    return Path(str(next(iter(getattr(root, "_paths", [root])))))


@cache
def case_folders() -> tuple[Path, ...]:
    """The shipped case folders: subfolders of :func:`data_root` with a ``datapackage.json``.

    Whether each one is a policykit case (has the ``policykit`` property) is decided by
    :mod:`policykit._case`, which reads the descriptors.
    """
    found = [Path(str(entry)).resolve() for entry in resources.files(DATA_PACKAGE).iterdir()
             if entry.is_dir() and not entry.name.startswith((".", "_"))
             and (entry / DESCRIPTOR).is_file()]
    return tuple(sorted(found))


@cache
def data_dir() -> Path:
    """Return the default case's folder (its ``datapackage.json`` and CSV files).

    The default case is the shipped case with the lowest ``policykit.order``; the module-level
    loaders (``policykit.load`` ...) read it.
    """
    from . import _case

    return _case.default_folder()


def _folder(folder: Path | None) -> Path:
    return data_dir() if folder is None else folder


def descriptor(folder: Path | None = None, required: list[str] | None = None
               ) -> dict[str, Any]:
    """Return the parsed and checked ``datapackage.json`` of a case folder.

    ``folder`` defaults to the default case's (:func:`data_dir`). The file is read again if it
    changed on disk. ``required`` names resources that must be present (the default case's
    loaders pass :data:`TABLES`).

    Raises
    ------
    policykit.errors.DataPackageError
        If the file is missing, unreadable, not JSON, or lacks a table, key or checksum.
    """
    folder = _folder(folder)
    where = str(folder)
    try:
        stat = os.stat(os.path.join(where, DESCRIPTOR))  # str paths: pathlib costs more here
    except OSError:
        stat = None
    key = (stat.st_mtime_ns, stat.st_size, stat.st_ino) if stat else None
    entry = _DESCRIPTOR.get(where)
    stale = key is None or entry is None or key != entry["key"]
    path = folder / DESCRIPTOR if stale or required else None
    if stale:
        package = _load_descriptor(path, required or [])
        entry = {"key": key, "package": package, "options": {},
                 "names": {r["name"] for r in package["resources"]}}
        _DESCRIPTOR[where] = entry
    if required:
        names = entry["names"]
        for name in required:
            if name not in names:
                _missing_resource(path, entry["package"], name, required)
    return entry["package"]


def _missing_resource(path: Path, package: dict[str, Any], name: str,
                      required: list[str]) -> None:
    names = [r.get("name") for r in package["resources"]]
    others = [n for n in names if isinstance(n, str) and n not in required]
    hint = closest(name, others).replace(" Did you mean", " (renamed to").rstrip("?")
    hint = f"{hint}?)" if hint else ""
    raise _package_error(path, f"the resource {name!r} is missing{hint}",
                         f"Expected resources: {', '.join(required)}.")


def _package_error(path: Path, problem: str, allowed: str = "") -> DataPackageError:
    allowed = f" {allowed}" if allowed else ""
    return DataPackageError(
        f"The data package descriptor {path.name!r} in {path.parent} is damaged: {problem}."
        f"{allowed} policykit cannot load any table without it. {_restore_hint(path)}")


def _load_descriptor(path: Path, required: list[str]) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise _package_error(path, "the file is missing") from None
    except OSError as exc:
        raise _package_error(path, f"the file cannot be read ({_os_reason(exc)})") from None
    try:
        package = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise _package_error(path, f"it is not UTF-8 text (byte {data[exc.start]:#04x} at "
                                   f"offset {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise _package_error(path, f"it is not valid JSON ({exc.msg} at line {exc.lineno}, "
                                   f"column {exc.colno})") from None
    _check_descriptor(path, package, required)
    return package


def _check_descriptor(path: Path, package: object, required: list[str]) -> None:
    """Raise DataPackageError unless ``package`` has every table, key and checksum needed."""
    if not isinstance(package, dict):
        raise _package_error(path, f"it holds a JSON {type(package).__name__}, not an object")
    for key in _PACKAGE_KEYS:
        if key not in package:
            raise _package_error(path, f"the key {key!r} is missing",
                                 f"Required keys: {', '.join(_PACKAGE_KEYS)}.")
    resources_ = package["resources"]
    if not isinstance(resources_, list) or not all(isinstance(r, dict) for r in resources_):
        raise _package_error(path, "'resources' is not a list of objects")
    names = {r.get("name") for r in resources_}
    for name in required:
        if name not in names:
            _missing_resource(path, package, name, required)
    for res in resources_:
        name = res.get("name")
        for key in _RESOURCE_KEYS:
            if key not in res:
                raise _package_error(path, f"the resource {name!r} has no {key!r}",
                                     f"Each resource needs: {', '.join(_RESOURCE_KEYS)}.")
        if res["path"] != f"{name}.csv":
            raise _package_error(path, f"the path of resource {name!r} is {res['path']!r}",
                                 f"policykit ships it as {name + '.csv'!r}.")
        if not (isinstance(res["hash"], str)
                and re.fullmatch(r"sha256:[0-9a-f]{64}", res["hash"])):
            raise _package_error(path, f"the hash of resource {name!r} is {res['hash']!r}",
                                 "Allowed: 'sha256:' followed by 64 lowercase hex digits.")
        if type(res["bytes"]) is not int:
            raise _package_error(path, f"the size of resource {name!r} is {res['bytes']!r}",
                                 "Allowed: a whole number of bytes.")
        fields = res["schema"].get("fields") if isinstance(res["schema"], dict) else None
        if not (isinstance(fields, list) and fields and all(
                isinstance(f, dict) and isinstance(f.get("name"), str)
                and f.get("type") in {*_DTYPES, "date"} for f in fields)):
            raise _package_error(path, f"the schema of resource {name!r} has no valid fields",
                                 "Each field needs a name and a type (string, integer, number, "
                                 "boolean or date).")
    _check_case(path, package)


# Roles every case must declare: without roll calls, votes and sources there is no case.
REQUIRED_ROLES = ("rollcalls", "votes", "sources")


def _check_case(path: Path, package: dict[str, Any]) -> None:
    """Raise DataPackageError unless the ``policykit`` property (if any) is well formed."""
    if CASE_PROPERTY not in package:
        return
    prop = package[CASE_PROPERTY]
    where = f"the {CASE_PROPERTY!r} property"
    if not isinstance(prop, dict):
        raise _package_error(path, f"{where} is not an object")
    case = prop.get("case")
    if not (isinstance(case, str) and re.fullmatch(r"[a-z][a-z0-9_]*", case)):
        raise _package_error(path, f"the case id in {where} is {case!r}",
                             "Allowed: lowercase letters, digits and '_', starting with a "
                             "letter (the case folder's name).")
    if type(prop.get("order")) is not int:
        raise _package_error(path, f"the order in {where} is {prop.get('order')!r}",
                             "Allowed: a whole number (the default case has the lowest).")
    roles = prop.get("roles")
    if not isinstance(roles, dict):
        raise _package_error(path, f"{where} has no 'roles' object",
                             f"Required roles: {', '.join(REQUIRED_ROLES)}.")
    for role in REQUIRED_ROLES:
        if role not in roles:
            hint = closest(role, [r for r in roles if r not in REQUIRED_ROLES])
            raise _package_error(path, f"{where} has no role {role!r}",
                                 f"Required roles: {', '.join(REQUIRED_ROLES)}.{hint}")
    names = [r["name"] for r in package["resources"]]
    for role, spec in roles.items():
        parts = spec.items() if role == "votes" and isinstance(spec, dict) else [(None, spec)]
        for chamber, part in parts:
            label = f"{role!r}" + (f" ({chamber})" if chamber else "")
            if not (isinstance(part, dict) and isinstance(part.get("resource"), str)):
                raise _package_error(path, f"the role {label} in {where} names no resource",
                                     "Each role is an object with a 'resource' (a table "
                                     "name) and its key column(s).")
            if part["resource"] not in names:
                hint = closest(part["resource"], names)
                raise _package_error(
                    path, f"the role {label} in {where} names the resource "
                          f"{part['resource']!r}, which is not in 'resources'",
                    f"Allowed: {', '.join(names)}.{hint}")


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "it is a folder, not a file"
    return exc.strerror or type(exc).__name__


_SEE_DATASETS = "See policykit.list_datasets() for what each one holds."


def dataset_names(folder: Path | None = None) -> list[str]:
    """Names of a case's tables, in package order (default: the default case's)."""
    return [r["name"] for r in descriptor(folder, _required(folder))["resources"]]


def _required(folder: Path | None) -> list[str] | None:
    """The resources a folder must have: the loaders' tables for the default case."""
    return TABLES if folder is None else None


def resource(name: object, folder: Path | None = None,
             next_step: str | Callable[[], str] = _SEE_DATASETS) -> dict[str, Any]:
    """Return the descriptor of one table of a case, or raise DatasetNotFoundError.

    ``next_step`` ends the message (a callable is called only then: it may read the case).
    """
    package = descriptor(folder, _required(folder))
    if isinstance(name, str):
        for res in package["resources"]:
            if res["name"] == name:
                return res
    if callable(next_step):
        next_step = next_step()
    _validate.choice("dataset", name, [r["name"] for r in package["resources"]], next_step,
                     error=DatasetNotFoundError)
    raise AssertionError("unreachable: choice() raised")  # pragma: no cover


def _restore_hint(path: Path) -> str:
    """How to get a pristine copy back, for a checkout or an installed package."""
    here = path.resolve()
    for parent in here.parents:
        if (parent / ".git").exists() and (parent / "datasets").is_dir():
            rel = here.relative_to(parent)
            return (f"Restore it with 'git checkout -- {rel.as_posix()}' (or rebuild with "
                    "'python datasets/build/build.py').")
    version = installed_version()
    pin = f"=={version}" if version != "unknown" else ""
    return f"Restore it with 'pip install --force-reinstall --no-deps {DISTRIBUTION}{pin}'."


# Dtype objects, not strings: resolving a string such as "Int64" costs more than parsing a
# small column (measured in benchmarks/bench_load.py).
_DTYPES = {"integer": pd.Int64Dtype(), "number": np.dtype("float64"),
           "boolean": pd.BooleanDtype(), "string": pd.api.types.pandas_dtype("str")}


def _read_options(folder: Path, res: dict[str, Any]) -> dict[str, Any]:
    """read_csv keyword arguments giving one table its schema types (built once per table)."""
    options = _DESCRIPTOR[str(folder)]["options"]
    name = res["name"]
    if name not in options:
        options[name] = _build_read_options(res["schema"]["fields"])
    return options[name]


def _build_read_options(fields: list[dict[str, Any]]) -> dict[str, Any]:
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
    _check_text(name, path, data, len(fields))
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


_BOMS = {b"\xef\xbb\xbf": "UTF-8 with a byte-order mark", b"\xff\xfe": "UTF-16",
         b"\xfe\xff": "UTF-16"}


def _check_text(name: str, path: Path, data: bytes, width: int) -> None:
    """Raise MalformedFileError unless ``data`` is UTF-8 CSV with ``width`` fields per row."""
    where = f"{path.name!r} (dataset {name!r})"
    allowed = f"policykit reads UTF-8 CSV with {width} fields per row."
    encoding = next((enc for bom, enc in _BOMS.items() if data.startswith(bom)), None)
    if encoding is None and b"\x00" in data[:4096]:
        encoding = "UTF-16"  # UTF-16 without a byte-order mark: every other byte is NUL
    if encoding:
        msg = (f"{where} is not UTF-8 text: it has been re-encoded as {encoding}. {allowed} "
               f"{_restore_hint(path)}")
        raise MalformedFileError(msg)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        msg = (f"{where} is not UTF-8 text: byte {data[exc.start]:#04x} on line {line} cannot "
               f"be decoded (the file looks re-encoded, e.g. as Latin-1). {allowed} "
               f"{_restore_hint(path)}")
        raise MalformedFileError(msg) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1  # the line the current row starts on
    try:
        for row in reader:
            if len(row) != width:
                msg = (f"{where} is not valid CSV: the row on line {start} has {len(row)} "
                       f"fields, expected {width} (the file looks truncated or edited). "
                       f"{allowed} {_restore_hint(path)}")
                raise MalformedFileError(msg)
            start = reader.line_num + 1
    except csv.Error:
        msg = (f"{where} is not valid CSV: the row starting on line {start} ends inside a "
               f"quoted field (the file looks truncated). {allowed} {_restore_hint(path)}")
        raise MalformedFileError(msg) from None


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


def _parse(folder: Path, res: dict[str, Any], data: bytes) -> pd.DataFrame:
    """Parse verified bytes. The checksum already proved they are the validated release, so
    constraints are not re-checked here (see :func:`_diagnose` for damaged files)."""
    frame = pd.read_csv(io.BytesIO(data), **_read_options(folder, res))
    for f in res["schema"]["fields"]:
        if f["type"] == "date":
            # numpy parses ISO 8601 dates directly; faster than read_csv's parse_dates here.
            values = frame[f["name"]].to_numpy(dtype=object)
            frame[f["name"]] = np.where(pd.isna(values), "NaT", values).astype(
                "datetime64[us]")
    return frame


def read_table(name: str, folder: Path | None = None,
               next_step: str | Callable[[], str] = _SEE_DATASETS) -> pd.DataFrame:
    """Verify and parse one table of a case (default: the default case) into a DataFrame.

    Every call returns a new frame that shares no memory with the cache or with any other
    call's frame, so changing it in place (even through ``.values``) never changes what the
    next call returns.
    """
    res = resource(name, folder, next_step)
    folder = _folder(folder)
    path = folder / res["path"]
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        msg = (f"The data file {path.name!r} (dataset {name!r}) is missing from "
               f"{path.parent}. {_restore_hint(path)}")
        raise DataIntegrityError(msg) from None
    except OSError as exc:
        msg = (f"The data file {path.name!r} (dataset {name!r}) in {path.parent} cannot be "
               f"read: {_os_reason(exc)}. policykit needs to read it as a file. Check its "
               f"permissions, or {_restore_hint(path)[0].lower()}{_restore_hint(path)[1:]}")
        raise UnreadableFileError(msg) from None
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    key = (str(folder), name)
    cached = _CACHE.get(key)
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
        frame = _parse(folder, res, data)
    except (ValueError, TypeError):
        _diagnose(name, path, data, fields)
        raise
    if key not in _SEEN:
        _SEEN.add(key)
        return frame
    _CACHE[key] = (digest, frame)
    return _detached(frame)


def _detached(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a cached frame that shares no memory with it.

    A shallow copy is not enough: copy-on-write guards assignments made through pandas, but
    ``frame["position"].values[:] = "Nay"`` writes straight into the shared buffer and would
    change every later load (issue 7). A deep copy costs well under a parse (see
    benchmarks/bench_load.py).
    """
    return frame.copy(deep=True)
