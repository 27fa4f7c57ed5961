"""Build something once per test run, for every test and every parallel worker that needs it.

Some fixtures are expensive and read-only once built: a generated nbgrader course, a wheel built
from this checkout. Under ``pytest -n N`` each worker is its own process, so a session fixture
would still build once per worker. :func:`built` builds into a folder of this run (the
controller creates it and removes it at the end), under an exclusive lock, so the first caller
builds and every later caller, on any worker, gets the same folder.

Callers must treat the folder as read-only: copy what they change (``shutil.copytree``).

A build that raises leaves nothing behind, and the next caller tries again (and fails the same
way, with its own traceback), so a broken build fails every test that needs it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

#: nbgrader 0.9's own noise under sqlalchemy 2 and nbformat, not ours to fix: its
#: ``declarative_base`` import and other deprecations, "Object of type ... not in session"
#: while its gradebook creates submissions (the rows are saved anyway), unclosed sockets of the
#: kernels it starts. For the pytestmark of tests that run nbgrader.
NBGRADER_WARNINGS = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:.*declarative_base.*"),
    pytest.mark.filterwarnings("ignore:Object of type .* not in session"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]
#: Tests that grade in policykit's sandbox: skipped (with the reason) where bubblewrap is
#: missing, except in CI, which installs it, so that there a missing sandbox fails.
NEEDS_BWRAP = pytest.mark.skipif(
    shutil.which("bwrap") is None and not os.environ.get("CI"),
    reason="bubblewrap is not installed (apt-get install bubblewrap); CI installs it",
)

#: Set by tests/conftest.py in the controller before the workers start; inherited by them.
RUN_DIR_VAR = "POLICYKIT_TEST_RUN_DIR"


def run_dir() -> Path:
    """This test run's folder for shared builds (created on first use without a controller)."""
    path = os.environ.get(RUN_DIR_VAR)
    if not path:
        path = tempfile.mkdtemp(prefix="policykit-run-")
        os.environ[RUN_DIR_VAR] = path
    return Path(path)


def built(name: str, build: Callable[[Path], None]) -> Path:
    """The folder ``name`` of this run, made by ``build(folder)`` the first time it is asked for.

    ``build`` receives an empty folder and fills it. Only when it returns is the folder kept
    (renamed into place), so no caller ever sees half a build.
    """
    base = run_dir()
    base.mkdir(parents=True, exist_ok=True)
    target = base / name
    with open(base / f"{name}.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            if not target.is_dir():
                scratch = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=base))
                try:
                    build(scratch)
                except BaseException:
                    shutil.rmtree(scratch, ignore_errors=True)
                    raise
                os.replace(scratch, target)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    return target


@contextlib.contextmanager
def scripts_on_path() -> Iterator[None]:
    """This Python's scripts first on PATH, put back afterwards: nbgrader run in this process
    finds its ``alembic`` there when it opens a gradebook."""
    old = os.environ.get("PATH")
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), old or ""])
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("PATH", None)
        else:
            os.environ["PATH"] = old


def _make_gradebook(course_id: str, folder: Path) -> None:
    from nbgrader.api import Gradebook

    with scripts_on_path(), Gradebook(f"sqlite:///{folder / 'gradebook.db'}", course_id):
        pass  # Gradebook() creates the tables and stamps the schema version (alembic)


def empty_gradebook(course_id: str, root: Path) -> Path:
    """Put a new, empty nbgrader gradebook for ``course_id`` at ``root/gradebook.db``.

    nbgrader makes the same file the first time a command opens a course's gradebook: it
    creates the tables and stamps the schema version by running ``alembic heads`` in a
    subprocess (about 1.5 s of CPU each time). Tests that build many courses of their own
    copy one made once per run instead. The guide's commands are always run from a course
    without a gradebook, so nbgrader's own first-time path stays tested.
    """
    made = built(f"empty-gradebook-{course_id}", lambda folder: _make_gradebook(course_id, folder))
    target = root / "gradebook.db"
    shutil.copyfile(made / "gradebook.db", target)
    return target
