"""Typed, verified loading of every table against plain ``pandas.read_csv`` of the same files.

Target (issue 7, item 2; per case since issue 11): loading every table of a case typed <= 1.5 x
plain ``pandas.read_csv``, with frames that share no memory with the cache. Printed per case,
for all its tables together and per table. policykit's in-process cache is cleared before every
sample, so each sample pays for reading, checksum verification and type conversion, as a first
load in a fresh kernel does.

    python benchmarks/bench_load.py [--runs 30] [--case ID ...]   # default: every shipped case
"""

from __future__ import annotations

import argparse
import statistics
import time

import pandas as pd

import policykit
from policykit import _datapackage


def plain(paths) -> None:
    for path in paths:
        pd.read_csv(path)


def typed(case_and_names) -> None:
    case, names = case_and_names
    _datapackage._CACHE.clear()
    _datapackage._SEEN.clear()
    for name in names:
        case.load(name)


def cached(case_and_names) -> None:
    case, names = case_and_names
    for name in names:
        case.load(name)


def timeit(fn, arg, runs: int) -> float:
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn(arg)
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


def bench_case(case_id: str, runs: int) -> float:
    """Print one case's figures; return its typed/plain ratio."""
    case = policykit.case(case_id)
    names = case.list_datasets()
    paths = [case.data_dir / _datapackage.resource(n, case.data_dir)["path"] for n in names]
    plain(paths), typed((case, names))  # warm up
    results = {"plain": [], "typed": []}
    for _ in range(runs):  # alternate so that noise hits both
        results["plain"].append(timeit(plain, paths, 1))
        results["typed"].append(timeit(typed, (case, names), 1))
    base = statistics.median(results["plain"])
    pk = statistics.median(results["typed"])
    warm = timeit(cached, (case, names), runs)
    print(f"case {case_id}: tables: {len(names)}, runs: {runs}")
    print(f"  pandas.read_csv, all files     median {base * 1000:7.1f} ms")
    print(f"  policykit load, typed+verified median {pk * 1000:7.1f} ms")
    print(f"  ratio typed/plain: {pk / base:.3f} (target <= 1.5)")
    print(f"  policykit load, cached (hash still checked) median {warm * 1000:7.1f} ms "
          f"(ratio {warm / base:.3f})")
    # Per table, the fastest of the runs: a table takes about a millisecond, so on a busy
    # machine the median mostly measures the other processes.
    print("  per table (first load, typed+verified / read_csv, fastest of the runs):")
    for name, path in zip(names, paths, strict=True):
        one = {"plain": [], "typed": []}
        for _ in range(runs):
            one["plain"].append(timeit(plain, [path], 1))
            one["typed"].append(timeit(typed, (case, [name]), 1))
        ratio = min(one["typed"]) / min(one["plain"])
        print(f"    {name:<22} {ratio:.3f}  ({min(one['plain']) * 1000:.2f} ms plain)")
    return pk / base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--case", action="append", default=None, metavar="ID",
                        help="a case id (repeatable; default: every shipped case)")
    args = parser.parse_args()
    ratios = {case_id: bench_case(case_id, args.runs)
              for case_id in (args.case or policykit.list_cases())}
    print("ratio typed/plain per case (target <= 1.5): "
          + ", ".join(f"{k} {v:.3f}" for k, v in ratios.items()))


if __name__ == "__main__":
    main()
