"""Real browser: Run All -> all four explorers visible, against four plain FigureWidgets.

One JupyterLab server, headless Chromium (the build the tests drive: ``_browser.chromium_path``),
two notebooks run in turn (ABAB..., each on a fresh copy so each run starts a fresh kernel,
which is shut down after):

- **explorers**: the four policykit explorers (``tests/_browser.py``'s notebook);
- **baseline**: four plain ``go.FigureWidget`` scatter plots of 435 points, each with a
  dropdown that redraws it (what issue 9 compares against).

Measured from the Run All click to every plot's SVG visible; also the bytes the page received
over the kernel websocket and how many frames carried a plotly.js bundle. Prints the medians
and their ratio (target: explorers <= 0.5 x baseline), per case: each case's four explorers
are a notebook of their own, run in turn with the baseline. Run:
``python benchmarks/bench_browser.py [--runs N] [--case ID ...]`` (default: every shipped
case).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat

import policykit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from _browser import (
    CHROMIUM_ARGS,
    chromium_path,
    free_port,
    isolated_env,
    lab_args,
    run_all,
    serve,
    write_notebook,
)

TARGET = 0.5
EXPLORERS = [".policykit-positions", ".policykit-words", ".policykit-timeline",
             ".policykit-letter"]
BASELINE = [f".baseline-{i}" for i in range(4)]
BASELINE_CELLS = [
    "import ipywidgets as widgets\nimport numpy as np\nimport plotly.graph_objects as go\n\n"
    "def plain(i):\n"
    "    rng = np.random.default_rng(i)\n"
    "    fig = go.FigureWidget(go.Scatter(x=rng.normal(size=435), y=rng.normal(size=435),\n"
    "                                     mode='markers', hovertext=[f'member {k}' for k in "
    "range(435)]))\n"
    "    menu = widgets.Dropdown(options=['a', 'b', 'c'], description='Redraw')\n"
    "    def redraw(change):\n"
    "        with fig.batch_update():\n"
    "            fig.data[0].y = rng.normal(size=435)\n"
    "    menu.observe(redraw, names='value')\n"
    "    box = widgets.VBox([menu, fig])\n"
    "    box.add_class(f'baseline-{i}')\n"
    "    return box",
    *[f"plain({i})" for i in range(4)],
]


def case_cells(case: str) -> list[str] | None:
    """The four explorers of ``case`` (None: the default case's notebook in tests/_browser)."""
    if case == policykit.list_cases()[0]:
        return None
    return ["from policykit import explore",
            *[f"explore.{name}(case={case!r})"
              for name in ("positions", "words_vs_votes", "timeline", "letter")]]


def write_baseline(root: Path, name: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in BASELINE_CELLS]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, root / name)
    return root / name


def shutdown_kernels(base: str) -> None:
    with urllib.request.urlopen(base + "/api/kernels", timeout=10) as response:
        kernels = json.load(response)
    for kernel in kernels:
        request = urllib.request.Request(f"{base}/api/kernels/{kernel['id']}", method="DELETE")
        with urllib.request.urlopen(request, timeout=30):
            pass


def run_once(browser, base: str, notebook: str, selectors: list[str]) -> dict[str, float]:
    """Open ``notebook``, Run All, wait for every plot; seconds and websocket bytes."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    received = {"bytes": 0, "bundles": 0}

    def on_frame(payload: str | bytes) -> None:
        received["bytes"] += len(payload)
        if len(payload) > 300_000:  # plotly.js travels in frames this large
            received["bundles"] += 1

    try:
        page = context.new_page()
        page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
        page.goto(f"{base}/lab/tree/{notebook}?reset", timeout=90_000)
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(
            timeout=120_000)
        page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
        start = time.monotonic()
        run_all(page)
        for selector in selectors:
            page.locator(f"{selector} .js-plotly-plot .main-svg").first.wait_for(
                state="visible", timeout=180_000)
        seconds = time.monotonic() - start
        return {"seconds": seconds, **received}
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each notebook")
    parser.add_argument("--case", action="append", default=None,
                        help="a case id (repeatable; default: every shipped case)")
    args = parser.parse_args()
    cases = args.case or policykit.list_cases()
    for case in cases:
        policykit.case(case)  # an unknown id raises its four-part error
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="pk-bench-browser-"))
    try:
        root = tmp / "root"
        root.mkdir()
        env = isolated_env(tmp / "jupyter")
        port = free_port()
        kinds = ["baseline", *[f"explorers:{case}" for case in cases]]
        results: dict[str, list[dict[str, float]]] = {kind: [] for kind in kinds}
        with serve(lab_args(port, root), port=port, env=env, cwd=root,
                   log=tmp / "lab.log", ready_path="/api/status") as base, \
                sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path(),
                                         args=CHROMIUM_ARGS, headless=True)
            try:
                for i in range(args.runs):
                    for kind in kinds:
                        name = f"{kind.replace(':', '-')}-{i}.ipynb"
                        if kind != "baseline":
                            write_notebook(root, name, case_cells(kind.split(":", 1)[1]))
                            selectors = EXPLORERS
                        else:
                            write_baseline(root, name)
                            selectors = BASELINE
                        result = run_once(browser, base, name, selectors)
                        shutdown_kernels(base)
                        results[kind].append(result)
                        print(f"run {i + 1} {kind:<28} {result['seconds']:6.2f} s  "
                              f"{result['bytes'] / 1e6:6.2f} MB over the websocket, "
                              f"{int(result['bundles'])} frame(s) > 0.3 MB", flush=True)
            finally:
                browser.close()
        base_s = statistics.median(r["seconds"] for r in results["baseline"])
        base_mb = statistics.median(r["bytes"] for r in results["baseline"]) / 1e6
        print(f"\nRun All -> all four plots visible (median of {args.runs}, same server, "
              "alternating):")
        print(f"  four plain FigureWidgets  {base_s:6.2f} s   {base_mb:6.2f} MB received")
        for case in cases:
            runs = results[f"explorers:{case}"]
            ours = statistics.median(r["seconds"] for r in runs)
            ours_mb = statistics.median(r["bytes"] for r in runs) / 1e6
            ratio = ours / base_s
            print(f"  case {case}: four explorers {ours:6.2f} s   {ours_mb:6.2f} MB received;"
                  f" ratio to baseline {ratio:5.2f} (target <= {TARGET})"
                  f"  {'within target' if ratio <= TARGET else 'OVER TARGET'}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
