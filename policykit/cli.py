"""The ``policykit`` command line: list the cases; list, describe, cite and export their datasets.

Run as ``policykit ...`` or ``python -m policykit ...``.

Examples
--------
Run ``policykit cases``, ``policykit list``, ``policykit describe signatories``, ``policykit
cite rollcalls`` or ``policykit export house_votes --format json --output votes.json``. Each
data command reads the default case unless given ``--case ID`` (an id from ``policykit cases``,
or the path of a case folder).

Exit status: 0 on success, 1 when a file cannot be written (missing or read-only folder), 2 for
bad input (unknown dataset, an ``--output`` that exists or is a folder), 130 on Ctrl-C and 141
when the reader of the output stops early (``policykit list | head -1``; 128 + SIGPIPE, as other
Unix tools). No case prints a traceback.

Output: exported data is always UTF-8 (it is a CSV or JSON file, whatever the terminal's
encoding); text for people (``list``, ``describe``, ``cite``) falls back to ``\\xe1``-style
escapes on a terminal that cannot show a character, rather than failing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import _case, datasets
from .errors import PolicykitError
from .grading._cli import add_command as _add_grade

__all__ = ["COMMANDS", "build_parser", "main"]

SubParsers = "argparse._SubParsersAction[argparse.ArgumentParser]"


class CommandError(Exception):
    """A user-facing failure of a command: ``message`` goes to stderr, ``status`` is returned."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


# --- Output ------------------------------------------------------------------------------------

def _say(text: str) -> None:
    """Write text for people to stdout; characters the terminal cannot encode are escaped."""
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:
        encoding = getattr(sys.stdout, "encoding", None) or "ascii"
        sys.stdout.write(text.encode(encoding, "backslashreplace").decode(encoding))


def _write_data(text: str) -> None:
    """Write exported data to stdout as UTF-8, whatever the terminal's encoding."""
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    buffer = getattr(sys.stdout, "buffer", None)
    if encoding == "utf8" or buffer is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))


def _write_file(out: Path, text: str, *, force: bool) -> None:
    """Write ``text`` to ``out`` atomically; never replace an existing file unless ``force``.

    The data goes to a temporary file in the same folder first. Without ``force`` it is then
    hard-linked to ``out``, which fails if ``out`` exists, even if another process created it a
    moment ago (so two concurrent exports cannot both succeed); with ``force`` it is renamed
    over ``out``. Either way a reader never sees a half-written file.
    """
    folder = out.parent
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{out.name}.", suffix=".tmp")
    except OSError as exc:
        if isinstance(exc, FileNotFoundError) and not folder.is_dir():
            raise CommandError(
                f"cannot write {str(out)!r}: the folder {str(folder)!r} does not exist; nothing "
                f"was written. Create it first (mkdir -p {folder}), or choose another --output.",
                1) from None
        raise CommandError(_os_message(out, folder, exc), 1) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        if force:
            os.replace(tmp, out)
        else:
            _link_exclusive(tmp, out)
    except FileExistsError:
        raise CommandError(_exists_message(out), 2) from None
    except IsADirectoryError:
        raise CommandError(_folder_message(out), 2) from None
    except OSError as exc:
        raise CommandError(_os_message(out, folder, exc), 1) from None
    finally:
        tmp.unlink(missing_ok=True)


def _link_exclusive(tmp: Path, out: Path) -> None:
    """Make ``out`` name ``tmp``'s data, failing with FileExistsError if ``out`` exists."""
    try:
        os.link(tmp, out)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: exclusive create, then copy
        with open(out, "x", encoding="utf-8", newline="") as handle:
            handle.write(tmp.read_text(encoding="utf-8"))


def _exists_message(out: Path) -> str:
    return (f"{str(out)!r} already exists; nothing was written. Pass --force to overwrite it, "
            "or choose another --output.")


def _folder_message(out: Path) -> str:
    return (f"{str(out)!r} is a folder; nothing was written. --output needs a file name, e.g. "
            f"{str(out / 'data.csv')!r}.")


def _os_message(out: Path, folder: Path, exc: OSError) -> str:
    reason = ("permission denied" if isinstance(exc, PermissionError)
              else exc.strerror or type(exc).__name__)
    return (f"cannot write {str(out)!r} ({reason}); nothing was written. Check that the folder "
            f"{str(folder)!r} is writable, or choose another --output.")


# --- Commands ----------------------------------------------------------------------------------

def _source(args: argparse.Namespace) -> Any:
    """What a data command reads: the module-level API (default case) or the ``--case``."""
    return datasets if args.case is None else _case.case(args.case)


def _cases(args: argparse.Namespace) -> int:
    ids = _case.list_cases()
    width = max(map(len, ids))
    lines = []
    for i, case_id in enumerate(ids):
        mark = "  (default)" if i == 0 else ""
        lines.append(f"{case_id:<{width}}  {_case.case(case_id).short_title}{mark}\n")
    _say("".join(lines))
    return 0


def _list(args: argparse.Namespace) -> int:
    source = _source(args)
    names = source.list_datasets()
    width = max(map(len, names))
    _say("".join(f"{name:<{width}}  {source.describe(name).title}\n" for name in names))
    return 0


def _describe(args: argparse.Namespace) -> int:
    _say(f"{_source(args).describe(args.name)}\n")
    return 0


def _cite(args: argparse.Namespace) -> int:
    _say(f"{_source(args).cite(args.name)}\n")
    return 0


def _export(args: argparse.Namespace) -> int:
    out: Path | None = args.output
    if out is not None and out.is_dir():
        raise CommandError(_folder_message(out), 2)
    if out is not None and not args.force and (out.exists() or out.is_symlink()):
        raise CommandError(_exists_message(out), 2)  # checked again, atomically, on writing
    frame = _source(args).load(args.name)
    if args.format == "csv":
        text = frame.to_csv(index=False, date_format="%Y-%m-%d")
    else:
        text = frame.to_json(orient="records", date_format="iso", indent=1, force_ascii=False)
        text += "\n"
    if out is None:
        _write_data(text)
    else:
        _write_file(out, text, force=args.force)
        print(f"wrote {len(frame)} rows of {args.name!r} to {out}", file=sys.stderr)
    return 0


def _add_case(p: argparse.ArgumentParser) -> None:
    p.add_argument("--case", default=None, metavar="ID",
                   help="case id (see 'policykit cases') or path of a case folder "
                        "(default: the default case)")


def _add_cases(sub: SubParsers) -> None:  # type: ignore[valid-type]
    p = sub.add_parser("cases", help="list the cases (the default first)")
    p.set_defaults(func=_cases)


def _add_list(sub: SubParsers) -> None:  # type: ignore[valid-type]
    p = sub.add_parser("list", help="list the datasets of a case")
    _add_case(p)
    p.set_defaults(func=_list)


def _add_describe(sub: SubParsers) -> None:  # type: ignore[valid-type]
    p = sub.add_parser("describe", help="describe one dataset: rows, columns, caveats")
    p.add_argument("name", help="dataset name (see 'policykit list')")
    _add_case(p)
    p.set_defaults(func=_describe)


def _add_cite(sub: SubParsers) -> None:  # type: ignore[valid-type]
    p = sub.add_parser("cite", help="how to cite policykit or one dataset")
    p.add_argument("name", nargs="?", default=None, help="dataset name (optional)")
    _add_case(p)
    p.set_defaults(func=_cite)


def _add_export(sub: SubParsers) -> None:  # type: ignore[valid-type]
    p = sub.add_parser("export", help="write one dataset as CSV or JSON")
    p.add_argument("name", help="dataset name (see 'policykit list')")
    p.add_argument("--format", choices=["csv", "json"], default="csv",
                   help="output format (default: csv)")
    p.add_argument("--output", "-o", type=Path, default=None,
                   help="file to write (default: standard output); never overwritten "
                        "without --force")
    p.add_argument("--force", action="store_true", help="overwrite an existing --output file")
    _add_case(p)
    p.set_defaults(func=_export)


# The subcommands, in the order ``--help`` lists them. Each entry takes the subparsers object,
# adds one subcommand and sets ``func`` (called with the parsed arguments; returns the exit
# status, raises PolicykitError for bad input or CommandError for other failures).
# HOOK for new commands (e.g. ``policykit grade``): define ``_add_grade(sub)`` next to its
# implementation and append it here; main() then handles its errors like the others'.
COMMANDS: list[Callable[..., None]] = [_add_cases, _add_list, _add_describe, _add_cite,
                                       _add_export, _add_grade]


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser (exposed for tests and documentation)."""
    parser = argparse.ArgumentParser(
        prog="policykit",
        description="Curated cases of statements and votes: list the cases, and list, "
                    "describe, cite and export their datasets.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in COMMANDS:
        add(sub)
    return parser


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at devnull so the exit-time flush cannot fail."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (e.g. captured in tests)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (see the module docstring)."""
    args = build_parser().parse_args(argv)
    try:
        status = args.func(args)
        sys.stdout.flush()  # here, so that a broken pipe is caught below, not at exit
        return status
    except BrokenPipeError:
        _silence_stdout()
        return 141
    except PolicykitError as exc:
        print(f"policykit: error: {exc}", file=sys.stderr)
        return 2
    except CommandError as exc:
        print(f"policykit: error: {exc}", file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        print("policykit: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
