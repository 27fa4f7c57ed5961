"""Grading a class: ``policykit grade`` (sandboxed, judged on values) vs ``nbgrader autograde``.

Targets: grading 20 submissions of one lesson with ``policykit grade`` takes at most 1.3 x plain
``nbgrader autograde`` of the same submissions, measured in the same run (issue 7); at class
scale, ``--n 100 --jobs 1 2`` reports seconds per submission with 1 and 2 parallel jobs against
plain ``nbgrader autograde`` (issue 10).

A temporary copy of the course gets N submissions of the lesson (alternately the instructor's
solution and the untouched student version), then both graders run over all of them, each as
the command an instructor types, in alternating order over ``--rounds`` rounds. Prints seconds
per submission for each and the ratio of medians.

    python benchmarks/bench_grade.py [--lesson 03-words-and-votes] [--n 20] [--rounds 1]
                                     [--jobs 1 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def make_course(lesson: str, n: int) -> Path:
    root = Path(tempfile.mkdtemp(prefix="policykit-bench-grade-"))
    shutil.copy(ROOT / "lessons" / "nbgrader_config.py", root)
    shutil.copytree(ROOT / "lessons" / "source" / lesson, root / "source" / lesson)
    run(["nbgrader", "generate_assignment", lesson, "--force"], root)
    for i in range(n):
        kind = "source" if i % 2 == 0 else "release"
        folder = root / "submitted" / f"student{i:03d}" / lesson
        folder.mkdir(parents=True)
        shutil.copy(root / kind / lesson / f"{lesson}.ipynb", folder)
    return root


def run(cmd: list[str], cwd: Path) -> float:
    env = dict(os.environ, PATH=os.pathsep.join([str(BIN), os.environ.get("PATH", "")]))
    start = time.perf_counter()
    subprocess.run([str(BIN / cmd[0]), *cmd[1:]], cwd=cwd, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", default="03-words-and-votes")
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1])
    args = parser.parse_args()
    root = make_course(args.lesson, args.n)
    commands = {"nbgrader autograde": ["nbgrader", "autograde", args.lesson, "--force"]}
    for jobs in args.jobs:
        commands[f"policykit grade -j {jobs}"] = ["policykit", "grade", args.lesson,
                                                  "--jobs", str(jobs)]
    samples: dict[str, list[float]] = {name: [] for name in commands}
    try:
        for r in range(args.rounds):
            order = list(commands) if r % 2 == 0 else list(commands)[::-1]
            for name in order:
                samples[name].append(run(commands[name], root) / args.n)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    base = statistics.median(samples["nbgrader autograde"])
    print(f"lesson {args.lesson}, {args.n} submissions, {args.rounds} round(s), "
          f"{os.cpu_count()} CPU cores")
    for name, values in samples.items():
        median = statistics.median(values)
        ratio = "" if name.startswith("nbgrader") else f"   ratio to nbgrader {median / base:.2f}"
        print(f"{name:22s}: {median:6.2f} s per submission{ratio}")
    print("target: policykit grade -j 1 <= 1.30 x nbgrader autograde")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
