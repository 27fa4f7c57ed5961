"""``policykit grade`` against a gallery of hostile and clumsy submissions.

A small nbgrader course is built in a temporary folder: one assignment with three autograded
questions whose expected values come from the public record (House Clerk, roll 65 of
9 March 2022: 361 Yea, 69 Nay; Rep. Tlaib voted Present on roll 66; the package holds House and
Senate roll calls - see ../shared/sources/README.md). Each student below hands in a variant of
the student version; one ``grade`` call (two jobs) grades them all in bubblewrap sandboxes.
Every case asserts the score, the flags, and that no file outside the grader's own outputs
changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import _shared
import nbformat
import pytest

pytestmark = [
    pytest.mark.slow,
    *_shared.NBGRADER_WARNINGS,
]

ASSIGNMENT = "ps1"
NEEDS_BWRAP = _shared.NEEDS_BWRAP
HOST_MARK = Path("/tmp") / f"policykit-vandal-{uuid.uuid4().hex}"

ANSWERS = {
    "q1-answer": 'n_yea = int(policykit.tally("h65-117.2022")["Yea"])',
    "q2-answer": ('votes = policykit.load_house_votes()\n'
                  'members = policykit.load_members()\n'
                  'tlaib = members.loc[members.name.str.startswith("TLAIB"), "bioguide_id"]\n'
                  'tlaib_66 = str(votes[(votes.vote_key == "h66-117.2022") & '
                  '(votes.bioguide_id.isin(tlaib))].position.iloc[0])'),
    "q3-answer": 'chambers = sorted(policykit.load_rollcalls()["chamber"].astype(str).unique())',
}
TESTS = {
    "q1-tests": ('assert isinstance(n_yea, int), "Give a whole number."\n'
                 "### BEGIN HIDDEN TESTS\n"
                 "assert n_yea == 361  # House Clerk, roll 65: 361-69\n"
                 "### END HIDDEN TESTS"),
    "q2-tests": ('assert isinstance(tlaib_66, str), "Give a position as a string."\n'
                 "### BEGIN HIDDEN TESTS\n"
                 'assert tlaib_66 == "Present"  # House Clerk, roll 66\n'
                 "### END HIDDEN TESTS"),
    "q3-tests": ('assert isinstance(chambers, list), "Give a list."\n'
                 "### BEGIN HIDDEN TESTS\n"
                 'assert chambers == ["House", "Senate"]\n'
                 "### END HIDDEN TESTS"),
}


def _cell(kind, source, grade_id=None, **flags):
    make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
    cell = make(source)
    if grade_id:
        meta = {"schema_version": 3, "grade_id": grade_id, "grade": False, "solution": False,
                "locked": False}
        meta.update(flags)
        cell.metadata["nbgrader"] = meta
    return cell


def _source_notebook():
    cells = [_cell("markdown", "# Problem set 1", "title", locked=True),
             _cell("code", "import policykit", "setup", locked=True)]
    for q in ("q1", "q2", "q3"):
        cells.append(_cell("code", f"### BEGIN SOLUTION\n{ANSWERS[q + '-answer']}\n"
                                   "### END SOLUTION", f"{q}-answer", solution=True))
        cells.append(_cell("code", TESTS[f"{q}-tests"], f"{q}-tests", grade=True, locked=True,
                           points=1))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb


def _answer(nb, grade_id, source):
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            cell.source = source
            return nb
    raise KeyError(grade_id)


def _honest(nb):
    for q in ("q1", "q2", "q3"):
        _answer(nb, f"{q}-answer", ANSWERS[f"{q}-answer"])
    return nb


def _vandal(nb):
    code = textwrap.dedent(f"""
        import glob, os, shutil
        for pattern in ["../../../submitted/*", "../../../source", "../../..", "/work", "{{root}}",
                        "{{root}}/submitted/*", "{{root}}/gradebook.db", "/tmp/*"]:
            for path in glob.glob(pattern) or [pattern]:
                for undo in (shutil.rmtree, os.remove):
                    try:
                        undo(path)
                    except Exception:
                        pass
        for target in ["../../../pwned.txt", "{{root}}/pwned.txt", "{HOST_MARK}",
                       os.path.expanduser("~/pwned.txt")]:
            try:
                with open(target, "w") as f:
                    f.write("pwned")
            except Exception:
                pass
        """)
    return _answer(nb, "q1-answer", code)


def _transformer(nb):
    code = textwrap.dedent("""
        def neuter(lines):
            return ["pass\\n" if "assert" in line else line for line in lines]
        get_ipython().input_transformers_cleanup.append(neuter)
        """)
    return _answer(nb, "q1-answer", code)


def _always_equal(nb):
    _answer(nb, "q1-answer", textwrap.dedent("""
        class Anything(int):
            def __eq__(self, other):
                return True
            __hash__ = int.__hash__
        n_yea = Anything(0)
        """))
    _answer(nb, "q2-answer", textwrap.dedent("""
        class Str(str):
            def __eq__(self, other):
                return True
            __hash__ = str.__hash__
        tlaib_66 = Str("x")
        """))
    return _answer(nb, "q3-answer", textwrap.dedent("""
        class Everything(list):
            def __eq__(self, other):
                return True
        chambers = Everything()
        """))


def _monkeypatch(nb):
    return _answer(nb, "q1-answer", textwrap.dedent("""
        import builtins, pandas as pd
        builtins.isinstance = lambda *args: True
        pd.DataFrame.equals = lambda *args: True
        policykit.tally = lambda key: {"Yea": 361}
        n_yea = 0
        tlaib_66 = "Yea"
        chambers = []
        """))


def _rebinding(nb):
    return _answer(nb, "q1-answer", textwrap.dedent("""
        import types
        policykit = types.SimpleNamespace(tally=lambda key: {"Yea": 0})
        AssertionError = type("AssertionError", (Exception,), {})
        n_yea = 1
        """))


def _edited_tests(nb):
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.source = "pass  # nothing to see"
    return _answer(nb, "q1-answer", "n_yea = 1")


def _deleted_test(nb):
    _honest(nb)
    nb.cells = [c for c in nb.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") != "q1-tests"]
    return nb


def _grade_id(nb):
    _honest(nb)
    _answer(nb, "q1-answer", "n_yea = 1")
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q1-tests":
            cell.metadata["nbgrader"]["grade_id"] = "q1-tests-mine"
            cell.source = "pass"
    return nb


def _loop(nb):
    _honest(nb)
    return _answer(nb, "q1-answer", "while True:\n    pass")


def _stubborn(nb):
    # Ignores the interrupt and never ends. It waits rather than spins (``loop`` spins): the
    # grader's handling is the same, without burning a core for the timeout and the grace.
    _honest(nb)
    return _answer(nb, "q1-answer", "import signal, time\n"
                                    "signal.signal(signal.SIGINT, signal.SIG_IGN)"
                                    "\nwhile True:\n    time.sleep(0.05)")


def _flood(nb):
    _honest(nb)
    return _answer(nb, "q1-answer", ANSWERS["q1-answer"] + "\nprint('x' * 50_000_000)")


def _raiser(nb):
    _honest(nb)
    return _answer(nb, "q2-answer", "1 / 0")


# student: (make the submission, expected score out of 3, flag codes that must be present)
GALLERY = {
    "honest": (_honest, 3, set()),
    "untouched": (lambda nb: nb, 0, set()),
    "vandal": (_vandal, 0, {"filesystem"}),
    "transformer": (_transformer, 0, {"transformer"}),
    "alwaysequal": (_always_equal, 0, {"always-equal", "not-plain"}),
    "monkeypatch": (_monkeypatch, 0, {"builtins", "monkeypatch"}),
    "rebinding": (_rebinding, 0, {"rebinding"}),
    "editedtests": (_edited_tests, 0, {"test-cell-edited"}),
    "deletedtest": (_deleted_test, 3, {"test-cell-deleted"}),
    "gradeid": (_grade_id, 2, {"grade-id"}),
    "loop": (_loop, 2, {"cell-timeout"}),
    "stubborn": (_stubborn, 0, {"cell-timeout", "kernel-error"}),
    "flood": (_flood, 3, {"output-cut"}),
    "raiser": (_raiser, 2, set()),
}
GRADER_OUTPUTS = ("autograded", "reports", "gradebook.db", ".nbgrader.log", "feedback")


def _snapshot(root: Path) -> dict[str, str]:
    files = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if rel.parts[0] in GRADER_OUTPUTS or "__pycache__" in rel.parts or not path.is_file():
            continue
        files[str(rel)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def _write_config(root: Path) -> None:
    (root / "nbgrader_config.py").write_text(textwrap.dedent(f"""
        c = get_config()
        c.CourseDirectory.course_id = "gallery"
        c.CourseDirectory.root = {str(root)!r}
        c.CourseDirectory.db_url = "sqlite:///{root / 'gradebook.db'}"
        c.ExecutePreprocessor.timeout = 6
        c.ExecutePreprocessor.kernel_name = "python3"
        c.SandboxedExecute.notebook_timeout = 90
        """))


def _generate(root: Path) -> None:
    """The gallery course as ``nbgrader generate_assignment`` leaves it (no submissions)."""
    _write_config(root)
    _shared.empty_gradebook("gallery", root)
    (root / "source" / ASSIGNMENT).mkdir(parents=True)
    nbformat.write(_source_notebook(), root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent),
                                                 os.environ["PATH"]]))
    subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", ASSIGNMENT,
                    "--force"], cwd=root, env=env, check=True, capture_output=True)


def _make_course(root: Path) -> None:
    """A private copy of the generated course (built once per run), with every submission."""
    shutil.copytree(_shared.built("grade-gallery-course", _generate), root, dirs_exist_ok=True)
    _write_config(root)
    release = nbformat.read(root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    for student, (make, _, _) in GALLERY.items():
        nb = make(nbformat.from_dict(json.loads(json.dumps(release))))
        for cell in nb.cells:
            cell.source = cell.source.replace("{root}", str(root))
        folder = root / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{ASSIGNMENT}.ipynb")
        (folder / "notes.txt").write_text(f"{student}'s own file\n")


#: The two submissions that run into the cell timeout go first, so that under --jobs they do not
#: start last and leave one job waiting for them alone.
GRADING_ORDER = sorted(GALLERY, key=lambda student: (student not in ("stubborn", "loop"),
                                                     student))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The gallery graded with two jobs (test_parallel_jobs_grade_the_same compares one)."""
    from policykit.grading import grade

    root = tmp_path_factory.mktemp("course")
    _make_course(root)
    before = _snapshot(root)
    report = grade(ASSIGNMENT, course=root, students=GRADING_ORDER, jobs=2)
    return {"root": root, "report": report, "before": before, "after": _snapshot(root)}


@NEEDS_BWRAP
@pytest.mark.parametrize("student", sorted(GALLERY))
def test_gallery(graded, student):
    _, expected, flags = GALLERY[student]
    result = {r.student: r for r in graded["report"].results}[student]
    assert not result.error, result.error
    from nbgrader.api import Gradebook

    root = graded["root"]
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "gallery") as gb:
        sub = gb.find_submission(ASSIGNMENT, student)
        assert (sub.code_score, sub.max_code_score) == (expected, 3), [
            (g.name, g.score) for g in gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT,
                                                                   student).grades]
    codes = {code for code, _ in result.flags}
    assert flags <= codes, result.flags
    if not flags:
        assert not codes & {"transformer", "always-equal", "monkeypatch", "filesystem",
                            "test-cell-edited", "not-plain"}, result.flags


@NEEDS_BWRAP
def test_no_file_outside_the_graders_outputs_changed(graded):
    assert graded["after"] == graded["before"]
    assert not HOST_MARK.exists()
    assert not (Path.home() / "pwned.txt").exists()


@NEEDS_BWRAP
def test_flood_is_capped_in_the_graded_notebook(graded):
    path = graded["root"] / "autograded" / "flood" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert path.stat().st_size < 2_000_000
    assert "policykit grade: output cut here" in path.read_text(encoding="utf-8")


@NEEDS_BWRAP
def test_hidden_tests_are_not_revealed_in_failures(graded):
    path = graded["root"] / "autograded" / "editedtests" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(path, as_version=4)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert errors, "the wrong answers must fail"
    text = json.dumps([dict(o) for o in errors])
    assert "361" not in text and "a hidden test failed" in text


@NEEDS_BWRAP
def test_report_lists_flags_per_student(graded):
    text = str(graded["report"])
    assert "transformer: 0/3" in text or "transformer: 0" in text
    report = json.loads((graded["root"] / "reports" / ASSIGNMENT / "vandal" /
                         f"{ASSIGNMENT}.json").read_text())
    assert report["sandbox"] is True
    assert {f["code"] for f in report["flags"]} >= {"filesystem"}
    # A kernel that ignores the interrupt gets the default grace of 3 s, then it is stopped.
    stubborn = {r.student: r for r in graded["report"].results}["stubborn"]
    assert ("kernel-error", "the kernel ignored the interrupt in cell 3 for 3 s and was "
            "stopped; later cells did not run") in stubborn.flags, stubborn.flags


def test_missing_bubblewrap_is_a_clear_error(tmp_path, monkeypatch):
    from policykit.grading import SandboxUnavailableError, _sandbox, grade

    _make_minimal_course(tmp_path)
    monkeypatch.setattr(_sandbox.shutil, "which", lambda name: None)
    _sandbox._bwrap.cache_clear()
    try:
        with pytest.raises(SandboxUnavailableError) as info:
            grade(ASSIGNMENT, course=tmp_path)
    finally:
        _sandbox._bwrap.cache_clear()
    assert str(info.value) == (
        "policykit grade runs every submission in a bubblewrap sandbox, but the 'bwrap' "
        "command was not found on PATH. Install bubblewrap (Debian/Ubuntu: 'apt-get install "
        "bubblewrap'; Fedora: 'dnf install bubblewrap'), or pass --no-sandbox to grade without "
        "isolation (only for submissions you trust).")


def _make_minimal_course(root: Path) -> None:
    (root / "nbgrader_config.py").write_text("c = get_config()\n")
    (root / "source" / ASSIGNMENT).mkdir(parents=True)
    (root / "submitted" / "someone" / ASSIGNMENT).mkdir(parents=True)


def test_unknown_assignment_suggests_the_closest(tmp_path):
    from policykit.grading import GradingError, grade

    _make_minimal_course(tmp_path)
    with pytest.raises(GradingError) as info:
        grade("ps2", course=tmp_path, sandbox=False)
    assert str(info.value) == (
        f"Unknown assignment 'ps2': no folder source/ps2 in {tmp_path}. Assignments: ps1. "
        "Did you mean 'ps1'? Run 'nbgrader generate_assignment NAME' for a new one.")


def test_not_a_course_folder(tmp_path):
    from policykit.grading import GradingError, grade

    with pytest.raises(GradingError) as info:
        grade(ASSIGNMENT, course=tmp_path)
    assert str(info.value) == (
        f"No nbgrader_config.py in {str(tmp_path)!r} ({tmp_path}): policykit grade runs from "
        "an nbgrader course folder. Change to the course folder (for this package, "
        "'lessons/') or pass --course DIR.")


def test_no_sandbox_still_judges_in_a_fresh_interpreter(tmp_path):
    """Without bubblewrap (trusted work), the kernel still never sees a test."""
    from policykit.grading import grade

    root = tmp_path / "course"
    _make_course(root)
    report = grade(ASSIGNMENT, course=root, sandbox=False,
                   students=["honest", "transformer", "alwaysequal"])
    scores = {r.student: r.score for r in report.results}
    assert scores == {"honest": 3, "transformer": 0, "alwaysequal": 0}
    assert not report.sandbox and "NOT sandboxed" in str(report)


@NEEDS_BWRAP
def test_parallel_jobs_grade_the_same(graded):
    """One job records the same scores and flags as the two jobs that graded the gallery."""
    from policykit.grading import grade

    students = ["honest", "raiser", "untouched", "alwaysequal"]
    two_jobs = {r.student: r for r in graded["report"].results}
    report = grade(ASSIGNMENT, course=graded["root"], students=students, jobs=1)
    assert [r.student for r in report.results] == students
    assert [r.score for r in report.results] == [3, 2, 0, 0]
    assert [r.score for r in report.results] == [two_jobs[s].score for s in students]
    assert all(not r.error for r in report.results)
    assert {c for c, _ in report.results[3].flags} >= {"always-equal", "not-plain"}
    assert [{c for c, _ in r.flags} for r in report.results] == [
        {c for c, _ in two_jobs[s].flags} for s in students]


def test_sandbox_mounts_python_over_its_private_tmp(monkeypatch, tmp_path):
    """A checkout or Python under /tmp (CI clones) must stay visible inside the sandbox."""
    from policykit.grading import _sandbox

    monkeypatch.setattr(_sandbox, "_bwrap", lambda: "/usr/bin/bwrap")
    monkeypatch.setattr(_sandbox, "readable_paths", lambda: (Path("/tmp/ci/main/.venv"),))
    argv, _ = _sandbox.command(["python"], scratch=tmp_path, hide=[tmp_path / "course"])
    private_tmp = argv.index("--tmpfs", argv.index("/dev"))
    assert argv[private_tmp + 1] == "/tmp"
    assert argv.index("/tmp/ci/main/.venv") > private_tmp
    assert argv[argv.index("--bind") + 1:argv.index("--bind") + 3] == [str(tmp_path),
                                                                         _sandbox.WORKDIR]
    assert "--unshare-all" in argv and "--clearenv" in argv


def test_unsandboxed_paths_only_move_when_they_start_in_the_sandbox_folder(tmp_path):
    """--no-sandbox maps /grading/... to the scratch folder, but no other path with 'grading' in
    it (a Python in /srv/grading/venv, the runner in policykit/grading/)."""
    from policykit.grading import _sandbox

    python = "/srv/grading/venv/bin/python"
    argv, options = _sandbox.command([python, "/grading", "/grading/.policykit/nb.ipynb",
                                      "/gradingx"], scratch=tmp_path, sandbox=False,
                                     env={"HOME": "/grading/.home", "X": "/srv/grading"})
    assert argv == [python, str(tmp_path), f"{tmp_path}/.policykit/nb.ipynb", "/gradingx"]
    assert (options["env"]["HOME"], options["env"]["X"]) == (f"{tmp_path}/.home", "/srv/grading")
    assert options["cwd"] == str(tmp_path)


def test_the_notebook_runner_does_not_import_policykit():
    """The runner starts once per submission; importing the policykit package (pandas) there
    would cost every submission about half a second of CPU for nothing."""
    from policykit.grading import _preprocessor

    result = subprocess.run([sys.executable, "-I", "-X", "importtime", str(_preprocessor._RUNNER),
                             "--help"], capture_output=True, text=True, check=True)
    assert "--interrupt-grace" in result.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert not {"policykit", "pandas", "numpy"} & imported, sorted(imported)


def test_forged_progress_lines_are_ignored(tmp_path):
    """A submission can write to its own progress file; malformed lines cannot crash grading."""
    from policykit.grading._preprocessor import _read_progress

    path = tmp_path / "progress.jsonl"
    good = json.dumps({"index": 3, "status": "ok", "cut": 0, "outputs": []})
    path.write_text("\n".join(["[" * 100_000 + "]" * 100_000, "not json", '{"index": "x"}',
                               good, json.dumps({"index": 3, "outputs": ["forged"]})]) + "\n")
    assert _read_progress(path) == {3: json.loads(good)}
