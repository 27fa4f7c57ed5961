"""Timeline explorer: a case's events, votes, statements and responses on one axis."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go
import traitlets

from .. import _case, analysis, figures
from ..errors import InvalidArgumentError, invalid_choice
from ._a11y import KEYS
from ._base import Explorer, labelled
from ._layout import css as _css
from ._layout import hint as _hint
from ._layout import inline as _inline
from ._plotly_view import PlotlyView
from ._traits import Choices, OptionalDate, as_date

__all__ = ["Timeline", "TimelineModel", "timeline"]

_TABLE_ROWS = 20


def _as_date(value: Any, what: str) -> dt.date | None:
    return as_date(value, what)


def _zoom(case: _case.Case) -> tuple[str, dt.date, dt.date] | None:
    """The case's zoom preset (its labels ``zoom_label``, ``zoom_start``, ``zoom_end``), if
    it has one: a short stretch where the whole period crowds many items into a few pixels."""
    start, end = case.label("zoom_start", ""), case.label("zoom_end", "")
    if not (start and end):
        return None
    return (case.label("zoom_label", "Zoomed in"), as_date(start, "zoom_start"),
            as_date(end, "zoom_end"))  # type: ignore[return-value]


def _preset(start: Any, end: Any, case: _case.Case) -> str | None:
    """The zoom preset a date range matches (``'year'``, ``'letter'``), else None."""
    if start is None and end is None:
        return "year"
    zoom = _zoom(case)
    return "letter" if zoom is not None and (start, end) == zoom[1:] else None


_NEXT_LANE = "See policykit.analysis.timeline_lanes() for every lane."


class TimelineModel(traitlets.HasTraits):
    """State: date range, chosen lanes and the "as known on" date.

    Examples
    --------
    >>> m = TimelineModel(as_known_on=None)
    >>> m.as_known_on = pd.Timestamp("2022-10-23").date()
    >>> bool((m.frame()["kind"] == "statement").any())  # the statements came on 24-25 Oct
    False
    """

    start = OptionalDate(what="start")
    end = OptionalDate(what="end")
    categories = Choices(lambda m: m.lane_names("category"), what="category",
                         next_step=_NEXT_LANE)
    actors = Choices(lambda m: m.lane_names("actor"), what="actor", next_step=_NEXT_LANE)
    as_known_on = OptionalDate(what="as_known_on")

    def __init__(self, *, case: str | _case.Case | None = None, **kwargs: Any) -> None:
        #: The case whose timeline this model reads.
        self.case = _case.resolve(case)
        self._by_date: dict[Any, pd.DataFrame] = {}
        self.full = analysis.timeline(case=self.case)
        self.lanes = analysis.timeline_lanes(self.full)
        kwargs.setdefault("categories", tuple(self.lane_names("category")))
        kwargs.setdefault("actors", tuple(self.lane_names("actor")))
        super().__init__(**kwargs)

    def lane_names(self, group: str) -> list[str]:
        """Lanes of one group (``'category'`` or ``'actor'``), in display order."""
        return self.lanes.loc[self.lanes["group"] == group, "lane"].tolist()

    def selected_lanes(self) -> list[str]:
        """The keys of the chosen lanes (see :func:`policykit.analysis.lane_keys`), in order."""
        chosen = {f"category:{c}" for c in self.categories} | {f"actor:{a}" for a in self.actors}
        return [key for key in self.lanes["key"] if key in chosen]

    def known(self) -> pd.DataFrame:
        """The timeline as publicly known on ``as_known_on`` (cached per date)."""
        key = self.as_known_on
        if key not in self._by_date:
            self._by_date[key] = analysis.timeline(as_known_on=key, case=self.case)
        return self._by_date[key]

    def frame(self) -> pd.DataFrame:
        """The items that pass every filter."""
        return analysis.filter_timeline(self.known(), start=self.start, end=self.end,
                                        categories=self.categories, actors=self.actors,
                                        case=self.case)

    def xrange(self) -> tuple[Any, Any]:
        """The date range to draw (the chosen bounds, else the data's extent)."""
        lo = self.start if self.start is not None else self.full["date"].min()
        hi = self.end if self.end is not None else self.full["date"].max()
        return lo, hi


class Timeline(Explorer):
    """Items on one time axis with a lane per category or actor type.

    Controls: ``start``, ``end`` (date range), ``categories`` and ``actors`` (lanes),
    ``as_known_on`` (show only what was public by then; clear it to see everything).
    ``.zoom`` sets From and To to a preset: the whole period, or the case's zoom preset (in
    the default case, the fortnight around the letter, where the year's view crowds dozens of
    items into a few pixels).
    """

    def __init__(self, model: TimelineModel) -> None:
        self.model = model
        self._init_common()
        case = model.case

        def label(key: str) -> str:
            return figures._lane_label(key, case)

        self.controls = {
            "start": labelled(widgets.DatePicker(description="From")),
            "end": labelled(widgets.DatePicker(description="To")),
            "categories": labelled(widgets.SelectMultiple(
                options=[(label(f"category:{x}"), x) for x in model.lane_names("category")],
                description="Categories", rows=len(model.lane_names("category")),
                layout=widgets.Layout(width="22em", max_width="100%"))),
            "actors": labelled(widgets.SelectMultiple(
                options=[(label(f"actor:{x}"), x) for x in model.lane_names("actor")],
                description="Actors", rows=len(model.lane_names("actor")),
                layout=widgets.Layout(width="26em", max_width="100%"))),
            "as_known_on": labelled(widgets.DatePicker(description="As known on")),
        }
        self._link_controls({name: name for name in self.controls})
        frame = model.frame()
        lanes = model.selected_lanes()
        self.view = PlotlyView(self._figure(frame, lanes))
        _css(self.view, width="100%", max_width="1200px")
        c = self.controls
        #: Date-range presets (they set From and To): the whole period, or the case's zoom
        #: preset (the default case: the fortnight around the letter, where the year's view
        #: crowds its many items into a few pixels).
        zoom = _zoom(case)
        options = [(case.label("zoom_all", "Whole period"), "year")]
        if zoom is not None:
            options.append((f"{zoom[0]}: {figures.format_date(zoom[1])} to "
                            f"{figures.format_date(zoom[2])}", "letter"))
        self.zoom = _inline(labelled(widgets.ToggleButtons(
            options=options, description="Zoom", value=_preset(model.start, model.end, case))))
        #: How to pick several lanes in Categories and Actors (mouse and keyboard).
        self.lanes_hint = _hint("Categories and Actors: every lane starts selected. A click "
                                "selects one; Ctrl-click (Cmd-click on a Mac) adds or removes "
                                f"one; Shift-click selects a range. {KEYS}")
        row = widgets.Layout(flex_flow="row wrap", align_items="flex-start")
        super().__init__(children=[
            widgets.HBox([c["start"], c["end"], c["as_known_on"]], layout=row),
            self.zoom,
            widgets.HBox([c["categories"], c["actors"]],
                         layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start")),
            self.lanes_hint, self.message, self.view, self.summary,
        ])
        self.add_class("policykit-explorer")
        self.add_class("policykit-timeline")
        self._update_text(frame)
        self._observe_model(self._safe_redraw, list(self.controls))
        self.zoom.observe(self._on_zoom, names="value")
        self._observe_model(self._sync_zoom, ["start", "end"])

    def _on_zoom(self, change: Any) -> None:
        if change["new"] is None:
            return
        zoom = _zoom(self.model.case)
        start, end = zoom[1:] if change["new"] == "letter" and zoom else (None, None)
        with self.model.hold_trait_notifications():  # From and To follow (linked)
            self.model.start, self.model.end = start, end

    def _sync_zoom(self, change: Any = None) -> None:
        """A date range typed in From and To selects its preset, or none."""
        self.zoom.value = _preset(self.model.start, self.model.end, self.model.case)

    def _update_text(self, frame: pd.DataFrame) -> None:
        m = self.model
        self._set_summary(figures.timeline_summary(frame, total=len(m.full),
                                                   as_known_on=m.as_known_on, case=m.case))
        if len(frame):
            self._set_message("")
        elif not m.selected_lanes():
            self._set_message("No category or actor is selected. Pick at least one under "
                              "Categories or Actors (Ctrl-click, or Cmd-click on a Mac, adds "
                              "one; from the keyboard, Ctrl+A in a list selects all of it).")
        elif m.start is not None and m.end is not None and m.start > m.end:
            self._set_message(f"The start date ({figures.format_date(m.start)}) is after the "
                              f"end date ({figures.format_date(m.end)}). Swap them.")
        else:
            self._set_message("No item matches these filters. Widen the date range, pick "
                              "more categories or actors, or clear As known on.")

    def _redraw(self) -> None:
        m = self.model
        frame = m.frame()
        lanes = m.selected_lanes()
        layout = figures._timeline_layout(lanes, m.as_known_on, m.xrange(), m.case)
        layout["height"] = max(380, 28 * len(lanes) + 200)
        self._apply(self.view, figures.timeline_trace_data(frame, lanes, case=m.case), layout)
        self._update_text(frame)

    def _data_table(self) -> tuple[pd.DataFrame, str]:
        frame = self.model.frame()
        table = pd.DataFrame({
            "Date": [figures.format_date(d) for d in frame["date"]],
            "Kind": frame["kind"].astype(str).to_numpy(),
            "Lane": [figures._lane_label(k, self.model.case) for k in analysis.lane_keys(frame)],
            "What": frame["label"].astype(str).to_numpy(),
            "Sources": frame["sources"].astype(str).str.replace(";", "; ").to_numpy(),
        })
        return table, f"All {len(frame)} items shown"

    def _figure(self, frame: pd.DataFrame, lanes: list[str]) -> go.Figure:
        """The timeline figure for the model's state (built once per state); ``frame`` and
        ``lanes`` are ``model.frame()`` and ``model.selected_lanes()``."""
        m = self.model
        return self._figure_for_state("timeline", lambda: figures.timeline_figure(
            frame, lanes=lanes, as_known_on=m.as_known_on, total=len(m.full),
            xrange=m.xrange(), case=m.case))

    def _static_parts(self) -> tuple[go.Figure, pd.DataFrame | None, str, list[str]]:
        m = self.model
        frame = m.frame()
        fig = self._figure(frame, m.selected_lanes())
        table = pd.DataFrame({
            "Date": [figures.format_date(d) for d in frame["date"]],
            "Kind": frame["kind"].astype(str).to_numpy(),
            "Lane": [figures._lane_label(k, m.case) for k in analysis.lane_keys(frame)],
            "What": [figures._shorten(str(v), 110) for v in frame["label"]],
            "Sources": frame["sources"].astype(str).str.replace(";", "; ").to_numpy(),
        }).head(_TABLE_ROWS)
        caption = (f"First {len(table)} of {len(frame)} items" if len(frame) > _TABLE_ROWS
                   else f"All {len(frame)} items")
        return fig, table, caption + " (source ids resolve in policykit.load_sources())", []


def timeline(*, start: Any = None, end: Any = None, categories: Any = None,
             actors: Any = None, as_known_on: Any = None,
             case: str | _case.Case | None = None) -> Timeline:
    """Explore a case on one time axis: events, votes, statements and responses.

    Parameters
    ----------
    start, end : date-like, optional
        Show items dated within this range (inclusive).
    categories : sequence of str, optional
        Lanes of events and votes (``'war'``, ``'letter'``, ``'House vote'``, ...);
        default all.
    actors : sequence of str, optional
        Lanes of responses by actor type and the caucus's statements; default all.
    as_known_on : date-like, optional
        Show only what had become public by that date (in the default case, the letter was
        signed from 30 June but made public on 24 October).
    case : str or Case, optional
        The case to explore (default: the default case); its lanes come from its data.

    Returns
    -------
    Timeline
        The explorer (a widget).

    Examples
    --------
    >>> from policykit import explore
    >>> ex = explore.timeline(as_known_on="2022-10-24")
    >>> ex.controls["as_known_on"].value.isoformat()
    '2022-10-24'
    """
    values = {"start": _as_date(start, "start"), "end": _as_date(end, "end"),
              "as_known_on": _as_date(as_known_on, "as_known_on")}
    c = _case.resolve(case)
    lanes = analysis.timeline_lanes(case=c)
    for what, given in (("category", categories), ("actor", actors)):
        if given is None:
            continue
        allowed = lanes.loc[lanes["group"] == what, "lane"].tolist()
        given = [given] if isinstance(given, str) else list(given)
        for lane in given:
            if lane not in allowed:
                raise InvalidArgumentError(invalid_choice(
                    what, lane, allowed,
                    "See policykit.analysis.timeline_lanes() for every lane."))
        values["categories" if what == "category" else "actors"] = tuple(given)
    return Timeline(TimelineModel(case=c, **values))
