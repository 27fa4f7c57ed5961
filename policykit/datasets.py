"""Load, describe and cite policykit's curated datasets.

Every table of ``datapackage.json`` has a loader: :func:`load` by name, and a typed convenience
function per table (``load_signatories()``, ...), whose docstring is generated from the schema so
that it cannot drift from the data.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from . import _datapackage as _dp
from .errors import DataIntegrityError

__all__ = [
    "Description",
    "cite",
    "describe",
    "list_datasets",
    "load",
    "load_events",
    "load_house_votes",
    "load_letter_drafts",
    "load_letter_passages",
    "load_members",
    "load_organizations",
    "load_responses",
    "load_rollcalls",
    "load_senate_votes",
    "load_signatories",
    "load_sources",
    "load_statements",
]


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

# Independent facts for each loader's example (from the shared sources' README and the record).
_EXAMPLES = {
    "members": (">>> len(df[~df['delegate']])  # 455 House members in Voteview's file, "
                "6 of them non-voting\n449"),
    "signatories": ">>> len(df)  # the letter had 30 signers\n30",
    "rollcalls": ">>> df['chamber'].value_counts().to_dict()\n{'House': 15, 'Senate': 9}",
    "house_votes": ">>> len(df)\n6464",
    "senate_votes": ">>> len(df)  # 9 roll calls x 100 senators\n900",
    "letter_passages": ">>> bool(df['text'].str.contains('proactive diplomatic push').any())\nTrue",
    "letter_drafts": (">>> df['quoted_on'].dt.strftime('%Y-%m-%d').unique().tolist()  # before "
                      "release\n['2022-07-28']"),
    "statements": ">>> sorted(df['statement'].unique())\n['clarification', 'withdrawal']",
    "responses": ">>> bool(df['quote'].isna().any())\nFalse",
    "organizations": (">>> len(df)  # Truthout's partial list names eight endorsers\n8"),
    "events": ">>> df['date'].min().date().isoformat()  # the full-scale invasion\n'2022-02-24'",
    "sources": ">>> bool(df['url'].is_unique)\nTrue",
}


def _loader_doc(name: str) -> str:
    res = _dp.resource(name)
    rows = "\n".join(f"    {f['name']:<22} {f['description']}" for f in res["schema"]["fields"])
    caveats = "\n".join(f"    - {c}" for c in res["caveats"])
    return (
        f"Load {res['title'][0].lower() + res['title'][1:]}.\n\n"
        f"{res['unit']}\n\n{res['description']}\n\n"
        f"Returns\n-------\npandas.DataFrame\n    Typed columns:\n\n{rows}\n\n"
        f"Notes\n-----\nWhat this data does not show:\n\n{caveats}\n\n"
        f"Examples\n--------\n>>> import policykit\n>>> df = policykit.load_{name}()\n"
        f"{_EXAMPLES[name]}\n"
    )


def _make_loader(name: str) -> Callable[[], pd.DataFrame]:
    if name not in _dp.TABLES:
        _dp.TABLES.append(name)  # datapackage.json must describe every table with a loader
    def loader() -> pd.DataFrame:
        return load(name)

    loader.__name__ = loader.__qualname__ = f"load_{name}"
    loader.__module__ = __name__
    try:
        loader.__doc__ = _loader_doc(name)
    except DataIntegrityError:
        # A damaged datapackage.json must not stop ``import policykit``: the loader raises the
        # clear error when it is called.
        loader.__doc__ = (f"Load the {name!r} dataset (see policykit.describe({name!r})).")
    return loader


load_members = _make_loader("members")
load_signatories = _make_loader("signatories")
load_rollcalls = _make_loader("rollcalls")
load_house_votes = _make_loader("house_votes")
load_senate_votes = _make_loader("senate_votes")
load_letter_passages = _make_loader("letter_passages")
load_letter_drafts = _make_loader("letter_drafts")
load_statements = _make_loader("statements")
load_responses = _make_loader("responses")
load_organizations = _make_loader("organizations")
load_events = _make_loader("events")
load_sources = _make_loader("sources")
