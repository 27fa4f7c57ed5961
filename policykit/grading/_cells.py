"""Read an nbgrader notebook's cells: which are tests, which names they need, who defines them.

Pure functions over notebook JSON (``nbformat`` nodes or plain dicts) and source text.

>>> needed = free_names("assert isinstance(n, int) and n == len(rows)")
>>> sorted(needed)
['n', 'rows']
>>> sorted(stored_names("import policykit\\nrows = policykit.load_members()\\n"))
['policykit', 'rows']
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "HIDDEN_BEGIN",
    "HIDDEN_END",
    "as_python",
    "free_names",
    "hidden_lines",
    "is_autograded_test",
    "meta",
    "plan",
    "stored_names",
]

HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"
_BUILTINS = frozenset(dir(builtins)) | {"__name__", "__builtins__", "get_ipython", "display"}


def meta(cell: Mapping[str, Any]) -> dict[str, Any]:
    """The cell's ``nbgrader`` metadata ({} when it has none)."""
    return dict(cell.get("metadata", {}).get("nbgrader", {}) or {})


def is_autograded_test(cell: Mapping[str, Any]) -> bool:
    """True for a code cell nbgrader grades by running it (grade, not solution)."""
    m = meta(cell)
    return cell.get("cell_type") == "code" and bool(m.get("grade")) and not m.get("solution")


def as_python(source: str) -> str:
    """IPython source (magics, ``!cmd``) turned into plain Python, as IPython runs it."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


def _tree(source: str) -> ast.Module | None:
    try:
        return ast.parse(as_python(source))
    except SyntaxError:
        return None


def stored_names(source: str) -> set[str]:
    """Names a cell binds at any level: assignments, imports, defs, loop and ``with`` targets."""
    tree = _tree(source)
    names: set[str] = set()
    if tree is None:
        return names
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            names.add(node.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
    return names


def free_names(source: str) -> set[str]:
    """Names a cell reads that it does not bind itself and that are not builtins."""
    tree = _tree(source)
    if tree is None:
        return set()
    loaded = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)
              and isinstance(n.ctx, ast.Load)}
    return loaded - stored_names(source) - _BUILTINS


def hidden_lines(source: str) -> set[int]:
    """1-based line numbers inside ``### BEGIN/END HIDDEN TESTS`` blocks (markers included)."""
    lines, inside = set(), False
    for number, line in enumerate(source.splitlines(), start=1):
        if HIDDEN_BEGIN in line:
            inside = True
        if inside:
            lines.add(number)
        if HIDDEN_END in line:
            inside = False
    return lines


def plan(cells: Iterable[Mapping[str, Any]], source_cells: Iterable[Mapping[str, Any]]
         ) -> tuple[list[int], dict[int, list[str]]]:
    """Decide what the judge re-runs and what the student's kernel must hand over.

    Parameters
    ----------
    cells
        The notebook being graded, after nbgrader restored its locked cells.
    source_cells
        The instructor's source notebook (its solution cells say which names are answers).

    Returns
    -------
    setup, answers
        ``setup``: indices of locked, non-graded code cells the tests need (run again, fresh,
        by the judge); ``answers``: for each autograded test cell's index, the names whose
        values the student's kernel must export.
    """
    cells = list(cells)
    solution_names: set[str] = set()
    for cell in source_cells:
        if cell.get("cell_type") == "code" and meta(cell).get("solution"):
            solution_names |= stored_names(cell.get("source", ""))
    setup_cells = [i for i, c in enumerate(cells) if c.get("cell_type") == "code"
                   and meta(c).get("locked") and not meta(c).get("grade")
                   and not meta(c).get("solution")]
    answers: dict[int, list[str]] = {}
    needed: set[str] = set()
    for i, cell in enumerate(cells):
        if not is_autograded_test(cell):
            continue
        names = free_names(cell.get("source", ""))
        defined_before = set().union(*(stored_names(cells[j].get("source", ""))
                                       for j in setup_cells if j < i))
        answers[i] = sorted(n for n in names if n in solution_names or n not in defined_before)
        needed |= names - set(answers[i])
    chosen: list[int] = []
    for j in reversed(setup_cells):
        source = cells[j].get("source", "")
        if stored_names(source) & needed:
            chosen.append(j)
            needed |= free_names(source)
    return sorted(chosen), answers
