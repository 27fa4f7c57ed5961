#!/usr/bin/env python3
"""Set up policykit and run it. Needs only Python >= 3.11.

    python3 tasks.py lab            set everything up, then open the course in JupyterLab
    python3 tasks.py test           set everything up, then run every test
    python3 tasks.py voila          the explorers as a web app (lessons/explorers.ipynb in Voila)
    python3 tasks.py grade LESSON   autograde the submissions of one lesson (policykit grade)

Everything after the command is passed on unchanged: to JupyterLab (e.g. --port 9999
--no-browser), to Voila (e.g. --port 8866), to policykit grade (e.g. --student NAME, --timeout S)
or to pytest (e.g. -k loaders, -m "not browser"). `test` runs the tests in parallel, one
worker per core (pytest-xdist, up to 4); give -n yourself to choose (-n 0: one process).

`lab` starts JupyterLab in lessons/, the course folder: the file browser opens on the student
versions, and the Formgrader panel finds nbgrader_config.py there and lists every lesson. Run as
root (e.g. in a container), `lab` passes --allow-root and says so. JupyterLab's news pop-up is
turned off, and so is its build check (every extension comes prebuilt).

Everything is installed into .venv/ inside the checkout (created on first use, refreshed when
pyproject.toml changes), with uv from the package index when it can be had (much faster on a
fresh machine), else with pip; nothing is installed globally. `test` installs the test extra, which
includes everything `lab`, `voila` and `grade` need, so none of them installs again after it.
To use the environment directly: `. .venv/bin/activate` (then nbgrader, policykit, pytest, ...).
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
LESSONS = ROOT / "lessons"
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".policykit-installed"
#: What installing each extra of pyproject.toml brings (the test extra includes the lab extra).
PROVIDES = {"lab": {"lab"}, "test": {"test", "lab"}}
#: JupyterLab options every `lab` run gets: no news pop-up over the explorers, and the student
#: versions open in the file browser.
LAB_OPTIONS = ["--LabApp.news_url=None", "--LabApp.default_url=/lab/tree/release"]
#: The most pytest-xdist workers `test` starts (one per core up to this).
MAX_WORKERS = 4


def run(*cmd: object, **kw) -> None:
    """Run a set-up step, echoing it; stop if it fails."""
    print("+", " ".join(map(str, cmd)), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, **kw)


def environment() -> dict[str, str]:
    """This environment with .venv's scripts first on PATH, as if .venv were activated.

    nbgrader runs ``alembic`` from PATH when it opens the gradebook: without this the Formgrader
    panel of a JupyterLab started from a shell where .venv is not active fails (HTTP 500).
    """
    path = os.pathsep.join([str(BIN), os.environ.get("PATH", "")])
    return {**os.environ, "PATH": path, "VIRTUAL_ENV": str(BIN.parent)}


def call(cmd: list[object], cwd: Path) -> int:
    """Run a command in the foreground, echoing it; return its exit status (130 on Ctrl-C)."""
    print("+", " ".join(map(str, cmd)), f"   (in {cwd})", flush=True)
    try:
        return subprocess.call([str(c) for c in cmd], cwd=cwd, env=environment())
    except KeyboardInterrupt:
        return 130


def _digest() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def installed(digest: str) -> set[str]:
    """The extras already installed for this pyproject.toml (by digest), with what they bring."""
    lines = STAMP.read_text().split() if STAMP.exists() else []
    have: set[str] = set()
    for line in lines:
        done, _, extra = line.partition(":")
        if done == digest:
            have |= PROVIDES.get(extra, {extra})
    return have


def setup(extra: str) -> None:
    """Create .venv and install policykit (editable) with ``extra``, unless it is there already."""
    if sys.version_info < (3, 11):  # noqa: UP036 - tasks.py may be run by an older Python
        sys.exit(f"policykit needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = _digest()
    if extra in installed(digest):
        return
    install(f"{ROOT}[{extra}]")
    current = [line for line in (STAMP.read_text().split() if STAMP.exists() else [])
               if line.startswith(digest + ":")]
    STAMP.write_text("\n".join([*current, f"{digest}:{extra}"]) + "\n")


#: Installed folders that nothing imports when policykit, the lessons or the tests run: the
#: packages' own test suites (pandas', numpy's, ...) and pip. :func:`install` does not compile
#: them ahead (Python would compile what is imported from them on first use): 22 -> 13 s for a
#: fresh environment on the 2-core machine.
NOT_PRECOMPILED = r"[\\/]site-packages[\\/](pip[\\/]|.*[\\/]tests?[\\/])"
COMPILE = ("import compileall, re, sysconfig; compileall.compile_dir(sysconfig.get_paths()"
           "['purelib'], rx=re.compile({rx!r}), quiet=1, workers=0)")


def install(requirement: str) -> None:
    """Install ``requirement`` (editable) into .venv: with uv when it can be had, else pip.

    uv (from the package index, into .venv) downloads in parallel and installs several times
    faster than pip on a fresh machine. Then the bytecode is compiled, in parallel, as pip would
    at install (the tests' shared venv for student accounts copies it, and sandboxed grading
    runs cannot write it), except in :data:`NOT_PRECOMPILED`. Where no uv wheel exists for the
    platform, or uv fails, pip does the install, as before.
    """
    try:
        run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "uv")
        run(PYTHON, "-m", "uv", "pip", "install", "--quiet", "--python", PYTHON, "-e",
            requirement)
        run(PYTHON, "-c", COMPILE.format(rx=NOT_PRECOMPILED))
        return
    except (subprocess.CalledProcessError, OSError):
        print("uv could not install the environment; installing with pip instead.", flush=True)
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PYTHON, "-m", "pip", "install", "--quiet", "-e", requirement)


def is_root() -> bool:
    return os.name != "nt" and os.geteuid() == 0


def lab_command(args: list[str]) -> list[object]:
    """The JupyterLab command `lab` runs (from lessons/), with --allow-root added for root."""
    extra = []
    if is_root() and "--allow-root" not in args:
        print("Running as root: passing --allow-root to JupyterLab.", flush=True)
        extra = ["--allow-root"]
    return [BIN / "jupyter", "lab", *LAB_OPTIONS, *extra, *args]


def no_news_prompt() -> Path:
    """Turn off JupyterLab's "Would you like to get notified about official Jupyter news?"
    pop-up for the JupyterLab in .venv; return the settings file.

    The server option --LabApp.news_url=None only stops the fetching: the pop-up comes from the
    notification setting ``fetchNews``, asked while it is "none". It is set to "false" in the
    environment's ``overrides.json`` (JupyterLab's documented place for defaults), unless a value
    is there already.
    """
    path = BIN.parent / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    overrides = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    notification = overrides.setdefault("@jupyterlab/apputils-extension:notification", {})
    if "fetchNews" not in notification:
        notification["fetchNews"] = "false"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(overrides, indent=2) + "\n", encoding="utf-8")
    return path


#: JupyterLab's page settings for a JupyterLab whose extensions all come prebuilt (this one's,
#: and the hub's, deploy/jupyter/*/labconfig/page_config.json): no build check. With it, every
#: page load asks the server whether JupyterLab needs a rebuild, and the server runs yarn and
#: reads every extension's package to answer (0.6-1.0 s per page in the test hub's log), for
#: nothing here.
NO_BUILD = {"buildCheck": False, "buildAvailable": False}


def no_build_check() -> Path:
    """Turn off JupyterLab's build check (:data:`NO_BUILD`) for the JupyterLab in .venv, in the
    environment's ``etc/jupyter/labconfig/page_config.json``; keep every value already there
    (another setting, or a user's own choice). Returns the file."""
    path = BIN.parent / "etc" / "jupyter" / "labconfig" / "page_config.json"
    config = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    if not NO_BUILD.keys() <= config.keys():
        config = {**NO_BUILD, **config}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return path


def lab(args: list[str]) -> int:
    setup("lab")
    no_news_prompt()
    no_build_check()
    return call(lab_command(args), LESSONS)


def voila(args: list[str]) -> int:
    setup("lab")
    return call([BIN / "voila", "explorers.ipynb", *args], LESSONS)


def grade(args: list[str]) -> int:
    setup("lab")
    return call([BIN / "policykit", "grade", *args], LESSONS)


def parallel_options(args: list[str]) -> list[str]:
    """pytest-xdist options `test` adds: one worker per core (at most MAX_WORKERS), tests that
    share a module's fixture kept together, longest first (tests/conftest.py). None when the
    arguments choose the workers themselves (-n, --numprocesses, --dist, -p no:xdist) or ask
    for the debugger (--pdb, --trace: one process)."""
    chosen = any(a in {"-n", "--numprocesses", "--dist"} or a.startswith(("-n", "--numprocesses=",
                 "--dist=")) for a in args)
    no_xdist = any(a in {"no:xdist", "-pno:xdist", "--pdb", "--trace"} for a in args)
    if chosen or no_xdist:
        return []
    workers = max(1, min(MAX_WORKERS, os.cpu_count() or 1))
    return ["-n", str(workers), "--dist", "loadgroup"]


def test(args: list[str]) -> int:
    setup("test")
    return call([PYTHON, "-m", "pytest", *parallel_options(args), *args], ROOT)


COMMANDS = {"lab": lab, "test": test, "voila": voila, "grade": grade}


def main(argv: list[str]) -> int:
    if argv and argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        given = repr(argv[0]) if argv else "nothing"
        close = difflib.get_close_matches(argv[0], COMMANDS, n=1) if argv else []
        hint = f" Did you mean {close[0]!r}?" if close else ""
        names = ", ".join(repr(c) for c in COMMANDS)
        print(f"Unknown command {given}: use one of {names}.{hint}", file=sys.stderr)
        return 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
