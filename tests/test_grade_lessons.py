"""``policykit grade`` on the real lessons: the instructor's answers earn every autograded point,
an untouched student version earns none, and nothing is flagged for either.

This is what makes the plain-value judge trustworthy for this course: every answer a lesson asks
for (counts, lists, dates, frames, ``claims.ClaimCheck`` results) must survive the trip out of
the student's kernel and be judged exactly as nbgrader's own autograde judges it
(tests/test_lessons_nbgrader.py checks the same sources with plain ``nbgrader autograde``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    # The module fixture grades two students on all nine lessons, each in a sandbox: several
    # minutes on a busy machine, more than the suite's 300 s default per test.
    pytest.mark.timeout(1500),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:.*declarative_base.*"),
    pytest.mark.filterwarnings("ignore:Object of type .* not in session"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.skipif(shutil.which("bwrap") is None and not os.environ.get("CI"),
                       reason="bubblewrap is not installed (apt-get install bubblewrap); CI "
                              "installs it"),
]

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"
LESSON_NAMES = sorted(p.parent.name for p in LESSONS.glob("source/*/*.ipynb")
                      if p.stem == p.parent.name)


@pytest.fixture(scope="module", params=LESSON_NAMES)
def graded(request, tmp_path_factory):
    """One lesson graded in a course of its own: its solution and its untouched student
    version, submitted and graded with ``policykit grade``. One course per lesson, so parallel
    test workers can take different lessons (tests/conftest.py)."""
    from policykit.grading import grade

    lesson = request.param
    root = tmp_path_factory.mktemp(f"course-{lesson}")
    shutil.copy(LESSONS / "nbgrader_config.py", root)
    shutil.copytree(LESSONS / "source", root / "source")
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent),
                                                 os.environ["PATH"]]))
    subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", lesson,
                    "--force"], cwd=root, env=env, check=True, capture_output=True)
    for student, kind in (("solution", "source"), ("untouched", "release")):
        folder = root / "submitted" / student / lesson
        folder.mkdir(parents=True)
        shutil.copy(root / kind / lesson / f"{lesson}.ipynb", folder)
    return {r.student: r for r in grade(lesson, course=root).results}


def test_solution_earns_every_autograded_point(graded):
    result = graded["solution"]
    assert not result.error, result.error
    assert result.auto_score == result.max_auto_score, result
    assert not result.flags, result.flags


def test_untouched_release_earns_nothing(graded):
    result = graded["untouched"]
    assert not result.error, result.error
    assert result.auto_score == 0, result
    assert not result.flags, result.flags
