"""Every explorer fits its output area: JupyterLab at 1280x800 and 1920x1080, Notebook 7 and
Voila at 1280x800.

1280x800 with JupyterLab's file browser open leaves the narrowest output area learners
usually see (about 850 px). At each size the test renders the four explorers, scrolls each
into view, waits until its plots have settled and fails on horizontal overflow:

- the output area, the explorer or any element in it scrolls or sticks out sideways;
- an element that clips its content (``overflow`` hidden/auto) is narrower than its content
  (a toggle-button label, the tally, a summary line);
- a menu is narrower than its longest option (measured with the menu's own font);
- a plot's text (title, subtitle, legend entry, tick label, annotation) reaches past the
  plot's edge, or a legend entry past the legend's box (plotly clips it there).

Screenshots (the window around each explorer, and the whole explorer in a window made tall
enough) go to ``test-artifacts/`` for the explorers that overflow, or for all of them with
``POLICYKIT_BROWSER_ARTIFACTS=1``: they are for reading a failure, not checks, and each makes
Chromium and plotly render again. JupyterLab and Notebook 7 run on this test process's shared
server (``_browser.shared_lab``), each test with its own notebook and kernel.

Skipped only where Chromium or Playwright is absent (the reason is printed); with
``POLICYKIT_REQUIRE_BROWSER=1`` (CI) a missing Chromium is a failure instead.
"""

from __future__ import annotations

import pytest
from _browser import (  # noqa: F401 (browser_fixture: the browser fixture)
    ARTIFACTS,
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
    shutdown_kernels,
    voila_args,
    wait_kernels_idle,
    want_artifacts,
    write_notebook,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

EXPLORERS = ["positions", "words", "timeline", "letter"]
PLOT = ".js-plotly-plot .main-svg"

#: The widest content each explorer shows: the longest roll-call subtitle (roll 65's
#: question), all 15 roll calls in the grid, the whole timeline with "As known on", and a
#: search in the letter.
CELLS = [
    "from policykit import explore",
    "explore.positions('h65-117.2022')",
    "explore.words_vs_votes(focus='h476-117.2022')",
    "explore.timeline(as_known_on='2022-10-25')",
    "explore.letter('diplomacy')",
]

#: (name, viewport, open JupyterLab's file browser)
LAB_SIZES = [("1280x800", {"width": 1280, "height": 800}, True),
             ("1920x1080", {"width": 1920, "height": 1080}, True)]

#: Collects every horizontal overflow inside one explorer (see the module docstring).
MEASURE = r"""
(root) => {
  const problems = [];
  const area = root.closest('.jp-OutputArea-output') || root.parentElement;
  const ar = area.getBoundingClientRect();
  const desc = (el) => {
    const cls = (el.getAttribute('class') || '').split(/\s+/).filter(Boolean).slice(0, 3);
    const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 60);
    return `<${el.tagName.toLowerCase()}${cls.length ? ' .' + cls.join('.') : ''}>`
      + (text ? ` "${text}"` : '');
  };
  const px = (v) => Math.round(v);
  if (area.scrollWidth > area.clientWidth + 1) {
    problems.push(`the output area scrolls sideways: content ${area.scrollWidth} px `
                  + `in ${area.clientWidth} px`);
  }
  if (root.scrollWidth > root.clientWidth + 1) {
    problems.push(`the explorer is wider than its box: ${root.scrollWidth} px `
                  + `in ${root.clientWidth} px`);
  }
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return null;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || cs.display === 'none') return null;
    return r;
  };
  for (const el of root.querySelectorAll('*')) {
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;  // text below
    if (el.closest('.modebar-container')) continue;  // plotly's toolbar shows on hover
    const r = visible(el);
    if (!r) continue;
    if (r.right > ar.right + 1 || r.left < ar.left - 1) {
      problems.push(`${desc(el)} sticks out of the output area: it spans ${px(r.left)}-`
                    + `${px(r.right)} px, the area ${px(ar.left)}-${px(ar.right)} px`);
    }
    const cs = getComputedStyle(el);
    const clips = ['hidden', 'clip', 'auto', 'scroll'].includes(cs.overflowX)
      || (cs.textOverflow === 'ellipsis');
    if (clips && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1
        && el.tagName.toLowerCase() !== 'select') {
      problems.push(`${desc(el)} cuts its content: ${el.scrollWidth} px shown in `
                    + `${el.clientWidth} px`);
    }
  }
  const canvas = document.createElement('canvas').getContext('2d');
  for (const sel of root.querySelectorAll('select')) {
    if (!visible(sel)) continue;
    const cs = getComputedStyle(sel);
    canvas.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    const pad = parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight);
    // A drop-down shows only its chosen option, beside its arrow; a list shows them all.
    const room = sel.clientWidth - pad - (sel.multiple ? 2 : 18);
    const options = sel.multiple ? [...sel.options]
                                 : [...sel.options].filter((o) => o.selected);
    for (const opt of options) {
      const need = canvas.measureText(opt.text).width;
      if (need > room + 1) {
        problems.push(`menu option "${opt.text}" is cut: it needs ${px(need)} px, the menu `
                      + `has ${px(room)} px`);
      }
    }
  }
  for (const plot of root.querySelectorAll('.js-plotly-plot')) {
    const svg = plot.querySelector('.main-svg');
    const sr = svg && visible(svg);
    if (!sr) continue;
    for (const t of plot.querySelectorAll('.main-svg text')) {
      const text = (t.textContent || '').trim();
      const r = visible(t);
      if (!text || !r) continue;
      if (r.right > sr.right + 1 || r.left < sr.left - 1) {
        problems.push(`plot text "${text.slice(0, 80)}" is cut by the plot's edge: it spans `
                      + `${px(r.left)}-${px(r.right)} px, the plot ${px(sr.left)}-`
                      + `${px(sr.right)} px`);
      }
      const legend = t.closest('.legend');
      const bg = legend && legend.querySelector('rect.bg');
      const br = bg && bg.getBoundingClientRect();
      if (br && br.width > 0 && r.right > br.right + 1) {
        problems.push(`legend entry "${text}" is cut by the legend's box: it ends at `
                      + `${px(r.right)} px, the box at ${px(br.right)} px`);
      }
    }
  }
  return problems;
}
"""

#: Text each explorer must show in full (the issue saw the tally lose "Recorded" and the
#: timeline lose "As known on"), each inside the output area.
MUST_SHOW_TEXT = {
    "positions": ["Recorded", "All members", "Not Voting"],
    "words": ["Not Voting", "Present", "Cmd-click"],
    "timeline": ["As known on 25 Oct 2022", "Responses: signers", "Nov 2022"],
    "letter": ["Matches only", "Withdrawal, 25 Oct 2022"],
}

MUST_SHOW = r"""
(root, texts) => {
  const area = (root.closest('.jp-OutputArea-output') || root.parentElement)
    .getBoundingClientRect();
  const problems = [];
  for (const text of texts) {
    const hits = [...root.querySelectorAll('*')].filter((el) =>
      [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.includes(text)));
    const shown = hits.some((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.left >= area.left - 1 && r.right <= area.right + 1;
    });
    if (!shown) problems.push(`"${text}" is not shown in full inside the output area`);
  }
  return problems;
}
"""

OUTPUT_WIDTH = """
(root) => (root.closest('.jp-OutputArea-output') || root.parentElement).clientWidth
"""


@pytest.fixture
def lab(request):
    """This process's JupyterLab server and a folder of its own there, with the notebook;
    the folder's kernels are shut down afterwards."""
    base, root = shared_lab()
    folder = "layout-" + request.node.name.replace("[", "-").rstrip("]")
    (root / folder).mkdir()
    write_notebook(root / folder, "layout.ipynb", CELLS)
    yield base, folder
    shutdown_kernels(base, folder)


def _wait_explorers(page, timeout_ms: int) -> None:
    for name in EXPLORERS:
        page.locator(f".policykit-{name} {PLOT}").first.wait_for(state="attached",
                                                                  timeout=timeout_ms)


def _wait_kernel_idle(page) -> None:
    """Wait until the kernel has started and is idle (a click before that can be lost)."""
    page.locator(".jp-StatusBar-Widget", has_text="| Idle").first.wait_for(timeout=90_000)


def _open_file_browser(page) -> None:
    panel = page.locator("#filebrowser")
    if not panel.is_visible():
        page.locator(".jp-SideBar.jp-mod-left [data-id='filebrowser']").first.click()
    panel.wait_for(state="visible", timeout=10_000)


def _show(page, explorer) -> None:
    """Scroll ``explorer`` to the top of the window; wait until its plots have settled."""
    explorer.scroll_into_view_if_needed()
    explorer.locator(PLOT).first.wait_for(state="visible", timeout=30_000)
    explorer.evaluate("(e) => e.scrollIntoView({block: 'start'})")
    settle(explorer)  # plotly has finished any resize to the (now laid out) output area


def _shoot(page, explorer, name: str) -> None:
    """The window around the explorer, then the whole explorer in one picture (a taller
    window of the same width, so the same layout; then back)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-window.png"))
    viewport = page.viewport_size
    tall = int(explorer.evaluate("(e) => e.getBoundingClientRect().height")) + 300
    page.set_viewport_size({"width": viewport["width"], "height": max(viewport["height"], tall)})
    _show(page, explorer)
    explorer.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    page.set_viewport_size(viewport)
    _show(page, explorer)


def _timeline_zoomed(page):
    """Zoom the timeline to the fortnight around the letter; the timeline's locator."""
    timeline = page.locator(".policykit-timeline").first
    timeline.get_by_role("radio", name="Around the letter").first.click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.policykit-timeline .policykit-summary')]"
        ".some(e => / dated 1\\d Oct 2022 to /.test(e.textContent))",
        timeout=30_000)
    _show(page, timeline)
    return timeline


def _check(page, where: str) -> dict[str, list[str]]:
    """Each explorer's overflow problems by name (screenshots: see the module docstring)."""
    found: dict[str, list[str]] = {}
    for name in EXPLORERS:
        explorer = page.locator(f".policykit-{name}").first
        _show(page, explorer)
        found[name] = explorer.evaluate(MEASURE)
        found[name] += explorer.evaluate(MUST_SHOW, MUST_SHOW_TEXT[name])
        found[name].insert(0, f"(output area {explorer.evaluate(OUTPUT_WIDTH)} px wide)")
        if want_artifacts() or len(found[name]) > 1:
            _shoot(page, explorer, f"layout-{where}-{name}")
    # The timeline zoomed to the fortnight around the letter (where the year's view crowds
    # dozens of items into a few pixels) must fit too.
    timeline = _timeline_zoomed(page)
    found["timeline zoomed"] = timeline.evaluate(MEASURE)
    found["timeline zoomed"].insert(0, f"(output area {timeline.evaluate(OUTPUT_WIDTH)} px)")
    if want_artifacts() or len(found["timeline zoomed"]) > 1:
        _shoot(page, timeline, f"layout-{where}-timeline-zoomed")
    return found


def _report(found: dict[str, list[str]], where: str) -> None:
    bad = {name: problems for name, problems in found.items() if len(problems) > 1}
    if bad:
        lines = [f"Horizontal overflow in {where} (screenshots in {ARTIFACTS}):"]
        for name, problems in bad.items():
            lines.append(f"- {name} {problems[0]}:")
            lines += [f"    {p}" for p in problems[1:]]
        pytest.fail("\n".join(lines))


@pytest.mark.parametrize(("size", "viewport", "file_browser"), LAB_SIZES,
                         ids=[s[0] for s in LAB_SIZES])
def test_jupyterlab_explorers_fit(browser, lab, size, viewport, file_browser):
    base, folder = lab
    where = f"lab-{size}"
    with fresh_page(browser, f"layout-{where}", viewport=viewport) as page:
        page.goto(f"{base}/lab/tree/{folder}/layout.ipynb?reset", timeout=60_000)
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(
            timeout=90_000)
        page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
        if file_browser:
            _open_file_browser(page)
        _wait_kernel_idle(page)
        run_all(page)
        _wait_explorers(page, 180_000)
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(
            timeout=120_000)
        found = _check(page, where)
    if size == "1280x800":  # the narrow case the issue measured: about 850 px
        width = int(found["positions"][0].split()[2])
        assert width < 900, f"the output area is {width} px wide; expected ~850 px"
    _report(found, f"JupyterLab at {size}" + (" with the file browser open"
                                              if file_browser else ""))


def test_notebook7_explorers_fit(browser, lab):
    base, folder = lab
    with fresh_page(browser, "layout-notebook7-1280x800",
                    viewport={"width": 1280, "height": 800}) as page:
        page.goto(f"{base}/notebooks/{folder}/layout.ipynb", timeout=90_000)
        open_and_run_all(page, base, folder)
        _wait_explorers(page, 180_000)
        wait_kernels_idle(base, timeout=120, folder=folder)
        found = _check(page, "notebook7-1280x800")
    _report(found, "Notebook 7 at 1280x800")


def test_voila_explorers_fit(browser, tmp_path):
    def check(page, base):
        page.goto(base + "/", timeout=90_000, wait_until="commit")
        _wait_explorers(page, 120_000)
        return _check(page, "voila-1280x800")

    found = in_voila(browser, tmp_path, check, label="layout-voila-1280x800",
                     viewport={"width": 1280, "height": 800}, name="layout.ipynb", cells=CELLS)
    _report(found, "Voila at 1280x800")
