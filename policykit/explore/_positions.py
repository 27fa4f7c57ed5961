"""Positions explorer: every member on the case's ideology scale (or by party, then state,
for a case without scores), by position on a roll call of a chamber its members table covers."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go
import traitlets

from .. import _case, analysis, figures
from ..analysis import POSITIONS
from ..errors import invalid_choice
from ._base import Explorer, labelled, unknown_rollcall
from ._layout import css as _css
from ._layout import inline as _inline
from ._plotly_view import PlotlyView
from ._traits import Choice

__all__ = ["Positions", "PositionsModel", "positions"]

_PARTY_LABELS = {"D": "Democrats", "R": "Republicans", "I": "Independents"}
_PARTY_ORDER = ("D", "R", "I")


def _signer_labels(case: _case.Case) -> dict[str, str]:
    return {"all": "Everyone", "signers": case.label("signers_filter", "Signers"),
            "non-signers": "Non-signers"}


def _y_labels(case: _case.Case) -> dict[str, str]:
    """The vertical axes this case offers (no score axis for a case without scores)."""
    names = {"strip": "Strip by position",
             "dim2": case.label("score_option", "Second score")}
    return {k: names[k] for k in figures.y_axis_options(case)}


def _options(case: _case.Case) -> list[tuple[str, str]]:
    """The roll-call menu: each chamber the members table covers (House first)."""
    return [o for ch in figures.positions_chambers(case)
            for o in figures.rollcall_options(ch, case=case)]  # type: ignore[arg-type]


def _keys(case: _case.Case) -> tuple[str, ...]:
    return tuple(k for _, k in _options(case))


def _members_menu(case: _case.Case) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(parties, states) among the vote records of the chambers offered, in menu order."""
    return figures._cached("position-members", case, _members_menu_of)


def _members_menu_of(case: _case.Case) -> tuple[tuple[str, ...], tuple[str, ...]]:
    tables = [case.table("votes", ch) for ch in figures.positions_chambers(case)]
    votes = pd.concat([t[["party", "state"]].astype(str) for t in tables])
    present = set(votes["party"])
    parties = tuple(p for p in _PARTY_ORDER if p in present)
    return parties, tuple(sorted(votes["state"].unique()))


def _rollcall_message(value: object, keys: list[str], model: Any = None) -> str:
    case = getattr(model, "case", None)
    rows = figures._rollcall_rows(case)
    if isinstance(value, str) and value in rows:
        shown = " or ".join(figures.positions_chambers(case))
        chamber = str(rows[value]["chamber"])
        return (f"positions() shows {shown} members; {value!r} is a {chamber} roll call. "
                f"Allowed: {shown} keys such as {keys[0]!r}. Pick one from "
                f"policykit.analysis.vote_keys({figures.positions_chambers(case)[0]!r}).")
    return unknown_rollcall(value, keys, figures.positions_chambers(case))


def _y_axis_message(value: object, allowed: list[str], model: Any = None) -> str:
    why = "" if "dim2" in allowed else " (this case has no second ideology score)"
    return invalid_choice("y_axis", value, allowed,
                          f"Use {' or '.join(repr(a) for a in allowed)}{why}.")


class PositionsModel(traitlets.HasTraits):
    """The state of a positions explorer; the frames come from pure functions.

    Examples
    --------
    >>> m = PositionsModel(vote_key="h66-117.2022", signers="signers")
    >>> len(m.frame())  # the letter's 30 signers
    30
    """

    vote_key = Choice(lambda m: _keys(m.case), what="roll call", next_step="",
                      message=_rollcall_message)
    party = Choice(lambda m: ("all", *_members_menu(m.case)[0]), "all", what="party",
                   next_step="Use 'D' or 'R', or 'all'.")
    state = Choice(lambda m: ("all", *_members_menu(m.case)[1]), "all", what="state",
                   next_step="Use a two-letter abbreviation such as 'WA', or 'all'.")
    signers = Choice(analysis.SIGNER_FILTERS, "all", what="signers filter",
                     next_step="Use 'signers' for the signers only.")
    y_axis = Choice(lambda m: figures.y_axis_options(m.case), "strip", what="y_axis",
                    next_step="", message=_y_axis_message)

    def __init__(self, *, case: str | _case.Case | None = None, **kwargs: Any) -> None:
        #: The case whose roll calls and members this model reads.
        self.case = _case.resolve(case)
        self._members: dict[str, pd.DataFrame] = {}
        super().__init__(**kwargs)

    @traitlets.default("vote_key")
    def _first_rollcall(self) -> str:
        return _keys(self.case)[0]

    def chamber(self) -> str:
        """The chamber of the current roll call."""
        return str(figures._rc(self.vote_key, self.case)["chamber"])

    def members(self) -> pd.DataFrame:
        """Every member's position on the current roll call (cached per roll call)."""
        if self.vote_key not in self._members:
            self._members[self.vote_key] = analysis.member_positions(self.vote_key,
                                                                     case=self.case)
        return self._members[self.vote_key]

    def frame(self) -> pd.DataFrame:
        """The members that pass the filters."""
        return analysis.filter_members(self.members(), party=self.party, state=self.state,
                                       signers=self.signers,  # type: ignore[arg-type]
                                       case=self.case)

    def filter_description(self) -> str:
        """The active filters in words, e.g. ``'Democrats, WA, letter signers'``."""
        parts = []
        if self.party != "all":
            parts.append(_PARTY_LABELS.get(self.party, self.party))
        if self.state != "all":
            parts.append(self.state)
        if self.signers != "all":
            parts.append(_signer_labels(self.case)[self.signers].lower())
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
    """Members on the case's ideology scale (by party, then state, without one), coloured and
    shaped by position, with a live tally.

    Controls: ``rollcall``, ``party``, ``state``, ``signers``, ``y_axis``. Build one with
    :func:`positions`.
    """

    def __init__(self, model: PositionsModel) -> None:
        self.model = model
        self._init_common()
        case = model.case
        parties, states = _members_menu(case)
        y_labels = _y_labels(case)
        self.controls = {
            "rollcall": labelled(widgets.Dropdown(
                options=_options(case), description="Roll call",
                layout=widgets.Layout(width="54em", max_width="100%"))),
            "party": labelled(widgets.ToggleButtons(
                options=[("All parties", "all")] + [(_PARTY_LABELS[p], p) for p in parties],
                description="Party")),
            "state": labelled(widgets.Dropdown(
                options=[("All states", "all")] + [(s, s) for s in states],
                description="State", layout=widgets.Layout(width="12em"))),
            "signers": labelled(widgets.ToggleButtons(
                options=[(v, k) for k, v in _signer_labels(case).items()],
                description="Signers")),
            "y_axis": labelled(widgets.ToggleButtons(
                options=[(v, k) for k, v in y_labels.items()], description="Vertical axis")),
        }
        names = {"rollcall": "vote_key", "party": "party", "state": "state",
                 "signers": "signers", "y_axis": "y_axis"}
        self._link_controls(names)
        for name in ("party", "signers", "y_axis"):
            _inline(self.controls[name])
        _css(self.controls["party"], margin="2px 1.5em 2px 0")
        if len(y_labels) < 2:  # no second score: nothing to choose (the summary says why)
            self.controls["y_axis"].layout.display = "none"
        #: Why the menu leaves out a chamber's roll calls (empty when it offers them all).
        self.chamber_note = figures.positions_chamber_note(case)
        self.note = widgets.HTML(
            f"<p class='policykit-note' style='margin:0 0 4px 4px;font-size:0.9em'>"
            f"{html.escape(self.chamber_note, quote=False)}</p>" if self.chamber_note else "",
            layout=widgets.Layout(display=None if self.chamber_note else "none"))
        if self.chamber_note:  # also the menu's tooltip (its title: an accessible description)
            self.controls["rollcall"].tooltip = self.chamber_note
        frame = model.frame()
        self.view = PlotlyView(self._figure(frame))
        # The plot takes the width it is given (at least 600 px, at most 900 px); where the
        # tally does not fit beside it (an output area under ~880 px) it wraps below.
        _css(self.view, flex="1 1 600px", min_width="0", max_width="900px")
        self.tally = widgets.HTML(layout=widgets.Layout(margin="60px 0 0 8px",
                                                        flex="0 0 auto"))
        c = self.controls
        super().__init__(children=[
            c["rollcall"], self.note,
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
            frame, m.vote_key, total=len(m.members()), filters=m.filter_description(),
            case=m.case))
        self.tally.value = _tally_html(analysis.position_counts(frame),
                                       figures._tally_check(m.vote_key, m.case))
        if len(frame) == 0:
            self._set_message(f"No member matches these filters ({m.filter_description()}). "
                              "Widen a filter, for example set Signers to Everyone or State "
                              "to All states.")
        else:
            self._set_message("")

    def _redraw(self) -> None:
        m = self.model
        frame = m.frame()
        self._apply(self.view,
                    figures.positions_trace_data(frame, y=m.y_axis,  # type: ignore[arg-type]
                                                 case=m.case, chamber=m.chamber()),
                    figures._positions_layout(m.vote_key, m.y_axis,  # type: ignore[arg-type]
                                              m.case))
        self._update_text(frame)

    def _data_table(self) -> tuple[pd.DataFrame, str]:
        m = self.model
        f = m.frame()
        signer = m.case.label("signers_filter", "Signers")
        table = pd.DataFrame({
            "Member": f["name"].astype(str).to_numpy(),
            "Party": f["party"].astype(str).to_numpy(),
            "Seat": f["seat"].astype(str).to_numpy(),
            "Position": f["position"].astype(str).to_numpy(),
            signer[:-1] if signer.endswith("s") else signer:
                ["yes" if s else "" for s in f["signer"]],
        })
        scores = figures._score_columns(m.case)
        if scores is not None:
            short = m.case.label("score_short", "Score")
            table[f"{short} dim. 1"] = f[scores[0]].to_numpy()
            if scores[2]:
                table[f"{short} dim. 2"] = f[scores[2]].to_numpy()
        label = figures.rollcall_label(m.vote_key, group=False, width=200, case=m.case)
        return table, f"{len(f)} members shown, {label}"

    def _figure(self, frame: pd.DataFrame | None = None) -> go.Figure:
        """The positions figure for the model's state (built once per state; ``frame`` is
        ``model.frame()`` when the caller has it)."""
        m = self.model
        return self._figure_for_state("positions", lambda: figures.positions_figure(
            m.frame() if frame is None else frame, vote_key=m.vote_key, y=m.y_axis,  # type: ignore[arg-type]
            total=len(m.members()), filters=m.filter_description(), case=m.case))

    def _static_parts(self) -> tuple[go.Figure, pd.DataFrame, str, list[str]]:
        m = self.model
        frame = m.frame()
        fig = self._figure(frame)
        check = figures._tally_check(m.vote_key, m.case)
        table = pd.DataFrame({"Position": list(POSITIONS),
                              "Shown": analysis.position_counts(frame).to_numpy(),
                              "All members": check["recomputed"].to_numpy(),
                              "Recorded": check["recorded"].to_numpy()})
        return fig, table, "Live tally (static copy)", []


def positions(vote_key: str | None = None, *, party: str = "all", state: str = "all",
              signers: str = "all", y_axis: str = "strip",
              case: str | _case.Case | None = None) -> Positions:
    """Explore how every member voted on one roll call, on the case's ideology scale.

    The menu offers the roll calls of each chamber whose vote records join the case's
    ``members`` table (see :func:`policykit.figures.positions_chambers`): the House in the
    default case, whose members table lists representatives only (a note under the menu says
    why); the House and the Senate in a case whose members table lists both. A case without
    ideology scores (no ``score`` in its ``members`` role) places members by party, then
    state, and its summary line says why there are no scores.

    Parameters
    ----------
    vote_key : str, optional
        A roll call of the case in the menu, such as ``'h145-117.2022'``; default: the first
        in the menu (the case's first tier).
    party : {'all', 'D', 'R'}
    state : str
        ``'all'`` or a two-letter state abbreviation.
    signers : {'all', 'signers', 'non-signers'}
    y_axis : {'strip', 'dim2'}
        Spread members by position (``'strip'``) or by the second score (``'dim2'``, only in
        a case that has one: DW-NOMINATE's second dimension in the default case).
    case : str or Case, optional
        The case to explore (default: the default case).

    Returns
    -------
    Positions
        The explorer (a widget). Make it the last value of a cell to show it.

    Raises
    ------
    policykit.errors.InvalidArgumentError
        For an unknown roll call or one of a chamber the members table does not cover, or
        a filter value that does not exist.

    Examples
    --------
    >>> from policykit import explore
    >>> ex = explore.positions("h145-117.2022")
    >>> ex.controls["signers"].value = "signers"
    >>> ex.summary_text  # doctest: +ELLIPSIS
    'Showing 30 of 430 members (letter signers) on House roll 145: 30 Yea, 0 Nay, ...'
    """
    # The model checks every value (a rejected one raises InvalidArgumentError).
    c = _case.resolve(case)
    model = PositionsModel(vote_key=_keys(c)[0] if vote_key is None else vote_key,
                           party=party, state=state, signers=signers, y_axis=y_axis, case=c)
    return Positions(model)
