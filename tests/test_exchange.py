"""The class cycle through nbgrader's real exchange, one local account per person.

As on a shared server: an instructor account owns the course folder (a copy of ``lessons/``
with lesson 01), three student accounts fetch, work and submit through a shared exchange folder,
and every command is the one ``lessons/README.md`` prints, run as the account the guide has
run it. One student answers with the instructor's own solutions, one hands the notebook back
untouched, one rewrites the test cells to ``pass`` and then, by hand, files two more
submissions: a later copy of its own under the first student's name, and one under a made-up
name. Collect (the guide's config: ``policykit.grading.exchange.OwnerCheckedCollect``) must
refuse both, so the first student's own work is graded. Expected scores come from the lesson's
point values (nbgrader metadata of the instructor version), not from the grader: full
autograded points for the solutions, 0 for the untouched and for the rewritten tests (nbgrader
and ``policykit grade`` restore locked test cells), and the written answer (3 points) ungraded.

This is also where the guide's grading cycle ("The grading cycle, from the command line":
``nbgrader generate_assignment 01-primary-source --force``, ``release_assignment``,
``validate``, ``collect``, ``policykit grade 01-primary-source``, ``generate_feedback``,
``release_feedback``, ``nbgrader export``) is run for tests/test_guide_commands.py, which lists
these commands in its ``ELSEWHERE`` table (the suite runs the cycle once, here).

Needs root (``useradd``, ``runuser``) and Debian's ``python3`` with ``venv``; CI (``.ci/run``)
runs as root and installs both, and there a missing piece fails the test instead of skipping
it. A developer without root sees this test skipped, with the reason: on their machine the
guide's release_assignment, validate, collect, release_feedback and export are then run by no
test (tests/test_feedback.py still runs generate_assignment, autograde, ``policykit grade``
and generate_feedback); run the suite as root (e.g. in a container, as CI does) to run them.
"""

from __future__ import annotations

import csv
import html
import pwd
import re
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import _hub
import nbformat
import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(600),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:.*declarative_base.*"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]

ROOT = Path(__file__).resolve().parents[1]
LESSON = "01-primary-source"
INSTRUCTOR = "pk_instructor"
STUDENTS = {"pk_student1": "solutions", "pk_student2": "untouched", "pk_student3": "cheats"}
#: Between the outputs of the solutions student's two ``nbgrader validate`` runs.
VALIDATED_AGAIN = "\n--- validated again, with the written answer ---\n"


def _points(nb) -> tuple[float, float]:
    """(autograded points, points graded by hand) from the instructor version's metadata."""
    auto = manual = 0.0
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            if cell.cell_type == "code":
                auto += float(meta["points"])
            else:
                manual += float(meta["points"])
    return auto, manual


def _work(kind: str, fetched: Path, source) -> None:
    """The student's edits, written in place (the file stays the student's)."""
    nb = nbformat.read(fetched, as_version=4)
    solutions = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
                 if c.metadata.get("nbgrader", {}).get("solution")
                 and c.cell_type == "code"}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if kind == "solutions" and meta.get("grade_id") in solutions:
            code = solutions[meta["grade_id"]]
            cell.source = re.sub(r"^\s*### (BEGIN|END) SOLUTION\s*$\n?", "", code, flags=re.M)
        if kind == "cheats" and meta.get("grade") and cell.cell_type == "code":
            cell.source = "pass  # the tests always pass now"
    if kind != "untouched":
        nbformat.write(nb, fetched)


def _write_the_written_answers(fetched: Path, source) -> None:
    """The instructor's model answer in each written (markdown) answer cell."""
    nb = nbformat.read(fetched, as_version=4)
    written = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
               if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "markdown"}
    assert written, "lesson 01 should have a written answer"
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") in written:
            cell.source = written[cell.metadata["nbgrader"]["grade_id"]]
    nbformat.write(nb, fetched)


def test_class_cycle_through_the_exchange():
    """One test, so that parallel workers never split (and repeat) the cycle."""
    _hub.require_accounts()
    venv = _hub.user_venv()
    with _hub.locked("exchange-accounts"):
        base = _hub.shared_dir("policykit-exchange-")
        try:
            cycle = _run_cycle(base, venv)
        finally:
            shutil.rmtree(base, ignore_errors=True)
    _check_guide_commands_made_the_exchange(cycle)
    _check_validate_flags_only_the_written_answer(cycle)
    _check_collect_finds_every_student(cycle)
    _check_collect_refuses_submissions_filed_under_another_name(cycle)
    _check_students_cannot_list_each_others_submissions(cycle)
    _check_homes_are_private(cycle)
    _check_gradebook_scores(cycle)
    _check_export_matches_the_gradebook(cycle)
    _check_grade_reports_the_rewritten_tests(cycle)
    for student in sorted(STUDENTS):
        _check_feedback_reaches_each_student(cycle, student)


def _run_cycle(base: Path, venv: Path) -> dict:
    # The exchange and the global nbgrader config, as the guide's JupyterHub section sets them.
    # The guide's own commands, with temporary folders for /srv/nbgrader and /etc/jupyter.
    exchange = base / "exchange"
    config = base / "etc-jupyter"
    ran = [_hub.run_guide_command("mkdir -p /srv/", {"/srv/nbgrader/exchange": str(exchange)},
                                  base),
           _hub.run_guide_command("mkdir -p /etc/jupyter ", {"/etc/jupyter": str(config)},
                                  ROOT)]
    extra = {"JUPYTER_CONFIG_PATH": str(config), "POLICYKIT_EXCHANGE": str(exchange)}

    homes = {name: _hub.ensure_account(name) for name in [INSTRUCTOR, *STUDENTS]}
    course_folder = _hub.give_course_folder(exchange, INSTRUCTOR)
    # A student cannot take the course's folder (the guide's install line made it first).
    squat = _hub.run_as("pk_student3", ["mkdir", str(course_folder / "outbound")],
                        cwd=homes["pk_student3"], env=_hub.account_env("pk_student3", venv),
                        check=False)
    course = homes[INSTRUCTOR] / "lessons"
    (course / "source").mkdir(parents=True)
    shutil.copy(ROOT / "lessons" / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "lessons" / "source" / LESSON, course / "source" / LESSON)
    _hub.chown_tree(course, INSTRUCTOR)
    envs = {n: _hub.account_env(n, venv, **extra) for n in homes}
    log: list[str] = []

    def run(name: str, *args: str, cwd: Path | None = None, check: bool = True):
        start = time.monotonic()
        proc = _hub.run_as(name, list(args), cwd=cwd or homes[name], env=envs[name],
                           check=check)
        log.append(f"$ {' '.join(args)}  # as {name}, {time.monotonic() - start:.1f} s\n"
                   f"{proc.stdout}{proc.stderr}")
        return proc

    # 1. Release (guide: "The grading cycle", step 1).
    run(INSTRUCTOR, "nbgrader", "generate_assignment", LESSON, "--force", cwd=course)
    run(INSTRUCTOR, "nbgrader", "release_assignment", LESSON, cwd=course)
    # 2. Each student fetches, works, submits - all three at once, as in a class.
    source = nbformat.read(course / "source" / LESSON / f"{LESSON}.ipynb", as_version=4)

    def student(name: str, kind: str) -> str:
        run(name, "nbgrader", "fetch_assignment", LESSON)
        fetched = homes[name] / LESSON / f"{LESSON}.ipynb"
        assert fetched.stat().st_uid == pwd.getpwnam(name).pw_uid
        _work(kind, fetched, source)
        validated = ""
        if kind == "solutions":  # the guide: students can check their work before submitting
            validated = run(name, "nbgrader", "validate", f"{LESSON}/{LESSON}.ipynb").stdout
            # Then the written answer too (the instructor's model answer): nothing is missing.
            _write_the_written_answers(fetched, source)
            validated += VALIDATED_AGAIN + run(name, "nbgrader", "validate",
                                               f"{LESSON}/{LESSON}.ipynb").stdout
        run(name, "nbgrader", "submit", LESSON)
        return validated

    with ThreadPoolExecutor(len(STUDENTS)) as pool:
        validated = "".join(pool.map(student, STUDENTS, STUDENTS.values()))
    # A student cannot list the other students' submissions in the exchange, nor open another
    # student's notebook or the instructor's course in their homes (the guide's chmod 700).
    peek = run("pk_student2", "ls", str(exchange / "policykit" / "inbound"), check=False)
    peek_homes = [run("pk_student2", "cat", str(homes["pk_student1"] / LESSON / f"{LESSON}.ipynb"),
                      check=False),
                  run("pk_student3", "ls", str(course), check=False)]
    # The cheating student files two more submissions by hand, dated after everyone's: one
    # under another student's name (replacing that student's work), one under a made-up name.
    inbound = exchange / "policykit" / "inbound"
    later = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    forged = {name: f"{name}+{LESSON}+{later}+forged" for name in ("pk_student1", "pk_nobody")}
    for name in forged.values():
        run("pk_student3", "cp", "-r", str(homes["pk_student3"] / LESSON), str(inbound / name))
    # 3. Collect, grade, feedback.
    collected = run(INSTRUCTOR, "nbgrader", "collect", LESSON, cwd=course)
    graded = run(INSTRUCTOR, "policykit", "grade", LESSON, cwd=course)
    run(INSTRUCTOR, "nbgrader", "generate_feedback", LESSON, cwd=course)
    run(INSTRUCTOR, "nbgrader", "release_feedback", LESSON, cwd=course)
    # 4. Each student fetches the feedback; the instructor exports the grades (guide step 6).
    with ThreadPoolExecutor(len(STUDENTS) + 1) as pool:
        fetched_feedback = [pool.submit(run, name, "nbgrader", "fetch_feedback", LESSON)
                            for name in STUDENTS]
        run(INSTRUCTOR, "nbgrader", "export", cwd=course)
        for job in fetched_feedback:
            job.result()
    with (course / "grades.csv").open(encoding="utf-8") as handle:
        exported = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(handle)
                    if r["assignment"] == LESSON}

    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "policykit") as gb:
        for name in STUDENTS:
            sub = gb.find_submission(LESSON, name)
            scores[name] = (sub.score, sub.max_score, sub.code_score, sub.max_code_score)
    feedback = {name: sorted((homes[name] / LESSON / "feedback").glob(f"*/{LESSON}.html"))
                for name in STUDENTS}
    return {"course": course, "homes": homes, "scores": scores, "feedback": feedback,
            "grade_output": graded.stdout, "peek": peek, "validated": validated,
            "peek_homes": peek_homes, "collected": collected.stdout + collected.stderr,
            "squat": squat, "course_folder_owner": pwd.getpwuid(
                course_folder.stat().st_uid).pw_name,
            "forged": forged,
            "home_modes": {n: h.stat().st_mode & 0o777 for n, h in homes.items()},
            "exchange_mode": exchange.stat().st_mode & 0o7777, "ran": ran,
            "points": _points(source), "exported": exported, "log": "\n".join(log)}


def _check_guide_commands_made_the_exchange(cycle):
    assert len(cycle["ran"]) == 2
    assert cycle["exchange_mode"] == 0o1777  # everyone may write, with the sticky bit
    # The course's folder in the exchange is the instructor's (the guide's install line), and
    # a student cannot make its outbound folder before the first release.
    assert cycle["course_folder_owner"] == INSTRUCTOR
    assert cycle["squat"].returncode != 0
    assert "Permission denied" in cycle["squat"].stderr


def _check_validate_flags_only_the_written_answer(cycle):
    # Every tested question passes; only the written answer (graded by hand) is still empty.
    out, again = cycle["validated"].split(VALIDATED_AGAIN)
    assert "VALIDATION FAILED ON 1 CELL(S)!" in out, out
    assert "YOUR ANSWER HERE" in out and "You did not provide a response." in out, out
    # With the written answer too, the notebook passes (the guide's cycle, every answer given).
    assert "Success! Your notebook passes all the tests." in again, again[-2000:]


def _check_collect_finds_every_student(cycle):
    print(cycle["log"])
    # Only the students' own submissions: not the one filed under a made-up name (and, in
    # _check_gradebook_scores, pk_student1 keeps full marks, so their own work was collected,
    # not the later copy filed under their name).
    submitted = sorted(p.name for p in (cycle["course"] / "submitted").iterdir())
    assert submitted == sorted(STUDENTS), cycle["log"]
    for name in STUDENTS:
        assert (cycle["course"] / "submitted" / name / LESSON / f"{LESSON}.ipynb").exists()


def _check_collect_refuses_submissions_filed_under_another_name(cycle):
    # deploy/nbgrader_config.py's collect (policykit.grading.exchange.OwnerCheckedCollect).
    out = cycle["collected"]
    for claimed, filename in cycle["forged"].items():
        assert (f"Refused {filename}: it is filed under {claimed!r} but was made by "
                f"'pk_student3'.") in out, out


def _check_students_cannot_list_each_others_submissions(cycle):
    assert cycle["peek"].returncode != 0
    assert "Permission denied" in cycle["peek"].stderr


def _check_homes_are_private(cycle):
    # The accounts were made by the guide's useradd and chmod 700 lines (tests/_hub.py).
    assert set(cycle["home_modes"].values()) == {0o700}, cycle["home_modes"]
    for peek in cycle["peek_homes"]:
        assert peek.returncode != 0
        assert "Permission denied" in peek.stderr


def _check_gradebook_scores(cycle):
    auto, manual = cycle["points"]
    assert (auto, manual) == (7.0, 3.0)  # lesson 01: five tested questions, one written
    scores = cycle["scores"]
    assert scores["pk_student1"] == (auto, auto + manual, auto, auto), cycle["grade_output"]
    assert scores["pk_student2"] == (0, auto + manual, 0, auto), cycle["grade_output"]
    assert scores["pk_student3"] == (0, auto + manual, 0, auto), cycle["grade_output"]


def _check_export_matches_the_gradebook(cycle):
    # nbgrader export's grades.csv: one row per student, the gradebook's score.
    assert cycle["exported"] == {name: cycle["scores"][name][0] for name in STUDENTS}
    assert cycle["exported"]["pk_student1"] == cycle["points"][0] > 0


def _check_grade_reports_the_rewritten_tests(cycle):
    out = cycle["grade_output"]
    assert "Graded 3 submission(s) of '01-primary-source' (sandboxed)." in out
    for name in STUDENTS:
        assert f"  {name}: " in out, out
    cheat = out.split("pk_student3:", 1)[1]
    assert "[test-cell-edited]" in cheat
    honest = out.split("pk_student1:", 1)[1].split("pk_student2:", 1)[0]
    assert "flags" not in honest


def _check_feedback_reaches_each_student(cycle, student):
    pages = cycle["feedback"][student]
    assert len(pages) == 1, cycle["log"]
    page = pages[0]
    assert page.stat().st_uid == pwd.getpwnam(student).pw_uid
    text = html.unescape(page.read_text(encoding="utf-8"))
    auto, manual = cycle["points"]
    score = cycle["scores"][student][0]
    assert f"Score: {score:.1f} / {auto + manual:.1f}" in text
