"""Plotly figure builders: a DataFrame in, a :class:`plotly.graph_objects.Figure` out.

Every builder works without widgets and fetches nothing (plotly.js comes from the installed
plotly package; there are no map tiles or topojson). Positions are drawn with the Okabe-Ito
colour-blind-safe palette *and* a distinct marker symbol each, so colour is never the only cue.

Each builder writes a one-line text summary of what the figure shows into
``fig.layout.meta["summary"]``; :func:`summary` reads it back, and the matching
``*_summary`` function computes the same line from the data alone.

Every builder that reads a case's data (roll calls, labels, sources) takes ``case=`` (a case
id, a :class:`policykit.Case`, or None for the default case); titles, lane names, tier and
document names come from the case's ``labels``, never from this module. A case without
ideology scores (no ``score`` in its ``members`` role) gets a positions figure by party, then
state, whose summary line gives the case's reason.

The ``*_trace_data`` functions return the per-trace properties a builder uses; the explorers
(:mod:`policykit.explore`) apply them to their figure widget so that a figure built here and a
live explorer always show the same thing.

Examples
--------
>>> from policykit import analysis, figures
>>> fig = figures.positions_figure(analysis.member_positions("h145-117.2022"),
...                                vote_key="h145-117.2022")
>>> print(figures.summary(fig))  # the Clerk's record: 368-57, 5 not voting
All 430 members on House roll 145: 368 Yea, 57 Nay, 0 Present, 5 Not Voting — recorded totals match.
"""

from __future__ import annotations

import html
import json
import re
import textwrap
import uuid
import zlib
from collections import Counter
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any, Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from . import _case, _plotlyjs, analysis
from .analysis import POSITIONS
from .errors import InvalidArgumentError, invalid_choice

#: What every builder that reads data accepts as ``case``: a case id, a
#: :class:`policykit.Case`, or None for the default case.
CaseLike = Any

__all__ = [
    "KIND_STYLE",
    "OKABE_ITO",
    "POSITION_STYLE",
    "TIER_LABELS",
    "breakdown_figure",
    "breakdown_summary",
    "breakdown_trace_data",
    "contrast_ratio",
    "document_name",
    "format_date",
    "grid_figure",
    "grid_summary",
    "grid_trace_data",
    "has_score",
    "kind_names",
    "no_score_reason",
    "plain_title",
    "positions_chamber_note",
    "positions_chambers",
    "positions_figure",
    "positions_summary",
    "positions_trace_data",
    "record_figure",
    "record_summary",
    "record_trace_data",
    "rollcall_label",
    "rollcall_options",
    "static_html",
    "summary",
    "text_colour",
    "tier_labels",
    "timeline_figure",
    "timeline_summary",
    "timeline_trace_data",
    "y_axis_options",
]

#: The Okabe-Ito palette (Okabe & Ito 2008), safe for the common colour-vision deficiencies.
OKABE_ITO: dict[str, str] = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9",
    "bluish_green": "#009E73", "yellow": "#F0E442", "blue": "#0072B2",
    "vermillion": "#D55E00", "reddish_purple": "#CC79A7",
}

#: Colour, marker symbol and bar pattern for each recorded position.
POSITION_STYLE: dict[str, dict[str, str]] = {
    "Yea": {"color": OKABE_ITO["blue"], "symbol": "circle", "pattern": ""},
    "Nay": {"color": OKABE_ITO["vermillion"], "symbol": "x", "pattern": "/"},
    "Present": {"color": OKABE_ITO["reddish_purple"], "symbol": "diamond", "pattern": "."},
    "Not Voting": {"color": "#8C8C8C", "symbol": "triangle-up", "pattern": "x"},
}

#: Colour and marker symbol for each kind of timeline item.
KIND_STYLE: dict[str, dict[str, str]] = {
    "event": {"color": OKABE_ITO["bluish_green"], "symbol": "square", "name": "Event"},
    "roll call": {"color": OKABE_ITO["blue"], "symbol": "circle", "name": "Roll call"},
    "statement": {"color": OKABE_ITO["reddish_purple"], "symbol": "star",
                  "name": "Statement"},
    "response": {"color": OKABE_ITO["orange"], "symbol": "diamond", "name": "Response"},
}

#: How a roll-call tier is named in menus when its case gives no ``tier:<key>`` label (a
#: case's own names for its tiers are in its ``labels``; see :func:`tier_labels`).
TIER_LABELS: dict[str, str] = {"core": "Core", "related": "Related",
                               "contrast": "Contrast", "procedural": "Procedural"}

_FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
         "size": 13}
_PARTY = {"D": "Democrat", "R": "Republican", "I": "Independent"}
_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}

YAxis = Literal["strip", "dim2"]


# --- Small formatting helpers ---------------------------------------------------------------

def format_date(value: Any) -> str:
    """Format a date as ``'10 May 2022'`` (empty for a missing date).

    >>> format_date("2022-05-10")
    '10 May 2022'
    """
    if value is None or pd.isna(value):
        return ""
    ts = pd.Timestamp(value)
    return f"{ts.day} {ts:%b %Y}"


def _resolve(case: CaseLike) -> _case.Case:
    return _case.resolve(case)


def _label(case: CaseLike, key: str, default: str) -> str:
    """The case's label ``key`` (its ``policykit.labels``), else ``default``."""
    return _resolve(case).label(key, default)


#: Values read once per case (rows by key, source URLs, tally checks), keyed by the case's
#: identity (its id and folder), so two cases never share an entry.
_CACHE: dict[tuple[Any, ...], Any] = {}


def _case_key(c: _case.Case) -> tuple[str, ...]:
    return (str(c.data_dir),)  # a case is its folder (one Case object per folder)


def _cached(what: str, c: _case.Case, build: Any, *args: Any) -> Any:
    key = (what, *_case_key(c), *args)
    if key not in _CACHE:
        _CACHE[key] = build(c, *args)
    return _CACHE[key]


def _rollcall_rows_of(c: _case.Case) -> dict[str, dict[str, Any]]:
    key = c.role("rollcalls")["key"]
    return {str(r[key]): r for r in c.table("rollcalls").to_dict("records")}


def _rollcall_rows(case: CaseLike = None) -> dict[str, dict[str, Any]]:
    return _cached("rollcalls", _resolve(case), _rollcall_rows_of)


def _rc(vote_key: str, case: CaseLike = None) -> dict[str, Any]:
    """One roll call's row as a dict (read once); unknown keys raise via analysis.rollcall."""
    rows = _rollcall_rows(case)
    if vote_key not in rows:
        analysis.rollcall(vote_key, case=case)  # raises InvalidArgumentError, closest match
    return rows[vote_key]


def _source_urls_of(c: _case.Case) -> dict[str, str]:
    if not c.has_role("sources"):
        return {}
    table = c.table("sources")
    return dict(zip(table[c.role("sources")["key"]].astype(str), table["url"].astype(str),
                    strict=True))


def _source_url_map(case: CaseLike = None) -> dict[str, str]:
    return _cached("sources", _resolve(case), _source_urls_of)


def _tally_check_of(c: _case.Case, vote_key: str) -> pd.DataFrame:
    return analysis.tally_check(vote_key, case=c)


def _tally_check(vote_key: str, case: CaseLike = None) -> pd.DataFrame:
    return _cached("tally", _resolve(case), _tally_check_of, vote_key)


def has_score(case: CaseLike = None) -> bool:
    """Whether the case's members carry an ideology score (its ``members`` role's ``score``).

    Examples
    --------
    >>> has_score()
    True
    """
    c = _resolve(case)
    return c.has_role("members") and bool(c.role("members").get("score"))


def _score_columns(case: CaseLike) -> tuple[str, str, str, str] | None:
    """(score column, its label, second score column or '', its label) or None."""
    if not has_score(case):
        return None
    role = _resolve(case).role("members")
    return (str(role["score"]), str(role.get("score_label") or role["score"]),
            str(role.get("score2") or ""), str(role.get("score2_label") or ""))


def no_score_reason(case: CaseLike = None) -> str:
    """Why a case has no ideology scores (its ``members`` role's ``no_score_reason``), or ''."""
    c = _resolve(case)
    if has_score(c):
        return ""
    role = c.role("members") if c.has_role("members") else {}
    return str(role.get("no_score_reason") or "This case has no ideology scores.")


def kind_names(case: CaseLike = None) -> dict[str, str]:
    """The timeline's names for each kind of item (the case names its statements).

    Examples
    --------
    >>> kind_names()["roll call"]
    'Roll call'
    """
    names = {k: s["name"] for k, s in KIND_STYLE.items()}
    names["statement"] = _label(case, "statement_kind", names["statement"])
    return names


def _kinds(case: CaseLike) -> list[str]:
    """The kinds of timeline item a case can have (roll calls, and those whose role it has)."""
    c = _resolve(case)
    roles = {"event": "events", "statement": "statements", "response": "responses"}
    return [k for k in KIND_STYLE if k not in roles or c.has_role(roles[k])]


def tier_labels(case: CaseLike = None) -> dict[str, str]:
    """Menu names of the case's roll-call tiers, in menu order.

    The order is the case's ``tiers`` (then any other tier in the data); a tier's name is
    the case's label ``tier:<key>``, else a generic one.
    """
    c = _resolve(case)
    order = list((c.config.get("tiers") or {}).keys())
    present = [str(r.get("tier")) for r in _rollcall_rows(c).values()
               if pd.notna(r.get("tier"))]
    order += [t for t in dict.fromkeys(present) if t not in order]
    return {t: c.label(f"tier:{t}", TIER_LABELS.get(t, t.replace("_", " ").capitalize()))
            for t in order}


def _counts_text(counts: pd.Series) -> str:
    return ", ".join(f"{int(counts[p])} {p}" for p in POSITIONS)


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip(" ,;") + "…"


def _rc_title(rc: dict[str, Any]) -> str:
    """A roll call's display title (``display_title``, else ``label``, else ``bill``)."""
    for column in ("display_title", "label", "bill"):
        value = rc.get(column)
        if isinstance(value, str) and value.strip():
            return value
    return str(rc.get("question", ""))


def _rc_where(rc: dict[str, Any]) -> str:
    return f"{rc['chamber']} roll {int(rc['roll'])}"


def rollcall_label(vote_key: str, *, group: bool = True, width: int = 48,
                   case: CaseLike = None) -> str:
    """A menu label for one roll call, built from the case's roll-call table.

    Examples
    --------
    >>> rollcall_label("h145-117.2022")
    'Core aid — Additional Ukraine Supplemental Appropriations… (House roll 145, 10 May 2022)'
    """
    rc = _rc(vote_key, case)
    head = ""
    if group and pd.notna(rc.get("tier")):
        head = f"{tier_labels(case).get(str(rc['tier']), str(rc['tier']))} — "
    return (f"{head}{_shorten(_rc_title(rc), width)} "
            f"({_rc_where(rc)}, {format_date(rc['date'])})")


def rollcall_options(chamber: Literal["House", "Senate"] = "House", *,
                     case: CaseLike = None) -> list[tuple[str, str]]:
    """``(label, vote_key)`` pairs for a menu: the case's tiers in order, each by date.

    Examples
    --------
    >>> options = rollcall_options("House")
    >>> options[0]
    ('Core aid — Consolidated Appropriations Act, 2022 (House roll 65, 9 Mar 2022)', 'h65-117.2022')
    >>> len(options)
    15
    """
    c = _resolve(case)
    return list(_cached("options", c, _rollcall_options_of, chamber))


def _rollcall_options_of(c: _case.Case, chamber: str) -> list[tuple[str, str]]:
    rows = [r for r in _rollcall_rows(c).values() if str(r["chamber"]) == chamber]
    rank = {t: i for i, t in enumerate(tier_labels(c))}
    key = c.role("rollcalls")["key"]
    rows.sort(key=lambda r: (rank.get(str(r.get("tier")), len(rank)),
                             pd.Timestamp(r["date"]), str(r.get("time_local") or "")))
    return [(rollcall_label(str(r[key]), case=c), str(r[key])) for r in rows]


def _short_roll(vote_key: str, case: CaseLike = None, chamber: bool = False) -> str:
    """A grid column's label: ``'Roll 65<br>9 Mar'``, or with ``chamber`` (a grid of both
    chambers, where roll numbers repeat) ``'Senate 152<br>23 Apr'``."""
    rc = _rc(vote_key, case)
    ts = pd.Timestamp(rc["date"])
    head = str(rc["chamber"]) if chamber else "Roll"
    return f"{head} {int(rc['roll'])}<br>{ts.day} {ts:%b}"


def _short_rolls(vote_keys: Sequence[str], case: CaseLike = None) -> dict[str, str]:
    """Column labels of a grid (naming the chamber when the grid spans both)."""
    both = len(vote_keys) > 0 and _chamber_of(vote_keys, case) == ""
    return {k: _short_roll(k, case, both) for k in vote_keys}


#: Characters per title line (16 px) and subtitle line (12 px): about 580 px in a wide font
#: (DejaVu Sans), so a title fits the narrowest plot an explorer draws (600 px).
_TITLE_CHARS = 60
_SUBTITLE_CHARS = 80
#: Height of one extra title line and one extra subtitle line, in px.
_TITLE_LINE_PX = 22
_SUBTITLE_LINE_PX = 17


def _title(text: str, subtitle: str = "") -> dict[str, Any]:
    # plotly.js never wraps a title: it is cut at the figure's edge. Wrap it here, between
    # words. The subtitle goes on the next lines of the title (plotly's own subtitle can
    # overlap the title in tall figures).
    lines = [html.escape(line, quote=False) for line in textwrap.wrap(text, _TITLE_CHARS)]
    lines += [f"<span style='font-size:12px'>{html.escape(line, quote=False)}</span>"
              for line in textwrap.wrap(subtitle, _SUBTITLE_CHARS)]
    full = "<br>".join(lines)
    return {"text": full, "x": 0.01, "xref": "container", "xanchor": "left",
            "y": 1.0, "yref": "container", "yanchor": "top", "pad": {"t": 12},
            "font": {"size": 16}}


def _top_margin(title: dict[str, Any], base: int) -> int:
    """The top margin for a title from :func:`_title`: ``base`` fits one title line and one
    subtitle line; every further line adds its height.

    >>> _top_margin(_title("A", "b"), 90), _top_margin(_title("A " * 40, "b"), 90)
    (90, 112)
    """
    text = str(title["text"])
    sub = text.count("<span style='font-size:12px'>")
    main = text.count("<br>") + 1 - sub
    return (base + _TITLE_LINE_PX * max(0, main - 1)
            + _SUBTITLE_LINE_PX * max(0, sub - 1))


#: The figures' template: plotly's ``plotly_white``.
_TEMPLATE = "plotly_white"


def _template() -> Any:
    """``plotly_white`` as registered in ``plotly.io.templates`` (validated by plotly when it
    loaded it): what ``update_layout(template="plotly_white")`` copies into a figure after
    validating it once more. Skipping that second validation saves about 0.15 s of CPU in
    every new kernel (its first figure)."""
    return pio.templates[_TEMPLATE]


def _set_template(fig: go.Figure, template: Any) -> go.Figure:
    """Give ``fig`` an already validated ``template`` without validating it again (as plotly
    sets its default template: assigned unvalidated, as a copy); return ``fig``."""
    layout = fig.layout
    layout._validate = False
    try:
        layout.template = template
    finally:
        layout._validate = fig._validate
    return fig


def _new_figure() -> go.Figure:
    """An empty figure with the ``plotly_white`` template, the same as ``go.Figure()`` then
    ``update_layout(template="plotly_white")``, without validating the template again."""
    return _set_template(go.Figure(), _template())


def summary(fig: go.Figure) -> str:
    """Return the one-line summary a builder stored in ``fig.layout.meta``.

    >>> summary(go.Figure(layout={"meta": {"summary": "Nothing to show."}}))
    'Nothing to show.'
    """
    meta = fig.layout.meta
    return str(meta.get("summary", "")) if isinstance(meta, dict) else ""


# --- Positions on one roll call ---------------------------------------------------------------

def _jitter(ids: pd.Series, spread: float = 0.32) -> pd.Series:
    """A stable offset in [-spread, spread] per id, so points keep their place between redraws."""
    return pd.Series([_jitter_one(str(i), spread) for i in ids], index=ids.index, dtype=float)


@cache
def _jitter_one(member_id: str, spread: float) -> float:
    return (2 * zlib.crc32(member_id.encode()) / 0xFFFFFFFF - 1) * spread


_STRIP_ROW = {p: len(POSITIONS) - i for i, p in enumerate(POSITIONS)}
_PARTY_ORDER = ("D", "R", "I")


def y_axis_options(case: CaseLike = None) -> list[str]:
    """The vertical axes the positions figure offers for a case: ``'strip'`` (one row per
    position), and ``'dim2'`` (the second ideology score) only when the case has one.

    Examples
    --------
    >>> y_axis_options()
    ['strip', 'dim2']
    """
    cols = _score_columns(case)
    return ["strip", "dim2"] if cols is not None and cols[2] else ["strip"]


def _check_y(y: str, case: CaseLike) -> None:
    allowed = y_axis_options(case)
    if y not in allowed:
        why = "" if "dim2" in allowed else " (this case has no second ideology score)"
        raise InvalidArgumentError(invalid_choice(
            "y axis", y, allowed, f"Use {' or '.join(repr(a) for a in allowed)}{why}."))


def positions_chambers(case: CaseLike = None) -> list[str]:
    """The chambers whose roll calls the positions figure can show: those with roll calls
    whose vote records share the key of the case's members table (every chamber with roll
    calls when the case has no members table).

    Examples
    --------
    >>> positions_chambers()  # the default case's members table lists House members
    ['House']
    """
    return list(_cached("position-chambers", _resolve(case), _positions_chambers_of))


def _positions_chambers_of(c: _case.Case) -> list[str]:
    with_rolls = {str(r["chamber"]) for r in _rollcall_rows(c).values()}
    return [ch for ch in analysis._member_chambers(c) if ch in with_rolls]


def positions_chamber_note(case: CaseLike = None) -> str:
    """Why the positions figure cannot show some of the case's roll calls, or ``''``.

    A chamber's roll calls are left out when its vote records are keyed otherwise than the
    case's members table (so the members' names and scores cannot be joined to them).

    Examples
    --------
    >>> positions_chamber_note()  # doctest: +ELLIPSIS
    "House roll calls only: the case's 9 Senate roll calls are not shown: the vote records ..."
    """
    return str(_cached("position-note", _resolve(case), _positions_chamber_note_of))


def _positions_chamber_note_of(c: _case.Case) -> str:
    shown = positions_chambers(c)
    rows = list(_rollcall_rows(c).values())
    left = {ch: sum(str(r["chamber"]) == ch for r in rows) for ch in c.chambers
            if ch not in shown}
    left = {ch: n for ch, n in left.items() if n}
    if not left or not c.has_role("members"):
        return ""
    role, votes = c.role("members"), c.role("votes")
    parts = [f"the case's {n} {ch} roll call{'s are' if n != 1 else ' is'} not shown: the "
             f"vote records are keyed by {str(votes[ch]['member_key'])!r}, the members table "
             f"({str(role['resource'])!r}) by {str(role['key'])!r} (the {ch} positions: "
             f"{analysis._loader(c, str(votes[ch]['resource']))})"
             for ch, n in left.items()]
    return f"{' and '.join(shown) or 'No'} roll calls only: {'; '.join(parts)}."


def _chamber_layout_of(c: _case.Case, chamber: str) -> tuple[dict[str, float], list[str]]:
    """Each state's place in [0, 1) among the chamber's seats (A to Z), and the parties that
    hold seats in it (D, R, I, then any other), for figures without scores."""
    votes = c.role("votes")
    if chamber not in votes:
        return {}, list(_PARTY_ORDER)
    table = c.load(votes[chamber]["resource"])
    states = sorted(table["state"].astype(str).unique())
    return ({st: i / max(1, len(states)) for i, st in enumerate(states)},
            _party_order(table["party"].astype(str).tolist()))


def _party_order(parties: Sequence[str]) -> list[str]:
    present = list(dict.fromkeys(parties))
    return [p for p in _PARTY_ORDER if p in present] + sorted(
        p for p in present if p not in _PARTY_ORDER)


def _default_chamber(case: CaseLike) -> str:
    chambers = positions_chambers(case)
    return chambers[0] if chambers else "House"


def _party_x(parties: list[str], states: list[str], ids: list[str],
             case: CaseLike, chamber: str) -> np.ndarray:
    """x for a figure without scores: one band per party with seats in the chamber (D, R,
    I), states A to Z within it."""
    rank, bands = _cached("chamber-layout", _resolve(case), _chamber_layout_of, chamber)
    band = {p: i for i, p in enumerate(bands)}
    extra = sorted({p for p in parties if p not in band})
    band.update({p: len(bands) + i for i, p in enumerate(extra)})
    return np.array([band[p] - 0.4 + 0.8 * rank.get(st, 0.5) + _jitter_one(i, 0.012)
                     for p, st, i in zip(parties, states, ids, strict=True)], dtype=float)


def _member_id_column(frame: pd.DataFrame, case: CaseLike, chamber: str) -> str:
    c = _resolve(case)
    votes = c.role("votes")
    key = str(votes.get(chamber, {}).get("member_key", ""))
    if key in frame.columns:
        return key
    if c.has_role("members") and c.role("members").get("key") in frame.columns:
        return str(c.role("members")["key"])
    return str(frame.columns[0])


def positions_trace_data(frame: pd.DataFrame, *, y: YAxis = "strip",
                         case: CaseLike = None,
                         chamber: str | None = None) -> list[dict[str, Any]]:
    """Per-position trace properties (x, y, hover text, marker size and outline).

    Signers get a larger marker with a black outline. x is the case's ideology score; a
    case without scores (see :func:`has_score`) places members by party, then state, in
    bands for the parties holding seats in ``chamber`` (default: the first of
    :func:`positions_chambers`).

    Examples
    --------
    >>> from policykit.analysis import member_positions
    >>> data = positions_trace_data(member_positions("h66-117.2022"))
    >>> [d["name"] for d in data][:2]
    ['Yea', 'Nay']
    """
    _check_y(y, case)
    cols = _score_columns(case)
    signed = _label(case, "signed_hover", "Signer")
    # Plain numpy arrays and lists: a control change redraws this, so no per-row pandas work.
    position = frame["position"].astype(str).to_numpy()
    signers = frame["signer"].to_numpy(dtype=bool)
    chamber = chamber or _default_chamber(case)
    ids = frame[_member_id_column(frame, case, chamber)].astype(str).tolist()
    names = frame["name"].astype(str).tolist()
    seats = frame["seat"].astype(str).tolist()
    party_codes = frame["party"].astype(str).tolist()
    parties = [_PARTY.get(p, p) for p in party_codes]
    if cols is not None:
        dim1 = frame[cols[0]].to_numpy(dtype=float)
        dim2 = frame[cols[2]].to_numpy(dtype=float) if cols[2] else np.full(len(frame), np.nan)
        score_name = _label(case, "score_short", "Score")
        scores = [f"<br>{score_name}: {dim1[i]:+.3f}"
                  + (f", {dim2[i]:+.3f}" if cols[2] else "") for i in range(len(frame))]
        xs = dim1
    else:
        dim2 = np.full(len(frame), np.nan)
        scores = [""] * len(frame)
        xs = _party_x(party_codes, frame["state"].astype(str).tolist(), ids, case, chamber)
    out = []
    for pos in POSITIONS:
        rows = np.flatnonzero(position == pos).tolist()
        signer = [bool(signers[i]) for i in rows]
        if y == "dim2":
            yy = dim2[rows]
        else:
            yy = np.array([_STRIP_ROW[pos] + _jitter_one(ids[i], 0.32) for i in rows],
                          dtype=float)
        hover = [f"<b>{names[i]}</b><br>{seats[i]} · {parties[i]}<br>Position: {pos}"
                 f"<br>{signed}: {'yes' if signers[i] else 'no'}{scores[i]}" for i in rows]
        out.append({
            "name": pos,
            "x": xs[rows],
            "y": yy,
            "hovertext": np.array(hover, dtype=object),
            "marker": {"size": [13 if s else 8 for s in signer],
                       "line": {"width": [2 if s else 0.5 for s in signer]}},
        })
    return out


def positions_summary(frame: pd.DataFrame, vote_key: str, *, total: int | None = None,
                      filters: str = "", case: CaseLike = None) -> str:
    """One line: what the positions figure shows, and whether the counts match the record.

    ``total`` is the number of members on the roll call; when ``frame`` holds fewer, the
    line names the filter and adds the full count. For a case without ideology scores the
    line ends with the case's reason (see :func:`no_score_reason`).

    Examples
    --------
    >>> from policykit.analysis import filter_members, member_positions
    >>> mp = member_positions("h65-117.2022")
    >>> positions_summary(filter_members(mp, signers="signers"), "h65-117.2022",
    ...                   total=len(mp), filters="letter signers")  # doctest: +ELLIPSIS
    'Showing 30 of 433 members (letter signers) on House roll 65: ... Yea, 13 Nay, ...'
    """
    rc = _rc(vote_key, case)
    where = _rc_where(rc)
    check = _tally_check(vote_key, case)
    verdict = ("recorded totals match" if bool(check["match"].all())
               else "recomputed counts differ from the recorded totals "
               f"({_counts_text(check['recorded'])})")
    counts = analysis.position_counts(frame)
    reason = no_score_reason(case)
    tail = f" {reason}" if reason else ""
    if total is None or len(frame) == total:
        return f"All {len(frame)} members on {where}: {_counts_text(counts)} — {verdict}.{tail}"
    if len(frame) == 0:
        return (f"No members shown ({filters or 'filters'} match nobody) on {where}. "
                f"All {total} members: {_counts_text(check['recomputed'])} — {verdict}.{tail}")
    return (f"Showing {len(frame)} of {total} members ({filters}) on {where}: "
            f"{_counts_text(counts)}. All members: {_counts_text(check['recomputed'])} "
            f"— {verdict}.{tail}")


def _positions_layout(vote_key: str, y: YAxis, case: CaseLike = None) -> dict[str, Any]:
    rc = _rc(vote_key, case)
    sub = (f"{_rc_where(rc)} · {format_date(rc['date'])} · "
           f"{rc['question']} · {rc['result']} {int(rc['yea'])}-{int(rc['nay'])}")
    cols = _score_columns(case)
    if y == "dim2" and cols is not None:
        yaxis = {"title": {"text": cols[3] or cols[2]}, "range": [-1.15, 1.15],
                 "zeroline": True, "tickmode": "auto"}
    else:
        yaxis = {"title": {"text": "Position"}, "range": [0.4, len(POSITIONS) + 0.6],
                 "tickmode": "array", "tickvals": [_STRIP_ROW[p] for p in POSITIONS],
                 "ticktext": list(POSITIONS), "zeroline": False}
    if cols is not None:
        xaxis = {"title": {"text": _label(case, "score_axis", cols[1])},
                 "range": [-1.05, 1.15], "zeroline": True, "tickmode": "auto"}
    else:
        names = {"D": "Democrats", "R": "Republicans", "I": "Independents"}
        bands = _cached("chamber-layout", _resolve(case), _chamber_layout_of,
                        str(rc["chamber"]))[1]
        xaxis = {"title": {"text": "Party (states A to Z within each party; "
                                   "no ideology scores)"},
                 "range": [-0.55, len(bands) - 0.45], "zeroline": False,
                 "tickmode": "array", "tickvals": list(range(len(bands))),
                 "ticktext": [names.get(p, p) for p in bands]}
    title = _title(_rc_title(rc), sub)
    return {
        "title": title,
        # Extra title lines make the figure taller, not the plot smaller.
        "margin": {"l": 70, "r": 20, "t": _top_margin(title, 90), "b": 60},
        "height": 470 + _top_margin(title, 90) - 90,
        "xaxis": xaxis,
        "yaxis": yaxis,
    }


def positions_figure(frame: pd.DataFrame, *, vote_key: str, y: YAxis = "strip",
                     total: int | None = None, filters: str = "",
                     case: CaseLike = None) -> go.Figure:
    """Members on the case's ideology scale (DW-NOMINATE for the default case), coloured and
    shaped by their position on a roll call; by party, then state, when the case has no
    scores (:func:`has_score`).

    Parameters
    ----------
    frame : pandas.DataFrame
        :func:`policykit.analysis.member_positions`, optionally filtered.
    vote_key : str
        The roll call (for the title and the recorded totals).
    y : {'strip', 'dim2'}
        ``'strip'``: one row per position, points spread within it; ``'dim2'``: the
        second score (only for a case that has one; see :func:`y_axis_options`).
    total, filters : optional
        The unfiltered member count and a description of the filter, for the summary.
    case : str or Case, optional
        The case whose roll call this is (default: the default case).

    Returns
    -------
    plotly.graph_objects.Figure
        Four traces (one per position, always present, possibly empty) and a legend key
        for signers; the summary is in ``fig.layout.meta["summary"]``.

    Examples
    --------
    >>> from policykit.analysis import member_positions
    >>> fig = positions_figure(member_positions("h66-117.2022"), vote_key="h66-117.2022")
    >>> [len(t.x) for t in fig.data[:4]]
    [260, 171, 1, 1]
    """
    chamber = str(_rc(vote_key, case)["chamber"])
    data = positions_trace_data(frame, y=y, case=case, chamber=chamber)
    fig = _new_figure()
    for props in data:
        style = POSITION_STYLE[props["name"]]
        trace = go.Scatter(
            mode="markers", hoverinfo="text", legendgroup=props["name"],
            marker={"color": style["color"], "symbol": style["symbol"], "opacity": 0.85,
                    "line": {"color": "#000000"}})
        fig.add_trace(trace.update(props))
    fig.add_trace(go.Scatter(
        x=[None], y=[None], mode="markers",
        name=_label(case, "signed_legend", "Signer (outlined)"),
        hoverinfo="skip",
        marker={"size": 13, "color": "rgba(0,0,0,0)", "symbol": "circle",
                "line": {"width": 2, "color": "#000000"}},
    ))
    fig.update_layout(
        font=_FONT,
        legend={"title": {"text": "Position"}, "orientation": "v"},
        meta={"summary": positions_summary(frame, vote_key, total=total, filters=filters,
                                           case=case)},
        **_positions_layout(vote_key, y, case),
    )
    return fig


# --- Words vs votes: signers x roll calls ----------------------------------------------------

def _signer_labels(grid: pd.DataFrame) -> list[str]:
    """``'Last (ST-07)'`` per signer; a senator (no district) is ``'Last (ST)'``."""
    return [f"{last} ({state}-{int(district):02d})" if pd.notna(district)
            else f"{last} ({state})" for last, state, district in
            zip(grid["last_name"].tolist(), grid["state"].tolist(), grid["district"].tolist(),
                strict=True)]


def _chamber_of(vote_keys: Sequence[str], case: CaseLike) -> str:
    chambers = {str(_rc(k, case)["chamber"]) for k in vote_keys}
    return chambers.pop() if len(chambers) == 1 else ""


def grid_trace_data(grid: pd.DataFrame, vote_keys: Sequence[str], *,
                    case: CaseLike = None) -> list[dict[str, Any]]:
    """Per-position trace properties for the signers x roll calls grid.

    Examples
    --------
    >>> from policykit.analysis import signer_grid
    >>> keys = ["h65-117.2022", "h66-117.2022"]
    >>> data = grid_trace_data(signer_grid(keys), keys)
    >>> {d["name"]: len(d["x"]) for d in data if d["name"] in ("Nay", "Present")}
    {'Nay': 13, 'Present': 1}
    """
    labels = _signer_labels(grid)
    names = grid["name"].astype(str).tolist()
    cols = _short_rolls(vote_keys, case)
    titles = {k: rollcall_label(k, group=False, width=40, case=case) for k in vote_keys}
    cells: dict[str, tuple[list[str], list[str], list[str]]] = {p: ([], [], [])
                                                               for p in POSITIONS}
    for key in vote_keys:
        positions = [str(v) for v in grid[key].tolist()]  # no astype: categorical is slow
        for label, name, pos in zip(labels, names, positions, strict=True):
            if pos in cells:
                xs, ys, hover = cells[pos]
                xs.append(cols[key])
                ys.append(label)
                hover.append(f"<b>{name}</b> ({label.split('(')[-1]}<br>{titles[key]}"
                             f"<br>Position: {pos}")
    return [{"name": pos, "x": xs, "y": ys, "hovertext": hover}
            for pos, (xs, ys, hover) in cells.items()]


def grid_summary(grid: pd.DataFrame, vote_keys: Sequence[str], *, sort_by: str = "name",
                 case: CaseLike = None) -> str:
    """One line: the grid's size, its sort order and the positions it holds.

    Examples
    --------
    >>> from policykit.analysis import signer_grid
    >>> grid_summary(signer_grid(["h66-117.2022"]), ["h66-117.2022"])
    '30 signers × 1 House roll call, sorted by name: 29 Yea, 0 Nay, 1 Present, 0 Not Voting.'
    """
    cells = Counter(str(v) for key in vote_keys for v in grid[key].tolist())
    counts = pd.Series({pos: cells.get(pos, 0) for pos in POSITIONS})
    n = len(vote_keys)
    order = {"name": "name", "state": "state and district",
             "ideology": _label(case, "sort_score", "ideology score (lowest first)"),
             "nays": "number of Nay votes"}[sort_by]
    chamber = _chamber_of(vote_keys, case) if vote_keys else ""
    rolls = f"{chamber} roll call" if chamber else "roll call"
    return (f"{len(grid)} {_label(case, 'signers', 'signers')} × {n} "
            f"{rolls}{'s' if n != 1 else ''}, sorted by {order}: {_counts_text(counts)}.")


def grid_figure(grid: pd.DataFrame, vote_keys: Sequence[str], *, sort_by: str = "name",
                focus: str | None = None, case: CaseLike = None) -> go.Figure:
    """Each signer's position on each roll call of one chamber, as a grid of symbols.

    Parameters
    ----------
    grid : pandas.DataFrame
        :func:`policykit.analysis.signer_grid` (rows in the order to draw, top first).
    vote_keys : sequence of str
        The roll-call columns, left to right.
    focus : str, optional
        A roll call whose column is shaded.
    case : str or Case, optional
        The case (default: the default case).

    Examples
    --------
    >>> from policykit.analysis import signer_grid
    >>> keys = ["h65-117.2022", "h145-117.2022"]
    >>> fig = grid_figure(signer_grid(keys), keys, focus="h65-117.2022")
    >>> len(fig.data), len(fig.layout.shapes)
    (4, 1)
    """
    labels = _signer_labels(grid)
    fig = _new_figure()
    for props in grid_trace_data(grid, vote_keys, case=case):
        style = POSITION_STYLE[props["name"]]
        fig.add_trace(go.Scatter(
            mode="markers", hoverinfo="text",
            marker={"color": style["color"], "symbol": style["symbol"], "size": 12,
                    "line": {"width": 1, "color": "#FFFFFF"}},
            **props))
    fig.update_layout(
        font=_FONT,
        height=max(320, 22 * len(grid) + 200),
        margin={"l": 150, "r": 20, "t": 110, "b": 30},
        title=_title(_label(case, "grid_title", "Signers on the roll calls"),
                     "One row per signer, one column per roll call"),
        legend={"title": {"text": "Position"}, "orientation": "v", "x": 1.02, "y": 1.0,
                "yanchor": "top", "xanchor": "left"},
        **_grid_layout(grid, vote_keys, labels, focus, case),
        meta={"summary": grid_summary(grid, vote_keys, sort_by=sort_by, case=case)},
    )
    return fig


def _focus_shapes(vote_keys: Sequence[str], focus: str | None) -> list[dict[str, Any]]:
    if focus not in vote_keys:
        return []
    i = list(vote_keys).index(focus)
    return [{"type": "rect", "xref": "x", "yref": "paper", "x0": i - 0.5, "x1": i + 0.5,
             "y0": 0, "y1": 1, "layer": "below", "line": {"width": 0},
             "fillcolor": "rgba(240,228,66,0.35)"}]


def _grid_layout(grid: pd.DataFrame, vote_keys: Sequence[str], labels: list[str],
                 focus: str | None, case: CaseLike = None) -> dict[str, Any]:
    cols = list(_short_rolls(vote_keys, case).values())
    shapes = _focus_shapes(vote_keys, focus)
    return {
        "xaxis": {"type": "category", "categoryorder": "array", "categoryarray": cols,
                  "side": "top", "tickfont": {"size": 11}, "range": [-0.5, len(cols) - 0.5]},
        "yaxis": {"type": "category", "categoryorder": "array",
                  "categoryarray": labels[::-1], "tickfont": {"size": 11},
                  "range": [-0.5, len(labels) - 0.5]},
        "shapes": shapes,
    }


# --- Party breakdown on one roll call ---------------------------------------------------------

def breakdown_trace_data(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Per-position bar properties for a :func:`policykit.analysis.party_breakdown` table.

    Examples
    --------
    >>> from policykit.analysis import party_breakdown
    >>> data = breakdown_trace_data(party_breakdown("h65-117.2022", split_signers=True))
    >>> data[1]["name"], list(data[1]["y"])[0], int(data[1]["x"][0])
    ('Nay', 'Signers (D)', 13)
    """
    groups = list(table.index.astype(str))
    return [{"name": pos, "y": groups, "x": table[pos].to_numpy(dtype=int),
             "text": [str(int(v)) if v else "" for v in table[pos]]} for pos in POSITIONS]


def breakdown_summary(table: pd.DataFrame, vote_key: str, *, case: CaseLike = None) -> str:
    """One line: each group's positions on one roll call.

    Examples
    --------
    >>> from policykit.analysis import party_breakdown
    >>> breakdown_summary(party_breakdown("h66-117.2022", split_signers=True),
    ...                   "h66-117.2022")  # doctest: +ELLIPSIS
    'House roll 66 — Signers (D): 29 Yea, 0 Nay, 1 Present, 0 Not Voting; Other Democrats: ...'
    """
    rc = _rc(vote_key, case)
    parts = [f"{g}: {_counts_text(table.loc[g])}" for g in table.index]
    return f"{_rc_where(rc)} — " + "; ".join(parts) + "."


def breakdown_figure(table: pd.DataFrame, vote_key: str, *, case: CaseLike = None) -> go.Figure:
    """Stacked bars: how each group (the signers, then the other members by party) voted.

    Bars carry a pattern per position as well as a colour.

    Examples
    --------
    >>> from policykit.analysis import party_breakdown
    >>> fig = breakdown_figure(party_breakdown("h145-117.2022", split_signers=True),
    ...                        "h145-117.2022")
    >>> [t.name for t in fig.data]
    ['Yea', 'Nay', 'Present', 'Not Voting']
    """
    fig = _new_figure()
    for props in breakdown_trace_data(table):
        style = POSITION_STYLE[props["name"]]
        fig.add_trace(go.Bar(
            orientation="h", textposition="inside", insidetextanchor="middle",
            insidetextfont={"color": text_colour(style["color"])},
            marker={"color": style["color"], "pattern": {"shape": style["pattern"],
                                                         "fgcolor": "#FFFFFF"}},
            hovertemplate="%{y}: %{x} " + props["name"] + "<extra></extra>", **props))
    fig.update_layout(
        font=_FONT, barmode="stack",
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 1.0,
                "xanchor": "right", "traceorder": "normal"},
        meta={"summary": breakdown_summary(table, vote_key, case=case)},
        **_breakdown_layout(table, vote_key, case),
    )
    return fig


def _breakdown_layout(table: pd.DataFrame, vote_key: str,
                      case: CaseLike = None) -> dict[str, Any]:
    # The roll call's full title, wrapped (not shortened).
    title = _title(_label(case, "breakdown_title", "Signers and the other members, by party"),
                   rollcall_label(vote_key, group=False, width=200, case=case))
    return {
        "title": title,
        "margin": {"l": 130, "r": 20, "t": _top_margin(title, 100), "b": 50},
        "height": 290 + _top_margin(title, 100) - 100,
        "yaxis": {"type": "category", "categoryorder": "array",
                  "categoryarray": list(table.index.astype(str))[::-1]},
        "xaxis": {"title": {"text": "Members"}},
    }


# --- Timeline ----------------------------------------------------------------------------------

def _plural(words: str) -> str:
    if words.endswith("s"):
        return words
    if words.endswith("y") and words[-2:-1] not in ("a", "e", "o", "u"):
        return words[:-1] + "ies"
    return words + "s"


def _lane_label(key: str, case: CaseLike = None) -> str:
    """A lane's label: the case's label ``lane:<key>`` if it has one, else sentence case,
    and actor types as ``'Responses: <plural>'``.

    >>> _lane_label("actor:democratic_colleague"), _lane_label("category:war")
    ('Responses: Democratic colleagues', 'War')
    >>> _lane_label("actor:foreign_government")
    'Responses: foreign governments'
    """
    c = _resolve(case)
    return _cached("lane", c, _lane_label_of, key)


def _lane_label_of(c: _case.Case, key: str) -> str:
    group, _, lane = key.partition(":") if ":" in key else ("category", "", key)
    own = c.label(f"lane:{group}:{lane}", "")
    if own:
        return own
    words = lane.replace("_", " ")
    if group == "actor":
        return f"Responses: {_plural(words)}"
    return words[:1].upper() + words[1:]


def _wrap(text: str, width: int = 70) -> str:
    return "<br>".join(textwrap.wrap(html.escape(text, quote=False), width)) or ""


def timeline_trace_data(frame: pd.DataFrame, lanes: Sequence[str], *,
                        case: CaseLike = None) -> list[dict[str, Any]]:
    """Per-kind trace properties for the timeline (x = date, y = lane row).

    Items on the same day in the same lane are spread a little vertically. The hover text
    names each source id and its URL.

    Examples
    --------
    >>> from policykit.analysis import timeline, timeline_lanes
    >>> t = timeline()
    >>> data = timeline_trace_data(t, timeline_lanes(t)["key"].tolist())
    >>> sum(len(d["x"]) for d in data) == len(t)
    True
    """
    row = {lane: len(lanes) - 1 - i for i, lane in enumerate(lanes)}
    # Plain lists over the (few) items: a control change redraws this.
    keys = analysis.lane_keys(frame).tolist()
    keep = [i for i, key in enumerate(keys) if key in row]
    dates = frame["date"].tolist()
    kinds = frame["kind"].astype(str).tolist()
    columns = [frame[c].tolist() for c in ("label", "detail", "date_public", "sources")]
    size = Counter((keys[i], dates[i]) for i in keep)
    seen: Counter[tuple[str, Any]] = Counter()
    offset, hours = {}, {}
    for i in keep:  # items on the same day in the same lane: a small grid within the day
        group = (keys[i], dates[i])
        offset[i], hours[i] = _cluster_place(seen[group], size[group])
        seen[group] += 1
    date_values = frame["date"].to_numpy()
    names = kind_names(case)
    ckey = _remember(_resolve(case))
    out = []
    for kind in KIND_STYLE:
        rows = [i for i in keep if kinds[i] == kind]
        out.append({
            "name": names[kind],
            "x": date_values[rows] + np.array([hours[i] for i in rows], dtype="timedelta64[h]"),
            "y": np.array([row[keys[i]] + offset[i] for i in rows], dtype=float),
            "hovertext": [_timeline_hover(dates[i], *(c[i] for c in columns), keys[i], ckey)
                          for i in rows],
        })
    return out


#: Items of one lane on one day: up to 3 a column (a third of a lane apart), columns 6 hours
#: apart within the day (first column at midnight, so a lone item sits on its date).
_CLUSTER_ROWS = 3
_CLUSTER_STEP = 0.3
_CLUSTER_HOURS = 6


def _cluster_place(rank: int, size: int) -> tuple[float, int]:
    """(vertical offset in lanes, hours after midnight) for item ``rank`` of ``size``.

    In the whole year a day is about 2 px wide, so a cluster is a short column; zoomed in
    (for example to the letter's fortnight) its columns separate.

    >>> [_cluster_place(r, 1) for r in range(1)], [_cluster_place(r, 2) for r in range(2)]
    ([(0.0, 0)], [(-0.15, 0), (0.15, 0)])
    >>> [_cluster_place(r, 4) for r in range(4)]
    [(-0.3, 0), (0.0, 0), (0.3, 0), (0.0, 6)]
    """
    column, place = divmod(rank, _CLUSTER_ROWS)
    in_column = min(_CLUSTER_ROWS, size - column * _CLUSTER_ROWS)
    columns = -(-size // _CLUSTER_ROWS)
    step = min(_CLUSTER_HOURS, 20 // max(1, columns - 1))  # the last column by 20:00
    return round((place - (in_column - 1) / 2) * _CLUSTER_STEP, 6), column * step


#: Cases by their cache key (for the hover cache, whose arguments must be hashable).
_CASES: dict[tuple[str, ...], _case.Case] = {}


def _remember(c: _case.Case) -> tuple[str, ...]:
    key = _case_key(c)
    _CASES[key] = c
    return key


@lru_cache(maxsize=4096)
def _timeline_hover_cached(date: Any, label: str, detail: Any, date_public: Any,
                           sources: str, key: str, ckey: tuple[str, ...]) -> str:
    c = _CASES[ckey]
    urls = _source_url_map(c)
    lines = [f"<b>{format_date(date)}</b> · {_lane_label(key, c)}", _wrap(label)]
    if isinstance(detail, str) and detail:
        lines.append(_wrap(detail))
    if pd.notna(date_public) and date_public != date:
        lines.append(f"Public from {format_date(date_public)}")
    ids = [s.strip() for s in sources.split(";") if s.strip()]
    lines.append("Sources:")
    lines += [f"{s} — {urls.get(s, '(not in the sources table)')}" for s in ids[:4]]
    if len(ids) > 4:
        lines.append(f"… and {len(ids) - 4} more")
    return "<br>".join(lines)


def _timeline_hover(date: Any, label: Any, detail: Any, date_public: Any, sources: Any,
                    key: str, ckey: tuple[str, ...]) -> str:
    """One item's hover text: date, lane, label, detail, publication date, source URLs."""
    detail = detail if isinstance(detail, str) else None
    public = None if pd.isna(date_public) else date_public
    return _timeline_hover_cached(date, str(label), detail, public, str(sources), key, ckey)


def timeline_summary(frame: pd.DataFrame, *, total: int | None = None,
                     as_known_on: Any = None, case: CaseLike = None) -> str:
    """One line: how many items are shown, of which kinds, over which dates.

    Examples
    --------
    >>> from policykit.analysis import timeline
    >>> timeline_summary(timeline(as_known_on="2022-10-23"), total=len(timeline()),
    ...                  as_known_on="2022-10-23")  # doctest: +ELLIPSIS
    'Showing ... items (... 0 caucus statements, ...) dated 24 Feb 2022 to ...'
    """
    if len(frame) == 0:
        known = f" as known on {format_date(as_known_on)}" if as_known_on is not None else ""
        return f"No items match the filters{known}."
    counts = frame["kind"].astype(str).value_counts()
    singular = {k: v[:1].lower() + v[1:] if k != "statement" else v.lower()
                for k, v in kind_names(case).items()}
    plural = {k: _plural(v) for k, v in singular.items()}
    kinds = ", ".join(f"{int(counts.get(k, 0))} "
                      f"{singular[k] if counts.get(k, 0) == 1 else plural[k]}"
                      for k in _kinds(case))
    head = f"Showing {len(frame)} of {total} items" if total else f"Showing {len(frame)} items"
    text = (f"{head} ({kinds}) dated {format_date(frame['date'].min())} to "
            f"{format_date(frame['date'].max())}")
    if as_known_on is not None:
        text += f", as publicly known on {format_date(as_known_on)}"
    return text + "."


def _timeline_layout(lanes: Sequence[str], as_known_on: Any,
                     xrange: tuple[Any, Any] | None, case: CaseLike = None) -> dict[str, Any]:
    shapes, annotations = [], []
    if as_known_on is not None:
        day = pd.Timestamp(as_known_on)
        # The line closes the day: what was public on that day (drawn within it) is left of it.
        end = day + pd.Timedelta(days=1)
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": end, "x1": end,
                       "y0": 0, "y1": 1, "line": {"color": "#000000", "dash": "dot",
                                                  "width": 1.5}})
        # The label runs away from the nearer edge of the plot, so it is never cut.
        anchor = "center"
        if xrange is not None:
            lo, hi = (pd.Timestamp(v) for v in xrange)
            if hi > lo:
                anchor = "right" if (end - lo) / (hi - lo) > 0.5 else "left"
        annotations.append({"xref": "x", "yref": "paper", "x": end, "y": 1.0,
                            "xanchor": anchor, "yanchor": "bottom", "showarrow": False,
                            "text": f"As known on {format_date(day)}",
                            "font": {"size": 11}})
    xaxis: dict[str, Any] = {"type": "date"}
    if xrange is not None:
        lo, hi = (pd.Timestamp(v) for v in xrange)
        pad = max(pd.Timedelta(days=2), (hi - lo) * 0.03)
        xaxis["range"] = [lo - pad, hi + pad]
    else:
        xaxis["autorange"] = True
    return {
        "xaxis": xaxis,
        "yaxis": {"tickmode": "array", "tickvals": list(range(len(lanes)))[::-1],
                  "ticktext": [_lane_label(lane, case) for lane in lanes],
                  "range": [-0.6, len(lanes) - 0.4], "zeroline": False},
        "shapes": shapes, "annotations": annotations,
    }


def timeline_figure(frame: pd.DataFrame, *, lanes: Sequence[str] | None = None,
                    as_known_on: Any = None, total: int | None = None,
                    xrange: tuple[Any, Any] | None = None, case: CaseLike = None) -> go.Figure:
    """Events, roll calls, responses and statements on one time axis, one lane per category.

    Parameters
    ----------
    frame : pandas.DataFrame
        :func:`policykit.analysis.timeline`, optionally filtered.
    lanes : sequence of str, optional
        Lane keys top to bottom (default: every ``key`` of
        :func:`policykit.analysis.timeline_lanes`, in its order).
    as_known_on : date-like, optional
        Draws a dotted line at that date (filter ``frame`` with the same date first).
    xrange : (date, date), optional
        The date range to show.
    case : str or Case, optional
        The case (default: the default case); its labels name the lanes and the title.

    Examples
    --------
    >>> from policykit.analysis import timeline
    >>> fig = timeline_figure(timeline())
    >>> [t.name for t in fig.data]
    ['Event', 'Roll call', 'Caucus statement', 'Response']
    """
    if lanes is None:
        lanes = analysis.timeline_lanes(case=case)["key"].tolist()
    names = kind_names(case)
    fig = _new_figure()
    for props in timeline_trace_data(frame, lanes, case=case):
        kind = next(k for k, name in names.items() if name == props["name"])
        style = KIND_STYLE[kind]
        fig.add_trace(go.Scatter(
            mode="markers", hoverinfo="text", showlegend=kind in _kinds(case),
            marker={"color": style["color"], "symbol": style["symbol"], "size": 11,
                    "line": {"width": 1, "color": "#FFFFFF"}},
            hoverlabel={"align": "left"}, **props))
    fig.update_layout(
        font=_FONT, height=max(380, 28 * len(lanes) + 200),
        margin={"l": 160, "r": 20, "t": 90, "b": 100},
        title=_title(_label(case, "timeline_title", "Events, votes and responses"),
                     "One row per category of event or kind of actor"),
        legend={"orientation": "h", "y": -0.12, "yanchor": "top", "x": 0, "xanchor": "left"},
        hovermode="closest",
        meta={"summary": timeline_summary(frame, total=total, as_known_on=as_known_on,
                                          case=case)},
        **_timeline_layout(lanes, as_known_on, xrange, case),
    )
    return fig


# --- The documents and statements: where a phrase occurs --------------------------------------

def _documents(record: pd.DataFrame) -> list[str]:
    """The record's documents in their order (first the case's document, then statements)."""
    return list(dict.fromkeys(record["document"].astype(str).tolist()))


def _record_counts(record: pd.DataFrame) -> tuple[dict[str, int], dict[str, int]]:
    """Items and items containing the phrase, per document (plain counts: a few dozen rows)."""
    sizes = dict.fromkeys(_documents(record), 0)
    hits = dict.fromkeys(sizes, 0)
    for doc, match in zip(record["document"].astype(str).tolist(), record["match"].tolist(),
                          strict=True):
        sizes[doc] = sizes.get(doc, 0) + 1
        hits[doc] = hits.get(doc, 0) + int(bool(match))
    return sizes, hits


def document_name(document: str, case: CaseLike = None) -> str:
    """A document's name in figures (the case's label ``doc:<document>``, else capitalised).

    >>> document_name("withdrawal")
    'Withdrawal'
    """
    return _label(case, f"doc:{document}", document[:1].upper() + document[1:])


def _doc_items(document: str, case: CaseLike) -> str:
    return _label(case, f"doc_items:{document}", f"{document} passages")


def _doc_labels(record: pd.DataFrame, case: CaseLike = None) -> dict[str, str]:
    first: dict[str, Any] = {}
    for doc, date in zip(record["document"].astype(str).tolist(), record["date"].tolist(),
                         strict=True):
        if pd.notna(date) and (doc not in first or date < first[doc]):
            first[doc] = date
    return {d: document_name(d, case) + (f", {format_date(first[d])}" if d in first else "")
            for d in _documents(record)}


def record_trace_data(record: pd.DataFrame, *, case: CaseLike = None) -> list[dict[str, Any]]:
    """Bar properties: per document, the items that contain the phrase and those that do not.

    Examples
    --------
    >>> from policykit.analysis import find_in_record
    >>> data = record_trace_data(find_in_record("direct talks"))
    >>> data[0]["name"], [int(v) for v in data[0]["x"]]  # letter, clarification, withdrawal
    ('Contains the phrase', [1, 0, 0])
    """
    labels = _doc_labels(record, case)
    sizes, hits = _record_counts(record)
    docs = list(labels)
    ys = [labels[d] for d in docs]
    found = [hits[d] for d in docs]
    rest = [sizes[d] - hits[d] for d in docs]
    return [
        {"name": "Contains the phrase", "y": ys, "x": np.array(found, dtype=int),
         "text": [str(v) if v else "" for v in found]},
        {"name": "Does not contain it", "y": ys, "x": np.array(rest, dtype=int),
         "text": [str(v) if v else "" for v in rest]},
    ]


def record_summary(record: pd.DataFrame, phrase: str | None = None, *,
                   case: CaseLike = None) -> str:
    """One line: in how many passages and statement sentences a phrase occurs.

    Examples
    --------
    >>> from policykit.analysis import find_in_record
    >>> record_summary(find_in_record("direct talks"), "direct talks")  # doctest: +ELLIPSIS
    "'direct talks' occurs in 1 of 15 verified letter passages, 0 of 3 clarification ..."
    """
    sizes, hits = _record_counts(record)
    docs = list(sizes)
    if not phrase or not phrase.strip():
        parts = [f"{int(sizes.get(d, 0))} {_doc_items(d, case)}" for d in docs]
        note = _label(case, "record_note", "")
        return "No search: " + ", ".join(parts) + "." + (f" {note}" if note else "")
    parts = [f"{int(hits.get(d, 0))} of {int(sizes.get(d, 0))} {_doc_items(d, case)}"
             for d in docs]
    return f"{phrase.strip()!r} occurs in " + ", ".join(parts) + "."


def record_figure(record: pd.DataFrame, phrase: str | None = None, *,
                  case: CaseLike = None) -> go.Figure:
    """Where a phrase occurs: the case's document passages and its statements.

    Examples
    --------
    >>> from policykit.analysis import find_in_record
    >>> fig = record_figure(find_in_record("ceasefire"), "ceasefire")
    >>> [t.name for t in fig.data]
    ['Contains the phrase', 'Does not contain it']
    """
    fig = _new_figure()
    colours = [(OKABE_ITO["vermillion"], ""), ("#D9D9D9", "")]
    for props, (colour, pattern) in zip(record_trace_data(record, case=case), colours,
                                        strict=True):
        fig.add_trace(go.Bar(orientation="h", textposition="inside",
                             insidetextfont={"color": text_colour(colour)},
                             marker={"color": colour, "pattern": {"shape": pattern}},
                             hovertemplate="%{y}: %{x} " + props["name"].lower()
                             + "<extra></extra>", **props))
    fig.update_layout(
        font=_FONT, barmode="stack",
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 1.0,
                "xanchor": "right", "traceorder": "normal"},
        meta={"summary": record_summary(record, phrase, case=case)},
        **_record_layout(record, phrase, case),
    )
    return fig


def _record_layout(record: pd.DataFrame, phrase: str | None,
                   case: CaseLike = None) -> dict[str, Any]:
    text = (f"Where {phrase.strip()!r} occurs" if phrase and phrase.strip()
            else _label(case, "record_title", "Passages and statement sentences"))
    labels = _doc_labels(record, case)
    title = _title(text, "Counts of passages or sentences")
    return {"title": title,
            "margin": {"l": 230, "r": 20, "t": _top_margin(title, 100), "b": 50},
            "height": max(260, 60 * len(labels) + 80) + _top_margin(title, 100) - 100,
            "yaxis": {"type": "category", "categoryorder": "array",
                      "categoryarray": list(labels.values())[::-1]},
            "xaxis": {"title": {"text": "Passages or sentences"}, "dtick": 1}}


# --- Static HTML (for front ends without widgets) ----------------------------------------------

_PLOTLYJS_EMBEDDED = False
_CELL_CSS = "padding:0.2em 0.7em;border-bottom:1px solid #DDDDDD;text-align:left"
_NEEDS_PLOTLYJS = (
    "<script>if (!window.policykitPlotly) {{ document.currentScript.insertAdjacentHTML("
    "'afterend', "
    "'<p class=\"policykit-missing-js\"><em>This figure uses plotly.js, which is embedded once, "
    "in the first policykit figure of the notebook. Run the notebook from the top (Run All) "
    "to see it.</em></p>'); }}</script>"
)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two ``#RRGGBB`` colours (1 to 21).

    Examples
    --------
    >>> round(contrast_ratio("#000000", "#FFFFFF"), 1), round(contrast_ratio("#777", "#FFF"), 2)
    (21.0, 4.48)
    """
    def luminance(colour: str) -> float:
        h = colour.lstrip("#")
        if len(h) == 3:
            h = "".join(c * 2 for c in h)
        channels = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with ``background`` (bar labels).

    Examples
    --------
    >>> text_colour(OKABE_ITO["blue"]), text_colour(OKABE_ITO["vermillion"])
    ('#FFFFFF', '#000000')
    """
    black, white = "#000000", "#FFFFFF"
    return black if contrast_ratio(background, black) >= contrast_ratio(background, white) \
        else white


def plain_title(fig: go.Figure) -> str:
    """The figure's title and subtitle as plain text (its accessible name).

    Examples
    --------
    >>> plain_title(go.Figure(layout={"title": _title("Where it occurs", "Counts")}))
    'Where it occurs — Counts'
    """
    text = str(fig.layout.title.text or "")
    text = re.sub(r"<br\s*/?>\s*(?=<span)", " — ", text, flags=re.I)
    text = re.sub(r"<br\s*/?>", " ", text, flags=re.I)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return " ".join(text.split()) or "Figure"


def _figure_block(fig: go.Figure) -> str:
    """A div and a script drawing ``fig`` once the page's plotly.js is unpacked."""
    spec = fig.to_plotly_json()
    template = spec.get("layout", {}).get("template")
    if isinstance(template, dict) and isinstance(template.get("data"), dict):
        used = {t.get("type", "scatter") for t in spec.get("data", [])}
        template["data"] = {k: v for k, v in template["data"].items() if k in used}
    # plotly's JSON (numpy arrays as typed arrays), re-serialised without its \\u003c
    # escapes (a third of the hover text's size); only what could end the script is escaped.
    plain = json.dumps(json.loads(pio.json.to_json_plotly(spec)), ensure_ascii=False,
                       separators=(",", ":"))
    payload = plain.replace("</", "<\\/").replace("<!--", "\\u003c!--")
    div_id = f"policykit-{uuid.uuid4().hex[:16]}"
    height = fig.layout.height or 450
    return (f"<div id='{div_id}' class='plotly-graph-div' "
            f"style='height:{int(height)}px;width:100%'></div>\n"
            f"<script type='text/javascript'>(function () {{ var fig = {payload}; "
            f"if (window.{_plotlyjs.LOADER_GLOBAL}) {{ window.{_plotlyjs.LOADER_GLOBAL}"
            f".then(function (Plotly) {{ Plotly.newPlot('{div_id}', fig.data, fig.layout, "
            f"{json.dumps(_CONFIG)}); }}); }} }})();</script>")


def _data_details(table: pd.DataFrame, caption: str) -> str:
    """A "Show data" disclosure holding ``table`` as a real HTML table (cells padded)."""
    e = html.escape
    head = "".join(f"<th scope='col'>{e(str(c))}</th>" for c in table.columns)
    rows = "".join("<tr>" + "".join(
        f"<td>{'' if pd.isna(v) else e(str(v))}</td>" for v in row)
        + "</tr>" for row in table.itertuples(index=False, name=None))
    cap = f"<caption style='text-align:left;font-weight:600'>{e(caption)}</caption>" \
        if caption else ""
    # One style block, not a style per cell (a 430-row table would add 0.2 MB).
    style = (f"<style>.policykit-data-details th, .policykit-data-details td "
             f"{{{_CELL_CSS}}}</style>")
    return (f"<details class='policykit-data-details'>{style}<summary>Show data"
            f"{': ' + e(caption) if caption else ''}</summary>"
            f"<table class='policykit-data' style='border-collapse:collapse;margin:0.5em 0'>"
            f"{cap}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></details>")


def static_html(fig: go.Figure, *, table: pd.DataFrame | None = None, summary_text: str = "",
                notes: Sequence[str] = (), table_caption: str = "",
                include_plotlyjs: bool | None = None,
                data_table: pd.DataFrame | None = None, data_caption: str = "") -> str:
    """A static HTML block: notes, the figure, its summary line and a small table.

    plotly.js is the partial bundle vendored in the package (``scatter`` and ``bar``; about
    1.2 MB instead of the full library's 4.8 MB), embedded compressed (about 0.53 MB) and
    unpacked by the page, never from a CDN. By default
    (``include_plotlyjs=None``) it is embedded in the first block made in this process (one
    kernel: one notebook run) and later blocks reuse it, as plotly's own notebook renderer
    does; that keeps a saved notebook or an nbgrader feedback page from growing per figure.
    Pass True to embed it in this block regardless.

    The figure is an image (``role='img'``) named by its title and described by the
    summary line; ``data_table`` (the figure's data) follows in a "Show data" disclosure.

    Examples
    --------
    >>> html_text = static_html(go.Figure(), summary_text="Nothing to show.",
    ...                         include_plotlyjs=True)
    >>> "cdn.plot.ly/plotly" in html_text, "Nothing to show." in html_text
    (False, True)
    """
    global _PLOTLYJS_EMBEDDED
    embed = (not _PLOTLYJS_EMBEDDED) if include_plotlyjs is None else include_plotlyjs
    if include_plotlyjs is None:
        _PLOTLYJS_EMBEDDED = True
    e = html.escape
    parts = ["<div class='policykit-static'>"]
    parts += [f"<p style='padding:0.4em 0.6em;border-left:4px solid {OKABE_ITO['orange']};"
              f"background:#FFF6E0'>{e(n)}</p>" for n in notes]
    parts.append(_plotlyjs.loader_script() if embed else _NEEDS_PLOTLYJS.format())
    # The figure is an image named by its title and described by its summary line.
    summary_id = f"policykit-summary-{uuid.uuid4().hex[:12]}"
    described = f" aria-describedby='{summary_id}'" if summary_text else ""
    parts.append(f"<div class='policykit-figure' role='img' aria-label='{e(plain_title(fig))}'"
                 f"{described}>{_figure_block(fig)}</div>")
    if summary_text:
        parts.append(f"<p class='policykit-summary' id='{summary_id}'>{e(summary_text)}</p>")
    if data_table is not None:
        parts.append(_data_details(data_table, data_caption))
    if table is not None:
        caption = f"<caption>{e(table_caption)}</caption>" if table_caption else ""
        body = table.to_html(index=False, border=0, na_rep="", escape=True,
                             classes="policykit-table")
        # Padding on every cell, inline: feedback pages and exported HTML have no table
        # style, and without it neighbouring cells run together ("1902" for 190 and 2).
        body = (body.replace("<th>", f"<th style='{_CELL_CSS}'>")
                .replace("<td>", f"<td style='{_CELL_CSS}'>")
                .replace('class="dataframe policykit-table">',
                         "class='dataframe policykit-table' "
                         "style='border-collapse:collapse;margin:0.5em 0'>", 1))
        parts.append(body.replace("<thead>", caption + "<thead>", 1) if caption else body)
    parts.append("</div>")
    return "\n".join(parts)
