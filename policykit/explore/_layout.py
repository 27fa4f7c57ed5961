"""CSS layout helpers for the explorers' widgets (sizes that follow the output area)."""

from __future__ import annotations

import html

import ipywidgets as widgets

__all__ = ["css", "hint", "inline"]


def css(widget: widgets.DOMWidget, **props: str) -> widgets.DOMWidget:
    """Set CSS layout properties on a widget's own ``Layout`` (no new widget is made).

    Examples
    --------
    >>> box = css(widgets.Box(), width="100%", max_width="900px")
    >>> box.layout.width, box.layout.max_width
    ('100%', '900px')
    """
    for key, value in props.items():
        setattr(widget.layout, key, value)
    return widget


def inline(widget: widgets.DOMWidget) -> widgets.DOMWidget:
    """Keep a control's label on the same line as the control (wrapping only when narrow).

    ipywidgets 8 lays a ``ToggleButtons`` out as a block, so its description sits above the
    buttons; ipywidgets' own inline-row class puts it beside them, with the same gap as every
    other control's label.

    Examples
    --------
    >>> inline(widgets.ToggleButtons(options=["a"], description="Show")).layout.display
    'flex'
    """
    widget.add_class("widget-inline-hbox")
    return css(widget, display="flex", flex_flow="row wrap", align_items="center")


def hint(text: str) -> widgets.HTML:
    """A short line of help under a control, in a smaller, muted font.

    Examples
    --------
    >>> hint("Ctrl-click adds a roll call.").value  # doctest: +ELLIPSIS
    "<p class='policykit-hint' ...>Ctrl-click adds a roll call.</p>"
    """
    return widgets.HTML(f"<p class='policykit-hint' style='margin:0 0 0.4em 0;"
                        f"font-size:0.85em;color:#444'>{html.escape(text, quote=False)}</p>")
