"""Explorers driven headless through ``.controls``: figures, tallies, messages and fallbacks.

Expected values are the official record's totals (``recorded_tally``) and the facts in the
shared sources' notes (30 signers; 13 of them voted Nay on roll 65; on roll 66 all voted Yea
except Tlaib, Present; the letter was signed from 30 June but made public on 24 October).
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import html
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import plotly.offline
import pytest

import policykit
from policykit import analysis, explore, figures
from policykit.analysis import POSITIONS
from policykit.errors import InvalidArgumentError

ROOT = Path(__file__).resolve().parents[1]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
BUNDLE = (ROOT / "policykit" / "_vendor" / "plotlyjs" / "plotly-basic.min.js").read_text(
    encoding="utf-8")


def _counts(fig) -> dict[str, int]:
    return {t.name: len(t.x) for t in fig.data if t.name in POSITIONS}


@pytest.fixture(autouse=True)
def no_display(monkeypatch):
    """Constructors must never call display()."""
    import IPython.display

    def refuse(*args, **kwargs):
        raise AssertionError("an explorer called display() while being built")

    monkeypatch.setattr(IPython.display, "display", refuse)


def _check_fallback(ex, monkeypatch) -> str:
    from policykit import figures

    monkeypatch.setattr(figures, "_PLOTLYJS_EMBEDDED", False)  # as in a fresh kernel
    bundle = ex._repr_mimebundle_()
    # plotly.js (the vendored partial bundle) is embedded once per kernel; the next figure
    # reuses it and says so if missing.
    again = ex._repr_mimebundle_()["text/html"]
    assert "const packed" not in again and plotly.offline.get_plotlyjs() not in again
    assert "policykit-missing-js" in again and "Run All" in again
    assert WIDGET_VIEW in bundle and bundle[WIDGET_VIEW]["model_id"] == ex.model_id
    assert bundle["text/plain"].startswith(type(ex).__name__)
    text = bundle["text/html"]
    (packed,) = re.findall(r'const packed = "([A-Za-z0-9+/=]+)"', text)  # plotly.js, once
    assert gzip.decompress(base64.b64decode(packed)).decode("utf-8") == BUNDLE
    without_lib = text.replace(packed, "")
    assert len(without_lib) < 300_000  # the figure, summary and table without plotly.js
    assert "cdn.plot.ly" not in without_lib
    assert not re.search(r"<script[^>]*\ssrc\s*=\s*['\"]?https?:", text)
    assert "<table" in without_lib
    assert ex.summary_text.replace("'", "&#x27;") in without_lib or ex.summary_text in \
        without_lib
    return without_lib


# --- Positions -----------------------------------------------------------------------------

def test_positions_every_rollcall_matches_the_record():
    ex = explore.positions()
    options = ex.controls["rollcall"].options
    assert next(k for _, k in options) == ex.controls["rollcall"].value
    for _label, key in options:
        ex.controls["rollcall"].value = key
        recorded = policykit.recorded_tally(key)
        assert _counts(ex.figure) == recorded.to_dict()
        assert "recorded totals match" in ex.summary_text
        rows = re.findall(r"</span> ([A-Za-z ]+)</th><td>(\d+)</td><td>(\d+)</td>"
                          r"<td>(\d+)</td>", ex.tally.value)
        assert {pos: (int(a), int(b), int(c)) for pos, a, b, c in rows} == {
            pos: (int(recorded[pos]),) * 3 for pos in POSITIONS}
        assert ex.message_text == ""


def test_positions_roll_145_summary_and_title():
    ex = explore.positions("h145-117.2022")
    assert ex.summary_text.startswith(
        "All 430 members on House roll 145: 368 Yea, 57 Nay, 0 Present, 5 Not Voting")
    assert "Additional Ukraine Supplemental" in ex.figure.layout.title.text
    assert "House roll 145 · 10 May 2022" in ex.figure.layout.title.text


def test_positions_filters_signers_party_state():
    ex = explore.positions("h65-117.2022")
    c = ex.controls
    c["signers"].value = "signers"
    assert sum(_counts(ex.figure).values()) == 30
    assert _counts(ex.figure)["Nay"] == 13  # 13 signers voted Nay on roll 65
    assert "Showing 30 of" in ex.summary_text
    c["rollcall"].value = "h66-117.2022"
    assert _counts(ex.figure) == {"Yea": 29, "Nay": 0, "Present": 1, "Not Voting": 0}
    (hover,) = next(t for t in ex.figure.data if t.name == "Present").hovertext
    assert "TLAIB" in hover and "Signed the letter: yes" in hover
    c["signers"].value = "non-signers"
    rec = policykit.recorded_tally("h66-117.2022")
    assert sum(_counts(ex.figure).values()) == int(rec.sum()) - 30
    c["signers"].value = "all"
    c["party"].value = "R"
    rc = policykit.load_rollcalls().set_index("vote_key").loc["h66-117.2022"]
    assert _counts(ex.figure)["Yea"] == int(rc["rep_yea"])
    assert _counts(ex.figure)["Nay"] == int(rc["rep_nay"])
    c["party"].value = "D"
    assert _counts(ex.figure)["Yea"] == int(rc["dem_yea"])
    c["party"].value = "all"
    c["state"].value = "WA"
    members = policykit.load_house_votes()
    wa = members[(members["vote_key"] == "h66-117.2022") & (members["state"] == "WA")]
    assert sum(_counts(ex.figure).values()) == len(wa)
    assert "WA" in ex.summary_text


def test_positions_empty_filter_shows_a_message_not_an_error():
    ex = explore.positions("h145-117.2022")
    ex.controls["party"].value = "R"
    ex.controls["signers"].value = "signers"  # every signer is a Democrat
    assert _counts(ex.figure) == dict.fromkeys(POSITIONS, 0)
    assert ex.message_text.startswith("No member matches these filters")
    assert ex.message.layout.display is None and "Traceback" not in ex.message.value
    ex.controls["party"].value = "all"
    assert ex.message_text == "" and ex.message.layout.display == "none"
    assert sum(_counts(ex.figure).values()) == 30


def test_positions_y_axis_toggle():
    ex = explore.positions("h145-117.2022")
    ex.controls["y_axis"].value = "dim2"
    assert ex.figure.layout.yaxis.title.text == "DW-NOMINATE dimension 2"
    mp = analysis.member_positions("h145-117.2022")
    yea = next(t for t in ex.figure.data if t.name == "Yea")
    assert sorted(yea.y) == sorted(mp.loc[mp["position"] == "Yea", "nominate_dim2"])
    ex.controls["y_axis"].value = "strip"
    assert list(ex.figure.layout.yaxis.ticktext) == list(POSITIONS)


def test_positions_controls_are_labelled():
    ex = explore.positions()
    for name, control in ex.controls.items():
        assert control.description, name


def test_positions_fallback(monkeypatch):
    ex = explore.positions("h145-117.2022")
    ex.controls["signers"].value = "signers"
    text = _check_fallback(ex, monkeypatch)
    assert "Live tally" in text


@pytest.mark.parametrize(("kwargs", "parts"), [
    ({"vote_key": "h145"}, ["Unknown House roll call 'h145'", "Allowed: 'h65-117.2022'",
                            "Did you mean 'h145-117.2022'?",
                            "See policykit.analysis.vote_keys('House')."]),
    ({"vote_key": "s191-117.2022"}, ["'s191-117.2022' is a Senate roll call",
                                     "Allowed: House keys", "vote_keys('House')"]),
    ({"party": "Democrat"}, ["Unknown party 'Democrat'", "Allowed: 'all', 'D', 'R'",
                             "Use 'D' or 'R'"]),
    ({"state": "wa"}, ["Unknown state 'wa'", "Did you mean 'WA'?", "two-letter"]),
    ({"signers": "signer"}, ["Unknown signers filter 'signer'", "Did you mean 'signers'?"]),
    ({"y_axis": "dim3"}, ["Unknown y_axis 'dim3'", "Allowed: 'strip', 'dim2'"]),
])
def test_positions_invalid_arguments(kwargs, parts):
    with pytest.raises(InvalidArgumentError) as info:
        explore.positions(**kwargs)
    for part in parts:
        assert part in str(info.value)


# --- Words vs votes ------------------------------------------------------------------------

def test_words_vs_votes_grid_and_breakdown():
    ex = explore.words_vs_votes()
    assert set(ex.controls) == {"rollcalls", "sort", "focus"}
    assert len(ex.figure.layout.yaxis.categoryarray) == 30
    total = sum(len(t.x) for t in ex.figure.data)
    assert total == 30 * len(analysis.vote_keys("House"))
    ex.controls["focus"].value = "h65-117.2022"
    nay = next(t for t in ex.breakdown.data if t.name == "Nay")
    assert dict(zip(nay.y, (int(v) for v in nay.x), strict=True))["Signers (D)"] == 13
    assert "Signers (D):" in ex.breakdown_summary_text and "13 Nay" in \
        ex.breakdown_summary_text
    assert len(ex.figure.layout.shapes) == 1  # the focus column is shaded


def test_words_vs_votes_sort_and_columns():
    ex = explore.words_vs_votes()
    ex.controls["rollcalls"].value = ("h65-117.2022", "h66-117.2022")
    ex.controls["sort"].value = "nays"
    top = list(ex.figure.layout.yaxis.categoryarray)[::-1]
    grid = analysis.signer_grid(["h65-117.2022", "h66-117.2022"])
    nay_labels = {f"{r.last_name} ({r.state}-{int(r.district):02d})"
                  for r in grid.itertuples() if r.nays > 0}
    assert len(nay_labels) == 13 and set(top[:13]) == nay_labels
    assert "sorted by number of Nay votes" in ex.summary_text
    ex.controls["sort"].value = "state"
    top = list(ex.figure.layout.yaxis.categoryarray)[::-1]
    states = [label.split("(")[1][:2] for label in top]
    assert states == sorted(states)
    for order in ("ideology", "name"):
        ex.controls["sort"].value = order
        assert ex.message_text == ""


def test_words_vs_votes_empty_selection_shows_a_message():
    ex = explore.words_vs_votes()
    ex.controls["rollcalls"].value = ()
    assert "No roll call is selected" in ex.message_text
    assert sum(len(t.x) for t in ex.figure.data) == 0
    ex.controls["sort"].value = "nays"  # still no error
    assert "No roll call is selected" in ex._repr_mimebundle_()["text/html"]
    ex.controls["rollcalls"].value = ("h145-117.2022",)
    assert ex.message_text == ""
    assert _counts(ex.figure)["Yea"] == 30  # every signer backed the $40B (roll 145)


def test_words_vs_votes_fallback_and_errors(monkeypatch):
    _check_fallback(explore.words_vs_votes(["h65-117.2022"]), monkeypatch)
    with pytest.raises(InvalidArgumentError, match="needs at least one House roll call"):
        explore.words_vs_votes([])
    with pytest.raises(InvalidArgumentError, match="Did you mean 'nays'"):
        explore.words_vs_votes(sort_by="nay")
    with pytest.raises(InvalidArgumentError, match=r"Unknown House roll call 's191-117\.2022'"):
        explore.words_vs_votes(focus="s191-117.2022")


# --- Timeline ------------------------------------------------------------------------------

def test_timeline_as_known_on_date_range_and_lanes():
    ex = explore.timeline()
    c = ex.controls
    assert set(c) == {"start", "end", "categories", "actors", "as_known_on"}
    full = sum(len(t.x) for t in ex.figure.data)
    assert full == len(analysis.timeline())
    c["as_known_on"].value = dt.date(2022, 10, 23)
    statements = next(t for t in ex.figure.data if t.name == "Caucus statement")
    assert len(statements.x) == 0
    assert len(ex.figure.layout.shapes) == 1
    c["as_known_on"].value = dt.date(2022, 10, 25)
    assert len(next(t for t in ex.figure.data if t.name == "Caucus statement").x) == \
        len(policykit.load_statements())
    c["as_known_on"].value = None
    assert len(ex.figure.layout.shapes) == 0
    c["start"].value = dt.date(2022, 10, 24)
    c["end"].value = dt.date(2022, 10, 25)
    xs = [x for t in ex.figure.data for x in t.x]
    assert xs and all("2022-10-24" <= str(x)[:10] <= "2022-10-25" for x in xs)
    c["categories"].value = ()
    kinds = {t.name for t in ex.figure.data if len(t.x)}
    assert kinds <= {"Caucus statement", "Response"}
    c["actors"].value = ("caucus statement",)
    assert {t.name for t in ex.figure.data if len(t.x)} == {"Caucus statement"}
    assert list(ex.figure.layout.yaxis.ticktext) == ["Caucus statements"]


def test_timeline_empty_results_show_messages():
    ex = explore.timeline()
    ex.controls["start"].value = dt.date(2022, 12, 1)
    ex.controls["end"].value = dt.date(2022, 11, 1)
    assert "is after the end date" in ex.message_text
    ex.controls["end"].value = dt.date(2022, 12, 31)
    assert ex.message_text == ""
    ex.controls["categories"].value = ()
    ex.controls["actors"].value = ()
    assert "No category or actor is selected" in ex.message_text
    assert sum(len(t.x) for t in ex.figure.data) == 0
    ex.controls["actors"].value = ("signatory",)
    ex.controls["start"].value = dt.date(2022, 3, 1)
    ex.controls["end"].value = dt.date(2022, 3, 2)
    assert ex.message_text.startswith("No item matches these filters")


def test_timeline_fallback_and_errors(monkeypatch):
    text = _check_fallback(explore.timeline(as_known_on="2022-10-25"), monkeypatch)
    assert "source ids resolve" in text
    with pytest.raises(InvalidArgumentError, match="as_known_on must be a date"):
        explore.timeline(as_known_on="yesterday-ish")
    with pytest.raises(InvalidArgumentError, match="Did you mean 'letter'"):
        explore.timeline(categories=["leter"])


# --- Letter reader ---------------------------------------------------------------------------

def test_letter_banner_and_highlights():
    ex = explore.letter()
    passages = policykit.load_letter_passages()
    assert "Incomplete text." in ex.banner.value
    assert f"the {len(passages)} passages" in ex.banner.value
    assert ex.letter_view.value.count("<li") == len(passages)
    assert "pk-key" in ex.letter_view.value  # key phrases are marked
    for doc, date in (("Clarification", "24 Oct 2022"), ("Withdrawal", "25 Oct 2022")):
        assert f"{doc}, {date}" in ex.statements_view.value


def test_letter_search_and_show():
    ex = explore.letter()
    ex.controls["search"].value = "direct talks"
    assert "pk-hit" in ex.letter_view.value
    assert ex.summary_text.startswith("'direct talks' occurs in 1 of")
    ex.controls["show"].value = "matches"
    passages = policykit.load_letter_passages()
    (direct,) = passages.loc[passages["text"].str.contains("direct talks"), "passage_id"]
    assert ex.letter_view.value.count("<li") == 1 and direct in ex.letter_view.value
    assert "None." in ex.statements_view.value
    ex.controls["search"].value = "withdraw"
    assert "pk-hit" in ex.statements_view.value
    ex.controls["search"].value = "zebra crossing"
    assert "No verified passage or statement sentence contains 'zebra crossing'" in \
        ex.message_text
    assert "incomplete" in ex.message_text
    assert int(sum(ex.figure.data[0].x)) == 0
    ex.controls["search"].value = ""
    assert ex.message_text == ""


def test_highlight_escapes_and_marks():
    out = explore.highlight("a <b> & c", ["<b>"], "c")
    assert "&lt;b&gt;" in out and "<b>" not in out.replace("<mark", "")
    assert out.count("<mark") == 2


def test_letter_fallback_and_errors(monkeypatch):
    text = _check_fallback(explore.letter("diplomacy"), monkeypatch)
    assert "Incomplete text." in text
    with pytest.raises(InvalidArgumentError, match="Did you mean 'matches'"):
        explore.letter(show="match")
    with pytest.raises(InvalidArgumentError, match="phrase must be text"):
        explore.letter(3)  # type: ignore[arg-type]


# --- Packaging and rendering ------------------------------------------------------------------

def test_import_policykit_does_not_import_plotly_or_ipywidgets():
    code = ("import sys, policykit; "
            "print(json.dumps([m for m in ('plotly', 'ipywidgets', 'anywidget') "
            "if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", "import json; " + code], check=True,
                         capture_output=True, text=True).stdout
    assert json.loads(out) == []


def test_nbconvert_without_widget_state_shows_the_static_fallback(tmp_path):
    """Executed without a widget front end, the HTML export carries the static view."""
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import policykit\npolicykit.explore.positions('h145-117.2022')")]
    NotebookClient(nb, timeout=120, kernel_name="python3", store_widget_state=False).execute()
    data = nb.cells[0].outputs[0]["data"]
    assert WIDGET_VIEW in data and "text/html" in data
    body, _ = HTMLExporter().from_notebook_node(nb)
    assert "policykit-static" in body and "368 Yea, 57 Nay" in body
    assert not re.search(r"<script[^>]*\ssrc\s*=\s*['\"]?https?://cdn\.plot\.ly", body)


def test_figures_summary_round_trip():
    ex = explore.positions("h145-117.2022")
    assert figures.summary(ex.figure) == ex.summary_text


# --- Models reject invalid values and stay displayable ----------------------------------------

_POS_KEYS_HEAD = ("Allowed: 'h65-117.2022', 'h66-117.2022', 'h141-117.2022', 'h145-117.2022', "
                  "'h476-117.2022', 'h549-117.2022', ")
_DATE_RULE = ("Allowed: a string such as '2022-10-24' or '24 Oct 2022', a datetime.date, or a "
              "datetime without a time zone.")
_LIKE = "must be a date like '2022-10-24' or '24 Oct 2022'; got"
BAD_MODEL_VALUES = [
    ("positions", "vote_key", "s191-117.2022",
     "positions() shows House members; 's191-117.2022' is a Senate roll call. Allowed: House "
     "keys such as 'h65-117.2022'. Pick one from policykit.analysis.vote_keys('House')."),
    ("positions", "vote_key", "h145",
     ["Unknown House roll call 'h145'. ", _POS_KEYS_HEAD,
      ".... Did you mean 'h145-117.2022'? See policykit.analysis.vote_keys('House')."]),
    ("positions", "party", "Democrat",
     "Unknown party 'Democrat'. Allowed: 'all', 'D', 'R'. Use 'D' or 'R', or 'all'."),
    ("positions", "state", "wa",
     ["Unknown state 'wa'. Allowed: 'all', 'AK', 'AL', ", "Did you mean 'WA'? Use a two-letter "
      "abbreviation such as 'WA', or 'all'."]),
    ("positions", "signers", None,
     "Unknown signers filter None (a NoneType, not a string). Allowed: 'all', 'signers', "
     "'non-signers'. Use 'signers' for the signers only."),
    ("positions", "y_axis", "dim3",
     "Unknown y_axis 'dim3'. Allowed: 'strip', 'dim2'. Did you mean 'dim2'? Use 'strip' or "
     "'dim2'."),
    ("words_vs_votes", "vote_keys", ("h65-117.2022", "h999"),
     ["Unknown House roll call 'h999'. ", _POS_KEYS_HEAD,
      "See policykit.analysis.vote_keys('House')."]),
    ("words_vs_votes", "vote_keys", "h65-117.2022",
     "vote_keys must be a tuple of names; got 'h65-117.2022'. Allowed: a tuple such as "
     "('h65-117.2022',), or () for none. Pass a tuple."),
    ("words_vs_votes", "sort_by", "nay",
     "Unknown sort order 'nay'. Allowed: 'name', 'state', 'ideology', 'nays'. Did you mean "
     "'nays'? Use e.g. sort_by='nays'."),
    ("words_vs_votes", "focus", "s191-117.2022",
     ["Unknown House roll call 's191-117.2022'. ", _POS_KEYS_HEAD]),
    ("words_vs_votes_two", "focus", "h145-117.2022",
     "focus 'h145-117.2022' is not one of the grid's roll calls (vote_keys); Compare on lists "
     "only those. Allowed: 'h65-117.2022', 'h66-117.2022'. Did you mean 'h65-117.2022'? Add "
     "it to vote_keys first, or pick one of them."),
    ("timeline", "start", 20221024,
     f"start {_LIKE} 20221024, which is a number, not a date. {_DATE_RULE} Did you mean "
     "'2022-10-24'? Pass None for no limit."),
    ("timeline", "start", True,
     f"start {_LIKE} True, which is a boolean, not a date. {_DATE_RULE} Pass None for no limit."),
    ("timeline", "as_known_on", dt.datetime(2022, 10, 24, tzinfo=dt.UTC),
     f"as_known_on {_LIKE} datetime.datetime(2022, 10, 24, 0, 0, tzinfo=datetime.timezone.utc), "
     f"which carries a time zone (UTC). {_DATE_RULE} Did you mean '2022-10-24'? Pass None for "
     "no limit."),
    ("timeline", "end", "yesterday",
     f"end {_LIKE} 'yesterday', which is not a date policykit can read. {_DATE_RULE} Pass None "
     "for no limit."),
    ("timeline", "categories", ("leter",),
     ["Unknown category 'leter'. Allowed: ", "'letter'", "Did you mean 'letter'? See "
      "policykit.analysis.timeline_lanes() for every lane."]),
    ("timeline", "actors", ("caucus",), ["Unknown actor 'caucus'. Allowed: ",
                                          "'caucus statement'", "timeline_lanes()"]),
    ("letter", "phrase", 3,
     "phrase must be text; got int 3. Allowed: any string, e.g. 'diplomacy', or '' for no "
     "search. Pass a string."),
    ("letter", "show", "match",
     "Unknown show option 'match'. Allowed: 'all', 'matches'. Did you mean 'matches'? Use "
     "show='matches' to list only matches."),
]


@pytest.fixture(scope="module")
def built():
    made = {name: getattr(explore, name)() for name in
            ("positions", "words_vs_votes", "timeline", "letter")}
    # Compare on lists the grid's roll calls only: the model refuses any other focus.
    made["words_vs_votes_two"] = explore.words_vs_votes(["h65-117.2022", "h66-117.2022"])
    yield made
    for ex in made.values():
        ex.close()


@pytest.mark.parametrize(("name", "trait", "value", "expected"), BAD_MODEL_VALUES,
                         ids=[f"{n}-{t}-{v!r}" for n, t, v, _ in BAD_MODEL_VALUES])
def test_model_rejects_invalid_value_and_stays_displayable(built, name, trait, value, expected):
    ex = built[name]
    before = getattr(ex.model, trait)
    summary = ex.summary_text
    with pytest.raises(InvalidArgumentError) as info:
        setattr(ex.model, trait, value)
    if isinstance(expected, str):
        assert str(info.value) == expected
    else:
        for part in expected:
            assert part in str(info.value)
    assert getattr(ex.model, trait) == before  # unchanged, and so are the views
    assert ex.summary_text == summary and ex.message_text == ""
    bundle = ex._repr_mimebundle_()
    assert bundle[WIDGET_VIEW]["model_id"] == ex.model_id
    assert "policykit-static" in bundle["text/html"]


def test_models_accept_valid_values_through_the_model():
    ex = explore.timeline()
    ex.model.as_known_on = "2022-10-23"  # a date string becomes a date, and the control follows
    assert ex.model.as_known_on == dt.date(2022, 10, 23)
    assert ex.controls["as_known_on"].value == dt.date(2022, 10, 23)
    assert len(next(t for t in ex.figure.data if t.name == "Caucus statement").x) == 0
    ex.model.start = dt.datetime(2022, 10, 1, 15, 30)
    assert ex.model.start == dt.date(2022, 10, 1)
    ex.close()
    pos = explore.positions("h145-117.2022")
    pos.model.signers = "signers"
    assert pos.controls["signers"].value == "signers"
    assert sum(_counts(pos.figure).values()) == 30
    pos.close()


# --- The figure widget: small state, plotly.js on request, freed on close ---------------------

def _widgets_of(ex) -> list:
    from policykit.explore._base import _descendants

    return list(_descendants(ex))


def test_explorer_widget_state_is_small_and_has_no_plotlyjs(built):
    signature = b"plotly.js (basic - minified)"
    for name, ex in built.items():
        total = 0
        for w in _widgets_of(ex):
            state = w.get_state()
            text = json.dumps({k: v for k, v in state.items()
                               if not isinstance(v, bytes | memoryview)}, default=str)
            assert signature.decode() not in text and "Plotly, Inc." not in text, name
            total += len(text.encode())
        assert total <= 300_000, (name, total)  # issue 9: <= 300 KB per explorer
    assert len(built["positions"].view.get_state()["_esm"]) < 10_000


def test_figure_widget_sends_the_vendored_plotlyjs_on_request():
    from policykit import _plotlyjs
    from policykit.explore import _plotly_view

    view = _plotly_view.PlotlyView()
    sent = []
    view.send = lambda content, buffers=None: sent.append((content, buffers))
    view._handle_custom_msg({"type": "something else"}, [])
    assert sent == []
    view._handle_custom_msg({"type": "plotlyjs?", "version": _plotlyjs.VERSION}, [])
    view._handle_custom_msg({"type": "plotlyjs?", "version": _plotlyjs.VERSION, "gzip": True},
                            [])
    ((plain, plain_buffers), (packed, packed_buffers)) = sent
    assert plain == {"type": "plotlyjs", "version": _plotlyjs.VERSION, "encoding": "identity"}
    assert packed == {"type": "plotlyjs", "version": _plotlyjs.VERSION, "encoding": "gzip"}
    assert bytes(plain_buffers[0]).decode("utf-8") == BUNDLE
    assert gzip.decompress(bytes(packed_buffers[0])).decode("utf-8") == BUNDLE
    assert len(bytes(packed_buffers[0])) < 0.4 * len(BUNDLE)
    view.close()


def test_vendored_plotlyjs_matches_plotly_and_draws_every_trace_we_use(built):
    from policykit import _plotlyjs

    vendor = ROOT / "policykit" / "_vendor" / "plotlyjs"
    assert plotly.offline.get_plotlyjs_version() == _plotlyjs.VERSION
    assert f"plotly.js (basic - minified) v{_plotlyjs.VERSION}" in BUNDLE[:200]
    assert "MIT License" in (vendor / "LICENSE").read_text(encoding="utf-8")
    used = {t.type for ex in built.values() for t in ex.figure.data}
    used |= {t.type for t in built["words_vs_votes"].breakdown.data}
    assert used == {"scatter", "bar"} and used <= _plotlyjs.TRACE_TYPES


def test_figure_widget_apply_merges_dicts_and_replaces_lists():
    import numpy as np
    import plotly.graph_objects as go

    from policykit.explore._plotly_view import PlotlyView

    view = PlotlyView(go.Figure(go.Scatter(x=[1, 2], y=[1, 2], marker={"color": "red"}),
                                layout={"shapes": [{"type": "line"}], "title": {"text": "a"}}))
    messages = []
    view.observe(lambda change: messages.append(change["name"]), names=["traces", "plot_layout"])
    view.apply([{"y": np.array([3.0, np.nan]), "marker": {"size": 5}}],
               {"shapes": [], "title": {"font": {"size": 9}}})
    assert view.traces[0]["y"] == [3.0, None]  # NaN is not JSON: it becomes null
    assert view.traces[0]["marker"] == {"color": "red", "size": 5}
    assert view.plot_layout["shapes"] == []
    assert view.plot_layout["title"]["text"] == "a"
    assert sorted(messages) == ["plot_layout", "traces"]
    assert view.to_figure().layout.title.font.size == 9
    view.close()


def test_close_frees_every_widget_and_the_explorer():
    import gc
    import weakref


    ex = explore.words_vs_votes()
    from ipywidgets.widgets.widget import _instances

    made = _widgets_of(ex)
    ids = {w.model_id for w in made}
    assert len(made) > 10 and ids <= set(_instances)
    ex.close()
    assert not [w for w in made if w.comm is not None]
    assert not ids & set(_instances)
    assert "policykit-static" in ex._repr_mimebundle_()["text/html"]  # still shows something
    ref = weakref.ref(ex)
    del ex, made
    gc.collect()
    assert ref() is None


def test_repeated_builds_free_their_memory():
    import gc
    import tracemalloc

    for _ in range(2):  # warm caches
        explore.positions().close()
    gc.collect()
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        for _ in range(8):
            explore.positions().close()
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - start
    finally:
        tracemalloc.stop()
    assert grown < 1_000_000, grown  # was ~20 MB per build, never freed


# --- Smaller defects of issue 9: hints, menus, labels, notes, static views ----------------------

def test_words_roll_call_list_shows_every_roll_call_with_a_multi_select_hint():
    ex = explore.words_vs_votes()
    rc = policykit.load_rollcalls()
    n_house = int((rc["chamber"] == "House").sum())
    assert n_house == 15  # the 2022 House roll calls in the data package
    rollcalls = ex.controls["rollcalls"]
    assert rollcalls.rows == n_house  # no selected row hidden below a scroll bar
    assert len(rollcalls.value) == n_house
    hint = ex.rollcalls_hint.value
    assert "All 15 roll calls start selected" in hint
    assert "Ctrl-click" in hint and "Cmd-click on a Mac" in hint and "Shift-click" in hint
    assert ex.children.index(ex.rollcalls_hint) == ex.children.index(rollcalls) + 1


def test_words_compare_on_lists_only_the_grids_roll_calls():
    ex = explore.words_vs_votes()
    focus = ex.controls["focus"]
    focus.value = "h145-117.2022"
    ex.controls["rollcalls"].value = ("h65-117.2022", "h66-117.2022")
    assert [k for _, k in focus.options] == ["h65-117.2022", "h66-117.2022"]
    # The removed focus moves to the first roll call left in the grid, and the comparison
    # follows: 13 signers voted Nay on roll 65.
    assert focus.value == ex.model.focus == "h65-117.2022"
    assert ex.breakdown_summary_text.startswith("House roll 65 — Signers (D):")
    assert "13 Nay" in ex.breakdown_summary_text
    assert [s.x0 for s in ex.figure.layout.shapes] == [-0.5]  # the first column is shaded
    focus.value = "h66-117.2022"
    ex.controls["rollcalls"].value = ("h66-117.2022", "h145-117.2022")
    assert focus.value == "h66-117.2022"  # still in the grid: kept
    assert [k for _, k in focus.options] == ["h66-117.2022", "h145-117.2022"]
    with pytest.raises(InvalidArgumentError) as info:
        explore.words_vs_votes(["h65-117.2022", "h66-117.2022"], focus="h145-117.2022")
    assert str(info.value) == (
        "focus 'h145-117.2022' is not one of the grid's roll calls (vote_keys); Compare on "
        "lists only those. Allowed: 'h65-117.2022', 'h66-117.2022'. Did you mean "
        "'h65-117.2022'? Add it to vote_keys, or leave focus out to compare on the first of "
        "them.")


def test_toggle_button_labels_sit_beside_their_buttons():
    built = [explore.positions(), explore.letter(), explore.timeline()]
    toggles = [c for ex in built for c in [*ex.controls.values(), getattr(ex, "zoom", None)]
               if isinstance(c, type(built[0].controls["party"]))]
    assert len(toggles) == 5  # party, signers, vertical axis, show, zoom
    for toggle in toggles:
        assert "widget-inline-hbox" in toggle._dom_classes, toggle.description
        assert toggle.layout.display == "flex"


def test_timeline_lane_labels_are_consistently_capitalised():
    ex = explore.timeline()
    labels = [label for label, _ in ex.controls["categories"].options] + \
        [label for label, _ in ex.controls["actors"].options]
    assert all(label[0].isupper() for label in labels), labels
    actors = [label for label, _ in ex.controls["actors"].options]
    assert actors[0] == "Caucus statements"
    assert all(a.startswith("Responses: ") for a in actors[1:]), actors
    # Party names are proper nouns; the actor groups are named in the plural.
    assert "Responses: Democratic colleagues" in actors
    assert "Responses: Republicans" in actors
    assert "Responses: signers" in actors
    assert not any(re.search(r"\b(democratic|republican)", a) for a in labels), labels
    assert ex.controls["actors"].rows == len(actors)  # every lane in view
    assert ex.controls["categories"].rows == len(ex.controls["categories"].options)


def test_timeline_zoom_to_the_letter_and_back():
    ex = explore.timeline()
    assert ex.zoom.value == "year"
    ex.zoom.value = "letter"
    # Six days either side of the caucus's clarification (24 Oct) and withdrawal (25 Oct).
    assert (ex.controls["start"].value, ex.controls["end"].value) == (
        dt.date(2022, 10, 18), dt.date(2022, 10, 31))
    xs = [str(x)[:10] for t in ex.figure.data for x in t.x]
    assert xs and all("2022-10-18" <= x <= "2022-10-31" for x in xs)
    statements = next(t for t in ex.figure.data if t.name == "Caucus statement")
    assert len(statements.x) == len(policykit.load_statements())
    ex.controls["start"].value = dt.date(2022, 10, 1)  # a range of one's own: no preset
    assert ex.zoom.value is None
    ex.zoom.value = "year"
    assert (ex.model.start, ex.model.end) == (None, None)
    assert sum(len(t.x) for t in ex.figure.data) == len(analysis.timeline())


def test_letter_note_shared_by_several_passages_is_shown_once():
    ex = explore.letter()
    passages = policykit.load_letter_passages()
    notes = passages["variant_note"].dropna()
    repeated = notes[notes.duplicated(keep=False)]
    assert len(repeated) >= 3  # the Biden remarks quoted in the letter share one note
    view = ex.letter_view.value
    for note in notes.unique():
        assert view.count(html.escape(note)) == 1, note
    first = passages.loc[repeated.index[0], "passage_id"]
    assert view.count(f"Same note as for {first}, above.") == len(repeated) - 1


def test_positions_tally_cells_are_padded():
    ex = explore.positions("h65-117.2022")
    assert re.search(r"\.policykit-tally th, \.policykit-tally td \{padding:[^}]*em",
                     ex.tally.value)
    assert "Recorded</th>" in ex.tally.value


def test_words_static_view_shows_the_comparison_chart_and_its_line(monkeypatch):
    monkeypatch.setattr(figures, "_PLOTLYJS_EMBEDDED", False)
    ex = explore.words_vs_votes(["h65-117.2022", "h66-117.2022"], focus="h65-117.2022")
    text = ex.static_html()
    assert text.count("class='policykit-static'") == 2  # the comparison, then the grid
    assert text.count("Plotly.newPlot") == 2
    assert "Signers, other Democrats and Republicans" in text
    line = html.escape(ex.breakdown_summary_text, quote=False)
    assert re.search(f"<p class='policykit-summary' id='(policykit-summary-[0-9a-f]+)'>"
                     f"{re.escape(line)}</p>", text)
    assert "background:#FFF6E0'>" + line not in text  # not in the alert-style note box
    assert text.index(line) < text.index(html.escape(ex.summary_text, quote=False))


def test_building_explorers_does_not_import_nbformat():
    """plotly's FigureWidget imports nbformat and jsonschema (about 1 s, more in a kernel,
    TOOLCHAIN.md); the explorers' own widget needs neither."""
    code = ("import sys, json; from policykit import explore; "
            "[f() for f in (explore.positions, explore.words_vs_votes, explore.timeline, "
            "explore.letter)]; "
            "print(json.dumps([m for m in ('nbformat', 'jsonschema', 'plotly.basewidget') "
            "if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout
    assert json.loads(out) == []


# --- Case 2 (gop_letters_2023): every explorer on the 2023 Republican letters -------------------
# Expected values from ../shared/sources/case2/README.md (the record's totals, the key results
# table, the 10 roll calls, 17 timeline events and 26 responses), not from the explorers.

CASE2 = "gop_letters_2023"
LETTER_B = "2023-04-20_lee_crane_to_biden"
LETTER_A = "2023-09-21_vance_roy_to_omb"


@pytest.fixture(scope="module")
def built2():
    made = {name: getattr(explore, name)(case=CASE2) for name in
            ("positions", "words_vs_votes", "timeline", "letter")}
    yield made
    for ex in made.values():
        ex.close()


def test_case2_positions_roll_151_without_scores(built2):
    ex = built2["positions"]
    ex.controls["rollcall"].value = "h151-118.2024"
    counts = _counts(ex.figure)
    assert (counts["Yea"], counts["Nay"]) == (311, 112)  # H.R. 8035: 311-112
    # No DW-NOMINATE for the 118th Congress: no score axis offered, and the summary says why.
    assert [v for _, v in ex.controls["y_axis"].options] == ["strip"]
    assert ex.controls["y_axis"].layout.display == "none"
    assert ex.summary_text.endswith(policykit.case(CASE2).role("members")["no_score_reason"])
    assert "DW-NOMINATE" not in ex.figure.layout.xaxis.title.text
    with pytest.raises(InvalidArgumentError, match="no second ideology score"):
        ex.model.y_axis = "dim2"
    with pytest.raises(InvalidArgumentError, match="no second ideology score"):
        explore.positions(y_axis="dim2", case=CASE2)
    # The menu lists the case's 6 House then 4 Senate roll calls (its members table lists
    # representatives and senators) and nothing of the default case.
    keys = [k for _, k in ex.controls["rollcall"].options]
    assert [k[0] for k in keys] == ["h"] * 6 + ["s"] * 4
    assert all("118." in k for k in keys)
    assert ex.chamber_note == "" and ex.note.layout.display == "none"
    ex.controls["signers"].value = "signers"
    # 16 House signers of letter B + 9 named of letter A - 4 who signed both (Biggs, Gosar,
    # Bishop, Luna): 21, all Nay on roll 151.
    assert "Showing 21 of 431 members" in ex.summary_text
    assert "0 Yea, 21 Nay, 0 Present, 0 Not Voting" in ex.summary_text
    ex.controls["signers"].value = "all"


def test_case2_positions_empty_filter_message_not_traceback(built2):
    ex = built2["positions"]
    ex.controls["party"].value = "D"
    ex.controls["signers"].value = "signers"  # every named signer is a Republican
    assert _counts(ex.figure) == dict.fromkeys(POSITIONS, 0)
    assert ex.message_text.startswith("No member matches these filters")
    assert "Traceback" not in ex._repr_mimebundle_()["text/html"]
    ex.controls["party"].value = "all"
    ex.controls["signers"].value = "all"
    assert ex.message_text == ""


def test_case2_positions_senate_roll_154_and_332(built2):
    ex = built2["positions"]
    ex.controls["rollcall"].value = "s154-118.2024"
    # H.R. 815, final concurrence, 23 Apr 2024: 79-18, the other 3 of 100 senators Not Voting.
    assert _counts(ex.figure) == {"Yea": 79, "Nay": 18, "Present": 0, "Not Voting": 3}
    assert ex.summary_text.startswith("All 100 members on Senate roll 154: 79 Yea, 18 Nay, "
                                      "0 Present, 3 Not Voting — recorded totals match.")
    assert "Senate roll 154 · 23 Apr 2024" in ex.figure.layout.title.text
    # By party, then state: one band per party with Senate seats (Sanders, King and Sinema
    # sat as independents in April 2024), no score axis.
    assert list(ex.figure.layout.xaxis.ticktext) == ["Democrats", "Republicans", "Independents"]
    assert "no ideology scores" in ex.figure.layout.xaxis.title.text
    for trace in ex.figure.data[:4]:
        for x, hover in zip(trace.x, trace.hovertext, strict=True):
            band = {"Democrat": 0, "Republican": 1, "Independent": 2}[
                re.search(r" · (\w+?)s?<br>", hover).group(1)]
            assert abs(x - band) < 0.45, hover
    # The 6 senators named on the letters (all 6 of letter A; letter B's 3 signed both):
    # 4 Nay, and Paul and Tuberville Not Voting.
    ex.controls["signers"].value = "signers"
    assert _counts(ex.figure) == {"Yea": 0, "Nay": 4, "Present": 0, "Not Voting": 2}
    assert "Showing 6 of 100 members" in ex.summary_text
    nv = next(t for t in ex.figure.data if t.name == "Not Voting")
    assert sorted(re.search(r"<b>(.*?)</b>", h).group(1).split()[-1] for h in nv.hovertext) \
        == ["Paul", "Tuberville"]
    assert all(size == 13 for size in nv.marker.size)  # signers marked
    # Empty selection: a message, never a traceback.
    ex.controls["party"].value = "D"
    assert _counts(ex.figure) == dict.fromkeys(POSITIONS, 0)
    assert ex.message_text.startswith("No member matches these filters")
    assert "Traceback" not in ex._repr_mimebundle_()["text/html"]
    ex.controls["signers"].value = "all"
    # Senate roll 332 (6 Dec 2023, cloture): all 49 Republicans voted Nay.
    ex.controls["rollcall"].value = "s332-118.2023"
    ex.controls["party"].value = "R"
    assert _counts(ex.figure) == {"Yea": 0, "Nay": 49, "Present": 0, "Not Voting": 0}
    assert ex.message_text == ""
    # Independents hold no House seat: an empty selection on a House roll call, a message.
    ex.controls["party"].value = "I"
    ex.controls["rollcall"].value = "h151-118.2024"
    assert _counts(ex.figure) == dict.fromkeys(POSITIONS, 0)
    assert ex.message_text.startswith("No member matches these filters (Independents)")
    assert list(ex.figure.layout.xaxis.ticktext) == ["Democrats", "Republicans"]
    ex.controls["party"].value = "all"
    assert ex.message_text == ""
    with pytest.raises(InvalidArgumentError, match="Unknown House or Senate roll call 's999'"):
        explore.positions("s999", case=CASE2)


def test_positions_default_case_says_why_only_house_roll_calls():
    """The default case's members table lists representatives only (keyed by bioguide id,
    its Senate vote records by LIS id): the menu stays House-only and a note says why."""
    ex = explore.positions()
    senate = policykit.load_rollcalls().query("chamber == 'Senate'")
    assert len(senate) > 0
    assert [k[0] for _, k in ex.controls["rollcall"].options] == ["h"] * len(
        analysis.vote_keys("House"))
    assert ex.chamber_note == (
        f"House roll calls only: the case's {len(senate)} Senate roll calls are not shown: "
        "the vote records are keyed by 'lis_member_id', the members table ('members') by "
        "'bioguide_id' (the Senate positions: policykit.load_senate_votes()).")
    assert ex.note.layout.display is None
    assert html.escape(ex.chamber_note, quote=False) in ex.note.value
    assert ex.controls["rollcall"].tooltip == ex.chamber_note
    ex.close()


def test_case2_words_vs_votes_letter_b_16_nays_on_roll_151(built2):
    ex = built2["words_vs_votes"]
    assert [v for _, v in ex.controls["group"].options] == ["all", LETTER_B, LETTER_A]
    assert len(ex.controls["rollcalls"].options) == 10  # 6 House + 4 Senate roll calls
    assert "ideology" not in [v for _, v in ex.controls["sort"].options]  # no scores
    ex.controls["group"].value = LETTER_B
    ex.controls["rollcalls"].value = ("h151-118.2024", "s154-118.2024")
    ex.controls["focus"].value = "h151-118.2024"
    assert ex.summary_text == ("19 signers × 2 roll calls, sorted by name: "
                               "0 Yea, 18 Nay, 0 Present, 1 Not Voting.")  # 16 + 2 Nay; Paul
    assert "Signers (R): 0 Yea, 16 Nay, 0 Present, 0 Not Voting" in ex.breakdown_summary_text
    ex.controls["group"].value = LETTER_A
    assert "Signers (R): 0 Yea, 9 Nay" in ex.breakdown_summary_text  # 9 named House members
    ex.controls["focus"].value = "s154-118.2024"
    assert "Signers (R): 0 Yea, 4 Nay, 0 Present, 2 Not Voting" in ex.breakdown_summary_text
    ex.controls["group"].value = "all"


def test_case2_words_vs_votes_empty_selection_message(built2):
    ex = built2["words_vs_votes"]
    keep = ex.controls["rollcalls"].value
    ex.controls["rollcalls"].value = ()
    assert "No roll call is selected" in ex.message_text
    assert "Traceback" not in ex._repr_mimebundle_()["text/html"]
    ex.controls["rollcalls"].value = keep
    assert ex.message_text == ""
    with pytest.raises(InvalidArgumentError, match="has no ideology scores"):
        explore.words_vs_votes(sort_by="ideology", case=CASE2)
    with pytest.raises(InvalidArgumentError, match="Unknown House or Senate roll call"):
        explore.words_vs_votes(["h145-117.2022"], case=CASE2)


def test_case2_timeline_lanes_and_zoom(built2):
    ex = built2["timeline"]
    shown = {t.name: len(t.x) for t in ex.figure.data}
    assert (shown["Event"], shown["Roll call"], shown["Response"]) == (17, 10, 26)
    assert "Caucus statements" not in ex.figure.layout.yaxis.ticktext
    assert "caucus" not in " ".join(str(o[0]) for o in ex.controls["actors"].options).lower()
    ex.zoom.value = "letter"
    assert ex.controls["start"].value.year == 2024  # the April 2024 votes
    ex.zoom.value = "year"
    ex.controls["categories"].value = ()
    ex.controls["actors"].value = ()
    assert "No category or actor is selected" in ex.message_text
    ex.controls["categories"].value = tuple(v for _, v in ex.controls["categories"].options)
    ex.controls["actors"].value = tuple(v for _, v in ex.controls["actors"].options)
    assert ex.message_text == ""


def test_case2_letter_reader_finds_the_pledge_in_letter_b(built2):
    ex = built2["letter"]
    assert "could not be obtained" in ex.banner.value
    assert "A phrase that is not found here may still be in the letters." in ex.banner.value
    ex.controls["search"].value = "adamantly oppose"
    assert "1 of 8" in ex.summary_text and "0 of 10" in ex.summary_text
    assert "Letter B" in ex.letter_view.value and "to President Biden" in ex.letter_view.value
    ex.controls["search"].value = "no such phrase anywhere"
    assert ex.message_text.startswith("No verified passage")
    assert "the phrase is absent from the letters" in ex.message_text
    ex.controls["search"].value = ""


def test_case2_explorer_state_small_and_fallback(built2, monkeypatch):
    for name, ex in built2.items():
        total = sum(len(json.dumps({k: v for k, v in w.get_state().items()
                                    if not isinstance(v, bytes | memoryview)},
                                   default=str).encode()) for w in _widgets_of(ex))
        assert total <= 300_000, (name, total)  # issue 9: <= 300 KB per explorer
    text = _check_fallback(built2["positions"], monkeypatch)
    assert "Show data" in text and "DW-NOMINATE dim" not in text


def test_explorers_on_a_case_with_only_the_required_roles_and_signers(tmp_path):
    """A case with roll calls, House votes, sources and signers only (no members, documents,
    statements, events or responses, no labels): every explorer works or says what is
    missing, and names nothing of the shipped cases."""
    import shutil

    src = policykit.case(CASE2).data_dir
    folder = tmp_path / "bare_case"
    folder.mkdir()
    for csv in src.glob("*.csv"):
        shutil.copy(csv, folder / csv.name)
    package = json.loads((src / "datapackage.json").read_text(encoding="utf-8"))
    roles = package["policykit"]["roles"]
    package["policykit"] = {
        "case": "bare_case", "order": 9, "short_title": "Bare",
        "roles": {"rollcalls": roles["rollcalls"], "sources": roles["sources"],
                  "signers": roles["signers"], "votes": {"House": roles["votes"]["House"]}}}
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    case = policykit.case(folder)
    pos = explore.positions("h151-118.2024", case=case)
    assert "311 Yea, 112 Nay" in pos.summary_text  # the record: 311-112
    assert pos.summary_text.endswith("This case has no ideology scores.")
    words = explore.words_vs_votes(["h151-118.2024"], case=case)
    assert words.summary_text.startswith("27 signers × 1 House roll call")
    tl = explore.timeline(case=case)
    assert tl.summary_text.startswith("Showing 10 of 10 items (10 roll calls)")
    assert [o[1] for o in tl.zoom.options] == ["year"]  # no zoom preset without labels
    with pytest.raises(policykit.errors.MissingRoleError, match="has no role 'documents'"):
        explore.letter(case=case)
    for ex in (pos, words, tl):
        html_text = ex._repr_mimebundle_()["text/html"]
        assert "Caucus" not in html_text and "Signed the letter" not in html_text
        ex.close()
