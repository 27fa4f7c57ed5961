"""deploy/jupyter/instructor/nbgrader_config.py: every autograde an instructor starts on the hub
is sandboxed.

Formgrader's *Autograde* button calls nbgrader's API with the settings of the instructor's
server, which reads this file (the hub puts its folder on the Jupyter config path). Here the
same API autogrades a submission of lesson 01 with the settings this file gives: the notebook
must be graded by policykit's sandboxed step, which alone writes a report per notebook
(``reports/<lesson>/<student>/``), and score full marks (the submission is the instructor's
own solution). The course is a copy of the one tests/_lessons_course.py generates once per run.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import _lessons_course
import _shared
import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSON = "01-primary-source"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(900),
    *_shared.NBGRADER_WARNINGS,
    _shared.NEEDS_BWRAP,
]


def test_formgrader_autograde_runs_the_submission_in_the_sandbox(tmp_path, monkeypatch):
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI
    from traitlets.config.loader import PyFileConfigLoader

    course = tmp_path / "lessons"
    shutil.copytree(_lessons_course.generated(LESSON), course)
    submitted = course / "submitted" / "alice" / LESSON
    submitted.mkdir(parents=True)
    shutil.copy(course / "source" / LESSON / f"{LESSON}.ipynb", submitted)
    monkeypatch.setenv("POLICYKIT_COURSE", str(course))  # instead of the hub's ~/lessons
    config = PyFileConfigLoader("nbgrader_config.py",
                                path=str(ROOT / "deploy" / "jupyter" / "instructor")).load_config()
    steps = config.Autograde.get("autograde_preprocessors")
    assert "policykit.grading._preprocessor.SandboxedExecute" in (
        steps if isinstance(steps, list) else []), steps
    with _lessons_course._nbgrader_env():
        outcome = NbGraderAPI(config=config).autograde(LESSON, "alice", force=True)
    assert outcome["success"], outcome
    report = json.loads((course / "reports" / LESSON / "alice" / f"{LESSON}.json").read_text(
        encoding="utf-8"))
    assert report["flags"] == []
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "policykit") as gb:
        sub = gb.find_submission(LESSON, "alice")
        assert sub.code_score == sub.max_code_score > 0
