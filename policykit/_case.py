"""Cases: each one a data package whose ``policykit`` property says what each table is.

A case is a folder holding a Frictionless ``datapackage.json`` and one CSV file per table. Its
``policykit`` property names the case (``case``), orders it (``order``: the default case has
the lowest), and maps the roles the library needs (``signers``, ``rollcalls``, ``votes`` per
chamber, ``documents``, ``statements``, ``responses``, ``events``, ``sources``, ``members``) to
its tables and key columns, with labels, named events and tiers. The library reads tables by
role, never by a case's own table names, so a new case is data only.

The shipped cases are the subfolders of package ``policykit._data`` (the repository's
``datasets/`` folder) whose ``datapackage.json`` carries that property. A case folder elsewhere
can be opened with ``policykit.case(pathlib.Path("my_case"))``.

Every function of the library that reads data takes ``case: str | Case | None = None`` and
calls :func:`resolve` (``None`` is the default case).

Examples
--------
>>> import policykit
>>> policykit.list_cases()[0]
'cpc_letter_2022'
>>> c = policykit.case()
>>> c.id, c.order
('cpc_letter_2022', 1)
>>> c.role("signers")["resource"]
'signatories'
>>> len(c.table("signers"))  # the 2022 letter had 30 signers
30
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

from . import _datapackage as _dp
from . import _validate
from .errors import CaseNotFoundError, DataPackageError, MissingRoleError, closest

__all__ = ["Case", "case", "default_folder", "list_cases", "resolve"]

_GUIDE = "datasets/README.md"
# Case objects by folder (a str path): one object per folder, so identity is equality.
_BY_FOLDER: dict[str, Case] = {}


class Case:
    """One case: its tables (the loader API) and the roles, labels and events library code reads.

    Get one with :func:`policykit.case`; do not build it directly.

    Attributes
    ----------
    id : str
        The case id (its folder's name), e.g. ``'cpc_letter_2022'``.
    title, short_title : str
        The data package's title, and a short one for headings and menus.
    order : int
        Position among the cases; the default case has the lowest.
    data_dir : pathlib.Path
        The folder holding ``datapackage.json`` and the CSV files.
    """

    __slots__ = ("_folder",)

    def __init__(self, folder: Path) -> None:
        self._folder = folder

    # --- identity ------------------------------------------------------------------------------

    def _package(self) -> dict[str, Any]:
        return _dp.descriptor(self._folder)

    def _prop(self) -> dict[str, Any]:
        package = self._package()
        prop = package.get(_dp.CASE_PROPERTY)
        if not isinstance(prop, dict):
            raise _not_a_case(self._folder)
        return prop

    @property
    def id(self) -> str:
        return self._prop()["case"]

    @property
    def title(self) -> str:
        return self._package()["title"]

    @property
    def short_title(self) -> str:
        return self._prop().get("short_title") or self.title

    @property
    def order(self) -> int:
        return self._prop()["order"]

    @property
    def data_dir(self) -> Path:
        return self._folder

    @property
    def config(self) -> dict[str, Any]:
        """The whole ``policykit`` property of the case (a deep copy: safe to change)."""
        return _copy(self._prop())

    def __repr__(self) -> str:
        try:
            return f"<policykit case {self.id!r}: {self.short_title}>"
        except DataPackageError:
            return f"<policykit case in {str(self._folder)!r} (damaged datapackage.json)>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Case) and other._folder == self._folder

    def __hash__(self) -> int:
        return hash(self._folder)

    # --- the loader API ------------------------------------------------------------------------

    def _next_step(self) -> str:
        return f"See policykit.case({self.id!r}).list_datasets() for what each one holds."

    def list_datasets(self) -> list[str]:
        """Names of the case's tables, in package order."""
        return _dp.dataset_names(self._folder)

    def load(self, name: str) -> pd.DataFrame:
        """Load one table of the case as a typed DataFrame (a fresh copy); see policykit.load."""
        return _dp.read_table(name, self._folder, self._next_step)

    def describe(self, name: str) -> Any:
        """Describe one table of the case (a :class:`policykit.datasets.Description`)."""
        from .datasets import _describe

        _dp.resource(name, self._folder, self._next_step)
        return _describe(name, self._folder)

    def cite(self, name: str | None = None) -> str:
        """How to cite policykit and this case's data, or one of its tables."""
        from .datasets import _cite

        if name is not None:
            _dp.resource(name, self._folder, self._next_step)
        return _cite(name, self._folder)

    # --- roles, labels and events, for library code --------------------------------------------

    def has_role(self, role: str) -> bool:
        """Whether the case declares ``role`` (e.g. ``'signers'``)."""
        return role in self._prop()["roles"]

    def role(self, role: str) -> dict[str, Any]:
        """The role's mapping (``resource``, ``key`` and role-specific columns), a copy.

        Raises
        ------
        policykit.errors.MissingRoleError
            If the case has no such role (the message names the case and the role).
        """
        roles = self._prop()["roles"]
        if role not in roles:
            raise _missing(self, "role", role, list(roles), "roles")
        return _copy(roles[role])

    @property
    def chambers(self) -> list[str]:
        """The chambers the case has votes for (keys of its ``votes`` role), e.g. House."""
        return list(self._prop()["roles"]["votes"])

    def table(self, role: str, chamber: str | None = None) -> pd.DataFrame:
        """Load the table that plays ``role`` (a fresh copy).

        ``role='votes'`` needs ``chamber`` (one of :attr:`chambers`).
        """
        spec = self.role(role)
        if role == "votes":
            chamber = _validate.choice(
                "chamber", chamber, list(spec),
                f"Pass chamber= one of the chambers case {self.id!r} has votes for.")
            spec = spec[chamber]
        return self.load(spec["resource"])

    def label(self, key: str, default: str | None = None) -> str:
        """A label of the case (``'signers'``, ``'document'``, figure titles ...).

        Returns ``default`` when the case has no such label and a default is given.
        """
        labels = self._prop().get("labels") or {}
        if key in labels:
            return labels[key]
        if default is not None:
            return default
        raise _missing(self, "label", key, list(labels), "labels")

    def event_key(self, name: str, default: str | None = None) -> str:
        """The ``event_key`` of a named event the library needs (e.g. ``'document_released'``).

        Returns ``default`` when the case names no such event and a default is given.
        """
        events = self._prop().get("events") or {}
        if name in events:
            return events[name]
        if default is not None:
            return default
        raise _missing(self, "named event", name, list(events), "events")


def _copy(value: Any) -> Any:
    """A deep copy of JSON data (dicts, lists, scalars): several times faster than deepcopy."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _missing(c: Case, what: str, value: str, have: list[str], section: str) -> MissingRoleError:
    shown = ", ".join(repr(h) for h in have) or "none"
    return MissingRoleError(
        f"The case {c.id!r} has no {what} {value!r}. It has: {shown}.{closest(value, have)} "
        f"Pick a case that has one (policykit.list_cases()), or add it to the {section!r} of "
        f"the case's 'policykit' property (datasets/{c.id}/case.json) and rebuild the case.")


def _not_a_case(folder: Path) -> CaseNotFoundError:
    return CaseNotFoundError(
        f"The folder {str(folder)!r} is not a policykit case: its datapackage.json has no "
        f"{_dp.CASE_PROPERTY!r} property (the case id, order and roles). Allowed: a folder whose "
        f"datapackage.json declares it. Add the property (see {_GUIDE}), or pick a shipped "
        f"case: {', '.join(repr(i) for i in _safe_ids())}.")


def _safe_ids() -> list[str]:
    try:
        return list(_shipped())
    except DataPackageError:
        return []


def _shipped() -> dict[str, Path]:
    """The shipped cases, id -> folder, in order (``policykit.order``, then id)."""
    found = []
    for folder in _dp.case_folders():
        package = _dp.descriptor(folder)
        prop = package.get(_dp.CASE_PROPERTY)
        if not isinstance(prop, dict):
            continue  # a data package that is not a case
        if prop["case"] != folder.name:
            raise _dp._package_error(
                folder / _dp.DESCRIPTOR, f"its case id {prop['case']!r} is not its folder's "
                f"name {folder.name!r}", "A case folder is named after its case id.")
        found.append((prop["order"], prop["case"], folder))
    return {case_id: folder for _, case_id, folder in sorted(found)}


def list_cases() -> list[str]:
    """Return the ids of the shipped cases, the default case first.

    Examples
    --------
    >>> import policykit
    >>> "cpc_letter_2022" in policykit.list_cases()
    True
    """
    return list(_shipped())


def default_folder() -> Path:
    """The default case's folder: the shipped case with the lowest order."""
    shipped = _shipped()
    if not shipped:
        root = _dp.data_root()
        raise DataPackageError(
            f"No case found in {root}: no subfolder holds a datapackage.json with a "
            f"{_dp.CASE_PROPERTY!r} property. policykit cannot load any table without one. "
            f"Restore it with 'pip install --force-reinstall --no-deps {_dp.DISTRIBUTION}'.")
    return next(iter(shipped.values()))


def _get(folder: Path) -> Case:
    key = str(folder)
    found = _BY_FOLDER.get(key)
    if found is None:
        found = _BY_FOLDER[key] = Case(folder)
    return found


def _is_path(value: object) -> bool:
    return isinstance(value, os.PathLike) or (
        isinstance(value, str) and bool(re.search(r"[/\\]", value)))


def _from_path(value: str | os.PathLike[str]) -> Case:
    folder = Path(value).expanduser().resolve()
    shown = ", ".join(repr(i) for i in _safe_ids())
    if not folder.is_dir():
        full = f" ({folder})" if str(folder) != str(value) else ""
        raise CaseNotFoundError(
            f"The case folder {str(value)!r} does not exist{full}. Allowed: a folder "
            f"holding a datapackage.json with a {_dp.CASE_PROPERTY!r} property, or a shipped "
            f"case id: {shown}. Check the path, or see policykit.list_cases().")
    if not (folder / _dp.DESCRIPTOR).is_file():
        raise CaseNotFoundError(
            f"The folder {str(value)!r} has no datapackage.json, so it is not a policykit "
            f"case. Allowed: a folder holding a datapackage.json with a "
            f"{_dp.CASE_PROPERTY!r} property, or a shipped case id: {shown}. Build the case "
            f"first (see {_GUIDE}), or check the path.")
    found = _get(folder)
    found._prop()  # a damaged descriptor or a package that is not a case is reported now
    return found


def case(case_id: str | os.PathLike[str] | None = None) -> Case:
    """Return one case: a shipped case by id, a case folder by path, or the default case.

    Parameters
    ----------
    case_id : str, pathlib.Path or None
        A case id from :func:`list_cases`; a path to a case folder (a ``pathlib.Path``, or a
        string containing a path separator); ``None`` for the default case.

    Raises
    ------
    policykit.errors.CaseNotFoundError
        For an unknown id (the message suggests the closest) or a folder that is not a case.

    Examples
    --------
    >>> import policykit
    >>> policykit.case("cpc_letter_2022").short_title
    'The 2022 Progressive Caucus letter on Ukraine'
    >>> policykit.case("cpc_letter_2020")
    Traceback (most recent call last):
    ...
    policykit.errors.CaseNotFoundError: Unknown case 'cpc_letter_2020'. ...
    """
    if case_id is None:
        return _get(_dp.data_dir())
    if isinstance(case_id, Case):
        return case_id
    if _is_path(case_id):
        return _from_path(case_id)  # type: ignore[arg-type]
    shipped = _shipped()
    if isinstance(case_id, str) and case_id in shipped:
        return _get(shipped[case_id])
    _validate.choice("case", case_id, list(shipped),
                     "See policykit.list_cases() for the cases, or pass the path of a case "
                     "folder.", error=CaseNotFoundError)
    raise AssertionError("unreachable: choice() raised")  # pragma: no cover


def resolve(case_: str | os.PathLike[str] | Case | None) -> Case:
    """The case a library function was given: ``None`` -> default, an id, a path or a Case."""
    if isinstance(case_, Case):
        return case_
    return case(case_)
