"""The generic case builder (datasets/build/): every case rebuilds to its committed bytes, and
a case made only of a fixture folder (sources, case.json, curation, steps.py) builds into a
valid data package without touching the builder."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "datasets" / "build" / "build.py"
TINY = Path(__file__).resolve().parent / "fixtures" / "build_tiny"
CASES = sorted(p.parent.name for p in (ROOT / "datasets").glob("*/steps.py"))


def _buildkit():
    """datasets/build/buildkit.py, registered as ``buildkit`` (the name steps files import)."""
    if "buildkit" not in sys.modules:
        spec = importlib.util.spec_from_file_location("buildkit", BUILD.parent / "buildkit.py")
        sys.modules["buildkit"] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules["buildkit"])
    return sys.modules["buildkit"]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(BUILD), *args], capture_output=True, text=True,
                          check=False, cwd=ROOT)


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


@pytest.fixture
def tiny(tmp_path):
    """A copy of the fixture: tmp/datasets/my_case/ and tmp/sources/my_case/."""
    shutil.copytree(TINY, tmp_path, dirs_exist_ok=True)
    return tmp_path


def _tiny_args(tiny: Path, *more: str) -> list[str]:
    return ["--datasets", str(tiny / "datasets"), "--sources", str(tiny / "sources"), *more]


# --- every committed case ----------------------------------------------------------------------

def test_case_one_is_built_by_the_generic_builder():
    assert "cpc_letter_2022" in CASES


@pytest.mark.parametrize("case_id", CASES)
def test_check_passes_for_every_case(case_id, shared_sources):
    result = _run("--check", "--case", case_id, "--sources", str(shared_sources))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "would change" not in result.stdout


def test_unknown_case_is_named_with_the_cases_there_are():
    result = _run("--check", "--case", "no_such_case")
    assert result.returncode == 1
    assert "no case 'no_such_case'" in result.stderr
    assert "cpc_letter_2022" in result.stderr


# --- a tiny case from a fixture folder ----------------------------------------------------------

def test_tiny_case_builds_from_its_folder_alone(tiny, shared_sources):
    result = _run(*_tiny_args(tiny))
    assert result.returncode == 0, result.stderr
    out = tiny / "datasets" / "my_case"
    votes = _rows((out / "votes.csv").read_bytes())
    # The Clerk's record of House roll 145 of 2022 (as the shared sources copy it).
    with (shared_sources / "votes" / "house_member_votes.csv").open(encoding="utf-8") as fh:
        record = {(r["bioguide_id"], r["position"]) for r in csv.DictReader(fh)
                  if r["vote_key"] == "h145-117.2022"}
    assert {(v["bioguide_id"], v["position"]) for v in votes} <= record
    assert [v["bioguide_id"] for v in votes] == ["C001054", "M001212", "R000575"]
    assert {v["label"] for v in votes} == {"Ukraine aid (H.R. 7691) on passage"}
    # Every row cites the roll call's record, resolved by the generated sources table.
    sources = _rows((out / "sources.csv").read_bytes())
    assert [s["url"] for s in sources] == ["https://clerk.house.gov/evs/2022/roll145.xml"]
    assert sources[0]["publisher"] == "Office of the Clerk, U.S. House of Representatives"
    assert sources[0]["kind"] == "public_record"
    assert {v["sources"] for v in votes} == {sources[0]["source_id"]}
    # The descriptor: each resource's hash and size are its file's, case.json is copied whole.
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    for res in package["resources"]:
        data = (out / res["path"]).read_bytes()
        assert res["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert res["bytes"] == len(data)
    assert package["policykit"] == json.loads((out / "case.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in package["resources"]] == ["votes", "sources"]


def test_tiny_case_is_a_valid_frictionless_package(tiny):
    frictionless = pytest.importorskip("frictionless", reason="validates the built package")
    assert _run(*_tiny_args(tiny)).returncode == 0
    report = frictionless.validate(tiny / "datasets" / "my_case" / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_check_lists_the_files_a_source_change_would_change(tiny):
    assert _run(*_tiny_args(tiny)).returncode == 0
    assert _run(*_tiny_args(tiny, "--check")).returncode == 0
    votes = tiny / "sources" / "my_case" / "votes.csv"
    votes.write_text(votes.read_text(encoding="utf-8").replace("M001212,Nay", "M001212,Yea"),
                     encoding="utf-8")
    result = _run(*_tiny_args(tiny, "--check"))
    assert result.returncode == 1
    assert result.stdout.splitlines() == ["would change: datasets/my_case/votes.csv",
                                          "would change: datasets/my_case/datapackage.json"]


def test_a_row_breaking_its_schema_stops_the_build(tiny):
    votes = tiny / "sources" / "my_case" / "votes.csv"
    votes.write_text(votes.read_text(encoding="utf-8").replace("M001212,Nay", "M001212,No"),
                     encoding="utf-8")
    result = _run(*_tiny_args(tiny))
    assert result.returncode == 1
    assert ("my_case/votes.csv line 3: position 'No' is not one of "
            "['Yea', 'Nay', 'Present', 'Not Voting']") in result.stderr
    assert not (tiny / "datasets" / "my_case" / "votes.csv").exists()


def _cite(tiny: Path, url: str) -> None:
    """Make the first vote that still cites the Clerk's roll 145 cite ``url`` instead."""
    votes = tiny / "sources" / "my_case" / "votes.csv"
    votes.write_text(votes.read_text(encoding="utf-8").replace(
        "https://clerk.house.gov/evs/2022/roll145.xml\n", f"{url}\n", 1), encoding="utf-8")


def test_an_unclassified_source_host_stops_the_build(tiny):
    _cite(tiny, "https://example.invalid/roll145")
    result = _run(*_tiny_args(tiny))
    assert result.returncode == 1
    assert "unclassified source host 'example.invalid'" in result.stderr
    assert "curation/publishers.csv" in result.stderr


def test_a_case_may_classify_its_own_hosts(tiny):
    _cite(tiny, "https://example.invalid/roll145")
    (tiny / "datasets" / "my_case" / "curation" / "publishers.csv").write_text(
        "domain,publisher,kind,provenance,reposted_from,reliability_note\n"
        "example.invalid,Example,news,original,,A test host.\n", encoding="utf-8")
    assert _run(*_tiny_args(tiny)).returncode == 0
    sources = _rows((tiny / "datasets" / "my_case" / "sources.csv").read_bytes())
    assert sorted(s["publisher"] for s in sources) == [
        "Example", "Office of the Clerk, U.S. House of Representatives"]


def _state_media_host(tiny: Path, label_sources: str) -> None:
    """Make the tiny case cite a host its own publishers table labels state media."""
    _cite(tiny, "https://example.invalid/roll145")
    (tiny / "datasets" / "my_case" / "curation" / "publishers.csv").write_text(
        "domain,publisher,kind,provenance,reposted_from,reliability_note,label_sources\n"
        f"example.invalid,Example,news,state_media,,A test host.,{label_sources}\n"
        "example.org,Example Index,reference,original,,A test reference.,\n", encoding="utf-8")


def test_a_state_media_label_without_its_sources_stops_the_build(tiny):
    _state_media_host(tiny, "")
    result = _run(*_tiny_args(tiny))
    assert result.returncode == 1
    assert "https://example.invalid/roll145: its provenance 'state_media'" in result.stderr
    assert "label_sources column" in result.stderr
    assert not (tiny / "datasets" / "my_case" / "sources.csv").exists()


def test_label_sources_need_a_column_for_them(tiny):
    # The tiny case's sources schema has no label_sources field: the label's sources must not
    # be dropped silently.
    _state_media_host(tiny, "https://example.org/about")
    result = _run(*_tiny_args(tiny))
    assert result.returncode == 1
    assert "has label sources, but the sources schema has no label_sources field" in result.stderr


def test_label_sources_become_sources_of_their_own(tiny):
    _state_media_host(tiny, "https://example.org/about (Its entry for Example.)")
    steps = tiny / "datasets" / "my_case" / "steps.py"
    steps.write_text(steps.read_text(encoding="utf-8").replace(
        '"reliability_note")]}},', '"reliability_note", "label_sources")]}},'),
        encoding="utf-8")
    assert _run(*_tiny_args(tiny)).returncode == 0
    sources = {s["url"]: s for s in _rows(
        (tiny / "datasets" / "my_case" / "sources.csv").read_bytes())}
    labelled = sources["https://example.invalid/roll145"]
    about = sources["https://example.org/about"]
    assert labelled["label_sources"] == about["source_id"]
    assert (about["kind"], about["label_sources"]) == ("reference", "")
    assert about["reliability_note"] == "A test reference. Its entry for Example."
    assert sources["https://clerk.house.gov/evs/2022/roll145.xml"]["label_sources"] == ""


def test_a_label_source_described_two_ways_stops_the_build(tiny):
    _state_media_host(tiny, "https://example.org/about (One description.)")
    _cite(tiny, "https://other.invalid/roll145")
    publishers = tiny / "datasets" / "my_case" / "curation" / "publishers.csv"
    publishers.write_text(publishers.read_text(encoding="utf-8") + (
        "other.invalid,Other,news,state_media,,A test host.,"
        "https://example.org/about (Another description.)\n"), encoding="utf-8")
    result = _run(*_tiny_args(tiny))
    assert result.returncode == 1
    assert "label source https://example.org/about is described twice" in result.stderr


def test_case_json_must_name_its_folder(tiny):
    (tiny / "datasets" / "my_case" / "case.json").write_text('{"case": "other"}',
                                                             encoding="utf-8")
    result = _run(*_tiny_args(tiny))
    assert result.returncode == 1
    assert "'case' is 'other'; it must be the folder name 'my_case'" in result.stderr


def test_steps_missing_part_of_the_interface_is_named(tiny):
    steps = tiny / "datasets" / "my_case" / "steps.py"
    steps.write_text(steps.read_text(encoding="utf-8").replace("PROVENANCE =", "_P ="),
                     encoding="utf-8")
    result = _run(*_tiny_args(tiny))
    assert result.returncode == 1
    assert "missing PROVENANCE (see datasets/build/README.md)" in result.stderr


# --- ids ---------------------------------------------------------------------------------------

def test_content_id_is_date_label_and_sha1_of_the_content():
    bk = _buildkit()
    digest = hashlib.sha1(b"Bonnie Watson Coleman\nA quote.").hexdigest()[:4]
    assert bk.content_id("r", "2022-10-25", "Watson Coleman", "Bonnie Watson Coleman",
                         "A quote.") == f"r20221025-watson-coleman-{digest}"
    assert bk.content_id("p", "", "We write", "x") == "p-we-write-" + hashlib.sha1(
        b"x").hexdigest()[:4]


def test_tiny_ids_do_not_move_when_a_row_is_inserted(tiny):
    bk = _buildkit()
    case = tiny / "datasets" / "my_case"
    before = _rows(bk.build_case(case, tiny / "sources")["sources.csv"])
    votes = tiny / "sources" / "my_case" / "votes.csv"
    head, rest = votes.read_text(encoding="utf-8").split("\n", 1)
    # Rep. Adam Smith's Yea on roll 66 of 2022, as the Clerk records it (shared sources).
    votes.write_text(f"{head}\nh66-117.2022,S000510,Yea,https://clerk.house.gov/evs/2022/"
                     f"roll066.xml\n{rest}", encoding="utf-8")
    after = {r["url"]: r["source_id"]
             for r in _rows(bk.build_case(case, tiny / "sources")["sources.csv"])}
    assert all(after[r["url"]] == r["source_id"] for r in before)
    assert len(after) == len(before) + 1


def test_github_url_of_a_pinned_file_and_of_a_repository():
    bk = _buildkit()
    assert bk.github_url("github:owner/repo@0123abc:data/votes.csv (copied 2024)") == (
        "https://github.com/owner/repo/blob/0123abc/data/votes.csv")
    assert bk.github_url("github:owner/repo") == "https://github.com/owner/repo"


def test_readme_example_is_the_fixture_case():
    # The README's minimal example is the steps file this test suite builds.
    import re

    readme = (BUILD.parent / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```python\n(.*?)```", readme, re.DOTALL).group(1)
    assert example == (TINY / "datasets" / "my_case" / "steps.py").read_text(encoding="utf-8")
