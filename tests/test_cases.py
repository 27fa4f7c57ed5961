"""Cases: discovery, the default case, per-case loading and caches, the CLI's --case.

Facts come from the raw sources' READMEs (``../shared/sources/README.md`` for case 1,
``../shared/sources/case2/README.md`` for case 2) and from the case folders' own files read
with ``json``, never from the library's output.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pandas as pd
import pytest

import policykit
from policykit import _case, _datapackage
from policykit.cli import main
from policykit.errors import (
    CaseNotFoundError,
    DataPackageError,
    DatasetNotFoundError,
    InvalidArgumentError,
    MissingRoleError,
)

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "datasets"
CASE1 = "cpc_letter_2022"
CASE2 = "gop_letters_2023"


def _shipped_on_disk() -> list[tuple[int, str]]:
    """(order, id) of every folder under datasets/ whose descriptor has a policykit property."""
    found = []
    for path in sorted(DATASETS.glob("*/datapackage.json")):
        prop = json.loads(path.read_text(encoding="utf-8")).get("policykit")
        if isinstance(prop, dict):
            found.append((prop["order"], path.parent.name))
    return sorted(found)



# --- Discovery and the default case ---------------------------------------------------------------

def test_list_cases_is_every_case_folder_in_order():
    assert policykit.list_cases() == [case_id for _, case_id in _shipped_on_disk()]
    assert policykit.list_cases()[0] == CASE1
    assert "list_cases" in policykit.__all__ and "case" in policykit.__all__


def test_case2_is_shipped_after_case1():
    assert policykit.list_cases()[:2] == [CASE1, CASE2]


def test_default_case_is_case1():
    default = policykit.case()
    assert default is policykit.case(None) is policykit.case(CASE1)
    assert (default.id, default.order) == (CASE1, 1)
    assert default.data_dir == DATASETS / CASE1
    assert _case.resolve(None) is default
    assert _case.resolve(CASE1) is default
    assert _case.resolve(default) is default


def test_case_attributes_come_from_the_descriptor():
    raw = json.loads((DATASETS / CASE1 / "datapackage.json").read_text(encoding="utf-8"))
    c = policykit.case(CASE1)
    assert c.title == raw["title"]
    assert c.short_title == raw["policykit"]["short_title"]
    assert c.config == raw["policykit"]
    assert repr(c) == f"<policykit case {CASE1!r}: {raw['policykit']['short_title']}>"


def test_config_is_a_copy():
    c = policykit.case()
    config = c.config
    config["roles"]["signers"]["resource"] = "changed"
    config["labels"].clear()
    assert c.role("signers")["resource"] == "signatories"
    role = c.role("votes")
    role["House"]["resource"] = "changed"
    assert c.role("votes")["House"]["resource"] == "house_votes"


def test_case_by_path_is_the_same_case():
    folder = DATASETS / CASE1
    assert policykit.case(folder) is policykit.case(CASE1)
    assert policykit.case(str(folder)) is policykit.case(CASE1)
    assert _case.resolve(folder) is policykit.case(CASE1)


def test_module_level_loaders_read_the_default_case():
    c = policykit.case()
    assert policykit.list_datasets() == c.list_datasets()
    for name in ("rollcalls", "signatories"):
        pd.testing.assert_frame_equal(policykit.load(name), c.load(name))
    assert str(policykit.describe("members")) == str(c.describe("members"))
    assert policykit.cite() == c.cite()
    assert policykit.cite("members") == c.cite("members")


# --- Roles, labels and events ---------------------------------------------------------------------

def test_roles_of_case1():
    # The 2022 letter had 30 signers, led by Rep. Jayapal (shared sources' README).
    c = policykit.case(CASE1)
    signers = c.table("signers")
    assert len(signers) == 30
    role = c.role("signers")
    lead = signers[signers[role["lead"]]]
    assert lead[role["last_name"]].tolist() == ["Jayapal"]
    assert c.has_role("signers") and not c.has_role("amendments")
    assert c.chambers == ["House", "Senate"]
    # 9 Senate roll calls with 100 senators each (the Senate's records).
    assert len(c.table("votes", chamber="Senate")) == 900


def test_table_returns_a_fresh_copy():
    c = policykit.case()
    first = c.table("rollcalls")
    first.iloc[0, 0] = "changed"
    assert c.table("rollcalls").iloc[0, 0] != "changed"


def test_missing_role_names_the_case_and_the_role():
    c = policykit.case(CASE1)
    with pytest.raises(MissingRoleError) as info:
        c.role("signer")
    roles = ", ".join(repr(r) for r in json.loads(
        (DATASETS / CASE1 / "datapackage.json").read_text(encoding="utf-8"))["policykit"]["roles"])
    assert str(info.value) == (
        f"The case 'cpc_letter_2022' has no role 'signer'. It has: {roles}. Did you mean "
        "'signers'? Pick a case that has one (policykit.list_cases()), or add it to the "
        "'roles' of the case's 'policykit' property (datasets/cpc_letter_2022/case.json) and "
        "rebuild the case.")
    assert isinstance(info.value, InvalidArgumentError) and isinstance(info.value, LookupError)


def test_votes_table_needs_a_chamber():
    with pytest.raises(InvalidArgumentError) as info:
        policykit.case(CASE1).table("votes", chamber="house")
    assert str(info.value) == (
        "Unknown chamber 'house'. Allowed: 'House', 'Senate'. Did you mean 'House'? Pass "
        "chamber= one of the chambers case 'cpc_letter_2022' has votes for.")


def test_label_and_default():
    c = policykit.case(CASE1)
    labels = c.config["labels"]
    assert c.label("document") == labels["document"]
    assert c.label("no_such_label", default="fallback") == "fallback"
    with pytest.raises(MissingRoleError) as info:
        c.label("no_such_label")
    assert str(info.value).startswith("The case 'cpc_letter_2022' has no label 'no_such_label'.")
    assert str(info.value).endswith("or add it to the 'labels' of the case's 'policykit' "
                                    "property (datasets/cpc_letter_2022/case.json) and "
                                    "rebuild the case.")


def test_event_key():
    c = policykit.case(CASE1)
    events = c.config.get("events", {})
    for name, key in events.items():
        assert c.event_key(name) == key
        assert key in set(c.table("events")[c.role("events")["key"]])
    assert c.event_key("no_such_event", default="x") == "x"
    with pytest.raises(MissingRoleError):
        c.event_key("no_such_event")


# --- Bad case ids and folders ---------------------------------------------------------------------

def _cases_shown() -> str:
    return ", ".join(repr(i) for _, i in _shipped_on_disk())


def test_unknown_case_id_suggests_the_closest():
    with pytest.raises(CaseNotFoundError) as info:
        policykit.case("cpc_letter_2021")
    assert str(info.value) == (
        f"Unknown case 'cpc_letter_2021'. Allowed: {_cases_shown()}. Did you mean "
        "'cpc_letter_2022'? See policykit.list_cases() for the cases, or pass the path of a "
        "case folder.")
    assert isinstance(info.value, InvalidArgumentError) and isinstance(info.value, LookupError)


@pytest.mark.parametrize("value", [3, 2.5, ["cpc_letter_2022"]])
def test_case_id_must_be_a_string(value):
    with pytest.raises(CaseNotFoundError) as info:
        _case.resolve(value)
    assert str(info.value) == (
        f"Unknown case {value!r} ({'an' if type(value).__name__[0] in 'aeiou' else 'a'} "
        f"{type(value).__name__}, not a string). Allowed: {_cases_shown()}. See "
        "policykit.list_cases() for the cases, or pass the path of a case folder.")


def test_missing_case_folder(tmp_path):
    missing = tmp_path / "no_case"
    with pytest.raises(CaseNotFoundError) as info:
        policykit.case(missing)
    assert str(info.value) == (
        f"The case folder {str(missing)!r} does not exist. Allowed: a folder holding a "
        f"datapackage.json with a 'policykit' property, or a shipped case id: {_cases_shown()}. "
        "Check the path, or see policykit.list_cases().")


def test_folder_without_a_descriptor(tmp_path):
    with pytest.raises(CaseNotFoundError) as info:
        policykit.case(f"{tmp_path}/")
    assert str(info.value) == (
        f"The folder '{tmp_path}/' has no datapackage.json, so it is not a policykit case. "
        "Allowed: a folder holding a datapackage.json with a 'policykit' property, or a shipped "
        f"case id: {_cases_shown()}. Build the case first (see datasets/README.md), or check "
        "the path.")


def _copy_case(tmp_path: Path, name: str = "copied_case", edit=None) -> Path:
    """A copy of case 1's data files (no build inputs) under ``tmp_path/name``."""
    target = tmp_path / name
    shutil.copytree(DATASETS / CASE1, target,
                    ignore=shutil.ignore_patterns("curation", "*.py", "case.json", "__pycache__"))
    path = target / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    package["policykit"]["case"] = name
    if edit:
        edit(package)
    path.write_text(json.dumps(package), encoding="utf-8")
    return target


def test_data_package_that_is_not_a_case(tmp_path):
    folder = _copy_case(tmp_path, edit=lambda p: p.pop("policykit"))
    with pytest.raises(CaseNotFoundError) as info:
        policykit.case(folder)
    assert str(info.value) == (
        f"The folder {str(folder)!r} is not a policykit case: its datapackage.json has no "
        "'policykit' property (the case id, order and roles). Allowed: a folder whose "
        "datapackage.json declares it. Add the property (see datasets/README.md), or pick a "
        f"shipped case: {_cases_shown()}.")


RESTORE = "Restore it with 'pip install --force-reinstall --no-deps policykit-edu==0.1.0'."


@pytest.mark.parametrize(("edit", "problem", "allowed"), [
    (lambda p: p["policykit"]["roles"].pop("votes"), "the 'policykit' property has no role "
     "'votes'", "Required roles: rollcalls, votes, sources."),
    (lambda p: p["policykit"]["roles"]["signers"].update(resource="signers"),
     "the role 'signers' in the 'policykit' property names the resource 'signers', which is not "
     "in 'resources'", "Allowed: members, signatories, rollcalls, house_votes, senate_votes, "
     "letter_passages, letter_drafts, statements, responses, organizations, events, sources. "
     "Did you mean 'signatories'?"),
    (lambda p: p["policykit"]["roles"]["votes"]["Senate"].pop("resource"),
     "the role 'votes' (Senate) in the 'policykit' property names no resource",
     "Each role is an object with a 'resource' (a table name) and its key column(s)."),
    (lambda p: p["policykit"].update(order="1"), "the order in the 'policykit' property is "
     "'1'", "Allowed: a whole number (the default case has the lowest)."),
    (lambda p: p["policykit"].update(case="Case 3"), "the case id in the 'policykit' property "
     "is 'Case 3'", "Allowed: lowercase letters, digits and '_', starting with a letter (the "
     "case folder's name)."),
    (lambda p: p.update(policykit=[]), "the 'policykit' property is not an object", ""),
], ids=["role-missing", "role-resource-unknown", "role-without-resource", "order-text",
        "case-id-bad", "not-an-object"])
def test_damaged_case_property(tmp_path, edit, problem, allowed):
    folder = _copy_case(tmp_path, edit=edit)
    allowed = f" {allowed}" if allowed else ""
    with pytest.raises(DataPackageError) as info:
        policykit.case(folder)
    assert str(info.value) == (
        f"The data package descriptor 'datapackage.json' in {folder} is damaged: {problem}."
        f"{allowed} policykit cannot load any table without it. {RESTORE}")


def test_shipped_case_folder_must_be_named_after_its_id(tmp_path, monkeypatch):
    folder = _copy_case(tmp_path, name="renamed_folder",
                        edit=lambda p: p["policykit"].update(case="other_id"))
    monkeypatch.setattr(_datapackage, "case_folders", lambda: (folder,))
    with pytest.raises(DataPackageError) as info:
        policykit.list_cases()
    assert str(info.value) == (
        f"The data package descriptor 'datapackage.json' in {folder} is damaged: its case id "
        "'other_id' is not its folder's name 'renamed_folder'. A case folder is named after its "
        f"case id. policykit cannot load any table without it. {RESTORE}")


def test_unknown_dataset_of_a_case_points_at_that_case():
    with pytest.raises(DatasetNotFoundError) as info:
        policykit.case(CASE1).load("signatory")
    assert str(info.value).endswith(
        "Did you mean 'signatories'? See policykit.case('cpc_letter_2022').list_datasets() for "
        "what each one holds.")


# --- A case folder outside the package; caches per case -------------------------------------------

def _drop_rows(folder: Path, name: str, keep: int) -> None:
    """Keep the first ``keep`` rows of a table and record the new checksum, as a build would."""
    path = folder / f"{name}.csv"
    lines = path.read_bytes().split(b"\n")
    data = b"\n".join(lines[:keep + 1]) + b"\n"
    path.write_bytes(data)
    descriptor = folder / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    res = next(r for r in package["resources"] if r["name"] == name)
    res.update(hash="sha256:" + hashlib.sha256(data).hexdigest(), bytes=len(data))
    descriptor.write_text(json.dumps(package), encoding="utf-8")


def test_a_case_folder_outside_the_package(tmp_path):
    folder = _copy_case(tmp_path, edit=lambda p: p.update(title="A copied case"))
    _drop_rows(folder, "signatories", 3)
    other = policykit.case(folder)
    assert other is policykit.case(str(folder)) is _case.resolve(folder)
    assert (other.id, other.title, other.data_dir) == ("copied_case", "A copied case", folder)
    assert other not in [policykit.case(i) for i in policykit.list_cases()]
    assert "copied_case" not in policykit.list_cases()
    assert other.cite().startswith("The policykit authors. policykit: A copied case. Version")


def test_caches_do_not_mix_between_cases(tmp_path):
    folder = _copy_case(tmp_path)
    _drop_rows(folder, "signatories", 3)
    other, shipped = policykit.case(folder), policykit.case(CASE1)
    for _ in range(3):  # first load, the load that fills the cache, cached loads
        assert len(other.load("signatories")) == 3
        assert len(shipped.load("signatories")) == 30
        assert len(other.table("signers")) == 3
        assert len(policykit.load_signatories()) == 30
    keys = {k for k in _datapackage._CACHE if k[1] == "signatories"}
    assert {(str(folder), "signatories"), (str(DATASETS / CASE1), "signatories")} <= keys
    # Changing a cached frame of one case changes nothing anywhere.
    other.load("signatories")["name"].values[:] = "changed"
    assert "changed" not in set(shipped.load("signatories")["name"])
    assert "changed" not in set(other.load("signatories")["name"])


def test_descriptors_are_read_per_case(tmp_path):
    folder = _copy_case(tmp_path, edit=lambda p: next(
        r for r in p["resources"] if r["name"] == "members").update(title="Copied members"))
    assert policykit.case(folder).describe("members").title == "Copied members"
    assert policykit.describe("members").title != "Copied members"


# --- describe / cite per case ---------------------------------------------------------------------

def _raw(case_id: str) -> dict:
    return json.loads((DATASETS / case_id / "datapackage.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case_id", [i for _, i in _shipped_on_disk()])
def test_describe_and_cite_read_each_cases_descriptor(case_id):
    raw = _raw(case_id)
    c = policykit.case(case_id)
    assert c.list_datasets() == [r["name"] for r in raw["resources"]]
    for res in raw["resources"]:
        d = c.describe(res["name"])
        assert (d.title, d.unit) == (res["title"], res["unit"])
        assert [line.split(" <")[0] for line in d.sources] == [s["title"] for s in res["sources"]]
        cite = c.cite(res["name"])
        assert all(s["title"] in cite for s in res["sources"])
    assert c.cite().startswith(f"The policykit authors. policykit: {raw['title']}. Version ")
    assert f"(data package {raw['version']})" in c.cite()


@pytest.mark.parametrize("case_id", [i for _, i in _shipped_on_disk()])
def test_every_role_names_a_table_that_loads(case_id):
    c = policykit.case(case_id)
    for role, spec in c.config["roles"].items():
        if role == "votes":
            for chamber, part in spec.items():
                frame = c.table("votes", chamber=chamber)
                assert {"vote_key", "position", part["member_key"]} <= set(frame.columns)
                assert set(frame["position"].dropna()) <= {"Yea", "Nay", "Present",
                                                           "Not Voting"}
        else:
            frame = c.table(role)
            assert spec["key"] in frame.columns, (role, spec["key"])
            for column in ("name", "last_name", "lead", "score"):
                if spec.get(column):
                    assert spec[column] in frame.columns, (role, column)


# --- Case 2 (facts from ../shared/sources/case2/README.md) ----------------------------------------

def _tally(c, chamber: str, roll: int, year: int) -> dict[str, int]:
    rollcalls = c.table("rollcalls")
    match = rollcalls[(rollcalls["chamber"] == chamber) & (rollcalls["roll"] == roll)
                      & (rollcalls["date"].dt.year == year)]
    assert len(match) == 1, (chamber, roll, year)
    key = match["vote_key"].iloc[0]
    votes = c.table("votes", chamber=chamber)
    counts = votes.loc[votes["vote_key"] == key, "position"].value_counts()
    return {k: int(v) for k, v in counts.items() if v}


def test_case2_house_roll_151_was_311_112():
    # H.R. 8035, the Ukraine bill, 20 April 2024: 311-112 (case 2 README, key results).
    tally = _tally(policykit.case(CASE2), "House", 151, 2024)
    assert (tally["Yea"], tally["Nay"]) == (311, 112)


def test_case2_senate_roll_154_was_79_18():
    # H.R. 815, final concurrence, 23 April 2024: 79-18 (case 2 README).
    tally = _tally(policykit.case(CASE2), "Senate", 154, 2024)
    assert (tally["Yea"], tally["Nay"]) == (79, 18)


def test_case2_has_ten_roll_calls_six_house_four_senate():
    rollcalls = policykit.case(CASE2).table("rollcalls")
    assert rollcalls["chamber"].value_counts().to_dict() == {"House": 6, "Senate": 4}


def test_case2_has_27_named_distinct_signers_and_no_scores():
    # 19 signers of the April letter + 15 named of the September one, 7 signed both: 27.
    c = policykit.case(CASE2)
    role = c.role("signers")
    assert c.table("signers")[role["key"]].dropna().nunique() == 27
    # No Voteview file for the 118th Congress: no DW-NOMINATE scores, and the case says why.
    if c.has_role("members"):
        members = c.role("members")
        assert not members.get("score")
        assert members.get("no_score_reason")


def test_cases_do_not_share_tables():
    one, two = policykit.case(CASE1), policykit.case(CASE2)
    assert one.data_dir != two.data_dir
    r1, r2 = one.table("rollcalls"), two.table("rollcalls")
    assert not set(r1["vote_key"]) & set(r2["vote_key"])
    assert r1["date"].dt.year.max() == 2022 and r2["date"].dt.year.min() >= 2023


# --- The command line -----------------------------------------------------------------------------

def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(list(argv))
    return status, out.getvalue(), err.getvalue()


def test_cli_cases_lists_every_case_default_first():
    status, out, err = _run("cases")
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == [i for _, i in _shipped_on_disk()]
    assert lines[0].endswith("(default)") and not any(ln.endswith("(default)")
                                                       for ln in lines[1:])
    raw = _raw(CASE1)
    assert raw["policykit"]["short_title"] in lines[0]


def test_cli_commands_take_a_case():
    raw = _raw(CASE1)
    status, out, _ = _run("list", "--case", CASE1)
    assert status == 0
    assert [line.split()[0] for line in out.splitlines()] == [
        r["name"] for r in raw["resources"]]
    assert _run("list") == _run("list", "--case", CASE1)
    status, out, _ = _run("describe", "members", "--case", CASE1)
    assert status == 0 and out.startswith(raw["resources"][0]["title"])
    status, out, _ = _run("cite", "--case", str(DATASETS / CASE1))
    assert status == 0 and out.startswith(f"The policykit authors. policykit: {raw['title']}.")
    status, out, _ = _run("export", "signatories", "--case", CASE1)
    assert status == 0 and len(out.strip().splitlines()) == 31  # header + the 30 signers


def test_cli_case_from_a_folder(tmp_path):
    folder = _copy_case(tmp_path)
    _drop_rows(folder, "signatories", 3)
    status, out, _ = _run("export", "signatories", "--case", str(folder), "--format", "json")
    assert status == 0 and len(json.loads(out)) == 3


def test_cli_lists_case2():
    raw = _raw(CASE2)
    status, out, _ = _run("list", "--case", CASE2)
    assert status == 0
    assert [line.split()[0] for line in out.splitlines()] == [
        r["name"] for r in raw["resources"]]


def test_cli_unknown_case():
    status, out, err = _run("list", "--case", "cpc_letter")
    assert (status, out) == (2, "")
    assert err == (f"policykit: error: Unknown case 'cpc_letter'. Allowed: {_cases_shown()}. "
                   "Did you mean 'cpc_letter_2022'? See policykit.list_cases() for the cases, "
                   "or pass the path of a case folder.\n")


# --- The grading sandbox -------------------------------------------------------------------------

def test_the_grading_sandbox_reads_every_case(tmp_path):
    """Submissions are graded in a bubblewrap sandbox that mounts policykit's data read-only:
    every case must be readable there, not only the default one."""
    import shutil
    import subprocess
    import sys

    from policykit.grading import _sandbox

    if shutil.which("bwrap") is None:
        pytest.skip("bubblewrap ('bwrap') is not installed: the grading sandbox cannot run here")
    code = ("import policykit\n"
            "for c in policykit.list_cases():\n"
            "    print(c, len(policykit.case(c).table('rollcalls')))\n")
    argv, options = _sandbox.command([sys.executable, "-c", code], scratch=tmp_path)
    result = subprocess.run(argv, capture_output=True, text=True, check=False, **options)
    assert result.returncode == 0, result.stderr[-2000:]
    counts = dict(line.split() for line in result.stdout.splitlines())
    # Case 1: 15 House + 9 Senate roll calls (shared sources' README); case 2: 10 (case 2 README).
    assert list(counts) == policykit.list_cases()
    assert (counts[CASE1], counts[CASE2]) == ("24", "10")
