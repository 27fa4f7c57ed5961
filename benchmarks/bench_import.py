"""Cold-import cost of policykit against pandas, measured in the same run.

Target (issue 2): ``import policykit`` cold <= 1.10 x ``import pandas`` cold.
Each sample is a fresh interpreter; the two imports alternate so that machine noise hits both.

    python benchmarks/bench_import.py [--runs 21]
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import subprocess
import sys
from pathlib import Path

SNIPPET = ("import time; t = time.perf_counter(); import {mod}; "
           "print(time.perf_counter() - t)")


def sample(module: str) -> float:
    out = subprocess.run([sys.executable, "-c", SNIPPET.format(mod=module)],
                         capture_output=True, text=True, check=True)
    return float(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    # pip compiles an installed package's bytecode; do the same for policykit (an editable
    # checkout, or PYTHONDONTWRITEBYTECODE, would otherwise recompile it in every sample
    # while pandas loads its .pyc files).
    import policykit

    compileall.compile_dir(Path(policykit.__file__).parent, quiet=1)
    sample("policykit")  # warm the OS file cache for both
    sample("pandas")
    times: dict[str, list[float]] = {"pandas": [], "policykit": []}
    for _ in range(args.runs):
        for module in times:
            times[module].append(sample(module))
    base = statistics.median(times["pandas"])
    pk = statistics.median(times["policykit"])
    print(f"runs: {args.runs} fresh interpreters each")
    print(f"import pandas     median {base * 1000:7.1f} ms")
    print(f"import policykit  median {pk * 1000:7.1f} ms")
    print(f"ratio policykit/pandas: {pk / base:.3f} (target <= 1.10)")


if __name__ == "__main__":
    main()
