"""Regenerate every student version in release/ from the instructor sources in source/.

Run from anywhere:

    python lessons/generate_release.py            # all lessons
    python lessons/generate_release.py 03-words-and-votes

It calls ``nbgrader generate_assignment <lesson> --force`` for each lesson folder under
``source/``, in sorted order, with this folder as the course root. nbgrader replaces solutions with
placeholders, strips hidden tests, and records checksums; given the same sources the output is the
same, so ``git diff lessons/release`` after a run shows only real changes.
tests/test_lessons_nbgrader.py checks that the committed release equals a fresh generation.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def lessons(root: Path = HERE) -> list[str]:
    """The lesson names: every folder of ``source/`` holding a notebook of the same name."""
    return sorted(p.name for p in (root / "source").iterdir()
                  if p.is_dir() and (p / f"{p.name}.ipynb").is_file())


def generate(names: list[str], root: Path = HERE) -> None:
    """Run ``nbgrader generate_assignment`` for each name, stopping at the first failure."""
    for name in names:
        cmd = [sys.executable, "-m", "nbgrader", "generate_assignment", name, "--force",
               f"--CourseDirectory.root={root}"]
        print("$", " ".join(cmd[1:]), flush=True)
        subprocess.run(cmd, cwd=root, check=True, env=_env())


def _env() -> dict[str, str]:
    # nbgrader upgrades its gradebook with the ``alembic`` command: make this Python's
    # scripts folder (a virtual environment's bin/) visible even when it is not activated.
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def main(argv: list[str]) -> int:
    names = argv or lessons()
    unknown = sorted(set(names) - set(lessons()))
    if unknown:
        print(f"Unknown lesson(s) {unknown}; choose from {lessons()}.", file=sys.stderr)
        return 2
    generate(names)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
