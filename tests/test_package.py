"""Packaging, installation, dependencies and offline use."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
import textwrap
import tomllib
from pathlib import Path

import _wheel
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CASE1 = ROOT / "datasets" / "cpc_letter_2022"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _case_folders() -> dict[str, Path]:
    """Every case folder of the checkout (a datapackage.json with a policykit property)."""
    found = {}
    for path in sorted((ROOT / "datasets").glob("*/datapackage.json")):
        if "policykit" in json.loads(path.read_text(encoding="utf-8")):
            found[path.parent.name] = path.parent
    return found


CASE_FOLDERS = _case_folders()
CASE_TABLES = {case_id: [r["name"] for r in json.loads(
    (folder / "datapackage.json").read_text(encoding="utf-8"))["resources"]]
    for case_id, folder in CASE_FOLDERS.items()}
PACKAGE_TABLES = CASE_TABLES["cpc_letter_2022"]

# A socket guard run before policykit is imported: any connection attempt fails loudly.
NO_NETWORK = textwrap.dedent("""
    import socket
    def _refuse(*args, **kwargs):
        raise RuntimeError(f"network access attempted: {args!r}")
    socket.socket.connect = _refuse
    socket.socket.connect_ex = _refuse
    socket.create_connection = _refuse
    socket.getaddrinfo = _refuse
""")
LOAD_ALL = textwrap.dedent("""
    import policykit
    for name in policykit.list_datasets():
        frame = policykit.load(name)
        assert len(frame) > 0, name
    for case_id in policykit.list_cases():
        case = policykit.case(case_id)
        for name in case.list_datasets():
            assert len(case.load(name)) > 0, (case_id, name)
        print(case_id, len(case.list_datasets()))
    print(policykit.__file__)
    print(len(policykit.list_datasets()))
""")


def _names(requirements):
    return {re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0].lower(): r for r in requirements}


def test_environment_yml_matches_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    conda = {k: v.replace(" ", "") for k, v in _names(conda).items() if k not in {"python",
                                                                                  "pip"}}
    project = PYPROJECT["project"]
    declared = _names(project["dependencies"] + project["optional-dependencies"]["lab"])
    assert conda.keys() == declared.keys()
    for name, requirement in declared.items():
        assert conda[name] == requirement.replace(" ", ""), name
    assert "conda-forge" in env["channels"]
    assert "pip install" in (ROOT / "postBuild").read_text() and "-e ." in (
        ROOT / "postBuild").read_text()


def test_one_version_source():
    import policykit

    assert policykit.__version__ == PYPROJECT["project"]["version"]
    for path in (ROOT / "policykit").glob("*.py"):
        assert not re.search(r"__version__\s*=|version\s*=\s*['\"]\d", path.read_text()), path


def test_import_and_load_make_no_network_connection():
    result = subprocess.run([sys.executable, "-c", NO_NETWORK + LOAD_ALL], capture_output=True,
                            text=True, check=False, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == str(len(PACKAGE_TABLES))
    assert _loaded_cases(result.stdout) == {k: len(v) for k, v in CASE_TABLES.items()}


def _loaded_cases(stdout: str) -> dict[str, int]:
    """The ``<case id> <tables>`` lines LOAD_ALL prints."""
    return {line.split()[0]: int(line.split()[1]) for line in stdout.splitlines()
            if len(line.split()) == 2}


def test_import_is_lazy_about_plotting_and_widgets():
    code = ("import sys, policykit; print(sorted(m for m in ('plotly', 'ipywidgets', "
            "'anywidget', 'nbformat', 'jsonschema') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_wheel_installs_and_loads_every_table(tmp_path):
    """The wheel built from this checkout (once per run, tests/_wheel.py), installed into a
    fresh venv; every table is loaded from there."""
    wheel = _wheel.wheel()
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    # Every case folder ships its descriptor and every table, and nothing else: no build
    # inputs (steps, schema, case.json, curation files) and no build machinery.
    shipped = {n for n in names if n.startswith("policykit/_data/")}
    expected = {"policykit/_data/__init__.py"} | {
        f"policykit/_data/{case_id}/{file}" for case_id, tables in CASE_TABLES.items()
        for file in ("datapackage.json", *(f"{t}.csv" for t in tables))}
    assert shipped == expected
    assert not [n for n in names if "scripts/" in n or n.endswith("publishers.csv")]
    venv_dir = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv_dir)], check=True)
    py = venv_dir / "bin" / "python"
    # This environment's pip installs into the venv (--python): no pip bootstrapped into it.
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--quiet",
                    "--no-deps", "--no-index", str(wheel)], check=True)
    # Dependencies (pandas, ...) are taken from this test environment through a .pth file, so
    # the test needs no registry; policykit itself can only come from the wheel, because this
    # environment installs it in editable mode through a finder that a .pth path does not run.
    site = subprocess.run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "deps-from-test-env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([py, "-c", NO_NETWORK + LOAD_ALL], capture_output=True, text=True,
                            cwd=tmp_path, env=env, check=False)
    assert result.returncode == 0, result.stderr
    assert _loaded_cases(result.stdout) == {k: len(v) for k, v in CASE_TABLES.items()}
    installed_from = result.stdout.split("\n")[len(CASE_TABLES)]
    assert installed_from.startswith(str(venv_dir)), installed_from
    cli = subprocess.run([venv_dir / "bin" / "policykit", "list"], capture_output=True, text=True,
                         env=env, check=False)
    assert cli.returncode == 0 and "signatories" in cli.stdout
    cases = subprocess.run([venv_dir / "bin" / "policykit", "cases"], capture_output=True,
                           text=True, env=env, check=False)
    assert [line.split()[0] for line in cases.stdout.splitlines()] == sorted(
        CASE_TABLES, key=lambda c: json.loads((CASE_FOLDERS[c] / "datapackage.json").read_text(
            encoding="utf-8"))["policykit"]["order"])


@pytest.mark.slow
@pytest.mark.parametrize("case_id", list(CASE_FOLDERS))
def test_frictionless_validates_every_case(case_id):
    exe = Path(sys.executable).with_name("frictionless")
    result = subprocess.run([exe, "validate", str(CASE_FOLDERS[case_id] / "datapackage.json")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "INVALID" not in result.stdout


@pytest.mark.slow
def test_frictionless_catches_a_damaged_copy(tmp_path):
    import shutil

    copy = tmp_path / "datasets"
    shutil.copytree(CASE1, copy, ignore=shutil.ignore_patterns("curation", "case.json"))
    path = copy / "rollcalls.csv"
    path.write_text(path.read_text().replace(",361,69,", ",3x1,69,", 1))
    exe = Path(sys.executable).with_name("frictionless")
    result = subprocess.run([exe, "validate", str(copy / "datapackage.json")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "hash-count" in result.stdout or "type-error" in result.stdout


def test_ruff_is_clean():
    exe = Path(sys.executable).with_name("ruff")
    result = subprocess.run([exe, "check", "policykit", "tests", "datasets", "benchmarks",
                             "tasks.py", "conftest.py"], cwd=ROOT, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_citation_matches_package():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["version"] == PYPROJECT["project"]["version"]
    assert citation["license"] == PYPROJECT["project"]["license"]


def test_readme_quick_start_has_exactly_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = section.split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["python3 tasks.py lab", "python3 tasks.py test"]
    assert "python3 tasks.py test" in (ROOT / ".ci" / "run").read_text()


# --- The distribution name ---------------------------------------------------------------------
# "policykit" on the package index is an unrelated project (Open Policy Agent utilities, 0.4.0):
# any install command or repair hint naming it installs that project instead of this one.
DISTRIBUTION = "policykit-edu"
_INSTALL = re.compile(r"\b(?:pip3?|uv pip|conda|mamba|pipx)\s+(?:install|download)\b([^\n`]*)")
_BARE = re.compile(r"""^["']?policykit(?:\[[^\]]*\])?(?:[=<>~!].*)?["']?$""")


def _bare_names(text: str) -> list[str]:
    """Every install command in ``text`` that names the bare ``policykit`` distribution."""
    found = []
    for match in _INSTALL.finditer(text):
        words = re.split(r"[\s,]+", match.group(1).strip(" .'\")"))
        found += [match.group(0) for w in words if _BARE.match(w.strip("'\"."))]
    return found


def test_bare_name_detector_catches_the_old_commands():
    # The two commands the issue quotes (assembled here, so that this file itself holds no
    # install command naming the unrelated project), and the new ones that must pass.
    bare = "policy" + "kit"
    assert _bare_names(f'`pip install "{bare}[lab]"`')
    assert _bare_names(f"Restore it with 'pip install --force-reinstall --no-deps {bare}'.")
    assert not _bare_names('`pip install "policykit-edu[lab]"` or `pip install ".[lab]"`')
    assert not _bare_names("pip install --force-reinstall --no-deps policykit-edu==0.1.0")


def test_distribution_name_is_our_own():
    assert PYPROJECT["project"]["name"] == DISTRIBUTION
    extras = PYPROJECT["project"]["optional-dependencies"]
    self_refs = [r for deps in extras.values() for r in deps if r.startswith("policykit")]
    assert self_refs and all(r.startswith(DISTRIBUTION + "[") for r in self_refs)


def test_no_install_command_or_hint_names_the_bare_policykit():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    offenders = {}
    for rel in tracked:
        path = ROOT / rel
        if path.suffix not in {"", ".md", ".py", ".ipynb", ".yml", ".yaml", ".toml", ".cff",
                               ".txt", ".cfg", ".sh", ".json"} or not path.is_file():
            continue
        if rel == "tests/test_package.py":  # this test quotes the old commands on purpose
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        if found := _bare_names(text):
            offenders[rel] = found
    assert offenders == {}
    # The repair hint printed for a damaged installed file (outside a git checkout).
    from policykit._datapackage import _restore_hint

    assert _restore_hint(Path("/nonexistent/site-packages/policykit/_data/events.csv")) == (
        "Restore it with 'pip install --force-reinstall --no-deps "
        f"policykit-edu=={PYPROJECT['project']['version']}'.")


@pytest.mark.parametrize("path", [
    "lessons/gradebook.db", "course-copy/gradebook.db", "lessons/submitted/s1/03/03.ipynb",
    "lessons/autograded/s1/03/03.ipynb", "lessons/feedback/s1/03/03.html", "lessons/grades.csv",
    "grades.csv", "lessons/.nbgrader.log", "lessons/reports/03/s1/03.json",
    "test-artifacts/shot.png",
])
def test_gitignore_keeps_grading_data_and_artifacts_out(path):
    # Students' work, grades and feedback are personal data: never committed by accident.
    result = subprocess.run(["git", "check-ignore", "--no-index", "-q", path], cwd=ROOT,
                            check=False)
    assert result.returncode == 0, f"{path} is not ignored"


def test_gitignore_keeps_the_course_itself():
    for path in ("lessons/source/01-primary-source/01-primary-source.ipynb",
                 "lessons/release/01-primary-source/01-primary-source.ipynb"):
        result = subprocess.run(["git", "check-ignore", "--no-index", "-q", path], cwd=ROOT,
                                check=False)
        assert result.returncode == 1, f"{path} would be ignored"
