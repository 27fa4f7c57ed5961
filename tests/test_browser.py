"""The explorers in a real browser: JupyterLab and Voila, driven by headless Chromium.

JupyterLab runs on this test process's shared server (``_browser.shared_lab``), the test in a
folder of its own (its own kernel, shut down afterwards); Voila runs on a server of the test's
own, on a free loopback port with Jupyter's state isolated in a temporary directory, always
stopped (with its kernels) afterwards. Chromium is shared (a fresh browser context per test).
Screenshots go to ``test-artifacts/`` when a test fails, or always with
``POLICYKIT_BROWSER_ARTIFACTS=1``. Skipped only where Chromium is absent (the reason is
printed); with ``POLICYKIT_REQUIRE_BROWSER=1`` (CI) a missing Chromium is a failure instead.
"""

from __future__ import annotations

import re

import pytest
from _browser import (  # noqa: F401 (browser_fixture: the browser fixture)
    ARTIFACTS,
    NOTEBOOK_CELLS,
    browser_fixture,
    free_port,
    fresh_page,
    in_voila,
    isolated_env,
    run_all,
    serve,
    shared_lab,
    shoot,
    shutdown_kernels,
    voila_args,
    write_notebook,
)

import policykit

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

EXPLORERS = ["positions", "words", "timeline", "letter"]
PLOT = ".js-plotly-plot .main-svg"
# The second case's four explorers, in the same JupyterLab page as the default case's (one
# server, one Run All): roll 151 (311-112) and letter B's signers on it.
CASE2 = "gop_letters_2023"
LETTER_B = "2023-04-20_lee_crane_to_biden"
CASE2_CELLS = [
    f"explore.positions('h151-118.2024', case={CASE2!r})",
    f"explore.words_vs_votes(['h151-118.2024'], group={LETTER_B!r}, case={CASE2!r})",
    f"explore.timeline(case={CASE2!r})",
    f"explore.letter('adamantly oppose', case={CASE2!r})",
]


@pytest.fixture
def lab(request):
    """This process's JupyterLab server and a folder of its own there; the folder's kernels
    are shut down afterwards."""
    base, root = shared_lab()
    folder = "browser-" + request.node.name
    (root / folder).mkdir()
    ARTIFACTS.mkdir(exist_ok=True)
    yield base, folder, root / folder
    shutdown_kernels(base, folder)


def _summary(page, explorer: str, case: str | None = None) -> str:
    scope = f".policykit-case-{case or policykit.list_cases()[0]}"
    # The DOM's text: JupyterLab skips rendering cells out of view (content-visibility), where
    # inner_text() would be empty.
    return page.locator(f".policykit-{explorer}{scope} > .widget-html .policykit-summary"
                        ).last.text_content() or ""


def _wait_explorers(page, timeout_ms: int, case: str | None = None) -> None:
    scope = f".policykit-case-{case}" if case else ""
    for name in EXPLORERS:
        page.locator(f".policykit-{name}{scope} {PLOT}").first.wait_for(state="visible",
                                                                         timeout=timeout_ms)


def _expected(vote_key: str, case: str | None = None) -> str:
    rec = policykit.recorded_tally(vote_key, case=case)  # the totals in the official record
    return f"{int(rec['Yea'])} Yea, {int(rec['Nay'])} Nay"


def test_jupyterlab_renders_and_updates_the_explorers(browser, lab):
    base, folder, root = lab
    write_notebook(root, "explorers.ipynb", [*NOTEBOOK_CELLS, *CASE2_CELLS])
    with fresh_page(browser, "lab-explorers",
                    viewport={"width": 1400, "height": 1600}) as page:
        page.goto(f"{base}/lab/tree/{folder}/explorers.ipynb?reset", timeout=60_000)
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(
            timeout=90_000)
        page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
        run_all(page)
        _wait_explorers(page, 120_000)
        _wait_explorers(page, 120_000, CASE2)
        _check_case2(page)

        pos = page.locator(".policykit-positions").first
        title = pos.locator(".gtitle").first
        assert "Additional Ukraine Supplemental" in (title.text_content() or "")
        assert _expected("h145-117.2022") in _summary(page, "positions")
        legend = pos.locator(".legend .legendtext").all_text_contents()
        recorded = policykit.recorded_tally("h145-117.2022")
        assert {p for p, n in recorded.items() if n > 0} <= set(legend)  # plotly omits
        # empty traces from the legend; the tally beside the plot lists all four.
        shoot(pos, "lab-positions-roll145.png")
        # Its members table lists representatives only: a note under the menu says why.
        assert (pos.locator(".policykit-note").first.text_content() or "").startswith(
            "House roll calls only:")

        # Change the roll call through the rendered <select>, as a learner would.
        select = pos.locator("select").first
        values = [o.get_attribute("value") or "" for o in select.locator("option").all()]
        value = next(v for v in values if "(House roll 65," in v)
        select.select_option(value=value)
        page.wait_for_function(
            "() => [...document.querySelectorAll('.policykit-positions .policykit-summary')]"
            ".some(e => e.textContent.includes('House roll 65'))", timeout=30_000)
        assert _expected("h65-117.2022") in _summary(page, "positions")
        page.wait_for_function(
            "() => document.querySelector('.policykit-positions .gtitle')"
            ".textContent.includes('Consolidated Appropriations Act, 2022')",
            timeout=30_000)

        # An option of a radio group (ToggleButtons with radio semantics): only the signers.
        pos.get_by_role("radio", name="Letter signers").click()
        page.wait_for_function(
            "() => [...document.querySelectorAll('.policykit-positions .policykit-summary')]"
            ".some(e => e.textContent.startsWith('Showing 30 of'))", timeout=30_000)
        points = pos.locator(".scatterlayer .point").count()
        assert points == 30  # the letter had 30 signers
        shoot(pos, "lab-positions-roll65-signers.png")

        # The letter reader's phrase search (Enter submits the text box).
        reader = page.locator(".policykit-letter").first
        box = reader.get_by_role("textbox")
        box.fill("direct talks")
        box.press("Enter")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.policykit-letter .policykit-summary')]"
            ".some(e => e.textContent.startsWith(\"'direct talks' occurs\"))",
            timeout=30_000)
        assert reader.locator("mark.pk-hit").count() >= 1
        for name in EXPLORERS:
            shoot(page.locator(f".policykit-{name}").first, f"lab-{name}.png")


def _check_case2(page) -> None:
    """The second case's explorers, in the same page: its own roll calls, lanes and letters."""
    assert "311 Yea, 112 Nay" in _summary(page, "positions", CASE2)  # H.R. 8035, 311-112
    assert _expected("h151-118.2024", CASE2) in _summary(page, "positions", CASE2)
    pos = page.locator(f".policykit-positions.policykit-case-{CASE2}").first
    options = pos.locator("select").first.locator("option").all_text_contents()
    # Its 6 House then 4 Senate roll calls (its members table lists senators too).
    assert len(options) == 10 and all("2022" not in o for o in options)
    assert pos.get_by_role("radio", name="Strip by position").count() == 0  # no score axis
    select = pos.locator("select").first
    # An option's value is its label (its text has non-breaking spaces).
    values = [o.get_attribute("value") or "" for o in select.locator("option").all()]
    assert ["(House roll" in v for v in values] == [True] * 6 + [False] * 4
    select.select_option(value=next(v for v in values if "(Senate roll 154," in v))
    page.wait_for_function(
        f"() => [...document.querySelectorAll('.policykit-positions.policykit-case-{CASE2} "
        ".policykit-summary')].some(e => e.textContent.startsWith("
        "'All 100 members on Senate roll 154: 79 Yea, 18 Nay, 0 Present, 3 Not Voting'))",
        timeout=30_000)  # H.R. 815, 79-18
    assert pos.locator(".scatterlayer .point").count() == 100
    words = page.locator(f".policykit-words.policykit-case-{CASE2}").first
    # Letter B's 19 signers on roll 151: its 16 House members voted Nay (senators: blank).
    assert "16 Nay" in _summary(page, "words", CASE2)
    assert words.locator(".scatterlayer .point").count() >= 16
    timeline = page.locator(f".policykit-timeline.policykit-case-{CASE2}").first
    ticks = " ".join(timeline.locator(".ytick text").all_text_contents())
    assert "Caucus" not in ticks and "Responses: signers" in ticks
    assert _summary(page, "letter", CASE2).startswith("'adamantly oppose' occurs in")
    for name in EXPLORERS:
        shoot(page.locator(f".policykit-{name}.policykit-case-{CASE2}").first,
              f"lab-case2-{name}.png")


def test_voila_renders_the_explorers(browser, tmp_path):
    def check(page, base):
        page.goto(base + "/", timeout=90_000, wait_until="commit")
        _wait_explorers(page, 90_000)
        summary = _summary(page, "positions")
        assert re.search(r"368 Yea, 57 Nay", summary), summary
        shoot(page.locator(".policykit-positions").first, "voila-positions.png")
        shoot(page, "voila-page.png")

    in_voila(browser, tmp_path, check, label="voila",
             viewport={"width": 1400, "height": 1600})
