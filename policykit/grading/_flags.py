"""What to flag in a submission for the instructor: tampering and tricks seen in the code.

Flags are for people: scores never depend on them (the judge already ignores whatever these
tricks do). Each flag is ``(code, detail)``.

>>> scan_code("get_ipython().input_transformers_cleanup.append(f)")
[('transformer', 'installs an IPython input/AST transformer')]
>>> visible_part("a = 1\\n### BEGIN HIDDEN TESTS\\nassert a == 2\\n### END HIDDEN TESTS\\n")
'a = 1'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ._cells import HIDDEN_BEGIN, HIDDEN_END, is_autograded_test, meta

__all__ = ["PATTERNS", "scan_code", "test_cell_changes", "visible_part"]

#: (code, what it means, regular expression over a code cell's source)
PATTERNS: tuple[tuple[str, str, str], ...] = (
    ("transformer", "installs an IPython input/AST transformer",
     r"input_transformers|ast_transformers|register_transformer|\.events\.register"),
    ("always-equal", "defines its own equality (__eq__)", r"__eq__"),
    ("builtins", "touches builtins", r"\bbuiltins\b|__builtins__"),
    ("monkeypatch", "replaces attributes of pandas, numpy, policykit or IPython",
     r"\b(pd|pandas|np|numpy|policykit|IPython)(\.\w+)+\s*=[^=]|setattr\(\s*(pd|pandas|np|numpy"
     r"|policykit|IPython)\b|sys\.modules"),
    ("rebinding", "rebinds the name of a library the tests use",
     r"^\s*(policykit|pd|np|pandas|numpy)\s*=[^=]"),
    ("filesystem", "deletes or moves files",
     r"shutil\.(rmtree|move)|os\.(remove|unlink|rmdir|removedirs|rename|replace)\b|\.unlink\("),
    ("process", "starts other programs", r"\bsubprocess\b|os\.system|os\.popen|^\s*!"),
)


def scan_code(source: str) -> list[tuple[str, str]]:
    """Flags for one code cell written by the student."""
    found = []
    for code, meaning, pattern in PATTERNS:
        if re.search(pattern, source, flags=re.MULTILINE):
            found.append((code, meaning))
    return found


def visible_part(source: str) -> str:
    """A test cell as students receive it: hidden tests removed, trailing space trimmed."""
    kept, inside = [], False
    for line in source.splitlines():
        if HIDDEN_BEGIN in line:
            inside = True
        elif HIDDEN_END in line:
            inside = False
        elif not inside:
            kept.append(line.rstrip())
    return "\n".join(kept).strip()


def test_cell_changes(submitted: Iterable[Mapping[str, Any]],
                      gradebook_tests: Mapping[str, str],
                      known_ids: Iterable[str]) -> list[tuple[str, str]]:
    """Compare a submission's test cells with the gradebook's (edited, deleted, unknown ids).

    Parameters
    ----------
    submitted
        The cells as the student handed them in.
    gradebook_tests
        Source of every autograded test cell, by grade id, hidden tests included.
    known_ids
        Every grade id the gradebook knows for this notebook.
    """
    known = set(known_ids)
    flags: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for cell in submitted:
        grade_id = meta(cell).get("grade_id")
        if grade_id is None:
            continue
        seen[grade_id] = seen.get(grade_id, 0) + 1
        if grade_id not in known:
            flags.append(("grade-id", f"cell with unknown grade id {grade_id!r} (changed id?)"))
            continue
        if grade_id in gradebook_tests:
            if not is_autograded_test(cell):
                flags.append(("test-cell-edited",
                              f"test cell {grade_id!r} had its nbgrader metadata changed"))
            elif visible_part(str(cell.get("source", ""))) != visible_part(
                    gradebook_tests[grade_id]):
                flags.append(("test-cell-edited",
                              f"test cell {grade_id!r} was edited (graded with the original)"))
    for grade_id in sorted(set(gradebook_tests) - set(seen)):
        flags.append(("test-cell-deleted",
                      f"test cell {grade_id!r} was deleted (graded with the original)"))
    for grade_id, count in sorted(seen.items()):
        if count > 1:
            flags.append(("grade-id", f"grade id {grade_id!r} appears {count} times"))
    return flags
