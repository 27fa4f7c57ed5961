"""``policykit grade``: the command-line face of :func:`policykit.grading.grade`."""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path
from typing import Any

__all__ = ["add_command"]


def _grade(args: argparse.Namespace) -> int:
    from . import grade

    with warnings.catch_warnings():
        # nbgrader 0.9 on sqlalchemy 2 warns on every submission; not the instructor's concern.
        warnings.simplefilter("ignore")
        report = grade(args.assignment, course=args.course, students=args.student or None,
                       sandbox=not args.no_sandbox, timeout=args.timeout, jobs=args.jobs)
    sys.stdout.write(str(report) + "\n")
    return 0 if report.ok else 1


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        msg = f"{text!r} is not a whole number of seconds above 0"
        raise argparse.ArgumentTypeError(msg)
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        msg = f"{text!r} is not a whole number above 0"
        raise argparse.ArgumentTypeError(msg)
    return value


def add_command(sub: Any) -> None:
    """Add ``grade`` to the ``policykit`` command line's subcommands."""
    p = sub.add_parser(
        "grade", help="autograde an nbgrader assignment, each submission sandboxed",
        description="Autograde every submission of ASSIGNMENT into nbgrader's gradebook, each "
                    "one in a bubblewrap sandbox, with tests judged on plain answer values. "
                    "Run it from the course folder (the one with nbgrader_config.py).")
    p.add_argument("assignment", help="assignment name (a folder under source/)")
    p.add_argument("--course", type=Path, default=None,
                   help="course folder (default: the current folder)")
    p.add_argument("--student", action="append", metavar="NAME",
                   help="grade only this student (repeat for several)")
    p.add_argument("--timeout", type=_positive, default=None,
                   help="seconds a cell may run (default: the course's setting, or 60)")
    p.add_argument("--jobs", "-j", type=_count, default=1, metavar="N",
                   help="grade N submissions at a time (about one per CPU core; default 1)")
    p.add_argument("--no-sandbox", action="store_true",
                   help="do not isolate submissions (only for work you trust)")
    p.set_defaults(func=_grade)
