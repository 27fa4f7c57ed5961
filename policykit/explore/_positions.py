"""Positions explorer: every House member on the DW-NOMINATE scale, by position on a roll call."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go
import traitlets

from .. import analysis, figures
from ..analysis import POSITIONS
from ..datasets import load
from ..errors import InvalidArgumentError, invalid_choice
from ._base import Explorer, labelled, unknown_rollcall
from ._plotly_view import PlotlyView

__all__ = ["Positions", "PositionsModel", "positions"]

_PARTY_LABELS = {"D": "Democrats", "R": "Republicans", "I": "Independents"}
_SIGNER_LABELS = {"all": "Everyone", "signers": "Letter signers",
                  "non-signers": "Non-signers"}
_Y_LABELS = {"strip": "Strip by position", "dim2": "DW-NOMINATE dim. 2"}


class PositionsModel(traitlets.HasTraits):
    """The state of a positions explorer; the frames come from pure functions.

    Examples
    --------
    >>> m = PositionsModel(vote_key="h66-117.2022", signers="signers")
    >>> len(m.frame())  # the letter's 30 signers
    30
    """

    vote_key = traitlets.Unicode()
    party = traitlets.Unicode("all")
    state = traitlets.Unicode("all")
    signers = traitlets.Unicode("all")
    y_axis = traitlets.Unicode("strip")

    def __init__(self, **kwargs: Any) -> None:
        self._members: dict[str, pd.DataFrame] = {}
        super().__init__(**kwargs)

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
    return ("<table class='policykit-tally' style='border-collapse:collapse;"
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
        frame = model.frame()
        self.view = PlotlyView(figures.positions_figure(
            frame, vote_key=model.vote_key, y=model.y_axis,  # type: ignore[arg-type]
            total=len(model.members()), filters=model.filter_description()))
        self.view.update_layout(width=660)
        self.tally = widgets.HTML(layout=widgets.Layout(margin="90px 0 0 8px",
                                                        min_width="17em"))
        c = self.controls
        super().__init__(children=[
            c["rollcall"], widgets.HBox([c["party"], c["state"]]), c["signers"], c["y_axis"],
            self.message, widgets.HBox([self.view, self.tally]), self.summary,
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
    options = figures.rollcall_options("House")
    keys = [k for _, k in options]
    if vote_key is None:
        vote_key = keys[0]
    if vote_key not in keys:
        all_keys = analysis.vote_keys()
        if vote_key in all_keys:
            msg = (f"positions() shows House members; {vote_key!r} is a Senate roll call. "
                   f"Allowed: House keys such as {keys[0]!r}. Pick one from "
                   "policykit.analysis.vote_keys('House').")
        else:
            msg = unknown_rollcall(vote_key, keys)
        raise InvalidArgumentError(msg)
    house = load("house_votes")
    parties = ["all"] + [p for p in ("D", "R", "I") if (house["party"].astype(str) == p).any()]
    _check(party, parties, "party", "Use 'D' or 'R', or 'all'.")
    _check(state, ["all", *sorted(house["state"].astype(str).unique())], "state",
           "Use a two-letter abbreviation such as 'WA', or 'all'.")
    _check(signers, list(analysis.SIGNER_FILTERS), "signers filter",
           "Use 'signers' for the letter's signers only.")
    _check(y_axis, list(_Y_LABELS), "y_axis", "Use 'strip' or 'dim2'.")
    model = PositionsModel(vote_key=vote_key, party=party, state=state, signers=signers,
                           y_axis=y_axis)
    return Positions(model)


def _check(value: object, allowed: list[str], what: str, next_step: str) -> None:
    if value not in allowed:
        raise InvalidArgumentError(invalid_choice(what, value, allowed, next_step))
