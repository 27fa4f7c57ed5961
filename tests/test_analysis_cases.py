"""policykit.analysis and policykit.claims on the second case (``gop_letters_2023``).

Expected values come from independent facts: the key-results table, the traps and the vote
notes of the case's raw sources (``../shared/sources/case2/README.md``), and the official
totals of the roll-call records quoted there (311-112 on House roll 151, 79-18 on Senate roll
154, ...), never from re-running the code under test. The same functions on the default case
are tested in test_claims.py and by the doctests; here also that ``case=`` keeps them apart.
"""

from __future__ import annotations

import pandas as pd
import pytest

import policykit
from policykit import analysis, claims
from policykit.errors import InvalidArgumentError

CASE = "gop_letters_2023"
LETTER_B = "2023-04-20_lee_crane_to_biden"  # Lee and Crane to President Biden, 19 signers
LETTER_A = "2023-09-21_vance_roy_to_omb"  # Vance and Roy to OMB, 29 reported, 15 named

H503 = "h503-118.2023"  # H.R. 5692, $300M USAI, 311-117
H151 = "h151-118.2024"  # H.R. 8035, the Ukraine bill, 311-112
H152 = "h152-118.2024"  # H.R. 8034, the Israel bill, 366-58 (contrast)
S48 = "s48-118.2024"  # H.R. 815, Senate passage, 70-29
S152 = "s152-118.2024"  # cloture on concurring, 80-19
S154 = "s154-118.2024"  # final concurrence, 79-18
S332 = "s332-118.2023"  # cloture on the motion to proceed, failed; all Republicans Nay

pytestmark = pytest.mark.skipif(CASE not in policykit.list_cases(),
                                reason="the second case is not built into datasets/")


def _positions(check: claims.ClaimCheck) -> dict[str, int]:
    return check.evidence["position"].astype(str).value_counts().to_dict()


# --- Totals (README: every headline total; the issue: 311-112 and 79-18) -----------------------

@pytest.mark.parametrize(("key", "yea", "nay"), [
    (H503, 311, 117), (H151, 311, 112), (H152, 366, 58), (S48, 70, 29), (S152, 80, 19),
    (S154, 79, 18),
])
def test_vote_totals_match_the_record(key, yea, nay):
    assert claims.vote_totals(key, yea=yea, nay=nay, case=CASE).verdict == "supported"
    assert claims.vote_totals(key, yea=yea + 1, nay=nay, case=CASE).verdict == "contradicted"


def test_member_records_add_up_to_the_recorded_totals_on_all_ten_roll_calls():
    # README: "For all 10 roll calls the member counts equal the record's totals".
    keys = analysis.vote_keys(case=CASE)
    assert len(keys) == 10
    for key in keys:
        assert bool(analysis.tally_check(key, case=CASE)["match"].all()), key


def test_house_151_republican_split():
    # README (secondary sources): "The record shows 101 Yea, 112 Nay, 1 Present and 4 Not
    # Voting" among Republicans; all 210 Democrats who voted, voted Yea.
    t = analysis.party_breakdown(H151, case=CASE)
    assert t.loc["Republicans"].drop("total").to_dict() == {
        "Yea": 101, "Nay": 112, "Present": 1, "Not Voting": 4}
    assert t.loc["Democrats", "Nay"] == 0 and t.loc["Democrats", "Yea"] == 210


# --- The signers' votes: the README's key-results table -----------------------------------------

@pytest.mark.parametrize(("group", "key", "expected"), [
    (LETTER_B, H503, {"Nay": 15, "Not Voting": 1}),
    (LETTER_B, H151, {"Nay": 16}),
    (LETTER_B, H152, {"Nay": 9, "Yea": 7}),
    (LETTER_B, S48, {"Nay": 3}),
    (LETTER_B, S152, {"Nay": 2, "Not Voting": 1}),
    (LETTER_B, S154, {"Nay": 2, "Not Voting": 1}),
    (LETTER_A, H503, {"Nay": 8, "Not Voting": 1}),
    (LETTER_A, H151, {"Nay": 9}),
    (LETTER_A, H152, {"Nay": 3, "Yea": 6}),
    (LETTER_A, S48, {"Nay": 6}),
    (LETTER_A, S152, {"Nay": 5, "Not Voting": 1}),
    (LETTER_A, S154, {"Nay": 4, "Not Voting": 2}),
])
def test_signers_positions_per_letter(group, key, expected):
    check = claims.signers_voted(key, "Nay", group=group, case=CASE)
    assert _positions(check) == expected
    # README: letter A's 6 senators are all named, but only 9 of its 23 House signers: "every
    # signer of letter A voted Nay" on a House roll call cannot be settled by the 9 named.
    unknown = group == LETTER_A and key.startswith("h")
    if set(expected) != {"Nay"}:
        assert check.verdict == "contradicted"
    else:
        assert check.verdict == ("not settled by the data" if unknown else "supported")


def test_every_letter_b_house_signer_voted_nay_on_the_ukraine_bill():
    c = claims.signers_voted(H151, "Nay", group=LETTER_B, case=CASE)
    assert c.verdict == "supported" and len(c.evidence) == 16
    assert claims.signers_voted(H151, "Nay", count=16, group=LETTER_B,
                                case=CASE).verdict == "supported"


def test_seven_letter_b_signers_voted_for_the_israel_bill():
    assert claims.signers_voted(H152, "Yea", count=7, group=LETTER_B,
                                case=CASE).verdict == "supported"
    # Letter A: 6 of the 9 named House signers voted Yea; 14 of its 23 House signers are not
    # named, so "exactly 6" (or up to 6 + 14) is not settled; fewer than 6 is contradicted.
    a6 = claims.signers_voted(H152, "Yea", count=6, group=LETTER_A, case=CASE)
    assert a6.verdict == "not settled by the data"
    assert "14 in the House not named" in a6.explanation
    assert claims.signers_voted(H152, "Yea", count=20, group=LETTER_A,
                                case=CASE).verdict == "not settled by the data"
    assert claims.signers_voted(H152, "Yea", count=5, group=LETTER_A,
                                case=CASE).verdict == "contradicted"
    assert claims.signers_voted(H152, "Yea", count=21, group=LETTER_A,
                                case=CASE).verdict == "contradicted"


def test_every_named_house_signer_is_not_every_signer():
    # README: roll 151, 16 letter B House signers and 9 named letter A House signers all Nay
    # (21 distinct, 4 on both); 14 of letter A's 23 House signers are not named.
    c = claims.signers_voted(H151, "Nay", case=CASE)
    assert len(c.evidence) == 21 and set(_positions(c)) == {"Nay"}
    assert c.verdict == "not settled by the data"
    assert "The 21 named signers in the House" in c.explanation
    # Senate: all six senators of letter A are named, so the Senate verdicts stand.
    assert claims.signers_voted(S48, "Nay", group=LETTER_A, case=CASE).verdict == "supported"
    assert claims.signers_voted(S48, "Nay", case=CASE).verdict == "supported"


def test_not_voting_is_not_nay():
    # README: Paul was Not Voting on all the April 23 votes; Tuberville voted Nay on cloture
    # but Not Voting on roll 154.
    c = claims.signers_voted(S154, "Nay", group=LETTER_B, case=CASE)
    assert c.verdict == "contradicted"
    row = c.evidence.iloc[0]
    assert row["name"].endswith("Paul") and row["position"] == "Not Voting"
    assert "Not Voting is not a Nay" in c.explanation
    assert claims.signers_voted(S154, "Not Voting", count=1, group=LETTER_B,
                                case=CASE).verdict == "supported"
    a = claims.signers_voted(S154, "Not Voting", count=2, group=LETTER_A, case=CASE)
    assert a.verdict == "supported"
    assert {n.split()[-1] for n in a.evidence.loc[a.evidence["fits_claim"], "name"]} == {
        "Paul", "Tuberville"}
    cloture = claims.signers_voted(S152, "Nay", group=LETTER_A, case=CASE).evidence
    assert cloture.loc[cloture["name"].str.endswith("Tuberville"), "position"].item() == "Nay"


def test_signers_sit_in_both_chambers():
    grid = analysis.contrast(case=CASE)
    assert len(grid) == 27  # README: 19 + 15 names, seven of whom signed both letters
    # Letter B: 3 senators + 16 House; letter A named: 6 senators + 9 House; both: 3 + 4.
    assert grid["chamber"].value_counts().to_dict() == {"House": 21, "Senate": 6}
    b = analysis.contrast(group=LETTER_B, case=CASE)
    assert len(b) == 19 and b["chamber"].value_counts().to_dict() == {"House": 16,
                                                                         "Senate": 3}
    # A member of the other chamber has no position on a roll call.
    assert b.loc[b["chamber"] == "Senate", H151].isna().all()
    assert b.loc[b["chamber"] == "House", S154].isna().all()
    both = set(analysis.contrast(group="signed_both", case=CASE)["name"].str.split().str[-1])
    assert both == {"Vance", "Lee", "Paul", "Biggs", "Gosar", "Bishop", "Luna"}


def test_signer_groups_are_the_letters_and_the_flags():
    groups = analysis.signer_groups(case=CASE)
    assert groups[:2] == [LETTER_B, LETTER_A] or groups[:2] == [LETTER_A, LETTER_B]
    assert "lead_signer" in groups
    with pytest.raises(InvalidArgumentError, match=r"Unknown signer group 'letter B'"):
        analysis.contrast(group="letter B", case=CASE)


def test_split_signers_in_both_chambers():
    h = analysis.party_breakdown(H151, split_signers=True, group=LETTER_B, case=CASE)
    assert h.loc["Signers (R)", "Nay"] == 16 and h.loc["Signers (R)", "total"] == 16
    assert h.loc["Other Republicans", "Nay"] == 112 - 16
    s = analysis.party_breakdown(S154, split_signers=True, group=LETTER_B, case=CASE)
    assert s.loc["Signers (R)"].drop("total").to_dict() == {
        "Yea": 0, "Nay": 2, "Present": 0, "Not Voting": 1}


def test_every_package_pledge_of_letter_b():
    # Letter B: "we will adamantly oppose all future aid packages unless ..."; the key results
    # show no Yea or Present by its signers on H.R. 5692, H.R. 8035 and the Senate's two
    # votes passing H.R. 815; Luna (roll 503) and Paul (roll 154) were absent.
    c = claims.every_package(LETTER_B, case=CASE)
    assert c.verdict == "supported"
    ev = c.evidence.set_index("vote_key")
    assert set(ev.index) == {H503, H151, S48, S154}
    assert ev.loc[H503, "not_voting_names"].endswith("Luna")
    assert ev.loc[S154, "not_voting_names"].endswith("Paul")
    assert ev.loc[H151, "nay"] == 16 and ev.loc[S48, "nay"] == 3
    assert "Not Voting" in c.explanation and "conditional" in c.explanation
    # With the Israel bill counted as a package, seven Yea votes contradict it.
    with_israel = claims.every_package(LETTER_B, vote_keys=[H151, H152], case=CASE)
    assert with_israel.verdict == "contradicted" and "7 Yea" in with_israel.explanation


def test_every_package_for_letter_a_cites_letter_a():
    # Letter A's own words: "certainly until we receive answers ... we oppose the additional
    # expenditure for war in Ukraine included in your request" (README, letter.json). Its 15
    # named signers: no Yea or Present on the same four votes (key results), Luna absent on
    # roll 503, Paul and Tuberville on roll 154.
    c = claims.every_package(LETTER_A, case=CASE)
    assert c.verdict == "supported" and "letter A" in c.claim and "letter B" not in c.claim
    assert "certainly until we receive answers" in c.claim
    ev = c.evidence.set_index("vote_key")
    assert ev.loc[S154, "not_voting"] == 2 and ev.loc[H151, "nay"] == 9
    passages = policykit.case(CASE).load("letter_passages")
    cited = passages.loc[passages["text"].str.contains("certainly until we receive answers"),
                         "sources"].item()
    assert set(cited.split(";")) <= set(c.sources)


def test_only_party_voted_on_the_final_senate_vote():
    # README: Sanders, Merkley and Welch voted Nay on roll 154 (a Nay for other reasons).
    c = claims.only_party_voted(S154, "Nay", "R", case=CASE)
    assert c.verdict == "contradicted"
    others = c.evidence.loc[~c.evidence["fits_claim"], "name"].str.split().str[-1]
    assert set(others) == {"Sanders", "Merkley", "Welch"}
    assert len(c.evidence) == 18
    # Senate roll 332: all 49 Republicans voted Nay on cloture.
    r = analysis.party_breakdown(S332, case=CASE)
    assert r.loc["Republicans", "Nay"] == 49 and r.loc["Republicans", "Yea"] == 0


def test_signer_counts_and_the_incomplete_list():
    assert claims.signer_count(19, group=LETTER_B, case=CASE).verdict == "supported"
    assert claims.signer_count(20, group=LETTER_B, case=CASE).verdict == "contradicted"
    # Letter A: 29 reported (6 + 23), 15 named; the other 14 stay unknown.
    a = claims.signer_count(29, group=LETTER_A, case=CASE)
    assert a.verdict == "supported" and len(a.evidence) == 15
    assert "incomplete" in a.explanation
    assert claims.signer_count(28, group=LETTER_A, case=CASE).verdict == \
        "not settled by the data"
    assert claims.signer_count(12, group=LETTER_A, case=CASE).verdict == "contradicted"
    assert claims.signer_count(27, group=LETTER_A, case=CASE).verdict == \
        "not settled by the data"
    assert claims.signer_count(19, group=LETTER_B, case=CASE).verdict == "supported"
    assert claims.signer_count(27, group=LETTER_B, case=CASE).verdict == "contradicted"


# Both letters together (no group). README: letter B names all 19; letter A is reported as 29
# and names 15; seven signed both, so 19 + 15 - 7 = 27 are named. Letter A's 14 unknown signers
# may be letter B signers or not: the distinct signers number at least 29 (letter A alone is
# reported as 29, and the case accepts that count: group=LETTER_A, 29 is supported) and at most
# 19 + 29 - 7 = 41 (the reported counts less the seven named on both). Decision: the reported
# counts bound the count both ways, so 27 and 28 (below letter A's own 29) and 42 (above 41) are
# contradicted; 29 to 41 are not settled; fewer than the 27 named is contradicted in any case.
@pytest.mark.parametrize(("n", "verdict"), [
    (19, "contradicted"), (26, "contradicted"), (27, "contradicted"), (28, "contradicted"),
    (29, "not settled by the data"), (35, "not settled by the data"),
    (41, "not settled by the data"), (42, "contradicted"), (48, "contradicted"),
])
def test_signer_count_of_both_letters(n, verdict):
    c = claims.signer_count(n, case=CASE)
    assert c.verdict == verdict
    assert len(c.evidence) == 27
    assert c.claim == f"{n} members of Congress signed the letters."
    assert c.explanation.startswith("The letters carry 27 names (27 Republicans)")
    assert "carries" not in c.explanation
    assert "at least 29" in c.explanation and "at most 41" in c.explanation
    assert "19 + 29" in c.explanation and "less the 7 named on more than one" in c.explanation
    assert "29 reported, 15 named" in c.explanation


def test_only_party_voted_counts_one_independent():
    # README: Sanders (I), Merkley and Welch (D) voted Nay on roll 154 (79-18): 15 Republicans.
    c = claims.only_party_voted(S154, "Nay", "R", case=CASE)
    assert c.explanation == ("18 members voted Nay: not only Republicans but also "
                             "2 Democrats, 1 Independent.")
    # Not Voting on roll 154: Paul, Tuberville and Tim Scott, all Republicans.
    d = claims.only_party_voted(S154, "Not Voting", "D", case=CASE)
    assert d.verdict == "contradicted"
    assert d.explanation == ("3 members voted Not Voting, none of them Democrats: "
                             "3 Republicans.")


def test_signer_state_in_either_chamber():
    assert claims.signer_state("Paul", "Kentucky", case=CASE).verdict == "supported"
    assert claims.signer_state("Crane", "AZ", case=CASE).verdict == "supported"
    roy = claims.signer_state("Roy", "TX", case=CASE)
    assert "TX-21" in roy.explanation and "118th Congress" in roy.explanation
    assert claims.signer_state("Vance", "KY", case=CASE).verdict == "contradicted"
    with pytest.raises(InvalidArgumentError, match="Unknown signer 'Omar'"):
        claims.signer_state("Omar", "MN", case=CASE)


def test_signer_state_by_the_name_the_vote_record_prints():
    # The sources name Rep. Anna Paulina Luna (FL-13) with the surname 'Paulina Luna'; the
    # House Clerk's roll-call records print 'Luna' (raw votes.csv record_name).
    luna = claims.signer_state("Luna", "FL", case=CASE)
    assert luna.verdict == "supported"
    assert luna.evidence.loc[0, "name"] == "Anna Paulina Luna"
    assert "FL-13" in luna.explanation
    assert claims.signer_state("Luna", "TX", case=CASE).verdict == "contradicted"
    assert claims.signer_state("LUNA", "Florida", case=CASE).verdict == "supported"
    assert claims.signer_state("Paulina Luna", "FL", case=CASE).verdict == "supported"
    # The Clerk prints the state where two members share a surname; the Senate record's
    # surname is the one before '(R-UT)'.
    bishop = claims.signer_state("Bishop (NC)", "NC", case=CASE)
    assert bishop.verdict == "supported" and bishop.evidence.loc[0, "name"] == "Dan Bishop"
    assert claims.signer_state("Lee", "UT", case=CASE).evidence.loc[0, "name"] == "Mike Lee"


def test_a_name_two_signers_share_is_refused(tmp_path):
    """No surname is shared by two signers of either real case, so the FICTIONAL fixture
    case_tiny is copied and, in the copy only, its member A4 given A2's surname."""
    import csv
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    shutil.copytree(root / "tests" / "fixtures" / "case_tiny", tmp_path, dirs_exist_ok=True)
    raw = tmp_path / "sources" / "case_tiny" / "signatories.csv"
    with raw.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["last_name"] for r in rows] == ["A1", "A2", "A4"]
    rows[2]["last_name"] = "A2"
    with raw.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    built = subprocess.run([sys.executable, str(root / "datasets" / "build" / "build.py"),
                            "--datasets", str(tmp_path / "datasets"), "--sources",
                            str(tmp_path / "sources"), "--case", "case_tiny"],
                           capture_output=True, text=True, check=False, cwd=root)
    assert built.returncode == 0, built.stdout + built.stderr
    tiny = policykit.case(tmp_path / "datasets" / "case_tiny")
    with pytest.raises(InvalidArgumentError) as info:
        claims.signer_state("a2", "XA", case=tiny)
    assert str(info.value) == (
        "Ambiguous signer 'a2': it names 2 signers: 'Member A2' (X000002), 'Member A4' "
        "(X000004). Allowed: a name that matches one signer. Did you mean 'Member A2'? Pass "
        "the full name or the bioguide id of the one you mean.")
    # The full name or the id still picks one of them (the fixture's states are fictional
    # codes, so any real state is contradicted).
    a4 = claims.signer_state("Member A4", "MN", case=tiny)
    assert (a4.verdict, a4.evidence.loc[0, "name"], a4.evidence.loc[0, "state"]) == (
        "contradicted", "Member A4", "XB")
    assert claims.signer_state("X000002", "MN", case=tiny).evidence.loc[0, "name"] == \
        "Member A2"


def test_letter_wording():
    quote = "adamantly oppose all future aid packages"
    assert claims.letter_says(quote, case=CASE).verdict == "supported"
    assert claims.letter_says(quote, group=LETTER_B, case=CASE).verdict == "supported"
    # Letter A's full text was not found: absent wording is not settled, never contradicted.
    assert claims.letter_says(quote, group=LETTER_A, case=CASE).verdict == \
        "not settled by the data"
    hits = analysis.find_in_record(quote, case=CASE)
    assert hits.loc[hits["match"], "document"].tolist() == [LETTER_B]


def test_event_dates():
    assert claims.event_date("letter_b_sent", "2023-04-20", case=CASE).verdict == "supported"
    assert claims.event_date("letter_a_sent", "2023-09-21", case=CASE).verdict == "supported"
    assert claims.event_date("signed_into_law", "2024-04-24", case=CASE).verdict == "supported"
    assert claims.event_date("letter_b_sent", "2023-09-21", case=CASE).verdict == "contradicted"
    with pytest.raises(InvalidArgumentError, match="Unknown event 'withdrawal'"):
        claims.event_date("withdrawal", "2022-10-25", case=CASE)


def test_members_without_scores():
    mp = analysis.member_positions(S154, case=CASE)
    assert len(mp) == 100 and "nominate_dim1" not in mp.columns
    paul = mp.set_index("name").loc["Rand Paul"]
    assert paul["seat"] == "KY" and paul["position"] == "Not Voting" and bool(paul["signer"])
    # Trap in the README: a scorecard lists LaMalfa as Nay on H.R. 5692; the record says Yea.
    house = analysis.member_positions(H503, case=CASE).set_index("name")
    assert house.loc["Doug LaMalfa", "position"] == "Yea"
    with pytest.raises(InvalidArgumentError, match="no DW-NOMINATE scores"):
        analysis.signer_grid(sort_by="ideology", case=CASE)
    grid = analysis.signer_grid([H151, S154], sort_by="nays", case=CASE)
    assert int(grid["nays"].max()) == 1


def test_tiers_are_the_cases_own():
    assert analysis.vote_keys(tiers=["core"], case=CASE) == [H151, S154]
    with pytest.raises(InvalidArgumentError, match=r"Unknown tier 'optional'\. Allowed: "):
        analysis.vote_keys(tiers=["optional"], case=CASE)
    assert analysis.vote_keys("House", tiers=["optional"])  # the default case has it


def test_timeline_without_statements():
    t = analysis.timeline(case=CASE)
    assert set(t["kind"]) == {"event", "roll call", "response"}
    assert (t["kind"] == "roll call").sum() == 10
    senate = analysis.filter_timeline(t, categories=["Senate vote"], actors=[], case=CASE)
    assert len(senate) == 4  # the four Senate roll calls
    with pytest.raises(InvalidArgumentError, match="Unknown actor 'caucus statement'"):
        analysis.filter_timeline(t, actors=["caucus statement"], case=CASE)


def test_unknown_key_names_the_case_and_its_keys():
    with pytest.raises(InvalidArgumentError) as info:
        analysis.rollcall("h145-117.2022", case=CASE)
    text = str(info.value)
    assert f"in case {CASE!r}" in text and "'h151-118.2024' (House roll 151)" in text
    assert f"policykit.case({CASE!r}).load('rollcalls')" in text
    with pytest.raises(InvalidArgumentError, match=r"Did you mean 'h151-118\.2024'"):
        analysis.rollcall(151, case=CASE)


def test_the_default_case_is_unchanged_by_case_none():
    assert analysis.vote_keys("House", tiers=["core"], case=None) == \
        analysis.vote_keys("House", tiers=["core"])
    assert claims.signers_voted("h145-117.2022", case=policykit.case()).verdict == "supported"
    with pytest.raises(InvalidArgumentError, match="the letter's signers sit in the House"):
        analysis.party_breakdown("s191-117.2022", split_signers=True)
    pd.testing.assert_frame_equal(analysis.contrast(["h65-117.2022"]),
                                  analysis.contrast(["h65-117.2022"], case="cpc_letter_2022"))


def test_a_case_with_only_the_required_roles(tmp_path):
    """A case folder with signers, roll calls, votes and sources only: the helpers that need
    no other role work on it, the others name the missing role."""
    import json
    import shutil

    from policykit.errors import MissingRoleError

    folder = tmp_path / "bare_case"
    shutil.copytree(policykit.case(CASE).data_dir, folder)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    prop = package["policykit"]
    prop["case"] = "bare_case"
    for role in ("members", "documents", "statements", "responses", "events", "letters"):
        prop["roles"].pop(role, None)
    for section in ("claims", "examples", "tiers", "labels", "events"):
        prop.pop(section, None)
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    bare = policykit.case(folder)

    t = analysis.timeline(case=bare)
    assert set(t["kind"]) == {"roll call"} and len(t) == 10
    assert analysis.find_in_record("strategy", case=bare).empty
    mp = analysis.member_positions(H151, case=bare)  # names: no members table, so the key
    assert len(mp) == 311 + 112 + 1 + 7 and int(mp["signer"].sum()) == 21
    assert claims.signers_voted(H151, "Nay", group=LETTER_B, case=bare).verdict == "supported"
    assert claims.vote_totals(S154, yea=79, nay=18, case=bare).verdict == "supported"
    # Without the case's claims settings the claim read is "voted Yea" (letter B's signers
    # voted Nay: 16 on roll 151, 2 on roll 154).
    check = claims.every_package(LETTER_B, vote_keys=[H151, S154], case=bare)
    assert check.verdict == "contradicted" and check.claim.endswith(
        "voted Yea on each of 2 roll calls.")
    assert "16 Nay" in check.explanation and "2 Nay" in check.explanation
    with pytest.raises(InvalidArgumentError, match="names no aid packages"):
        claims.every_package(case=bare)
    with pytest.raises(MissingRoleError, match="has no role 'events'"):
        claims.event_date("letter_b_sent", "2023-04-20", case=bare)
    with pytest.raises(InvalidArgumentError) as info:
        analysis.rollcall("h1", case=bare)
    assert repr(str(folder)) in str(info.value)  # a folder case is named by its path


# --- Messages on case 2: four parts, with the case's own keys, tiers and calls -----------------

@pytest.mark.parametrize(("call", "message"), [
    (lambda: analysis.rollcall("h151-117.2024", case=CASE),
     "Unknown roll call 'h151-117.2024' in case 'gop_letters_2023'. Keys look like "
     "'h151-118.2024' (House roll 151) or 's154-118.2024' (Senate roll 154). Did you mean "
     "'h151-118.2024'? See policykit.case('gop_letters_2023').load('rollcalls')"
     "[['vote_key', 'label']] for all 10."),
    (lambda: analysis.contrast([], case=CASE),
     "contrast() needs at least one House or Senate roll call; got an empty selection. See "
     "policykit.analysis.vote_keys(case='gop_letters_2023')."),
    (lambda: analysis.vote_keys(tiers=["cor"], case=CASE),
     "Unknown tier 'cor'. Allowed: 'core', 'core_earlier', 'first_vote_after_letter', "
     "'procedural', 'contrast', 'related'. Did you mean 'core'? Pass one of them, or leave "
     "tier out to include all."),
    (lambda: claims.vote_totals(H151, case=CASE),
     "vote_totals() needs the reported totals; got neither yea nor nay. Allowed: whole "
     "numbers. Pass e.g. vote_totals('h151-118.2024', yea=311, nay=112, "
     "case='gop_letters_2023')."),
    (lambda: analysis.contrast(group="letter_b", case=CASE),
     "Unknown signer group 'letter_b'. Allowed: '2023-04-20_lee_crane_to_biden', "
     "'2023-09-21_vance_roy_to_omb', 'lead_signer', 'signed_2023_04_20', "
     "'signed_2023_09_21', 'signed_both'. Pass one of them (see "
     "policykit.analysis.signer_groups(case='gop_letters_2023')), or leave group out for "
     "every signer."),
])
def test_case2_messages(call, message):
    with pytest.raises(InvalidArgumentError) as info:
        call()
    assert str(info.value) == message


def test_unknown_signer_message():
    # A case-1 signer is not a case-2 signer; the 27 distinct names of both letters are.
    shown = ", ".join(repr(n) for n in policykit.case(CASE).load("signatories")["last_name"][:6])
    with pytest.raises(InvalidArgumentError) as info:
        claims.signer_state("Jayapal", "WA", case=CASE)
    assert str(info.value) == (
        f"Unknown signer 'Jayapal'. Allowed: one of the letters' 27 signers, by surname "
        f"({shown}, ...), full name, record name or bioguide id. See "
        f"policykit.case('gop_letters_2023').load('signatories')['name'].")


def test_no_scores_message_gives_the_cases_reason():
    with pytest.raises(InvalidArgumentError) as info:
        analysis.signer_grid(sort_by="ideology", case=CASE)
    reason = policykit.case(CASE).role("members")["no_score_reason"].rstrip(".")
    assert str(info.value) == (
        f"sort_by='ideology' needs ideology scores, and case 'gop_letters_2023' has none: "
        f"{reason}. Allowed: 'name', 'state', 'nays'. Sort by one of them.")
