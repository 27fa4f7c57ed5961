"""tasks.py: its commands, what it passes on, when it installs, and the servers it starts.

Nothing here installs anything: set-up runs against a fake .venv with pip replaced by a recorder,
and the servers are started through tasks.py's own ``main`` with set-up stubbed out, using this
test environment's JupyterLab and Voila, on a free loopback port, in a copy of the course.
"""

from __future__ import annotations

import html
import html.parser
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from _browser import browser_fixture  # noqa: F401 (the browser fixture, for one test below)

ROOT = Path(__file__).resolve().parents[1]
LESSON_NAMES = sorted(p.name for p in (ROOT / "lessons" / "source").iterdir() if p.is_dir())


def _load_tasks():
    spec = importlib.util.spec_from_file_location("policykit_tasks", ROOT / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def tasks():
    return _load_tasks()


@pytest.fixture
def fake_venv(tasks, tmp_path, monkeypatch):
    """tasks.py pointed at an empty .venv whose pip only records what it was asked."""
    venv = tmp_path / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text("")
    monkeypatch.setattr(tasks, "VENV", venv)
    monkeypatch.setattr(tasks, "BIN", venv / "bin")
    monkeypatch.setattr(tasks, "PYTHON", venv / "bin" / "python")
    monkeypatch.setattr(tasks, "STAMP", venv / ".policykit-installed")
    installs: list[str] = []

    def pip(*cmd, **kw):
        if "-e" in cmd:
            installs.append(str(cmd[-1]).rsplit("[", 1)[1].rstrip("]"))
    monkeypatch.setattr(tasks, "run", pip)
    return installs


# --- installing ---------------------------------------------------------------------------------

def test_first_run_installs_once(tasks, fake_venv):
    tasks.setup("lab")
    tasks.setup("lab")
    assert fake_venv == ["lab"]


def test_lab_after_test_does_not_reinstall(tasks, fake_venv):
    tasks.setup("test")
    for extra in ("lab", "test", "lab"):  # lab, voila and grade all ask for "lab"
        tasks.setup(extra)
    assert fake_venv == ["test"]


def test_test_after_lab_installs_the_test_extra(tasks, fake_venv):
    tasks.setup("lab")
    tasks.setup("test")
    tasks.setup("lab")
    assert fake_venv == ["lab", "test"]


def test_changed_pyproject_installs_again(tasks, fake_venv):
    tasks.STAMP.write_text("0" * 64 + ":test\n")  # installed for another pyproject.toml
    tasks.setup("lab")
    assert fake_venv == ["lab"]
    assert tasks.STAMP.read_text().split() == [f"{tasks._digest()}:lab"]


def test_installs_with_uv_into_the_venv(tasks, monkeypatch, tmp_path):
    ran: list[list[str]] = []
    monkeypatch.setattr(tasks, "run", lambda *cmd, **kw: ran.append([str(c) for c in cmd]))
    tasks.install("checkout[lab]")
    python = str(tasks.PYTHON)
    assert ran == [[python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "uv"],
                   [python, "-m", "uv", "pip", "install", "--quiet", "--python", python, "-e",
                    "checkout[lab]"],
                   [python, "-c", tasks.COMPILE.format(rx=tasks.NOT_PRECOMPILED)]]


def test_compiles_what_runs_and_leaves_test_suites_and_installers(tasks, tmp_path):
    """The compile step's folder filter, on a small site-packages: the packages' modules get
    bytecode (setuptools too: nbgrader imports it); their test suites and pip do not. The
    checkout's own path may contain "test" (e.g. ~/test/policykit): it must not matter."""
    import compileall
    import re

    site = tmp_path / "test" / "checkout" / ".venv" / "lib" / "python3" / "site-packages"
    kept = ["pandas/core/frame.py", "plotly/graph_objs/_scatter.py", "setuptools/dist.py",
            "pandas/_testing/asserters.py", "pipx/main.py", "policykit_tests_helper.py"]
    skipped = ["pandas/tests/test_frame.py", "numpy/_core/tests/test_api.py",
               "pip/_internal/main.py"]
    for name in kept + skipped:
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text("x = 1\n")
    compileall.compile_dir(site, rx=re.compile(tasks.NOT_PRECOMPILED), quiet=1)
    compiled = [name for name in kept + skipped
                if Path(importlib.util.cache_from_source(str(site / name))).exists()]
    assert compiled == kept


def test_falls_back_to_pip_when_uv_fails(tasks, monkeypatch, capsys):
    import subprocess

    ran: list[list[str]] = []

    def run(*cmd, **kw):
        ran.append([str(c) for c in cmd])
        if "uv" in ran[-1][2:4] or ran[-1][-1] == "uv":
            raise subprocess.CalledProcessError(1, cmd)
    monkeypatch.setattr(tasks, "run", run)
    tasks.install("checkout[lab]")
    python = str(tasks.PYTHON)
    assert ran[-2:] == [[python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"],
                        [python, "-m", "pip", "install", "--quiet", "-e", "checkout[lab]"]]
    assert "installing with pip instead" in capsys.readouterr().out


def test_the_test_extra_really_includes_the_lab_extra():
    import tomllib

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]
    assert any(r.replace(" ", "").endswith("[lab]") for r in extras["test"])


# --- commands and what they pass on -----------------------------------------------------------

@pytest.fixture
def calls(tasks, monkeypatch):
    made: list[tuple[str, list[str], Path]] = []
    extras: list[str] = []
    monkeypatch.setattr(tasks, "setup", extras.append)
    monkeypatch.setattr(tasks, "no_news_prompt", lambda: None)
    monkeypatch.setattr(tasks, "no_build_check", lambda: None)
    monkeypatch.setattr(tasks, "call", lambda cmd, cwd: made.append(
        (extras[-1], [str(c) for c in cmd], cwd)) or 0)
    return made


def test_extra_arguments_pass_through_unchanged(tasks, calls, monkeypatch):
    monkeypatch.setattr(tasks, "is_root", lambda: False)
    assert tasks.main(["test", "-k", "loaders", "-m", "not browser"]) == 0
    assert tasks.main(["voila", "--port", "8866"]) == 0
    assert tasks.main(["grade", "01-primary-source", "--student", "alice"]) == 0
    assert tasks.main(["lab", "--port", "9999", "--no-browser"]) == 0
    bin_ = str(tasks.BIN)
    assert calls == [
        ("test", [str(tasks.PYTHON), "-m", "pytest", *tasks.parallel_options([]),
                  "-k", "loaders", "-m", "not browser"], tasks.ROOT),
        ("lab", [f"{bin_}/voila", "explorers.ipynb", "--port", "8866"], tasks.LESSONS),
        ("lab", [f"{bin_}/policykit", "grade", "01-primary-source", "--student", "alice"],
         tasks.LESSONS),
        ("lab", [f"{bin_}/jupyter", "lab", "--LabApp.news_url=None",
                 "--LabApp.default_url=/lab/tree/release", "--port", "9999", "--no-browser"],
         tasks.LESSONS),
    ]
    assert tasks.LESSONS == ROOT / "lessons"  # where nbgrader_config.py is


def test_test_runs_one_worker_per_core_unless_told(tasks, calls, monkeypatch):
    monkeypatch.setattr(tasks.os, "cpu_count", lambda: 2)
    assert tasks.main(["test"]) == 0
    assert calls[-1][1][3:] == ["-n", "2", "--dist", "loadgroup"]
    monkeypatch.setattr(tasks.os, "cpu_count", lambda: 64)
    assert tasks.parallel_options([])[:2] == ["-n", str(tasks.MAX_WORKERS)]
    monkeypatch.setattr(tasks.os, "cpu_count", lambda: None)
    assert tasks.parallel_options([])[:2] == ["-n", "1"]
    for own in (["-n", "0"], ["-n3"], ["--numprocesses=3"], ["--dist", "load"],
                ["-p", "no:xdist"], ["-k", "x", "-pno:xdist"], ["--pdb"], ["-x", "--trace"]):
        assert tasks.main(["test", *own]) == 0
        assert calls[-1][1][3:] == own, own


def test_root_gets_allow_root_and_is_told(tasks, monkeypatch, capsys):
    monkeypatch.setattr(tasks, "is_root", lambda: True)
    cmd = [str(c) for c in tasks.lab_command(["--port", "1"])]
    assert cmd[-3:] == ["--allow-root", "--port", "1"]
    assert capsys.readouterr().out == "Running as root: passing --allow-root to JupyterLab.\n"
    cmd = [str(c) for c in tasks.lab_command(["--allow-root"])]
    assert cmd.count("--allow-root") == 1
    assert capsys.readouterr().out == ""


def test_not_root_gets_no_allow_root(tasks, monkeypatch, capsys):
    monkeypatch.setattr(tasks, "is_root", lambda: False)
    assert "--allow-root" not in map(str, tasks.lab_command([]))
    assert capsys.readouterr().out == ""


def test_help_says_flags_pass_through(tasks, capsys):
    assert tasks.main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "Everything after the command is passed on unchanged" in out
    for command in ("tasks.py lab", "tasks.py test", "tasks.py voila", "tasks.py grade LESSON"):
        assert command in out
    assert "--allow-root" in out and "news" in out


def test_unknown_command_suggests_the_closest(tasks, capsys):
    assert tasks.main(["vola"]) == 2
    err = capsys.readouterr().err
    assert err == ("Unknown command 'vola': use one of 'lab', 'test', 'voila', 'grade'. "
                   "Did you mean 'voila'?\n")
    assert tasks.main([]) == 2
    assert capsys.readouterr().err == (
        "Unknown command nothing: use one of 'lab', 'test', 'voila', 'grade'.\n")


def test_no_news_prompt_keeps_other_settings_and_a_users_choice(tasks, monkeypatch, tmp_path):
    monkeypatch.setattr(tasks, "BIN", tmp_path / "bin")
    path = tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert tasks.no_news_prompt() == path
    key = "@jupyterlab/apputils-extension:notification"
    assert json.loads(path.read_text()) == {key: {"fetchNews": "false"}}
    path.write_text(json.dumps({"other": {"a": 1}, key: {"fetchNews": "true"}}))
    tasks.no_news_prompt()
    assert json.loads(path.read_text()) == {"other": {"a": 1}, key: {"fetchNews": "true"}}


def test_no_build_check_keeps_other_settings_and_a_users_choice(tasks, monkeypatch, tmp_path):
    monkeypatch.setattr(tasks, "BIN", tmp_path / "bin")
    path = tmp_path / "etc" / "jupyter" / "labconfig" / "page_config.json"
    assert tasks.no_build_check() == path
    assert json.loads(path.read_text()) == {"buildCheck": False, "buildAvailable": False}
    mine = {"disabledExtensions": {"x": True}, "buildCheck": True, "buildAvailable": True}
    path.write_text(json.dumps(mine))
    tasks.no_build_check()
    assert json.loads(path.read_text()) == mine


def test_call_runs_with_the_venv_first_on_path(tasks, monkeypatch, tmp_path):
    monkeypatch.setattr(tasks, "BIN", Path(sys.executable).parent)
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    out = tmp_path / "out.txt"
    code = tasks.call([sys.executable, "-c", f"import os; open({str(out)!r}, 'w').write("
                       "os.environ['PATH'])"], tmp_path)
    assert code == 0
    assert out.read_text().split(os.pathsep)[0] == str(Path(sys.executable).parent)


# --- the real servers ---------------------------------------------------------------------------

DRIVER = textwrap.dedent("""
    import importlib.util, sys
    from pathlib import Path
    spec = importlib.util.spec_from_file_location("tasks", sys.argv[1])
    tasks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tasks)
    tasks.setup = lambda extra: None          # nothing is installed: use this environment
    tasks.BIN = Path(sys.executable).parent
    tasks.LESSONS = Path(sys.argv[2])
    sys.exit(tasks.main(sys.argv[3:]))
""")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _course_copy(tmp_path: Path) -> Path:
    lessons = tmp_path / "lessons"
    if lessons.is_dir():  # made already, e.g. by _hostile_course
        return lessons
    lessons.mkdir()
    for name in ("nbgrader_config.py", "explorers.ipynb"):
        shutil.copy(ROOT / "lessons" / name, lessons)
    for folder in ("source", "release"):
        shutil.copytree(ROOT / "lessons" / folder, lessons / folder)
    return lessons


#: What a hostile student leaves in an autograded notebook of lesson 01: HTML with JavaScript
#: in the written answer (Markdown), and a code answer that displayed HTML with a script.
#: Each payload marks the page it runs in.
HOSTILE_MD = '<img src="x" onerror="window.PWNED_MD = 1">'
HOSTILE_OUT = "<b>hello</b><script>window.PWNED_OUT = 1</script>"
HOSTILE_LESSON = "01-primary-source"
HOSTILE_STUDENT = "solution"


def _hostile_course(tmp_path: Path) -> Path:
    """A copy of the course with lesson 01 autograded for three students by nbgrader (the
    shared course of tests/_lessons_course.py), in which the ``solution`` student's autograded
    notebook carries :data:`HOSTILE_MD` and :data:`HOSTILE_OUT`: the state Formgrader renders
    after autograding such a submission."""
    import _lessons_course
    import nbformat

    lessons = _course_copy(tmp_path)
    graded = _lessons_course.autograded(HOSTILE_LESSON)
    shutil.copy(graded / "gradebook.db", lessons)
    for folder in ("submitted", "autograded"):
        shutil.copytree(graded / folder, lessons / folder)
    path = (lessons / "autograded" / HOSTILE_STUDENT / HOSTILE_LESSON /
            f"{HOSTILE_LESSON}.ipynb")
    nb = nbformat.read(path, as_version=4)
    grade_ids = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    grade_ids["01-q6-written"].source += f"\n\n{HOSTILE_MD}"
    grade_ids["01-q1-answer"].outputs.append(nbformat.v4.new_output(
        "display_data", data={"text/html": HOSTILE_OUT, "text/plain": "<IPython.HTML>"}))
    nbformat.write(nb, path)
    return lessons


def _get(url: str, deadline: float) -> str:
    last = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=90) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            last = exc
            time.sleep(1)
    raise AssertionError(f"{url} did not answer: {last!r}")


def _start(tmp_path: Path, args: list[str], log: Path | None = None) -> subprocess.Popen:
    """tasks.py ``args`` in a copy of the course; its output piped, or written to ``log``."""
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    # A shell where .venv is not activated: only the system's folders on PATH.
    env = {**os.environ, "PATH": "/usr/bin:/bin"}
    out = subprocess.PIPE if log is None else open(log, "w")  # noqa: SIM115 (closed below)
    try:
        return subprocess.Popen([sys.executable, str(driver), str(ROOT / "tasks.py"),
                                 str(_course_copy(tmp_path)), *args], env=env,
                                stdout=out, stderr=subprocess.STDOUT, text=True,
                                start_new_session=True)
    finally:
        if log is not None:
            out.close()


def _stop(proc: subprocess.Popen) -> str:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        out, _ = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
    return out or ""


@pytest.fixture(scope="module")
def course_lab(tmp_path_factory):
    """``tasks.py lab`` serving a copy of the course, one server for the two tests below (a
    server start is CPU); yields its port and its output file. Its whole output, shutdown
    included, must hold no traceback."""
    tmp = tmp_path_factory.mktemp("course-lab")
    _hostile_course(tmp)  # for Formgrader's grading page, below
    port = _free_port()
    log = tmp / "lab.log"
    proc = _start(tmp, ["lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
                        "--ServerApp.token=", "--ServerApp.password="], log=log)
    try:
        yield port, log
    finally:
        _stop(proc)
    out = log.read_text()
    assert "Traceback" not in out, out[-3000:]


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_lab_serves_the_course_with_formgrader_and_no_news(course_lab):
    port, log = course_lab
    try:
        deadline = time.monotonic() + 180
        page = _get(f"http://127.0.0.1:{port}/lab", deadline)
        # The Formgrader's own API: it found nbgrader_config.py and lists every lesson.
        listed = json.loads(_get(f"http://127.0.0.1:{port}/formgrader/api/assignments",
                                 deadline))
        tree = json.loads(_get(f"http://127.0.0.1:{port}/api/contents/release", deadline))
        notification = json.loads(_get(f"http://127.0.0.1:{port}/lab/api/settings/"
                                       "@jupyterlab/apputils-extension:notification", deadline))
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=90) as response:
            landing = response.geturl()  # after the server's redirect
    finally:
        out = log.read_text()
    assert sorted(a["name"] for a in listed) == LESSON_NAMES, out[-3000:]
    assert sorted(item["name"] for item in tree["content"]) == LESSON_NAMES
    # JupyterLab's page config: news disabled, so no "official Jupyter news?" pop-up.
    config = json.loads(page.split('id="jupyter-config-data"', 1)[1].split(">", 1)[1]
                        .split("</script>", 1)[0])
    assert config["news"] == {"disabled": True}
    # ... and the pop-up asking about news is not shown: JupyterLab asks only while this
    # setting is "none" (its default). The override becomes the setting's default; the user's
    # own settings (empty here) would still win.
    assert notification["schema"]["properties"]["fetchNews"]["default"] == "false"
    assert "fetchNews" not in notification["settings"]
    # No build check: the page does not ask the server (which would run yarn) on every load.
    assert (config["buildCheck"], config["buildAvailable"]) == (False, False)
    assert landing == f"http://127.0.0.1:{port}/lab/tree/release"  # the student versions
    if os.geteuid() == 0:
        assert "Running as root: passing --allow-root to JupyterLab." in out
    assert "Traceback" not in out, out[-3000:]


def _hostile_submission_page(port: int, deadline: float) -> str:
    """The address of Formgrader's grading page for the hostile submission."""
    listed = json.loads(_get(f"http://127.0.0.1:{port}/formgrader/api/submitted_notebooks/"
                             f"{HOSTILE_LESSON}/{HOSTILE_LESSON}", deadline))
    [sub] = [n for n in listed if n["student"] == HOSTILE_STUDENT]
    return f"http://127.0.0.1:{port}/formgrader/submissions/{sub['id']}/"


class _Markup(html.parser.HTMLParser):
    """Every attribute value and every script's text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.attributes: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.attributes += [f"{k}={v}" for k, v in attrs]
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_formgrader_shows_a_hostile_submission_as_text(course_lab):
    # The course's nbgrader_config.py (policykit.grading.formgrader.SafeSubmissionView): the
    # written answer's HTML is shown escaped, the script output is replaced by a note, and
    # neither payload is markup the browser would run.
    from policykit.grading.formgrader import NOT_SHOWN

    port, log = course_lab
    page = _get(_hostile_submission_page(port, time.monotonic() + 180), time.monotonic() + 60)
    markup = _Markup()
    markup.feed(page)
    assert not [a for a in markup.attributes if "PWNED" in a]
    assert not [s for s in markup.scripts if "PWNED" in s]
    text = html.unescape(page)
    assert HOSTILE_MD in text  # as text: the grader sees what was tried
    assert NOT_SHOWN in text and "<b>hello</b>" not in page
    # The rest of the student's work is still there to grade (the instructor's own answer).
    assert "01-q6-written" in page
    assert "Traceback" not in log.read_text()


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.timeout(300)
def test_formgrader_runs_nothing_from_a_hostile_submission(course_lab, browser):
    """In Chromium: Formgrader's grading page of the hostile submission runs its own scripts
    (jQuery, which the page loads) but neither payload, once every image has failed or loaded
    (an ``onerror`` fires before the page's load event)."""
    from _browser import fresh_page

    port, _ = course_lab
    url = _hostile_submission_page(port, time.monotonic() + 180)
    with fresh_page(browser, "formgrader-hostile") as page:
        page.goto(url, wait_until="load", timeout=120_000)
        ran = page.evaluate("() => [typeof window.jQuery, window.PWNED_MD ?? null, "
                            "window.PWNED_OUT ?? null]")
        shown = page.get_by_text(HOSTILE_MD).count()  # the written answer, as text
    assert ran == ["function", None, None]
    assert shown == 1


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_voila_serves_the_explorers(tmp_path):
    port = _free_port()
    proc = _start(tmp_path, ["voila", "--no-browser", f"--port={port}"])
    try:
        page = _get(f"http://localhost:{port}/", time.monotonic() + 180)
    finally:
        out = _stop(proc)
    assert "<title>explorers</title>" in page, out[-3000:]
    # The notebook ran: its explorers are in the page as widget views.
    assert "application/vnd.jupyter.widget-view+json" in page
    assert "Traceback" not in out, out[-3000:]


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.timeout(300)
def test_lab_shows_no_news_pop_up_in_a_browser(course_lab, browser):
    """In Chromium: JupyterLab as `tasks.py lab` starts it opens on the student versions, and
    no notification asks about Jupyter news (the toast that covered the explorers).
    (The server is shared with the test above; Chromium with every browser test of this test
    process, see tests/_browser.py.)"""
    from _browser import fresh_page

    port, log = course_lab
    _get(f"http://127.0.0.1:{port}/api/status", time.monotonic() + 180)
    with fresh_page(browser, "tasks-lab-no-news",
                    viewport={"width": 1280, "height": 800}) as page:
        page.goto(f"http://127.0.0.1:{port}/", timeout=120_000)
        # The file browser lists the seven lessons of release/.
        page.wait_for_selector(f"text={LESSON_NAMES[-1]}", timeout=120_000)
        page.wait_for_timeout(4000)  # JupyterLab asks a few seconds after restoring
        toasts = page.locator(".Toastify__toast").all_inner_texts()
        body = page.inner_text("body")
    out = log.read_text()
    assert all(name in body for name in LESSON_NAMES), out[-2000:]
    assert not [t for t in toasts if "news" in t.lower()], toasts
    assert "official Jupyter news" not in body
