"""Cold-import cost of policykit against pandas, measured in the same run.

Target (issue 2; per case since issue 11): ``import policykit`` cold <= 1.10 x ``import
pandas`` cold, and so is ``import policykit`` followed by opening a case
(``policykit.case(ID).list_datasets()``: finding the cases and reading that case's descriptor).
Each sample is a fresh interpreter; the imports alternate so that machine noise hits all.

    python benchmarks/bench_import.py [--runs 21] [--case ID ...]  # default: every shipped case
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import subprocess
import sys
from pathlib import Path

SNIPPET = ("import time; t = time.perf_counter(); {code}; "
           "print(time.perf_counter() - t)")


def sample(code: str) -> float:
    out = subprocess.run([sys.executable, "-c", SNIPPET.format(code=code)],
                         capture_output=True, text=True, check=True)
    return float(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--case", action="append", default=None, metavar="ID",
                        help="a case id (repeatable; default: every shipped case)")
    args = parser.parse_args()
    # pip compiles an installed package's bytecode; do the same for policykit (an editable
    # checkout, or PYTHONDONTWRITEBYTECODE, would otherwise recompile it in every sample
    # while pandas loads its .pyc files).
    import policykit

    compileall.compile_dir(Path(policykit.__file__).parent, quiet=1)
    cases = args.case or policykit.list_cases()
    codes = {"pandas": "import pandas", "policykit": "import policykit"}
    for case_id in cases:
        codes[f"policykit + case {case_id}"] = (
            f"import policykit; policykit.case({case_id!r}).list_datasets()")
    for code in codes.values():  # warm the OS file cache for all
        sample(code)
    times: dict[str, list[float]] = {label: [] for label in codes}
    for _ in range(args.runs):
        for label, code in codes.items():
            times[label].append(sample(code))
    base = statistics.median(times["pandas"])
    print(f"runs: {args.runs} fresh interpreters each")
    print(f"{'import pandas':<44} median {base * 1000:7.1f} ms")
    for label in list(codes)[1:]:
        pk = statistics.median(times[label])
        print(f"{'import ' + label:<44} median {pk * 1000:7.1f} ms  "
              f"ratio {pk / base:.3f} (target <= 1.10)")


if __name__ == "__main__":
    main()
