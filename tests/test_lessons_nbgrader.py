"""nbgrader, for real: generate, autograde and give feedback on every lesson.

Each lesson's course is generated and autograded once per test run, in tests/_lessons_course.py
(shared with tests/test_lessons_execute.py and tests/test_grade_lessons.py; these tests only
read it). nbgrader runs in the test process through its own API (``nbgrader.apps.NbGraderAPI``,
what ``nbgrader <command>`` and the formgrader call), so the repository-root conftest's fix for
the kernel-channel stall applies to the notebooks it executes. Three students hand in every
lesson:

- ``solution``: the instructor source itself, which must score full marks on autograded parts
  (that it runs without an error, offline, is checked in tests/test_lessons_execute.py on the
  same autograded notebook);
- ``untouched``: the student version as released, which must score 0 on them;
- ``crasher``: the student version with correct answers except one answer cell that raises
  (``1/0``), which must still be graded, losing exactly that question's points.

``policykit grade`` grades the same lessons in tests/test_grade_lessons.py.
"""

from __future__ import annotations

import json
import re

import _lessons_course
import nbformat
import pytest
from _lessons_course import LESSON_NAMES, LESSONS, STUDENTS
from traitlets.config.loader import PyFileConfigLoader

_nbgrader = _lessons_course.nbgrader_meta

pytestmark = [
    pytest.mark.slow,
    # A lesson's course fixture may generate, autograde (3 students) and feed back the lesson
    # on a busy machine, or wait for another worker that does; more than the suite's 300 s
    # default per test is allowed.
    pytest.mark.timeout(1500),
    # nbgrader 0.9 imports sqlalchemy's declarative_base from its 1.x location; sqlalchemy 2
    # warns about it. Not ours to fix and harmless for these tests.
    pytest.mark.filterwarnings("ignore::DeprecationWarning:nbgrader.*"),
    pytest.mark.filterwarnings("ignore:.*declarative_base.*"),
    # nbgrader's gradebook code, on sqlalchemy 2, warns "Object of type <SubmittedAssignment>
    # not in session" during autoflush while creating submissions; the rows are saved anyway.
    pytest.mark.filterwarnings("ignore:Object of type .* not in session:sqlalchemy.exc.SAWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]


def _solution_lines(source: str, begin: str, end: str) -> list[str]:
    """Non-empty lines between nbgrader's markers (solutions or hidden tests)."""
    lines, inside = [], False
    for line in source.splitlines():
        if begin in line:
            inside = True
        elif end in line:
            inside = False
        elif inside and line.strip():
            lines.append(line.strip())
    return lines


@pytest.fixture(scope="module")
def course(lesson):
    """One lesson generated, submitted by three students, autograded and fed back (built once
    per run by tests/_lessons_course.py; read-only). One course per lesson (``lesson`` is
    parametrized with module scope), so parallel test workers can take different lessons
    (tests/conftest.py)."""
    root = _lessons_course.autograded(lesson)
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    db_url = config.CourseDirectory.db_url
    assert db_url == f"sqlite:///{root.resolve() / 'gradebook.db'}", "gradebook beside config"
    crashed = json.loads((root / _lessons_course.CRASHED_FILE).read_text(encoding="utf-8"))
    return {"root": root, "generated": _lessons_course.generated(lesson), "db_url": db_url,
            "crashed": {lesson: crashed}}


@pytest.fixture(scope="module")
def gradebook(course):
    from nbgrader.api import Gradebook

    with Gradebook(course["db_url"]) as gb:
        yield gb


def test_course_has_lessons():
    assert len(LESSON_NAMES) >= 4, f"expected lessons under {LESSONS / 'source'}"


# --- generate_assignment --------------------------------------------------------------------

def _comparable(nb) -> dict:
    """What a student receives: cell types, sources and metadata (not ids or outputs)."""
    return {
        "metadata": {k: v for k, v in nb.metadata.items() if k in ("kernelspec",)},
        "cells": [{"cell_type": c.cell_type, "source": c.source, "metadata": dict(c.metadata)}
                  for c in nb.cells],
    }


@pytest.mark.parametrize("lesson", LESSON_NAMES, scope="module")
def test_committed_release_equals_fresh_generation(course, lesson):
    fresh_path = course["generated"] / "release" / lesson / f"{lesson}.ipynb"
    fresh = nbformat.read(fresh_path, as_version=4)
    committed_path = LESSONS / "release" / lesson / f"{lesson}.ipynb"
    assert committed_path.exists(), f"{committed_path} missing: run lessons/generate_release.py"
    committed = nbformat.read(committed_path, as_version=4)
    assert _comparable(committed) == _comparable(fresh), (
        f"lessons/release/{lesson} is stale: run python lessons/generate_release.py")


@pytest.mark.parametrize("lesson", LESSON_NAMES)
def test_release_has_no_solutions_or_hidden_tests(lesson):
    source = nbformat.read(LESSONS / "source" / lesson / f"{lesson}.ipynb", as_version=4)
    release_text = (LESSONS / "release" / lesson / f"{lesson}.ipynb").read_text(encoding="utf-8")
    release = nbformat.reads(release_text, as_version=4)
    release_lines = {line.strip() for c in release.cells for line in c.source.splitlines()}
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in release_text, f"{lesson}: {marker!r} left in the student version"
    for cell in source.cells:
        meta = _nbgrader(cell)
        leaked = []
        if meta.get("solution") and cell.cell_type == "code":
            leaked = _solution_lines(cell.source, "BEGIN SOLUTION", "END SOLUTION")
        elif meta.get("solution"):  # a written answer: the model answer must be gone
            leaked = [line.strip() for line in cell.source.splitlines() if len(line) > 30]
        if meta.get("grade") and cell.cell_type == "code":
            leaked += _solution_lines(cell.source, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
        for line in leaked:
            if len(line) >= 12 and re.search(r"[A-Za-z]{3}", line):  # not ')' or 'else:'
                assert line not in release_lines, (
                    f"{lesson} {meta['grade_id']}: {line!r} is in the student version")


def test_grade_ids_unique_across_the_course():
    seen: dict[str, str] = {}
    for lesson in LESSON_NAMES:
        nb = nbformat.read(LESSONS / "source" / lesson / f"{lesson}.ipynb", as_version=4)
        for cell in nb.cells:
            gid = _nbgrader(cell).get("grade_id")
            if gid is None:
                continue
            assert gid not in seen, f"grade id {gid!r} used in {seen.get(gid)} and {lesson}"
            seen[gid] = lesson
            assert gid.startswith(lesson[:2] + "-"), f"{gid!r} should start with {lesson[:2]}-"


@pytest.mark.parametrize("lesson", LESSON_NAMES)
def test_lesson_shape(lesson):
    nb = nbformat.read(LESSONS / "source" / lesson / f"{lesson}.ipynb", as_version=4)
    assert re.match(rf"# {lesson[:2]} · \S", nb.cells[0].source), "title '# NN · Verb-led title'"
    for heading in ("What you'll do", "What you'll learn", "What you'll need"):
        assert heading in nb.cells[0].source, f"opening cell lacks {heading!r}"
    metas = [_nbgrader(c) for c in nb.cells]
    auto = [m for m, c in zip(metas, nb.cells, strict=True)
            if m.get("grade") and c.cell_type == "code"]
    written = [m for m, c in zip(metas, nb.cells, strict=True)
               if m.get("grade") and c.cell_type == "markdown"]
    if lesson[:2] != "07":  # the capstone is a memo, graded by hand
        assert 3 <= len(auto) <= 6, f"{lesson}: {len(auto)} autograded questions"
    assert 1 <= len(written) <= 2 or lesson[:2] == "07", f"{lesson}: {len(written)} written"
    setup = next(c for c in nb.cells if c.cell_type == "code")
    assert _nbgrader(setup).get("locked") and "import policykit" in setup.source


@pytest.mark.parametrize("lesson", LESSON_NAMES)
def test_visible_tests_run_inside_question_and_hidden_tests_outside(lesson):
    """Visible tests report an unanswered question in a student's session (so Run All goes on);
    hidden tests stay outside the ``with`` block, so they always fail on a missing answer."""
    nb = nbformat.read(LESSONS / "source" / lesson / f"{lesson}.ipynb", as_version=4)
    setup = next(c for c in nb.cells if c.cell_type == "code")
    assert "from policykit.exercises import question" in setup.source
    for cell in nb.cells:
        meta = _nbgrader(cell)
        if not (meta.get("grade") and cell.cell_type == "code"):
            continue
        number = re.search(r"-q(\d+)-", meta["grade_id"]).group(1)
        visible, _, hidden = cell.source.partition("### BEGIN HIDDEN TESTS")
        assert visible.startswith(f'with question("Question {number}"):\n'), meta["grade_id"]
        assert all(line.startswith("    ") for line in visible.splitlines()[1:] if line.strip()), (
            f"{meta['grade_id']}: every visible test belongs inside the with block")
        assert hidden.strip(), f"{meta['grade_id']}: no hidden tests"
        first = next(line for line in hidden.splitlines()[1:]
                     if line.strip() and not line.lstrip().startswith("#"))
        assert not first[0].isspace(), (
            f"{meta['grade_id']}: hidden tests must not be indented into the with block")


def test_code_stub_does_not_stop_run_all():
    config = PyFileConfigLoader("nbgrader_config.py", path=str(LESSONS)).load_config()
    stub = config.ClearSolutions.code_stub["python"]
    assert stub.startswith("# YOUR CODE HERE")
    exec(compile(stub, "<stub>", "exec"), {})  # must not raise


# --- autograde ------------------------------------------------------------------------------

def _submission(gradebook, lesson, student):
    return gradebook.find_submission(lesson, student)


@pytest.mark.parametrize("lesson", LESSON_NAMES, scope="module")
def test_solution_scores_full_marks(course, gradebook, lesson):
    sub = _submission(gradebook, lesson, "solution")
    if sub.max_code_score == 0:
        pytest.skip(f"{lesson} has no autograded questions")
    assert sub.code_score == sub.max_code_score, _failing(gradebook, lesson, "solution")


@pytest.mark.parametrize("lesson", LESSON_NAMES, scope="module")
def test_untouched_release_scores_zero(course, gradebook, lesson):
    sub = _submission(gradebook, lesson, "untouched")
    assert sub.code_score == 0, _failing(gradebook, lesson, "untouched")


@pytest.mark.parametrize("lesson", LESSON_NAMES, scope="module")
def test_untouched_answers_fail_under_autograde_not_reported(course, lesson):
    """nbgrader sets NBGRADER_EXECUTION while autograding: question() must re-raise the NameError
    rather than print "not answered yet"."""
    path = course["root"] / "autograded" / "untouched" / lesson / f"{lesson}.ipynb"
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        meta = _nbgrader(cell)
        if not (meta.get("grade") and cell.cell_type == "code"):
            continue
        errors = [o for o in cell.outputs if o.output_type == "error"]
        printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        assert [e.ename for e in errors] == ["NameError"], meta["grade_id"]
        assert "not answered yet" not in printed, meta["grade_id"]


@pytest.mark.parametrize("lesson", LESSON_NAMES, scope="module")
def test_raising_submission_is_still_graded(course, gradebook, lesson):
    crashed = course["crashed"][lesson]
    sub = _submission(gradebook, lesson, "crasher")
    if crashed is None:
        pytest.skip(f"{lesson} has no code answer cell")
    assert sub.max_code_score > 0
    # Grade cells testing the crashed answer lose their points; every other one keeps them.
    lost = sub.max_code_score - sub.code_score
    assert 0 < lost < sub.max_code_score, _failing(gradebook, lesson, "crasher")
    for other in STUDENTS:
        assert _submission(gradebook, lesson, other).max_code_score == sub.max_code_score


def _failing(gradebook, lesson, student) -> str:
    nb = gradebook.find_submission_notebook(lesson, lesson, student)
    return "; ".join(f"{g.name}: {g.score}/{g.max_score}" for g in nb.grades
                     if g.cell_type == "code")


# --- feedback -------------------------------------------------------------------------------

_FIGURE_CALL = re.compile(r"^\s*policykit\.(explore|figures)\.\w+\(.*\)\s*$")
_CDN_SCRIPT = re.compile(r"""<script[^>]*\bsrc=["'][^"']*cdn\.plot\.ly""")
_FIGURE_HTML = re.compile(r'class="plotly-graph-div"|<svg[\s>]|<img[\s>]')


def _figure_cells(nb) -> int:
    """Code cells whose last line shows an explorer or a figure."""
    count = 0
    for cell in nb.cells:
        lines = [line for line in cell.source.splitlines() if line.strip()]
        if cell.cell_type == "code" and lines and _FIGURE_CALL.match(lines[-1]):
            count += 1
    return count


@pytest.mark.parametrize("lesson", LESSON_NAMES, scope="module")
def test_feedback_shows_static_figures(course, lesson):
    for student in STUDENTS:
        page = course["root"] / "feedback" / student / lesson / f"{lesson}.html"
        assert page.exists(), f"no feedback page for {student} on {lesson}"
    html = (course["root"] / "feedback" / "solution" / lesson / f"{lesson}.html").read_text(
        encoding="utf-8")
    source = nbformat.read(LESSONS / "source" / lesson / f"{lesson}.ipynb", as_version=4)
    expected = _figure_cells(source)
    shown = len(_FIGURE_HTML.findall(html))
    assert shown >= expected, (
        f"{lesson}: {expected} figure cell(s) but {shown} static figure(s) in the feedback page")
    # plotly.js is embedded; its own bundle mentions cdn.plot.ly (a topojson default), so look
    # for a script loaded from there rather than for the bare host name.
    assert not _CDN_SCRIPT.search(html), f"{lesson}: feedback loads plotly.js from a CDN"
