"""Words-vs-votes explorer: a case's signers against its roll calls."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go
import traitlets

from .. import _case, analysis, figures
from ..errors import InvalidArgumentError, PolicykitError, closest, invalid_choice
from ._a11y import KEYS, table_html
from ._base import Explorer, labelled, unknown_rollcall
from ._layout import css as _css
from ._layout import hint as _hint
from ._plotly_view import PlotlyView
from ._traits import Choice, Choices

__all__ = ["WordsModel", "WordsVsVotes", "words_vs_votes"]

_ALL = "all"


def _sort_labels(case: _case.Case) -> dict[str, str]:
    """The sort orders this case offers (no ideology without scores)."""
    labels = {"name": "Name", "state": "State and district",
              "ideology": case.label("sort_score_option", "Ideology score"),
              "nays": "Number of Nay votes"}
    if not figures.has_score(case):
        del labels["ideology"]
    return labels


def _keys(case: _case.Case) -> tuple[str, ...]:
    """The roll calls of the chambers where the case's signers sit, in menu order."""
    return tuple(k for _, k in _options(case))


def _options(case: _case.Case) -> list[tuple[str, str]]:
    return list(figures._cached("words-options", case, _options_of))


def _options_of(case: _case.Case) -> list[tuple[str, str]]:
    # Chambers whose vote records name members by the signers' key (and, if the signers
    # table says so, where signers sit).
    key = case.role("signers")["key"]
    votes = case.role("votes")
    chambers = [ch for ch in case.chambers if votes[ch]["member_key"] == key]
    signers = case.table("signers")
    if "chamber" in signers.columns:
        present = set(signers["chamber"].astype(str))
        chambers = [ch for ch in chambers if ch in present]
    return [o for ch in chambers for o in figures.rollcall_options(ch, case=case)]


def _groups(case: _case.Case) -> tuple[str, ...]:
    """``'all'`` and the signer groups to pick from, when the signers signed several documents
    (e.g. two letters): the signers role's ``groups`` (its keys, e.g. letter ids, when it maps
    each to a boolean column of the signers table), else the values of its ``group`` column."""
    if not case.has_role("signers"):
        return (_ALL,)
    role = case.role("signers")
    values = [str(g) for g in role.get("groups") or []]  # a list, or a dict keyed by group
    if not values and role.get("group"):
        values = sorted(str(v) for v in case.table("signers")[role["group"]].dropna().unique())
    return (_ALL, *values) if len(values) > 1 else (_ALL,)


def _group_label(case: _case.Case, group: str) -> str:
    if group == _ALL:
        return "All " + case.label("signers", "signers")
    return case.label(f"group:{group}", group)


def _unknown_rollcall(value: object, keys: list[str], model: Any = None) -> str:
    case = getattr(model, "case", None)
    return unknown_rollcall(value, keys, chambers=_chambers(case))


def _chambers(case: _case.Case | None) -> list[str]:
    c = _case.resolve(case)
    return sorted({str(figures._rc(k, c)["chamber"]) for k in _keys(c)})


class WordsModel(traitlets.HasTraits):
    """State: which roll calls are columns, the sort order, and the roll call compared.

    Examples
    --------
    >>> m = WordsModel(vote_keys=("h65-117.2022",), sort_by="nays", focus="h65-117.2022")
    >>> int(m.grid()["nays"].sum())  # 13 signers voted Nay on roll 65
    13
    """

    vote_keys = Choices(lambda m: _keys(m.case), what="vote_keys", next_step="",
                        message=_unknown_rollcall)
    sort_by = Choice(lambda m: list(_sort_labels(m.case)), "name", what="sort order",
                     next_step="Use e.g. sort_by='nays'.")
    focus = Choice(lambda m: _keys(m.case), what="roll call", next_step="",
                   message=_unknown_rollcall)
    group = Choice(lambda m: _groups(m.case), _ALL, what="signer group",
                   next_step="Use 'all' for every signer, or one document's signers.")

    def __init__(self, *, case: str | _case.Case | None = None, **kwargs: Any) -> None:
        #: The case whose signers and roll calls this model reads.
        self.case = _case.resolve(case)
        self._breakdowns: dict[tuple[str, str], pd.DataFrame] = {}
        self._full: dict[str, pd.DataFrame] = {}
        super().__init__(**kwargs)

    @traitlets.default("focus")
    def _first_rollcall(self) -> str:
        return self.vote_keys[0] if self.vote_keys else _keys(self.case)[0]

    def _group_arg(self) -> str | None:
        return None if self.group == _ALL else self.group

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
            analysis.contrast([], case=self.case)  # raises "needs at least one roll call"
        if self.group not in self._full:
            self._full[self.group] = analysis.signer_grid(
                list(_keys(self.case)), group=self._group_arg(), case=self.case)
        return analysis.sort_signer_grid(self._full[self.group],
                                         self.sort_by,  # type: ignore[arg-type]
                                         vote_keys=list(self.vote_keys), case=self.case)

    def breakdown(self) -> pd.DataFrame:
        """The signers and the other members, by party, on the focus roll call."""
        key = (self.focus, self.group)
        if key not in self._breakdowns:
            self._breakdowns[key] = analysis.party_breakdown(
                self.focus, split_signers=True, group=self._group_arg(), case=self.case)
        return self._breakdowns[key]


class WordsVsVotes(Explorer):
    """Signers x roll calls grid of positions, sortable, with a party comparison.

    Controls: ``rollcalls`` (the grid's columns), ``sort``, ``focus`` (the roll call whose
    signers are compared with other Democrats and Republicans). ``.figure`` is the grid;
    ``.breakdown`` the comparison, with its own summary line ``.breakdown_summary``.
    """

    def __init__(self, model: WordsModel) -> None:
        self.model = model
        self._init_common()
        case = model.case
        options = _options(case)
        self._options = options
        if model.vote_keys and model.focus not in model.vote_keys:
            model.focus = model.vote_keys[0]  # Compare on lists the grid's roll calls only
        self.controls = {
            # Every roll call in view (no hidden, selected rows); as wide as its labels.
            "rollcalls": labelled(widgets.SelectMultiple(
                options=options, description="Roll calls", rows=len(options),
                layout=widgets.Layout(width="100%", max_width="60em"))),
            "sort": labelled(widgets.Dropdown(
                options=[(v, k) for k, v in _sort_labels(case).items()],
                description="Sort by", layout=widgets.Layout(width="24em"))),
            "focus": labelled(widgets.Dropdown(
                options=self._focus_options(), description="Compare on",
                layout=widgets.Layout(width="100%", max_width="60em"))),
        }
        groups = _groups(case)
        if len(groups) > 1:  # signers of several documents (e.g. two letters): pick one
            self.controls["group"] = labelled(widgets.Dropdown(
                options=[(_group_label(case, g), g) for g in groups],
                description=case.label("group_control", "Signed"),
                layout=widgets.Layout(width="100%", max_width="60em")))
        names = {"rollcalls": "vote_keys", "sort": "sort_by", "focus": "focus"}
        if "group" in self.controls:
            names["group"] = "group"
        self._link_controls(names)
        grid = model.grid()
        keys = list(model.vote_keys)
        self.view = PlotlyView(self._grid_figure(grid))
        _css(self.view, width="100%", max_width="1100px")
        table = model.breakdown()
        #: The party comparison's figure widget (``.breakdown`` reads what it draws).
        self.breakdown_view = PlotlyView(self._breakdown_figure(table))
        _css(self.breakdown_view, width="100%", max_width="1100px")
        self.breakdown_summary = widgets.HTML()
        c = self.controls
        #: How to pick several roll calls in the list (a plain click selects only one).
        self.rollcalls_hint = _hint(
            f"All {len(options)} roll calls start selected. A click selects one; Ctrl-click "
            f"(Cmd-click on a Mac) adds or removes one; Shift-click selects a range. {KEYS}")
        _css(self.rollcalls_hint, margin="0 0 0 5.5em")
        super().__init__(children=[
            *([c["group"]] if "group" in c else []),
            c["rollcalls"], self.rollcalls_hint, c["sort"], c["focus"], self.message,
            self.breakdown_view, self.breakdown_summary, self.view, self.summary,
        ])
        self.add_class("policykit-explorer")
        self.add_class("policykit-words")
        self._set_breakdown_summary(figures.breakdown_summary(table, model.focus, case=case))
        self._set_summary(figures.grid_summary(grid, keys, sort_by=model.sort_by, case=case))
        self._observe_model(self._safe_redraw, ["vote_keys", "sort_by", "group"])
        self._observe_model(self._sync_focus, ["vote_keys"])
        self._observe_model(self._on_focus, ["focus", "group"])

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
        return counts, figures.rollcall_label(self.model.focus, group=False, width=200,
                                              case=self.model.case)

    def _data_table(self) -> tuple[pd.DataFrame, str]:
        m = self.model
        keys = list(m.vote_keys)
        if not keys:
            return pd.DataFrame({"Signer": []}), "No roll call selected"
        grid = m.grid()
        table = pd.DataFrame({"Signer": grid["name"].astype(str).to_numpy(),
                              "State": grid["state"].astype(str).to_numpy(),
                              "District": grid["district"].to_numpy()})
        one_chamber = len(_chambers(m.case)) == 1
        for key in keys:
            rc = figures._rc(key, m.case)
            head = "Roll" if one_chamber else f"{rc['chamber']} roll"
            table[f"{head} {int(rc['roll'])}"] = [
                "" if pd.isna(v) else str(v) for v in grid[key].tolist()]
        table["Nay votes"] = grid["nays"].to_numpy()
        caption = m.case.label("grid_caption", "The {n} signers on {k} roll calls")
        return table, (caption.format(n=len(grid), k=len(keys))
                       + " (roll numbers as in the figure)")

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
        layout = figures._grid_layout(grid, keys, labels, m.focus, m.case)
        layout["height"] = max(320, 22 * len(grid) + 200)
        self._apply(self.view, figures.grid_trace_data(grid, keys, case=m.case), layout)
        self._set_summary(figures.grid_summary(grid, keys, sort_by=m.sort_by, case=m.case))
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
                    figures._breakdown_layout(table, m.focus, m.case))
        self._set_breakdown_summary(figures.breakdown_summary(table, m.focus, case=m.case))
        self.view.update_layout(shapes=figures._focus_shapes(list(m.vote_keys), m.focus))

    def _static_parts(self) -> tuple[go.Figure, pd.DataFrame | None, str, list[str]]:
        m = self.model
        keys = list(m.vote_keys)
        if not keys:
            return go.Figure(), None, "", []
        return self._grid_figure(), None, "", []

    def _grid_figure(self, grid: pd.DataFrame | None = None) -> go.Figure:
        """The grid figure for the model's state (built once per state); ``grid`` is
        ``model.grid()`` when the caller has it."""
        m = self.model
        return self._figure_for_state("grid", lambda: figures.grid_figure(
            m.grid() if grid is None else grid, list(m.vote_keys), sort_by=m.sort_by,
            focus=m.focus, case=m.case))

    def _breakdown_figure(self, table: pd.DataFrame) -> go.Figure:
        """The party comparison for the model's state (built once per state); ``table`` is
        ``model.breakdown()``."""
        m = self.model
        return self._figure_for_state("breakdown", lambda: figures.breakdown_figure(
            table, m.focus, case=m.case))

    def static_html(self) -> str:
        """The static view in the widget's order: the party comparison (its chart, summary
        line and counts), then the grid and its summary line."""
        m = self.model
        table = m.breakdown()
        counts = table.reset_index()
        counts.columns = [str(c) for c in counts.columns]
        comparison = figures.static_html(
            self._breakdown_figure(table), table=counts,
            summary_text=self._breakdown_text,
            table_caption=figures.rollcall_label(m.focus, group=False, width=200,
                                                 case=m.case))
        return comparison + "\n" + super().static_html()


def words_vs_votes(vote_keys: list[str] | tuple[str, ...] | None = None, *,
                   sort_by: str = "name", focus: str | None = None, group: str = _ALL,
                   case: str | _case.Case | None = None) -> WordsVsVotes:
    """Explore a case's signers against its roll calls (the default case: the letter's
    signers and the 2022 House votes).

    Parameters
    ----------
    vote_keys : sequence of str, optional
        Roll calls to show as columns, of the chambers where the signers sit; default: all,
        in menu order (the case's first tier first).
    sort_by : {'name', 'state', 'ideology', 'nays'}
        ``'ideology'`` only in a case with ideology scores.
    focus : str, optional
        The roll call compared by group, one of ``vote_keys``; default: the first of them.
    group : str
        ``'all'``, or one document's signers in a case whose signers signed several (see
        :func:`policykit.analysis.signer_groups`).
    case : str or Case, optional
        The case to explore (default: the default case).

    Returns
    -------
    WordsVsVotes
        The explorer (a widget).

    Raises
    ------
    policykit.errors.InvalidArgumentError
        For an unknown roll call or one of a chamber without signers, an empty selection or
        an unknown sort order.

    Examples
    --------
    >>> from policykit import explore
    >>> ex = explore.words_vs_votes(focus="h65-117.2022")
    >>> ex.breakdown_summary_text  # doctest: +ELLIPSIS
    'House roll 65 — Signers (D): ... Yea, 13 Nay, ...'
    """
    c = _case.resolve(case)
    keys = list(_keys(c))
    if vote_keys is None:
        vote_keys = keys
    if isinstance(vote_keys, str):
        vote_keys = [vote_keys]
    vote_keys = list(vote_keys)
    where = " or ".join(_chambers(c))
    if not vote_keys:
        msg = (f"words_vs_votes() needs at least one {where} roll call; got an empty "
               f"selection. Allowed: keys such as {keys[0]!r}. Pass None for all of them.")
        raise InvalidArgumentError(msg)
    for key in [*vote_keys, *([focus] if focus is not None else [])]:
        if key not in keys:
            raise InvalidArgumentError(unknown_rollcall(key, keys, chambers=_chambers(c)))
    if focus is not None and focus not in vote_keys:
        msg = (f"focus {focus!r} is not one of the grid's roll calls (vote_keys); Compare on "
               f"lists only those. Allowed: {', '.join(repr(k) for k in vote_keys)}."
               f"{closest(focus, vote_keys)} Add it to vote_keys, or leave focus out to "
               "compare on the first of them.")
        raise InvalidArgumentError(msg)
    sorts = list(_sort_labels(c))
    if sort_by not in sorts:
        why = "" if "ideology" in sorts else " (this case has no ideology scores)"
        raise InvalidArgumentError(invalid_choice("sort order", sort_by, sorts,
                                                  f"Use e.g. sort_by='nays'{why}."))
    model = WordsModel(vote_keys=tuple(vote_keys), sort_by=sort_by,
                       focus=focus if focus is not None else vote_keys[0], group=group,
                       case=c)
    return WordsVsVotes(model)
