"""Time every lesson's instructor source executed headless, against the 60 s course target.

    python benchmarks/bench_lessons.py [--repeat N] [--lesson NAME ...]

Each notebook runs in a fresh kernel through nbclient, as CI and nbgrader's autograder run it.
As a same-run baseline the script also times an empty notebook (kernel start-up and shutdown
only), and prints each lesson's overhead over it. Times are the median of ``--repeat`` runs.
``--lesson`` (repeatable) times only the lessons named; the 60 s target is for the whole course,
so a partial run prints no ratio to it.

The repository-root ``conftest.py`` is imported for its fix of an intermittent kernel-channel
stall (jupyter/nbclient#312), so these figures match what the test suite sees.
"""

from __future__ import annotations

import argparse
import difflib
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 60.0


def _apply_stall_fix() -> None:
    spec = importlib.util.spec_from_file_location("_policykit_conftest", ROOT / "conftest.py")
    if spec and spec.loader:
        spec.loader.exec_module(importlib.util.module_from_spec(spec))


def run_once(nb: nbformat.NotebookNode, workdir: Path) -> float:
    nb = nbformat.from_dict(nb)  # a fresh copy: outputs never carry over between runs
    client = NotebookClient(nb, kernel_name="python3", timeout=60, store_widget_state=False,
                            resources={"metadata": {"path": str(workdir)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def median_time(nb: nbformat.NotebookNode, workdir: Path, repeat: int) -> float:
    return statistics.median(run_once(nb, workdir) for _ in range(repeat))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per notebook (median)")
    parser.add_argument("--lesson", action="append", default=[], metavar="NAME",
                        help="time only this lesson (repeatable; default: every lesson)")
    args = parser.parse_args(argv)
    _apply_stall_fix()
    # Keep the kernels' IPython and Jupyter state out of $HOME, as the tests do.
    scratch = tempfile.mkdtemp(prefix="policykit-bench-")
    for var in ("IPYTHONDIR", "JUPYTER_RUNTIME_DIR", "JUPYTER_CONFIG_DIR"):
        os.environ.setdefault(var, os.path.join(scratch, var.lower()))

    sources = sorted((ROOT / "lessons" / "source").glob("*/*.ipynb"))
    if not sources:
        print("no lessons found under lessons/source", file=sys.stderr)
        return 1
    names = [p.parent.name for p in sources]
    unknown = [name for name in args.lesson if name not in names]
    if unknown:
        close = difflib.get_close_matches(unknown[0], names, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        print(f"Unknown lesson {unknown[0]!r}.{hint} Lessons: {', '.join(names)}. "
              "Pass --lesson NAME with one of these, or no --lesson for all.", file=sys.stderr)
        return 2
    if args.lesson:
        sources = [p for p in sources if p.parent.name in args.lesson]
    workdir = ROOT / "lessons"
    empty = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
    empty.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}
    baseline = median_time(empty, workdir, max(args.repeat, 3))

    print(f"{'lesson':<24}{'seconds':>9}{'over empty':>12}")
    print(f"{'(empty notebook)':<24}{baseline:>9.2f}{'':>12}")
    total = 0.0
    for path in sources:
        seconds = median_time(nbformat.read(path, as_version=4), workdir, args.repeat)
        total += seconds
        print(f"{path.parent.name:<24}{seconds:>9.2f}{seconds - baseline:>+12.2f}")
    print(f"{'total':<24}{total:>9.2f}{total - baseline * len(sources):>+12.2f}")
    if len(sources) < len(names):
        print(f"{len(sources)} of {len(names)} lessons timed: the {TARGET_S:.0f} s target is "
              "for the whole course (run without --lesson).")
        return 0
    print(f"ratio to the {TARGET_S:.0f} s target: {total / TARGET_S:.2f} "
          f"({'within' if total <= TARGET_S else 'OVER'} target)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
