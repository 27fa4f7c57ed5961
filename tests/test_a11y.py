"""Explorers for every learner: screen readers, keyboards and contrast (issue 12).

In a real browser (headless Chromium; JupyterLab 4, Notebook 7 and Voila, each on a free
loopback port with Jupyter's state in a temporary directory), for each of the four explorers:

- **axe-core** (from npm, installed by :func:`axe_script` into a cache folder outside the repo)
  with the WCAG 2.0/2.1 A and AA rules, scoped to the explorer's output element: 0 violations,
  and the image rule (``role-img-alt``) and ``color-contrast`` must have run and passed. With
  ``POLICYKIT_BROWSER_ARTIFACTS=1`` the whole page is audited too and its violations printed
  (JupyterLab's and Notebook 7's own chrome is not ours; see the printed list): information,
  not a check, and 1.5-4.5 s of Chromium's CPU per page, so not by default.
- **The accessibility tree** (Chromium's, through the DevTools protocol): every figure is an
  image with a name (its title) and a description equal to its summary line.
- **A keyboard walk** from a focusable point just before the explorer: Tab reaches every
  control within two Tab stops per control; each control is then operated from the keyboard
  (arrow keys in option groups and menus, Shift/Ctrl keys in lists, typing in date and text
  boxes, Enter on "Show data") and the figure or summary must change.
- **Contrast**: the focus outline of every control against the background (>= 3:1, at least
  2 px), the selected option of every group against an unselected one (>= 3:1), and every
  bar label against its bar (>= 4.5:1), measured from computed colours.

The measured figures (axe results, Tab stops, contrast ratios) are printed (``-s``) and
saved to ``test-artifacts/a11y-<front end>.json``; a screenshot of the page goes there when
the audit fails, or always with ``POLICYKIT_BROWSER_ARTIFACTS=1``. JupyterLab and Notebook 7
run on this test process's shared server (``_browser.shared_lab``), each test with its own
notebook and kernel; Chromium is shared too (a fresh browser context per test).

Skipped only where Chromium, Playwright or npm is absent (the reason is printed); with
``POLICYKIT_REQUIRE_BROWSER=1`` (CI) that is a failure instead.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from _browser import (  # noqa: F401 (browser_fixture: the browser fixture)
    ARTIFACTS,
    ARTIFACTS_VAR,
    browser_fixture,
    free_port,
    fresh_page,
    in_voila,
    isolated_env,
    open_and_run_all,
    run_all,
    serve,
    settle,
    shared_lab,
    shoot,
    shutdown_kernels,
    voila_args,
    wait_kernels_idle,
    want_artifacts,
    write_notebook,
)

from policykit import explore, figures

EXPLORERS = ["positions", "words", "timeline", "letter"]
PLOT = ".js-plotly-plot .main-svg"
#: axe-core from npm, kept outside the repository (CI's .ci/run installs the same).
AXE_DIR = Path(os.environ.get("POLICYKIT_AXE_DIR", "/opt/policykit-axe"))
AXE_VERSION = "4.14.1"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

CELLS = [
    "from policykit import explore",
    "explore.positions('h145-117.2022')",
    "explore.words_vs_votes()",
    "explore.timeline()",
    "explore.letter('diplomacy')",
]


# --- Without a browser: the static fallback and the colours ----------------------------------

@pytest.mark.parametrize("build", [
    lambda: explore.positions("h145-117.2022"), lambda: explore.words_vs_votes(),
    lambda: explore.timeline(), lambda: explore.letter("diplomacy")],
    ids=EXPLORERS)
def test_static_fallback_figures_are_named_described_and_have_their_data(build):
    ex = build()
    text = ex.static_html()
    figs = re.findall(r"<div class='policykit-figure' role='img' aria-label='([^']+)' "
                      r"aria-describedby='([^']+)'>", text)
    assert figs, "no figure with role='img', a name and a description"
    for name, summary_id in figs:
        assert name and name != "Figure"
        line = re.search(f"<p class='policykit-summary' id='{summary_id}'>([^<]+)</p>", text)
        assert line is not None, f"aria-describedby={summary_id!r} points at no summary line"
    # The grid's own summary line describes the grid (the last figure).
    assert html.unescape(figs[-1][0]) == figures.plain_title(ex.figure)
    assert "<details class='policykit-data-details'>" in text
    assert "<summary>Show data" in text and "<th scope='col'>" in text


def _last_details(text: str) -> str:
    start = text.rindex("<details")
    return text[start:text.index("</details>", start)]


def test_static_data_tables_hold_all_the_data():
    """The issue's gaps: the 30 x 15 grid, every timeline item, the letter's counts."""
    words = explore.words_vs_votes().static_html()
    grid = _last_details(words)
    assert grid.count("<tr>") == 1 + 30  # header + the letter's 30 signers (public record)
    assert grid.count("<th scope='col'>Roll ") == 15  # the 15 House roll calls of 2022
    assert "Roll 65" in grid and "Roll 145" in grid
    timeline = explore.timeline()
    text = timeline.static_html()
    data = _last_details(text)
    assert data.count("<tr>") == 1 + len(timeline.model.frame())
    letter = explore.letter("direct talks").static_html()
    counts = _last_details(letter)
    # 'direct talks': 1 of the 15 verified passages (the letter's "direct talks" passage).
    assert "<td>1</td><td>14</td>" in counts


def test_live_data_table_follows_the_controls_only_while_open():
    ex = explore.positions("h145-117.2022")
    assert ex.view.table_html == ""  # closed: nothing computed per change
    ex.view.table_open = True
    assert ex.view.table_html.count("<tr>") == 1 + 430  # 430 members voted or not (roll 145)
    ex.controls["signers"].value = "signers"
    assert ex.view.table_html.count("<tr>") == 1 + 30  # the letter's 30 signers
    assert ex.view.description == ex.summary_text


def test_bar_label_colours_meet_wcag_aa():
    # WCAG's examples: black on white is 21:1; #777777 on white 4.48:1 (just below AA).
    assert figures.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert figures.contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    for pos, style in figures.POSITION_STYLE.items():
        label = figures.text_colour(style["color"])
        ratio = figures.contrast_ratio(label, style["color"])
        print(f"bar label {label} on {pos} {style['color']}: {ratio:.2f}:1")
        assert ratio >= 4.5
    fig = explore.letter("talks").figure
    for trace in fig.data:
        ratio = figures.contrast_ratio(trace.insidetextfont.color, trace.marker.color)
        print(f"bar label {trace.insidetextfont.color} on {trace.marker.color}: {ratio:.2f}:1")
        assert ratio >= 4.5


def test_multi_select_hints_state_the_keyboard_behaviour():
    words = explore.words_vs_votes()
    for text in (words.rollcalls_hint.value, explore.timeline().lanes_hint.value):
        assert "Shift+arrow selects a range" in text
        assert "Ctrl+A selects all" in text
        assert "an arrow key alone selects only the next item" in text
    words.controls["rollcalls"].value = ()
    assert "Ctrl+A in the list selects all of them again" in words.message_text


# --- In a real browser ---------------------------------------------------------------------

def _skip_or_fail(reason: str) -> None:
    if os.environ.get("POLICYKIT_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + " POLICYKIT_REQUIRE_BROWSER=1 is set, so this is a failure.")
    print(f"SKIPPED: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe.min.js from npm, installed once into ``AXE_DIR`` (outside the repository)."""
    path = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not path.exists():
        npm = shutil.which("npm")
        if npm is None:
            _skip_or_fail("npm not found: install Node.js (apt-get install npm) to get "
                          "axe-core for the accessibility tests.")
        subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", str(AXE_DIR),
                        f"axe-core@{AXE_VERSION}"], check=True, capture_output=True,
                       timeout=300)
    return path


@pytest.fixture
def lab(request):
    """This process's JupyterLab server and a folder of its own there, with the notebook;
    the folder's kernels are shut down afterwards."""
    base, root = shared_lab()
    folder = "a11y-" + request.node.name
    (root / folder).mkdir()
    write_notebook(root / folder, "a11y.ipynb", CELLS)
    ARTIFACTS.mkdir(exist_ok=True)
    yield base, folder
    shutdown_kernels(base, folder)


AXE_RUN = """
async (root, tags) => {
  const scope = root.closest('.jp-OutputArea-output') || root;
  const r = await axe.run(scope, {runOnly: {type: 'tag', values: tags},
                                  resultTypes: ['violations', 'incomplete', 'passes']});
  const short = (list) => list.map((v) => ({id: v.id, impact: v.impact, count: v.nodes.length,
    nodes: v.nodes.slice(0, 4).map((n) => n.target.join(' ') + ' :: '
                                    + (n.failureSummary || '').replace(/\\s+/g, ' '))}));
  return {violations: short(r.violations), incomplete: short(r.incomplete),
          passes: r.passes.map((p) => p.id)};
}
"""

AXE_PAGE = """
async (tags) => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return r.violations.map((v) => `${v.id} (${v.nodes.length}): `
    + v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', '));
}
"""

#: The explorer's controls, each once (an option group counts once), in document order.
CONTROLS = r"""
(root) => {
  const shown = (el) => el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== 'hidden';
  const out = [];
  let n = 0;
  for (const el of root.querySelectorAll(
      '[role=radiogroup], select, input, textarea, summary, button:not([role=radio]), a[href]')) {
    if (!shown(el) || el.disabled) continue;
    el.dataset.pkControl = String(n++);
    const label = el.getAttribute('role') === 'radiogroup'
      ? document.getElementById(el.getAttribute('aria-labelledby') || '')?.textContent
      : (el.labels && el.labels[0] ? el.labels[0].textContent : el.textContent);
    out.push({id: el.dataset.pkControl, kind: el.getAttribute('role') === 'radiogroup'
      ? 'radiogroup' : (el.tagName.toLowerCase() + (el.multiple ? '[multiple]' : '')
                        + (el.type && el.tagName === 'INPUT' ? `[${el.type}]` : '')),
      label: (label || '').trim().slice(0, 60)});
  }
  return out;
}
"""

#: Which control has the focus (its data-pk-control), or null outside the explorer.
FOCUSED = """
(root) => {
  const a = document.activeElement;
  if (!a || !root.contains(a)) return null;
  const c = a.closest('[data-pk-control]');
  return c ? c.dataset.pkControl : 'other:' + a.tagName;
}
"""

START = """
(root) => {
  document.getElementById('pk-start')?.remove();
  const b = document.createElement('button');
  b.id = 'pk-start';
  b.textContent = 'start of the explorer';
  root.before(b);
  b.focus();
}
"""

#: What a learner sees change: the explorer's text (summary lines, lists, open tables) and
#: its plots (text and marks).
STATE = """
(root) => root.innerText + '|' + [...root.querySelectorAll('.main-svg')]
  .map((e) => e.textContent + ':' + e.querySelectorAll('path, text').length
       + ':' + [...e.querySelectorAll('.point path')].map((p) => p.getAttribute('d'))
         .join('').length).join('|')
"""

#: Colour maths in the page (WCAG 2 relative luminance), used by the contrast checks.
COLOUR_JS = r"""
window.__pkColour = (() => {
  const parse = (c) => {
    const m = String(c).match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const ratio = (a, b) => {
    const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) return c;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  return {parse, ratio, background};
})();
"""

FOCUS_STYLE = """
(root) => {
  const a = document.activeElement;
  const cs = getComputedStyle(a);
  const C = window.__pkColour;
  const outline = C.parse(cs.outlineColor);
  const width = parseFloat(cs.outlineWidth) || 0;
  const visible = cs.outlineStyle !== 'none' && width > 0 && outline && outline.a > 0;
  const bg = C.background(a.parentElement);
  return {visible, width, colour: cs.outlineColor,
          ratio: visible ? C.ratio(outline, bg) : 0};
}
"""

SELECTED_STYLE = """
(root) => {
  const C = window.__pkColour;
  const out = [];
  for (const g of root.querySelectorAll('[role=radiogroup]')) {
    const on = g.querySelector('[aria-checked=true]');
    const off = g.querySelector('[aria-checked=false]');
    if (!on || !off) continue;
    const a = C.background(on), b = C.background(off);
    out.push({group: g.getAttribute('aria-labelledby') &&
                     document.getElementById(g.getAttribute('aria-labelledby')).textContent,
              ratio: C.ratio(a, b),
              text: C.ratio(C.parse(getComputedStyle(on).color), a)});
  }
  return out;
}
"""

BAR_LABELS = r"""
(root) => {
  const C = window.__pkColour;
  const out = [];
  for (const point of root.querySelectorAll('.bars .point')) {
    const text = point.querySelector('text');
    const bar = point.querySelector('path');
    if (!text || !bar || !text.textContent.trim()) continue;
    const fg = C.parse(getComputedStyle(text).fill);
    let fill = getComputedStyle(bar).fill;
    const ref = fill.match(/url\("?#([^")]+)"?\)/);
    if (ref) {  // a patterned bar: its colour is the pattern's background rectangle
      const rect = document.getElementById(ref[1])?.querySelector('rect');
      fill = rect ? getComputedStyle(rect).fill : fill;
    }
    const bg = C.parse(fill);
    if (!fg || !bg) { out.push({text: text.textContent, ratio: 0, fill}); continue; }
    out.push({text: text.textContent, ratio: C.ratio(fg, bg)});
  }
  return out;
}
"""

#: Every piece of text in the explorer against what is behind it, measured here because axe
#: leaves some undecided ("needs review": a menu's arrow image behind its text, plot text
#: over the plot): HTML text against the nearest background colour, plot text against the
#: bar under it (see BAR_LABELS) or the plot's background. WCAG 1.4.3: 4.5:1, or 3:1 for
#: large text (24 px, or 18.66 px bold).
TEXT_CONTRAST = r"""
(root) => {
  const C = window.__pkColour;
  const out = [];
  const large = (cs) => parseFloat(cs.fontSize) >= 24
    || (parseFloat(cs.fontSize) >= 18.66 && Number(cs.fontWeight) >= 700);
  const shown = (el) => el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== 'hidden';
  for (const el of root.querySelectorAll('*')) {
    const svg = el instanceof SVGElement;
    if (svg && el.tagName.toLowerCase() !== 'text') continue;
    if (!svg && ![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
      continue;
    if (!shown(el) || el.closest('[aria-hidden=true]') || el.closest('.bars .point')) continue;
    const cs = getComputedStyle(el);
    const fg = C.parse(svg ? cs.fill : cs.color);
    if (!fg || fg.a === 0) continue;
    let bg;
    if (svg) {
      const plot = el.closest('.js-plotly-plot');
      const rect = plot && plot.querySelector('.main-svg .bg');
      bg = (rect && C.parse(getComputedStyle(rect).fill)) || C.background(plot || el);
      if (bg.a === 0) bg = C.background(plot || el);
    } else {
      bg = C.background(el);
    }
    const ratio = C.ratio(fg, bg);
    out.push({text: (el.textContent || '').trim().slice(0, 40), ratio,
              need: large(cs) ? 3 : 4.5});
  }
  return out;
}
"""

FIGURES_DOM = """
(root) => [...root.querySelectorAll('.policykit-figure')].map((f) => ({
  name: document.getElementById(f.getAttribute('aria-labelledby') || '')?.textContent || '',
  description: document.getElementById(f.getAttribute('aria-describedby') || '')?.textContent
    || ''}))
"""


def _ax_images(page, selector: str) -> list[dict[str, str]]:
    """Every image in Chromium's accessibility tree under the first element matching
    ``selector``, with its computed name and description (the DevTools protocol's
    ``Accessibility.queryAXTree``: the explorer's part of the tree, not the whole page's)."""
    cdp = page.context.new_cdp_session(page)
    try:
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node_id = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        assert node_id, f"no element matches {selector!r}"
        nodes = [node for role in ("image", "img")
                 for node in cdp.send("Accessibility.queryAXTree",
                                      {"nodeId": node_id, "role": role})["nodes"]]
    finally:
        cdp.detach()
    images = []
    for node in nodes:
        role = (node.get("role") or {}).get("value")
        if role not in ("image", "img"):
            continue
        name = (node.get("name") or {}).get("value", "")
        desc = (node.get("description") or {}).get("value", "")
        images.append({"name": name, "description": desc})
    return images


def _operate(page, explorer, control: dict) -> str:
    """Operate one focused control from the keyboard; return what was done."""
    kind = control["kind"]
    kb = page.keyboard
    if kind == "radiogroup":
        kb.press("ArrowRight")
        return "ArrowRight"
    if kind == "select":
        kb.press("ArrowDown")
        return "ArrowDown"
    if kind == "select[multiple]":
        # Documented: an arrow key alone selects only the next item (from the first one, Up
        # stays: Down then).
        kb.press("ArrowDown")
        return "ArrowDown"
    if kind == "input[date]":
        for key in "10172022":  # en-US: month, day, year
            kb.press(key)
        return "typed 10/17/2022"
    if kind == "input[text]":
        kb.press("End")
        kb.type(" talks")
        kb.press("Enter")
        return "typed ' talks' + Enter"
    if kind == "summary":
        kb.press("Enter")
        return "Enter"
    raise AssertionError(f"no keyboard operation known for {kind} {control['label']!r}")


def _wait_changed(page, explorer, before: str, what: str) -> None:
    handle = explorer.element_handle()
    try:
        # Every 100 ms, not every animation frame: STATE reads the whole explorer.
        page.wait_for_function(f"([root, before]) => ({STATE})(root) !== before",
                               arg=[handle, before], timeout=20_000, polling=100)
    except Exception as exc:
        if type(exc).__name__ != "TimeoutError":
            raise
        raise AssertionError(f"{what}: neither the figure nor the summary changed") from None


def _walk(page, explorer, name: str) -> dict:
    """Count Tab stops through the explorer, then walk again operating every control."""
    controls = explorer.evaluate(CONTROLS)
    assert controls, f"{name}: no control found"
    # 1. Tab stops: from just before the explorer until focus leaves it.
    explorer.evaluate(START)
    stops: list[str] = []
    for _ in range(80):
        page.keyboard.press("Tab")
        where = explorer.evaluate(FOCUSED)
        if where is None:
            break
        stops.append(where)
    reached = {s for s in stops if not s.startswith("other:")}
    missing = [c for c in controls if c["id"] not in reached]
    assert not missing, f"{name}: not reached with Tab: {missing} (stops: {stops})"
    first_all = max(stops.index(c["id"]) for c in controls) + 1
    others = [s for s in stops if s.startswith("other:")]
    assert not others, f"{name}: Tab stops on elements that are no control: {others}"
    assert len(stops) <= 2 * len(controls), (
        f"{name}: {len(stops)} Tab stops for {len(controls)} controls (at most two each)")
    # 2. Operate each control from the keyboard; the figure or summary must change.
    focus: list[dict] = []
    operated = []
    explorer.evaluate(START)
    done: set[str] = set()
    extra: list[str] = []
    for _ in range(80):
        page.keyboard.press("Tab")
        where = explorer.evaluate(FOCUSED)
        if where is None:
            break
        if where in done:
            continue
        if where.startswith("other:"):  # e.g. an open data table's scrolling box
            extra.append(where)
            continue
        done.add(where)
        control = next(c for c in controls if c["id"] == where)
        focus.append({**control, **explorer.evaluate(FOCUS_STYLE)})
        before = explorer.evaluate(STATE)
        how = _operate(page, explorer, control)
        _wait_changed(page, explorer, before, f"{name}: {control['kind']} "
                      f"{control['label']!r} ({how})")
        if control["kind"] == "select[multiple]":  # back to all with Ctrl+A (documented)
            before = explorer.evaluate(STATE)
            page.keyboard.press("Control+a")
            _wait_changed(page, explorer, before, f"{name}: Ctrl+A in {control['label']!r}")
            n_sel = explorer.evaluate(
                "(root) => { const s = document.activeElement; "
                "return [s.selectedOptions.length, s.options.length]; }")
            assert n_sel[0] == n_sel[1], f"{name}: Ctrl+A selected {n_sel[0]} of {n_sel[1]}"
            how += ", then Ctrl+A (all again)"
        operated.append(f"{control['kind']} {control['label']!r}: {how}")
    assert done >= {c["id"] for c in controls}, f"{name}: not every control was operated"
    for f in focus:
        assert f["visible"] and f["width"] >= 2, f"{name}: no visible focus outline on {f}"
        assert f["ratio"] >= 3, f"{name}: focus outline contrast {f['ratio']:.2f}:1 on {f}"
    return {"controls": len(controls), "tab_stops": len(stops),
            "other_stops_after_opening_tables": extra,
            "tab_presses_to_reach_all": first_all, "operated": operated,
            "focus_outline": [f"{f['label'] or f['kind']}: {f['width']:.0f}px "
                              f"{f['colour']} {f['ratio']:.2f}:1" for f in focus]}


def _audit(page, axe_path: Path, where: str) -> None:
    """axe, the accessibility tree, the keyboard walk and contrast, for every explorer."""
    language = page.evaluate("() => navigator.language")
    assert language == "en-US", f"{where}: the walk types dates in en-US order; page: {language}"
    page.add_script_tag(path=str(axe_path))
    page.add_script_tag(content=COLOUR_JS)
    page_key = "page_violations (whole page, not only the explorers)"
    report: dict = {"where": where,
                    page_key: (page.evaluate(AXE_PAGE, AXE_TAGS) if want_artifacts() else
                               f"not audited (set {ARTIFACTS_VAR}=1 to audit the whole page)")}
    problems: list[str] = []
    for name in EXPLORERS:
        explorer = page.locator(f".policykit-{name}").first
        explorer.scroll_into_view_if_needed()
        explorer.locator(PLOT).first.wait_for(state="visible", timeout=60_000)
        settle(explorer)
        axe = explorer.evaluate(AXE_RUN, AXE_TAGS)
        entry: dict = {"axe_violations": axe["violations"],
                       "axe_incomplete": [f"{v['id']} ({v['count']}): " + "; ".join(v["nodes"])
                                          for v in axe["incomplete"]],
                       "axe_passes": len(axe["passes"])}
        if axe["violations"]:
            problems.append(f"{name}: axe violations {json.dumps(axe['violations'])}")
        for rule in ("role-img-alt", "color-contrast", "aria-allowed-attr"):
            if rule not in axe["passes"]:
                problems.append(f"{name}: axe rule {rule!r} did not pass (not applied?)")
        # Accessibility tree: each figure an image with a name and its summary as description.
        dom = explorer.evaluate(FIGURES_DOM)
        images = _ax_images(page, f".policykit-{name}")
        entry["figures"] = []
        for fig in dom:
            node = next((i for i in images if i["name"] == fig["name"]), None)
            entry["figures"].append({"name": fig["name"][:90],
                                     "description": (node or {}).get("description", "")[:90]})
            if node is None or not fig["name"] or fig["name"] == "Figure":
                problems.append(f"{name}: figure {fig['name']!r} has no name in the tree")
            elif not node["description"] or node["description"] != fig["description"]:
                problems.append(f"{name}: figure {fig['name']!r} is not described by its "
                                f"summary line (tree: {node['description']!r})")
        summaries = explorer.evaluate(
            "(root) => [...root.querySelectorAll('.policykit-summary')].map(e => e.textContent)")
        for fig in dom:
            if fig["description"] not in summaries:
                problems.append(f"{name}: the description {fig['description']!r} is no "
                                "summary line shown")
        entry["selected_option_contrast"] = [
            f"{s['group']}: {s['ratio']:.2f}:1 (text {s['text']:.2f}:1)"
            for s in explorer.evaluate(SELECTED_STYLE)]
        problems += [f"{name}: selected option contrast {s}"
                     for s in explorer.evaluate(SELECTED_STYLE) if s["ratio"] < 3]
        bars = explorer.evaluate(BAR_LABELS)
        entry["bar_labels"] = (f"{len(bars)} labels, lowest "
                               f"{min(b['ratio'] for b in bars):.2f}:1" if bars else "none")
        problems += [f"{name}: bar label {b['text']!r} at {b['ratio']:.2f}:1"
                     for b in bars if b["ratio"] < 4.5]
        texts = explorer.evaluate(TEXT_CONTRAST)
        low = min(texts, key=lambda t: t["ratio"])
        entry["text_contrast"] = (f"{len(texts)} texts, lowest {low['ratio']:.2f}:1 "
                                  f"({low['text']!r})")
        problems += [f"{name}: text {t['text']!r} at {t['ratio']:.2f}:1 (needs {t['need']})"
                     for t in texts if t["ratio"] < t["need"]]
        try:
            entry.update(_walk(page, explorer, name))
        except AssertionError as exc:
            problems.append(str(exc))
            print(f"\n[{where}] {name}: {exc}")
        report[name] = entry
        print(f"\n[{where}] {name}: " + json.dumps(entry, indent=1, ensure_ascii=False))
    print(f"\n[{where}] whole-page axe violations (front end's own chrome included): "
          + json.dumps(report[page_key]))
    (ARTIFACTS / f"a11y-{where}.json").write_text(json.dumps(report, indent=1,
                                                            ensure_ascii=False))
    shoot(page, f"a11y-{where}.png")
    assert not problems, f"{where}:\n" + "\n".join(problems)


#: The audited window. Pages are in en-US (``_browser.LOCALE``), the order in which the walk
#: types the timeline's date (month, day, year); :func:`_audit` checks it.
VIEWPORT = {"width": 1280, "height": 900}


def _wait_explorers(page, timeout_ms: int) -> None:
    for name in EXPLORERS:
        page.locator(f".policykit-{name} {PLOT}").first.wait_for(state="attached",
                                                                  timeout=timeout_ms)


@pytest.mark.browser
@pytest.mark.timeout(900)
def test_jupyterlab_explorers_accessible(browser, lab, axe_script):
    base, folder = lab
    with fresh_page(browser, "a11y-jupyterlab", viewport=VIEWPORT) as page:
        page.goto(f"{base}/lab/tree/{folder}/a11y.ipynb?reset", timeout=60_000)
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(
            timeout=90_000)
        page.locator(".jp-StatusBar-Widget", has_text="| Idle").first.wait_for(
            timeout=90_000)
        run_all(page)
        _wait_explorers(page, 180_000)
        wait_kernels_idle(base, timeout=120, folder=folder)
        _audit(page, axe_script, "jupyterlab")


@pytest.mark.browser
@pytest.mark.timeout(900)
def test_notebook7_explorers_accessible(browser, lab, axe_script):
    base, folder = lab
    with fresh_page(browser, "a11y-notebook7", viewport=VIEWPORT) as page:
        page.goto(f"{base}/notebooks/{folder}/a11y.ipynb", timeout=90_000)
        open_and_run_all(page, base, folder)
        _wait_explorers(page, 180_000)
        wait_kernels_idle(base, timeout=120, folder=folder)
        _audit(page, axe_script, "notebook7")


@pytest.mark.browser
@pytest.mark.timeout(900)
def test_voila_explorers_accessible(browser, tmp_path, axe_script):
    def check(page, base):
        page.goto(base + "/", timeout=90_000, wait_until="commit")
        _wait_explorers(page, 120_000)
        _audit(page, axe_script, "voila")

    in_voila(browser, tmp_path, check, label="a11y-voila",
             viewport=VIEWPORT, name="a11y.ipynb", cells=CELLS)
