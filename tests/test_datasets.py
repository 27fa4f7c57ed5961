"""Checks every curated table of every case the same way (in the spirit of sklearn's
test_common).

A table added to a case's datapackage.json, or a case added under datasets/, is tested here the
day it is added. Tests ids read ``<case>/<table>``.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pandas as pd
import pytest

import policykit
from policykit import _datapackage

DESCRIPTOR = _datapackage.descriptor()  # the default case's
RESOURCES = {r["name"]: r for r in DESCRIPTOR["resources"]}
NAMES = list(RESOURCES)
CASES = policykit.list_cases()
DESCRIPTORS = {c: json.loads((policykit.case(c).data_dir / "datapackage.json").read_text(
    encoding="utf-8")) for c in CASES}
CASE_RESOURCES = {(c, r["name"]): r for c in CASES for r in DESCRIPTORS[c]["resources"]}
PAIRS = list(CASE_RESOURCES)
PAIR_IDS = [f"{c}/{n}" for c, n in PAIRS]
_FRAMES: dict[tuple[str, str], pd.DataFrame] = {}


def _frame(case_id: str, name: str) -> pd.DataFrame:
    """One table of one case, loaded once for this module (tests must not change it)."""
    if (case_id, name) not in _FRAMES:
        _FRAMES[(case_id, name)] = policykit.case(case_id).load(name)
    return _FRAMES[(case_id, name)]


@pytest.mark.parametrize("case_id", CASES)
def test_package_metadata(case_id):
    package = DESCRIPTORS[case_id]
    for key in ("name", "title", "licenses", "sources", "version", "resources"):
        assert package[key], key
    assert re.fullmatch(r"\d+\.\d+\.\d+", package["version"])
    assert policykit.case(case_id).list_datasets() == [r["name"] for r in package["resources"]]
    assert package["policykit"]["case"] == case_id
    assert policykit.list_datasets() == NAMES


@pytest.mark.parametrize(("case_id", "name"), PAIRS, ids=PAIR_IDS)
def test_resource_metadata(case_id, name):
    res = CASE_RESOURCES[(case_id, name)]
    assert re.fullmatch(r"[a-z][a-z_]*", name)
    for key in ("path", "title", "description", "unit", "caveats", "licenses", "hash", "bytes"):
        assert res[key], key
    assert res["unit"].startswith("Each row represents")
    data = (policykit.case(case_id).data_dir / res["path"]).read_bytes()
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


@pytest.mark.parametrize(("case_id", "name"), PAIRS, ids=PAIR_IDS)
def test_loaded_types_follow_schema(case_id, name):
    frame = _frame(case_id, name)
    fields = CASE_RESOURCES[(case_id, name)]["schema"]["fields"]
    assert list(frame.columns) == [f["name"] for f in fields]
    for field in fields:
        assert _expected_dtype_ok(field, frame[field["name"]]), (field["name"],
                                                               frame[field["name"]].dtype)
        if field.get("constraints", {}).get("required"):
            assert frame[field["name"]].notna().all(), field["name"]


@pytest.mark.parametrize(("case_id", "name"), PAIRS, ids=PAIR_IDS)
def test_primary_key_unique(case_id, name):
    pk = CASE_RESOURCES[(case_id, name)]["schema"]["primaryKey"]
    frame = _frame(case_id, name)
    assert frame[pk].notna().all().all()
    assert not frame.duplicated(pk).any()


@pytest.mark.parametrize(("case_id", "name"), PAIRS, ids=PAIR_IDS)
def test_foreign_keys_resolve(case_id, name):
    for fk in CASE_RESOURCES[(case_id, name)]["schema"].get("foreignKeys", []):
        ref = fk["reference"]
        target = _frame(case_id, ref["resource"] or name)[ref["fields"]].astype(str).apply(
            tuple, axis=1)
        # An empty foreign key means "no reference" (as in Frictionless): only values count.
        values = _frame(case_id, name)[fk["fields"]].dropna().astype(str).apply(tuple, axis=1)
        missing = set(values) - set(target)
        assert not missing, (fk, sorted(missing)[:5])


def _sources_table(case_id: str) -> str:
    return policykit.case(case_id).role("sources")["resource"]


def _cited(case_id: str, name: str) -> set[str]:
    """Source ids a table cites: its ``sources`` column and any column its schema describes as
    "Source ids ..." (e.g. the copies that print a variant)."""
    columns = [f["name"] for f in CASE_RESOURCES[(case_id, name)]["schema"]["fields"]
               if f["name"] == "sources" or f["description"].startswith("Source ids")]
    frame = _frame(case_id, name)
    return {s for c in columns for ids in frame[c].dropna().str.split(";") for s in ids if s}


@pytest.mark.parametrize(("case_id", "name"), [p for p in PAIRS if p[1] != _sources_table(p[0])],
                         ids=[i for p, i in zip(PAIRS, PAIR_IDS, strict=True)
                              if p[1] != _sources_table(p[0])])
def test_every_row_cites_a_known_source(case_id, name):
    key = policykit.case(case_id).role("sources")["key"]
    known = set(_frame(case_id, _sources_table(case_id))[key])
    cited = _frame(case_id, name)["sources"].str.split(";")
    assert cited.map(len).min() >= 1
    unknown = _cited(case_id, name) - known
    assert not unknown


def _label_sources(frame: pd.DataFrame) -> pd.Series:
    """Each source's label sources, as lists of ids (empty where it has none)."""
    return frame["label_sources"].fillna("").map(lambda ids: [i for i in ids.split(";") if i])


@pytest.mark.parametrize("case_id", CASES)
def test_every_source_is_cited_or_flagged(case_id):
    sources = _sources_table(case_id)
    names = [n for c, n in PAIRS if c == case_id and n != sources]
    cited = set().union(*(_cited(case_id, name) for name in names))
    src = _frame(case_id, sources)
    # A page that backs another source's state-media label is cited by that source.
    cited |= {i for ids in _label_sources(src) for i in ids}
    uncited = src[~src[policykit.case(case_id).role("sources")["key"]].isin(cited)]
    # Sources nobody cites are listed only so that readers can recognise unreliable copies.
    flagged = uncited["reliability_note"].fillna("").str.contains("UNRELIABLE")
    assert flagged.all(), uncited.loc[~flagged, ["source_id", "url"]].to_dict("records")


STATE_MEDIA = {"state_media", "re_post_of_state_media"}


@pytest.mark.parametrize("case_id", CASES)
def test_every_state_media_label_cites_what_the_outlet_is(case_id):
    src = _frame(case_id, _sources_table(case_id)).set_index("source_id")
    labels = _label_sources(src)
    state = src["provenance"].astype(str).isin(STATE_MEDIA)
    assert state.any(), "both cases cite state media (Sputnik, Anadolu copies)"
    assert labels[state].map(len).min() >= 1, "a state-media label without its sources"
    assert labels[~state].map(len).max() == 0, "label sources only back state-media labels"
    for sid, ids in labels[state].items():
        for i in ids:
            backing = src.loc[i]  # KeyError: an id that resolves to no source
            assert str(backing["provenance"]) not in STATE_MEDIA, (sid, i)
            assert "UNRELIABLE" not in str(backing["reliability_note"]), (sid, i)
            assert str(backing["kind"]) in {"reference", "re_post"}, (sid, i)
    # A copy of a state outlet's article rests on the same pages as the outlet's own label.
    own = {str(p): labels[sid] for sid, p in src.loc[src["provenance"] == "state_media",
                                                       "publisher"].items()}
    for sid, origin in src.loc[src["provenance"] == "re_post_of_state_media",
                               "reposted_from"].items():
        outlet = next((p for p in own if str(origin).startswith(p)), None)
        if outlet is not None:
            assert labels[sid] == own[outlet], (sid, origin)


@pytest.mark.parametrize(("case_id", "name"), PAIRS, ids=PAIR_IDS)
def test_load_returns_a_fresh_copy(case_id, name):
    case = policykit.case(case_id)
    frames = []
    for _ in range(4):  # first load, the load that fills the cache, and cached loads
        frame = case.load(name)
        original = frame.iloc[0, 0]
        frame.iloc[0, 0] = None
        frames.append(frame)
    again = case.load(name)
    assert again.iloc[0, 0] == original
    assert all(again is not f for f in frames)


@pytest.mark.parametrize(("case_id", "name"), PAIRS, ids=PAIR_IDS)
def test_describe_renders(case_id, name):
    d = policykit.case(case_id).describe(name)
    html = d._repr_html_()
    text = str(d)
    res = CASE_RESOURCES[(case_id, name)]
    for part in (res["title"], res["unit"], *res["caveats"]):
        assert part in text
    assert "What this data does not show" in html and "Licence" in html
    for field in res["schema"]["fields"]:
        assert f"<code>{field['name']}</code>" in html


@pytest.mark.parametrize(("case_id", "name"), [(c, None) for c in CASES] + PAIRS,
                         ids=[f"{c}/-" for c in CASES] + PAIR_IDS)
def test_cite(case_id, name):
    text = policykit.case(case_id).cite(name)
    assert text.startswith("The policykit authors. policykit:")
    assert policykit.__version__ in text


def test_descriptor_is_plain_json():
    raw = (_datapackage.data_dir() / "datapackage.json").read_text(encoding="utf-8")
    assert json.loads(raw) == DESCRIPTOR


# --- Row ids are derived from content ---------------------------------------------------------

ID_COLUMNS = {"responses": "response_id", "events": "event_id", "statements": "statement_id",
              "letter_passages": "passage_id", "letter_drafts": "draft_id"}


def _build_module():
    """datasets/build/buildkit.py, registered as ``buildkit`` (the name steps files import)."""
    import importlib.util
    import sys

    if "buildkit" not in sys.modules:
        path = Path(__file__).resolve().parent.parent / "datasets" / "build" / "buildkit.py"
        spec = importlib.util.spec_from_file_location("buildkit", path)
        sys.modules["buildkit"] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules["buildkit"])
    return sys.modules["buildkit"]


def _ids(files, name):
    import csv
    import io

    rows = csv.DictReader(io.StringIO(files[f"{name}.csv"].decode("utf-8")))
    col = ID_COLUMNS[name]
    return {r[col]: {k: v for k, v in r.items() if k != col} for r in rows}


def test_inserting_source_rows_moves_no_existing_id(shared_sources, tmp_path):
    import shutil

    build = _build_module()
    src = tmp_path / "sources"
    shutil.copytree(shared_sources, src)
    case = tmp_path / "cpc_letter_2022"
    shutil.copytree(Path(build.__file__).parents[1] / "cpc_letter_2022", case,
                    ignore=shutil.ignore_patterns("__pycache__"))
    before = build.build_case(case, src)
    # Insert a row at the top of the responses and of the timeline, and a verified sentence
    # before the others in letter.json: every row after it moves down by one.
    url = "https://www.jpost.com/international/article-720586"
    # The curators classify every response by its id; the inserted one is context (before
    # the letter).
    inserted = build.content_id("r", "2022-01-01", "Tester", "A. Tester", "An inserted quote.")
    with (case / "curation" / "view_of_letter.csv").open("a", encoding="utf-8") as fh:
        fh.write(f"{inserted},context,test row\n")
    for name, line in (
        ("responses.csv", f"2022-01-01,A. Tester,Tester,other,test row,An inserted quote.,{url}"),
        ("timeline.csv", f"2022-01-01,An inserted event,war,{url}"),
    ):
        path = src / "letter" / name
        head, rest = path.read_text(encoding="utf-8").split("\n", 1)
        path.write_text(f"{head}\n{line}\n{rest}", encoding="utf-8")
    letter_path = src / "letter" / "letter.json"
    letter = json.loads(letter_path.read_text(encoding="utf-8"))
    letter["other_verified_sentences"].insert(0, {"text": "An inserted sentence.",
                                                  "sources": [url]})
    letter_path.write_text(json.dumps(letter), encoding="utf-8")
    after = build.build_case(case, src)
    for name in ("responses", "events", "letter_passages", "statements", "letter_drafts"):
        old, new = _ids(before, name), _ids(after, name)
        assert set(old) <= set(new), name
        assert all(new[i] == row for i, row in old.items()), name
    for name in ("responses", "events", "letter_passages"):
        assert len(_ids(after, name)) == len(_ids(before, name)) + 1, name


@pytest.mark.parametrize("name", list(ID_COLUMNS))
def test_ids_follow_their_declared_pattern(name, tables):
    field = next(f for f in RESOURCES[name]["schema"]["fields"] if f["name"] == ID_COLUMNS[name])
    pattern = field["constraints"]["pattern"]
    ids = tables[name][ID_COLUMNS[name]]
    assert ids.str.fullmatch(pattern).all()
    if "date" in tables[name]:  # the date in the id is the row's date
        days = tables[name]["date"].dt.strftime("%Y%m%d")
        assert (ids.str[1:9] == days).all()


@pytest.mark.parametrize(("case_id", "name"), PAIRS, ids=PAIR_IDS)
def test_each_table_declares_its_sources_and_licences(case_id, name):
    res = CASE_RESOURCES[(case_id, name)]
    case = policykit.case(case_id)
    assert res["sources"] and all(s["title"] for s in res["sources"])
    assert res["licenses"] and all(lic["name"] for lic in res["licenses"])
    # describe() and cite() show what the descriptor declares, not a choice made in code.
    shown = case.describe(name).sources
    assert [line.split(" <")[0] for line in shown] == [s["title"] for s in res["sources"]]
    for s in res["sources"]:
        assert s["title"] in case.cite(name)
    for lic in res["licenses"]:
        assert f"({lic['name']})" in case.describe(name).licence


def test_vote_tables_cite_the_official_records():
    # House votes come from the Clerk's records, Senate votes from the Senate's, the member
    # file from Voteview (sources README).
    paths = {n: {s.get("path") for s in RESOURCES[n]["sources"]} for n in NAMES}
    assert "https://clerk.house.gov/Votes" in paths["house_votes"]
    assert "https://www.senate.gov/legislative/votes_new.htm" in paths["senate_votes"]
    assert {"https://clerk.house.gov/Votes", "https://www.senate.gov/legislative/votes_new.htm"
            } <= paths["rollcalls"]
    assert paths["members"] == {"https://voteview.com/"}
