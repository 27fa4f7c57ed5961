"""Load, describe and cite policykit's curated datasets.

Every table of the default case's ``datapackage.json`` has a loader: :func:`load` by name, and
a typed convenience function per table (``load_signatories()``, ...), made at import from the
descriptor, whose docstring is generated from the schema so that it cannot drift from the data.
Other cases load through :func:`policykit.case` (``policykit.case(ID).load(name)``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from . import _datapackage as _dp
from .errors import DataIntegrityError


def list_datasets() -> list[str]:
    """Return the names of the curated datasets, in package order.

    Examples
    --------
    >>> import policykit
    >>> "signatories" in policykit.list_datasets()
    True
    """
    return _dp.dataset_names()


def load(name: str) -> pd.DataFrame:
    """Load one curated dataset as a typed :class:`pandas.DataFrame`.

    Dates are ``datetime64``, integers nullable ``Int64``, columns with a fixed set of values
    categorical, text ``string``. The file is checked against its recorded checksum and schema
    first; a damaged file raises a :class:`~policykit.errors.DataIntegrityError` naming the file,
    column and row.

    Parameters
    ----------
    name : str
        One of :func:`list_datasets`.

    Returns
    -------
    pandas.DataFrame
        A fresh copy: changing it does not change what the next call returns.

    Raises
    ------
    policykit.errors.DatasetNotFoundError
        For an unknown name (the message suggests the closest one).

    Examples
    --------
    >>> import policykit
    >>> rollcalls = policykit.load("rollcalls")
    >>> str(rollcalls["date"].dtype).startswith("datetime64")
    True
    """
    return _dp.read_table(name)


# --- Description -------------------------------------------------------------------------------

class Description:
    """What a dataset holds; renders as a page in Jupyter and as text elsewhere.

    Attributes: ``name``, ``title``, ``unit``, ``description``, ``columns`` (a DataFrame of
    column, type and description), ``caveats``, ``licence`` and ``sources``.
    """

    __slots__ = ("caveats", "columns", "description", "licence", "name", "sources", "title",
                 "unit")

    def __init__(self, *, name: str, title: str, unit: str, description: str,
                 columns: pd.DataFrame, caveats: tuple[str, ...], licence: str,
                 sources: tuple[str, ...]) -> None:
        self.name, self.title, self.unit, self.description = name, title, unit, description
        self.columns, self.caveats, self.licence, self.sources = columns, caveats, licence, sources

    def __str__(self) -> str:
        lines = [f"{self.title} ({self.name})", "", self.unit, self.description, "", "Columns:"]
        for row in self.columns.itertuples(index=False):
            lines.append(f"  {row.column} ({row.type}): {row.description}")
        lines += ["", "What this data does not show:"]
        lines += [f"  - {c}" for c in self.caveats]
        lines += ["", f"Licence: {self.licence}", "Sources:"]
        lines += [f"  - {s}" for s in self.sources]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        from html import escape as e

        rows = "".join(
            f"<tr><td><code>{e(r.column)}</code></td><td>{e(r.type)}</td>"
            f"<td style='text-align:left'>{e(r.description)}</td></tr>"
            for r in self.columns.itertuples(index=False)
        )
        caveats = "".join(f"<li>{e(c)}</li>" for c in self.caveats)
        sources = "".join(f"<li>{e(s)}</li>" for s in self.sources)
        return (
            f"<div class='policykit-describe'><h3>{e(self.title)} "
            f"<small><code>{e(self.name)}</code></small></h3>"
            f"<p><strong>{e(self.unit)}</strong> {e(self.description)}</p>"
            f"<table><thead><tr><th>Column</th><th>Type</th><th>Description</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
            f"<h4>What this data does not show</h4><ul>{caveats}</ul>"
            f"<p><strong>Licence:</strong> {e(self.licence)}</p>"
            f"<h4>Sources</h4><ul>{sources}</ul></div>"
        )


def _type_label(field: dict) -> str:
    cons = field.get("constraints", {})
    if "enum" in cons:
        return "category: " + " / ".join(cons["enum"])
    return field["type"]


def describe(name: str) -> Description:
    """Describe a dataset: what a row is, its columns, caveats, licence and sources.

    In JupyterLab the result renders as a small page; ``print()`` gives plain text.

    Examples
    --------
    >>> import policykit
    >>> d = policykit.describe("signatories")
    >>> d.unit.startswith("Each row represents")
    True
    >>> "A signature is not a vote" in str(d)
    True
    """
    return _describe(name, None)


def _describe(name: str, folder: Path | None) -> Description:
    """:func:`describe` for one case folder (``None``: the default case)."""
    res = _dp.resource(name, folder)
    fields = res["schema"]["fields"]
    columns = pd.DataFrame(
        {"column": [f["name"] for f in fields], "type": [_type_label(f) for f in fields],
         "description": [f["description"] for f in fields]}
    )
    licence = "; ".join(lic.get("title", lic["name"]) + f" ({lic['name']})"
                        for lic in res["licenses"])
    return Description(
        name=res["name"], title=res["title"], unit=res["unit"],
        description=res["description"], columns=columns, caveats=tuple(res["caveats"]),
        licence=licence, sources=_source_lines(res["name"], folder),
    )


def _source_lines(name: str | None, folder: Path | None = None) -> tuple[str, ...]:
    """The ``sources`` a table (or, for ``None``, the package) declares in datapackage.json."""
    declared = (_dp.descriptor(folder, _dp._required(folder))["sources"] if name is None
                else _dp.resource(name, folder)["sources"])
    return tuple(s["title"] + (f" <{s['path']}>" if s.get("path", "").startswith("http")
                               else "") for s in declared)


# --- Citation ----------------------------------------------------------------------------------

def _version() -> str:
    return _dp.installed_version()


def cite(name: str | None = None) -> str:
    """Return how to cite policykit, or one dataset and the records it rests on.

    Examples
    --------
    >>> import policykit
    >>> print(policykit.cite("members"))  # doctest: +ELLIPSIS
    The policykit authors. policykit: ... Version ...
    Data: Lewis, Jeffrey B., Keith Poole, ... Voteview: Congressional Roll-Call Votes Database. <https://voteview.com/>
    """
    return _cite(name, None)


def _cite(name: str | None, folder: Path | None) -> str:
    """:func:`cite` for one case folder (``None``: the default case)."""
    pkg = _dp.descriptor(folder, _dp._required(folder))
    head = (f"The policykit authors. policykit: {pkg['title']}. Version {_version()} "
            f"(data package {pkg['version']}).")
    if name is None:
        return head + "\nData: " + "; ".join(_source_lines(None, folder)) + "."
    res = _dp.resource(name, folder)
    return head + "\nData: " + "; ".join(_source_lines(res["name"], folder))


# --- Typed convenience loaders -----------------------------------------------------------------
# One per table of the default case, made at import from its datapackage.json: the case's data,
# not this module, says which tables there are. Each docstring's example is the case's own
# (``loader_examples`` in its ``policykit`` property: independent facts from its sources).


def _loader_doc(name: str) -> str:
    res = _dp.resource(name)
    rows = "\n".join(f"    {f['name']:<22} {f['description']}" for f in res["schema"]["fields"])
    caveats = "\n".join(f"    - {c}" for c in res["caveats"])
    examples = _dp.descriptor().get(_dp.CASE_PROPERTY, {}).get("loader_examples", {})
    example = f"{examples[name]}\n" if name in examples else ""
    return (
        f"Load {res['title'][0].lower() + res['title'][1:]}.\n\n"
        f"{res['unit']}\n\n{res['description']}\n\n"
        f"Returns\n-------\npandas.DataFrame\n    Typed columns:\n\n{rows}\n\n"
        f"Notes\n-----\nWhat this data does not show:\n\n{caveats}\n\n"
        f"Examples\n--------\n>>> import policykit\n>>> df = policykit.load_{name}()\n"
        f"{example}"
    )


def _make_loader(name: str) -> Callable[[], pd.DataFrame]:
    def loader() -> pd.DataFrame:
        return load(name)

    loader.__name__ = loader.__qualname__ = f"load_{name}"
    loader.__module__ = __name__
    try:
        loader.__doc__ = _loader_doc(name)
    except DataIntegrityError:
        loader.__doc__ = (f"Load the {name!r} dataset (see policykit.describe({name!r})).")
    return loader


def _register() -> list[str]:
    """Make ``load_<table>`` for every table of the default case; return their names.

    A damaged datapackage.json must not stop ``import policykit``: then no loader is made here,
    and :func:`__getattr__` raises the clear error when one is asked for.
    """
    try:
        names = _dp.dataset_names()
    except DataIntegrityError:
        return []
    _dp.TABLES[:] = names  # a table with a loader that goes missing is reported as such
    made = []
    for name in names:
        globals()[f"load_{name}"] = _make_loader(name)
        made.append(f"load_{name}")
    return made


#: The names of the convenience loaders (``load_<table>``), in package order.
LOADERS: list[str] = _register()
__all__ = ["Description", "cite", "describe", "list_datasets", "load", *LOADERS]


def __getattr__(attr: str) -> Callable[[], pd.DataFrame]:
    """``load_<table>`` when the descriptor could not be read at import (the error surfaces)."""
    if attr.startswith("load_"):
        names = _dp.dataset_names()  # raises the DataPackageError of a damaged descriptor
        if attr[len("load_"):] in names:
            return _make_loader(attr[len("load_"):])
    msg = f"module {__name__!r} has no attribute {attr!r}"
    raise AttributeError(msg)
