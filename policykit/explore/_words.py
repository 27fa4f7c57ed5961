"""Words-vs-votes explorer: the letter's signers against the 2022 House roll calls."""

from __future__ import annotations

from functools import cache
from typing import Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go
import traitlets

from .. import analysis, figures
from ..errors import InvalidArgumentError, PolicykitError, closest, invalid_choice
from ._a11y import KEYS, table_html
from ._base import Explorer, labelled, unknown_rollcall
from ._layout import css as _css
from ._layout import hint as _hint
from ._plotly_view import PlotlyView
from ._traits import Choice, Choices

__all__ = ["WordsModel", "WordsVsVotes", "words_vs_votes"]

_SORT_LABELS = {"name": "Name", "state": "State and district",
                "ideology": "Ideology (DW-NOMINATE dim. 1)", "nays": "Number of Nay votes"}


@cache
def _house_keys() -> tuple[str, ...]:
    return tuple(k for _, k in figures.rollcall_options("House"))


class WordsModel(traitlets.HasTraits):
    """State: which roll calls are columns, the sort order, and the roll call compared.

    Examples
    --------
    >>> m = WordsModel(vote_keys=("h65-117.2022",), sort_by="nays", focus="h65-117.2022")
    >>> int(m.grid()["nays"].sum())  # 13 signers voted Nay on roll 65
    13
    """

    vote_keys = Choices(_house_keys, what="vote_keys", next_step="",
                        message=unknown_rollcall)
    sort_by = Choice(list(_SORT_LABELS), "name", what="sort order",
                     next_step="Use e.g. sort_by='nays'.")
    focus = Choice(_house_keys, what="House roll call", next_step="", message=unknown_rollcall)

    def __init__(self, **kwargs: Any) -> None:
        self._breakdowns: dict[str, pd.DataFrame] = {}
        self._full: pd.DataFrame | None = None
        super().__init__(**kwargs)

    @traitlets.default("focus")
    def _first_rollcall(self) -> str:
        return self.vote_keys[0] if self.vote_keys else _house_keys()[0]

    @traitlets.validate("focus")
    def _focus_in_grid(self, proposal: Any) -> str:
        """Compare on lists the grid's roll calls only: a focus outside them is rejected."""
        value, keys = proposal["value"], list(self.vote_keys)
        if keys and value not in keys:
            msg = (f"focus {value!r} is not one of the grid's roll calls (vote_keys); Compare "
                   f"on lists only those. Allowed: {', '.join(repr(k) for k in keys)}."
                   f"{closest(value, keys)} Add it to vote_keys first, or pick one of them.")
            raise InvalidArgumentError(msg)
        return str(value)

    def grid(self) -> pd.DataFrame:
        """Signers x the chosen roll calls, sorted (an empty selection raises)."""
        if not self.vote_keys:
            analysis.contrast([])  # raises the "needs at least one roll call" error
        if self._full is None:
            self._full = analysis.signer_grid()
        return analysis.sort_signer_grid(self._full, self.sort_by,  # type: ignore[arg-type]
                                         vote_keys=list(self.vote_keys))

    def breakdown(self) -> pd.DataFrame:
        """Signers, other Democrats and Republicans on the focus roll call."""
        if self.focus not in self._breakdowns:
            self._breakdowns[self.focus] = analysis.party_breakdown(self.focus,
                                                                    split_signers=True)
        return self._breakdowns[self.focus]


class WordsVsVotes(Explorer):
    """Signers x roll calls grid of positions, sortable, with a party comparison.

    Controls: ``rollcalls`` (the grid's columns), ``sort``, ``focus`` (the roll call whose
    signers are compared with other Democrats and Republicans). ``.figure`` is the grid;
    ``.breakdown`` the comparison, with its own summary line ``.breakdown_summary``.
    """

    def __init__(self, model: WordsModel) -> None:
        self.model = model
        self._init_common()
        options = figures.rollcall_options("House")
        self._options = options
        if model.vote_keys and model.focus not in model.vote_keys:
            model.focus = model.vote_keys[0]  # Compare on lists the grid's roll calls only
        self.controls = {
            # Every roll call in view (no hidden, selected rows); as wide as its labels.
            "rollcalls": labelled(widgets.SelectMultiple(
                options=options, description="Roll calls", rows=len(options),
                layout=widgets.Layout(width="100%", max_width="60em"))),
            "sort": labelled(widgets.Dropdown(
                options=[(v, k) for k, v in _SORT_LABELS.items()], description="Sort by",
                layout=widgets.Layout(width="24em"))),
            "focus": labelled(widgets.Dropdown(
                options=self._focus_options(), description="Compare on",
                layout=widgets.Layout(width="100%", max_width="60em"))),
        }
        names = {"rollcalls": "vote_keys", "sort": "sort_by", "focus": "focus"}
        self._link_controls(names)
        grid = model.grid()
        keys = list(model.vote_keys)
        self.view = PlotlyView(figures.grid_figure(grid, keys, sort_by=model.sort_by,
                                                   focus=model.focus))
        _css(self.view, width="100%", max_width="1100px")
        table = model.breakdown()
        #: The party comparison's figure widget (``.breakdown`` reads what it draws).
        self.breakdown_view = PlotlyView(figures.breakdown_figure(table, model.focus))
        _css(self.breakdown_view, width="100%", max_width="1100px")
        self.breakdown_summary = widgets.HTML()
        c = self.controls
        #: How to pick several roll calls in the list (a plain click selects only one).
        self.rollcalls_hint = _hint(
            f"All {len(options)} roll calls start selected. A click selects one; Ctrl-click "
            f"(Cmd-click on a Mac) adds or removes one; Shift-click selects a range. {KEYS}")
        _css(self.rollcalls_hint, margin="0 0 0 5.5em")
        super().__init__(children=[
            c["rollcalls"], self.rollcalls_hint, c["sort"], c["focus"], self.message,
            self.breakdown_view, self.breakdown_summary, self.view, self.summary,
        ])
        self.add_class("policykit-explorer")
        self.add_class("policykit-words")
        self._set_breakdown_summary(figures.breakdown_summary(table, model.focus))
        self._set_summary(figures.grid_summary(grid, keys, sort_by=model.sort_by))
        self._observe_model(self._safe_redraw, ["vote_keys", "sort_by"])
        self._observe_model(self._sync_focus, ["vote_keys"])
        self._observe_model(self._on_focus, ["focus"])

    @property
    def breakdown_summary_text(self) -> str:
        """The comparison's one-line summary, as plain text."""
        return self._breakdown_text

    @property
    def breakdown(self) -> go.Figure:
        """The party comparison as drawn, as a ``go.Figure`` (a copy, for reading)."""
        return self.breakdown_view.to_figure()

    def _set_breakdown_summary(self, text: str) -> None:
        self._breakdown_text = text
        self.breakdown_summary.value = (
            "<p class='policykit-summary' role='status' style='margin:0.3em 0'>"
            + text.replace("&", "&amp;").replace("<", "&lt;") + "</p>")
        view = self.breakdown_view  # described by its summary line; its counts as a table
        if view.table_source is None:
            view.table_source = lambda: table_html(*self._breakdown_table())
        view.description = text
        view.refresh_table()

    def _breakdown_table(self) -> tuple[pd.DataFrame, str]:
        counts = self.model.breakdown().reset_index()
        counts.columns = [str(c)[:1].upper() + str(c)[1:] for c in counts.columns]
        return counts, figures.rollcall_label(self.model.focus, group=False, width=200)

    def _data_table(self) -> tuple[pd.DataFrame, str]:
        keys = list(self.model.vote_keys)
        if not keys:
            return pd.DataFrame({"Signer": []}), "No roll call selected"
        grid = self.model.grid()
        table = pd.DataFrame({"Signer": grid["name"].astype(str).to_numpy(),
                              "State": grid["state"].astype(str).to_numpy(),
                              "District": grid["district"].to_numpy()})
        for key in keys:
            table[f"Roll {key.split('-')[0][1:]}"] = grid[key].astype(str).to_numpy()
        table["Nay votes"] = grid["nays"].to_numpy()
        return table, (f"The letter's {len(grid)} signers on {len(keys)} House roll calls "
                       "of 2022 (roll numbers as in the figure)")

    def _redraw(self) -> None:
        m = self.model
        keys = list(m.vote_keys)
        if not keys:
            self._apply(self.view, [{"x": [], "y": [], "hovertext": []}] * 4,
                        {"shapes": [], "xaxis": {"categoryarray": []}})
            self._set_summary("No roll call selected: the grid is empty.")
            self._set_message("No roll call is selected. Pick at least one under Roll calls "
                              "(Ctrl-click, or Cmd-click on a Mac, adds one; Shift-click "
                              "selects a range; from the keyboard, Ctrl+A in the list selects "
                              "all of them again).")
            return
        grid = m.grid()
        labels = figures._signer_labels(grid)
        layout = figures._grid_layout(grid, keys, labels, m.focus)
        self._apply(self.view, figures.grid_trace_data(grid, keys), layout)
        self._set_summary(figures.grid_summary(grid, keys, sort_by=m.sort_by))
        self._set_message("")

    def _focus_options(self) -> list[tuple[str, str]]:
        """The Compare on menu: the roll calls in the grid, in menu order."""
        chosen = set(self.model.vote_keys)
        return [(label, key) for label, key in self._options if key in chosen]

    def _sync_focus(self, change: Any = None) -> None:
        """Keep Compare on to the grid's roll calls; a removed focus moves to the first."""
        m = self.model
        options = self._focus_options()
        focus = self.controls["focus"]
        if not options or [k for _, k in focus.options] == [k for _, k in options]:
            return  # an empty grid keeps the last menu (the message says what to do)
        target = m.focus if m.focus in m.vote_keys else options[0][1]
        with m.hold_trait_notifications():  # one focus change (or none), not two
            focus.options = options
            focus.value = target

    def _on_focus(self, change: Any = None) -> None:
        if change is not None and change.get("old") == change.get("new"):
            return  # the menu was rebuilt around the same roll call
        try:
            self._redraw_focus()
        except PolicykitError as exc:
            self._set_message(str(exc))

    def _redraw_focus(self) -> None:
        m = self.model
        table = m.breakdown()
        self._apply(self.breakdown_view, figures.breakdown_trace_data(table),
                    figures._breakdown_layout(table, m.focus))
        self._set_breakdown_summary(figures.breakdown_summary(table, m.focus))
        self.view.update_layout(shapes=figures._focus_shapes(list(m.vote_keys), m.focus))

    def _static_parts(self) -> tuple[go.Figure, pd.DataFrame | None, str, list[str]]:
        m = self.model
        keys = list(m.vote_keys)
        if not keys:
            return go.Figure(), None, "", []
        grid = m.grid()
        return figures.grid_figure(grid, keys, sort_by=m.sort_by, focus=m.focus), None, "", []

    def static_html(self) -> str:
        """The static view in the widget's order: the party comparison (its chart, summary
        line and counts), then the grid and its summary line."""
        m = self.model
        table = m.breakdown()
        counts = table.reset_index()
        counts.columns = [str(c) for c in counts.columns]
        comparison = figures.static_html(
            figures.breakdown_figure(table, m.focus), table=counts,
            summary_text=self._breakdown_text,
            table_caption=figures.rollcall_label(m.focus, group=False, width=200))
        return comparison + "\n" + super().static_html()


def words_vs_votes(vote_keys: list[str] | tuple[str, ...] | None = None, *,
                   sort_by: str = "name", focus: str | None = None) -> WordsVsVotes:
    """Explore the letter's signers against the 2022 House roll calls.

    Parameters
    ----------
    vote_keys : sequence of str, optional
        House roll calls to show as columns; default: all, core aid first.
    sort_by : {'name', 'state', 'ideology', 'nays'}
    focus : str, optional
        The roll call compared by group, one of ``vote_keys``; default: the first of them.

    Returns
    -------
    WordsVsVotes
        The explorer (a widget).

    Raises
    ------
    policykit.errors.InvalidArgumentError
        For an unknown or Senate roll call, an empty selection or an unknown sort order.

    Examples
    --------
    >>> from policykit import explore
    >>> ex = explore.words_vs_votes(focus="h65-117.2022")
    >>> ex.breakdown_summary_text  # doctest: +ELLIPSIS
    'House roll 65 — Signers (D): ... Yea, 13 Nay, ...'
    """
    keys = [k for _, k in figures.rollcall_options("House")]
    if vote_keys is None:
        vote_keys = keys
    if isinstance(vote_keys, str):
        vote_keys = [vote_keys]
    vote_keys = list(vote_keys)
    if not vote_keys:
        msg = ("words_vs_votes() needs at least one House roll call; got an empty selection. "
               f"Allowed: House keys such as {keys[0]!r}. Pass None for all of them.")
        raise InvalidArgumentError(msg)
    for key in [*vote_keys, *([focus] if focus is not None else [])]:
        if key not in keys:
            raise InvalidArgumentError(unknown_rollcall(key, keys))
    if focus is not None and focus not in vote_keys:
        msg = (f"focus {focus!r} is not one of the grid's roll calls (vote_keys); Compare on "
               f"lists only those. Allowed: {', '.join(repr(k) for k in vote_keys)}."
               f"{closest(focus, vote_keys)} Add it to vote_keys, or leave focus out to "
               "compare on the first of them.")
        raise InvalidArgumentError(msg)
    if sort_by not in _SORT_LABELS:
        raise InvalidArgumentError(invalid_choice("sort order", sort_by, list(_SORT_LABELS),
                                                  "Use e.g. sort_by='nays'."))
    model = WordsModel(vote_keys=tuple(vote_keys), sort_by=sort_by,
                       focus=focus if focus is not None else vote_keys[0])
    return WordsVsVotes(model)

