"""Regenerate every student version in release/ from the instructor sources in source/.

Run from anywhere:

    python lessons/generate_release.py            # all lessons
    python lessons/generate_release.py 03-words-and-votes

It does what ``nbgrader generate_assignment <lesson> --force`` does for each lesson folder under
``source/``, in sorted order, with this folder as the course root, through nbgrader's own API in
one process (one nbgrader start-up instead of one per lesson). nbgrader replaces solutions with
placeholders, strips hidden tests, and records checksums; given the same sources the output is the
same, so ``git diff lessons/release`` after a run shows only real changes.
tests/test_lessons_nbgrader.py checks that the committed release equals a fresh generation.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def lessons(root: Path = HERE) -> list[str]:
    """The lesson names: every folder of ``source/`` holding a notebook of the same name."""
    return sorted(p.name for p in (root / "source").iterdir()
                  if p.is_dir() and (p / f"{p.name}.ipynb").is_file())


def generate(names: list[str], root: Path = HERE) -> None:
    """``nbgrader generate_assignment NAME --force`` for each name (nbgrader's API, with the
    course's ``nbgrader_config.py``), stopping at the first failure with nbgrader's log."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config.loader import PyFileConfigLoader

    # nbgrader upgrades its gradebook with the ``alembic`` command: make this Python's
    # scripts folder (a virtual environment's bin/) visible even when it is not activated.
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent),
                                          os.environ.get("PATH", "")])
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    api = NbGraderAPI(config=config)
    for name in names:
        print(f"$ nbgrader generate_assignment {name} --force", flush=True)
        result = api.generate_assignment(name, force=True)
        if not result["success"]:
            print(result.get("log", ""), result.get("error", ""), sep="\n", file=sys.stderr)
            raise SystemExit(f"nbgrader generate_assignment {name} failed (log above).")


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
