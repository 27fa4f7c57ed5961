"""A real JupyterHub (deploy/jupyterhub_config.py) driven in headless Chromium, one class cycle.

The hub runs as root on loopback ports with npm's configurable-http-proxy, logs local accounts
in with PAM (their system passwords), and starts each person's JupyterLab as that account.
In the browser: the instructor opens Formgrader, generates the student version of lesson 01
and releases it; a student sees it in the Assignments panel, fetches it, runs it (the letter
explorer renders), answers question 1 and submits; the instructor collects in Formgrader
(which refuses, in its dialog, a submission another student filed under the first one's name),
grades with ``policykit grade`` (the command, run as the instructor), generates and releases
feedback in Formgrader; the student fetches the feedback and reads the score. Between submit
and collect, the roles are checked: the instructor lists the class and opens the student's
server (JupyterHub's *Authorize access*, then the student's notebook) but can neither stop it
nor open the hub's admin page; the student can neither list the class nor open the
instructor's server. The accounts and their private homes are made by the guide's own
``useradd``, ``chmod 700`` and ``passwd`` lines (tests/_hub.py). The expected
score comes from the lesson's point values: question 1 is worth 1 point of 10 (nbgrader
metadata of the instructor version).

Needs root, Debian's python3 with venv, Node.js/npm and Chromium; in CI
(POLICYKIT_REQUIRE_BROWSER=1) a missing piece fails the test instead of skipping it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shlex
import shutil
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import _hub
import nbformat
import pytest
from _browser import (
    ARTIFACTS,
    TEST_CHROMIUM_ARGS,
    _wait_http,
    chromium_path,
    free_port,
    run_all,
    stop,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.timeout(600),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]

ROOT = Path(__file__).resolve().parents[1]
LESSON = "01-primary-source"
INSTRUCTOR = "pkh_instructor"
STUDENTS = ["pkh_student1", "pkh_student2", "pkh_student3"]
STUDENT = STUDENTS[0]
NB_PATH = f"{LESSON}/{LESSON}.ipynb"


def _question_1(source) -> tuple[str, float]:
    """The instructor's answer to question 1 and the points its tests are worth."""
    answer = points = None
    for cell in source.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade_id") == "01-q1-answer":
            answer = re.sub(r"^\s*### (BEGIN|END) SOLUTION\s*$\n?", "", cell.source,
                            flags=re.M).strip()
        if meta.get("grade_id") == "01-q1-tests":
            points = float(meta["points"])
    assert answer and points
    return answer, points


@pytest.fixture(scope="module")
def hub():
    _hub.require_accounts()
    chromium = chromium_path()
    # The proxy first: on a fresh machine its npm install runs while tests/test_exchange.py
    # may hold the lock of the accounts' venv (built once, shared by both tests).
    proxy = _hub.chp()
    venv = _hub.user_venv()
    with _hub.locked("hub-accounts"):
        base = _hub.shared_dir("policykit-hub-")
        try:
            yield from _start(base, venv, proxy, chromium)
        finally:
            shutil.rmtree(base, ignore_errors=True)


def _start(base: Path, venv: Path, proxy: Path, chromium: str):
    # The guide's commands (lessons/README.md), with temporary folders and the test's accounts.
    exchange = base / "exchange"
    config = base / "etc-jupyter"
    _hub.run_guide_command("mkdir -p /srv/", {"/srv/nbgrader/exchange": str(exchange)}, base)
    # The accounts read deploy/jupyter/<role>/: give them a copy they can reach (a checkout
    # under /root is out of their reach), and run the guide's commands from beside it.
    shutil.copytree(ROOT / "deploy", base / "deploy")
    _hub.run_guide_command("mkdir -p /etc/jupyter ", {"/etc/jupyter": str(config)}, base)
    [start] = [c for c in _hub.guide_commands() if "jupyterhub -f" in c]
    words = shlex.split(start.replace("alice", INSTRUCTOR).replace("bob,carol", ",".join(STUDENTS)))
    assigned = dict(w.split("=", 1) for w in words if "=" in w and not w.startswith("-"))
    argv = [w for w in words if w.split("=", 1)[0] not in assigned]
    assert argv[:1] == ["jupyterhub"]
    state = base / "hub-state"
    state.mkdir(mode=0o700)

    passwords = {}
    homes = {}
    for name in [INSTRUCTOR, *STUDENTS]:
        homes[name] = _hub.ensure_account(name)
        passwords[name] = secrets.token_urlsafe(12)
        _hub.set_password(name, passwords[name])
        # No "official Jupyter news?" toast over the panels (a per-user JupyterLab setting).
        settings = homes[name] / ".jupyter/lab/user-settings/@jupyterlab/apputils-extension"
        settings.mkdir(parents=True)
        (settings / "notification.jupyterlab-settings").write_text(
            json.dumps({"fetchNews": "false", "checkForUpdates": False}), encoding="utf-8")
        _hub.chown_tree(homes[name] / ".jupyter", name)
    _hub.give_course_folder(exchange, INSTRUCTOR)
    # The instructor's clone of the course (lessons/ with lesson 01), as the guide says.
    course = homes[INSTRUCTOR] / "lessons"
    (course / "source").mkdir(parents=True)
    shutil.copy(ROOT / "lessons" / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "lessons" / "source" / LESSON, course / "source" / LESSON)
    _hub.chown_tree(course, INSTRUCTOR)

    port, api, proxy_api = free_port(), free_port(), free_port()
    env = {
        "PATH": f"{venv / 'bin'}:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
        "LANG": "C.UTF-8", "HOME": str(state), "PYTHONWARNINGS": "ignore",
        "POLICYKIT_HUB_URL": f"http://127.0.0.1:{port}",
        "POLICYKIT_HUB_API_URL": f"http://127.0.0.1:{api}",
        "POLICYKIT_PROXY_API_URL": f"http://127.0.0.1:{proxy_api}",
        "POLICYKIT_HUB_STATE": str(state), "POLICYKIT_CHP": str(proxy),
        "POLICYKIT_SINGLEUSER": str(venv / "bin" / "jupyterhub-singleuser"),
        "POLICYKIT_JUPYTER_CONFIG": str(config), "POLICYKIT_EXCHANGE": str(exchange),
        **assigned,
    }
    assert assigned == {"POLICYKIT_INSTRUCTORS": INSTRUCTOR,
                        "POLICYKIT_STUDENTS": ",".join(STUDENTS)}
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / "jupyterhub.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(venv / "bin" / "jupyterhub"), *argv[1:]],
                                cwd=base, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_http(url + "/hub/api", proc, 90)
            yield {"url": url, "passwords": passwords, "homes": homes, "course": course,
                   "venv": venv, "exchange": exchange, "config": config, "log": log,
                   "chromium": chromium}
        finally:
            _stop_hub(proc)
            for name in passwords:  # no login with the test's passwords after the test
                subprocess.run(["passwd", "--lock", name], check=False, capture_output=True)


def _stop_hub(proc: subprocess.Popen) -> None:
    """Stop the hub (it stops the proxy and the users' servers), then anything left over."""
    import signal

    stop(proc, timeout=30)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    _hub.stop_processes(_hub.processes_of([INSTRUCTOR, *STUDENTS]))


def _login(browser, hub: dict, name: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(hub["url"] + "/hub/login", timeout=60_000)
    page.fill("#username_input", name)
    page.fill("#password_input", hub["passwords"][name])
    page.click("#login_submit")
    page.wait_for_url(re.compile(rf"/user/{name}/lab"), timeout=120_000)
    page.locator("#jp-main-dock-panel").wait_for(timeout=90_000)
    page.locator(".jp-LabShell").wait_for(timeout=30_000)
    return context, page


def _menu(page, *labels: str) -> None:
    page.get_by_role("menuitem", name=labels[0], exact=True).click()
    for label in labels[1:]:
        page.locator(".lm-Menu-item", has_text=re.compile(rf"^{re.escape(label)}$")).first.click()


def _formgrader_action(frame, icon: str, success: str) -> str:
    """Click an assignment's action in Formgrader, wait for its success dialog and return the
    dialog's text (with nbgrader's log output, if any)."""
    row = frame.locator("tr", has_text=LESSON).first
    row.locator(f"span.glyphicon-{icon}").click()
    modal = frame.locator("#success-modal")
    modal.wait_for(state="visible", timeout=120_000)
    text = modal.inner_text()
    assert success in text, text
    modal.locator("button.close").first.click()
    modal.wait_for(state="hidden", timeout=30_000)
    return text


def _forge_submission(hub: dict, forger: str, victim: str) -> str:
    """As ``forger``, file an (empty) submission under ``victim``'s name, dated after every
    real one, straight into the exchange; return its file name."""
    later = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    name = f"{victim}+{LESSON}+{later}+forged"
    inbound = hub["exchange"] / "policykit" / "inbound"
    _hub.run_as(forger, ["mkdir", str(inbound / name)], cwd=hub["homes"][forger],
                env=_hub.account_env(forger, hub["venv"]))
    return name


def _save(page, attempts: int = 3) -> None:
    """File > Save Notebook, retried until the notebook is no longer marked as changed."""
    clean = "() => !document.querySelector('.lm-TabBar-tab.jp-mod-dirty')"
    for _ in range(attempts):
        page.get_by_role("menuitem", name="File", exact=True).click()
        page.locator("li.lm-Menu-item[data-command='docmanager:save']").click()
        try:
            page.wait_for_function(clean, timeout=15_000)
            return
        except Exception as exc:
            if type(exc).__name__ != "TimeoutError":
                raise
            page.keyboard.press("Escape")
    raise AssertionError(f"the notebook was not saved in {attempts} attempts")


def _run_as_instructor(hub: dict, *args: str) -> str:
    env = _hub.account_env(INSTRUCTOR, hub["venv"], JUPYTER_CONFIG_PATH=str(hub["config"]),
                           POLICYKIT_EXCHANGE=str(hub["exchange"]))
    return _hub.run_as(INSTRUCTOR, list(args), cwd=hub["course"], env=env, timeout=300).stdout


def _shot(page, name: str) -> None:
    with contextlib.suppress(Exception):
        page.screenshot(path=str(ARTIFACTS / f"hub-{name}.png"))


def _hub_api(context, hub: dict, method: str, path: str):
    """A request to the hub's REST API with this browser context's login (cookie and XSRF
    token, as the hub's own pages send them)."""
    xsrf = next((c["value"] for c in context.cookies(hub["url"] + "/hub/")
                 if c["name"] == "_xsrf"), "")
    return context.request.fetch(hub["url"] + path, method=method,
                                 headers={"X-XSRFToken": xsrf})


def _check_who_may_open_whose_server(hub: dict, teacher, pupil, answer: str) -> None:
    """deploy/jupyterhub_config.py's roles: an instructor sees the class and can open a
    student's server (in a workspace of their own) but is no hub administrator; a student
    reaches no one else's server and cannot list the class."""
    # The class list: the instructor's role has list:users; a student has no such scope.
    listed = _hub_api(teacher, hub, "GET", "/hub/api/users")
    assert listed.ok, listed.status
    assert {u["name"] for u in listed.json()} == {INSTRUCTOR, *STUDENTS}
    assert _hub_api(pupil, hub, "GET", "/hub/api/users").status == 403
    # The instructor opens the student's server: JupyterHub asks to authorize once, then the
    # student's files (here the answer just submitted) are the instructor's to read.
    page = teacher.new_page()
    try:
        page.goto(f"{hub['url']}/user/{STUDENT}/lab/workspaces/help")
        page.get_by_role("button", name="Authorize").click()
        page.wait_for_url(re.compile(rf"/user/{STUDENT}/lab/workspaces/help"))
        page.locator(".jp-LabShell").wait_for(timeout=90_000)
        _shot(page, "instructor-in-student-server")
        notebook = page.request.get(f"{hub['url']}/user/{STUDENT}/api/contents/{NB_PATH}")
        assert notebook.ok, notebook.status
        cells = notebook.json()["content"]["cells"]
        assert [c["source"] for c in cells if c["metadata"].get("nbgrader", {}).get(
            "grade_id") == "01-q1-answer"] == [answer]
    finally:
        page.close()
    # ...but cannot stop it, nor use the hub's admin page: instructors are not admins. (The
    # hub answers 404 to a request its scopes do not cover on a user it may see.)
    stop = _hub_api(teacher, hub, "DELETE", f"/hub/api/users/{STUDENT}/server")
    assert stop.status in (403, 404), stop.status
    assert pupil.request.get(f"{hub['url']}/user/{STUDENT}/api/status").ok, "server stopped"
    assert teacher.request.get(f"{hub['url']}/hub/admin").status == 403
    # A student trying the instructor's server: the hub refuses to authorize it.
    page = pupil.new_page()
    try:
        response = page.goto(f"{hub['url']}/user/{INSTRUCTOR}/lab/workspaces/peek")
        assert response.status == 403, (response.status, page.url)
        assert "You do not have permission to access" in page.locator("body").inner_text()
        assert page.locator(".jp-LabShell").count() == 0
    finally:
        page.close()
    denied = pupil.request.get(f"{hub['url']}/user/{INSTRUCTOR}/api/contents/lessons")
    assert denied.status == 403, denied.status


def test_every_line_of_the_guides_hub_commands_is_run():
    # lessons/README.md's JupyterHub block, line by line: each is one the tests run
    # (tests/_hub.py's GUIDE_LINES, used by this file, tests/test_exchange.py and _hub.py).
    lines = _hub.guide_commands()
    assert [line for line in lines if not line.startswith(_hub.GUIDE_LINES)] == []
    assert [[line for line in lines if line.startswith(p)] != [] for p in _hub.GUIDE_LINES] == [
        True] * len(_hub.GUIDE_LINES), "a line the tests run left the guide"
    assert len(lines) == len(_hub.GUIDE_LINES)


def test_class_cycle_on_jupyterhub(hub):
    sync_api = pytest.importorskip("playwright.sync_api")
    source = nbformat.read(hub["course"] / "source" / LESSON / f"{LESSON}.ipynb", as_version=4)
    answer, q1_points = _question_1(source)
    total = sum(float(c.metadata["nbgrader"]["points"]) for c in source.cells
                if c.metadata.get("nbgrader", {}).get("grade"))
    timings = {}
    clock = time.monotonic()

    def lap(step: str) -> None:
        nonlocal clock
        timings[step] = round(time.monotonic() - clock, 1)
        clock = time.monotonic()

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=hub["chromium"],
                                     args=TEST_CHROMIUM_ARGS)
        try:
            # 1. The instructor releases lesson 01 from Formgrader.
            teacher, tpage = _login(browser, hub, INSTRUCTOR)
            lap("instructor login")
            _menu(tpage, "Nbgrader", "Formgrader")
            frame = tpage.frame_locator("iframe[src*='formgrader']").first
            frame.locator("tr", has_text=LESSON).first.wait_for(timeout=60_000)
            _shot(tpage, "formgrader")
            _formgrader_action(frame, "education",
                               f"Successfully created the student version of '{LESSON}':")
            _formgrader_action(frame, "cloud-upload", f"Successfully released '{LESSON}'.")
            lap("generate and release")

            # 2. A student: Assignments panel, fetch, run, answer, submit.
            pupil, spage = _login(browser, hub, STUDENT)
            lap("student login")
            _menu(spage, "Nbgrader", "Assignment List")
            released = spage.locator("#released_assignments_list")
            released.locator(".list_item", has_text=LESSON).wait_for(timeout=60_000)
            released.locator(".list_item", has_text=LESSON).get_by_role(
                "button", name="Fetch").click()
            fetched = spage.locator("#fetched_assignments_list")
            fetched.locator("a", has_text=LESSON).first.wait_for(timeout=60_000)
            lap("fetch")
            # Students have no Formgrader: its lab extension and its server API are off.
            assert tpage.request.get(
                f"{hub['url']}/user/{INSTRUCTOR}/formgrader/api/assignments").ok
            assert spage.request.get(
                f"{hub['url']}/user/{STUDENT}/formgrader/api/assignments").status == 404
            page_config = "() => JSON.parse(document.getElementById('jupyter-config-data')" \
                          ".textContent)"
            student_config = spage.evaluate(page_config)
            teacher_config = tpage.evaluate(page_config)
            off = {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:course-list",
                   "@jupyter/nbgrader:create-assignment"}
            assert off <= set(student_config["disabledExtensions"])
            assert not off & set(teacher_config["disabledExtensions"])
            # Neither role's JupyterLab runs a build check on page load (all prebuilt).
            for config in (student_config, teacher_config):
                assert (config["buildCheck"], config["buildAvailable"]) == (False, False)
            spage.goto(f"{hub['url']}/user/{STUDENT}/lab/tree/{NB_PATH}?reset")
            spage.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(
                timeout=90_000)
            run_all(spage)
            spage.locator(".policykit-letter .policykit-summary").first.wait_for(
                state="visible", timeout=120_000)
            spage.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(
                timeout=120_000)
            _shot(spage, "student-explorer")
            lap("run all")
            stub = spage.locator(".jp-CodeCell .cm-content", has_text="# YOUR CODE HERE").first
            stub.click()
            spage.keyboard.press("Control+a")
            spage.keyboard.insert_text(answer)
            spage.keyboard.press("Escape")
            _save(spage)
            saved = nbformat.read(hub["homes"][STUDENT] / NB_PATH, as_version=4)
            assert [c.source for c in saved.cells
                    if c.metadata.get("nbgrader", {}).get("grade_id") == "01-q1-answer"
                    ] == [answer]
            spage.get_by_role("menuitem", name="Nbgrader", exact=True).click()
            spage.locator(".lm-Menu-item", has_text="Assignment List").first.click()
            item = spage.locator("#fetched_assignments_list .list_item",
                                 has_text=LESSON).first
            item.get_by_role("button", name="Submit").click()
            submitted = spage.locator("#submitted_assignments_list .list_item",
                                      has_text=LESSON)
            submitted.first.wait_for(timeout=60_000)
            lap("answer and submit")
            _check_who_may_open_whose_server(hub, teacher, pupil, answer)
            lap("access")

            # 3. The instructor collects, grades with policykit, releases feedback. Another
            # student first filed an empty submission under this student's name: Collect
            # refuses it and says so in its dialog (deploy/nbgrader_config.py's collect), and
            # the grade below is the student's own.
            forged = _forge_submission(hub, STUDENTS[1], STUDENT)
            collected = _formgrader_action(frame, "cloud-download",
                                           f"Successfully collected submissions of '{LESSON}'.")
            assert (f"Refused {forged}: it is filed under {STUDENT!r} but was made by "
                    f"{STUDENTS[1]!r}.") in collected, collected
            lap("collect")
            graded = _run_as_instructor(hub, "policykit", "grade", LESSON)
            assert f"{STUDENT}: {q1_points:g}/{total:g}" in graded, graded
            lap("policykit grade")
            tpage.reload()
            _menu(tpage, "Nbgrader", "Formgrader")
            frame = tpage.frame_locator("iframe[src*='formgrader']").first
            frame.locator("tr", has_text=LESSON).first.wait_for(timeout=60_000)
            _formgrader_action(frame, "comment",
                               f"Successfully generated feedback of '{LESSON}'.")
            _formgrader_action(frame, "envelope",
                               f"Successfully released feedback of '{LESSON}'.")
            lap("feedback")

            # 4. The student fetches the feedback and reads the score.
            spage.locator("#refresh_assignments_list").click()
            submitted = spage.locator("#submitted_assignments_list .list_item",
                                      has_text=LESSON).first
            submitted.get_by_role("button", name="Fetch Feedback").click()
            submitted.get_by_text("(view feedback)").wait_for(timeout=60_000)
            feedback = sorted((hub["homes"][STUDENT] / LESSON / "feedback").glob(
                f"*/{LESSON}.html"))
            assert len(feedback) == 1
            rel = feedback[0].relative_to(hub["homes"][STUDENT])
            spage.goto(f"{hub['url']}/user/{STUDENT}/files/{rel}")
            body = spage.locator("body").inner_text()
            _shot(spage, "student-feedback")
            assert f"Score: {q1_points:.1f} / {total:.1f}" in body
            lap("fetch and read feedback")
            teacher.close()
            pupil.close()
        except Exception:
            for context in browser.contexts:
                for number, page in enumerate(context.pages):
                    _shot(page, f"failure-{id(context)}-{number}")
                    with contextlib.suppress(Exception):
                        print("dialog:", page.locator(".jp-Dialog").all_inner_texts())
            raise
        finally:
            browser.close()
            print("timings (s):", timings)
