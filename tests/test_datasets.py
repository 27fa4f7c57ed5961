"""Checks every curated table the same way (in the spirit of sklearn's test_common).

A table added to datapackage.json is tested here the day it is added.
"""

from __future__ import annotations

import hashlib
import json
import re

import pandas as pd
import pytest

import policykit
from policykit import _datapackage

DESCRIPTOR = _datapackage.descriptor()
RESOURCES = {r["name"]: r for r in DESCRIPTOR["resources"]}
NAMES = list(RESOURCES)


def test_package_metadata():
    for key in ("name", "title", "licenses", "sources", "version", "resources"):
        assert DESCRIPTOR[key], key
    assert re.fullmatch(r"\d+\.\d+\.\d+", DESCRIPTOR["version"])
    assert policykit.list_datasets() == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_resource_metadata(name):
    res = RESOURCES[name]
    assert re.fullmatch(r"[a-z][a-z_]*", name)
    for key in ("path", "title", "description", "unit", "caveats", "licenses", "hash", "bytes"):
        assert res[key], key
    assert res["unit"].startswith("Each row represents")
    data = (_datapackage.data_dir() / res["path"]).read_bytes()
    assert res["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    assert res["bytes"] == len(data)
    header = data.split(b"\n", 1)[0].decode().split(",")
    assert header == [f["name"] for f in res["schema"]["fields"]]
    assert all(f.get("description") for f in res["schema"]["fields"])


@pytest.mark.parametrize("name", NAMES)
def test_loader_exists_and_is_documented(name):
    loader = getattr(policykit, f"load_{name}")
    assert f"load_{name}" in policykit.__all__
    doc = loader.__doc__
    assert doc.startswith("Load ")
    assert doc.splitlines()[2].startswith("Each row represents")
    for field in RESOURCES[name]["schema"]["fields"]:
        assert field["name"] in doc
    pd.testing.assert_frame_equal(loader(), policykit.load(name))


def _expected_dtype_ok(field, series):
    cons = field.get("constraints", {})
    if "enum" in cons:
        return isinstance(series.dtype, pd.CategoricalDtype) and list(
            series.cat.categories) == cons["enum"]
    return {
        "string": lambda: isinstance(series.dtype, pd.StringDtype),
        "integer": lambda: str(series.dtype) == "Int64",
        "number": lambda: str(series.dtype) == "float64",
        "boolean": lambda: str(series.dtype) == "boolean",
        "date": lambda: pd.api.types.is_datetime64_any_dtype(series),
    }[field["type"]]()


@pytest.mark.parametrize("name", NAMES)
def test_loaded_types_follow_schema(name, tables):
    frame = tables[name]
    fields = RESOURCES[name]["schema"]["fields"]
    assert list(frame.columns) == [f["name"] for f in fields]
    for field in fields:
        assert _expected_dtype_ok(field, frame[field["name"]]), (field["name"],
                                                               frame[field["name"]].dtype)
        if field.get("constraints", {}).get("required"):
            assert frame[field["name"]].notna().all(), field["name"]


@pytest.mark.parametrize("name", NAMES)
def test_primary_key_unique(name, tables):
    pk = RESOURCES[name]["schema"]["primaryKey"]
    frame = tables[name]
    assert frame[pk].notna().all().all()
    assert not frame.duplicated(pk).any()


@pytest.mark.parametrize("name", NAMES)
def test_foreign_keys_resolve(name, tables):
    for fk in RESOURCES[name]["schema"].get("foreignKeys", []):
        ref = fk["reference"]
        target = tables[ref["resource"]][ref["fields"]].astype(str).apply(tuple, axis=1)
        # An empty foreign key means "no reference" (as in Frictionless): only values count.
        values = tables[name][fk["fields"]].dropna().astype(str).apply(tuple, axis=1)
        missing = set(values) - set(target)
        assert not missing, (fk, sorted(missing)[:5])


@pytest.mark.parametrize("name", [n for n in NAMES if n != "sources"])
def test_every_row_cites_a_known_source(name, tables):
    known = set(tables["sources"]["source_id"])
    cited = tables[name]["sources"].str.split(";")
    assert cited.map(len).min() >= 1
    unknown = {s for ids in cited for s in ids} - known
    assert not unknown


def test_every_source_is_cited_or_flagged(tables):
    cited = {s for name in NAMES if name != "sources"
             for ids in tables[name]["sources"].str.split(";") for s in ids}
    src = tables["sources"]
    uncited = src[~src["source_id"].isin(cited)]
    # Sources nobody cites are listed only so that readers can recognise unreliable copies.
    assert uncited["reliability_note"].str.contains("UNRELIABLE").all(), uncited


@pytest.mark.parametrize("name", NAMES)
def test_load_returns_a_fresh_copy(name):
    frames = []
    for _ in range(4):  # first load, the load that fills the cache, and cached loads
        frame = policykit.load(name)
        original = frame.iloc[0, 0]
        frame.iloc[0, 0] = None
        frames.append(frame)
    again = policykit.load(name)
    assert again.iloc[0, 0] == original
    assert all(again is not f for f in frames)


@pytest.mark.parametrize("name", NAMES)
def test_describe_renders(name):
    d = policykit.describe(name)
    html = d._repr_html_()
    text = str(d)
    res = RESOURCES[name]
    for part in (res["title"], res["unit"], *res["caveats"]):
        assert part in text
    assert "What this data does not show" in html and "Licence" in html
    for field in res["schema"]["fields"]:
        assert f"<code>{field['name']}</code>" in html


@pytest.mark.parametrize("name", [None, *NAMES])
def test_cite(name):
    text = policykit.cite(name)
    assert text.startswith("The policykit authors. policykit:")
    assert policykit.__version__ in text


def test_descriptor_is_plain_json():
    raw = (_datapackage.data_dir() / "datapackage.json").read_text(encoding="utf-8")
    assert json.loads(raw) == DESCRIPTOR
