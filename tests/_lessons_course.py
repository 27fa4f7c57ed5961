"""Each lesson's nbgrader course, generated and autograded ONCE per test run.

Three test files need the same nbgrader work on every lesson; each used to do it on its own.
Built once here (through :func:`_shared.built`, so once per run across parallel workers):

- :func:`generated` - a course folder (``nbgrader_config.py``, every lesson's ``source/``) in
  which nbgrader's ``generate_assignment`` made the lesson's student version (``release/``) and
  filled its gradebook (a new empty one, copied in first: :func:`_shared.empty_gradebook`).
  tests/test_lessons_nbgrader.py compares it with the committed release;
  tests/test_grade_lessons.py copies it and grades with ``policykit grade``.
- :func:`autograded` - a copy of that course in which three students handed the lesson in
  (``solution``: the instructor source; ``untouched``: the student version as released;
  ``crasher``: correct answers except one ``1/0``), nbgrader's own ``autograde`` graded them
  and ``generate_feedback`` wrote their pages. tests/test_lessons_nbgrader.py checks the scores
  and pages; tests/test_lessons_execute.py checks that the ``solution`` notebook, i.e. the
  instructor source, ran without an error, offline.

Autograde runs with :data:`NO_NETWORK` as the kernels' IPython startup file (the kernels cannot
reach anything but loopback) and with nbgrader's cell timeout lowered to :data:`CELL_TIMEOUT`.

Both folders are shared: read them, and copy one (``shutil.copytree``) to change anything.
"""

from __future__ import annotations

import json
import os
import shutil
import textwrap
import warnings
from contextlib import contextmanager
from pathlib import Path

import _shared
import nbformat

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"
LESSON_NAMES = sorted(p.parent.name for p in LESSONS.glob("source/*/*.ipynb")
                      if p.stem == p.parent.name)
STUDENTS = ("solution", "untouched", "crasher")
#: Seconds a cell may run when the tests execute a lesson (lessons take seconds in all).
CELL_TIMEOUT = 30
#: In :func:`autograded`'s folder: the grade id of the crasher's ``1/0`` cell (null if none).
CRASHED_FILE = "crashed.json"

# IPython runs every file in profile_default/startup/ when the kernel starts.
NO_NETWORK = textwrap.dedent('''
    """Test guard: refuse every socket connection that does not stay on this machine."""
    import ipaddress
    import socket

    def _local(address):
        if not isinstance(address, tuple):  # AF_UNIX path
            return True
        host = address[0]
        if host in ("localhost", ""):
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:  # a host name: resolving it would already use the network
            return False

    def _refuse(address):
        raise ConnectionRefusedError(f"policykit lesson tests run offline: {address!r}")

    _connect = socket.socket.connect
    _connect_ex = socket.socket.connect_ex
    _create_connection = socket.create_connection

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _local(address):
            _refuse(address)
        return _connect(self, address)

    def connect_ex(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _local(address):
            _refuse(address)
        return _connect_ex(self, address)

    def create_connection(address, *args, **kwargs):
        if not _local(address):
            _refuse(address)
        return _create_connection(address, *args, **kwargs)

    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.create_connection = create_connection
''')


def offline_ipython(folder: Path) -> Path:
    """Make ``folder`` an IPYTHONDIR whose startup file cuts the kernel off from the network."""
    startup = folder / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-no-network.py").write_text(NO_NETWORK, encoding="utf-8")
    return folder


def nbgrader_meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def check(result: dict, what: str) -> None:
    assert result["success"], f"nbgrader {what} failed:\n{result.get('error')}\n{result.get('log')}"


def crasher(source_nb, release_nb):
    """A student who answered correctly, except for a ``1/0`` in the first answer cell."""
    answers = {nbgrader_meta(c)["grade_id"]: c.source for c in source_nb.cells
               if nbgrader_meta(c).get("solution")}
    nb = nbformat.from_dict(json.loads(json.dumps(release_nb)))
    crashed = None
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if meta.get("solution"):
            if crashed is None and cell.cell_type == "code":
                cell.source = "1/0  # the student's own mistake"
                crashed = meta["grade_id"]
            else:
                cell.source = answers[meta["grade_id"]]
    return nb, crashed


@contextmanager
def _nbgrader_env(**env: str):
    """nbgrader run in this process: its own warnings silenced, the variables set (and put
    back afterwards), this Python's scripts on PATH (:func:`_shared.scripts_on_path`)."""
    old = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        with _shared.scripts_on_path(), warnings.catch_warnings():
            # nbgrader 0.9 imports sqlalchemy's declarative_base from its 1.x location, and
            # its gradebook code warns "Object of type ... not in session" under sqlalchemy 2;
            # nbformat warns about cells nbgrader re-adds without an id. Not ours to fix.
            warnings.filterwarnings("ignore", category=DeprecationWarning)
            warnings.filterwarnings("ignore", message=r".*declarative_base.*")
            warnings.filterwarnings("ignore", message=r"Object of type .* not in session")
            warnings.filterwarnings("ignore", message=r".*missing an id field")
            warnings.filterwarnings("ignore", category=ResourceWarning)
            yield
    finally:
        for name, value in old.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _api(root: Path):
    from nbgrader.apps import NbGraderAPI
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.Execute.timeout = CELL_TIMEOUT  # stricter than the course's minute per cell
    api = NbGraderAPI(config=config)
    assert Path(api.coursedir.root) == root.resolve(), "the config must put the root beside it"
    return api


def _generate(lesson: str, root: Path) -> None:
    shutil.copy(LESSONS / "nbgrader_config.py", root)
    shutil.copytree(LESSONS / "source", root / "source")
    _shared.empty_gradebook("policykit", root)
    with _nbgrader_env():
        check(_api(root).generate_assignment(lesson), f"generate_assignment {lesson}")


def generated(lesson: str) -> Path:
    """The course folder in which nbgrader generated ``lesson`` (read-only, shared)."""
    return _shared.built(f"lesson-generated-{lesson}", lambda root: _generate(lesson, root))


def _autograde(lesson: str, root: Path) -> None:
    shutil.copytree(generated(lesson), root, dirs_exist_ok=True)
    source = nbformat.read(root / "source" / lesson / f"{lesson}.ipynb", as_version=4)
    release = nbformat.read(root / "release" / lesson / f"{lesson}.ipynb", as_version=4)
    crash_nb, crashed = crasher(source, release)
    for student, nb in zip(STUDENTS, (source, release, crash_nb), strict=True):
        folder = root / "submitted" / student / lesson
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{lesson}.ipynb")
    (root / CRASHED_FILE).write_text(json.dumps(crashed), encoding="utf-8")

    ipython = offline_ipython(root.parent / f"{root.name}-ipython")
    try:
        with _nbgrader_env(IPYTHONDIR=str(ipython)):
            api = _api(root)
            for student in STUDENTS:
                check(api.autograde(lesson, student), f"autograde {lesson} for {student}")
            check(api.generate_feedback(lesson), f"generate_feedback {lesson}")
        # IPython makes these folders in the profile of a kernel it starts: the kernels ran
        # with the offline startup file.
        used = ipython / "profile_default" / "security"
        assert used.is_dir(), f"nbgrader's kernels did not use IPYTHONDIR={ipython}"
    finally:
        shutil.rmtree(ipython, ignore_errors=True)


def autograded(lesson: str) -> Path:
    """The course folder in which nbgrader autograded and fed back three students on ``lesson``
    (read-only, shared); see the module docstring."""
    return _shared.built(f"lesson-autograded-{lesson}", lambda root: _autograde(lesson, root))
