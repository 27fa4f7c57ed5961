"""The plotly.js bundle policykit ships: a partial build that draws every trace it uses.

plotly.py's own ``plotly.min.js`` is the full library (about 4.8 MB). policykit only draws
``scatter`` and ``bar`` traces, so it vendors plotly.js's *basic* partial bundle
(``plotly.js-basic-dist-min``: ``scatter``, ``bar``, ``pie``; about 1.2 MB) of the same version
plotly.py targets, with its MIT licence, under ``policykit/_vendor/plotlyjs/``. The explorers'
figure widget receives it once per page; static fallbacks embed it once per notebook.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = ["TRACE_TYPES", "VERSION", "bundle_bytes", "bundle_text"]

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
