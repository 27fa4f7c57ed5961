"""Every lesson notebook runs headless, offline, and is stored clean.

- Each instructor source (lessons/source) executes top to bottom without an error, offline. The
  run checked is nbgrader's autograde of the instructor source as the ``solution`` student (the
  shared course of tests/_lessons_course.py, also graded in tests/test_lessons_nbgrader.py):
  its kernel has the offline startup file below, a 30 s cell timeout, and NBGRADER_EXECUTION
  set, so a question's visible tests raise on a missing name instead of printing "not
  answered yet"; the test checks the notebook that ran is the source and no cell has an error.
- Each student version (lessons/release) executes top to bottom without an error, as Run All
  does (its own kernel here, without NBGRADER_EXECUTION): answer cells hold a stub that does
  nothing, and each question's visible tests, run inside ``policykit.exercises.question``,
  print that the question is not answered yet. Every explorer and figure cell renders.
  (Grading still scores unanswered questions 0: see tests/test_lessons_nbgrader.py.)
- The kernels have no network: an IPython startup file (``NO_NETWORK`` in
  tests/_lessons_course.py) refuses socket connections to anything but loopback (the kernel's
  own ZeroMQ channels do not use Python's socket module).
- Notebooks are committed without outputs or execution counts.
- Every module a lesson imports is declared in pyproject.toml and environment.yml.
"""

from __future__ import annotations

import ast
import re
import sys
import textwrap
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import _lessons_course
import nbformat
import pytest
from _lessons_course import CELL_TIMEOUT
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"
SOURCES = sorted(LESSONS.glob("source/*/*.ipynb"))
RELEASES = sorted(LESSONS.glob("release/*/*.ipynb"))
# Committed notebooks: sources, student versions and any top-level notebook (e.g. the Voila
# explorers page); not an instructor's local submitted/ or autograded/ copies.
ALL_NOTEBOOKS = sorted([*SOURCES, *RELEASES, *LESSONS.glob("*.ipynb")])

pytestmark = [
    pytest.mark.notebooks,
    # nbclient's kernel start-up on some jupyter_client/ipykernel versions warns that the
    # Proactor/selector event loop policy or a zmq socket was not closed; harmless here, and
    # not ours to fix.
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]

@pytest.fixture(scope="module")
def offline_ipython(tmp_path_factory):
    """An IPYTHONDIR whose startup file cuts the kernel off from the network."""
    return _lessons_course.offline_ipython(tmp_path_factory.mktemp("ipython"))


@pytest.fixture
def run_notebook(offline_ipython, monkeypatch, tmp_path):
    """Execute a notebook in a fresh offline kernel; return the executed notebook."""
    monkeypatch.setenv("IPYTHONDIR", str(offline_ipython))

    def run(nb: nbformat.NotebookNode, *, allow_errors: bool = False) -> nbformat.NotebookNode:
        client = NotebookClient(nb, kernel_name="python3", timeout=CELL_TIMEOUT,
                                allow_errors=allow_errors, store_widget_state=False,
                                resources={"metadata": {"path": str(tmp_path)}})
        client.execute()
        return nb

    return run


def _ids(paths):
    return [p.parent.name for p in paths]


def _errors(nb):
    """(index, cell, error output) for every cell that raised."""
    return [(i, cell, out) for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
            for out in cell.get("outputs", []) if out.output_type == "error"]


def _nbgrader(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def test_lessons_exist():
    assert len(SOURCES) >= 4, f"expected lesson sources under {LESSONS / 'source'}"
    assert [p.parent.name for p in RELEASES] == [p.parent.name for p in SOURCES], (
        "every lesson needs a student version: run python lessons/generate_release.py"
    )


@pytest.mark.slow
# It may generate and autograde the lesson's shared course (or wait for a worker that does).
@pytest.mark.timeout(600)
@pytest.mark.parametrize("path", SOURCES, ids=_ids(SOURCES))
def test_instructor_source_executes(path):
    """The instructor source, as nbgrader autograded it offline (the module docstring says
    why that run is the check): every code cell ran, and none raised."""
    lesson = path.parent.name
    source = nbformat.read(path, as_version=4)
    ran = nbformat.read(_lessons_course.autograded(lesson) / "autograded" / "solution" / lesson
                        / f"{lesson}.ipynb", as_version=4)
    assert [(c.cell_type, c.source) for c in ran.cells] == [
        (c.cell_type, c.source) for c in source.cells], "the notebook autograded is not the source"
    for i, cell in enumerate(ran.cells):
        if cell.cell_type == "code":
            assert cell.execution_count is not None, f"{lesson} cell {i} did not run"
    assert [(i, cell.source, out.ename, out.evalue) for i, cell, out in _errors(ran)] == []


_NOT_ANSWERED = "Question {n}: not answered yet - write your answer in the cell above.\n"
_FIGURE_CALL = re.compile(r"^\s*policykit\.(explore|figures)\.\w+\(.*\)\s*$")


def _question_number(grade_id: str) -> str:
    match = re.search(r"-q(\d+)-", grade_id)
    assert match, f"grade id {grade_id!r} should name its question, e.g. '01-q1-tests'"
    return match.group(1)


def _shows_figure(cell) -> bool:
    lines = [line for line in cell.source.splitlines() if line.strip()]
    return cell.cell_type == "code" and bool(lines) and bool(_FIGURE_CALL.match(lines[-1]))


@pytest.mark.timeout(90)
@pytest.mark.parametrize("path", RELEASES, ids=_ids(RELEASES))
def test_student_version_runs_all_to_every_explorer(path, run_notebook, monkeypatch):
    """Run All on a fresh student version: no cell raises, every explorer and figure renders,
    and each question's visible tests say it is not answered yet (issue 9, item 3)."""
    for name in ("NBGRADER_EXECUTION", "POLICYKIT_GRADING"):  # a student's own session
        monkeypatch.delenv(name, raising=False)
    nb = run_notebook(nbformat.read(path, as_version=4))  # raises, naming the cell, on any error
    questions = 0
    for i, cell in enumerate(nb.cells):
        meta = _nbgrader(cell)
        where = f"{path.parent.name} cell {i} ({meta.get('grade_id', 'no grade id')})"
        if cell.cell_type == "code" and meta.get("grade"):
            questions += 1
            printed = "".join(o.get("text", "") for o in cell.outputs
                              if o.output_type == "stream")
            assert printed == _NOT_ANSWERED.format(n=_question_number(meta["grade_id"])), where
        if _shows_figure(cell):
            kinds = {o.output_type for o in cell.outputs}
            assert kinds & {"display_data", "execute_result"}, f"{where}: nothing rendered"
    assert questions >= 2, f"{path.parent.name}: expected autograded questions"


def test_network_is_cut_off_in_lesson_kernels(run_notebook):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(textwrap.dedent("""
        import socket
        for target in [("192.0.2.1", 80), ("pypi.org", 443)]:
            try:
                socket.create_connection(target, timeout=1)
            except ConnectionRefusedError as exc:
                assert "offline" in str(exc), exc
            else:
                raise AssertionError(f"reached {target}")
        s = socket.socket()
        try:
            s.connect(("192.0.2.1", 80))
        except ConnectionRefusedError as exc:
            assert "offline" in str(exc), exc
        finally:
            s.close()
        print("offline")
    """))])
    run_notebook(nb)
    assert nb.cells[0].outputs[0]["text"].strip() == "offline"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=[str(p.relative_to(LESSONS))
                                                     for p in ALL_NOTEBOOKS])
def test_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", "kernel must be python3"
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {i} has outputs: clear them before committing"
            assert cell.execution_count is None, f"cell {i} has an execution count"


# --- dependencies --------------------------------------------------------------------------

_MAGIC = re.compile(r"^\s*[%!].*$", re.MULTILINE)


def _lesson_imports() -> dict[str, set[str]]:
    """Top-level module name -> lessons importing it (third-party modules only)."""
    found: dict[str, set[str]] = {}
    for path in SOURCES:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            tree = ast.parse(_MAGIC.sub("", cell.source))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names and top != "policykit":
                        found.setdefault(top, set()).add(path.parent.name)
    return found


def _requirement_names(specs) -> set[str]:
    names = set()
    for spec in specs:
        if isinstance(spec, str):
            m = re.match(r"\s*([A-Za-z0-9_.\-]+)", spec)
            if m:
                names.add(re.sub(r"[-_.]+", "-", m.group(1)).lower())
    return names


def _distribution_for(module: str) -> str:
    dists = packages_distributions().get(module)
    assert dists, f"module {module!r}, imported by a lesson, is not installed"
    return re.sub(r"[-_.]+", "-", dists[0]).lower()


def test_lesson_imports_declared_in_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = _requirement_names(project["dependencies"])
    declared |= _requirement_names(project.get("optional-dependencies", {}).get("lab", []))
    imports = _lesson_imports()
    missing = {m: sorted(lessons) for m, lessons in imports.items()
               if _distribution_for(m) not in declared}
    assert not missing, f"lesson imports missing from pyproject.toml dependencies/lab: {missing}"


def test_lesson_imports_declared_in_environment_yml():
    env_file = ROOT / "environment.yml"
    if not env_file.exists():
        pytest.skip("environment.yml does not exist yet (Binder environment not written)")
    import yaml  # PyYAML: installed with JupyterLab (jupyter-events depends on it)

    env = yaml.safe_load(env_file.read_text(encoding="utf-8"))
    specs = []
    for dep in env.get("dependencies", []):
        if isinstance(dep, dict):
            specs += dep.get("pip", [])
        else:
            specs.append(dep)
    declared = _requirement_names(specs)
    imports = _lesson_imports()
    missing = {m: sorted(lessons) for m, lessons in imports.items()
               if _distribution_for(m) not in declared}
    assert not missing, f"lesson imports missing from environment.yml: {missing}"


@pytest.mark.timeout(90)
def test_wrong_answer_in_a_student_session_fails_with_its_hint(run_notebook, monkeypatch):
    """question() reports only a *missing* answer; a wrong one still fails with the hint."""
    for name in ("NBGRADER_EXECUTION", "POLICYKIT_GRADING"):
        monkeypatch.delenv(name, raising=False)
    path = LESSONS / "release" / "01-primary-source" / "01-primary-source.ipynb"
    nb = nbformat.read(path, as_version=4)
    answer = next(c for c in nb.cells if _nbgrader(c).get("grade_id") == "01-q1-answer")
    answer.source = "n_passages = 15\nn_truncated = 16  # more cut-off passages than passages"
    nb = run_notebook(nb, allow_errors=True)
    errors = [(cell, out) for _, cell, out in _errors(nb)]
    assert [(_nbgrader(cell).get("grade_id"), out.ename) for cell, out in errors] == [
        ("01-q1-tests", "AssertionError")]
    assert "n_truncated counts some of the passages" in errors[0][1].evalue
