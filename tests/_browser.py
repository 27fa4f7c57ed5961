"""Helpers for the real-browser tests: servers on free loopback ports, Chromium, a notebook.

Cost (the suite is CPU-bound): each test process (each xdist worker) starts **one** Chromium
(the ``browser`` fixture: one browser profile, a fresh page per test) and at most **one**
JupyterLab server (:func:`shared_lab`, which also serves Notebook 7's ``/notebooks/`` pages),
kept until the end of the run; each test writes its notebooks in a folder of its own there (so
each gets its own kernel) and shuts its kernels down when done (:func:`shutdown_kernels`).

Screenshots are debugging aids, not checks: a test saves them to ``test-artifacts/`` when it
fails (:func:`screenshot_on_failure`), or always when ``POLICYKIT_BROWSER_ARTIFACTS=1``
(:func:`shoot`). Taking one makes Chromium (and plotly) render again, which is CPU.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import nbformat
import pytest

T = TypeVar("T")

#: Headless Chromium as a user's browser runs a page (benchmarks/bench_browser.py times pages with
#: it).
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
#: The tests' Chromium: the same pages for less CPU (the suite is CPU-bound). One renderer
#: process for every page (the servers are all on this machine: no site needs isolating from
#: another), and V8's interpreter and baseline compiler only (the pages live seconds; its
#: optimizing compilers do not pay back). Pages may run slower than in a user's browser, so
#: nothing times them here.
TEST_CHROMIUM_ARGS = [*CHROMIUM_ARGS, "--renderer-process-limit=1",
                      "--disable-site-isolation-trials",
                      "--disable-features=site-per-process,IsolateOrigins",
                      "--js-flags=--max-opt=1"]
#: The shared browser's (:func:`shared_chromium`): all of Chromium in one process, which
#: spends about 15 % less CPU on the browser tests than a browser, a renderer and a GPU process
#: talking to each other (measured on the 2-core machine: 165 against 196 core-seconds for the
#: a11y, browser, layout and widget tests). It allows one browser context only, which is all the
#: shared browser has (one profile, a page per test); the hub test, which logs two people in at
#: once, needs two contexts and launches its own browser with :data:`TEST_CHROMIUM_ARGS`.
SHARED_CHROMIUM_ARGS = [*TEST_CHROMIUM_ARGS, "--single-process"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
#: Set to 1 to save every screenshot, not only those of failing tests.
ARTIFACTS_VAR = "POLICYKIT_BROWSER_ARTIFACTS"

NOTEBOOK_CELLS = [
    "from policykit import explore",
    "positions = explore.positions('h145-117.2022')\npositions",
    "explore.words_vs_votes(['h65-117.2022', 'h66-117.2022', 'h145-117.2022'])",
    "explore.timeline(as_known_on='2022-10-25')",
    "explore.letter('diplomacy')",
]


#: The Chromium builds the tests can drive, in order of preference (Debian's package names):
#: the headless shell first. It is headless Chromium's own build (the same Blink and V8, no
#: window system), the browser Playwright itself runs headless tests in, and it spends about
#: 8 % less CPU than the full browser on the browser tests (measured on the 2-core machine:
#: 205 against 223 core-seconds for the a11y, browser, layout and widget tests).
CHROMIUM_BUILDS = ("chromium-headless-shell", "chromium")


def chromium_path() -> str:
    """The Chromium to drive (:data:`CHROMIUM_BUILDS`, from /usr/bin or PATH), or skip (fail
    where POLICYKIT_REQUIRE_BROWSER=1)."""
    for name in CHROMIUM_BUILDS:
        path = f"/usr/bin/{name}" if os.path.exists(f"/usr/bin/{name}") else shutil.which(name)
        if path:
            return path
    reason = ("Chromium not found (/usr/bin/chromium-headless-shell, /usr/bin/chromium or either "
              "on PATH): install it with 'apt-get install chromium-headless-shell' (or "
              "'chromium') to run the browser tests.")
    if os.environ.get("POLICYKIT_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + " POLICYKIT_REQUIRE_BROWSER=1 is set, so this is a failure.")
    print(f"SKIPPED: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def isolated_env(base: Path) -> dict[str, str]:
    """Environment with Jupyter's and IPython's state kept under ``base``."""
    env = dict(os.environ)
    for var, sub in {"JUPYTER_CONFIG_DIR": "config", "JUPYTER_DATA_DIR": "data",
                     "JUPYTER_RUNTIME_DIR": "runtime", "IPYTHONDIR": "ipython",
                     "JUPYTERLAB_SETTINGS_DIR": "lab-settings",
                     "JUPYTERLAB_WORKSPACES_DIR": "lab-workspaces"}.items():
        path = base / sub
        path.mkdir(parents=True, exist_ok=True)
        env[var] = str(path)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    # No news or update toasts over the explorers (and no request for them).
    settings = base / "lab-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}), encoding="utf-8")
    # No build check on each JupyterLab page load (tasks.py's NO_BUILD, as `tasks.py lab` has).
    labconfig = base / "config" / "labconfig"
    labconfig.mkdir(parents=True, exist_ok=True)
    (labconfig / "page_config.json").write_text(
        json.dumps({"buildCheck": False, "buildAvailable": False}), encoding="utf-8")
    env["PYTHONWARNINGS"] = "ignore"
    return env


#: What this test process shares between tests (one per xdist worker): Playwright, its
#: Chromium and a JupyterLab server, each started when first asked for, and stopped by
#: :func:`close_shared` at the end of the run.
_SHARED: dict[str, object] = {}


def _playwright_loop(running: bool) -> None:
    """Mark Playwright's event loop as this thread's running loop, or no loop at all.

    Playwright's sync API keeps its loop marked as running between its calls, so while it
    runs, ``asyncio.run`` and a second ``sync_playwright()`` (e.g. the hub test's, on the
    same worker) refuse to start. The shared Playwright is marked only during the tests that
    use it (the ``browser`` fixture); it resumes its loop where it left it.
    """
    loop = _SHARED.get("loop")
    if loop is not None:
        asyncio._set_running_loop(loop if running else None)


#: The locale of every page (a test types a date in en-US order: month, day, year).
LOCALE = "en-US"


def shared_chromium() -> object:
    """This process's Chromium, driven by Playwright (skip, or fail in CI, where missing): one
    browser profile (Playwright's persistent context) in a temporary folder, shared by the
    tests of this process, each on a page of its own (:func:`fresh_page`).

    One profile, not a new context per test, for its disk cache: JupyterLab's ~10 MB of
    scripts are fetched and compiled once per process, not once per page (V8 keeps compiled
    code beside cached scripts). A JupyterLab page then costs about 2 core-seconds less.
    """
    context = _SHARED.get("chromium")
    if context is not None:
        return context
    path = chromium_path()
    sync_api = pytest.importorskip("playwright.sync_api")
    if "playwright" not in _SHARED:
        manager = sync_api.sync_playwright()
        _SHARED["playwright"] = manager.start()
        _SHARED["loop"] = manager._loop
        atexit.register(close_shared)
    profile = Path(tempfile.mkdtemp(prefix="policykit-chromium-"))
    context = _SHARED["playwright"].chromium.launch_persistent_context(
        str(profile), executable_path=path, args=SHARED_CHROMIUM_ARGS, headless=True,
        locale=LOCALE)
    context.on("close", lambda _: _SHARED.pop("chromium", None))
    _SHARED["chromium"] = context
    _SHARED["profile"] = profile
    return context


def close_shared() -> None:
    """Stop what this process shares (servers first, then Chromium and Playwright)."""
    lab = _SHARED.pop("lab", None)
    if lab is not None:
        lab.close()
    if "playwright" not in _SHARED:
        return
    _playwright_loop(True)
    try:
        for key in ("chromium", "playwright"):
            thing = _SHARED.pop(key, None)
            if thing is not None:
                with contextlib.suppress(Exception):
                    thing.close() if key == "chromium" else thing.stop()
    finally:
        _playwright_loop(False)
        _SHARED.pop("loop", None)
        profile = _SHARED.pop("profile", None)
        if profile is not None:
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(name="browser")
def browser_fixture(request):
    """``browser``: Chromium's browser context, started once per test process; open a page
    of your own with :func:`fresh_page`.

    Import it into a test module (``from _browser import browser_fixture``). The browser is
    kept in :data:`_SHARED` and stopped at the end of the run (this fixture is per test, so
    that the scheduler in conftest.py does not tie the tests using it to one worker).
    """
    first = "playwright" not in _SHARED
    _playwright_loop(True)
    try:
        b = shared_chromium()
        if first:
            request.session.addfinalizer(close_shared)
        yield b
    finally:
        _playwright_loop(False)


def want_artifacts() -> bool:
    """Whether every screenshot is wanted (``POLICYKIT_BROWSER_ARTIFACTS=1``)."""
    return os.environ.get(ARTIFACTS_VAR) == "1"


def shoot(target, name: str, **kwargs) -> None:
    """Screenshot a page or locator to ``test-artifacts/name`` when artifacts are wanted."""
    if want_artifacts():
        ARTIFACTS.mkdir(exist_ok=True)
        target.screenshot(path=str(ARTIFACTS / name), **kwargs)


@contextlib.contextmanager
def screenshot_on_failure(page, name: str) -> Iterator[None]:
    """Save ``test-artifacts/<name>-failure.png`` of ``page`` if the block fails."""
    try:
        yield
    except BaseException:
        ARTIFACTS.mkdir(exist_ok=True)
        with contextlib.suppress(Exception):
            page.screenshot(path=str(ARTIFACTS / f"{name}-failure.png"), timeout=10_000)
        raise


@contextlib.contextmanager
def fresh_page(browser, name: str, *,
               viewport: dict[str, int] | None = None) -> Iterator[object]:
    """A new page of ``browser`` (the shared context, in :data:`LOCALE`) with ``viewport``,
    closed afterwards; if the block fails, ``test-artifacts/<name>-failure.png`` shows it.

    The pages of one test process share a profile (:func:`shared_chromium`): its cache, but
    no cookies (cleared first: the servers all run on 127.0.0.1, and cookies are kept per host,
    not per port). Storage is kept per origin: a Voila server's page sees none of another's;
    pages of this process's JupyterLab see what earlier ones stored, as a learner's next tab
    would.
    """
    browser.clear_cookies()
    page = browser.new_page()
    try:
        if viewport is not None:
            page.set_viewport_size(viewport)
        with screenshot_on_failure(page, name):
            yield page
    finally:
        page.close()


#: Resolves once every plotly plot in ``root`` has its size and no resize pending (plotly
#: redraws 100 ms after a resize: ``_resolveResize`` is set until then) for two animation
#: frames in a row: a condition instead of a fixed wait.
PLOTS_SETTLED = """
async (root) => {
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const state = () => [...root.querySelectorAll('.js-plotly-plot')].map((gd) => {
    const svg = gd.querySelector('.main-svg');
    const r = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
    return gd._resolveResize || gd._transitioning || !svg ? 'busy'
      : `${Math.round(r.width)}x${Math.round(r.height)}`;
  }).join(',') + '|' + Math.round(root.getBoundingClientRect().width);
  let last = state();
  let same = 0;
  const start = performance.now();
  while (same < 2 && performance.now() - start < 20000) {
    await frame();
    const now = state();
    same = now === last && !now.includes('busy') ? same + 1 : 0;
    last = now;
  }
  return same >= 2;
}
"""


def settle(locator) -> None:
    """Wait until the plots in ``locator`` have settled (:data:`PLOTS_SETTLED`)."""
    if not locator.evaluate(PLOTS_SETTLED):
        raise AssertionError("the plots did not settle (size changing or a resize pending) "
                             "within 20 s")


def write_notebook(root: Path, name: str = "explorers.ipynb",
                   cells: list[str] | None = None) -> Path:
    """Write a notebook of code cells (default: every explorer) with the python3 kernel."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in (cells or NOTEBOOK_CELLS)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    path = root / name
    nbformat.write(nb, path)
    return path


def _wait_http(url: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except urllib.error.HTTPError as exc:  # the server answered (e.g. 403/404): it is up
            exc.close()
            if exc.code < 500:
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.25)
    raise TimeoutError(f"server at {url} did not answer within {timeout:.0f} s")


def stop(proc: subprocess.Popen, timeout: float = 15) -> None:
    """Stop a server started by :func:`serve` and everything it started (its kernels)."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    else:  # the server is gone; make sure no kernel of its group lingers
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)


@contextlib.contextmanager
def serve(args: list[str], *, port: int, env: dict[str, str], cwd: Path, log: Path,
          ready_path: str, timeout: float = 60) -> Iterator[str]:
    """Run a Jupyter server in its own process group; yield its base URL; always stop it."""
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", *args], cwd=cwd, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_http(base + ready_path, proc, timeout)
            yield base
        finally:
            stop(proc)


def accept_kernel_dialog(page) -> bool:
    """Press *Select* if JupyterLab asks which kernel to start, keeping its choice (the
    notebook's own kernel), as a learner would; return whether it asked.

    JupyterLab 4 sometimes asks although the notebook names a kernel that exists (a start-up
    race, seen once in CI on the hub; jupyterlab/jupyterlab#14404 describes the prompt)."""
    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    if not dialog.count():
        return False
    print("JupyterLab asked which kernel to start: pressing Select (the notebook's kernel)")
    dialog.locator("button.jp-Dialog-button.jp-mod-accept", has_text="Select").click()
    dialog.wait_for(state="hidden", timeout=30_000)
    return True


def run_all(page, attempts: int = 3) -> None:
    """Run > Run All, retried until a cell of the notebook on screen has started (an early
    click can be lost; a kernel prompt is answered with :func:`accept_kernel_dialog`)."""
    started = ".jp-InputPrompt:is(:has-text('[*]'), :has-text('[1]')) >> visible=true"
    for _ in range(attempts):
        accept_kernel_dialog(page)
        try:
            page.get_by_role("menuitem", name="Run", exact=True).click(timeout=15_000)
        except Exception as exc:
            if type(exc).__name__ != "TimeoutError" or not accept_kernel_dialog(page):
                raise
            page.get_by_role("menuitem", name="Run", exact=True).click()
        page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click()
        try:
            page.locator(started).first.wait_for(timeout=15_000)
            return
        except Exception as exc:
            if type(exc).__name__ != "TimeoutError":
                raise
            page.keyboard.press("Escape")
    raise AssertionError(f"Run All did not start the notebook in {attempts} attempts")


def open_and_run_all(page, base: str, folder: str) -> None:
    """Once the notebook on screen shows its cells and the kernels of ``folder`` are idle
    (:func:`wait_kernels_idle`), :func:`run_all`."""
    page.locator(".jp-Notebook .jp-Cell >> visible=true").first.wait_for(timeout=90_000)
    wait_kernels_idle(base, timeout=120, folder=folder)
    run_all(page)


def lab_args(port: int, root: Path) -> list[str]:
    return ["jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
            "--ServerApp.token=", "--ServerApp.password=",
            "--ServerApp.disable_check_xsrf=True", "--allow-root", "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            f"--ServerApp.root_dir={root}", "--FileContentsManager.delete_to_trash=False",
            "--ServerApp.port_retries=0"]


def voila_args(port: int, notebook: Path) -> list[str]:
    return ["voila", str(notebook), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
            "--Voila.port_retries=0",
            "--MappingKernelManager.cull_idle_timeout=60",
            "--MappingKernelManager.cull_interval=30"]


def in_voila(browser, tmp_path: Path, run: Callable[[object, str], T], *, label: str,
             viewport: dict[str, int], name: str = "explorers.ipynb",
             cells: list[str] | None = None, attempts: int = 3) -> T:
    """Serve a notebook of ``cells`` (:func:`write_notebook`) with Voila, open a fresh page
    of ``browser`` (:func:`fresh_page`) and return ``run(page, base_url)``.

    Voila page loads occasionally hang (TOOLCHAIN.md): a ``TimeoutError`` retries on a fresh
    server, up to ``attempts`` times; any other error fails at once. A failing attempt leaves
    ``test-artifacts/<label>-failure.png``; each server's log is ``<label>-<attempt>.log``.
    """
    root = tmp_path / "root"
    root.mkdir()
    notebook = write_notebook(root, name, cells)
    env = isolated_env(tmp_path / "jupyter")
    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    for attempt in range(attempts):
        port = free_port()
        with serve(voila_args(port, notebook), port=port, env=env, cwd=root,
                   log=ARTIFACTS / f"{label}-{attempt}.log", ready_path="/voila/static/",
                   timeout=60) as base:
            try:
                with fresh_page(browser, label, viewport=viewport) as page:
                    return run(page, base)
            except Exception as exc:  # a hung page load: retry on a fresh server
                if type(exc).__name__ != "TimeoutError":
                    raise
                errors.append(f"attempt {attempt + 1}: {exc}")
    pytest.fail(f"Voila did not render the explorers in {attempts} attempts:\n"
                + "\n".join(errors))


class _Lab:
    """A JupyterLab server of this process, running until :meth:`close`."""

    def __init__(self, base_dir: Path) -> None:
        self.base_dir = base_dir
        self.root = base_dir / "root"
        self.root.mkdir(parents=True)
        self.env = isolated_env(base_dir / "jupyter")
        # Save widget state with a notebook (off by default), for the tests that check what
        # gets saved; it changes nothing until a notebook is saved.
        settings = (Path(self.env["JUPYTERLAB_SETTINGS_DIR"]) / "@jupyter-widgets"
                    / "jupyterlab-manager")
        settings.mkdir(parents=True, exist_ok=True)
        (settings / "plugin.jupyterlab-settings").write_text(json.dumps({"saveState": True}),
                                                             encoding="utf-8")
        port = free_port()
        ARTIFACTS.mkdir(exist_ok=True)
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        self._serving = serve(lab_args(port, self.root), port=port, env=self.env,
                              cwd=self.root, log=ARTIFACTS / f"jupyterlab-{worker}.log",
                              ready_path="/api/status")
        self.base = self._serving.__enter__()

    def close(self) -> None:
        try:
            self._serving.__exit__(None, None, None)
        finally:
            shutil.rmtree(self.base_dir, ignore_errors=True)


def shared_lab() -> tuple[str, Path]:
    """This process's JupyterLab server (started on first use): its URL and root folder.

    It serves JupyterLab (``/lab/tree/...``) and, the ``notebook`` package being installed,
    Notebook 7 (``/notebooks/...``). Jupyter's state is kept in a temporary folder.
    """
    lab = _SHARED.get("lab")
    if lab is None:
        lab = _SHARED["lab"] = _Lab(Path(tempfile.mkdtemp(prefix="policykit-lab-")))
        atexit.register(close_shared)  # the browser fixture stops it at the end of the run
    return lab.base, lab.root


def shutdown_kernels(base: str, folder: str) -> None:
    """Shut down the sessions (and kernels) of the notebooks under ``folder`` (REST API)."""
    with contextlib.suppress(OSError, ValueError):
        with urllib.request.urlopen(base + "/api/sessions", timeout=10) as response:
            sessions = json.load(response)
        for session in sessions:
            if str(session.get("path", "")).startswith(folder.rstrip("/") + "/"):
                request = urllib.request.Request(f"{base}/api/sessions/{session['id']}",
                                                 method="DELETE")
                with urllib.request.urlopen(request, timeout=30):
                    pass


def wait_kernels_idle(base: str, timeout: float = 120, folder: str | None = None) -> None:
    """Wait until the server has a kernel and every kernel reports ``idle`` (REST API);
    with ``folder``, only the kernels of the notebooks under it count."""
    deadline = time.monotonic() + timeout
    prefix = None if folder is None else folder.rstrip("/") + "/"
    while time.monotonic() < deadline:
        try:
            if prefix is None:
                with urllib.request.urlopen(base + "/api/kernels", timeout=5) as response:
                    kernels = json.load(response)
            else:
                with urllib.request.urlopen(base + "/api/sessions", timeout=5) as response:
                    kernels = [s["kernel"] for s in json.load(response)
                               if str(s.get("path", "")).startswith(prefix) and s.get("kernel")]
        except urllib.error.HTTPError as exc:  # 500 while a kernel starts: ask again
            exc.close()
            if exc.code < 500:
                raise
            time.sleep(0.5)
            continue
        if kernels and all(k.get("execution_state") == "idle" for k in kernels):
            return
        time.sleep(0.3)
    raise TimeoutError(f"kernels at {base} not idle within {timeout:.0f} s")
