#!/usr/bin/env python3
"""Set up policykit and run it: the two commands of the README's quick start.

    python3 tasks.py lab     # set everything up, then open the lessons in JupyterLab
    python3 tasks.py test    # set everything up, then run every test

Needs only Python >= 3.11. Everything is installed into ``.venv/`` inside the checkout (created
on first use, refreshed when pyproject.toml changes); nothing is installed globally. Extra
arguments after ``test`` go to pytest (e.g. ``python3 tasks.py test -k loaders``).
"""

from __future__ import annotations

import difflib
import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".policykit-installed"


def run(*cmd: object, **kw) -> None:
    print("+", " ".join(map(str, cmd)), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, **kw)


def setup(extra: str) -> None:
    """Create .venv and install policykit (editable) with the given extra, if not done yet."""
    if sys.version_info < (3, 11):  # noqa: UP036 - tasks.py may be run by an older Python
        sys.exit(f"policykit needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest() + ":" + extra
    have = STAMP.read_text().split() if STAMP.exists() else []
    if want in have:
        return
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PYTHON, "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[{extra}]")
    STAMP.write_text("\n".join([*have, want]) + "\n")


def lab(args: list[str]) -> int:
    setup("lab")
    # The whole course folder is browsable; students start in the student versions.
    cmd = [BIN / "jupyter", "lab", f"--ServerApp.root_dir={ROOT / 'lessons'}",
           "--LabApp.default_url=/lab/tree/release", *args]
    print("+", " ".join(map(str, cmd)), flush=True)
    return subprocess.call([str(c) for c in cmd])


def test(args: list[str]) -> int:
    setup("test")
    return subprocess.call([str(PYTHON), "-m", "pytest", *args], cwd=ROOT)


def main(argv: list[str]) -> int:
    commands = {"lab": lab, "test": test}
    if not argv or argv[0] not in commands:
        print(__doc__)
        given = repr(argv[0]) if argv else "nothing"
        close = difflib.get_close_matches(argv[0], commands, n=1) if argv else []
        hint = f" Did you mean {close[0]!r}?" if close else ""
        print(f"Unknown command {given}: use 'lab' or 'test'.{hint}", file=sys.stderr)
        return 2
    return commands[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
