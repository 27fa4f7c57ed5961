"""Grade a class's submissions with nbgrader, each one isolated and judged on plain values.

``policykit grade ASSIGNMENT`` (or :func:`grade`) autogrades every submission of an assignment
the way ``nbgrader autograde`` does - same gradebook, so the formgrader, ``generate_feedback``
and ``nbgrader export`` work on the result - with two differences that make it safe for a class:

- **Isolation.** Each submission runs in a bubblewrap sandbox: read-only system and packages, one
  writable scratch copy of the student's own folder, no network, no view of the course folder or
  of other students. A submission that raises, loops or floods output is still graded (0 where
  it fails), its output is capped, and the batch goes on. A cell that runs past the timeout is
  interrupted (flag ``cell-timeout``); a kernel still busy ``SandboxedExecute.interrupt_grace``
  seconds later (3 by default; a loop that ignores the interrupt) is killed at once, and the
  notebook's later cells do not run and score 0 (flag ``kernel-error``).
- **No cheating through the kernel.** The student's kernel never runs a test. It hands the
  answer values out as plain data (JSON), and a fresh interpreter that never ran student code
  runs the tests against them. Input transformers, patched modules, rebound builtins and objects
  that equal anything therefore earn nothing; edited, deleted or renamed test cells are restored
  from the gradebook. What was tried is reported per student (``reports/<assignment>/``).

Examples
--------
From the course folder (the one holding ``nbgrader_config.py``)::

    policykit grade 03-words-and-votes
    policykit grade 03-words-and-votes --student alice --student bob
    policykit grade 03-words-and-votes --course /srv/course --no-sandbox   # trusted work only
"""

from __future__ import annotations

import os
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InvalidArgumentError, PolicykitError, closest
from ._sandbox import SandboxUnavailableError

__all__ = ["GradeReport", "GradingError", "SandboxUnavailableError", "StudentResult", "grade",
           "sandboxed_autograde"]


class GradingError(PolicykitError):
    """The course, assignment or submissions to grade could not be found or read."""


@dataclass(frozen=True)
class StudentResult:
    """One student's outcome: score, maximum, flags, and nbgrader's error if it failed."""

    student: str
    score: float | None
    max_score: float | None
    flags: tuple[tuple[str, str], ...] = ()
    error: str = ""
    auto_score: float | None = None
    max_auto_score: float | None = None


@dataclass(frozen=True)
class GradeReport:
    """What :func:`grade` did: one :class:`StudentResult` per student, in order."""

    assignment: str
    course: Path
    sandbox: bool
    results: tuple[StudentResult, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """True when every submission was graded (flags do not count as failures)."""
        return all(not r.error for r in self.results)

    def __str__(self) -> str:
        lines = [f"Graded {len(self.results)} submission(s) of {self.assignment!r} "
                 f"({'sandboxed' if self.sandbox else 'NOT sandboxed'})."]
        for r in self.results:
            score = "error" if r.error or r.score is None else f"{r.score:g}/{r.max_score:g}"
            manual = (r.max_score or 0) - (r.max_auto_score or 0)
            if not r.error and manual and r.auto_score is not None:
                score += (f" (autograded {r.auto_score:g}/{r.max_auto_score:g}; "
                          f"{manual:g} points are graded by hand)")
            lines.append(f"  {r.student}: {score}" + (f"  flags: {len(r.flags)}" if r.flags
                                                       else ""))
            lines += [f"    - [{code}] {detail}" for code, detail in r.flags]
            if r.error:
                lines.append(f"    error: {r.error.strip().splitlines()[-1][:300]}")
        lines.append(f"Flags per student are saved in {self.course / 'reports' / self.assignment}.")
        return "\n".join(lines)


def _course(course: str | os.PathLike[str] | None) -> Path:
    root = Path(course) if course is not None else Path.cwd()
    if not (root / "nbgrader_config.py").is_file():
        where = "this folder" if course is None else repr(str(root))
        msg = (f"No nbgrader_config.py in {where} ({root.resolve()}): policykit grade runs from "
               "an nbgrader course folder. Change to the course folder (for this package, "
               "'lessons/') or pass --course DIR.")
        raise GradingError(msg)
    return root.resolve()


def _step_name(step: Any) -> str:
    """``'nbgrader.preprocessors.execute.Execute'`` for a class, the string itself otherwise."""
    return step if isinstance(step, str) else f"{step.__module__}.{step.__qualname__}"


def _is_nbgrader(step: Any, name: str) -> bool:
    full = _step_name(step)
    return full.startswith("nbgrader.") and full.rsplit(".", 1)[-1] == name


def _config(root: Path, *, sandbox: bool, timeout: int | None) -> Any:
    """The course's nbgrader config, with nbgrader's Execute step swapped for ours."""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    return _use_policykit_steps(config, sandbox=sandbox, timeout=timeout)


def sandboxed_autograde(config: Any, *, timeout: int | None = None) -> Any:
    """Make every ``nbgrader autograde`` that reads ``config`` grade as ``policykit grade``
    does: each submission in the sandbox, its tests judged in a fresh interpreter.

    For an nbgrader config file that the instructor's own tools read, such as
    ``deploy/jupyter/instructor/nbgrader_config.py`` on the hub. Formgrader's *Autograde* button
    and ``nbgrader autograde`` in the instructor's terminal then never run a student's code with
    the instructor's rights. Call it after the course's own settings are loaded: it keeps the
    course's autograde and sanitize steps and swaps only nbgrader's ``Execute`` step.

    Parameters
    ----------
    config
        The ``c`` of an nbgrader config file (a traitlets ``Config``); changed in place.
    timeout
        Seconds a cell may run (default: the config's ``ExecutePreprocessor.timeout``, or 60).

    Returns
    -------
    traitlets.config.Config
        ``config`` itself.

    Examples
    --------
    >>> from traitlets.config import Config
    >>> c = sandboxed_autograde(Config())
    >>> "policykit.grading._preprocessor.SandboxedExecute" in c.Autograde.autograde_preprocessors
    True
    """
    return _use_policykit_steps(config, sandbox=True, timeout=timeout)


def _use_policykit_steps(config: Any, *, sandbox: bool, timeout: int | None) -> Any:
    """``config`` with nbgrader's Execute step swapped for ours (in place).

    The config's own lists of autograde and sanitize steps are kept (nbgrader's defaults where
    it sets none); only ``Execute`` is replaced, and :class:`DropUnknownCells` runs before
    ``OverwriteCells``.
    """
    from nbgrader.converters import Autograde

    traits = Autograde.class_traits()
    steps = list(config.Autograde.get("autograde_preprocessors")
                 or traits["autograde_preprocessors"].default())
    steps = ["policykit.grading._preprocessor.SandboxedExecute" if _is_nbgrader(p, "Execute")
             else p for p in steps]
    config.Autograde.autograde_preprocessors = steps
    sanitize = list(config.Autograde.get("sanitize_preprocessors")
                    or traits["sanitize_preprocessors"].default())
    where = next((i for i, p in enumerate(sanitize) if _is_nbgrader(p, "OverwriteCells")),
                 len(sanitize))
    if "policykit.grading._preprocessor.DropUnknownCells" not in map(_step_name, sanitize):
        sanitize.insert(where, "policykit.grading._preprocessor.DropUnknownCells")
    config.Autograde.sanitize_preprocessors = sanitize
    config.OverwriteCells.add_missing_cells = True
    config.SandboxedExecute.sandbox = sandbox
    cell_timeout = timeout or config.ExecutePreprocessor.get("timeout") or 60
    config.SandboxedExecute.timeout = int(cell_timeout)
    return config


def _students(root: Path, api: Any, assignment: str, wanted: list[str] | None) -> list[str]:
    submitted = Path(api.coursedir.format_path(api.coursedir.submitted_directory, "*",
                                               assignment))
    found = sorted(p.parent.name for p in root.glob(str(submitted.relative_to(root)))
                   if p.is_dir())
    if wanted:
        missing = [s for s in wanted if s not in found]
        if missing:
            msg = (f"No submission of {assignment!r} from {missing[0]!r} in "
                   f"{submitted.parent.parent}. Students with one: {', '.join(found) or 'none'}."
                   f"{closest(missing[0], found)} Collect first ('nbgrader collect "
                   f"{assignment}') or check the name.")
            raise GradingError(msg)
        return list(wanted)
    if not found:
        msg = (f"No submissions of {assignment!r} under {submitted.parent.parent}. Collect them "
               f"first ('nbgrader collect {assignment}'), or copy them to "
               f"submitted/<student>/{assignment}/.")
        raise GradingError(msg)
    return found


def _compile_bytecode() -> None:
    """Compile policykit's modules once, so sandboxed runs (read-only) do not each recompile."""
    import compileall

    import policykit

    compileall.compile_dir(Path(policykit.__file__).parent, quiet=2)


_WORKER_API: list[Any] = []


def _grade_one(api: Any, assignment: str, student: str) -> StudentResult:
    """Autograde one student's submission with nbgrader's API; read the scores back."""
    from nbgrader.api import Gradebook, MissingEntry

    from . import _preprocessor

    start = len(_preprocessor.REPORTS)
    with warnings.catch_warnings():
        # nbgrader 0.9's own noise: a cell it re-adds has no id (nbformat warns), and its
        # gradebook code warns under sqlalchemy 2. Neither concerns the instructor.
        warnings.filterwarnings("ignore", category=Warning, module=r"(nbformat|nbgrader)")
        warnings.filterwarnings("ignore", message=r".*(missing an id field|not in session)")
        outcome = api.autograde(assignment, student, force=True)
    flags = tuple((f["code"], f["detail"]) for rep in _preprocessor.REPORTS[start:]
                  for f in rep["flags"])
    scores: list[float | None] = [None] * 4
    try:
        with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
            sub = gb.find_submission(assignment, student)
            scores = [float(sub.score), float(sub.max_score), float(sub.code_score),
                      float(sub.max_code_score)]
    except MissingEntry:
        pass
    error = "" if outcome.get("success") else (
        f"{outcome.get('log') or ''}\n{outcome.get('error') or 'nbgrader autograde failed'}")
    return StudentResult(student, scores[0], scores[1], flags, str(error), scores[2], scores[3])


def _worker_start(root: str, sandbox: bool, timeout: int | None, path: str) -> None:
    from nbgrader.apps import NbGraderAPI

    os.environ["PATH"] = path
    _WORKER_API[:] = [NbGraderAPI(config=_config(Path(root), sandbox=sandbox,
                                                 timeout=timeout))]


def _worker_grade(assignment: str, student: str) -> StudentResult:
    return _grade_one(_WORKER_API[0], assignment, student)


def grade(assignment: str, *, course: str | os.PathLike[str] | None = None,
          students: list[str] | None = None, sandbox: bool = True,
          timeout: int | None = None, jobs: int = 1) -> GradeReport:
    """Autograde every submission of ``assignment``, each isolated; return the report.

    Parameters
    ----------
    assignment
        The nbgrader assignment (a folder name under ``source/``).
    course
        The course folder holding ``nbgrader_config.py`` (default: the current folder).
    students
        Only these students (default: everyone with a submission).
    sandbox
        Run each submission in bubblewrap (default). ``False`` is for trusted work only.
    timeout
        Seconds a cell may run (default: the course's ``ExecutePreprocessor.timeout``, or 60).
    jobs
        Submissions graded at the same time (separate processes; about one per CPU core).

    Raises
    ------
    GradingError
        No course, no such assignment, or no submissions.
    SandboxUnavailableError
        ``sandbox=True`` and bubblewrap is missing or cannot run.
    """
    root = _course(course)
    sources = sorted(p.name for p in (root / "source").iterdir() if p.is_dir()) \
        if (root / "source").is_dir() else []
    if not isinstance(assignment, str):
        msg = (f"The assignment must be given by name (a string); got "
               f"{type(assignment).__name__} {assignment!r}. Assignments in {root}: "
               f"{', '.join(sources) or 'none'}.")
        raise InvalidArgumentError(msg)
    if assignment not in sources:
        msg = (f"Unknown assignment {assignment!r}: no folder source/{assignment} in {root}. "
               f"Assignments: {', '.join(sources) or 'none'}.{closest(assignment, sources)} "
               "Run 'nbgrader generate_assignment NAME' for a new one.")
        raise GradingError(msg)
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        msg = (f"jobs must be a whole number of at least 1 (submissions graded at once); got "
               f"{jobs!r}. Use about one per CPU core (this machine has {os.cpu_count()}).")
        raise InvalidArgumentError(msg)
    if sandbox:
        from ._sandbox import _bwrap

        _bwrap()  # fail before touching anything if the sandbox cannot run
    from nbgrader.apps import NbGraderAPI

    _compile_bytecode()
    api = NbGraderAPI(config=_config(root, sandbox=sandbox, timeout=timeout))
    names = _students(root, api, assignment, students)
    bindir = str(Path(sys.executable).parent)  # nbgrader calls 'alembic' from PATH
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([bindir, os.environ.get("PATH", "")])
    if jobs == 1 or len(names) == 1:
        results = [_grade_one(api, assignment, student) for student in names]
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=min(jobs, len(names)),
                                 mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_worker_start,
                                 initargs=(str(root), sandbox, timeout,
                                           os.environ["PATH"])) as pool:
            results = list(pool.map(_worker_grade, [assignment] * len(names), names))
        # SQLite lets one writer in at a time; a student who met a locked gradebook is graded
        # again, alone.
        results = [_grade_one(api, assignment, r.student) if "database is locked" in r.error
                   else r for r in results]
    return GradeReport(assignment, root, sandbox, tuple(results))
