"""The ``policykit`` command line: list, describe, cite and export the curated datasets.

Examples
--------
Run ``policykit list``, ``policykit describe signatories``, ``policykit cite rollcalls`` or
``policykit export house_votes --format json --output votes.json``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import datasets
from .errors import PolicykitError

__all__ = ["main"]


def _list(args: argparse.Namespace) -> int:
    names = datasets.list_datasets()
    width = max(map(len, names))
    for name in names:
        print(f"{name:<{width}}  {datasets.describe(name).title}")
    return 0


def _describe(args: argparse.Namespace) -> int:
    print(datasets.describe(args.name))
    return 0


def _cite(args: argparse.Namespace) -> int:
    print(datasets.cite(args.name))
    return 0


def _export(args: argparse.Namespace) -> int:
    frame = datasets.load(args.name)
    out: Path | None = args.output
    if out is not None and out.exists() and not args.force:
        print(f"policykit: error: {str(out)!r} already exists; nothing was written. Pass "
              "--force to overwrite it, or choose another --output.", file=sys.stderr)
        return 2
    if args.format == "csv":
        text = frame.to_csv(index=False, date_format="%Y-%m-%d")
    else:
        text = frame.to_json(orient="records", date_format="iso", indent=1, force_ascii=False)
        text += "\n"
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        print(f"wrote {len(frame)} rows of {args.name!r} to {out}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser (exposed for tests and documentation)."""
    parser = argparse.ArgumentParser(
        prog="policykit",
        description="Curated data on the October 2022 Progressive Caucus letter on Ukraine.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser("list", help="list the datasets")
    p.set_defaults(func=_list)
    p = sub.add_parser("describe", help="describe one dataset: rows, columns, caveats")
    p.add_argument("name", help="dataset name (see 'policykit list')")
    p.set_defaults(func=_describe)
    p = sub.add_parser("cite", help="how to cite policykit or one dataset")
    p.add_argument("name", nargs="?", default=None, help="dataset name (optional)")
    p.set_defaults(func=_cite)
    p = sub.add_parser("export", help="write one dataset as CSV or JSON")
    p.add_argument("name", help="dataset name (see 'policykit list')")
    p.add_argument("--format", choices=["csv", "json"], default="csv",
                   help="output format (default: csv)")
    p.add_argument("--output", "-o", type=Path, default=None,
                   help="file to write (default: standard output)")
    p.add_argument("--force", action="store_true", help="overwrite an existing --output file")
    p.set_defaults(func=_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 2 bad input)."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except PolicykitError as exc:
        print(f"policykit: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
