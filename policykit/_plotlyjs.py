"""The plotly.js bundle policykit ships: a partial build that draws every trace it uses.

plotly.py's own ``plotly.min.js`` is the full library (about 4.8 MB). policykit only draws
``scatter`` and ``bar`` traces, so it vendors plotly.js's *basic* partial bundle
(``plotly.js-basic-dist-min``: ``scatter``, ``bar``, ``pie``; about 1.2 MB) of the same version
plotly.py targets, with its MIT licence, under ``policykit/_vendor/plotlyjs/``. The explorers'
figure widget receives it once per page; static fallbacks embed it once per notebook.
"""

from __future__ import annotations

import base64
import gzip
from functools import cache
from importlib import resources

__all__ = ["LOADER_GLOBAL", "TRACE_TYPES", "VERSION", "bundle_bytes", "bundle_gzip",
           "bundle_text", "loader_script"]

#: The plotly.js version of the vendored bundle (equal to plotly.py's, checked by a test).
VERSION = "4.1.1"
#: The trace types the vendored bundle can draw.
TRACE_TYPES = frozenset({"scatter", "bar", "pie"})
_FILE = "plotly-basic.min.js"


@cache
def bundle_bytes() -> bytes:
    """The vendored plotly.js bundle as UTF-8 bytes (read once per process).

    Examples
    --------
    >>> f"plotly.js (basic - minified) v{VERSION}".encode() in bundle_bytes()[:200]
    True
    """
    return resources.files("policykit").joinpath("_vendor", "plotlyjs", _FILE).read_bytes()


def bundle_text() -> str:
    """The vendored plotly.js bundle as text, for a ``<script>`` element."""
    return bundle_bytes().decode("utf-8")


@cache
def bundle_gzip() -> bytes:
    """The bundle gzip-compressed (about a third of its size), reproducibly (no timestamp).

    Examples
    --------
    >>> gzip.decompress(bundle_gzip()) == bundle_bytes(), bundle_gzip() == bundle_gzip()
    (True, True)
    """
    return gzip.compress(bundle_bytes(), compresslevel=9, mtime=0)


#: The page-level promise of plotly.js that static figures wait for.
LOADER_GLOBAL = "policykitPlotly"

_LOADER = """<script type="text/javascript">
window.{name} = window.{name} || (async () => {{
  // plotly.js {version} (basic partial bundle, MIT licence), gzip + base64, unpacked here.
  const packed = "{payload}";
  const bytes = Uint8Array.from(atob(packed), (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  const text = await new Response(stream).text();
  const module = {{ exports: {{}} }};
  const had = Object.prototype.hasOwnProperty.call(window, "Plotly");
  const before = window.Plotly;
  new Function("module", "exports", text)(module, module.exports);
  if (had) window.Plotly = before; else delete window.Plotly;
  return module.exports;
}})();
</script>"""


@cache
def loader_script() -> str:
    """A ``<script>`` that unpacks the embedded bundle into ``window.policykitPlotly``.

    The page gets plotly.js once, compressed (about 0.53 MB instead of 1.19 MB); figures
    draw with ``window.policykitPlotly.then(Plotly => Plotly.newPlot(...))``.
    """
    payload = base64.b64encode(bundle_gzip()).decode("ascii")
    return _LOADER.format(name=LOADER_GLOBAL, version=VERSION, payload=payload)
