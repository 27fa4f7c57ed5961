"""Feedback pages hide the hidden tests; autograde warns only about test cells a student changed.

One lesson (``01-primary-source``, the one the guide's commands name) is generated in a temporary
copy of the course, and two students hand it in:

- ``untouched``: the student version as released. Its visible tests fail on the missing answers,
  and IPython's traceback would print the lines around the failing one - the hidden tests below.
- ``wrong``: the instructor's answers, except a wrong passage count in Question 1 (a whole number,
  so the visible tests pass and a hidden test fails on the expected value), and one visible line
  deleted from Question 2's test cell (real tampering, which must still be reported).

The course is generated once (``nbgrader generate_assignment``, the module fixture
``generated``) and graded in copies: twice by the guide's two commands - plain ``nbgrader
autograde`` in one copy, ``policykit grade`` in another - and ``nbgrader generate_feedback``
writes the pages; and once more without the config's checksum step. The hidden lines to look for
are read from the instructor source, never typed here.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[1]
LESSON = "01-primary-source"
BIN = Path(sys.executable).parent
CHECKSUM = re.compile(r"Attribute 'checksum' for cell (\S+) has changed!")


def _env() -> dict[str, str]:
    # nbgrader calls 'alembic' from PATH: this interpreter's scripts come first.
    return {**os.environ, "PATH": os.pathsep.join([str(BIN), os.environ.get("PATH", "")])}


def run(cmd: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run one of the guide's commands, as printed, in ``cwd``; fail with its output."""
    argv = cmd.split()
    exe = shutil.which(argv[0], path=str(BIN)) or argv[0]
    result = subprocess.run([exe, *argv[1:]], cwd=cwd, env=_env(), capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, f"{cmd!r} exited {result.returncode}:\n{result.stdout[-3000:]}" \
                                   f"\n{result.stderr[-3000:]}"
    return result


def _grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def _hidden_lines(nb) -> dict[str, list[str]]:
    """Per test cell of the instructor source, the non-empty lines between the markers."""
    found = {}
    for cell in nb.cells:
        inside, lines = False, []
        for line in cell.source.splitlines():
            if "BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "END HIDDEN TESTS" in line:
                inside = False
            elif inside and line.strip():
                lines.append(line.strip())
        if lines:
            found[_grade_id(cell)] = lines
    return found


def _wrong(source, release):
    """The instructor's answers in the student version, with two changes (see the docstring)."""
    answers = {_grade_id(c): c.source for c in source.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    nb = nbformat.from_dict(json.loads(json.dumps(release)))
    for cell in nb.cells:
        gid = _grade_id(cell)
        if gid in answers and cell.cell_type == "code":
            cell.source = answers[gid]
        if gid == "01-q1-answer":
            assert "n_passages = " in cell.source, "lesson 01 changed: update _wrong()"
            cell.source += "\nn_passages = n_passages - 1  # one passage missed"
        if gid == "01-q2-tests":
            lines = cell.source.splitlines()
            cell.source = "\n".join(lines[:-1])  # the student deletes the last visible check
    return nb


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A copy of the course with lesson 01 generated (source, release, gradebook); read-only:
    the tests grade copies of it."""
    base = tmp_path_factory.mktemp("feedback-generated") / "lessons"
    base.mkdir()
    shutil.copy(ROOT / "lessons" / "nbgrader_config.py", base)
    shutil.copytree(ROOT / "lessons" / "source" / LESSON, base / "source" / LESSON)
    run(f"nbgrader generate_assignment {LESSON} --force", base)
    return base


@pytest.fixture(scope="module")
def courses(tmp_path_factory, generated):
    """Two graded copies of the course: {'nbgrader': (root, log), 'policykit': (root, log)}."""
    base = tmp_path_factory.mktemp("feedback") / "lessons"
    shutil.copytree(generated, base)
    source = nbformat.read(base / "source" / LESSON / f"{LESSON}.ipynb", as_version=4)
    release = nbformat.read(base / "release" / LESSON / f"{LESSON}.ipynb", as_version=4)
    for student, nb in (("untouched", release), ("wrong", _wrong(source, release))):
        folder = base / "submitted" / student / LESSON
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{LESSON}.ipynb")
    graded = {}
    for how, command in (("nbgrader", f"nbgrader autograde {LESSON} --force"),
                         ("policykit", f"policykit grade {LESSON}")):
        root = base.parent / how / "lessons"
        shutil.copytree(base, root)
        if how == "policykit" and shutil.which("bwrap") is None and not os.environ.get("CI"):
            command += " --no-sandbox"  # the pages do not depend on the sandbox
        log = run(command, root)
        run(f"nbgrader generate_feedback {LESSON}", root)
        graded[how] = (root, log.stdout + log.stderr)
    return {"source": source, **graded}


def _page_text(root: Path, student: str) -> str:
    page = root / "feedback" / student / LESSON / f"{LESSON}.html"
    text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
    return re.sub(r"[ \t]+", " ", text)


@pytest.mark.parametrize("how", ["nbgrader", "policykit"])
@pytest.mark.parametrize("student", ["untouched", "wrong"])
def test_feedback_shows_no_hidden_test_line(courses, how, student):
    root, _ = courses[how]
    text = _page_text(root, student)
    hidden = _hidden_lines(courses["source"])
    assert len(hidden) >= 3, "lesson 01 should have hidden tests"
    # The autograded notebook (the instructor's view) does hold them: the check can fail.
    graded = (root / "autograded" / student / LESSON / f"{LESSON}.ipynb").read_text()
    assert "BEGIN HIDDEN TESTS" in graded
    shown = [line for lines in hidden.values() for line in lines
             if len(line) >= 12 and re.search(r"[A-Za-z]{3}", line)  # not ')' or 'else:'
             and re.sub(r"[ \t]+", " ", line) in text]
    assert shown == []
    assert "HIDDEN TESTS" not in text


@pytest.mark.parametrize("how", ["nbgrader", "policykit"])
def test_failed_hidden_test_names_no_expected_value(courses, how):
    root, _ = courses[how]
    text = _page_text(root, "wrong")
    # Question 1's hidden test compares the count with the recorded one; the page says only
    # that a hidden test failed, and the visible tests' own lines are still shown.
    assert "AssertionError: a hidden test failed." in text
    assert "int(n_passages) ==" not in text
    assert 'with question("Question 1"):' in text
    # Scores come from the gradebook, before anything is hidden: the page still shows them.
    assert re.search(r"Score: 0(\.0)? / \d", text)


def test_untouched_failure_keeps_its_message(courses):
    # A visible test failing on a missing answer keeps the NameError naming the student's own
    # variable, without the traceback's context lines.
    text = _page_text(courses["nbgrader"][0], "untouched")
    assert "NameError: name 'n_passages' is not defined" in text


def test_checksum_warning_only_for_the_edited_test_cell(courses):
    _, log = courses["nbgrader"]
    warned = CHECKSUM.findall(log)
    # One warning: the 'wrong' student's edited Question 2 tests; none for untouched cells.
    assert warned == ["01-q2-tests"], log[-3000:]
    # The edited cell was still restored and graded in its original form.
    graded = nbformat.read(courses["nbgrader"][0] / "autograded" / "wrong" / LESSON /
                           f"{LESSON}.ipynb", as_version=4)
    original = next(c for c in courses["source"].cells if _grade_id(c) == "01-q2-tests")
    restored = next(c for c in graded.cells if _grade_id(c) == "01-q2-tests")
    assert restored.source == original.source


def test_without_the_config_step_nbgrader_warns_for_every_test_cell(tmp_path, generated):
    """The warning the config removes is real (nbgrader #1961): the same untouched submission,
    graded with nbgrader's default sanitize steps, warns once per test cell. (The student
    version is the one generated with the course's config: the sanitize steps only change
    autograde.)"""
    root = tmp_path / "lessons"
    shutil.copytree(generated, root)
    config = (ROOT / "lessons" / "nbgrader_config.py").read_text(encoding="utf-8")
    (root / "nbgrader_config.py").write_text(
        config + "\nc.Autograde.sanitize_preprocessors = ["
                 "'nbgrader.preprocessors.ClearOutput', "
                 "'nbgrader.preprocessors.DeduplicateIds', "
                 "'nbgrader.preprocessors.OverwriteKernelspec', "
                 "'nbgrader.preprocessors.OverwriteCells', "
                 "'nbgrader.preprocessors.CheckCellMetadata']\n", encoding="utf-8")
    folder = root / "submitted" / "untouched" / LESSON
    folder.mkdir(parents=True)
    shutil.copy(root / "release" / LESSON / f"{LESSON}.ipynb", folder)
    log = run(f"nbgrader autograde {LESSON} --force", root)
    tests_with_hidden = sorted(_hidden_lines(nbformat.read(
        root / "source" / LESSON / f"{LESSON}.ipynb", as_version=4)))
    assert sorted(CHECKSUM.findall(log.stdout + log.stderr)) == tests_with_hidden
