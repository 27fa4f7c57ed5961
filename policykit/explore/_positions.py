"""Positions explorer: every House member on the DW-NOMINATE scale, by position on a roll call."""

from __future__ import annotations

import html
from functools import cache
from typing import Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go
import traitlets

from .. import analysis, figures
from ..analysis import POSITIONS
from ..datasets import load
from ._base import Explorer, labelled, unknown_rollcall
from ._layout import css as _css
from ._layout import inline as _inline
from ._plotly_view import PlotlyView
from ._traits import Choice

__all__ = ["Positions", "PositionsModel", "positions"]

_PARTY_LABELS = {"D": "Democrats", "R": "Republicans", "I": "Independents"}
_SIGNER_LABELS = {"all": "Everyone", "signers": "Letter signers",
                  "non-signers": "Non-signers"}
_Y_LABELS = {"strip": "Strip by position", "dim2": "DW-NOMINATE dim. 2"}


@cache
def _house_keys() -> tuple[str, ...]:
    return tuple(k for _, k in figures.rollcall_options("House"))


@cache
def _parties() -> tuple[str, ...]:
    house = load("house_votes")
    return ("all", *[p for p in ("D", "R", "I") if (house["party"].astype(str) == p).any()])


@cache
def _states() -> tuple[str, ...]:
    return ("all", *sorted(load("house_votes")["state"].astype(str).unique()))


def _rollcall_message(value: object, keys: list[str]) -> str:
    if isinstance(value, str) and value in analysis.vote_keys():
        return (f"positions() shows House members; {value!r} is a Senate roll call. "
                f"Allowed: House keys such as {keys[0]!r}. Pick one from "
                "policykit.analysis.vote_keys('House').")
    return unknown_rollcall(value, keys)


class PositionsModel(traitlets.HasTraits):
    """The state of a positions explorer; the frames come from pure functions.

    Examples
    --------
    >>> m = PositionsModel(vote_key="h66-117.2022", signers="signers")
    >>> len(m.frame())  # the letter's 30 signers
    30
    """

    vote_key = Choice(_house_keys, what="House roll call", next_step="",
                      message=_rollcall_message)
    party = Choice(_parties, "all", what="party", next_step="Use 'D' or 'R', or 'all'.")
    state = Choice(_states, "all", what="state",
                   next_step="Use a two-letter abbreviation such as 'WA', or 'all'.")
    signers = Choice(analysis.SIGNER_FILTERS, "all", what="signers filter",
                     next_step="Use 'signers' for the letter's signers only.")
    y_axis = Choice(list(_Y_LABELS), "strip", what="y_axis", next_step="Use 'strip' or 'dim2'.")

    def __init__(self, **kwargs: Any) -> None:
        self._members: dict[str, pd.DataFrame] = {}
        super().__init__(**kwargs)

    @traitlets.default("vote_key")
    def _first_rollcall(self) -> str:
        return _house_keys()[0]

    def members(self) -> pd.DataFrame:
        """Every member's position on the current roll call (cached per roll call)."""
        if self.vote_key not in self._members:
            self._members[self.vote_key] = analysis.member_positions(self.vote_key)
        return self._members[self.vote_key]

    def frame(self) -> pd.DataFrame:
        """The members that pass the filters."""
        return analysis.filter_members(self.members(), party=self.party, state=self.state,
                                       signers=self.signers)  # type: ignore[arg-type]

    def filter_description(self) -> str:
        """The active filters in words, e.g. ``'Democrats, WA, letter signers'``."""
        parts = []
        if self.party != "all":
            parts.append(_PARTY_LABELS[self.party])
        if self.state != "all":
            parts.append(self.state)
        if self.signers != "all":
            parts.append(_SIGNER_LABELS[self.signers].lower())
        return ", ".join(parts)


def _tally_html(shown: pd.Series, check: pd.DataFrame) -> str:
    rows = []
    marks = {"circle": "●", "x": "✕", "diamond": "◆", "triangle-up": "▲"}
    for pos in POSITIONS:
        style = figures.POSITION_STYLE[pos]
        mark = (f"<span aria-hidden='true' style='color:{style['color']}'>"
                f"{marks[style['symbol']]}</span>")
        rows.append(f"<tr><th scope='row' style='text-align:left'>{mark} {pos}</th>"
                    f"<td>{int(shown[pos])}</td><td>{int(check.loc[pos, 'recomputed'])}</td>"
                    f"<td>{int(check.loc[pos, 'recorded'])}</td></tr>")
    ok = bool(check["match"].all())
    verdict = ("Recomputed totals match the recorded totals." if ok
               else "Recomputed totals differ from the recorded totals.")
    # Cell padding (and numbers aligned right) so columns never run together ("361361").
    return ("<style>.policykit-tally th, .policykit-tally td {padding:0.15em 0.6em}"
            ".policykit-tally td {text-align:right}</style>"
            "<table class='policykit-tally' style='border-collapse:collapse;"
            "font-size:0.9em;white-space:nowrap'>"
            "<caption style='text-align:left;font-weight:600'>Live tally</caption>"
            "<thead><tr><th></th><th scope='col'>Shown</th>"
            "<th scope='col'>All members</th><th scope='col'>Recorded</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table><p style='font-size:0.9em;max-width:16em'>"
            f"{html.escape(verdict)}</p>")


class Positions(Explorer):
    """Members on DW-NOMINATE, coloured and shaped by position, with a live tally.

    Controls: ``rollcall``, ``party``, ``state``, ``signers``, ``y_axis``. Build one with
    :func:`positions`.
    """

    def __init__(self, model: PositionsModel) -> None:
        self.model = model
        self._init_common()
        house = load("house_votes")
        parties = [p for p in ("D", "R", "I") if (house["party"].astype(str) == p).any()]
        states = sorted(house["state"].astype(str).unique())
        self.controls = {
            "rollcall": labelled(widgets.Dropdown(
                options=figures.rollcall_options("House"), description="Roll call",
                layout=widgets.Layout(width="54em", max_width="100%"))),
            "party": labelled(widgets.ToggleButtons(
                options=[("All parties", "all")] + [(_PARTY_LABELS[p], p) for p in parties],
                description="Party")),
            "state": labelled(widgets.Dropdown(
                options=[("All states", "all")] + [(s, s) for s in states],
                description="State", layout=widgets.Layout(width="12em"))),
            "signers": labelled(widgets.ToggleButtons(
                options=[(v, k) for k, v in _SIGNER_LABELS.items()], description="Signers")),
            "y_axis": labelled(widgets.ToggleButtons(
                options=[(v, k) for k, v in _Y_LABELS.items()], description="Vertical axis")),
        }
        names = {"rollcall": "vote_key", "party": "party", "state": "state",
                 "signers": "signers", "y_axis": "y_axis"}
        self._link_controls(names)
        for name in ("party", "signers", "y_axis"):
            _inline(self.controls[name])
        _css(self.controls["party"], margin="2px 1.5em 2px 0")
        frame = model.frame()
        self.view = PlotlyView(figures.positions_figure(
            frame, vote_key=model.vote_key, y=model.y_axis,  # type: ignore[arg-type]
            total=len(model.members()), filters=model.filter_description()))
        # The plot takes the width it is given (at least 600 px, at most 900 px); where the
        # tally does not fit beside it (an output area under ~880 px) it wraps below.
        _css(self.view, flex="1 1 600px", min_width="0", max_width="900px")
        self.tally = widgets.HTML(layout=widgets.Layout(margin="60px 0 0 8px",
                                                        flex="0 0 auto"))
        c = self.controls
        super().__init__(children=[
            c["rollcall"],
            widgets.HBox([c["party"], c["state"]],
                         layout=widgets.Layout(flex_flow="row wrap", align_items="center")),
            c["signers"], c["y_axis"],
            self.message,
            widgets.HBox([self.view, self.tally],
                         layout=widgets.Layout(flex_flow="row wrap", width="100%")),
            self.summary,
        ])
        self.add_class("policykit-explorer")
        self.add_class("policykit-positions")
        self._update_text(frame)
        self._observe_model(self._safe_redraw, list(names.values()))

    def _update_text(self, frame: pd.DataFrame) -> None:
        m = self.model
        self._set_summary(figures.positions_summary(
            frame, m.vote_key, total=len(m.members()), filters=m.filter_description()))
        self.tally.value = _tally_html(analysis.position_counts(frame),
                                       figures._tally_check(m.vote_key))
        if len(frame) == 0:
            self._set_message(f"No member matches these filters ({m.filter_description()}). "
                              "Widen a filter, for example set Signers to Everyone or State "
                              "to All states.")
        else:
            self._set_message("")

    def _redraw(self) -> None:
        m = self.model
        frame = m.frame()
        self._apply(self.view, figures.positions_trace_data(frame, y=m.y_axis),  # type: ignore[arg-type]
                    figures._positions_layout(m.vote_key, m.y_axis))  # type: ignore[arg-type]
        self._update_text(frame)

    def _data_table(self) -> tuple[pd.DataFrame, str]:
        m = self.model
        f = m.frame()
        table = pd.DataFrame({
            "Member": f["name"].astype(str).to_numpy(),
            "Party": f["party"].astype(str).to_numpy(),
            "Seat": f["seat"].astype(str).to_numpy(),
            "Position": f["position"].astype(str).to_numpy(),
            "Letter signer": ["yes" if s else "" for s in f["signer"]],
            "DW-NOMINATE dim. 1": f["nominate_dim1"].to_numpy(),
            "DW-NOMINATE dim. 2": f["nominate_dim2"].to_numpy(),
        })
        label = figures.rollcall_label(m.vote_key, group=False, width=200)
        return table, f"{len(f)} members shown, {label}"

    def _static_parts(self) -> tuple[go.Figure, pd.DataFrame, str, list[str]]:
        m = self.model
        frame = m.frame()
        fig = figures.positions_figure(frame, vote_key=m.vote_key, y=m.y_axis,  # type: ignore[arg-type]
                                       total=len(m.members()),
                                       filters=m.filter_description())
        check = analysis.tally_check(m.vote_key)
        table = pd.DataFrame({"Position": list(POSITIONS),
                              "Shown": analysis.position_counts(frame).to_numpy(),
                              "All members": check["recomputed"].to_numpy(),
                              "Recorded": check["recorded"].to_numpy()})
        return fig, table, "Live tally (static copy)", []


def positions(vote_key: str | None = None, *, party: str = "all", state: str = "all",
              signers: str = "all", y_axis: str = "strip") -> Positions:
    """Explore how every House member voted on one roll call, on the DW-NOMINATE scale.

    Parameters
    ----------
    vote_key : str, optional
        A House roll call such as ``'h145-117.2022'``; default: the first core aid vote.
    party : {'all', 'D', 'R'}
    state : str
        ``'all'`` or a two-letter state abbreviation.
    signers : {'all', 'signers', 'non-signers'}
    y_axis : {'strip', 'dim2'}
        Spread members by position (``'strip'``) or by DW-NOMINATE's second dimension.

    Returns
    -------
    Positions
        The explorer (a widget). Make it the last value of a cell to show it.

    Raises
    ------
    policykit.errors.InvalidArgumentError
        For an unknown or Senate roll call, or a filter value that does not exist.

    Examples
    --------
    >>> from policykit import explore
    >>> ex = explore.positions("h145-117.2022")
    >>> ex.controls["signers"].value = "signers"
    >>> ex.summary_text  # doctest: +ELLIPSIS
    'Showing 30 of 430 members (letter signers) on House roll 145: 30 Yea, 0 Nay, ...'
    """
    # The model checks every value (a rejected one raises InvalidArgumentError).
    model = PositionsModel(vote_key=_house_keys()[0] if vote_key is None else vote_key,
                           party=party, state=state, signers=signers, y_axis=y_axis)
    return Positions(model)
