"""Plotly figure builders: a DataFrame in, a :class:`plotly.graph_objects.Figure` out.

Every builder works without widgets and fetches nothing (plotly.js comes from the installed
plotly package; there are no map tiles or topojson). Positions are drawn with the Okabe-Ito
colour-blind-safe palette *and* a distinct marker symbol each, so colour is never the only cue.

Each builder writes a one-line text summary of what the figure shows into
``fig.layout.meta["summary"]``; :func:`summary` reads it back, and the matching
``*_summary`` function computes the same line from the data alone.

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

from . import _plotlyjs, analysis
from .analysis import POSITIONS
from .datasets import load
from .errors import InvalidArgumentError, invalid_choice

__all__ = [
    "KIND_STYLE",
    "OKABE_ITO",
    "POSITION_STYLE",
    "TIER_LABELS",
    "breakdown_figure",
    "breakdown_summary",
    "breakdown_trace_data",
    "contrast_ratio",
    "format_date",
    "grid_figure",
    "grid_summary",
    "grid_trace_data",
    "plain_title",
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
    "timeline_figure",
    "timeline_summary",
    "timeline_trace_data",
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
                  "name": "Caucus statement"},
    "response": {"color": OKABE_ITO["orange"], "symbol": "diamond", "name": "Response"},
}

#: How each roll-call tier is named in menus (see the ``tier`` column of ``rollcalls``).
TIER_LABELS: dict[str, str] = {"core": "Core aid", "optional": "Oil ban and trade",
                               "related": "Related"}

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


@cache
def _rollcall_rows() -> dict[str, dict[str, Any]]:
    return {str(r["vote_key"]): r for r in load("rollcalls").to_dict("records")}


def _rc(vote_key: str) -> dict[str, Any]:
    """One roll call's row as a dict (read once); unknown keys raise via analysis.rollcall."""
    rows = _rollcall_rows()
    if vote_key not in rows:
        analysis.rollcall(vote_key)  # raises InvalidArgumentError with a closest match
    return rows[vote_key]


@cache
def _source_url_map() -> dict[str, str]:
    return dict(zip(load("sources")["source_id"], load("sources")["url"], strict=True))


@cache
def _tally_check(vote_key: str) -> pd.DataFrame:
    return analysis.tally_check(vote_key)


def _counts_text(counts: pd.Series) -> str:
    return ", ".join(f"{int(counts[p])} {p}" for p in POSITIONS)


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip(" ,;") + "…"


def rollcall_label(vote_key: str, *, group: bool = True, width: int = 48) -> str:
    """A menu label for one roll call, built from the ``rollcalls`` table.

    Examples
    --------
    >>> rollcall_label("h145-117.2022")
    'Core aid — Additional Ukraine Supplemental Appropriations… (House roll 145, 10 May 2022)'
    """
    rc = _rc(vote_key)
    head = f"{TIER_LABELS[str(rc['tier'])]} — " if group else ""
    return (f"{head}{_shorten(str(rc['display_title']), width)} "
            f"({rc['chamber']} roll {int(rc['roll'])}, {format_date(rc['date'])})")


def rollcall_options(chamber: Literal["House", "Senate"] = "House") -> list[tuple[str, str]]:
    """``(label, vote_key)`` pairs for a menu: core aid first, then the other tiers, by date.

    Examples
    --------
    >>> options = rollcall_options("House")
    >>> options[0]
    ('Core aid — Consolidated Appropriations Act, 2022 (House roll 65, 9 Mar 2022)', 'h65-117.2022')
    >>> len(options)
    15
    """
    out = []
    for tier in TIER_LABELS:
        out += [(rollcall_label(k), k) for k in analysis.vote_keys(chamber, tiers=[tier])]
    return out


def _short_roll(vote_key: str) -> str:
    rc = _rc(vote_key)
    ts = pd.Timestamp(rc["date"])
    return f"Roll {int(rc['roll'])}<br>{ts.day} {ts:%b}"


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


def positions_trace_data(frame: pd.DataFrame, *, y: YAxis = "strip") -> list[dict[str, Any]]:
    """Per-position trace properties (x, y, hover text, marker size and outline).

    Signers of the letter get a larger marker with a black outline.

    Examples
    --------
    >>> from policykit.analysis import member_positions
    >>> data = positions_trace_data(member_positions("h66-117.2022"))
    >>> [d["name"] for d in data][:2]
    ['Yea', 'Nay']
    """
    if y not in ("strip", "dim2"):
        raise InvalidArgumentError(invalid_choice("y axis", y, ["strip", "dim2"],
                                                  "Use 'strip' or 'dim2'."))
    # Plain numpy arrays and lists: a control change redraws this, so no per-row pandas work.
    position = frame["position"].astype(str).to_numpy()
    signers = frame["signer"].to_numpy(dtype=bool)
    dim1 = frame["nominate_dim1"].to_numpy(dtype=float)
    dim2 = frame["nominate_dim2"].to_numpy(dtype=float)
    ids = frame["bioguide_id"].astype(str).tolist()
    names = frame["name"].astype(str).tolist()
    seats = frame["seat"].astype(str).tolist()
    parties = [_PARTY.get(p, p) for p in frame["party"].astype(str).tolist()]
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
                 f"<br>Signed the letter: {'yes' if signers[i] else 'no'}"
                 f"<br>DW-NOMINATE: {dim1[i]:+.3f}, {dim2[i]:+.3f}" for i in rows]
        out.append({
            "name": pos,
            "x": dim1[rows],
            "y": yy,
            "hovertext": np.array(hover, dtype=object),
            "marker": {"size": [13 if s else 8 for s in signer],
                       "line": {"width": [2 if s else 0.5 for s in signer]}},
        })
    return out


def positions_summary(frame: pd.DataFrame, vote_key: str, *, total: int | None = None,
                      filters: str = "") -> str:
    """One line: what the positions figure shows, and whether the counts match the record.

    ``total`` is the number of members on the roll call; when ``frame`` holds fewer, the
    line names the filter and adds the full count.

    Examples
    --------
    >>> from policykit.analysis import filter_members, member_positions
    >>> mp = member_positions("h65-117.2022")
    >>> positions_summary(filter_members(mp, signers="signers"), "h65-117.2022",
    ...                   total=len(mp), filters="letter signers")  # doctest: +ELLIPSIS
    'Showing 30 of 433 members (letter signers) on House roll 65: ... Yea, 13 Nay, ...'
    """
    rc = _rc(vote_key)
    where = f"{rc['chamber']} roll {int(rc['roll'])}"
    check = _tally_check(vote_key)
    verdict = ("recorded totals match" if bool(check["match"].all())
               else "recomputed counts differ from the recorded totals "
               f"({_counts_text(check['recorded'])})")
    counts = analysis.position_counts(frame)
    if total is None or len(frame) == total:
        return f"All {len(frame)} members on {where}: {_counts_text(counts)} — {verdict}."
    if len(frame) == 0:
        return (f"No members shown ({filters or 'filters'} match nobody) on {where}. "
                f"All {total} members: {_counts_text(check['recomputed'])} — {verdict}.")
    return (f"Showing {len(frame)} of {total} members ({filters}) on {where}: "
            f"{_counts_text(counts)}. All members: {_counts_text(check['recomputed'])} "
            f"— {verdict}.")


def _positions_layout(vote_key: str, y: YAxis) -> dict[str, Any]:
    rc = _rc(vote_key)
    sub = (f"{rc['chamber']} roll {int(rc['roll'])} · {format_date(rc['date'])} · "
           f"{rc['question']} · {rc['result']} {int(rc['yea'])}-{int(rc['nay'])}")
    if y == "dim2":
        yaxis = {"title": {"text": "DW-NOMINATE dimension 2"}, "range": [-1.15, 1.15],
                 "zeroline": True, "tickmode": "auto"}
    else:
        yaxis = {"title": {"text": "Position"}, "range": [0.4, len(POSITIONS) + 0.6],
                 "tickmode": "array", "tickvals": [_STRIP_ROW[p] for p in POSITIONS],
                 "ticktext": list(POSITIONS), "zeroline": False}
    title = _title(str(rc["display_title"]), sub)
    return {
        "title": title,
        # Extra title lines make the figure taller, not the plot smaller.
        "margin": {"l": 70, "r": 20, "t": _top_margin(title, 90), "b": 60},
        "height": 470 + _top_margin(title, 90) - 90,
        "xaxis": {"title": {"text": "DW-NOMINATE dimension 1 (negative = left)"},
                  "range": [-1.05, 1.15], "zeroline": True},
        "yaxis": yaxis,
    }


def positions_figure(frame: pd.DataFrame, *, vote_key: str, y: YAxis = "strip",
                     total: int | None = None, filters: str = "") -> go.Figure:
    """Members on the DW-NOMINATE scale, coloured and shaped by their position on a roll call.

    Parameters
    ----------
    frame : pandas.DataFrame
        :func:`policykit.analysis.member_positions`, optionally filtered.
    vote_key : str
        The roll call (for the title and the recorded totals).
    y : {'strip', 'dim2'}
        ``'strip'``: one row per position, points spread within it; ``'dim2'``: the
        second DW-NOMINATE dimension.
    total, filters : optional
        The unfiltered member count and a description of the filter, for the summary.

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
    data = positions_trace_data(frame, y=y)
    fig = go.Figure()
    for props in data:
        style = POSITION_STYLE[props["name"]]
        trace = go.Scatter(
            mode="markers", hoverinfo="text", legendgroup=props["name"],
            marker={"color": style["color"], "symbol": style["symbol"], "opacity": 0.85,
                    "line": {"color": "#000000"}})
        fig.add_trace(trace.update(props))
    fig.add_trace(go.Scatter(
        x=[None], y=[None], mode="markers", name="Signed the letter (outlined)",
        hoverinfo="skip",
        marker={"size": 13, "color": "rgba(0,0,0,0)", "symbol": "circle",
                "line": {"width": 2, "color": "#000000"}},
    ))
    fig.update_layout(
        template="plotly_white", font=_FONT,
        legend={"title": {"text": "Position"}, "orientation": "v"},
        meta={"summary": positions_summary(frame, vote_key, total=total, filters=filters)},
        **_positions_layout(vote_key, y),
    )
    return fig


# --- Words vs votes: signers x roll calls ----------------------------------------------------

def _signer_labels(grid: pd.DataFrame) -> list[str]:
    return [f"{last} ({state}-{int(district):02d})" for last, state, district in
            zip(grid["last_name"].tolist(), grid["state"].tolist(), grid["district"].tolist(),
                strict=True)]


def grid_trace_data(grid: pd.DataFrame, vote_keys: Sequence[str]) -> list[dict[str, Any]]:
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
    cols = {k: _short_roll(k) for k in vote_keys}
    titles = {k: rollcall_label(k, group=False, width=40) for k in vote_keys}
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


def grid_summary(grid: pd.DataFrame, vote_keys: Sequence[str], *, sort_by: str = "name") -> str:
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
    order = {"name": "name", "state": "state and district", "ideology":
             "DW-NOMINATE dimension 1 (left first)", "nays": "number of Nay votes"}[sort_by]
    return (f"{len(grid)} signers × {n} House roll call{'s' if n != 1 else ''}, sorted by "
            f"{order}: {_counts_text(counts)}.")


def grid_figure(grid: pd.DataFrame, vote_keys: Sequence[str], *, sort_by: str = "name",
                focus: str | None = None) -> go.Figure:
    """Each signer's position on each House roll call, as a grid of symbols.

    Parameters
    ----------
    grid : pandas.DataFrame
        :func:`policykit.analysis.signer_grid` (rows in the order to draw, top first).
    vote_keys : sequence of str
        The roll-call columns, left to right.
    focus : str, optional
        A roll call whose column is shaded.

    Examples
    --------
    >>> from policykit.analysis import signer_grid
    >>> keys = ["h65-117.2022", "h145-117.2022"]
    >>> fig = grid_figure(signer_grid(keys), keys, focus="h65-117.2022")
    >>> len(fig.data), len(fig.layout.shapes)
    (4, 1)
    """
    labels = _signer_labels(grid)
    fig = go.Figure()
    for props in grid_trace_data(grid, vote_keys):
        style = POSITION_STYLE[props["name"]]
        fig.add_trace(go.Scatter(
            mode="markers", hoverinfo="text",
            marker={"color": style["color"], "symbol": style["symbol"], "size": 12,
                    "line": {"width": 1, "color": "#FFFFFF"}},
            **props))
    fig.update_layout(
        template="plotly_white", font=_FONT,
        height=max(320, 22 * len(grid) + 200),
        margin={"l": 150, "r": 20, "t": 110, "b": 30},
        title=_title("The letter's signers on the 2022 House votes",
                     "One row per signer, one column per roll call"),
        legend={"title": {"text": "Position"}, "orientation": "v", "x": 1.02, "y": 1.0,
                "yanchor": "top", "xanchor": "left"},
        **_grid_layout(grid, vote_keys, labels, focus),
        meta={"summary": grid_summary(grid, vote_keys, sort_by=sort_by)},
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
                 focus: str | None) -> dict[str, Any]:
    cols = [_short_roll(k) for k in vote_keys]
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


def breakdown_summary(table: pd.DataFrame, vote_key: str) -> str:
    """One line: each group's positions on one roll call.

    Examples
    --------
    >>> from policykit.analysis import party_breakdown
    >>> breakdown_summary(party_breakdown("h66-117.2022", split_signers=True),
    ...                   "h66-117.2022")  # doctest: +ELLIPSIS
    'House roll 66 — Signers (D): 29 Yea, 0 Nay, 1 Present, 0 Not Voting; Other Democrats: ...'
    """
    rc = _rc(vote_key)
    parts = [f"{g}: {_counts_text(table.loc[g])}" for g in table.index]
    return f"{rc['chamber']} roll {int(rc['roll'])} — " + "; ".join(parts) + "."


def breakdown_figure(table: pd.DataFrame, vote_key: str) -> go.Figure:
    """Stacked bars: how each group (signers, other Democrats, Republicans) voted.

    Bars carry a pattern per position as well as a colour.

    Examples
    --------
    >>> from policykit.analysis import party_breakdown
    >>> fig = breakdown_figure(party_breakdown("h145-117.2022", split_signers=True),
    ...                        "h145-117.2022")
    >>> [t.name for t in fig.data]
    ['Yea', 'Nay', 'Present', 'Not Voting']
    """
    fig = go.Figure()
    for props in breakdown_trace_data(table):
        style = POSITION_STYLE[props["name"]]
        fig.add_trace(go.Bar(
            orientation="h", textposition="inside", insidetextanchor="middle",
            insidetextfont={"color": text_colour(style["color"])},
            marker={"color": style["color"], "pattern": {"shape": style["pattern"],
                                                         "fgcolor": "#FFFFFF"}},
            hovertemplate="%{y}: %{x} " + props["name"] + "<extra></extra>", **props))
    fig.update_layout(
        template="plotly_white", font=_FONT, barmode="stack",
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 1.0,
                "xanchor": "right", "traceorder": "normal"},
        meta={"summary": breakdown_summary(table, vote_key)},
        **_breakdown_layout(table, vote_key),
    )
    return fig


def _breakdown_layout(table: pd.DataFrame, vote_key: str) -> dict[str, Any]:
    # The roll call's full title, wrapped (not shortened).
    title = _title("Signers, other Democrats and Republicans",
                   rollcall_label(vote_key, group=False, width=200))
    return {
        "title": title,
        "margin": {"l": 130, "r": 20, "t": _top_margin(title, 100), "b": 50},
        "height": 290 + _top_margin(title, 100) - 100,
        "yaxis": {"type": "category", "categoryorder": "array",
                  "categoryarray": list(table.index.astype(str))[::-1]},
        "xaxis": {"title": {"text": "Members"}},
    }


# --- Timeline ----------------------------------------------------------------------------------

#: Lane names that read differently from their key: plural, with proper nouns capitalised.
_ACTOR_LANES = {"caucus statement": "Caucus statements", "signatory": "signers",
                "democratic colleague": "Democratic colleagues",
                "republican": "Republicans", "other": "others",
                "administration": "administration"}


def _lane_label(key: str) -> str:
    """A lane's label: sentence case, proper nouns capitalised, actors in the plural.

    >>> _lane_label("actor:democratic_colleague"), _lane_label("category:war")
    ('Responses: Democratic colleagues', 'War')
    >>> _lane_label("actor:foreign_government"), _lane_label("actor:caucus statement")
    ('Responses: foreign governments', 'Caucus statements')
    """
    group, _, lane = key.partition(":") if ":" in key else ("category", "", key)
    words = lane.replace("_", " ")
    if group == "actor":
        if words == "caucus statement":
            return _ACTOR_LANES[words]
        plural = _ACTOR_LANES.get(words, words if words.endswith("s") else words + "s")
        return f"Responses: {plural}"
    return words[0].upper() + words[1:]


def _wrap(text: str, width: int = 70) -> str:
    return "<br>".join(textwrap.wrap(html.escape(text, quote=False), width)) or ""


def timeline_trace_data(frame: pd.DataFrame, lanes: Sequence[str]) -> list[dict[str, Any]]:
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
    out = []
    for kind, style in KIND_STYLE.items():
        rows = [i for i in keep if kinds[i] == kind]
        out.append({
            "name": style["name"],
            "x": date_values[rows] + np.array([hours[i] for i in rows], dtype="timedelta64[h]"),
            "y": np.array([row[keys[i]] + offset[i] for i in rows], dtype=float),
            "hovertext": [_timeline_hover(dates[i], *(c[i] for c in columns), keys[i])
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


@lru_cache(maxsize=4096)
def _timeline_hover_cached(date: Any, label: str, detail: Any, date_public: Any,
                           sources: str, key: str) -> str:
    urls = _source_url_map()
    lines = [f"<b>{format_date(date)}</b> · {_lane_label(key)}", _wrap(label)]
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
                    key: str) -> str:
    """One item's hover text: date, lane, label, detail, publication date, source URLs."""
    detail = detail if isinstance(detail, str) else None
    public = None if pd.isna(date_public) else date_public
    return _timeline_hover_cached(date, str(label), detail, public, str(sources), key)


def timeline_summary(frame: pd.DataFrame, *, total: int | None = None,
                     as_known_on: Any = None) -> str:
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
    plural = {"event": "events", "roll call": "roll calls", "statement": "caucus statements",
              "response": "responses"}
    singular = {"event": "event", "roll call": "roll call", "statement": "caucus statement",
                "response": "response"}
    kinds = ", ".join(f"{int(counts.get(k, 0))} "
                      f"{singular[k] if counts.get(k, 0) == 1 else plural[k]}"
                      for k in KIND_STYLE)
    head = f"Showing {len(frame)} of {total} items" if total else f"Showing {len(frame)} items"
    text = (f"{head} ({kinds}) dated {format_date(frame['date'].min())} to "
            f"{format_date(frame['date'].max())}")
    if as_known_on is not None:
        text += f", as publicly known on {format_date(as_known_on)}"
    return text + "."


def _timeline_layout(lanes: Sequence[str], as_known_on: Any,
                     xrange: tuple[Any, Any] | None) -> dict[str, Any]:
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
                  "ticktext": [_lane_label(lane) for lane in lanes],
                  "range": [-0.6, len(lanes) - 0.4], "zeroline": False},
        "shapes": shapes, "annotations": annotations,
    }


def timeline_figure(frame: pd.DataFrame, *, lanes: Sequence[str] | None = None,
                    as_known_on: Any = None, total: int | None = None,
                    xrange: tuple[Any, Any] | None = None) -> go.Figure:
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

    Examples
    --------
    >>> from policykit.analysis import timeline
    >>> fig = timeline_figure(timeline())
    >>> [t.name for t in fig.data]
    ['Event', 'Roll call', 'Caucus statement', 'Response']
    """
    if lanes is None:
        lanes = analysis.timeline_lanes()["key"].tolist()
    fig = go.Figure()
    for props in timeline_trace_data(frame, lanes):
        kind = next(k for k, s in KIND_STYLE.items() if s["name"] == props["name"])
        style = KIND_STYLE[kind]
        fig.add_trace(go.Scatter(
            mode="markers", hoverinfo="text",
            marker={"color": style["color"], "symbol": style["symbol"], "size": 11,
                    "line": {"width": 1, "color": "#FFFFFF"}},
            hoverlabel={"align": "left"}, **props))
    fig.update_layout(
        template="plotly_white", font=_FONT, height=max(380, 28 * len(lanes) + 200),
        margin={"l": 160, "r": 20, "t": 90, "b": 100},
        title=_title("Ukraine aid, the letter and the responses, 2022",
                     "One row per category of event or kind of actor"),
        legend={"orientation": "h", "y": -0.12, "yanchor": "top", "x": 0, "xanchor": "left"},
        hovermode="closest",
        meta={"summary": timeline_summary(frame, total=total, as_known_on=as_known_on)},
        **_timeline_layout(lanes, as_known_on, xrange),
    )
    return fig


# --- The letter and the caucus's statements: where a phrase occurs -----------------------------

_DOCS = {"letter": "Letter (verified passages only)",
         "clarification": "Clarification",
         "withdrawal": "Withdrawal"}


def _record_counts(record: pd.DataFrame) -> tuple[dict[str, int], dict[str, int]]:
    """Items and items containing the phrase, per document (plain counts: a few dozen rows)."""
    sizes = dict.fromkeys(_DOCS, 0)
    hits = dict.fromkeys(_DOCS, 0)
    for doc, match in zip(record["document"].astype(str).tolist(), record["match"].tolist(),
                          strict=True):
        sizes[doc] = sizes.get(doc, 0) + 1
        hits[doc] = hits.get(doc, 0) + int(bool(match))
    return sizes, hits


def _doc_labels(record: pd.DataFrame) -> dict[str, str]:
    first: dict[str, Any] = {}
    for doc, date in zip(record["document"].astype(str).tolist(), record["date"].tolist(),
                         strict=True):
        if pd.notna(date) and (doc not in first or date < first[doc]):
            first[doc] = date
    return {d: _DOCS[d] + (f", {format_date(first[d])}" if d in first else "") for d in _DOCS}


def record_trace_data(record: pd.DataFrame) -> list[dict[str, Any]]:
    """Bar properties: per document, the items that contain the phrase and those that do not.

    Examples
    --------
    >>> from policykit.analysis import find_in_record
    >>> data = record_trace_data(find_in_record("direct talks"))
    >>> data[0]["name"], [int(v) for v in data[0]["x"]]  # letter, clarification, withdrawal
    ('Contains the phrase', [1, 0, 0])
    """
    labels = _doc_labels(record)
    sizes, hits = _record_counts(record)
    ys = [labels[d] for d in _DOCS]
    found = [hits[d] for d in _DOCS]
    rest = [sizes[d] - hits[d] for d in _DOCS]
    return [
        {"name": "Contains the phrase", "y": ys, "x": np.array(found, dtype=int),
         "text": [str(v) if v else "" for v in found]},
        {"name": "Does not contain it", "y": ys, "x": np.array(rest, dtype=int),
         "text": [str(v) if v else "" for v in rest]},
    ]


def record_summary(record: pd.DataFrame, phrase: str | None = None) -> str:
    """One line: in how many passages and statement sentences a phrase occurs.

    Examples
    --------
    >>> from policykit.analysis import find_in_record
    >>> record_summary(find_in_record("direct talks"), "direct talks")  # doctest: +ELLIPSIS
    "'direct talks' occurs in 1 of 15 verified letter passages, 0 of 3 clarification ..."
    """
    sizes, hits = _record_counts(record)
    names = {"letter": "verified letter passages", "clarification": "clarification sentences",
             "withdrawal": "withdrawal sentences"}
    if not phrase or not phrase.strip():
        parts = [f"{int(sizes.get(d, 0))} {names[d]}" for d in _DOCS]
        return ("No search: " + ", ".join(parts)
                + ". The letter's full text is not available.")
    parts = [f"{int(hits.get(d, 0))} of {int(sizes.get(d, 0))} {names[d]}" for d in _DOCS]
    return f"{phrase.strip()!r} occurs in " + ", ".join(parts) + "."


def record_figure(record: pd.DataFrame, phrase: str | None = None) -> go.Figure:
    """Where a phrase occurs: the letter's verified passages and the two statements.

    Examples
    --------
    >>> from policykit.analysis import find_in_record
    >>> fig = record_figure(find_in_record("ceasefire"), "ceasefire")
    >>> [t.name for t in fig.data]
    ['Contains the phrase', 'Does not contain it']
    """
    fig = go.Figure()
    colours = [(OKABE_ITO["vermillion"], ""), ("#D9D9D9", "")]
    for props, (colour, pattern) in zip(record_trace_data(record), colours, strict=True):
        fig.add_trace(go.Bar(orientation="h", textposition="inside",
                             insidetextfont={"color": text_colour(colour)},
                             marker={"color": colour, "pattern": {"shape": pattern}},
                             hovertemplate="%{y}: %{x} " + props["name"].lower()
                             + "<extra></extra>", **props))
    fig.update_layout(
        template="plotly_white", font=_FONT, barmode="stack",
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 1.0,
                "xanchor": "right", "traceorder": "normal"},
        meta={"summary": record_summary(record, phrase)},
        **_record_layout(record, phrase),
    )
    return fig


def _record_layout(record: pd.DataFrame, phrase: str | None) -> dict[str, Any]:
    text = (f"Where {phrase.strip()!r} occurs" if phrase and phrase.strip()
            else "Verified passages and statement sentences")
    labels = _doc_labels(record)
    title = _title(text, "Counts of passages or sentences")
    return {"title": title,
            "margin": {"l": 230, "r": 20, "t": _top_margin(title, 100), "b": 50},
            "height": 260 + _top_margin(title, 100) - 100,
            "yaxis": {"type": "category", "categoryorder": "array",
                      "categoryarray": [labels[d] for d in _DOCS][::-1]},
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
