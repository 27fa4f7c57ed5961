"""Helpers for the real-browser tests: servers on free loopback ports, Chromium, a notebook."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"

NOTEBOOK_CELLS = [
    "from policykit import explore",
    "positions = explore.positions('h145-117.2022')\npositions",
    "explore.words_vs_votes(['h65-117.2022', 'h66-117.2022', 'h145-117.2022'])",
    "explore.timeline(as_known_on='2022-10-25')",
    "explore.letter('diplomacy')",
]


def chromium_path() -> str:
    """The Chromium to drive, or skip (fail where POLICYKIT_REQUIRE_BROWSER=1)."""
    path = "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else \
        shutil.which("chromium")
    if path:
        return path
    reason = ("Chromium not found (/usr/bin/chromium or 'chromium' on PATH): install it with "
              "'apt-get install chromium' to run the browser tests.")
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
    env["PYTHONWARNINGS"] = "ignore"
    return env


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (skip, or fail in CI, where it is missing)."""
    path = chromium_path()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


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


def run_all(page, attempts: int = 3) -> None:
    """Run > Run All, retried until a cell has started (an early click can be lost)."""
    started = ".jp-InputPrompt:has-text('[*]'), .jp-InputPrompt:has-text('[1]')"
    for _ in range(attempts):
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click()
        try:
            page.locator(started).first.wait_for(timeout=10_000)
            return
        except Exception as exc:
            if type(exc).__name__ != "TimeoutError":
                raise
            page.keyboard.press("Escape")
    raise AssertionError(f"Run All did not start the notebook in {attempts} attempts")


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


def notebook_args(port: int, root: Path) -> list[str]:
    """Arguments for Notebook 7 (``jupyter notebook``), set up as :func:`lab_args`."""
    return ["notebook", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
            "--ServerApp.token=", "--ServerApp.password=",
            "--ServerApp.disable_check_xsrf=True", "--allow-root",
            f"--ServerApp.root_dir={root}", "--FileContentsManager.delete_to_trash=False",
            "--ServerApp.port_retries=0"]


def wait_kernels_idle(base: str, timeout: float = 120) -> None:
    """Wait until the server has a kernel and every kernel reports ``idle`` (REST API)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/api/kernels", timeout=5) as response:
                kernels = json.load(response)
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
