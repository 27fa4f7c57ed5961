"""A third case is data plus a steps file: build the FICTIONAL fixture case_tiny and run the
library on it without touching library code (issue 11).

``tests/fixtures/case_tiny/`` holds made-up rows (six members "Member A1" ... "Member A6", a
letter signed by A1, A2 and A4, two House roll calls, two statements, one response, three
events; every page on example.org). The generic builder (``datasets/build/build.py``) turns it
into a data package in a temporary folder; the expected values below are counted by hand from
the fixture's CSV files (its README says so), never from the library's output.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import policykit
from policykit import analysis, claims, explore

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "case_tiny"
BUILD = ROOT / "datasets" / "build" / "build.py"
ROLL1, ROLL2 = "h1-107.2001", "h2-107.2001"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    """The fixture built by the generic builder; returns the built case folder."""
    work = tmp_path_factory.mktemp("case_tiny")
    shutil.copytree(FIXTURE, work, dirs_exist_ok=True)
    result = subprocess.run([sys.executable, str(BUILD), "--datasets", str(work / "datasets"),
                             "--sources", str(work / "sources"), "--case", "case_tiny"],
                            capture_output=True, text=True, check=False, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    return work / "datasets" / "case_tiny"


@pytest.fixture(scope="module")
def case(tiny):
    return policykit.case(tiny)


def _raw(name: str) -> list[dict[str, str]]:
    with open(FIXTURE / "sources" / "case_tiny" / f"{name}.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# --- The case and its loaders ---------------------------------------------------------------------

def test_the_case_opens_from_its_folder(case, tiny):
    assert case.id == "case_tiny" and case.data_dir == tiny
    assert "FICTIONAL" in case.title and "FICTIONAL" in case.short_title
    assert case.id not in policykit.list_cases()  # a case outside the package is not shipped
    assert case is policykit.case(str(tiny))
    assert case.chambers == ["House"]


def test_every_table_loads_with_the_fixtures_rows(case):
    assert case.list_datasets() == ["members", "signatories", "rollcalls", "house_votes",
                                    "letter_passages", "statements", "responses", "events",
                                    "sources"]
    for name in case.list_datasets():
        frame = case.load(name)
        if name != "sources":
            assert len(frame) == len(_raw(name)), name
    assert len(case.table("members")) == 6
    assert case.table("signers")["name"].tolist() == ["Member A1", "Member A2", "Member A4"]
    assert len(case.table("votes", chamber="House")) == 12  # 6 members x 2 roll calls
    # Every page cited is one example.org page, labelled fictional.
    sources = case.load("sources")
    assert sources["url"].str.startswith("https://example.org/fictional/").all()
    assert sources["reliability_note"].str.startswith("FICTIONAL").all()
    assert str(case.table("rollcalls")["date"].dtype).startswith("datetime64")


def test_describe_and_cite(case):
    d = case.describe("signatories")
    assert d.title == "Signers of the letter (FICTIONAL)"
    assert d.unit == "Each row represents one signer (FICTIONAL)."
    assert "FICTIONAL test fixture" in str(d)
    assert case.cite().startswith("The policykit authors. policykit: FICTIONAL fixture case")
    assert "FICTIONAL fixture pages on example.org" in case.cite("rollcalls")


def test_the_command_line_reads_the_folder(tiny):
    from contextlib import redirect_stdout
    from io import StringIO

    from policykit.cli import main

    out = StringIO()
    with redirect_stdout(out):
        status = main(["export", "signatories", "--case", str(tiny), "--format", "json"])
    assert status == 0
    assert [r["name"] for r in json.loads(out.getvalue())] == ["Member A1", "Member A2",
                                                               "Member A4"]


def test_frictionless_validates_the_built_fixture(tiny):
    frictionless = pytest.importorskip("frictionless", reason="validates the built package")
    report = frictionless.validate(tiny / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


# --- Analysis -------------------------------------------------------------------------------------

def test_tally_and_recorded_totals(case):
    # Roll 1: A1, A2, A3 Yea; A4, A5 Nay; A6 Not Voting.
    assert analysis.tally(ROLL1, case=case).to_dict() == {
        "Yea": 3, "Nay": 2, "Present": 0, "Not Voting": 1}
    # Roll 2: A2, A3, A4, A6 Yea; A1 Nay; A5 Present.
    assert analysis.tally(ROLL2, case=case).to_dict() == {
        "Yea": 4, "Nay": 1, "Present": 1, "Not Voting": 0}
    assert analysis.recorded_tally(ROLL1, case=case).to_dict() == {
        "Yea": 3, "Nay": 2, "Present": 0, "Not Voting": 1}


def test_party_breakdown(case):
    table = analysis.party_breakdown(ROLL1, case=case)
    counts = {group: {k: int(v) for k, v in row.items() if v}
              for group, row in table.drop(columns="total").iterrows()}
    assert counts == {"Democrats": {"Yea": 3}, "Republicans": {"Nay": 2},
                      "Independents": {"Not Voting": 1}}


def test_signer_grid(case):
    grid = analysis.signer_grid(case=case)
    assert grid["name"].tolist() == ["Member A1", "Member A2", "Member A4"]
    assert grid[ROLL1].tolist() == ["Yea", "Yea", "Nay"]
    assert grid[ROLL2].tolist() == ["Nay", "Yea", "Yea"]


def test_timeline(case):
    t = analysis.timeline(case=case)
    assert t["kind"].value_counts().to_dict() == {"event": 3, "roll call": 2, "statement": 2,
                                                  "response": 1}
    assert t["date"].min().date().isoformat() == "2001-02-20"  # the letter is sent
    assert t["date"].is_monotonic_increasing


# --- Claims ---------------------------------------------------------------------------------------

def test_vote_totals(case):
    assert claims.vote_totals(ROLL1, yea=3, nay=2, case=case).verdict == "supported"
    assert claims.vote_totals(ROLL1, yea=4, nay=1, case=case).verdict == "contradicted"


def test_signers_voted(case):
    # Two of the three signers (A1, A2) voted Yea on roll 1; A4 voted Nay.
    assert claims.signers_voted(ROLL1, "Yea", count=2, case=case).verdict == "supported"
    assert claims.signers_voted(ROLL1, "Yea", count=3, case=case).verdict == "contradicted"
    assert claims.signers_voted(ROLL1, "Nay", count=1, case=case).verdict == "supported"


def test_signer_count_and_event_date(case):
    assert claims.signer_count(3, case=case).verdict == "supported"
    assert claims.signer_count(4, case=case).verdict == "contradicted"
    assert claims.event_date("letter_sent", "2001-02-20", case=case).verdict == "supported"
    assert claims.event_date("letter_sent", "2001-02-21", case=case).verdict == "contradicted"


# --- Every explorer -------------------------------------------------------------------------------

def _summary(ex) -> str:
    return getattr(ex.summary, "value", ex.summary)


def test_positions_explorer(case):
    ex = explore.positions(ROLL1, case=case)
    try:
        text = _summary(ex)
        assert "All 6 members" in text and "3 Yea, 2 Nay, 0 Present, 1 Not Voting" in text
        assert "FICTIONAL fixture: its made-up members have no scores." in text
        assert len(ex.figure.data) > 0
    finally:
        ex.close()


def test_words_vs_votes_explorer(case):
    ex = explore.words_vs_votes(case=case)
    try:
        assert "3 signers × 2 House roll calls" in _summary(ex)
        assert "4 Yea, 2 Nay, 0 Present, 0 Not Voting" in _summary(ex)
    finally:
        ex.close()


def test_timeline_explorer(case):
    ex = explore.timeline(case=case)
    try:
        text = _summary(ex)
        assert "8 of 8 items" in text
        assert "20 Feb 2001 to 15 Mar 2001" in text
    finally:
        ex.close()


def test_letter_explorer(case):
    ex = explore.letter("review", case=case)
    try:
        # 'review' is in both passages and in the clarification, not in the withdrawal.
        text = _summary(ex)
        assert "2 of 2" in text and "1 of 1 clarification" in text
        assert "0 of 1 withdrawal" in text
    finally:
        ex.close()
