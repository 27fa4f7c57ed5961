"""The judge: run an assignment's tests against exported answer values, in a fresh interpreter.

Run as ``python -m policykit.grading._judge`` with two JSON lines on standard input::

    {"setup": ["<locked cell source>", ...],
     "tests": [{"grade_id": "03-q1-tests", "source": "<test cell source>"}, ...]}
    {"answers": {"03-q1-tests": {"name": <encoded value>, ...}, ...}}

(the grader sends the first line while the student's notebook is still running, so imports and
setup cost no waiting) and it prints one JSON line: for each test, ``{"passed": bool,
"ename": str, "message": str}``.
No student code ever runs here: the setup cells are the instructor's locked cells, the tests are
the gradebook's, and the answers are plain data (see :mod:`policykit.grading._export`). So no
input transformer, patched module or object that equals anything can reach the tests.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from typing import Any

from ._cells import as_python, hidden_lines
from ._export import Unsupported, decode

__all__ = ["judge", "main", "setup"]

_SHOWN = (NameError, TypeError)  # messages that only talk about the student's own names


def _failure(exc: BaseException, source: str, filename: str) -> dict[str, Any]:
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == filename:
            line = frame.lineno
    hidden = line is not None and line in hidden_lines(source)
    ename = type(exc).__name__
    detail = str(exc)
    if hidden and not isinstance(exc, _SHOWN):
        message = f"{ename}: a hidden test failed."
    elif isinstance(exc, AssertionError):
        message = f"AssertionError: {detail}" if detail else "AssertionError: a test failed."
        if line is not None and not hidden:
            message += f"\n(line {line}: {source.splitlines()[line - 1].strip()})"
    else:
        message = f"{ename}: {detail}"
    return {"passed": False, "ename": ename, "message": message, "hidden": hidden}


def setup(sources: list[str]) -> tuple[dict[str, Any], list[str]]:
    """Run the locked setup cells in a fresh namespace; return it and any errors."""
    os.environ["POLICYKIT_GRADING"] = "1"
    os.environ.setdefault("NBGRADER_EXECUTION", "autograde")
    namespace: dict[str, Any] = {"__name__": "__main__"}
    errors = []
    for number, source in enumerate(sources, start=1):
        try:
            exec(compile(as_python(source), f"<setup cell {number}>", "exec"), namespace)
        except Exception as exc:  # an instructor's cell failing is reported, not fatal
            errors.append(f"setup cell {number}: {type(exc).__name__}: {exc}")
    return namespace, errors


def judge(request: dict[str, Any], prepared: tuple[dict[str, Any], list[str]] | None = None
          ) -> dict[str, Any]:
    """Run each test of ``request`` against its answers, on a copy of the setup namespace."""
    namespace, setup_errors = prepared or setup(request.get("setup", []))
    results = {}
    for test in request.get("tests", []):
        grade_id = str(test["grade_id"])
        source = str(test["source"])
        try:
            values = {name: decode(value)
                      for name, value in request.get("answers", {}).get(grade_id, {}).items()}
        except RecursionError:  # a forged export nested beyond Python's limit
            values = {}
        local = {**namespace, **values}
        filename = f"<test {grade_id}>"
        try:
            exec(compile(as_python(source), filename, "exec"), local)
        except BaseException as exc:
            results[grade_id] = _failure(exc, source, filename)
        else:
            results[grade_id] = {"passed": True, "ename": "", "message": "", "hidden": False}
        results[grade_id]["ungradable"] = sorted(
            f"{name} ({value.type_name}: {value.reason})" for name, value in values.items()
            if isinstance(value, Unsupported))
    return {"results": results, "setup_errors": setup_errors}


def main() -> int:
    """Read the request and the answers from stdin, print the verdicts as one JSON line."""
    request = json.loads(sys.stdin.readline())
    real_stdout = sys.stdout
    sys.stdout = sys.stderr  # anything a test prints must not corrupt the answer line
    try:
        prepared = setup(request.get("setup", []))
        request.update(json.loads(sys.stdin.readline() or "{}"))
        verdict = judge(request, prepared)
    finally:
        sys.stdout = real_stdout
    real_stdout.write(json.dumps(verdict) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
