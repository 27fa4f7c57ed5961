"""What every explorer shares: the layout, the summary line, the message area, the fallback.

An explorer is an :class:`ipywidgets.VBox` holding labelled controls, a figure view (a
:class:`~policykit.explore._plotly_view.PlotlyView`: plotly.js loaded once per page, small
widget state), a one-line summary and a message area. It never calls ``display()``; Jupyter
displays it when it is the value of a cell. Where no widget front end exists (nbconvert HTML,
nbgrader feedback, GitHub's notebook view), the ``text/html`` part of its MIME bundle stands in:
a static plotly figure (plotly.js embedded once per notebook), the summary line and a small
table. :meth:`Explorer.close` closes every widget it made, so a closed explorer is freed.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go
import traitlets

from .. import figures
from ..errors import PolicykitError, invalid_choice
from ._a11y import Accessibility, table_html
from ._plotly_view import PlotlyView

__all__ = ["Explorer", "labelled", "unknown_rollcall"]

_SUMMARY_CSS = "margin:0.3em 0;font-size:0.95em"
_MESSAGE_CSS = ("margin:0.3em 0;padding:0.4em 0.6em;border-left:4px solid #E69F00;"
                "background:#FFF6E0;color:#000000")


class Explorer(widgets.VBox):
    """Base class: ``.figure``, ``.controls``, ``.summary`` and ``.message``, plus the fallback.

    Subclasses build ``self.view`` (a :class:`PlotlyView`) and ``self.controls``, link the
    controls to the model with :meth:`_link_controls`, observe it with :meth:`_observe_model`,
    and implement :meth:`_redraw` (update the view from the model) and :meth:`_static_parts`.
    """

    #: The figure widget on screen (plotly.js loaded once per page).
    view: PlotlyView
    #: The labelled controls by name; set ``.value`` on them to drive the explorer from code.
    controls: dict[str, widgets.Widget]

    def __init__(self, children: Any = (), **kwargs: Any) -> None:
        # Keyboard and screen-reader semantics and focus styles (see _a11y), for every explorer.
        super().__init__(children=[*children, self.a11y], **kwargs)
        case = getattr(getattr(self, "model", None), "case", None)
        if case is not None:  # e.g. policykit-case-<id>, for a page's styles and tests
            self.add_class(f"policykit-case-{case.id}")

    def _init_common(self) -> None:
        #: Radio-group semantics, focus outlines and list hints for this explorer's controls.
        self.a11y = Accessibility(layout=widgets.Layout(display="none"))
        self.summary = widgets.HTML(layout=widgets.Layout(margin="0 0 0 4px"))
        self.message = widgets.HTML(layout=widgets.Layout(display="none"))
        self._summary_text = ""
        self._message_text = ""
        self._links: list[traitlets.link] = []
        self._observers: list[tuple[Callable[..., Any], list[str]]] = []
        self._built: dict[str, tuple[dict[str, Any], go.Figure]] = {}

    def _figure_for_state(self, what: str, build: Callable[[], go.Figure]) -> go.Figure:
        """``build()`` (a figure of :mod:`policykit.figures` for the model's current state),
        kept for that state: the view is made from it, and the static view (shown with the
        widget) reuses it instead of building the same figure again. Callers only read it."""
        state = self.model.trait_values()
        kept = self._built.get(what)
        if kept is None or kept[0] != state:
            kept = (state, build())
            self._built[what] = kept
        return kept[1]

    @property
    def figure(self) -> go.Figure:
        """What the figure view draws, as a ``go.Figure`` (a copy, for reading).

        ``.figure.data`` and ``.figure.layout`` hold the current traces and layout;
        ``fig.layout.meta["summary"]`` the current summary line. Changing the copy does not
        change the explorer: use ``.controls``.
        """
        return _snapshot(self.view, self._summary_text)

    def _link_controls(self, names: dict[str, str]) -> None:
        """Start each control at its model trait's value and keep the two linked."""
        for control, trait in names.items():
            self.controls[control].value = getattr(self.model, trait)
            self._links.append(traitlets.link((self.controls[control], "value"),
                                              (self.model, trait)))

    def _observe_model(self, handler: Callable[..., Any], names: list[str]) -> None:
        self.model.observe(handler, names=names)
        self._observers.append((handler, names))

    def close(self) -> None:
        """Close the explorer and every widget it made (controls, views, text areas).

        ipywidgets keeps every open widget alive for its front end; closing them lets Python
        free a finished explorer. The model keeps its values.
        """
        for link in self._links:
            link.unlink()
        self._links.clear()
        for handler, names in self._observers:
            self.model.unobserve(handler, names=names)
        self._observers.clear()
        for widget in list(_descendants(self)):
            if widget is not self:
                widget.close()
        super().close()
        # ipywidgets hides a closed widget's repr; keep the static view (figure, summary).
        self.__dict__.pop("_repr_mimebundle_", None)

    # -- text areas -------------------------------------------------------------------------

    @property
    def summary_text(self) -> str:
        """The current one-line summary, as plain text."""
        return self._summary_text

    @property
    def message_text(self) -> str:
        """The current message (empty when there is nothing to say)."""
        return self._message_text

    def _set_summary(self, text: str) -> None:
        self._summary_text = text
        self.summary.value = (f"<p class='policykit-summary' role='status' "
                              f"style='{_SUMMARY_CSS}'>{html.escape(text, quote=False)}</p>")
        view = getattr(self, "view", None)
        if view is not None:  # the figure is described by its summary line
            if view.table_source is None:
                view.table_source = self._data_table_html
            view.description = text
            view.refresh_table()

    def _set_message(self, text: str = "") -> None:
        self._message_text = text
        if text:
            self.message.value = (f"<p class='policykit-message' role='alert' "
                                  f"style='{_MESSAGE_CSS}'>{html.escape(text, quote=False)}</p>")
            self.message.layout.display = None
        else:
            self.message.value = ""
            self.message.layout.display = "none"

    # -- updating ---------------------------------------------------------------------------

    def _safe_redraw(self, change: Any = None) -> None:
        """Redraw; a policykit error becomes a plain message instead of a traceback."""
        try:
            self._redraw()
        except PolicykitError as exc:
            self._set_message(str(exc))

    def _redraw(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    @staticmethod
    def _apply(view: PlotlyView, trace_data: list[dict[str, Any]],
               layout: dict[str, Any] | None = None) -> None:
        """Apply per-trace properties (from :mod:`policykit.figures`) in one message.

        Dicts merge into the current properties; lists (shapes, annotations) replace them.
        """
        view.apply(trace_data, layout)

    # -- static fallback --------------------------------------------------------------------

    def _static_parts(self) -> tuple[go.Figure, pd.DataFrame | None, str, list[str]]:
        """(figure, table, table caption, notes) for the static view."""
        raise NotImplementedError  # pragma: no cover - abstract

    def _data_table(self) -> tuple[pd.DataFrame, str]:
        """The figure's data as a table, and its caption ("Show data")."""
        raise NotImplementedError  # pragma: no cover - abstract

    def _data_table_html(self) -> str:
        return table_html(*self._data_table())

    def static_html(self) -> str:
        """The explorer's current view as static HTML (figure, summary line, small table)."""
        fig, table, caption, notes = self._static_parts()
        if self._message_text:
            notes = [self._message_text, *notes]
        data, data_caption = self._data_table()
        return figures.static_html(fig, table=table, summary_text=self._summary_text,
                                   notes=notes, table_caption=caption, data_table=data,
                                   data_caption=data_caption)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        """ipywidgets' bundle (the widget view) plus a ``text/html`` static fallback.

        A front end with the widget manager (JupyterLab, Notebook 7, Voila) renders the
        widget view; nbconvert, nbgrader feedback and GitHub fall back to ``text/html``.
        """
        bundle = super()._repr_mimebundle_(**kwargs) if self.comm is not None else None
        if bundle is None:  # the widget was closed: only the static view is left
            bundle = {}
        bundle["text/plain"] = f"{type(self).__name__}: {self._summary_text}"
        bundle["text/html"] = self.static_html()
        return bundle

    def __repr__(self) -> str:
        return f"<{type(self).__name__} explorer: {self._summary_text}>"


def _snapshot(view: PlotlyView, summary: str) -> go.Figure:
    fig = view.to_figure()
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    if summary and meta.get("summary") != summary:
        fig.layout.meta = {**meta, "summary": summary}
    return fig


def _descendants(widget: widgets.Widget) -> Iterator[widgets.Widget]:
    """``widget`` and every widget reachable through its traits (children, layout, style)."""
    seen: set[int] = set()
    stack = [widget]
    while stack:
        w = stack.pop()
        if id(w) in seen:
            continue
        seen.add(id(w))
        yield w
        for value in w._trait_values.values():
            items = value if isinstance(value, list | tuple) else (value,)
            stack.extend(v for v in items if isinstance(v, widgets.Widget))
        controls = getattr(w, "controls", None)
        if isinstance(controls, dict):
            stack.extend(v for v in controls.values() if isinstance(v, widgets.Widget))


def unknown_rollcall(value: object, keys: list[str],
                     chambers: Sequence[str] = ("House",)) -> str:
    """The 4-part message for an unknown roll-call key of some chambers (prefix-aware closest
    match)."""
    what = " or ".join(chambers) + " roll call" if chambers else "roll call"
    see = (f"policykit.analysis.vote_keys({chambers[0]!r})" if len(chambers) == 1
           else "policykit.analysis.vote_keys()")
    msg = invalid_choice(what, value, keys, f"See {see}.")
    if "Did you mean" not in msg and isinstance(value, str):
        prefixed = [k for k in keys if k.startswith(value.strip().lower() + "-")]
        if prefixed:
            msg = msg.replace(" See policykit",
                              f" Did you mean {prefixed[0]!r}? See policykit", 1)
    return msg


def labelled(widget: widgets.Widget, width: str = "auto") -> widgets.Widget:
    """Give a control a readable label width (descriptions are its accessible name)."""
    widget.style.description_width = width
    if isinstance(widget, widgets.ToggleButtons):
        widget.style.button_width = "auto"
    return widget
