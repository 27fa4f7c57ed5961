"""``python -m policykit``: the same command line as ``policykit`` (see :mod:`policykit.cli`)."""

from __future__ import annotations

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
