"""The explorers in a real browser: JupyterLab and Voila, driven by headless Chromium.

Each test starts its own server on a free loopback port with Jupyter's state isolated in a
temporary directory, and always stops it (and its kernels) afterwards. Screenshots go to
``test-artifacts/``. Skipped only where Chromium is absent (the reason is printed); with
``POLICYKIT_REQUIRE_BROWSER=1`` (CI) a missing Chromium is a failure instead.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _browser import (
    ARTIFACTS,
    chromium,
    free_port,
    isolated_env,
    lab_args,
    run_all,
    serve,
    voila_args,
    write_notebook,
)

import policykit

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

EXPLORERS = ["positions", "words", "timeline", "letter"]
PLOT = ".js-plotly-plot .main-svg"


@pytest.fixture
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def workdir(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    root = tmp_path / "root"
    root.mkdir()
    write_notebook(root)
    ARTIFACTS.mkdir(exist_ok=True)
    return root, isolated_env(tmp_path / "jupyter")


def _summary(page, explorer: str) -> str:
    return page.locator(f".policykit-{explorer} > .widget-html .policykit-summary"
                        ).last.inner_text()


def _wait_explorers(page, timeout_ms: int) -> None:
    for name in EXPLORERS:
        page.locator(f".policykit-{name} {PLOT}").first.wait_for(state="visible",
                                                                  timeout=timeout_ms)


def _expected(vote_key: str) -> str:
    rec = policykit.recorded_tally(vote_key)  # the totals in the official record
    return f"{int(rec['Yea'])} Yea, {int(rec['Nay'])} Nay"


def test_jupyterlab_renders_and_updates_the_explorers(browser, workdir):
    root, env = workdir
    port = free_port()
    with serve(lab_args(port, root), port=port, env=env, cwd=root,
               log=ARTIFACTS / "jupyterlab.log", ready_path="/api/status") as base:
        context = browser.new_context(viewport={"width": 1400, "height": 1600})
        try:
            page = context.new_page()
            page.goto(f"{base}/lab/tree/explorers.ipynb?reset", timeout=60_000)
            page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(
                timeout=90_000)
            page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
            run_all(page)
            _wait_explorers(page, 120_000)

            pos = page.locator(".policykit-positions").first
            title = pos.locator(".gtitle").first
            assert "Additional Ukraine Supplemental" in (title.text_content() or "")
            assert _expected("h145-117.2022") in _summary(page, "positions")
            legend = pos.locator(".legend .legendtext").all_text_contents()
            recorded = policykit.recorded_tally("h145-117.2022")
            assert {p for p, n in recorded.items() if n > 0} <= set(legend)  # plotly omits
            # empty traces from the legend; the tally beside the plot lists all four.
            pos.screenshot(path=str(ARTIFACTS / "lab-positions-roll145.png"))

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
            pos.screenshot(path=str(ARTIFACTS / "lab-positions-roll65-signers.png"))

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
                page.locator(f".policykit-{name}").first.screenshot(
                    path=str(ARTIFACTS / f"lab-{name}.png"))
        finally:
            context.close()


def test_voila_renders_the_explorers(browser, workdir):
    root, env = workdir
    notebook = root / "explorers.ipynb"
    errors: list[str] = []
    for attempt in range(3):  # Voila page loads occasionally hang (TOOLCHAIN.md)
        port = free_port()
        with serve(voila_args(port, notebook), port=port, env=env, cwd=root,
                   log=ARTIFACTS / f"voila-{attempt}.log", ready_path="/voila/static/",
                   timeout=60) as base:
            context = browser.new_context(viewport={"width": 1400, "height": 1600})
            try:
                page = context.new_page()
                page.goto(base + "/", timeout=90_000, wait_until="commit")
                _wait_explorers(page, 90_000)
                summary = _summary(page, "positions")
                assert re.search(r"368 Yea, 57 Nay", summary), summary
                page.locator(".policykit-positions").first.screenshot(
                    path=str(ARTIFACTS / "voila-positions.png"))
                page.screenshot(path=str(ARTIFACTS / "voila-page.png"))
                return
            except Exception as exc:  # a hung page load: retry on a fresh server
                name = type(exc).__name__
                if name != "TimeoutError":
                    raise
                errors.append(f"attempt {attempt + 1}: {exc}")
            finally:
                context.close()
    pytest.fail("Voila did not render the explorers in 3 attempts:\n" + "\n".join(errors))
