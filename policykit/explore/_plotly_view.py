"""A small plotly figure widget on anywidget: plotly.js once per page, small widget state.

plotly's own ``go.FigureWidget`` (plotly >= 6) carries the whole plotly.js bundle in every
instance's ``_esm`` trait (about 5 MB per figure, sent per widget and saved per widget with
the notebook's widget state). :class:`PlotlyView` carries only a few KB of front-end code and
the figure as JSON (``traces``, ``plot_layout``, ``config``). The page asks the kernel for
plotly.js the first time a view renders (an anywidget custom message); the kernel answers with
the bundle vendored in the package (offline, as a binary buffer, gzip-compressed where the
browser has ``DecompressionStream``: 0.39 MB instead of 1.19 MB); the page keeps it in a
window-level promise, so every view of every notebook open in that page shares one copy. A
reloaded page asks again. Drawing is ``Plotly.react`` on each change.

Why not plotly's own ``FigureWidget``: its front-end module *is* plotly.js (the widget's
``_esm`` imports it statically), so every instance syncs and saves the bundle, and it imports
nbformat/jsonschema on first use. What would belong upstream: a small ``_esm`` for
``FigureWidget`` that loads plotly.js once per page (from the ``jupyterlab-plotly`` extension
plotly already installs, or on request from the kernel as here), and, in anywidget, a way to
share one large asset between instances without putting it in each instance's state.

Examples
--------
>>> import plotly.graph_objects as go
>>> view = PlotlyView(go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name="a")))
>>> view.traces[0]["x"], view.traces[0]["type"]
([1, 2], 'scatter')
>>> view.apply([{"y": [5, 6]}], {"title": {"text": "New"}})
>>> view.to_figure().data[0].y, view.to_figure().layout.title.text
((5, 6), 'New')
>>> len(view.get_state()["_esm"]) < 10_000  # no plotly.js in the widget state
True
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import anywidget
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import traitlets

from .. import _plotlyjs, figures

__all__ = ["PlotlyView", "jsonable"]

#: Requests for plotly.js this kernel has answered (a page asks once; tests read it).
_SENT = {"count": 0}

_ESM = r"""
const KEY = "__policykit_plotlyjs__";

function plotlyFor(model) {
  // One promise per page and plotly.js version, shared by every view of every notebook.
  const version = model.get("_plotlyjs_version");
  const cache = (globalThis[KEY] ??= { promises: {}, requests: 0 });
  if (!cache.promises[version]) {
    // No time limit: a kernel busy running cells (Run All) answers when it is free.
    cache.promises[version] = new Promise((resolve, reject) => {
      const onMsg = async (msg, buffers) => {
        if (!msg || msg.type !== "plotlyjs" || msg.version !== version) return;
        model.off("msg:custom", onMsg);
        try {
          let text;
          if (msg.encoding === "gzip") {  // a third of the size on the wire
            const stream = new Blob([buffers[0]]).stream()
              .pipeThrough(new DecompressionStream("gzip"));
            text = await new Response(stream).text();
          } else {
            text = new TextDecoder().decode(buffers[0]);
          }
          // The bundle is UMD: give it a CommonJS `module` so it returns plotly.js instead of
          // defining a global (it also sets window.Plotly, which is put back as it was).
          const had = Object.prototype.hasOwnProperty.call(globalThis, "Plotly");
          const before = globalThis.Plotly;
          const module = { exports: {} };
          new Function("module", "exports", text)(module, module.exports);
          if (had) globalThis.Plotly = before; else delete globalThis.Plotly;
          resolve(module.exports);
        } catch (err) {
          reject(err);
        }
      };
      model.on("msg:custom", onMsg);
      cache.requests += 1;
      model.send({ type: "plotlyjs?", version,
                   gzip: typeof DecompressionStream !== "undefined" });
    }).catch((err) => {
      delete cache.promises[version];  // let the next view (or a retry) ask again
      throw err;
    });
  }
  return cache.promises[version];
}

function clone(value) {
  return JSON.parse(JSON.stringify(value ?? null));
}

function plainTitle(layout) {
  // The figure's accessible name: its title (and subtitle) as plain text.
  const title = layout && layout.title;
  const text = typeof title === "string" ? title : (title && title.text) || "";
  const box = document.createElement("div");
  // A line break before the subtitle (a <span>) separates; one inside a title is a space.
  box.innerHTML = String(text).replace(/<br\s*\/?>\s*(?=<span)/gi, " — ")
    .replace(/<br\s*\/?>/gi, " ");
  return box.textContent.replace(/\s+/g, " ").trim() || "Figure";
}

function accessible(model, el) {
  // role="img" named by the title, described by the summary line; the data as a table.
  const ids = (globalThis.__policykit_ids__ ??= { n: 0 });
  const id = `policykit-fig-${Date.now().toString(36)}-${(ids.n += 1)}`;
  const figure = document.createElement("div");
  figure.className = "policykit-figure";
  figure.setAttribute("role", "img");
  const name = document.createElement("span");
  const desc = document.createElement("span");
  name.id = id + "-name";
  desc.id = id + "-desc";
  name.hidden = true;
  desc.hidden = true;
  figure.setAttribute("aria-labelledby", name.id);
  figure.setAttribute("aria-describedby", desc.id);
  const details = document.createElement("details");
  details.className = "policykit-data-details";
  const summary = document.createElement("summary");
  summary.textContent = "Show data";
  const table = document.createElement("div");
  table.className = "policykit-data-scroll";
  details.append(summary, table);
  const update = () => {
    name.textContent = plainTitle(model.get("plot_layout"));
    desc.textContent = model.get("description") || "";
    summary.textContent = "Show data: " + name.textContent;
    table.innerHTML = model.get("table_html") || "<p>Loading the table…</p>";
  };
  details.open = Boolean(model.get("table_open"));
  details.addEventListener("toggle", () => {
    if (model.get("table_open") !== details.open) {
      model.set("table_open", details.open);
      model.save_changes();
    }
  });
  const events = ["change:plot_layout", "change:description", "change:table_html"];
  for (const e of events) model.on(e, update);
  update();
  el.append(name, desc);
  return { figure, details, dispose: () => { for (const e of events) model.off(e, update); } };
}

async function render({ model, el }) {
  el.classList.add("policykit-plot");
  const div = document.createElement("div");
  div.style.width = "100%";
  const a11y = accessible(model, el);
  a11y.figure.append(div);
  const note = document.createElement("p");
  note.className = "policykit-plot-loading";
  note.style.cssText = "margin:0.5em 0;color:#444;font-size:0.9em";
  note.textContent = "Drawing the figure (plotly.js comes from the running kernel, once per page)…";
  el.append(note, a11y.figure, a11y.details);
  const slow = setTimeout(() => {
    note.textContent += " Still waiting: the kernel is busy, or this page has no running "
      + "kernel (an exported page: its static copy needs the notebook exported without "
      + "widget state). Run the cell in Jupyter to see it.";
  }, 20000);
  let Plotly;
  try {
    Plotly = await plotlyFor(model);
  } catch (first) {
    try {
      Plotly = await plotlyFor(model);  // the bundle did not evaluate: ask once more
    } catch (err) {
      clearTimeout(slow);
      note.className = "policykit-plot-error";
      note.textContent = "The figure could not be drawn: plotly.js did not load (" + err.message
        + "). Re-run the cell, or restart the kernel and run all cells.";
      return;
    }
  }
  clearTimeout(slow);
  note.remove();
  let pending = false;
  let alive = true;
  const draw = () => {
    pending = false;
    if (!alive) return;
    Plotly.react(div, clone(model.get("traces")), clone(model.get("plot_layout")),
                 clone(model.get("config")))
      .catch((err) => console.error("policykit: the figure could not be redrawn", err));
  };
  // One redraw per batch of changes (traces and layout arrive in one message).
  const schedule = () => {
    if (!pending) { pending = true; queueMicrotask(draw); }
  };
  model.on("change:traces", schedule);
  model.on("change:plot_layout", schedule);
  model.on("change:config", schedule);
  await Plotly.react(div, clone(model.get("traces")), clone(model.get("plot_layout")),
                     clone(model.get("config")));
  let width = 0;
  const resize = new ResizeObserver(() => {
    const now = div.clientWidth;
    if (alive && now && now !== width && div.layout !== undefined) {
      width = now;
      Plotly.Plots.resize(div);
    }
  });
  resize.observe(div);
  return () => {
    alive = false;
    a11y.dispose();
    resize.disconnect();
    model.off("change:traces", schedule);
    model.off("change:plot_layout", schedule);
    model.off("change:config", schedule);
    Plotly.purge(div);
  };
}

export default { render };
"""


def _date_strings(values: np.ndarray) -> list[str | None]:
    text = np.datetime_as_string(values.astype("datetime64[s]"), unit="s")
    return [None if t == "NaT" else t.replace("T", " ") for t in text.tolist()]


def _plain(values: Sequence[Any]) -> bool:
    """Whether every item is already a JSON scalar (str, int, bool or a float that is a number)."""
    for v in values:
        kind = type(v)
        if kind is float:
            if v != v:  # NaN
                return False
        elif kind is not str and kind is not int and kind is not bool:
            return False
    return True


def jsonable(value: Any) -> Any:
    """Convert figure properties to plain JSON values (lists, dicts, str, float, None).

    numpy arrays become lists, dates ``'YYYY-MM-DD HH:MM:SS'`` strings, NaN and NaT ``None``.

    Examples
    --------
    >>> jsonable({"x": np.array([1.5, np.nan]), "d": pd.Timestamp("2022-10-24")})
    {'x': [1.5, None], 'd': '2022-10-24 00:00:00'}
    """
    if isinstance(value, Mapping):
        if "bdata" in value and "dtype" in value:  # plotly's base64 typed-array encoding
            arr = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
            if "shape" in value:
                arr = arr.reshape([int(n) for n in str(value["shape"]).split(",")])
            return jsonable(arr)
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, np.ndarray | pd.Series | pd.Index):
        arr = np.asarray(value)
        kind = arr.dtype.kind
        if kind == "M":
            return _date_strings(arr)
        if kind == "f":
            return [None if math.isnan(v) else v for v in arr.tolist()]
        if kind in "iub" or arr.ndim > 1:
            return arr.tolist()
        items = arr.tolist()
        return items if _plain(items) else [jsonable(v) for v in items]
    if isinstance(value, str | bool | int) or value is None:
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, Sequence):
        if _plain(value):  # the common case (hover texts, sizes), without a call per item
            return list(value)
        return [jsonable(v) for v in value]
    if isinstance(value, pd.Timestamp | dt.datetime):
        return None if pd.isna(value) else value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, np.generic):
        return jsonable(value.item())
    if value is pd.NaT or (not isinstance(value, Sequence) and pd.isna(value)):
        return None
    return value


def _merge(base: dict[str, Any], update: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` updated like plotly's ``update``: dicts merge, anything else replaces."""
    out = dict(base)
    for key, value in update.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = jsonable(value)
    return out


def _figure_json(figure: go.Figure | Mapping[str, Any] | None) -> tuple[list, dict]:
    if figure is None:
        return [], {}
    spec = figure.to_plotly_json() if isinstance(figure, go.Figure) else dict(figure)
    traces = [jsonable(t) for t in spec.get("data", [])]
    layout = jsonable(spec.get("layout", {}))
    template = layout.get("template")
    if isinstance(template, dict) and isinstance(template.get("data"), dict):
        used = {t.get("type", "scatter") for t in traces}  # only the trace types drawn
        template["data"] = {k: v for k, v in template["data"].items() if k in used}
    return traces, layout


class PlotlyView(anywidget.AnyWidget):
    """A plotly figure as a small widget, drawn by plotly.js loaded once per page.

    Parameters
    ----------
    figure : plotly.graph_objects.Figure or dict, optional
        The figure to start from.
    config : dict, optional
        plotly.js config (default: no plotly logo, responsive).

    Notes
    -----
    Update with :meth:`apply` (per-trace properties and layout in one synced message); read
    with :meth:`to_figure` (a ``go.Figure`` copy of what is drawn).
    """

    _esm = traitlets.Unicode(_ESM).tag(sync=True)
    #: The traces as plotly.js JSON.
    traces = traitlets.List().tag(sync=True)
    #: The layout as plotly.js JSON (``layout`` is ipywidgets' CSS layout).
    plot_layout = traitlets.Dict().tag(sync=True)
    #: plotly.js config.
    config = traitlets.Dict().tag(sync=True)
    _plotlyjs_version = traitlets.Unicode(_plotlyjs.VERSION).tag(sync=True)
    #: The figure's accessible description (its summary line); its name is its title.
    description = traitlets.Unicode("").tag(sync=True)
    #: The figure's data as an HTML table, filled while "Show data" is open.
    table_html = traitlets.Unicode("").tag(sync=True)
    #: Whether the page shows the "Show data" table (set by the front end).
    table_open = traitlets.Bool(False).tag(sync=True)

    def __init__(self, figure: go.Figure | Mapping[str, Any] | None = None, *,
                 config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        traces, layout = _figure_json(figure)
        # No plotly toolbar: its buttons were most of an explorer's Tab stops, and inside a
        # role="img" figure they would be hidden from screen readers.
        cfg = {"displaylogo": False, "responsive": True, "displayModeBar": False,
               **(config or {})}
        super().__init__(traces=traces, plot_layout=layout, config=cfg, **kwargs)
        self._snapshot: tuple[int, go.Figure] | None = None
        self._revision = 0
        #: Returns the figure's data table as HTML (set by the explorer); called only while
        #: the table is shown, so a control change costs nothing more while it is closed.
        self.table_source: Callable[[], str] | None = None
        self.observe(self._bump, names=["traces", "plot_layout"])
        self.observe(self._on_table_open, names=["table_open"])
        self.on_msg(_answer_plotlyjs_request)

    def _on_table_open(self, change: Any = None) -> None:
        self.refresh_table()

    def refresh_table(self) -> None:
        """Recompute the data table if it is shown (after the explorer's state changed)."""
        if self.table_open and self.table_source is not None:
            self.table_html = self.table_source()

    def _bump(self, change: Any = None) -> None:
        self._revision += 1

    def apply(self, trace_data: Sequence[Mapping[str, Any]] = (),
              layout: Mapping[str, Any] | None = None) -> None:
        """Update traces (in order) and the layout in one message to the front end.

        Dicts merge into what is there (as plotly's ``update`` does); lists and other values
        replace it, so ``shapes`` or ``annotations`` given here replace the old ones.
        """
        traces = list(self.traces)
        for i, props in enumerate(trace_data):
            if i < len(traces):
                traces[i] = _merge(traces[i], props)
        new_layout = _merge(self.plot_layout, layout or {})
        with self.hold_sync():
            self.traces = traces
            self.plot_layout = new_layout

    def update_layout(self, **props: Any) -> None:
        """Merge layout properties, e.g. ``view.update_layout(height=400)``."""
        self.apply((), props)

    def to_figure(self) -> go.Figure:
        """A ``go.Figure`` of what the view draws (a copy: changing it changes nothing)."""
        if self._snapshot is None or self._snapshot[0] != self._revision:
            fig = _to_figure(self.traces, self.plot_layout)
            self._snapshot = (self._revision, fig)
        return self._snapshot[1]


#: Validated templates by their JSON text (a view's template is one of a few: plotly_white
#: with the trace types drawn).
_TEMPLATES: dict[str, go.layout.Template] = {}


def _to_figure(traces: list, layout: dict) -> go.Figure:
    """``go.Figure({"data": traces, "layout": layout}, skip_invalid=True)``, the template
    validated once per distinct template rather than per call (it was most of the work)."""
    template = layout.get("template")
    if not isinstance(template, dict) or not template:
        return go.Figure({"data": traces, "layout": layout}, skip_invalid=True)
    key = json.dumps(template)
    if key not in _TEMPLATES:
        if len(_TEMPLATES) >= 16:
            _TEMPLATES.clear()
        _TEMPLATES[key] = go.layout.Template(template, skip_invalid=True)
    # An empty template holds the template's place in the layout; the validated one replaces
    # it unvalidated (a copy), as plotly sets its default template.
    fig = go.Figure({"data": traces, "layout": {**layout, "template": {}}}, skip_invalid=True)
    return figures._set_template(fig, _TEMPLATES[key])


def _answer_plotlyjs_request(widget: PlotlyView, content: Any, buffers: Any) -> None:
    """Send the vendored plotly.js to the page that asked (once per page)."""
    if isinstance(content, dict) and content.get("type") == "plotlyjs?":
        _SENT["count"] += 1
        packed = bool(content.get("gzip"))
        widget.send({"type": "plotlyjs", "version": _plotlyjs.VERSION,
                     "encoding": "gzip" if packed else "identity"},
                    buffers=[_plotlyjs.bundle_gzip() if packed else _plotlyjs.bundle_bytes()])
