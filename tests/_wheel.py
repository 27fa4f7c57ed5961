"""The wheel of this checkout, built once per test run for every test that installs it.

tests/test_package.py (the wheel's contents, loading every table from it) and
tests/test_guide_commands.py (the guide's ``pip install "policykit-edu[lab]"``) both install
the wheel built from this checkout; :func:`wheel` builds it once per run (tests/_shared.py), from
a copy of the checkout's files (tracked, and untracked ones git does not ignore), so the build
writes nothing into the working tree. Callers must not change the returned folder.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import _shared

ROOT = Path(__file__).resolve().parents[1]


def copy_checkout(target: Path, *, untracked: bool = False) -> Path:
    """Copy the checkout's files to ``target``: the tracked ones, and with ``untracked`` also
    the untracked files git does not ignore (a new module not yet added)."""
    listing = ["git", "ls-files", "--cached", *(["--others", "--exclude-standard"]
                                                if untracked else [])]
    files = subprocess.run(listing, cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.splitlines()
    for rel in files:
        if (ROOT / rel).is_file():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, target / rel)
    return target


def _build(folder: Path) -> None:
    source = copy_checkout(folder / "checkout", untracked=True)
    # pyproject.toml's build backend (setuptools >= 77) comes from the package index, in
    # build's isolated environment.
    result = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir",
                             str(folder / "dist"), str(source)], capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        raise RuntimeError(f"building the wheel failed:\n{result.stdout[-3000:]}\n"
                           f"{result.stderr[-3000:]}")
    shutil.rmtree(source)


def wheel() -> Path:
    """The wheel (``policykit_edu-<version>-py3-none-any.whl``) built from this checkout."""
    [built] = (_shared.built("policykit-wheel", _build) / "dist").glob("policykit_edu-*.whl")
    return built
