"""Case 2 (gop_letters_2023) against independent facts: the public record and the sources' notes.

Expected values come from the official roll-call records' printed totals (as the sources'
README and rollcalls.csv `result` text give them), from ../shared/sources/case2/README.md
(signer counts, the key-results table, the traps) and from the raw files themselves, never from
the build's output. The shipped CSV files are read as text so the facts are checked as shipped.
Building reproduces the committed bytes (tests/test_build.py, parametrized over every case) and
Frictionless validates the package (tests/test_package.py, every case).
"""

from __future__ import annotations

import csv
import json
import re
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

import policykit
from policykit.analysis import contrast, party_breakdown

CASE = "gop_letters_2023"
FOLDER = Path(__file__).resolve().parent.parent / "datasets" / CASE
LETTER_B = "2023-04-20_lee_crane_to_biden"  # Lee and Crane to President Biden, 19 signers
LETTER_A = "2023-09-21_vance_roy_to_omb"  # Vance and Roy to OMB Director Young, 29 reported

# Totals printed in the official records (Yea, Nay, Present, Not Voting): the House Clerk's and
# the Senate's roll-call XML, as README.md ("Key results") and the `result` text give them.
RECORD_TOTALS = {
    "h503-118.2023": (311, 117, 0, 5),    # H.R. 5692, $300M USAI
    "h142-118.2024": (316, 94, 0, 21),    # rule H.Res. 1160
    "h151-118.2024": (311, 112, 1, 7),    # H.R. 8035 Ukraine
    "h152-118.2024": (366, 58, 0, 7),     # H.R. 8034 Israel
    "h146-118.2024": (385, 34, 1, 11),    # H.R. 8036 Indo-Pacific
    "h145-118.2024": (360, 58, 0, 13),    # H.R. 8038
    "s332-118.2023": (49, 51, 0, 0),      # cloture on the motion to proceed, rejected 49-51
    "s48-118.2024": (70, 29, 0, 1),       # Senate passage 70-29
    "s152-118.2024": (80, 19, 0, 1),      # cloture 80-19
    "s154-118.2024": (79, 18, 0, 3),      # final concurrence 79-18
}
POSITIONS = ("Yea", "Nay", "Present", "Not Voting")


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@cache
def table(name: str) -> list[dict[str, str]]:
    return _read(FOLDER / f"{name}.csv")


@cache
def votes() -> list[dict[str, str]]:
    return table("house_votes") + table("senate_votes")


def by_name(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {r["name"]: r for r in rows}


def signers_of(letter_id: str) -> set[str]:
    return {s["bioguide_id"] for s in table("signatures") if s["letter_id"] == letter_id}


def positions(vote_key: str, members: set[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in votes():
        if v["vote_key"] == vote_key and v["bioguide_id"] in members:
            out[v["position"]] = out.get(v["position"], 0) + 1
    return out


def position_of(vote_key: str, bioguide_id: str) -> str:
    hits = [v["position"] for v in votes()
            if v["vote_key"] == vote_key and v["bioguide_id"] == bioguide_id]
    assert len(hits) == 1, (vote_key, bioguide_id, hits)
    return hits[0]


def bioguide(name_part: str) -> str:
    hits = [m["bioguide_id"] for m in table("members") if name_part in m["name"]]
    assert len(hits) == 1, (name_part, hits)
    return hits[0]


# --- Roll calls: record totals and party splits -------------------------------------------------

@pytest.mark.parametrize("vote_key", sorted(RECORD_TOTALS))
def test_member_positions_add_up_to_the_record_totals(vote_key):
    rc = {r["vote_key"]: r for r in table("rollcalls")}[vote_key]
    expected = RECORD_TOTALS[vote_key]
    assert tuple(int(rc[k]) for k in ("yea", "nay", "present", "not_voting")) == expected
    counted = positions(vote_key, {v["bioguide_id"] for v in votes()})
    assert tuple(counted.get(p, 0) for p in POSITIONS) == expected


@pytest.mark.parametrize("vote_key", sorted(RECORD_TOTALS))
def test_party_splits_add_up_to_member_positions(vote_key):
    rc = {r["vote_key"]: r for r in table("rollcalls")}[vote_key]
    for party, prefix in (("D", "dem"), ("R", "rep"), ("I", "ind")):
        for pos, suffix in zip(POSITIONS, ("yea", "nay", "present", "not_voting"), strict=True):
            got = sum(1 for v in votes() if v["vote_key"] == vote_key and v["party"] == party
                      and v["position"] == pos)
            assert got == int(rc[f"{prefix}_{suffix}"] or 0), (party, pos)


def test_ten_rollcalls_six_house_four_senate():
    rc = table("rollcalls")
    assert sorted(r["vote_key"] for r in rc) == sorted(RECORD_TOTALS)
    assert sorted(r["chamber"] for r in rc).count("House") == 6


def test_party_facts_reported_with_the_votes():
    rc = {r["vote_key"]: r for r in table("rollcalls")}
    # README: on H.R. 8035 "The record shows 101 Yea, 112 Nay, 1 Present and 4 Not Voting"
    # among Republicans; The Fiscal Times: 210 Democrats for.
    h151 = rc["h151-118.2024"]
    assert [int(h151[f"rep_{s}"]) for s in ("yea", "nay", "present", "not_voting")] == \
        [101, 112, 1, 4]
    assert (int(h151["dem_yea"]), int(h151["dem_nay"])) == (210, 0)
    # Epoch Times: 22 Republicans for the Senate bill of 13 Feb 2024.
    assert int(rc["s48-118.2024"]["rep_yea"]) == 22
    # README: "On Senate roll 332 (2023-12-06), all 49 Republicans voted Nay on cloture".
    assert (int(rc["s332-118.2023"]["rep_nay"]), int(rc["s332-118.2023"]["rep_yea"])) == (49, 0)
    # News: every No vote on H.R. 5692 and H.R. 8036 was Republican; 37 D and 21 R against
    # H.R. 8034.
    for key in ("h503-118.2023", "h146-118.2024"):
        assert int(rc[key]["rep_nay"]) == int(rc[key]["nay"])
    assert (int(rc["h152-118.2024"]["dem_nay"]), int(rc["h152-118.2024"]["rep_nay"])) == (37, 21)


def test_meuser_is_the_one_present_vote_on_the_ukraine_bill():
    # icloud.info list (rollcalls.csv news corroboration): "Meuser present".
    present = [v["bioguide_id"] for v in table("house_votes")
               if v["vote_key"] == "h151-118.2024" and v["position"] == "Present"]
    assert present == [bioguide("Meuser")]


# --- The letters and their signers ---------------------------------------------------------------

def test_letter_b_nineteen_named_three_senators_sixteen_house():
    letter = {r["letter_id"]: r for r in table("letters")}[LETTER_B]
    assert (letter["signers_reported"], letter["signers_named"], letter["signers_missing"]) == \
        ("19", "19", "0")
    assert (letter["signers_named_senate"], letter["signers_named_house"]) == ("3", "16")
    assert letter["list_complete"] == "true"
    sigs = [s for s in table("signatures") if s["letter_id"] == LETTER_B]
    assert sorted(s["chamber"] for s in sigs).count("Senate") == 3 and len(sigs) == 19
    senators = {s["name"] for s in sigs if s["chamber"] == "Senate"}
    assert senators == {"Mike Lee", "J.D. Vance", "Rand Paul"}


def test_letter_a_twenty_nine_reported_fifteen_named_fourteen_missing():
    letter = {r["letter_id"]: r for r in table("letters")}[LETTER_A]
    assert (letter["signers_reported"], letter["signers_reported_senate"],
            letter["signers_reported_house"]) == ("29", "6", "23")
    assert (letter["signers_named"], letter["signers_named_senate"],
            letter["signers_named_house"]) == ("15", "6", "9")
    assert letter["signers_missing"] == "14"
    assert letter["list_complete"] == "false"
    assert len(signers_of(LETTER_A)) == 15


def test_twenty_seven_distinct_signers_seven_on_both():
    s = table("signatories")
    assert len(s) == 27
    both = {r["name"].split()[-1] for r in s if r["signed_both"] == "true"}
    assert both == {"Vance", "Lee", "Paul", "Biggs", "Gosar", "Bishop", "Luna"}
    assert signers_of(LETTER_A) & signers_of(LETTER_B) == {
        r["bioguide_id"] for r in s if r["signed_both"] == "true"}


def test_leads_of_each_letter():
    sigs = table("signatures")
    leads = {(s["letter_id"], s["name"]) for s in sigs if s["role"] == "lead"}
    assert leads == {(LETTER_B, "Mike Lee"), (LETTER_B, "Elijah Crane"),
                     (LETTER_A, "J.D. Vance"), (LETTER_A, "Chip Roy")}
    # README: "Sen. Lee signed but did not lead it".
    lee_a = [s for s in sigs if s["letter_id"] == LETTER_A and s["name"] == "Mike Lee"]
    assert [s["role"] for s in lee_a] == ["signer"]
    lead_flag = {r["name"] for r in table("signatories") if r["lead_signer"] == "true"}
    assert lead_flag == {"Mike Lee", "Elijah Crane", "J.D. Vance", "Chip Roy"}


def test_record_name_is_the_house_clerks_name_as_printed(shared_sources):
    # The raw votes.csv copies the Clerk's XML <legislator> text as `record_name`; every House
    # signer must carry it unchanged (the sources' last_name stays as the sources give it).
    raw = _read(shared_sources / "case2" / "votes.csv")
    printed: dict[str, set[str]] = {}
    for v in raw:
        if v["chamber"] == "House":
            printed.setdefault(v["bioguide_id"], set()).add(v["record_name"])
    house = [s for s in table("signatories") if s["chamber"] == "House"]
    assert len(house) == 21
    for s in house:
        assert {s["record_name"]} == printed[s["bioguide_id"]], s["name"]
    luna = by_name(table("signatories"))["Anna Paulina Luna"]
    assert (luna["last_name"], luna["record_name"]) == ("Paulina Luna", "Luna")
    # The Senate prints 'Lee (R-UT)'; the table keeps the surname before the party and state.
    senate = {s["name"]: s["record_name"] for s in table("signatories")
              if s["chamber"] == "Senate"}
    assert senate["Mike Lee"] == "Lee" and senate["Tommy Tuberville"] == "Tuberville"
    assert len(senate) == 6


def test_single_source_names_are_flagged():
    # README: Mike Collins is named only by the official release and its re-post; "5 of the
    # 15 rest on one source" on letter A.
    sigs = table("signatures")
    single_b = {s["name"] for s in sigs if s["letter_id"] == LETTER_B
                and s["single_source"] == "true"}
    assert single_b == {"Mike Collins"}
    single_a = {s["name"].split()[-1] for s in sigs if s["letter_id"] == LETTER_A
                and s["single_source"] == "true"}
    assert len(single_a) == 5
    assert single_a == {"Marshall", "Higgins", "Bishop", "Posey", "Steube"}
    s = by_name(table("signatories"))
    assert s["Mike Collins"]["corroboration"] == "single"
    assert s["Dan Bishop"]["single_source_letters"] == LETTER_A  # named widely on letter B


def test_unnamed_signers_are_unknown_never_guessed(shared_sources):
    members = table("members")
    named_a = signers_of(LETTER_A)
    unknown = {m["bioguide_id"] for m in members if m["signed_2023_09_21"] == "unknown"}
    house = {m["bioguide_id"] for m in members if m["chamber"] == "House"}
    assert unknown == house - named_a  # every House member not named stays unknown
    assert not {m["bioguide_id"] for m in members if m["signed_2023_09_21"] == "yes"} - named_a
    # All six senators are named, so no senator is unknown.
    assert all(m["signed_2023_09_21"] != "unknown" for m in members if m["chamber"] == "Senate")
    # letter.json: TPM's remark that the hard-right bloc was "largely missing" "does not prove
    # Perry did not sign": he stays unknown, not "no".
    perry = {m["name"]: m for m in members}["Scott Perry"]
    assert perry["signed_2023_09_21"] == "unknown"
    assert "14 of the 23 House signers" in {r["letter_id"]: r for r in
                                            table("letters")}[LETTER_A]["list_note"]
    raw = json.loads((shared_sources / "case2" / "letter.json").read_text(encoding="utf-8"))
    assert {L["id"]: L["signers_not_identified"] for L in raw["letters"]
            if "signers_not_identified" in L} == {LETTER_A: "14 of the 23 House signers"}


def test_signer_counts_of_twenty_eight_are_kept_as_outliers():
    reports = [r for r in table("signer_count_reports") if r["letter_id"] == LETTER_A]
    accepted = [r["reported"] for r in reports if r["accepted"] == "true"]
    assert accepted == ["29"]
    outliers = {r["reported"] for r in reports if r["accepted"] == "false"}
    assert outliers == {"28", "Nearly two dozen"}
    sources = {s["source_id"]: s["url"] for s in table("sources")}
    twenty_eight = next(r for r in reports if r["reported"] == "28")
    urls = [sources[i] for i in twenty_eight["sources"].split(";")]
    assert any("antiwar.com" in u for u in urls)


# --- Key results (README table, from signatory_votes.csv) ---------------------------------------

KEY_RESULTS = [
    # vote_key, letter, expected counts
    ("h503-118.2023", LETTER_B, {"Nay": 15, "Not Voting": 1}),
    ("h503-118.2023", LETTER_A, {"Nay": 8, "Not Voting": 1}),
    ("h151-118.2024", LETTER_B, {"Nay": 16}),
    ("h151-118.2024", LETTER_A, {"Nay": 9}),
    ("h152-118.2024", LETTER_B, {"Nay": 9, "Yea": 7}),
    ("h152-118.2024", LETTER_A, {"Nay": 3, "Yea": 6}),
    ("s48-118.2024", LETTER_B, {"Nay": 3}),
    ("s48-118.2024", LETTER_A, {"Nay": 6}),
    ("s152-118.2024", LETTER_B, {"Nay": 2, "Not Voting": 1}),
    ("s152-118.2024", LETTER_A, {"Nay": 5, "Not Voting": 1}),
    ("s154-118.2024", LETTER_B, {"Nay": 2, "Not Voting": 1}),
    ("s154-118.2024", LETTER_A, {"Nay": 4, "Not Voting": 2}),
]


@pytest.mark.parametrize(("vote_key", "letter", "expected"), KEY_RESULTS)
def test_key_results_table(vote_key, letter, expected):
    assert positions(vote_key, signers_of(letter)) == expected


def test_absences_in_the_key_results_are_the_named_members():
    assert position_of("h503-118.2023", bioguide("Anna Paulina Luna")) == "Not Voting"
    paul, tuberville = bioguide("Rand Paul"), bioguide("Tuberville")
    for key in ("s152-118.2024", "s154-118.2024"):  # both votes of 23 April 2024
        assert position_of(key, paul) == "Not Voting"
    assert position_of("s152-118.2024", tuberville) == "Nay"
    assert position_of("s154-118.2024", tuberville) == "Not Voting"
    # Tim Scott (not a signer) was also absent on roll 154.
    assert position_of("s154-118.2024", bioguide("Tim Scott")) == "Not Voting"


def test_pauls_absence_reason_with_its_source_and_date_confidence():
    notes = [n for n in table("vote_notes") if n["bioguide_id"] == bioguide("Rand Paul")]
    assert sorted(n["vote_key"] for n in notes) == ["s152-118.2024", "s154-118.2024"]
    sources = {s["source_id"]: s for s in table("sources")}
    for n in notes:
        assert n["reason_found"] == "true" and "father-in-law" in n["note"]
        assert (n["date"], n["date_confidence"]) == ("2024-04-30", "inferred")
        hosts = {sources[i]["url"].split("/")[2] for i in n["sources"].split(";")}
        assert hosts == {"cc.bingj.com", "www.arcamax.com"}  # Herald-Leader cache; McClatchy
        assert "would not explain" in n["note"]


def test_tuberville_has_no_reason_found():
    notes = [n for n in table("vote_notes") if n["bioguide_id"] == bioguide("Tuberville")]
    assert [(n["vote_key"], n["reason_found"]) for n in notes] == [("s154-118.2024", "false")]
    assert "No reason" in notes[0]["note"]


def test_lamalfa_voted_yea_on_hr_5692_whatever_the_scorecard_says():
    lamalfa = bioguide("LaMalfa")
    assert position_of("h503-118.2023", lamalfa) == "Yea"
    rows = [d for d in table("discrepancies") if d["bioguide_id"] == lamalfa]
    assert [d["topic"] for d in rows] == ["vote_position"]
    assert "NAY" in rows[0]["claim"] and "Yea" in rows[0]["what_the_record_shows"]


def test_speaker_johnson_voted_nay_in_2023_and_yea_in_2024():
    # responses.csv note: "Johnson voted ... Nay on H.R. 5692 (2023), Yea on H.R. 8035 (2024)".
    johnson = bioguide("Mike Johnson")
    assert position_of("h503-118.2023", johnson) == "Nay"
    assert position_of("h151-118.2024", johnson) == "Yea"


def test_nays_for_other_reasons_on_the_final_vote():
    # README: "Sanders, Merkley and Welch voted Nay on roll 154. Sanders said his reason was
    # Israel aid."
    for name in ("Bernard Sanders", "Jeff Merkley", "Peter Welch"):
        assert position_of("s154-118.2024", bioguide(name)) == "Nay"
    notes = {n["name"]: n for n in table("vote_notes") if n["vote_key"] == "s154-118.2024"}
    assert notes["Bernard Sanders"]["topic"] == "other_reason"
    assert notes["Jeff Merkley"]["reason_found"] == "false"


# --- Traps kept as data ---------------------------------------------------------------------------

def test_vehicle_bill_and_no_house_vote_on_hr_815():
    rc = table("rollcalls")
    hr815 = [r for r in rc if r["bill"] == "H.R. 815"]
    assert {r["chamber"] for r in hr815} == {"Senate"}  # no House vote on H.R. 815 itself
    assert len(hr815) == 4
    for r in hr815:
        assert r["vehicle_bill"] == "true"
        assert r["title_in_record"].startswith("A bill to amend title 38")
        assert "Veterans Community Care" in r["title_in_record"]
        assert "H.R. 815" in r["display_title"]
    assert all(r["vehicle_bill"] == "false" for r in rc if r["bill"] != "H.R. 815")


def test_ballotpedia_calls_the_rule_vote_passage():
    rule = {r["vote_key"]: r for r in table("rollcalls")}["h142-118.2024"]
    assert rule["tier"] == "procedural" and rule["bill"] == "H.Res. 1160"
    rows = [d for d in table("discrepancies") if d["subject_key"] == "h142-118.2024"]
    assert len(rows) == 1 and "the House approved the bill" in rows[0]["claim"]
    sources = {s["source_id"]: s for s in table("sources")}
    assert "Ballotpedia" in sources[rows[0]["claim_sources"]]["publisher"]
    desc = json.loads((FOLDER / "datapackage.json").read_text(encoding="utf-8"))
    caveats = next(r for r in desc["resources"] if r["name"] == "rollcalls")["caveats"]
    assert any("Ballotpedia" in c for c in caveats)


def test_public_law_left_blank_and_signing_date_kept():
    rc = {r["vote_key"]: r for r in table("rollcalls")}
    assert all(r["public_law"] == "" for r in rc.values())
    assert rc["s154-118.2024"]["signed"] == "2024-04-24"
    assert rc["s154-118.2024"]["question"].startswith("On the Motion (Motion to Concur")


def test_hr_5692_dated_as_the_clerk_records_it():
    h503 = {r["vote_key"]: r for r in table("rollcalls")}["h503-118.2023"]
    assert (h503["date"], h503["time_local"]) == ("2023-09-28", "23:00")
    assert h503["tier"] == "first_vote_after_letter"
    topics = {d["topic"]: d for d in table("discrepancies") if d["subject_key"] == h503[
        "vote_key"] and d["topic"] == "vote_date"}
    assert "September 29" in topics["vote_date"]["claim"]


def test_tiers_are_the_sources_and_each_is_described(shared_sources):
    raw = _read(shared_sources / "case2" / "rollcalls.csv")
    rc = {r["vote_key"]: r["tier"] for r in table("rollcalls")}
    assert rc == {r["vote_key"]: r["tier"] for r in raw}
    case = json.loads((FOLDER / "case.json").read_text(encoding="utf-8"))
    assert set(case["tiers"]) == set(rc.values())
    assert rc["h151-118.2024"] == rc["s154-118.2024"] == "core"


# --- Quotes ---------------------------------------------------------------------------------------

def test_responses_are_copied_exactly(shared_sources):
    raw = _read(shared_sources / "case2" / "responses.csv")
    curated = table("responses")
    assert len(curated) == len(raw) == 26
    assert {(r["speaker"], r["quote"]) for r in raw} == \
        {(r["speaker"], r["quote"]) for r in curated}


def test_letter_passages_are_copied_exactly_with_variants(shared_sources):
    raw = json.loads((shared_sources / "case2" / "letter.json").read_text(encoding="utf-8"))
    passages = table("letter_passages")
    by_text = {p["text"]: p for p in passages}
    for L in raw["letters"]:
        for q in L["exact_quotes"]:
            assert q["text"] in by_text, q["text"][:50]
            assert by_text[q["text"]]["letter_id"] == L["id"]
    # Both spellings kept where copies differ.
    notes = " ".join(p["variant_note"] for p in passages)
    for variant in ("six months ago", "forthcoming — we", "Unrestrained US aid"):
        assert variant in notes
    assert any(p["variant_sources"] for p in passages if "six months ago" in p["variant_note"])
    # The pledge sentences are the key sentences, one per letter.
    keys = {p["letter_id"]: p["text"] for p in passages if p["key_sentence"] == "true"}
    assert "we will adamantly oppose all future aid packages unless" in keys[LETTER_B]
    assert "certainly until we receive answers" in keys[LETTER_A]


def test_accompanying_post_is_the_vance_response(shared_sources):
    raw = json.loads((shared_sources / "case2" / "letter.json").read_text(encoding="utf-8"))
    letter_a = next(L for L in raw["letters"] if L["id"] == LETTER_A)
    quotes = {r["quote"] for r in table("responses") if r["speaker"] == "J.D. Vance"}
    assert letter_a["accompanying_statement"]["text"] in quotes


def test_draft_closing_sentence_was_unconditional():
    drafts = table("letter_drafts")
    passages = {p["passage_id"]: p["text"] for p in table("letter_passages")}
    closing = next(d for d in drafts if d["text"].startswith("For these reasons, and others"))
    assert closing["quoted_by"] == "Sputnik"
    assert "certainly until we receive answers" in passages[closing["released_passage_id"]]
    assert "Inference" in closing["comparison_note"]


UNRELIABLE_HOSTS = {"northcolumbusnews.com", "nightlynewslink.com", "totalnews.com",
                    "secularnewsdaily.com"}


def test_misattributing_and_garbled_copies_are_labelled_and_never_quoted():
    sources = {s["source_id"]: s for s in table("sources")}
    labelled = {s["url"].split("/")[2] for s in sources.values()
                if "UNRELIABLE" in s["reliability_note"]}
    assert labelled >= UNRELIABLE_HOSTS
    for name in ("letter_passages", "letter_drafts", "responses"):
        for row in table(name):
            hosts = {sources[i]["url"].split("/")[2] for i in row["sources"].split(";")}
            assert not hosts & UNRELIABLE_HOSTS, (name, row["sources"])
    # The sentence northcolumbusnews.com attributes to Vance rests on the blog copy alone.
    misattributed = next(p for p in table("letter_passages")
                         if p["text"].startswith("These statements imply"))
    assert misattributed["single_source"] == "true"


def test_every_source_id_resolves():
    ids = {s["source_id"] for s in table("sources")}
    assert len(ids) == len(table("sources"))
    for path in sorted(FOLDER.glob("*.csv")):
        for row in _read(path):
            for col in ("sources", "variant_sources", "claim_sources"):
                if row.get(col):
                    missing = set(row[col].split(";")) - ids
                    assert not missing, (path.name, col, missing)
    assert all(r["sources"] for name in ("members", "signatories", "letters", "rollcalls",
                                         "house_votes", "senate_votes", "responses", "events")
               for r in table(name))


def test_responses_voices_as_the_sources_count_them():
    # README: administration (7), Democrats (4), an independent who voted Nay for other
    # reasons (1), pro-aid Republicans (3), signers and their offices (7), Ukraine (4).
    counts: dict[str, int] = {}
    for r in table("responses"):
        counts[r["actor_type"]] = counts.get(r["actor_type"], 0) + 1
    assert counts == {"administration": 7, "democrat": 4, "other_nay": 1,
                      "republican_pro_aid": 3, "signatory": 7, "foreign_government": 4}
    gosar = next(r for r in table("responses") if r["speaker"] == "Paul A. Gosar")
    assert gosar["date"] == "" and gosar["date_confidence"] == "uncertain"
    assert gosar["date_note"].startswith("2023-10")


def test_events_have_stable_keys_and_the_named_ones_resolve():
    events = table("events")
    assert len(events) == 17
    keys = [e["event_key"] for e in events]
    assert len(set(keys)) == 17 and all(keys)
    by_key = {e["event_key"]: e for e in events}
    assert by_key["letter_b_sent"]["date"] == "2023-04-20"
    assert by_key["letter_a_sent"]["date"] == "2023-09-21"
    assert by_key["signed_into_law"]["date"] == "2024-04-24"
    case = json.loads((FOLDER / "case.json").read_text(encoding="utf-8"))
    assert set(case["events"].values()) <= set(keys)


# --- The case as the library reads it -------------------------------------------------------------

def test_roles_and_the_missing_scores():
    c = policykit.case(CASE)
    members = c.role("members")
    assert members["score"] is None and "118th Congress" in members["no_score_reason"]
    assert "nominate_dim1" not in c.table("members").columns
    assert c.role("votes")["Senate"]["member_key"] == "bioguide_id"
    assert len(c.table("signers")) == 27
    assert set(c.config["claims"]["packages"]) <= set(c.table("rollcalls")["vote_key"])


def test_condition_evidence_quotes_the_readme_exactly(shared_sources):
    readme = " ".join((shared_sources / "case2" / "README.md").read_text(
        encoding="utf-8").split())
    rows = {r["speaker"]: r for r in table("condition_evidence")}
    assert f'"{rows["Mike Johnson"]["quote"]}"' in readme
    assert f'"{rows["McCaul and Rogers (joint statement)"]["quote"]}"' in readme
    state = next(r for s, r in rows.items() if s.startswith("U.S. Department of State"))
    response = {r["response_id"]: r for r in table("responses")}[state["response_id"]]
    assert response["quote"] == state["quote"] and state["date"] == "2024-02-02"
    assert all("judgement for students, not a fact" in r["judgement_note"]
               for r in rows.values())
    keys = {p["passage_id"] for p in table("letter_passages") if p["key_sentence"] == "true"}
    assert {r["condition_passage_id"] for r in rows.values()} == keys


def test_the_pledge_claim_reads_the_conditional_sentence():
    # README: letter B's pledge "we will adamantly oppose all future aid packages unless they
    # are linked to a clear diplomatic strategy designed to bring this war to a rapid
    # conclusion." Its signers all voted Nay or did not vote (Luna, Paul) on the four
    # Ukraine votes (key-results table).
    check = policykit.claims.every_package(case=CASE)
    assert check.verdict == "supported"
    assert "unless they are linked to a clear diplomatic strategy" in check.explanation
    absent = set(check.evidence["not_voting_names"])
    assert absent == {"", "Anna Paulina Luna", "Rand Paul"}
    assert check.evidence["yea"].sum() == 0


def test_cross_checks_and_news_corroboration_as_the_readme_says():
    # README: "a second, independent scrape of the same records has identical Nay, Not Voting
    # and Present lists for House rolls 151 and 503 and Senate roll 154"; "every headline
    # total but one (Senate roll 332, checked against the record only) matches at least one
    # news report".
    rc = table("rollcalls")
    assert {r["vote_key"] for r in rc if r["cross_check"]} == {
        "h151-118.2024", "h503-118.2023", "s154-118.2024"}
    kinds = {s["source_id"]: s["kind"] for s in table("sources")}
    reported = {r["vote_key"] for r in rc
                if any(kinds[i] in {"news", "re_post", "commentary"}
                       and not i.startswith("github-") for i in r["sources"].split(";"))}
    assert set(RECORD_TOTALS) - reported == {"s332-118.2023"}


def test_a_date_resting_on_one_reposted_copy_is_flagged():
    sources = {s["source_id"]: s for s in table("sources")}
    for r in table("responses"):
        ids = r["sources"].split(";")
        if r["date_confidence"] == "confirmed":
            assert len(ids) > 1 or not sources[ids[0]]["provenance"].startswith("re_post"), r
    # The State Department's reply of 2024-02-02 survives in one aggregator copy only.
    state = next(r for r in table("responses") if r["speaker"].startswith("U.S. Department"))
    assert state["date_confidence"] == "single_copy"


# --- The build refuses sources that disagree with themselves --------------------------------

def _build_with(tmp_path, shared_sources, edit):
    """Build case 2 from a copy of its raw files changed by ``edit``; return the error text."""
    import importlib.util
    import shutil
    import sys

    if "buildkit" not in sys.modules:  # the name steps files import (as tests/test_build.py)
        spec = importlib.util.spec_from_file_location(
            "buildkit", FOLDER.parent / "build" / "buildkit.py")
        sys.modules["buildkit"] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules["buildkit"])
    buildkit = sys.modules["buildkit"]
    shutil.copytree(shared_sources / "case2", tmp_path / "case2")
    edit(tmp_path / "case2")
    with pytest.raises(buildkit.BuildError) as err:
        buildkit.build_case(FOLDER, tmp_path)
    return str(err.value)


def _rewrite(path: Path, change) -> None:
    rows = _read(path)
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def test_build_fails_when_a_member_position_breaks_the_record_totals(tmp_path, shared_sources):
    def flip(rows):
        row = next(r for r in rows if r["vote_key"] == "h151-118.2024"
                   and r["position"] == "Nay")
        row["position"] = "Yea"

    message = _build_with(tmp_path, shared_sources,
                          lambda d: _rewrite(d / "votes.csv", flip))
    assert "h151-118.2024" in message and "the record's total is" in message


def test_build_fails_when_a_party_split_is_wrong(tmp_path, shared_sources):
    def split(rows):
        row = next(r for r in rows if r["vote_key"] == "s154-118.2024")
        row["rep_nay"], row["dem_nay"] = str(int(row["rep_nay"]) + 1), str(
            int(row["dem_nay"]) - 1)

    message = _build_with(tmp_path, shared_sources,
                          lambda d: _rewrite(d / "rollcalls.csv", split))
    assert "s154-118.2024" in message and "party split" in message


def test_build_fails_when_the_signers_summary_disagrees(tmp_path, shared_sources):
    def tuberville_voted(rows):
        row = next(r for r in rows if r["name_full"] == "Tommy Tuberville")
        row["senate_2024-04-23_roll154_HR815_FINAL_concur"] = "Nay"

    message = _build_with(tmp_path, shared_sources,
                          lambda d: _rewrite(d / "signatory_votes.csv", tuberville_voted))
    assert "Tommy Tuberville" in message and "s154-118.2024" in message


# --- Field by field against the raw files (read here, independently of steps.py) ----------------
#
# Each shipped row is compared with the raw row it comes from in ../shared/sources/case2. Source
# ids are resolved to URLs through the shipped `sources` table and compared with the raw URLs.


def raw_csv(shared_sources: Path, name: str) -> list[dict[str, str]]:
    return _read(shared_sources / "case2" / name)


def raw_letters(shared_sources: Path) -> dict[str, dict]:
    letter_json = json.loads((shared_sources / "case2" / "letter.json").read_text(
        encoding="utf-8"))
    return {L["id"]: L for L in letter_json["letters"]}


def urls_of(ids: str) -> list[str]:
    url = {s["source_id"]: s["url"] for s in table("sources")}
    return [url[i] for i in ids.split(";")] if ids else []


def split(text: str) -> list[str]:
    return [u for u in text.split(";") if u]


def host(url: str) -> str:
    return url.split("/")[2].removeprefix("www.")


def never_quote_hosts(shared_sources: Path) -> set[str]:
    """The hosts of the README's 'Misattribution and garbling' list ('Never quote these copies')."""
    readme = (shared_sources / "case2" / "README.md").read_text(encoding="utf-8")
    block = readme.split("**Misattribution and garbling.**")[1].split(
        "Never quote these copies.")[0]
    return set(re.findall(r"^- ([a-z0-9.-]+\.[a-z]+) ", block, flags=re.MULTILINE))


def github_url(ref: str) -> str:
    """'github:owner/repo@sha:path (note)' as a GitHub URL (the raw files' own notation)."""
    body = ref.split(" (")[0].removeprefix("github:")
    repo, _, rest = body.partition("@")
    if not rest:
        return f"https://github.com/{repo}"
    sha, _, path = rest.partition(":")
    return f"https://github.com/{repo}/blob/{sha}/{path}"


def test_the_never_quote_list_is_read_from_the_readme(shared_sources):
    assert never_quote_hosts(shared_sources) == UNRELIABLE_HOSTS


def test_signatures_are_the_raw_signer_rows_field_by_field(shared_sources):
    raw = raw_csv(shared_sources, "signatories.csv")
    built = {(s["letter_id"], s["bioguide_id"]): s for s in table("signatures")}
    assert len(raw) == len(built) == 34
    for r in raw:
        s = built[(r["letter_id"], r["bioguide_id"])]
        assert s["name"] == r["name_full"] and s["chamber"] == r["chamber"], r["name_full"]
        assert s["role"] == ("lead" if r["role"].startswith("lead") else "signer"), r["name_full"]
        if r["role"].startswith("lead"):
            assert r["role"] == f"lead ({r['chamber']})"
        assert s["independent_sources"] == r["independent_sources"]
        assert s["single_source"] == str(r["single_source_flag"].startswith("Y")).lower()
        assert s["notes"] == r["notes"]
        assert urls_of(s["sources"]) == split(r["sources"]), r["name_full"]


def test_leads_match_the_letters_own_lead_lines(shared_sources):
    # letter.json names the leads as 'Sen. Mike Lee (R-UT)' / 'Rep. Chip Roy (R-TX-21)'.
    signers = {(s["letter_id"], s["role"]): [] for s in table("signatures")}
    for s in table("signatures"):
        signers[(s["letter_id"], s["role"])].append(s["bioguide_id"])
    members = {m["bioguide_id"]: m for m in table("signatories")}
    for lid, L in raw_letters(shared_sources).items():
        letter = {r["letter_id"]: r for r in table("letters")}[lid]
        assert letter["leads"] == "; ".join(L["leads"])
        expected = []
        for lead in L["leads"]:
            m = re.fullmatch(r"(Sen|Rep)\. (.+) \(([DRI])-([A-Z]{2})(?:-(\d+))?\)", lead)
            title, name, party, state, district = m.groups()
            hits = [b for b in signers[(lid, "lead")]
                    if name.split()[-1] == members[b]["last_name"]]
            assert len(hits) == 1, lead
            row = members[hits[0]]
            assert (row["chamber"], row["party"], row["state"], row["district"]) == (
                "Senate" if title == "Sen" else "House", party, state, district or ""), lead
            expected.append(hits[0])
        assert letter["lead_bioguide_ids"] == ";".join(expected)
        assert sorted(signers[(lid, "lead")]) == sorted(expected)


def test_signatories_are_the_raw_signers_merged_per_member(shared_sources):
    raw = raw_csv(shared_sources, "signatories.csv")
    per_member: dict[str, list[dict[str, str]]] = {}
    for r in raw:
        per_member.setdefault(r["bioguide_id"], []).append(r)
    built = {s["bioguide_id"]: s for s in table("signatories")}
    assert set(built) == set(per_member) and len(built) == 27
    record_xml: dict[str, str] = {}  # the record that prints record_name: the first roll call
    for v in raw_csv(shared_sources, "votes.csv"):
        record_xml.setdefault(v["bioguide_id"], v["official_xml_url"])
    for bid, rows in per_member.items():
        s = built[bid]
        for raw_col, col in (("name_full", "name"), ("last_name", "last_name"),
                             ("chamber", "chamber"), ("party", "party"), ("state", "state"),
                             ("district", "district"), ("lis_id", "lis_member_id"),
                             ("icpsr", "icpsr")):
            assert {r[raw_col] for r in rows} == {s[col]}, (bid, col)
        letters = {r["letter_id"] for r in rows}
        assert set(split(s["letters"])) == letters
        assert set(split(s["led_letters"])) == {r["letter_id"] for r in rows
                                                if r["role"].startswith("lead")}
        assert s["lead_signer"] == str(bool(s["led_letters"])).lower()
        assert (s["signed_2023_04_20"], s["signed_2023_09_21"], s["signed_both"]) == (
            str(LETTER_B in letters).lower(), str(LETTER_A in letters).lower(),
            str(len(letters) == 2).lower())
        # signed_other_letter marks the same members as signed_both.
        assert {r["signed_other_letter"] for r in rows} == ({"Y"} if len(letters) == 2
                                                            else {""}), bid
        single = {r["letter_id"] for r in rows if r["single_source_flag"].startswith("Y")}
        assert set(split(s["single_source_letters"])) == single
        assert s["corroboration"] == ("single" if single else "multiple")
        want = {u for r in rows for u in split(r["sources"])} | {
            github_url(r["id_source"]) for r in rows} | {record_xml[bid]}
        assert set(urls_of(s["sources"])) == want, bid
        for r in rows:
            if r["notes"]:
                assert f"{r['letter_id']}: {r['notes']}" in s["notes"]


def test_signers_agree_with_the_per_signer_summary_and_the_vote_records(shared_sources):
    summary = {r["bioguide_id"]: r for r in raw_csv(shared_sources, "signatory_votes.csv")}
    votes_raw = {r["bioguide_id"]: r for r in raw_csv(shared_sources, "votes.csv")}
    members = {m["bioguide_id"]: m for m in table("members")}
    assert set(summary) == {s["bioguide_id"] for s in table("signatories")}
    named = {"Y": "true", "Y (single source)": "true", "N": "false",
             "not named (list incomplete: 15 of 29 known)": "false"}
    for s in table("signatories"):
        r = summary[s["bioguide_id"]]
        assert (r["name_full"], r["chamber"], r["party"], r["state"], r["district"]) == (
            s["name"], s["chamber"], s["party"], s["state"], s["district"])
        assert (named[r["signed_2023_04_20_lee_crane"]], named[r["signed_2023_09_21_vance_roy"]]
                ) == (s["signed_2023_04_20"], s["signed_2023_09_21"])
        # 'Y (single source)' is the single-source flag of that letter.
        assert (r["signed_2023_09_21_vance_roy"] == "Y (single source)") == (
            LETTER_A in split(s["single_source_letters"]))
        # Not named on the incomplete list: false here means 'not named', never 'did not sign';
        # the members table keeps such a House member 'unknown'.
        if r["signed_2023_09_21_vance_roy"].startswith("not named"):
            assert s["chamber"] == "House"
            assert members[s["bioguide_id"]]["signed_2023_09_21"] == "unknown"
        v = votes_raw[s["bioguide_id"]]  # the vote records' own details of the member
        assert (v["name"], v["chamber"], v["party"], v["state"], v["district"], v["lis_id"]) \
            == (s["name"], s["chamber"], s["party"], s["state"], s["district"],
                s["lis_member_id"])
        # No signer holds an at-large seat (the README's convention: district 1, at_large=Y).
        assert v["at_large"] == "" and members[s["bioguide_id"]]["at_large"] == "false"


def test_members_are_the_vote_records_members(shared_sources):
    raw = raw_csv(shared_sources, "votes.csv")
    built = {m["bioguide_id"]: m for m in table("members")}
    flag = {"Y": "yes", "N": "no", "unknown": "unknown"}
    seen = set()
    for v in raw:
        m = built[v["bioguide_id"]]
        seen.add(v["bioguide_id"])
        assert (m["name"], m["chamber"], m["party"], m["state"], m["district"],
                m["lis_member_id"]) == (v["name"], v["chamber"], v["party"], v["state"],
                                        v["district"], v["lis_id"]), v["bioguide_id"]
        assert m["at_large"] == str(v["at_large"] == "Y").lower()
        assert (m["signed_2023_04_20"], m["signed_2023_09_21"]) == (
            flag[v["signed_letter_2023_04_20"]], flag[v["signed_letter_2023_09_21"]])
    assert seen == set(built)
    # The README's convention: an at-large seat is district 1.
    assert all(m["district"] == "1" for m in built.values() if m["at_large"] == "true")


def test_every_member_position_is_the_raw_record(shared_sources):
    raw = raw_csv(shared_sources, "votes.csv")
    house = {(v["vote_key"], v["bioguide_id"]): v for v in table("house_votes")}
    senate = {(v["vote_key"], v["bioguide_id"]): v for v in table("senate_votes")}
    assert len(raw) == len(house) + len(senate) == 2988
    for r in raw:
        key = (r["vote_key"], r["bioguide_id"])
        if r["chamber"] == "House":
            v = house[key]
            assert (v["party"], v["state"], v["district"], v["position"]) == (
                r["party"], r["state"], r["district"], r["position"]), key
        else:
            v = senate[key]
            assert (v["lis_member_id"], v["name"], v["party"], v["state"], v["position"]) == (
                r["lis_id"], r["name"], r["party"], r["state"], r["position"]), key
        assert urls_of(v["sources"]) == [r["official_xml_url"], github_url(r["data_source"])]


def test_rollcalls_are_the_raw_rollcalls_field_by_field(shared_sources):
    raw = raw_csv(shared_sources, "rollcalls.csv")
    built = {r["vote_key"]: r for r in table("rollcalls")}
    assert set(built) == {r["vote_key"] for r in raw}
    same = ["chamber", "congress", "session", "roll", "date", "time_local", "bill", "label",
            "title_in_record", "enacted_as", "question", "result", "majority_required", "tier",
            "yea", "nay", "present", "not_voting", "public_law", "signed", "cross_check",
            "notes"]
    same += [f"{p}_{s}" for p in ("dem", "rep", "ind")
             for s in ("yea", "nay", "present", "not_voting")]
    for r in raw:
        b = built[r["vote_key"]]
        for col in same:
            assert b[col] == r[col], (r["vote_key"], col)
        assert b["source_url"] == r["official_xml_url"]
        cited = urls_of(b["sources"])
        assert cited[0] == r["official_xml_url"]
        assert github_url(r["data_source"]) in cited
        if r["cross_check"]:
            assert github_url(r["cross_check"]) in cited
        news = re.findall(r"https?://[^\s;]+", r["news_corroboration"])
        assert set(news) <= set(cited), r["vote_key"]
        # The raw record's own date and bill for every member row of the roll call.
        for v in raw_csv(shared_sources, "votes.csv") if r["vote_key"] == "h151-118.2024" else []:
            if v["vote_key"] == r["vote_key"]:
                assert (v["date"], v["bill"], v["roll"]) == (r["date"], r["bill"], r["roll"])


def test_letters_are_letter_json_field_by_field(shared_sources):
    built = {r["letter_id"]: r for r in table("letters")}
    raw = raw_letters(shared_sources)
    assert set(built) == set(raw)
    for lid, L in raw.items():
        b = built[lid]
        for col in ("role_in_case", "date_sent", "date_on_letter", "addressee",
                    "title_or_subject"):
            assert b[col] == L[col], (lid, col)
        assert b["signers_reported"] == str(L["signatory_count"])
        senate, house = re.match(r"(\d+) senators.*\+ (\d+) House members",
                                 L["signatory_count_breakdown"]).groups()
        assert (b["signers_reported_senate"], b["signers_reported_house"]) == (senate, house)
        assert b["what_it_asked"] == " ".join(L["what_it_asked"])
        assert b["signer_count_variants"] == "; ".join(
            str(v["value"]) for v in L.get("signatory_count_variants", []))
        cited = set(urls_of(b["sources"]))
        for key in ("date_sent_sources", "date_sources", "leads_sources", "addressee_sources",
                    "signatory_count_sources", "title_sources", "signer_list_note_sources",
                    "letter_text_sources"):
            assert set(L.get(key, [])) <= cited, (lid, key)
    b_raw, a_raw = raw[LETTER_B], raw[LETTER_A]
    assert built[LETTER_B]["list_note"] == b_raw["signer_list_source"]
    assert built[LETTER_B]["text_available"] == b_raw["letter_text_available"]
    assert a_raw["signers_not_identified"] in built[LETTER_A]["list_note"]
    assert a_raw["signer_list_note"] in built[LETTER_A]["list_note"]
    assert a_raw["wall_street_journal_copy"] in built[LETTER_A]["text_available"]
    assert built[LETTER_A]["signers_named"] == str(a_raw["signers_named_in_stored_sources"])


def test_passages_are_letter_json_quotes_character_for_character(shared_sources):
    bad = never_quote_hosts(shared_sources)
    passages = {p["text"]: p for p in table("letter_passages")}
    quotes = [(lid, q) for lid, L in raw_letters(shared_sources).items()
              for q in L["exact_quotes"]]
    assert len(passages) == len(table("letter_passages")) == len(quotes) == 18
    for lid, q in quotes:
        p = passages[q["text"]]  # the exact characters (dashes, curly apostrophes, no edits)
        assert p["letter_id"] == lid
        kept = [u for u in q["sources"] if host(u) not in bad]
        assert urls_of(p["sources"]) == kept, q["text"][:40]
        assert p["single_source"] == str(len(kept) == 1).lower()
        if q.get("flag") == "single source":
            assert p["single_source"] == "true"
        assert p["variant_note"] == q.get("variant", "")
        variant_urls = [*q.get("variant_sources", []), *(
            [q["longer_form_source"]] if "longer_form_source" in q else [])]
        assert urls_of(p["variant_sources"]) == variant_urls
        assert p["note"].startswith(q.get("note", ""))
        # A quote cut at either end (no closing stop, or begun in lower case) is truncated.
        cut = not q["text"].endswith((".", "?", "!")) or q["text"][0].islower()
        assert p["truncated"] == str(cut).lower(), q["text"][:40]


def test_drafts_are_letter_json_draft_quotes(shared_sources):
    draft = raw_letters(shared_sources)[LETTER_A]["draft"]
    letter_text = [q for q in draft["exact_quotes"] if "not letter text" not in q.get(
        "note", "")]
    built = table("letter_drafts")
    for q in letter_text:
        row = next(d for d in built if d["text"] == q["text"])
        assert urls_of(row["sources"]) == q["sources"]
        assert row["letter_id"] == LETTER_A


#: responses.csv's date_confidence texts and what the kit's vocabulary may call them.
CONFIDENCE_OF = {
    "exact (post embedded with date)": {"confirmed", "single_copy"},
    "press release date": {"confirmed", "single_copy"},
    "letter date": {"confirmed", "single_copy"},
    "statement date": {"confirmed", "single_copy"},
    "post date": {"confirmed", "single_copy"},
    "post date shown in embed": {"confirmed", "single_copy"},
    "remarks date": {"confirmed", "single_copy"},
    "report date": {"report_date"},
    "report date (CNN interview the previous evening)": {"report_date"},
    "approximate": {"uncertain", "report_date"},
    "Wednesday per the 2024-04-19 editorial": {"inferred"},
    "URL dated 2023/9; statement 'following' Zelensky's meeting with senators (2023-09-21)":
        {"inferred"},
}


def test_responses_are_the_raw_responses_field_by_field(shared_sources):
    raw = raw_csv(shared_sources, "responses.csv")
    built = {(r["speaker"], r["quote"]): r for r in table("responses")}
    assert len(built) == len(raw) == 26
    members = {m["bioguide_id"]: m for m in table("members")}
    bad = never_quote_hosts(shared_sources)
    for r in raw:
        b = built[(r["speaker"], r["quote"])]
        what = f"{r['speaker']} {r['date']}"
        for col in ("role", "relation_to_case", "stance"):
            assert b[col] == r[col], (what, col)
        assert b["note"] == r["notes"], what
        assert b["actor_type"] == {"ukraine": "foreign_government"}.get(r["actor_type"],
                                                                         r["actor_type"])
        assert urls_of(b["sources"]) == [u for u in split(r["sources"]) if host(u) not in bad]
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["date"]):
            assert b["date"] == r["date"], what
        else:  # a partial or reported date: the day shipped (if any) is in the text, kept whole
            assert b["date"] in r["date"] and r["date"] in b["date_note"], what
        assert b["date_confidence"] in CONFIDENCE_OF[r["date_confidence"]], what
        if b["date_confidence"] in {"inferred", "uncertain"}:
            assert r["date_confidence"] in b["date_note"] or r["date"] in b["date_note"], what
        # Speaker attribution: a member id names that member, party and state as the role says.
        if b["bioguide_id"]:
            m = members[b["bioguide_id"]]
            assert m["name"].split()[-1] == r["speaker"].split()[-1], what
            party_state = re.search(r"\(([DRI])-([A-Z]{2})", r["role"])
            assert (m["party"], m["state"]) == party_state.groups(), what
        else:
            names = {m["name"] for m in members.values()}
            assert r["speaker"] not in names, what


def test_events_are_the_raw_timeline_field_by_field(shared_sources):
    raw = raw_csv(shared_sources, "timeline.csv")
    built = {(e["date"], e["event"]): e for e in table("events")}
    assert len(built) == len(raw) == 17
    for r in raw:
        e = built[(r["date"], r["event"])]
        assert (e["date_public"], e["category"]) == (r["date"], r["category"])
        assert urls_of(e["sources"]) == split(r["sources"])
        assert e["single_source"] == str(len(split(r["sources"])) == 1).lower()
        # timeline.csv says so in the event text where a day is inferred.
        inferred = "date inferred" in r["event"].lower()
        assert (e["date_confidence"] == "inferred") == inferred, r["event"][:40]


# --- Source kinds as the raw notes describe them --------------------------------------------------

#: (host, provenance, words its `reposted_from` or note must carry, the raw files' own words).
LABELS = [
    ("utahpolicy.com", "re_post", "crane.house.gov", "utahpolicy.com re-posts the same release"),
    ("nightlynewslink.com", "re_post", "The Hill", "nightlynewslink.com copies The Hill"),
    ("texasgopvote.com", "re_post", "Roy", "Roy-side re-post on texasgopvote.com"),
    ("wwwp-lives.blogspot.com", "re_post", "unknown origin", "a blog copy (wwwp-lives.blogspot"),
    ("farrerroad.my.id", "re_post", "unknown origin", "farrerroad.my.id (copies of unknown"),
    ("free-media.info", "re_post", "Washington Times", "copies at free-media.info and"),
    ("conservativeadvocacy.com", "re_post", "Washington Times", "conservativeadvocacy.com)"),
    ("fastinews.com", "re_post", "Fox News", "Fox (fastinews copy)"),
    ("faulknernewsnetwork.online", "re_post", "", "re-posted copy"),
    ("www.wfdd.org", "re_post", "NPR", "NPR story (WFDD copy)"),
    ("occasionaldigest.com", "re_post", "UPI", "UPI copy"),
    ("rss.newser.com", "re_post", "Associated Press", "AP via Newser"),
    ("conservativenewsbriefing.com", "re_post", "Washington Examiner", "Washington Examiner copy"),
    ("nordot.app", "re_post", "New Voice of Ukraine", "The New Voice of Ukraine (nordot copy)"),
    ("www.agenziagiornalisticaopinione.it", "re_post", "White House",
     "Re-post of the White House statement"),
    ("usmuslims.com", "re_post_of_state_media", "Anadolu", "Anadolu copy"),
    ("www.anews.com.tr", "re_post_of_state_media", "Anadolu", "Anadolu Agency."),
    ("womensystems.com", "re_post", "", "a copy of a news"),
    ("thecolumnist.org", "re_post", "Responsible Statecraft", "(relaying Responsible Statecraft)"),
    ("ru.scribd.com", "re_post", "letter B", "a copy of the letter"),
    ("cc.bingj.com", "re_post", "Herald-Leader", "survives only as a cached copy"),
    ("sputnikglobe.com", "state_media", "state media", "per Sputnik's"),
    ("www.iolaregister.com", "commentary", "Editorials", "Iola Register editorial"),
    ("northcolumbusnews.com", "re_post", "'Vance stated'", "something \"Vance stated\""),
    ("totalnews.com", "re_post", "back-translation", "back-translated version of Vance's post"),
    ("secularnewsdaily.com", "re_post", "machine-spun", "is machine-spun"),
]


@cache
def raw_text(root: Path) -> str:
    return " ".join(" ".join((root / "case2" / name).read_text(encoding="utf-8").split())
                    for name in ("README.md", "letter.json", "signatories.csv",
                                 "responses.csv", "timeline.csv", "rollcalls.csv"))


@pytest.mark.parametrize(("host_name", "provenance", "words", "raw_words"), LABELS,
                         ids=[x[0] for x in LABELS])
def test_source_kinds_agree_with_the_raw_notes(shared_sources, host_name, provenance, words,
                                               raw_words):
    assert raw_words in raw_text(shared_sources)  # the raw files' own description of the host
    rows = [s for s in table("sources") if s["url"].split("/")[2] == host_name]
    assert rows, host_name
    for s in rows:
        assert s["provenance"] == provenance, s["url"]
        assert words in s["reposted_from"] + " " + s["reliability_note"], s["url"]


def test_the_never_quote_copies_are_labelled_and_never_a_quotes_only_source(shared_sources):
    bad = never_quote_hosts(shared_sources)
    sources = {s["source_id"]: s for s in table("sources")}
    for s in sources.values():
        if host(s["url"]) in bad:
            assert s["reliability_note"].startswith("UNRELIABLE"), s["url"]
    # Tables of words someone wrote or said: no never-quote copy among a row's sources at all.
    quoted = {"letter_passages": "text", "letter_drafts": "text", "responses": "quote",
              "condition_evidence": "quote", "related_documents": "exact_quote"}
    for name, col in quoted.items():
        for row in table(name):
            if row[col]:
                hosts = {host(sources[i]["url"]) for i in row["sources"].split(";")}
                assert not hosts & bad, (name, row[col][:40])
    # Any other row (a discrepancy quoting a copy's error, a letter's reported headline) also
    # rests on at least one source that is not on the list - except a name that only
    # northcolumbusnews.com gives, kept as the sources keep it: flagged single-source.
    only_bad = []
    for path in sorted(FOLDER.glob("*.csv")):
        for row in _read(path):
            if row.get("sources") and path.stem != "sources":
                hosts = {host(sources[i]["url"]) for i in row["sources"].split(";")}
                if not hosts - bad:
                    only_bad.append((path.stem, row.get("name")))
                    assert path.stem == "signatures" and row["single_source"] == "true", row
                    assert row["notes"].startswith("SINGLE SOURCE"), row
    assert sorted(only_bad) == [("signatures", "Dan Bishop"), ("signatures", "Roger Marshall")]


def test_member_id_files_are_not_labelled_as_roll_call_scrapes():
    for s in table("sources"):
        if "congress-legislators" in s["url"]:
            assert s["publisher"] == "unitedstates/congress-legislators (GitHub)"
            assert "roll-call XML" not in s["reliability_note"]
            assert s["reliability_note"].startswith("Not roll-call data")


def test_every_event_says_how_its_date_was_established():
    events = {e["event_key"]: e for e in table("events")}
    assert all(e["date_note"] for e in events.values())
    # The 2023-01-19 oversight letter is dated by Breitbart's exclusive report of that day.
    assert events["oversight_letter"]["date_confidence"] == "report_date"
    assert {k for k, e in events.items() if e["date_confidence"] == "inferred"} == {
        "letter_a_draft_reported", "paul_absence_explained"}


# --- The README's key-results table through the public API --------------------------------------

def readme_key_results(shared_sources: Path) -> list[tuple[str, int, tuple[int, int], list[str]]]:
    """(chamber, roll, (yea, nay), [letter B cell, letter A cell]) per row of the README table."""
    readme = (shared_sources / "case2" / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Key results")[1].split("\n## ")[0]
    rows = []
    for line in section.splitlines():
        m = re.match(r"\| (House|Senate) [^|]*?roll (\d+)[^|]*\((\d+)-(\d+)\)[^|]*\|(.*)\|(.*)\|$",
                     line.replace("**", ""))
        if m:
            chamber, roll, yea, nay, b, a = m.groups()
            rows.append((chamber, int(roll), (int(yea), int(nay)), [b.strip(), a.strip()]))
    return rows


def parse_cell(cell: str) -> tuple[dict[str, int], set[str]]:
    """'15 Nay, 1 NV (Luna)' -> ({'Nay': 15, 'Not Voting': 1}, {'Luna'})."""
    counts, names = {}, set()
    for n, what, who in re.findall(r"(\d+) (Nay|Yea|NV)(?: \(([^)]*)\))?", cell):
        counts[{"NV": "Not Voting"}.get(what, what)] = int(n)
        names |= {x.strip() for x in who.split(",") if x.strip()}
    return counts, names


def test_readme_key_results_through_the_public_api(shared_sources):
    rows = readme_key_results(shared_sources)
    assert len(rows) == 6  # the README's six roll calls
    c = policykit.case(CASE)
    rollcalls = c.load("rollcalls")
    signatures = c.load("signatures")
    signers = c.load("signatories").set_index("bioguide_id")
    votes = pd.concat([c.load("house_votes"), c.load("senate_votes")])
    for chamber, roll, (yea, nay), cells in rows:
        rc = rollcalls[(rollcalls["chamber"] == chamber) & (rollcalls["roll"] == roll)]
        assert len(rc) == 1, (chamber, roll)
        key = rc["vote_key"].iloc[0]
        assert (int(rc["yea"].iloc[0]), int(rc["nay"].iloc[0])) == (yea, nay), key
        for letter, cell in zip((LETTER_B, LETTER_A), cells, strict=True):
            expected, absent = parse_cell(cell)
            ids = set(signatures.loc[signatures["letter_id"] == letter, "bioguide_id"])
            mine = votes[(votes["vote_key"] == key) & votes["bioguide_id"].isin(ids)]
            assert mine["position"].astype(str).value_counts().to_dict() == expected, (key, letter)
            nv = mine.loc[mine["position"] == "Not Voting", "bioguide_id"]
            got = {signers.loc[b, "name"].split()[-1] for b in nv}
            assert got == absent, (key, letter)
            # The library's words-vs-votes table says the same.
            table_ = contrast([key], group=c.config["roles"]["signers"][
                "groups"][letter], case=CASE)
            assert table_[key].dropna().astype(str).value_counts().to_dict() == expected


def test_readme_roll_332_all_republicans_nay_through_the_public_api(shared_sources):
    readme = " ".join((shared_sources / "case2" / "README.md").read_text(
        encoding="utf-8").split())
    assert "On Senate roll 332 (2023-12-06), all 49 Republicans voted Nay on cloture" in readme
    t = party_breakdown("s332-118.2023", case=CASE)
    assert t.loc["Republicans", "Nay"] == t.loc["Republicans", "total"] == 49


def test_a_vote_note_dated_by_a_response_has_that_responses_date_confidence():
    # Sanders' reason (vote_notes) and his statement (responses) rest on the same single copy.
    responses = {(r["bioguide_id"], r["date"]): r for r in table("responses") if r["bioguide_id"]}
    for n in table("vote_notes"):
        r = responses.get((n["bioguide_id"], n["date"]))
        if r and r["sources"] == n["sources"]:
            assert n["date_confidence"] == r["date_confidence"], n["name"]
    sanders = next(n for n in table("vote_notes") if n["name"] == "Bernard Sanders")
    assert sanders["date_confidence"] == "single_copy"


def test_condition_evidence_caveat_counts_its_single_sources():
    rows = table("condition_evidence")
    sources = {s["source_id"]: s for s in table("sources")}
    assert all(len(r["sources"].split(";")) == 1 for r in rows) and len(rows) == 3
    copies = [r for r in rows if sources[r["sources"]]["provenance"].startswith("re_post")]
    assert len(copies) == 2
    desc = json.loads((FOLDER / "datapackage.json").read_text(encoding="utf-8"))
    caveats = next(r for r in desc["resources"] if r["name"] == "condition_evidence")["caveats"]
    assert any(c.startswith("Each quote rests on one source: two on one copy") for c in caveats)


def _strings(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


def test_words_quoted_in_case_json_are_the_sources_words(shared_sources):
    # Claim texts, notes and event phrases the library prints quote the letters and the
    # sources: each quoted stretch stands verbatim in the raw files.
    case = json.loads((FOLDER / "case.json").read_text(encoding="utf-8"))
    quoted = [q for s in _strings(case) for q in re.findall(r'"([^"]+)"', s) + re.findall(
        r"(?:^|[\s(])'([^']+)'(?=[\s).,;:]|$)", s)]
    assert len(quoted) >= 6
    for q in quoted:
        assert q in raw_text(shared_sources), q


def test_words_quoted_in_any_shipped_note_are_the_sources_words(shared_sources):
    # Notes, summaries, claims and titles quote sources in '...' or "...": each quoted stretch
    # (an ellipsis at its end marks a cut) stands verbatim in the raw files. Quote columns are
    # compared whole elsewhere; names may carry nicknames in quotes.
    skip = {"sources", "variant_sources", "claim_sources", "url", "source_id", "name",
            "quote", "text", "exact_quote", "event"}
    checked = 0
    for path in sorted(FOLDER.glob("*.csv")):
        for row in _read(path):
            for col, value in row.items():
                if col in skip or not value:
                    continue
                for q in re.findall(r'"([^"]+)"', value) + re.findall(
                        r"(?:^|[\s(])'([^']+)'(?=[\s).,;:]|$)", value):
                    assert q.removesuffix("...") in raw_text(shared_sources), (path.name, col, q)
                    checked += 1
    assert checked > 50


def test_the_oversight_letter_is_dated_alike_in_events_and_related_documents():
    event = {e["event_key"]: e for e in table("events")}["oversight_letter"]
    doc = {d["document_key"]: d for d in table("related_documents")}["oversight_letter_2023_01"]
    assert event["date"] == doc["date"] == "2023-01-19"
    assert "'1-18'" in event["date_note"] and "'1-18'" in doc["date_note"]
    # The uploaded letter's address is where the '1-18' comes from.
    urls = urls_of(event["sources"])
    assert any("Letter-1-18" in u for u in urls)
