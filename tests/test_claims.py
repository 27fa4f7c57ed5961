"""Tests for policykit.claims.

Expected values come from independent facts: the shared sources' README (../shared/sources)
and the official totals printed in the roll-call records (the ``rollcalls`` table), never from
re-running the code under test.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

import policykit
from policykit import claims
from policykit.errors import InvalidArgumentError, PolicykitError

ROLL_65 = "h65-117.2022"  # omnibus, first divided question (incl. titles II-III of Div. N)
ROLL_66 = "h66-117.2022"  # the remaining divisions
LEND_LEASE = "h141-117.2022"  # S. 3522, House passage, 417-10
FORTY_B = "h145-117.2022"  # H.R. 7691, the ~$40B supplemental, House passage

SHARED = Path(__file__).resolve().parents[2] / "shared" / "sources"


# --- The result object -------------------------------------------------------------------------

def test_claimcheck_is_frozen_and_carries_verdict_evidence_sources():
    c = claims.signer_count(30)
    assert isinstance(c, claims.ClaimCheck)
    assert c.verdict in claims.VERDICTS
    assert isinstance(c.evidence, pd.DataFrame)
    assert isinstance(c.sources, tuple) and all(isinstance(s, str) for s in c.sources)
    with pytest.raises(AttributeError):
        c.verdict = "contradicted"  # type: ignore[misc]


def test_every_source_id_resolves():
    known = set(policykit.load_sources()["source_id"])
    checks = [
        claims.only_party_voted(LEND_LEASE, "Nay", "R"),
        claims.vote_totals(ROLL_65, yea=361, nay=69),
        claims.signers_voted(ROLL_66),
        claims.signer_count(40),
        claims.signer_state("Bush", "MO"),
        claims.event_date("withdrawal", "2022-10-15"),
        claims.letter_says("direct talks with Russia"),
    ]
    for c in checks:
        assert c.sources, c.claim
        assert set(c.sources) <= known, set(c.sources) - known


def test_str_and_html_show_claim_verdict_evidence_and_sources():
    c = claims.signer_state("Omar", "Michigan")
    text = str(c)
    assert text.splitlines()[0] == "Claim: Ilhan Omar represents Michigan."
    assert "Verdict: CONTRADICTED" in text
    assert "Evidence (1 row):" in text
    assert "consortiumnews-6013ea" in text
    page = c._repr_html_()
    assert "CONTRADICTED" in page and "<table" in page and "consortiumnews-6013ea" in page


def test_html_escapes_text():
    c = claims.not_settled("<b>bold</b> claim", "a & b")
    page = c._repr_html_()
    assert "<b>bold</b>" not in page
    assert "&lt;b&gt;bold&lt;/b&gt; claim" in page and "a &amp; b" in page
    assert "No rows." in page


def test_summary_tabulates_checks():
    t = claims.summary([claims.signer_count(30), claims.signer_count(40),
                        claims.letter_says("no such words in any passage")])
    assert t["verdict"].tolist() == ["supported", "contradicted", "not settled by the data"]
    assert t["evidence_rows"].tolist() == [30, 30, 0]


# --- Votes -------------------------------------------------------------------------------------

def test_lend_lease_nays_were_all_republicans():
    # House roll 141 on S. 3522: 417-10, all ten Nays Republicans (official party totals).
    c = claims.only_party_voted(LEND_LEASE, "Nay", "Republicans")
    assert c.verdict == "supported"
    assert len(c.evidence) == 10
    assert set(c.evidence["party"]) == {"R"}
    assert c.evidence["fits_claim"].all()


def test_only_party_voted_contradicted_when_democrats_also_voted_nay():
    # Roll 65: 69 Nays, 15 of them Democrats (official party totals).
    c = claims.only_party_voted(ROLL_65, "Nay", "R")
    assert c.verdict == "contradicted"
    assert len(c.evidence) == 69
    assert int((~c.evidence["fits_claim"]).sum()) == 15
    assert not c.evidence["fits_claim"].iloc[0]  # the rows that decide come first
    assert "15 Democrats" in c.explanation


def test_only_party_voted_in_the_senate():
    # Senate roll 191 (H.R. 7691): 86-11, all eleven Nays Republicans.
    c = claims.only_party_voted("s191-117.2022", "nay", "R")
    assert c.verdict == "supported"
    assert len(c.evidence) == 11


def test_only_party_voted_with_nobody_in_that_position():
    # Senate roll 131: 100-0.
    c = claims.only_party_voted("s131-117.2022", "Nay", "R")
    assert c.verdict == "contradicted"
    assert c.evidence.empty


def test_vote_totals_roll_65_and_the_split():
    c = claims.vote_totals(ROLL_65, yea=361, nay=69)
    assert c.verdict == "supported"
    assert c.evidence["vote_key"].tolist() == [ROLL_65, ROLL_66]
    assert c.evidence["claimed_vote"].tolist() == [True, False]
    assert "260-171" in c.explanation
    assert claims.vote_totals(ROLL_66, yea=361, nay=69).verdict == "contradicted"
    assert claims.vote_totals(ROLL_66, yea=260, nay=171).verdict == "supported"
    assert claims.vote_totals(LEND_LEASE, yea=417, nay=10).verdict == "supported"
    assert claims.vote_totals(LEND_LEASE, nay=10).verdict == "supported"
    assert claims.vote_totals(FORTY_B, yea=368).verdict == "supported"


def test_thirteen_signers_voted_nay_on_roll_65():
    c = claims.signers_voted(ROLL_65, "Nay", count=13)
    assert c.verdict == "supported"
    assert int(c.evidence["fits_claim"].sum()) == 13
    assert c.evidence["fits_claim"].iloc[:13].all()  # those named by the claim come first
    assert claims.signers_voted(ROLL_65, "Nay", count=14).verdict == "contradicted"
    assert claims.signers_voted(ROLL_65, "Nay").verdict == "contradicted"


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/sources is not available")
def test_roll_65_signer_nays_match_the_raw_clerk_record():
    with open(SHARED / "letter" / "signatories.csv", encoding="utf-8") as f:
        signer_ids = {r["bioguide_id"] for r in csv.DictReader(f)}
    with open(SHARED / "votes" / "house_member_votes.csv", encoding="utf-8") as f:
        raw = {r["bioguide_id"] for r in csv.DictReader(f)
               if r["vote_key"] == ROLL_65 and r["position"] == "Nay"} & signer_ids
    assert len(raw) == 13
    signers = policykit.load_signatories().set_index("name")["bioguide_id"]
    c = claims.signers_voted(ROLL_65, "Nay", count=13)
    assert set(signers[c.evidence.loc[c.evidence["fits_claim"], "name"]]) == raw


def test_signers_all_yea_on_roll_66_except_tlaib_present():
    c = claims.signers_voted(ROLL_66, "Yea")
    assert c.verdict == "contradicted"
    misfits = c.evidence[~c.evidence["fits_claim"]]
    assert misfits["name"].tolist() == ["Rashida Tlaib"]
    assert misfits["position"].tolist() == ["Present"]
    assert c.evidence.index[~c.evidence["fits_claim"]].tolist() == [0]
    assert claims.signers_voted(ROLL_66, "Present", count=1).verdict == "supported"


def test_every_signer_voted_for_the_40b_supplemental():
    c = claims.signers_voted(FORTY_B)
    assert c.verdict == "supported"
    assert len(c.evidence) == 30 and c.evidence["fits_claim"].all()


# --- Signers -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("n", "verdict"), [(30, "supported"), (40, "contradicted"),
                                            (0, "contradicted")])
def test_signer_count(n, verdict):
    c = claims.signer_count(n)
    assert c.verdict == verdict
    assert len(c.evidence) == 30
    assert "8 of them rest on a single published list" in c.explanation


@pytest.mark.parametrize(("name", "state", "verdict"), [
    ("Bush", "MO", "supported"),
    ("Cori Bush", "Missouri", "supported"),
    ("Omar", "MN", "supported"),
    ("Omar", "Michigan", "contradicted"),
    ("omar", "mi", "contradicted"),
    ("Khanna", "California", "supported"),
    ("Khanna", "NY", "contradicted"),
    ("T000481", "MI", "supported"),  # Tlaib, by bioguide id
])
def test_signer_state(name, state, verdict):
    assert claims.signer_state(name, state).verdict == verdict


def test_signer_state_lee_is_barbara_lee_not_jackson_lee():
    assert claims.signer_state("Lee", "CA").evidence.loc[0, "name"] == "Barbara Lee"
    assert claims.signer_state("Jackson Lee", "TX").verdict == "supported"


# --- Dates -------------------------------------------------------------------------------------

def test_withdrawal_was_on_25_october_not_15():
    wrong = claims.event_date("withdrawal", "2022-10-15")
    assert wrong.verdict == "contradicted"
    assert "2022-10-25" in wrong.explanation
    assert set(wrong.evidence["kind"]) == {"event", "statement"}
    assert (wrong.evidence["date"] == pd.Timestamp("2022-10-25")).all()
    assert claims.event_date("withdrawal", dt.date(2022, 10, 25)).verdict == "supported"


@pytest.mark.parametrize(("event", "date"), [
    ("invasion", "2022-02-24"),
    ("release", "2022-10-24"),
    ("clarification", "2022-10-24"),
    ("midterms", "2022-11-08"),
    ("jacobs_signed", "2022-06-30"),
])
def test_event_dates(event, date):
    assert claims.event_date(event, date).verdict == "supported"


def test_event_keys_point_at_the_right_rows():
    events = policykit.load_events().set_index("event_id")["event"]
    expect = {"withdrawal": "withdraws", "clarification": "clarifying", "release": "sent",
              "invasion": "invasion", "midterms": "midterm", "annexation": "annex",
              "blank_check_remark": "blank check", "jacobs_signed": "Jacobs"}
    for key, word in expect.items():
        assert word in events[claims.EVENTS[key]], key
    assert set(claims.EVENTS.values()) <= set(events.index)


def test_planned_release_is_flagged_single_source():
    c = claims.event_date("planned_release", "2022-08-01")
    assert c.verdict == "supported"
    assert "single source" in c.explanation


def test_event_by_id():
    events = policykit.load_events()
    withdrawal = events.loc[events["event"].str.contains("withdraws the letter"), "event_id"]
    assert claims.event_date(withdrawal.iloc[0], "2022-10-25").verdict == "supported"


def test_event_keys_come_from_the_data():
    events = policykit.load_events()
    keyed = events[events["event_key"].notna()]
    assert dict(zip(keyed["event_key"], keyed["event_id"], strict=True)) == dict(claims.EVENTS)
    # Every key the case's claims settings can phrase is in the data, and each names one row.
    phrases = policykit.case().config["claims"]["event_phrases"]
    assert set(phrases) == set(claims.EVENTS)
    assert keyed["event_key"].is_unique


# --- The letter's wording and what the data cannot settle --------------------------------------

def test_letter_says_found_and_not_found():
    found = claims.letter_says("engage in direct talks with Russia")
    assert found.verdict == "supported"
    assert len(found.evidence) == 1
    assert found.evidence["text"].iloc[0].startswith("we urge you to make vigorous diplomatic")
    missing = claims.letter_says("unconditional surrender")
    assert missing.verdict == "not settled by the data"  # never 'contradicted'
    assert "incomplete" in missing.explanation
    assert missing.evidence.empty


def test_not_settled_keeps_context_and_its_sources():
    st = policykit.load_statements()
    c = claims.not_settled("The chair approved the release.", "Approval is not recorded.",
                           evidence=st[st["statement"] == "withdrawal"])
    assert c.verdict == "not settled by the data"
    # letter.json quotes 5 sentences of the withdrawal; withdrawal_statement_more.json 4 more.
    assert len(c.evidence) == 9
    assert "washingtonpost-e3bb9e" in c.sources
    assert claims.not_settled("x", "y").evidence.empty


# --- Errors: exact text ------------------------------------------------------------------------

@pytest.mark.parametrize(("call", "message"), [
    (lambda: claims.only_party_voted("h141", "Nay", "R"),
     "Unknown roll call 'h141'. Keys look like 'h145-117.2022' (House roll 145) or "
     "'s191-117.2022' (Senate roll 191). Did you mean 'h141-117.2022'? See "
     "policykit.load_rollcalls()[['vote_key', 'label']] for all 24."),
    (lambda: claims.only_party_voted(LEND_LEASE, "against", "R"),
     "Unknown position 'against'. Allowed: 'Yea', 'Nay', 'Present', 'Not Voting'. Positions "
     "are spelt as in the House Clerk's record ('Yea', 'Nay', ...)."),
    (lambda: claims.only_party_voted(LEND_LEASE, "Nay", "Republcans"),
     "Unknown party 'Republcans'. Allowed: 'D', 'R', 'I', 'Democrats', 'Republicans', "
     "'Independents'. Did you mean 'Republicans'? Use 'D', 'R' or 'I' (or the party's name)."),
    (lambda: claims.signer_state("Omer", "MN"),
     "Unknown signer 'Omer'. Allowed: one of the letter's 30 signers, by surname ('Jayapal', "
     "'Adams', 'Blumenauer', 'Bowman', 'Bush', 'Carson', ...), full name or bioguide id. Did "
     "you mean 'Omar'? See policykit.load_signatories()['name']."),
    (lambda: claims.signer_state("Gallego", "AZ"),
     "Unknown signer 'Gallego'. Allowed: one of the letter's 30 signers, by surname "
     "('Jayapal', 'Adams', 'Blumenauer', 'Bowman', 'Bush', 'Carson', ...), full name or "
     "bioguide id. 'Gallego' is a House member's surname, but not a signer's. See "
     "policykit.load_signatories()['name']."),
    (lambda: claims.signer_state("Omar", "Minesota"),
     "Unknown state 'Minesota'. Allowed: a two-letter code such as 'MN' or a state's name "
     "such as 'Minnesota'. Did you mean 'Minnesota'? See policykit.load_signatories()['state'] "
     "for the signers' states."),
    (lambda: claims.event_date("withdrawl", "2022-10-25"),
     "Unknown event 'withdrawl'. Allowed: 'invasion', 'jacobs_signed', 'planned_release', "
     "'annexation', 'armageddon_remark', 'blank_check_remark', 'release', "
     "'white_house_response', 'clarification', 'withdrawal', 'midterms'. Did you mean "
     "'withdrawal'? Or pass an event_id from policykit.load_events()."),
    (lambda: claims.event_date("withdrawal", "October 15"),
     "date must be a date like '2022-10-24' or '24 Oct 2022'; got 'October 15', which has no "
     "year. Allowed: a string such as '2022-10-24' or '24 Oct 2022', a datetime.date, or a "
     "datetime without a time zone. Did you mean '2022-10-15'? Pass the date the claim gives, "
     "e.g. '2022-10-25'."),
    (lambda: claims.signer_count("30"),
     "n must be a whole number of 0 or more; got '30'. Allowed: 0, 1, 2, ... Did you mean 30? "
     "Pass e.g. n=30."),
    (lambda: claims.signer_count(True),
     "n must be a whole number of 0 or more; got True. Allowed: 0, 1, 2, ... Pass e.g. n=30."),
    (lambda: claims.signers_voted("s191-117.2022"),
     "signers_voted() is about the letter's signers, who sit in the House; 's191-117.2022' is "
     "a Senate vote. Allowed: House keys, which start with 'h'. See "
     "policykit.analysis.vote_keys('House')."),
    (lambda: claims.signers_voted(ROLL_65, "Nay", count=-1),
     "count must be a whole number of 0 or more; got -1. Allowed: 0, 1, 2, ... Pass e.g. "
     "count=30."),
    (lambda: claims.vote_totals(ROLL_65),
     "vote_totals() needs the reported totals; got neither yea nor nay. Allowed: whole "
     "numbers. Pass e.g. vote_totals('h65-117.2022', yea=361, nay=69)."),
    (lambda: claims.letter_says("  "),
     "letter_says() needs a non-empty phrase; got '  '. Allowed: any text to look for. Try "
     "e.g. letter_says('ceasefire')."),
    (lambda: claims.not_settled("A claim.", ""),
     "not_settled() needs a non-empty reason; got ''. Allowed: a sentence of text. Write the "
     "reason in words, e.g. not_settled('X wanted Y.', 'Motives are not recorded in the "
     "data.')."),
    (lambda: claims.not_settled("A claim.", "Why.", evidence=[1, 2]),
     "evidence must be a pandas DataFrame or None; got 'list'. Allowed: rows from a policykit "
     "table. Pass e.g. evidence=policykit.load_statements().head(2), or leave it out."),
    (lambda: claims.summary([claims.signer_count(30), "supported"]),
     "summary() takes ClaimCheck results; got 'str'. Allowed: the values returned by the "
     "functions of policykit.claims. Pass a list such as [claims.signer_count(30), ...]."),
    (lambda: claims.ClaimCheck("c", "true", "e", pd.DataFrame()),  # type: ignore[arg-type]
     "Unknown verdict 'true'. Allowed: 'supported', 'contradicted', 'not settled by the "
     "data'. A ClaimCheck's verdict must be one of these."),
])
def test_error_messages(call, message):
    with pytest.raises(InvalidArgumentError) as info:
        call()
    assert str(info.value) == message
    assert isinstance(info.value, PolicykitError) and isinstance(info.value, ValueError)


def test_lazy_import_and_public_names():
    assert policykit.claims is claims
    for name in claims.__all__:
        assert hasattr(claims, name), name


# --- The withdrawal statement's "voted for every package" ---------------------------------------

def _raw_house_rollcalls():
    with (SHARED / "votes" / "house_rollcalls.csv").open(encoding="utf-8", newline="") as fh:
        return {r["vote_key"]: r for r in csv.DictReader(fh)}


def test_every_package_for_signers_is_contradicted_by_the_march_votes():
    # Sources README: "13 letter signers voted Nay on roll 65; all voted Yea on roll 66 except
    # Tlaib (Present)"; every signer voted Yea on the other core aid votes before 25 Oct.
    c = claims.every_package("signers")
    assert c.verdict == "contradicted"
    ev = c.evidence.set_index("vote_key")
    assert list(c.evidence["vote_key"][:2]) == [ROLL_65, ROLL_66]  # misfits first
    assert ev.loc[ROLL_65, "nay"] == 13 and ev.loc[ROLL_65, "members"] == 30
    assert ev.loc[ROLL_66, "not_yea"] == "TLAIB, Rashida (Present)"
    assert set(ev.index[ev["fits_claim"]]) == {LEND_LEASE, FORTY_B, "h476-117.2022"}
    # The roll call of 23 Dec 2022 came after the statement of 25 Oct: not part of the claim.
    assert "h549-117.2022" not in ev.index
    assert "13 Nay" in c.explanation and "1 Present" in c.explanation
    assert "Divisions B,C,F,X,Z, titles 2&3 of Division N" in c.explanation
    assert "Remaining Divisions" in c.explanation


def test_every_package_for_all_house_democrats_uses_the_recorded_party_totals():
    if not SHARED.is_dir():
        pytest.skip("the raw roll-call file is not beside this checkout")
    raw = _raw_house_rollcalls()
    c = claims.every_package("democrats")
    assert c.verdict == "contradicted"
    for row in c.evidence.itertuples():
        rec = raw[row.vote_key]
        assert (row.yea, row.nay, row.present, row.not_voting) == (
            int(rec["dem_yea"]), int(rec["dem_nay"]), int(rec["dem_present"]),
            int(rec["dem_not_voting"]))


def test_every_package_depends_on_which_votes_count():
    later = [LEND_LEASE, FORTY_B, "h476-117.2022"]
    assert claims.every_package("signers", vote_keys=later).verdict == "supported"
    assert claims.every_package("democrats", vote_keys=later).verdict == "supported"
    only_66 = claims.every_package("democrats", vote_keys=[ROLL_66])
    assert only_66.verdict == "contradicted" and "1 Present" in only_66.explanation


def test_every_package_cites_the_statement_and_the_records():
    c = claims.every_package()
    st = policykit.load_statements()
    sentence = st[st["quote"].str.contains("unanimously supported and voted for every package")]
    assert len(sentence) == 1
    for sid in sentence["sources"].iloc[0].split(";"):
        assert sid in c.sources
    rc = policykit.load_rollcalls().set_index("vote_key")
    assert rc.loc[ROLL_65, "sources"].split(";")[0] in c.sources


def test_every_package_rejects_bad_arguments():
    with pytest.raises(InvalidArgumentError) as info:
        claims.every_package("democrat")
    assert "'democrat'" in str(info.value) and "Did you mean 'democrats'?" in str(info.value)
    with pytest.raises(InvalidArgumentError, match="a list of House roll-call keys"):
        claims.every_package(vote_keys=FORTY_B)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="vote_keys is empty"):
        claims.every_package(vote_keys=[])
    with pytest.raises(InvalidArgumentError, match="is a Senate vote"):
        claims.every_package(vote_keys=["s191-117.2022"])


def test_letter_explorer_shows_the_withdrawals_stated_reasons():
    from policykit import explore

    view = explore.letter().statements_view.value
    assert "The statement gives its reasons" in view
    assert "conflated with Republican Leader McCarthy" in view
    assert view.count("· stated reason") == 4  # the four reason sentences, marked
    withdrawal = view[view.index("Withdrawal,"):]
    assert withdrawal.index("Because of the timing") < withdrawal.index("As such, it is")


# --- Reported aid amounts ----------------------------------------------------------------------

@pytest.mark.parametrize(("vote_key", "amount", "verdict"), [
    # Sources README: "Aid amounts ($13.6B, ~$40B, ~$12.3B, ~$45B) come from news and CRS";
    # "$39.8 billion at House passage" (timeline.csv) agrees with "about $40 billion".
    ("h145-117.2022", 40, "supported"),
    ("h145-117.2022", 39.8, "supported"),
    ("h476-117.2022", 12.3, "supported"),
    ("h549-117.2022", 44.9, "supported"),
    ("s78-117.2022", 13.6, "supported"),  # the Senate concurred in the whole omnibus
    ("h145-117.2022", 13.6, "contradicted"),
    # Sources README: 'News reports that "$13.6B passed 361-69" simplify': roll 65 was one
    # part of a divided question, and the record gives no figure for it.
    ("h65-117.2022", 13.6, "not settled by the data"),
    ("h66-117.2022", 13.6, "not settled by the data"),
    ("s190-117.2022", 40, "not settled by the data"),  # a cloture vote
])
def test_aid_amount(vote_key, amount, verdict):
    c = claims.aid_amount(vote_key, amount)
    assert c.verdict == verdict
    assert c.evidence.loc[0, "vote_key"] == vote_key and bool(c.evidence.loc[0, "claimed_vote"])


def test_aid_amount_on_a_divided_question_says_what_the_part_covered():
    c = claims.aid_amount(ROLL_65, 13.6)
    assert "titles II and III of Division N" in c.explanation
    assert "s78-117.2022" in c.explanation  # where the enacted law's figure is
    assert set(c.evidence["vote_key"]) == {ROLL_65, ROLL_66, "s78-117.2022"}


@pytest.mark.parametrize("bad", [-1, "13.6", True, float("nan")])
def test_aid_amount_rejects_a_non_amount(bad):
    with pytest.raises(InvalidArgumentError) as info:
        claims.aid_amount(ROLL_65, bad)
    assert f"got {bad!r}" in str(info.value) and "aid_amount('h65-117.2022', 13.6)" in \
        str(info.value)


def test_one_member_is_counted_in_the_singular():
    # Sources README: roll 66 (260-171-1): every signer voted Yea "except Tlaib (Present)", a
    # Democrat, the only Present.
    only_d = claims.only_party_voted("h66-117.2022", "Present", "D")
    assert only_d.verdict == "supported"
    assert only_d.explanation == "The one member recorded as Present is a Democrat."
    only_r = claims.only_party_voted("h66-117.2022", "Present", "R")
    assert only_r.verdict == "contradicted"
    assert only_r.explanation == "1 member voted Present, none of them Republicans: 1 Democrat."
    # Brief: the letter was led by one member, Rep. Pramila Jayapal (D).
    lead = claims.signer_count(1, group="lead_signer")
    assert lead.verdict == "supported"
    assert lead.claim == "1 member of Congress signed the letter (lead_signer)."
    assert lead.explanation.startswith("The letter (lead_signer) carries 1 name (1 Democrat);")
    # Lesson 09 / sources: all 30 signers, the lead among them, voted Yea on roll 145.
    one = claims.signers_voted("h145-117.2022", "Yea", group="lead_signer")
    assert one.verdict == "supported"
    assert one.explanation == "The 1 signer's recorded positions: 1 Yea."
