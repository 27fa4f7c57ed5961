"""Figure builders: what they draw agrees with the official record and the sourced facts.

Expected values come from the record (the Clerk's totals stored as ``yea``/``nay``/...
in ``rollcalls``, read through ``recorded_tally``) and from the shared sources' notes (30
signers; 13 signers voted Nay on roll 65; on roll 66 all voted Yea except Tlaib, Present),
never from the figures' own output.
"""

from __future__ import annotations

import html
import re
import socket

import pandas as pd
import plotly.graph_objects as go
import plotly.io
import plotly.offline
import pytest

import policykit
from policykit import _plotlyjs, analysis, figures
from policykit.analysis import POSITIONS
from policykit.errors import InvalidArgumentError

HOUSE_KEYS = analysis.vote_keys("House")
TLAIB = "T000481"


def _counts(fig: go.Figure) -> dict[str, int]:
    return {t.name: len(t.x) for t in fig.data if t.name in POSITIONS}


@pytest.mark.parametrize("vote_key", HOUSE_KEYS)
def test_positions_figure_draws_every_recorded_vote(vote_key):
    fig = figures.positions_figure(analysis.member_positions(vote_key), vote_key=vote_key)
    assert _counts(fig) == policykit.recorded_tally(vote_key).to_dict()
    rec = policykit.recorded_tally(vote_key)
    assert figures.summary(fig).endswith("recorded totals match.")
    for pos in POSITIONS:
        assert f"{int(rec[pos])} {pos}" in figures.summary(fig)


def test_figures_carry_plotly_white_as_plotly_itself_applies_it():
    fig = figures.positions_figure(analysis.member_positions("h145-117.2022"),
                                   vote_key="h145-117.2022")
    expected = go.Figure().update_layout(template="plotly_white").layout.template
    assert fig.layout.template.to_plotly_json() == expected.to_plotly_json()
    # The figure has a copy of its own: changing it leaves plotly's registered template, and
    # the next figure, as they were.
    fig.layout.template.layout.font.size = 99
    assert plotly.io.templates["plotly_white"].layout.font.size is None
    again = figures.positions_figure(analysis.member_positions("h145-117.2022"),
                                     vote_key="h145-117.2022")
    assert again.layout.template.to_plotly_json() == expected.to_plotly_json()


def test_positions_figure_roll_145_summary_matches_the_clerk():
    fig = figures.positions_figure(analysis.member_positions("h145-117.2022"),
                                   vote_key="h145-117.2022")
    assert "368 Yea, 57 Nay, 0 Present, 5 Not Voting — recorded totals match" in \
        figures.summary(fig)


def test_positions_are_encoded_by_colour_and_symbol():
    fig = figures.positions_figure(analysis.member_positions("h66-117.2022"),
                                   vote_key="h66-117.2022")
    traces = [t for t in fig.data if t.name in POSITIONS]
    assert [t.name for t in traces] == list(POSITIONS)
    colours = {t.marker.color for t in traces}
    symbols = {t.marker.symbol for t in traces}
    assert len(colours) == 4 and len(symbols) == 4
    okabe_ito = {c.upper() for c in figures.OKABE_ITO.values()}
    assert {c.upper() for c in colours if c.upper() != "#8C8C8C"} <= okabe_ito


def test_signers_are_marked_larger_and_outlined():
    fig = figures.positions_figure(analysis.member_positions("h65-117.2022"),
                                   vote_key="h65-117.2022")
    big = sum(1 for t in fig.data if t.name in POSITIONS for s in t.marker.size if s > 8)
    outlined = sum(1 for t in fig.data if t.name in POSITIONS
                   for w in t.marker.line.width if w >= 2)
    assert big == outlined == 30  # the letter had 30 signers
    nay = next(t for t in fig.data if t.name == "Nay")
    assert sum(1 for s in nay.marker.size if s > 8) == 13  # 13 signers voted Nay on roll 65
    assert any("Signed the letter" in str(t.name) for t in fig.data)


def test_positions_hover_names_seat_position_and_signature():
    mp = analysis.member_positions("h66-117.2022")
    fig = figures.positions_figure(mp, vote_key="h66-117.2022")
    present = next(t for t in fig.data if t.name == "Present")
    (text,) = present.hovertext
    assert "TLAIB" in text and "MI-13" in text
    assert "Position: Present" in text and "Signed the letter: yes" in text


def test_positions_strip_and_dim2_axes():
    mp = analysis.member_positions("h145-117.2022")
    strip = figures.positions_figure(mp, vote_key="h145-117.2022", y="strip")
    dim2 = figures.positions_figure(mp, vote_key="h145-117.2022", y="dim2")
    assert list(strip.layout.yaxis.ticktext) == list(POSITIONS)
    yea = mp[mp["position"] == "Yea"]
    assert sorted(next(t for t in dim2.data if t.name == "Yea").y) == \
        sorted(yea["nominate_dim2"].tolist())
    with pytest.raises(policykit.errors.InvalidArgumentError, match="Unknown y axis 'dim3'"):
        figures.positions_trace_data(mp, y="dim3")


def test_positions_summary_for_an_empty_filter():
    mp = analysis.member_positions("h145-117.2022")
    empty = analysis.filter_members(mp, party="R", signers="signers")
    fig = figures.positions_figure(empty, vote_key="h145-117.2022", total=len(mp),
                                   filters="Republicans, letter signers")
    assert _counts(fig) == dict.fromkeys(POSITIONS, 0)
    assert figures.summary(fig).startswith("No members shown")


def test_grid_figure_matches_the_sourced_facts_on_rolls_65_and_66():
    keys = ["h65-117.2022", "h66-117.2022"]
    grid = analysis.signer_grid(keys)
    assert len(grid) == 30
    fig = figures.grid_figure(grid, keys)
    by_pos = {t.name: t for t in fig.data}
    col65, col66 = (figures._short_roll(k) for k in keys)
    assert sum(1 for x in by_pos["Nay"].x if x == col65) == 13
    assert sum(1 for x in by_pos["Nay"].x if x == col66) == 0
    assert [y for x, y in zip(by_pos["Present"].x, by_pos["Present"].y, strict=True)
            if x == col66] == ["Tlaib (MI-13)"]
    assert sum(1 for x in by_pos["Yea"].x if x == col66) == 29


@pytest.mark.parametrize("sort_by", analysis.SIGNER_SORTS)
def test_grid_rows_follow_the_sort(sort_by):
    keys = HOUSE_KEYS
    grid = analysis.signer_grid(keys, sort_by=sort_by)
    fig = figures.grid_figure(grid, keys, sort_by=sort_by)
    top_first = list(fig.layout.yaxis.categoryarray)[::-1]
    assert top_first == figures._signer_labels(grid)
    if sort_by == "nays":
        assert grid["nays"].is_monotonic_decreasing
    if sort_by == "ideology":
        assert grid["nominate_dim1"].is_monotonic_increasing


def test_breakdown_figure_roll_65():
    table = analysis.party_breakdown("h65-117.2022", split_signers=True)
    fig = figures.breakdown_figure(table, "h65-117.2022")
    nay = next(t for t in fig.data if t.name == "Nay")
    assert dict(zip(nay.y, (int(v) for v in nay.x), strict=True))["Signers (D)"] == 13
    assert [t.marker.pattern.shape for t in fig.data] == [
        figures.POSITION_STYLE[p]["pattern"] for p in POSITIONS]
    assert "Signers (D):" in figures.summary(fig)


def test_timeline_figure_as_known_on_hides_what_was_not_yet_public():
    before = analysis.timeline(as_known_on="2022-10-23")
    fig = figures.timeline_figure(before, as_known_on="2022-10-23")
    names = {t.name: len(t.x) for t in fig.data}
    assert names["Caucus statement"] == 0  # clarification and withdrawal: 24-25 October
    assert all(pd.Timestamp(x) <= pd.Timestamp("2022-10-23") for t in fig.data for x in t.x)
    assert len(fig.layout.shapes) == 1 and "As known on 23 Oct 2022" in \
        fig.layout.annotations[0].text


def test_timeline_signing_shows_up_only_once_public():
    events = policykit.load_events()
    signing = events[events["date"] == "2022-06-30"].iloc[0]  # signatures from 30 June
    assert signing["date_public"] > signing["date"]
    for known, expected in (("2022-10-24", 0), ("2022-10-25", 1)):
        t = analysis.timeline(as_known_on=known)
        fig = figures.timeline_figure(t)
        dates = [pd.Timestamp(x) for x in next(tr for tr in fig.data if tr.name == "Event").x]
        assert dates.count(pd.Timestamp("2022-06-30")) == expected


def test_timeline_hover_shows_source_ids_and_urls():
    fig = figures.timeline_figure(analysis.timeline())
    sources = policykit.load_sources().set_index("source_id")["url"]
    roll = next(t for t in fig.data if t.name == "Roll call")
    first = roll.hovertext[0]
    ids = re.findall(r"<br>([a-z0-9-]+) — (https?://[^<\s]+)", first)
    assert ids, first
    for sid, url in ids:
        assert sources[sid] == url


def test_timeline_draws_every_item_once():
    t = analysis.timeline()
    fig = figures.timeline_figure(t)
    assert sum(len(tr.x) for tr in fig.data) == len(t)
    assert len({tr.marker.symbol for tr in fig.data}) == len(fig.data)


def test_record_figure_direct_talks_is_in_the_letter_only():
    record = analysis.find_in_record("direct talks")
    fig = figures.record_figure(record, "direct talks")
    hits = dict(zip(fig.data[0].y, (int(v) for v in fig.data[0].x), strict=True))
    assert [v for k, v in hits.items() if k.startswith("Letter")] == [1]
    assert sum(hits.values()) == 1


def test_rollcall_options_are_grouped_and_labelled_from_the_data():
    options = figures.rollcall_options("House")
    rc = policykit.load_rollcalls().set_index("vote_key")
    assert sorted(k for _, k in options) == sorted(HOUSE_KEYS)
    tiers = [rc.loc[k, "tier"] for _, k in options]
    assert tiers == sorted(tiers, key=["core", "optional", "related"].index)
    label = dict((k, lab) for lab, k in options)["h145-117.2022"]
    assert label.startswith("Core aid — Additional Ukraine Supplemental")
    assert label.endswith("(House roll 145, 10 May 2022)")


def test_static_html_embeds_plotlyjs_and_fetches_nothing(monkeypatch):
    monkeypatch.setattr(figures, "_PLOTLYJS_EMBEDDED", False)  # as in a fresh kernel
    fig = figures.positions_figure(analysis.member_positions("h145-117.2022"),
                                   vote_key="h145-117.2022")
    text = figures.static_html(fig, table=pd.DataFrame({"a": [1]}),
                               summary_text=figures.summary(fig))
    again = figures.static_html(fig)
    bundle = _plotlyjs.loader_script()  # the vendored partial plotly.js, packed
    assert bundle not in again and "window.policykitPlotly" in again
    assert text.count(bundle) == 1 and plotly.offline.get_plotlyjs() not in text
    assert "policykit-missing-js" in again and "policykit-missing-js" not in text
    assert not re.search(r"<script[^>]+src=", text)
    # The only 'cdn.plot.ly' in the page is plotly.js's own default for topojsonURL, used
    # only by geo traces, which policykit never draws.
    assert "cdn.plot.ly" not in text.replace(bundle, "")
    assert "368 Yea, 57 Nay" in text and "<table" in text


def test_builders_open_no_network_connection(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a figure builder tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    fig = figures.timeline_figure(analysis.timeline())
    figures.static_html(fig)
    figures.record_figure(analysis.find_in_record("war"), "war")


# --- Readable at any width (issue 9): wrapped titles, padded tables, spread clusters ----------

def _title_lines(title: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", line) for line in title.split("<br>")]


@pytest.mark.parametrize("vote_key", HOUSE_KEYS)
def test_long_titles_wrap_between_words_and_lose_nothing(vote_key):
    rc = policykit.load_rollcalls().set_index("vote_key").loc[vote_key]
    fig = figures.positions_figure(analysis.member_positions(vote_key), vote_key=vote_key)
    lines = [html.unescape(line) for line in _title_lines(fig.layout.title.text)]
    assert all(len(line) <= 80 for line in lines), lines
    text = " ".join(lines)
    assert text.startswith(str(rc["display_title"]))
    assert str(rc["question"]) in text  # never cut mid-word ("titles 2&3 of Divis")
    extra = len(lines) - 2
    assert fig.layout.margin.t >= 90 + 17 * extra
    assert fig.layout.height - fig.layout.margin.t == 470 - 90  # the plot keeps its height


def test_breakdown_subtitle_names_the_whole_roll_call():
    key = "h476-117.2022"
    title = str(policykit.load_rollcalls().set_index("vote_key").loc[key, "display_title"])
    assert len(title) > 60  # 'Continuing Appropriations and Ukraine Supplemental ...'
    fig = figures.breakdown_figure(analysis.party_breakdown(key, split_signers=True), key)
    text = " ".join(_title_lines(fig.layout.title.text))
    assert title in text and "…" not in text


def test_static_tables_pad_every_cell():
    table = pd.DataFrame({"Group": ["Other Democrats"], "Yea": [190], "Nay": [2]})
    text = figures.static_html(go.Figure(), table=table, include_plotlyjs=False)
    cells = re.findall(r"<t[dh](?:\s[^>]*)?>", text)
    assert len(cells) == 6
    assert all(re.search(r"padding:\s*[\d.]+em", cell) for cell in cells), cells


def test_timeline_same_day_items_sit_apart_within_their_lane_and_day():
    t = analysis.timeline()
    lanes = analysis.timeline_lanes(t)["key"].tolist()
    fig = figures.timeline_figure(t, lanes=lanes)
    points = [(pd.Timestamp(x), y) for tr in fig.data for x, y in zip(tr.x, tr.y, strict=True)]
    assert len(points) == len(t) and len(set(points)) == len(points)  # none on another
    rows = {len(lanes) - 1 - i for i in range(len(lanes))}
    for when, y in points:
        lane = round(y)
        assert lane in rows and abs(y - lane) <= 0.42  # inside its own lane's band
        assert when.normalize() in set(t["date"])  # on its own day
    # The withdrawal's sentences (25 Oct 2022) in the caucus statements lane: all apart.
    statements = next(tr for tr in fig.data if tr.name == "Caucus statement")
    oct25 = [(x, y) for x, y in zip(statements.x, statements.y, strict=True)
             if str(x).startswith("2022-10-25")]
    withdrawal = policykit.load_statements()
    assert len(oct25) == int((withdrawal["statement"] == "withdrawal").sum())
    assert len(set(oct25)) == len(oct25)


def test_as_known_on_line_closes_its_day_and_its_label_stays_inside():
    t = analysis.timeline(as_known_on="2022-10-25")
    fig = figures.timeline_figure(t, as_known_on="2022-10-25",
                                  xrange=("2022-02-24", "2022-12-29"))
    (line,) = fig.layout.shapes
    assert pd.Timestamp(line.x0) == pd.Timestamp("2022-10-26")  # the end of 25 Oct
    (label,) = fig.layout.annotations
    assert label.xanchor == "right"  # late in the year: the label runs leftwards
    early = figures.timeline_figure(analysis.timeline(as_known_on="2022-03-01"),
                                    as_known_on="2022-03-01",
                                    xrange=("2022-02-24", "2022-12-29"))
    assert early.layout.annotations[0].xanchor == "left"


# --- Case 2 (gop_letters_2023): the same builders on the 2023 Republican letters ---------------
# Expected values from ../shared/sources/case2/README.md (the record's totals and the key
# results table), never from the figures' own output.

CASE2 = "gop_letters_2023"
LETTER_B = "2023-04-20_lee_crane_to_biden"
LETTER_A = "2023-09-21_vance_roy_to_omb"


def test_case2_positions_figure_roll_151_counts_311_yea_112_nay():
    mp = analysis.member_positions("h151-118.2024", case=CASE2)
    fig = figures.positions_figure(mp, vote_key="h151-118.2024", case=CASE2)
    counts = _counts(fig)
    assert (counts["Yea"], counts["Nay"]) == (311, 112)  # H.R. 8035, 311-112
    assert "members on House roll 151: 311 Yea, 112 Nay" in figures.summary(fig)


def test_case2_positions_without_scores_place_members_by_party_and_say_why():
    case = policykit.case(CASE2)
    assert not figures.has_score(case)
    assert figures.y_axis_options(case) == ["strip"]
    mp = analysis.member_positions("h151-118.2024", case=CASE2)
    fig = figures.positions_figure(mp, vote_key="h151-118.2024", case=CASE2)
    reason = case.role("members")["no_score_reason"]
    assert figures.summary(fig).endswith(reason)
    assert "DW-NOMINATE" not in fig.layout.xaxis.title.text
    assert list(fig.layout.xaxis.ticktext) == ["Democrats", "Republicans"]  # House seats
    # Every Republican sits in the Republicans' band (x from 0.6 to 1.4), states A to Z.
    nay = next(t for t in fig.data if t.name == "Nay")
    assert all(0.55 < x < 1.45 for x in nay.x)  # all 112 Nays on roll 151 were Republicans
    assert all("DW-NOMINATE" not in h for h in nay.hovertext)
    with pytest.raises(InvalidArgumentError, match="has no second ideology score"):
        figures.positions_trace_data(mp, y="dim2", case=CASE2)


def test_case2_positions_figure_senate_roll_154_letter_b_senators():
    assert figures.positions_chambers(CASE2) == ["House", "Senate"]
    assert figures.positions_chamber_note(CASE2) == ""
    mp = analysis.member_positions("s154-118.2024", group=LETTER_B, case=CASE2)
    fig = figures.positions_figure(mp, vote_key="s154-118.2024", case=CASE2)
    assert _counts(fig) == {"Yea": 79, "Nay": 18, "Present": 0, "Not Voting": 3}  # 79-18
    assert list(fig.layout.xaxis.ticktext) == ["Democrats", "Republicans", "Independents"]
    # Letter B's 3 senators (Lee, Paul, Vance): 2 Nay, Paul Not Voting; marked as signers.
    signed = {t.name: [h for h, size in zip(t.hovertext, t.marker.size, strict=True)
                       if size == 13] for t in fig.data[:4]}
    assert {k: len(v) for k, v in signed.items()} == {"Yea": 0, "Nay": 2, "Present": 0,
                                                      "Not Voting": 1}
    assert "Paul" in signed["Not Voting"][0]
    assert sorted(h.split("</b>")[0].split()[-1] for h in signed["Nay"]) == ["Lee", "Vance"]
    # Every Republican sits in the Republicans' band, whatever the chamber's other parties.
    rep = [x for t in fig.data[:4] for x, h in zip(t.x, t.hovertext, strict=True)
           if "Republican" in h]
    assert len(rep) == 49 and all(0.55 < x < 1.45 for x in rep)
    # Senate roll 332 (6 Dec 2023, cloture): all 49 Republicans Nay.
    mp = analysis.filter_members(analysis.member_positions("s332-118.2023", case=CASE2),
                                 party="R", case=CASE2)
    fig = figures.positions_figure(mp, vote_key="s332-118.2023", total=100,
                                   filters="Republicans", case=CASE2)
    assert _counts(fig) == {"Yea": 0, "Nay": 49, "Present": 0, "Not Voting": 0}
    assert "Showing 49 of 100 members (Republicans) on Senate roll 332" in figures.summary(fig)


def test_default_case_positions_offer_only_house_roll_calls_and_say_why():
    assert figures.positions_chambers() == ["House"]
    senate = analysis.vote_keys("Senate")
    note = figures.positions_chamber_note()
    assert note.startswith(f"House roll calls only: the case's {len(senate)} Senate roll calls")
    assert "'lis_member_id'" in note and "'bioguide_id'" in note
    assert "policykit.load_senate_votes()" in note


def test_case2_signer_grid_letter_b_has_16_nays_on_roll_151():
    keys = ["h151-118.2024", "h152-118.2024", "s154-118.2024"]
    grid = analysis.signer_grid(keys, group=LETTER_B, case=CASE2)
    fig = figures.grid_figure(grid, keys, case=CASE2)
    cols = figures._short_rolls(keys, CASE2)
    assert cols["h152-118.2024"].startswith("House 152") and \
        cols["s154-118.2024"].startswith("Senate 154")  # both chambers: say which
    col = cols["h151-118.2024"]
    per_roll = {t.name: sum(1 for x in t.x if x == col) for t in fig.data}
    assert per_roll["Nay"] == 16 and per_roll["Yea"] == 0  # letter B's 16 House members
    israel = cols["h152-118.2024"]
    assert {t.name: sum(1 for x in t.x if x == israel) for t in fig.data}["Yea"] == 7
    s154 = cols["s154-118.2024"]
    senate = {t.name: sum(1 for x in t.x if x == s154) for t in fig.data}
    assert (senate["Nay"], senate["Not Voting"]) == (2, 1)  # Paul did not vote
    assert len(fig.layout.yaxis.categoryarray) == 19
    assert "Lee (UT)" in fig.layout.yaxis.categoryarray  # a senator: no district


def test_case2_letter_a_named_signers_on_roll_151_and_senate_roll_154():
    keys = ["h151-118.2024", "s154-118.2024"]
    grid = analysis.signer_grid(keys, group=LETTER_A, case=CASE2)
    assert len(grid) == 15  # 15 of the 29 named
    summary = figures.grid_summary(grid, keys, case=CASE2)
    # roll 151: 9 Nay; roll 154: 4 Nay, 2 Not Voting (Paul, Tuberville)
    assert summary.endswith("0 Yea, 13 Nay, 0 Present, 2 Not Voting.")


def test_case2_breakdown_of_senate_roll_154():
    table = analysis.party_breakdown("s154-118.2024", split_signers=True, group=LETTER_B,
                                     case=CASE2)
    fig = figures.breakdown_figure(table, "s154-118.2024", case=CASE2)
    total = {t.name: int(sum(t.x)) for t in fig.data}
    assert (total["Yea"], total["Nay"]) == (79, 18)  # the record: 79-18
    assert figures.summary(fig).startswith("Senate roll 154 — ")


def test_case2_timeline_lanes_come_from_its_data():
    t = analysis.timeline(case=CASE2)
    lanes = analysis.timeline_lanes(t)["key"].tolist()
    fig = figures.timeline_figure(t, lanes=lanes, case=CASE2)
    shown = {tr.name: len(tr.x) for tr in fig.data}
    # README: 10 roll calls, 17 timeline events, 26 responses; no caucus statements
    assert shown["Roll call"] == 10 and shown["Event"] == 17 and shown["Response"] == 26
    assert "Caucus statements" not in fig.layout.yaxis.ticktext
    assert "statement" not in figures.summary(fig)
    assert "2023" in fig.layout.title.text and "2022" not in fig.layout.title.text


def test_case2_rollcall_options_list_only_its_roll_calls():
    house = [k for _, k in figures.rollcall_options("House", case=CASE2)]
    senate = [k for _, k in figures.rollcall_options("Senate", case=CASE2)]
    assert len(house) == 6 and len(senate) == 4  # README: 6 House, 4 Senate roll calls
    assert house[0] == "h151-118.2024"  # the case's first tier (the final votes) first
    assert all(k.endswith(("118.2023", "118.2024")) for k in house + senate)


def test_case2_record_figure_counts_each_letters_passages():
    rec = analysis.find_in_record("adamantly oppose", case=CASE2)
    fig = figures.record_figure(rec, "adamantly oppose", case=CASE2)
    hits = dict(zip(fig.data[0].y, fig.data[0].x, strict=True))
    assert [int(v) for k, v in hits.items() if k.startswith("Letter B")] == [1]
    assert [int(v) for k, v in hits.items() if k.startswith("Letter A")] == [0]


def test_case2_labels_never_fall_back_to_case_1_wording():
    mp = analysis.member_positions("h151-118.2024", case=CASE2)
    texts = [figures.positions_figure(mp, vote_key="h151-118.2024", case=CASE2).to_json(),
             figures.timeline_figure(analysis.timeline(case=CASE2), case=CASE2).to_json()]
    for text in texts:
        assert "Caucus" not in text and "2022" not in text
