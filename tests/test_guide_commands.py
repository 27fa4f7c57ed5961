"""Every command the guides print is run by a test.

The shell commands are read from README.md and lessons/README.md: each line of a shell (or
unlabelled) fenced block, and each inline `code` span, that starts with one of the programs an
instructor types (python, python3, nbgrader, policykit, jupyter, pip, voila) followed by an
argument. The JupyterHub section of the instructor guide is left to the hub tests
(tests/test_hub*.py), which run its commands on a real hub.

Each command is either run here, in a temporary copy of the course, or listed in ``ELSEWHERE``
with the test that runs it. A command added to a guide without a test fails
``test_every_guide_command_is_run_by_a_test``; an entry whose command left the guides, or whose
test does not exist, fails too.

The grading cycle through nbgrader's exchange (release, validate, collect, feedback, export)
runs once, in tests/test_exchange.py, with one local account per student; that test needs root,
so a developer without root sees it skipped with its reason and those commands are not run on
their machine. CI runs as root, where a missing prerequisite fails it instead.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GUIDES = ("README.md", "lessons/README.md")
#: Sections run by other tests: the hub engineer's tests drive them on a real JupyterHub.
OTHER_OWNER = re.compile(r"JupyterHub|Kubernetes")
PROGRAMS = ("python", "python3", "nbgrader", "policykit", "jupyter", "pip", "voila")
_START = re.compile(r"^(?:" + "|".join(PROGRAMS) + r")\s+\S")
_FENCE = re.compile(r"^[ \t]*```(\w*)[ \t]*\n(.*?)^[ \t]*```", re.MULTILINE | re.DOTALL)
LESSON = "01-primary-source"

EXCHANGE = "tests/test_exchange.py::test_class_cycle_through_the_exchange"
#: Commands run by a test in another file: command -> "file::test".
ELSEWHERE = {
    "python3 tasks.py lab":
        "tests/test_tasks.py::test_lab_serves_the_course_with_formgrader_and_no_news",
    "python3 tasks.py voila": "tests/test_tasks.py::test_voila_serves_the_explorers",
    "python datasets/build/build.py": "tests/test_facts.py::test_build_is_reproducible",
    "nbgrader autograde":
        "tests/test_feedback.py::test_checksum_warning_only_for_the_edited_test_cell",
    # The grading cycle. tests/test_feedback.py runs these as printed, in a copy of the course
    # (as does tests/test_exchange.py); the exchange test runs the whole cycle, each command as
    # the account the guide has run it, with nbgrader's real exchange and three students. That
    # test needs root (local accounts): a developer without root sees it skipped (with the
    # reason), so on their machine the exchange commands below are not run; CI runs as root
    # and fails the test if anything it needs is missing.
    f"nbgrader generate_assignment {LESSON} --force":
        "tests/test_feedback.py::test_checksum_warning_only_for_the_edited_test_cell",
    f"policykit grade {LESSON}":
        "tests/test_feedback.py::test_checksum_warning_only_for_the_edited_test_cell",
    "policykit grade":
        "tests/test_feedback.py::test_checksum_warning_only_for_the_edited_test_cell",
    f"nbgrader generate_feedback {LESSON}":
        "tests/test_feedback.py::test_checksum_warning_only_for_the_edited_test_cell",
    f"nbgrader release_assignment {LESSON}": EXCHANGE,
    "nbgrader validate": EXCHANGE,
    f"nbgrader collect {LESSON}": EXCHANGE,
    f"nbgrader release_feedback {LESSON}": EXCHANGE,
    "nbgrader export": EXCHANGE,
}


# --- reading the guides -------------------------------------------------------------------------

def _sections(text: str) -> list[tuple[str, str]]:
    parts, title, lines = [], "", []
    for line in text.splitlines(keepends=True):
        if line.startswith("## "):
            parts.append((title, "".join(lines)))
            title, lines = line[3:].strip(), []
        else:
            lines.append(line)
    parts.append((title, "".join(lines)))
    return parts


def commands_in(text: str) -> list[str]:
    """The shell commands printed in a piece of markdown, in order."""
    found = []
    for match in _FENCE.finditer(text):
        if match.group(1) in ("", "bash", "sh", "shell", "console"):
            for line in match.group(2).splitlines():
                command = re.sub(r"\s+#.*$", "", line).strip()
                if _START.match(command):
                    found.append(command)
    prose = _FENCE.sub("", text).replace("\n", " ")
    for match in re.finditer(r"`([^`]+)`", prose):
        command = " ".join(match.group(1).split())
        if _START.match(command):
            found.append(command)
    return found


def guide_commands() -> list[str]:
    found: list[str] = []
    for guide in GUIDES:
        for title, body in _sections((ROOT / guide).read_text(encoding="utf-8")):
            if not OTHER_OWNER.search(title):
                found += [c for c in commands_in(body) if c not in found]
    return found


def test_extractor_reads_blocks_and_inline_commands():
    text = ("## A\n```bash\npolicykit list        # the tables\n```\n```python\n"
            "policykit.load('x')\n```\nRun `nbgrader export` or `policykit`, see `pip`.\n"
            "Or `jupyter nbconvert\n--to html NB`.\n")
    assert commands_in(text) == ["policykit list", "nbgrader export",
                                 "jupyter nbconvert --to html NB"]


# --- commands run here ----------------------------------------------------------------------------

#: Filled by the tests below: command -> test name.
RUN_HERE: dict[str, str] = {}


def runs(*commands: str):
    def mark(test):
        for command in commands:
            RUN_HERE[command] = test.__name__
        return test
    return mark


def _env(**extra: str) -> dict[str, str]:
    # As after '. .venv/bin/activate': this environment's scripts first on PATH.
    return {**os.environ, "PATH": os.pathsep.join([str(BIN), os.environ.get("PATH", "")]),
            **extra}


def sh(command: str, cwd: Path, *, env: dict | None = None, timeout: int = 600
       ) -> subprocess.CompletedProcess:
    """Run ``command`` as a shell would (split with shlex), with .venv active; it must succeed."""
    argv = shlex.split(command)
    result = subprocess.run(argv, cwd=cwd, env=env or _env(), capture_output=True, text=True,
                            timeout=timeout, check=False)
    assert result.returncode == 0, (f"{command!r} in {cwd} exited {result.returncode}:\n"
                                    f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def _load_tasks():
    spec = importlib.util.spec_from_file_location("policykit_tasks_guide", ROOT / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TASKS_COMMANDS = [c for c in guide_commands() if c.startswith("python3 tasks.py")]


@pytest.mark.parametrize("command", TASKS_COMMANDS)
def test_tasks_py_commands(command, monkeypatch, capsys):
    """Each tasks.py command of the guides, through tasks.py's own main() with installing and
    launching stubbed: it is accepted, asks for the right extra and passes its flags on (the
    servers themselves are started for real in tests/test_tasks.py; CI's .ci/run runs
    `python3 tasks.py test` for real)."""
    tasks = _load_tasks()
    made = []
    monkeypatch.setattr(tasks, "setup", lambda extra: made.append(extra))
    monkeypatch.setattr(tasks, "no_news_prompt", lambda: None)
    monkeypatch.setattr(tasks, "no_build_check", lambda: None)
    monkeypatch.setattr(tasks, "call", lambda cmd, cwd: made.append(([str(c) for c in cmd],
                                                                     cwd)) or 0)
    argv = shlex.split(command)[2:]
    assert tasks.main(argv) == 0
    if argv[0] in {"-h", "--help", "help"}:
        assert "Everything after the command is passed on unchanged" in capsys.readouterr().out
        return
    extra, (cmd, cwd) = made
    assert extra == ("test" if argv[0] == "test" else "lab")
    assert cmd[len(cmd) - len(argv) + 1:] == argv[1:]  # flags passed on unchanged, at the end
    assert cwd == (ROOT if argv[0] == "test" else ROOT / "lessons")


for _command in TASKS_COMMANDS:
    RUN_HERE.setdefault(_command, "test_tasks_py_commands")


@runs("policykit list", "policykit describe rollcalls",
      "policykit export house_votes --format json --output house_votes.json", "policykit cite",
      "python -m policykit ...")
def test_policykit_commands(tmp_path):
    import policykit

    listed = sh("policykit list", tmp_path).stdout
    assert set(policykit.list_datasets()) <= set(listed.split())
    assert sh("python -m policykit list", tmp_path).stdout == listed  # 'python -m policykit ...'
    assert "rollcalls" in sh("policykit describe rollcalls", tmp_path).stdout
    sh("policykit export house_votes --format json --output house_votes.json", tmp_path)
    rows = json.loads((tmp_path / "house_votes.json").read_text(encoding="utf-8"))
    assert len(rows) == len(policykit.load_house_votes())
    assert "Voteview" in sh("policykit cite", tmp_path).stdout


@pytest.mark.slow
@pytest.mark.timeout(600)
@runs("jupyter nbconvert --to html --execute --ExecutePreprocessor.store_widget_state=False "
      "NOTEBOOK")
def test_nbconvert_runs_a_fresh_student_version(tmp_path):
    notebook = tmp_path / f"{LESSON}.ipynb"
    shutil.copy(ROOT / "lessons" / "release" / LESSON / notebook.name, notebook)
    sh("jupyter nbconvert --to html --execute --ExecutePreprocessor.store_widget_state=False "
       f"{notebook.name}", tmp_path)
    page = (tmp_path / f"{LESSON}.html").read_text(encoding="utf-8")
    # Run All went past the unanswered questions to the end, and the figures are static.
    assert "not answered yet" in page
    assert "Traceback" not in page
    assert "application/vnd.jupyter.widget-state+json" not in page
    assert 'class="plotly-graph-div"' in page


@pytest.mark.slow
@pytest.mark.timeout(600)
@runs("python lessons/generate_release.py", "nbgrader generate_assignment <lesson> --force")
def test_generate_release_script_regenerates_every_lesson(tmp_path):
    """The guide's release script, from the top of a copy of the course: it runs
    ``nbgrader generate_assignment <lesson> --force`` for every lesson of ``source/``.
    (Whether the result equals the committed release is tests/test_lessons_nbgrader.py's
    check.) The rest of the guide's grading cycle runs in tests/test_exchange.py (ELSEWHERE)."""
    top = tmp_path / "checkout"
    lessons = top / "lessons"
    lessons.mkdir(parents=True)
    for name in ("nbgrader_config.py", "generate_release.py"):
        shutil.copy(ROOT / "lessons" / name, lessons)
    shutil.copytree(ROOT / "lessons" / "source", lessons / "source")
    names = sorted(p.name for p in (ROOT / "lessons" / "source").iterdir() if p.is_dir())

    out = sh("python lessons/generate_release.py", top).stdout
    assert sorted(p.name for p in (lessons / "release").iterdir()) == names
    for lesson in names:
        assert f"generate_assignment {lesson} --force" in out, out[-2000:]
        assert (lessons / "release" / lesson / f"{lesson}.ipynb").is_file()


def _venv(path: Path, site: str) -> tuple[Path, Path, dict[str, str]]:
    """A fresh virtual environment that sees this test environment's packages (a .pth file)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    py = path / "bin" / "python"
    venv_site = subprocess.run([py, "-c", "import sysconfig; "
                                "print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip()
    # This environment's packages, less its own (editable) policykit-edu, which pip would
    # otherwise count as installed already.
    deps = path.parent / f"{path.name}-deps"
    deps.mkdir()
    for item in Path(site).iterdir():
        if not item.name.lower().startswith(("policykit", "__editable__")):
            (deps / item.name).symlink_to(item)
    Path(venv_site, "deps-from-test-env.pth").write_text(f"{deps}\n")
    env = {**os.environ, "PATH": os.pathsep.join([str(path / "bin"), os.environ.get("PATH", "")]),
           "VIRTUAL_ENV": str(path), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("PYTHONPATH", None)
    return py, Path(venv_site), env


@pytest.mark.slow
@pytest.mark.timeout(900)
@runs('pip install -e ".[lab]"', 'pip install "policykit-edu[lab]"')
def test_pip_install_commands(tmp_path):
    """Both install commands, each in a fresh virtual environment. The dependencies come from
    this test environment (a .pth file, with --no-index), and for the second command the
    package index is replaced by a folder holding the wheel built from this checkout (built
    once per run, tests/_wheel.py; tests/test_package.py installs the same wheel). Only the
    build backend (setuptools >= 77, which pyproject.toml's licence field needs) is taken from
    the package index."""
    import sysconfig

    import _wheel

    checkout = _wheel.copy_checkout(tmp_path / "checkout")
    site = sysconfig.get_paths()["purelib"]
    offline = ["--no-index", "--no-build-isolation", "--quiet"]

    py, venv_site, env = _venv(tmp_path / "editable", site)
    backend = subprocess.run([py, "-m", "pip", "install", "--quiet", "setuptools>=77", "wheel"],
                             env=env, capture_output=True, text=True, check=False)
    if backend.returncode != 0:
        pytest.skip("the build backend (setuptools>=77) could not be installed from the package "
                    f"index: {backend.stderr.strip()[-300:]}")
    command = 'pip install -e ".[lab]"'
    result = subprocess.run([py, "-m", *shlex.split(command), *offline], cwd=checkout, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{command}: {result.stdout}\n{result.stderr}"
    where = subprocess.run([py, "-c", "import policykit; print(policykit.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(checkout)
    dist = tmp_path / "dist"
    dist.mkdir()
    shutil.copy2(_wheel.wheel(), dist)

    py, venv_site, env = _venv(tmp_path / "wheel", site)
    command = 'pip install "policykit-edu[lab]"'
    result = subprocess.run([py, "-m", *shlex.split(command), *offline, "--find-links",
                             str(dist)], cwd=tmp_path, env=env, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, f"{command}: {result.stdout}\n{result.stderr}"
    where = subprocess.run([py, "-c", "import policykit; print(policykit.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(venv_site)
    cli = subprocess.run([tmp_path / "wheel" / "bin" / "policykit", "list"], env=env,
                         capture_output=True, text=True, check=False)
    assert cli.returncode == 0 and "signatories" in cli.stdout


@pytest.mark.slow
@pytest.mark.timeout(900)
@runs("python benchmarks/bench_import.py", "python benchmarks/bench_lessons.py")
def test_benchmark_commands(tmp_path):
    """The timing scripts, with their smallest sample (one run per measure, one lesson): the
    full samples take minutes and measure the machine; this checks that the commands work.
    The lesson timing runs every lesson the same way (tests/test_lessons_nbgrader.py runs each
    lesson's instructor source); an unknown --lesson lists every lesson the script found."""
    out = sh("python benchmarks/bench_import.py --runs 1", ROOT).stdout
    assert "pandas" in out
    out = sh("python benchmarks/bench_lessons.py --repeat 1 --lesson 01-primary-source",
             ROOT).stdout
    assert re.search(r"^01-primary-source +\d+\.\d\d +[+-]\d+\.\d\d$", out, re.MULTILINE), out
    lessons = sorted(p.name for p in (ROOT / "lessons" / "source").iterdir() if p.is_dir())
    assert "(empty notebook)" in out and f"1 of {len(lessons)} lessons timed" in out, out
    wrong = subprocess.run([sys.executable, "benchmarks/bench_lessons.py", "--lesson",
                            "01-primary-sauce"], cwd=ROOT, env=_env(), capture_output=True,
                           text=True, check=False)
    assert wrong.returncode == 2 and wrong.stdout == ""
    assert "Unknown lesson '01-primary-sauce'. Did you mean '01-primary-source'?" in wrong.stderr
    assert f"Lessons: {', '.join(lessons)}." in wrong.stderr


# --- the table ------------------------------------------------------------------------------------

def _test_exists(node: str) -> bool:
    path, _, name = node.partition("::")
    file = ROOT / path
    return file.is_file() and re.search(rf"^def {re.escape(name)}\(", file.read_text(
        encoding="utf-8"), re.MULTILINE) is not None


def test_every_guide_command_is_run_by_a_test():
    commands = guide_commands()
    assert len(commands) >= 20, commands
    untested = [c for c in commands if c not in ELSEWHERE and c not in RUN_HERE]
    assert untested == [], "add a test for each, or list it in ELSEWHERE with its test"
    stale = sorted(set(ELSEWHERE) - set(commands))
    assert stale == [], "these commands left the guides: drop them from ELSEWHERE"
    # RUN_HERE may run a command the guides print only in the JupyterHub section.
    missing = [node for node in ELSEWHERE.values() if not _test_exists(node)]
    assert missing == []


def test_hub_sections_are_skipped_only_by_name():
    """Only the JupyterHub/Kubernetes sections are left to the hub tests; the others are read."""
    text = (ROOT / "lessons" / "README.md").read_text(encoding="utf-8")
    titles = [t for t, _ in _sections(text) if t]
    skipped = [t for t in titles if OTHER_OWNER.search(t)]
    assert skipped and len(skipped) < len(titles)
    assert "The grading cycle, from the command line" in titles
