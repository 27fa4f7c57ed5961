"""Accessibility for the explorers: keyboard semantics, focus styles and data tables.

ipywidgets draws a ``ToggleButtons`` as plain buttons (no group name, no selected state, one
Tab stop per button) and JupyterLab removes the focus outline of menus, date pickers, text
boxes and lists. :class:`Accessibility` is a small invisible anywidget that every explorer
holds: its front end (no network, CSS and JS shipped here) turns each option group of its
explorer into a radio group named by its label (``role="radiogroup"``, ``role="radio"`` with
``aria-checked``, one Tab stop, arrow keys move and select), ties each multi-select to the
keyboard hint under it (``aria-describedby``), gives every focusable control a visible focus
outline (3 px, 8.4:1 against white) and shows the selected option dark on light (8.7:1).

:func:`table_html` renders a figure's data as a real HTML table (for the figure widget's
"Show data" disclosure and the static fallback).

Examples
--------
>>> import pandas as pd
>>> print(table_html(pd.DataFrame({"Group": ["A&B"], "Yea": [3]}), "Counts"))
... # doctest: +NORMALIZE_WHITESPACE
<table class='policykit-data'><caption>Counts</caption><thead><tr><th scope='col'>Group</th><th
scope='col'>Yea</th></tr></thead><tbody><tr><td>A&amp;B</td><td>3</td></tr></tbody></table>
"""

from __future__ import annotations

import html

import anywidget
import pandas as pd
import traitlets

__all__ = ["FOCUS_COLOUR", "KEYS", "SELECTED_BACKGROUND", "Accessibility", "table_html"]

#: How a multi-select list works from the keyboard (Chromium and Firefox), shown under it:
#: a plain arrow key replaces the whole selection, which surprises learners.
KEYS = ("Keyboard: an arrow key alone selects only the next item; Shift+arrow selects a "
        "range; Ctrl+arrow moves without changing the selection and Ctrl+Space adds or "
        "removes the item; Ctrl+A selects all.")

#: Focus outline colour (8.4:1 against white).
FOCUS_COLOUR = "#0B4F8A"
#: Background of a selected option in an option group (8.7:1 against white, text white).
SELECTED_BACKGROUND = "#1F4E79"

_CSS = f"""
.policykit-explorer .widget-toggle-buttons .widget-toggle-button {{
  background: #FFFFFF; color: #1A1A1A; border: 1px solid #595959; box-shadow: none;
}}
.policykit-explorer .widget-toggle-buttons .widget-toggle-button.mod-active {{
  background: {SELECTED_BACKGROUND}; color: #FFFFFF; border-color: {SELECTED_BACKGROUND};
  font-weight: 600;
}}
.policykit-explorer button:focus-visible, .policykit-explorer summary:focus-visible,
.policykit-explorer [tabindex]:focus-visible, .policykit-explorer a:focus-visible,
.policykit-explorer select:focus, .policykit-explorer input:focus,
.policykit-explorer textarea:focus {{
  outline: 3px solid {FOCUS_COLOUR} !important; outline-offset: 2px !important;
}}
.policykit-explorer .policykit-data-details {{ margin: 0.2em 0 0.6em 0; }}
.policykit-explorer .policykit-data-details > summary {{
  cursor: pointer; color: #1A1A1A; width: max-content; max-width: 100%;
}}
.policykit-data {{ border-collapse: collapse; font-size: 0.85em; margin: 0.4em 0; }}
.policykit-data caption {{ text-align: left; font-weight: 600; }}
.policykit-data th, .policykit-data td {{
  padding: 0.15em 0.6em; border-bottom: 1px solid #DDDDDD; text-align: left;
  color: #000000; background: #FFFFFF;
}}
.policykit-data-scroll {{ max-height: 24em; overflow: auto; max-width: 100%; }}
.policykit-a11y {{ display: none; }}
/* A date box is typed into (month, day, year; arrow keys step): its calendar button would be
   a fourth Tab stop per date box. */
.policykit-explorer input[type="date"]::-webkit-calendar-picker-indicator {{ display: none; }}
"""

_ESM = r"""
let counter = 0;
const uid = (prefix) => `${prefix}-${Date.now().toString(36)}-${(counter += 1)}`;

function patchGroups(root) {
  for (const group of root.querySelectorAll(".widget-toggle-buttons")) {
    const label = group.querySelector(":scope > .widget-label");
    const box = [...group.children].find((c) => c.tagName === "DIV");
    if (!box) continue;
    if (box.getAttribute("role") !== "radiogroup") box.setAttribute("role", "radiogroup");
    if (label && label.textContent.trim()) {
      if (!label.id) label.id = uid("policykit-label");
      box.setAttribute("aria-labelledby", label.id);
    }
    const buttons = [...box.querySelectorAll(":scope > button")];
    const active = buttons.findIndex((b) => b.classList.contains("mod-active"));
    buttons.forEach((b, i) => {
      if (b.getAttribute("role") !== "radio") b.setAttribute("role", "radio");
      const checked = String(i === active);
      if (b.getAttribute("aria-checked") !== checked) b.setAttribute("aria-checked", checked);
      const tab = i === (active < 0 ? 0 : active) ? 0 : -1;
      if (b.tabIndex !== tab) b.tabIndex = tab;
    });
  }
}

function patchLists(root) {
  // A multi-select is described by the keyboard hint right under it (if there is one).
  for (const select of root.querySelectorAll("select[multiple]")) {
    const host = select.closest(".widget-select-multiple");
    let hint = null;
    for (let el = host; el && !hint; el = el.parentElement) {
      const next = el.nextElementSibling;
      hint = next && next.querySelector(".policykit-hint");
      if (el.parentElement === root) break;
    }
    if (!hint) continue;
    if (!hint.id) hint.id = uid("policykit-hint");
    if (select.getAttribute("aria-describedby") !== hint.id) {
      select.setAttribute("aria-describedby", hint.id);
    }
  }
}

const RUN_KEYS = new Set(["Tab", "Escape"]);

function onKey(event) {
  const target = event.target;
  if (!(target instanceof HTMLElement)) return;
  // Keys typed in a control are the control's: not JupyterLab's command-mode shortcuts
  // (digits make a heading, "a"/"b" insert cells, Ctrl+A selects every cell). Tab, Escape
  // and Shift/Ctrl+Enter (run the cell) still reach the notebook.
  if (target.matches("select, input, textarea, button, summary")
      && !RUN_KEYS.has(event.key) && !(event.key === "Enter" && (event.shiftKey
                                                                || event.ctrlKey
                                                                || event.metaKey))) {
    event.stopPropagation();
  }
  if (target.getAttribute("role") !== "radio") return;
  const box = target.parentElement;
  if (!box || box.getAttribute("role") !== "radiogroup") return;
  const buttons = [...box.querySelectorAll(":scope > button:not([disabled])")];
  const i = buttons.indexOf(target);
  let next = -1;
  if (event.key === "ArrowRight" || event.key === "ArrowDown") next = (i + 1) % buttons.length;
  else if (event.key === "ArrowLeft" || event.key === "ArrowUp") {
    next = (i - 1 + buttons.length) % buttons.length;
  } else if (event.key === "Home") next = 0;
  else if (event.key === "End") next = buttons.length - 1;
  if (next < 0) return;
  event.preventDefault();
  event.stopPropagation();  // not JupyterLab's "select the cell below"
  buttons[next].focus();
  buttons[next].click();
}

function guard(event) {
  // Notebook 7 (and other Lumino apps listening in the capture phase) would take arrow keys,
  // letters and Ctrl+A pressed in a menu, list or option of an explorer for its own
  // command-mode shortcuts and cancel them. Stop them before they get there (the control's
  // own action still happens); run the option groups' arrow keys from here.
  const target = event.target;
  if (!(target instanceof HTMLElement) || !target.closest(".policykit-explorer")) return;
  if (!target.matches("select, button, summary")) return;
  if (RUN_KEYS.has(event.key)) return;
  if (event.key === "Enter" && (event.shiftKey || event.ctrlKey || event.metaKey)) return;
  event.stopPropagation();
  onKey(event);
}

function attach(root) {
  if (!globalThis.__policykit_key_guard__) {
    globalThis.__policykit_key_guard__ = true;
    window.addEventListener("keydown", guard, true);
  }
  root.setAttribute("data-lm-suppress-shortcuts", "true");
  const patch = () => { patchGroups(root); patchLists(root); };
  const observer = new MutationObserver(patch);
  observer.observe(root, { subtree: true, childList: true, attributes: true,
                           attributeFilter: ["class"] });
  root.addEventListener("keydown", onKey);
  patch();
  return () => { observer.disconnect(); root.removeEventListener("keydown", onKey); };
}

function render({ el }) {
  el.classList.add("policykit-a11y");
  let detach = null;
  let tries = 0;
  let alive = true;
  // The view is put into its explorer after it is rendered: wait until it is there.
  const find = () => {
    if (!alive) return;
    const root = el.closest(".policykit-explorer");
    if (root) { detach = attach(root); return; }
    if ((tries += 1) < 600) setTimeout(find, 50);
  };
  find();
  return () => { alive = false; if (detach) detach(); };
}

export default { render };
"""


class Accessibility(anywidget.AnyWidget):
    """Keyboard and screen-reader semantics plus focus styles for the explorer holding it.

    Invisible; put one in an explorer's children. See the module docstring.
    """

    _esm = traitlets.Unicode(_ESM).tag(sync=True)
    _css = traitlets.Unicode(_CSS).tag(sync=True)


def _cell(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=False)


def table_html(table: pd.DataFrame, caption: str = "") -> str:
    """``table`` as an HTML table with a caption and column headers (``scope='col'``)."""
    head = "".join(f"<th scope='col'>{_cell(c)}</th>" for c in table.columns)
    rows = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>"
                   for row in table.itertuples(index=False, name=None))
    cap = f"<caption>{_cell(caption)}</caption>" if caption else ""
    return (f"<table class='policykit-data'>{cap}<thead><tr>{head}</tr></thead>"
            f"<tbody>{rows}</tbody></table>")
