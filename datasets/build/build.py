"""Build policykit's cases (Frictionless data packages) from their raw, sourced material.

Usage (from the repository root)::

    python datasets/build/build.py                  # rebuild every datasets/*/steps.py case
    python datasets/build/build.py --case cpc_letter_2022
    python datasets/build/build.py --check          # exit 1 if a committed file would change

The build is deterministic: the same sources give the same bytes. The generic machinery is in
``buildkit.py``; each case's steps are in ``datasets/<case>/steps.py`` and its curated facts in
``datasets/<case>/curation/`` (see README.md in this folder).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from buildkit import BuildError, build_case, case_dirs  # noqa: E402

ROOT = HERE.parent.parent
DATASETS = ROOT / "datasets"
DEFAULT_SOURCES = ROOT.parent / "shared" / "sources"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--case", action="append", metavar="ID",
                   help="build only this case (repeatable; default: every case)")
    p.add_argument("--sources", type=Path, default=DEFAULT_SOURCES,
                   help="folder of raw sources (default: ../shared/sources)")
    p.add_argument("--datasets", type=Path, default=DATASETS,
                   help="folder of case folders (default: datasets/)")
    p.add_argument("--check", action="store_true",
                   help="do not write; exit 1 listing the files that would change")
    args = p.parse_args(argv)
    found = {d.name: d for d in case_dirs(args.datasets)}
    wanted = args.case or sorted(found)
    unknown = [c for c in wanted if c not in found]
    if unknown:
        raise BuildError(f"no case {unknown[0]!r} (a folder datasets/<id>/ with a steps.py); "
                         f"cases: {', '.join(sorted(found)) or 'none'}")
    status = 0
    for case_id in wanted:
        out = found[case_id]
        log: list[str] = []
        files = build_case(out, args.sources, log=log)
        for line in log:
            print(f"{case_id}: {line}", file=sys.stderr)
        changed = [n for n, data in files.items()
                   if not (out / n).exists() or (out / n).read_bytes() != data]
        if args.check:
            for n in changed:
                print(f"would change: {out.relative_to(args.datasets.parent)}/{n}")
            status = status or (1 if changed else 0)
            continue
        for n, data in files.items():
            (out / n).write_bytes(data)
        print(f"{case_id}: wrote {len(files)} files to {out} ({len(changed)} changed)")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
