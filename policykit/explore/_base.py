"""What every explorer shares: the layout, the summary line, the message area, the fallback.

An explorer is an :class:`ipywidgets.VBox` holding labelled controls, a plotly
``FigureWidget``, a one-line summary and a message area. It never calls ``display()``; Jupyter
displays it when it is the value of a cell. Where no widget front end exists (nbconvert HTML,
nbgrader feedback, GitHub's notebook view), the ``text/html`` part of its MIME bundle stands in:
a static plotly figure with plotly.js embedded, the summary line and a small table.
"""

from __future__ import annotations

import html
from copy import deepcopy
from typing import Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from .. import figures
from ..errors import PolicykitError, invalid_choice

__all__ = ["Explorer", "labelled", "unknown_rollcall"]

_SUMMARY_CSS = "margin:0.3em 0;font-size:0.95em"
_MESSAGE_CSS = ("margin:0.3em 0;padding:0.4em 0.6em;border-left:4px solid #E69F00;"
                "background:#FFF6E0;color:#000000")


class Explorer(widgets.VBox):
    """Base class: ``.figure``, ``.controls``, ``.summary`` and ``.message``, plus the fallback.

    Subclasses build ``self.figure`` and ``self.controls``, call :meth:`_assemble`, and
    implement :meth:`_redraw` (update the figure from the model) and :meth:`_static_parts`.
    """

    #: The live plotly figure (a ``FigureWidget``).
    figure: go.FigureWidget
    #: The labelled controls by name; set ``.value`` on them to drive the explorer from code.
    controls: dict[str, widgets.Widget]

    def _init_common(self) -> None:
        self.summary = widgets.HTML(layout=widgets.Layout(margin="0 0 0 4px"))
        self.message = widgets.HTML(layout=widgets.Layout(display="none"))
        self._summary_text = ""
        self._message_text = ""

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
    def _apply(fig: go.FigureWidget, trace_data: list[dict[str, Any]],
               layout: dict[str, Any] | None = None) -> None:
        """Apply per-trace properties (from :mod:`policykit.figures`) in one batch."""
        with fig.batch_update():
            for trace, props in zip(fig.data, trace_data, strict=False):
                trace.update(props)
            for key, value in (layout or {}).items():
                if isinstance(value, list):  # shapes, annotations: replace, never merge
                    fig.layout[key] = value
                else:
                    fig.layout.update({key: value})

    # -- static fallback --------------------------------------------------------------------

    def _static_parts(self) -> tuple[go.Figure, pd.DataFrame | None, str, list[str]]:
        """(figure, table, table caption, notes) for the static view."""
        raise NotImplementedError  # pragma: no cover - abstract

    def static_html(self) -> str:
        """The explorer's current view as static HTML (figure, summary line, small table)."""
        fig, table, caption, notes = self._static_parts()
        if self._message_text:
            notes = [self._message_text, *notes]
        return figures.static_html(fig, table=table, summary_text=self._summary_text,
                                   notes=notes, table_caption=caption)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        """ipywidgets' bundle (the widget view) plus a ``text/html`` static fallback.

        A front end with the widget manager (JupyterLab, Notebook 7, Voila) renders the
        widget view; nbconvert, nbgrader feedback and GitHub fall back to ``text/html``.
        """
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is None:  # the widget was closed: only the static view is left
            bundle = {}
        # What plotly's own FigureWidget._repr_mimebundle_ does when displayed directly: push
        # the current data and layout, so a view created now starts from the latest state.
        for fig in self._figure_widgets():
            fig._widget_layout = deepcopy(fig._layout_obj._props)
            fig._widget_data = deepcopy(fig._data)
        bundle["text/plain"] = f"{type(self).__name__}: {self._summary_text}"
        bundle["text/html"] = self.static_html()
        return bundle

    def _figure_widgets(self) -> list[go.FigureWidget]:
        return [self.figure]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} explorer: {self._summary_text}>"


def unknown_rollcall(value: object, keys: list[str]) -> str:
    """The 4-part message for an unknown House roll-call key (prefix-aware closest match)."""
    msg = invalid_choice("House roll call", value, keys,
                         "See policykit.analysis.vote_keys('House').")
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
