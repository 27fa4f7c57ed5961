"""The explorers' figure widget in a real browser: JupyterLab 4, Notebook 7 and Voila.

What is checked (headless Chromium, each server on a free loopback port with Jupyter's state
in a temporary directory, always stopped with its kernels afterwards):

- the widget draws its plot (plotly.js SVG) in JupyterLab, Notebook 7 and Voila;
- the page asks the kernel for plotly.js once, however many explorers and notebooks it shows:
  counted both by the page (``__policykit_plotlyjs__.requests``) and on the wire (the
  widget's custom messages carrying the bundle);
- plotly.js is not left behind as a global (``window.Plotly``), and a redraw after a control
  change works;
- after a page reload the explorers are drawn again (the new page asks once more);
- the widget state JupyterLab saves in the notebook is small and holds no plotly.js.

JupyterLab and Notebook 7 run on this test process's shared server (``_browser.shared_lab``,
which saves widget state with a notebook), each test in a folder of its own (own kernels,
shut down afterwards); Chromium is shared too (a fresh browser context per test).
Screenshots go to ``test-artifacts/`` when a test fails, or always with
``POLICYKIT_BROWSER_ARTIFACTS=1``.

Skipped only where Chromium or Playwright is absent (the reason is printed); with
``POLICYKIT_REQUIRE_BROWSER=1`` (CI) a missing Chromium is a failure instead.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from _browser import (  # noqa: F401 (browser_fixture: the browser fixture)
    ARTIFACTS,
    browser_fixture,
    free_port,
    fresh_page,
    in_voila,
    isolated_env,
    open_and_run_all,
    serve,
    shared_lab,
    shoot,
    shutdown_kernels,
    voila_args,
    write_notebook,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

PLOT = ".js-plotly-plot .main-svg"
BUNDLE = Path(__file__).resolve().parents[1] / "policykit" / "_vendor" / "plotlyjs" / \
    "plotly-basic.min.js"
REQUESTS = "() => (globalThis.__policykit_plotlyjs__ || {requests: 0}).requests"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

#: Two explorers in one notebook, one in another.
FIRST = ["from policykit import explore",
         "explore.positions('h145-117.2022')",
         "explore.letter('diplomacy')"]
SECOND = ["from policykit import explore", "explore.timeline(as_known_on='2022-10-25')"]


class Wire:
    """Counts the kernel messages that send plotly.js to the figure widget.

    Those are the widget's custom messages (``{"type": "plotlyjs"}``) with the bundle as a
    binary buffer. (The first explorer of each kernel also carries plotly.js inside its
    ``text/html`` static fallback, for nbconvert and feedback pages; a live page does not run
    it. Those frames are counted apart, in ``fallbacks``.) Either is over 0.3 MB.
    """

    def __init__(self, page) -> None:
        self.bundles = 0
        self.fallbacks = 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload: str | bytes) -> None:
        data = payload.encode() if isinstance(payload, str) else payload
        if len(data) < 300_000:  # the bundle is 0.39 MB gzip-compressed, 1.19 MB plain
            return
        if b'"plotlyjs"' in data and b'"custom"' in data:
            self.bundles += 1
        elif b"const packed" in data:
            self.fallbacks += 1


@pytest.fixture
def lab(request):
    """This process's JupyterLab server (it saves widget state with a notebook) and a folder
    of its own there, with the two notebooks; the folder's kernels are shut down afterwards.
    Yields the server's URL, the folder's name and its path."""
    base, root = shared_lab()
    folder = "widget-" + request.node.name
    (root / folder).mkdir()
    write_notebook(root / folder, "first.ipynb", FIRST)
    write_notebook(root / folder, "second.ipynb", SECOND)
    ARTIFACTS.mkdir(exist_ok=True)
    yield base, folder, root / folder
    shutdown_kernels(base, folder)


def _plots(page, selector: str, count: int, timeout_ms: int = 180_000) -> None:
    for i in range(count):
        page.locator(f"{selector} {PLOT} >> visible=true").nth(i).wait_for(
            state="visible", timeout=timeout_ms)


#: The window of the JupyterLab and Notebook 7 widget tests.
VIEWPORT = {"width": 1400, "height": 1200}


def _run_first(page, url: str, base: str, folder: str) -> Wire:
    """Open the first notebook at ``url``, Run All and wait for its two figures; return the
    :class:`Wire` that has watched the page's kernel messages from the start."""
    wire = Wire(page)
    page.goto(url, timeout=90_000)
    open_and_run_all(page, base, folder)
    _plots(page, ".policykit-explorer", 2)
    return wire


def test_jupyterlab_two_notebooks_one_plotlyjs_reload_and_saved_state(browser, lab):
    base, folder, root = lab
    with fresh_page(browser, "widget-lab", viewport=VIEWPORT) as page:
        wire = _run_first(page, f"{base}/lab/tree/{folder}/first.ipynb?reset", base, folder)
        assert page.evaluate("() => typeof window.Plotly") == "undefined"

        # A second notebook in the same page (its own kernel): no second download.
        page.locator(".jp-DirListing-item[title*='second.ipynb']").dblclick()
        page.locator(".jp-Notebook .jp-Cell >> visible=true").nth(1).wait_for(
            timeout=90_000)  # the first notebook's cells are hidden now
        open_and_run_all(page, base, folder)
        _plots(page, ".policykit-timeline", 1)
        assert page.evaluate(REQUESTS) == 1
        assert wire.bundles == 1

        # A control change redraws through Plotly.react.
        page.locator(".jp-DirListing-item[title*='first.ipynb']").dblclick()
        pos = page.locator(".policykit-positions").first
        pos.get_by_role("radio", name="Letter signers").click()
        page.wait_for_function(
            "() => document.querySelectorAll('.policykit-positions .scatterlayer "
            ".point').length === 30", timeout=60_000)  # the letter's 30 signers
        shoot(page, "widget-lab-two-notebooks.png")

        # Save both (widget state included), then reload the page.
        for name in ("first.ipynb", "second.ipynb"):
            page.locator(f".jp-DirListing-item[title*='{name}']").dblclick()
            page.keyboard.press("Control+s")
        page.wait_for_function(
            "() => !document.querySelector('.jp-mod-dirty')", timeout=30_000)
        page.reload(timeout=90_000)
        _plots(page, ".policykit-explorer", 1)
        assert page.evaluate(REQUESTS) == 1  # the new page asked once
        assert wire.bundles == 2  # once per page, over the whole test

    saved = nbformat.read(root / "first.ipynb", as_version=4)
    state = saved.metadata["widgets"][WIDGET_STATE]["state"]
    text = json.dumps(state)
    views = [s for s in state.values()
             if s["state"].get("_anywidget_id", "").endswith(".PlotlyView")]
    assert len(views) == 2  # the two explorers' figure views
    assert "plotly.js (basic - minified)" not in text and "Plotly, Inc." not in text
    assert len(text.encode()) < 2 * 300_000  # issue 9: <= 300 KB per explorer
    bundle = BUNDLE.read_text(encoding="utf-8")
    assert json.dumps(saved.dict()).count(bundle[:2000]) <= 1  # the static fallback's copy


def test_notebook7_renders_the_widget_and_loads_plotlyjs_once(browser, lab):
    base, folder, _ = lab
    with fresh_page(browser, "widget-notebook7", viewport=VIEWPORT) as page:
        wire = _run_first(page, f"{base}/notebooks/{folder}/first.ipynb", base, folder)
        title = page.locator(".policykit-positions .gtitle").first.text_content() or ""
        assert "Additional Ukraine Supplemental" in title
        assert page.evaluate(REQUESTS) == 1 and wire.bundles == 1
        shoot(page.locator(".policykit-positions").first,
              "widget-notebook7-positions.png")


def test_voila_renders_the_widget_and_loads_plotlyjs_once(browser, tmp_path):
    def check(page, base):
        wire = Wire(page)
        page.goto(base + "/", timeout=120_000, wait_until="commit")
        _plots(page, ".policykit-explorer", 2, timeout_ms=120_000)
        assert page.evaluate(REQUESTS) == 1 and wire.bundles == 1
        shoot(page, "widget-voila.png")

    in_voila(browser, tmp_path, check, label="widget-voila",
             viewport={"width": 1400, "height": 1200}, name="first.ipynb", cells=FIRST)


def test_exported_html_draws_every_figure_offline(browser, tmp_path):
    """nbconvert's HTML of the four explorers (static view) draws with no network."""
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in (
        "from policykit import explore",
        "explore.positions('h145-117.2022')",
        "explore.words_vs_votes(['h65-117.2022', 'h66-117.2022', 'h145-117.2022'])",
        "explore.timeline(as_known_on='2022-10-25')",
        "explore.letter('diplomacy')")]
    # A feedback page's notebook carries no widget state: nbconvert shows the static view.
    NotebookClient(nb, timeout=300, kernel_name="python3", store_widget_state=False).execute()
    body, _ = HTMLExporter().from_notebook_node(nb)
    page_file = tmp_path / "explorers.html"
    page_file.write_text(body, encoding="utf-8")
    assert len(body.encode()) <= 1_500_000  # issue 9: an exported page <= 1.5 MB

    with fresh_page(browser, "widget-exported-html",
                    viewport={"width": 1300, "height": 1000}) as page:
        fetched: list[str] = []

        def offline(route) -> None:
            fetched.append(route.request.url)
            route.abort()

        page.route("http*://**", offline)  # the page must need nothing from the network
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(page_file.as_uri(), timeout=60_000)
        page.wait_for_function(
            "() => document.querySelectorAll('.policykit-static .js-plotly-plot "
            ".main-svg').length >= 4", timeout=60_000)
        assert page.locator(".policykit-missing-js").count() == 0
        title = page.locator(".policykit-static .gtitle").first.text_content() or ""
        assert "Additional Ukraine Supplemental" in title
        assert page.locator(".policykit-static .scatterlayer .point").count() >= 430
        assert page.evaluate("() => typeof window.Plotly") == "undefined"
        assert not [e for e in errors
                    if "plotly" in e.lower() or "policykit" in e.lower()]
        shoot(page, "widget-exported-html.png")
