"""Mutation test of the lessons' autograded questions: every near-miss answer must fail.

For each instructor source (lessons/source), the notebook runs once in a kernel, cell by cell,
with ``POLICYKIT_GRADING`` set (so ``policykit.exercises.question`` re-raises, as under a
grader). Right after each graded test cell has passed on the model solution, every answer value
that the cell checks (a variable assigned in the question's solution cell and read by the test)
is replaced, one at a time, by near misses of the same type, and the whole test cell (visible
and hidden tests) runs again. A near miss that passes is a *survivor*: the question accepts a
plausible wrong answer.

Near misses (see ``_HARNESS``): a count +-1, a float off by 1 %, a flipped bool, a date +-1 day,
a string cut short or swapped for a sibling value (another value of the same column, e.g.
another passage id or position), a list or set missing an item or with an extra one (drawn from
the table or list the answer comes from), a tuple or dict with one element changed or a key
missing, a Series or frame missing a row (or a frame with an extra row of the table it was
filtered from), and, for a claim check, the same ``policykit.claims`` call on near-miss arguments
(e.g. a sibling vote key or position, a date a day off, evidence missing a row; the claim and
reason a student writes into ``claims.not_settled`` are free text and are not mutated) or the
check with another verdict. Known weak spots get targeted near misses too (``_TARGETED``).

Run ``python tests/test_mutation.py`` to print the score and every mutant.

This run is instrumented (the harness, ``POLICYKIT_GRADING``), so the other checks of the same
sources live elsewhere: that each source runs top to bottom, offline, without an error, in
tests/test_lessons_execute.py (on nbgrader's autograde of it); that it earns full marks, in
tests/test_lessons_nbgrader.py (nbgrader) and tests/test_grade_lessons.py (``policykit grade``).
"""

from __future__ import annotations

import ast
import json
import os
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "lessons" / "source").glob("*/*.ipynb"))

pytestmark = [
    pytest.mark.notebooks,
    pytest.mark.slow,
    # The module fixture runs every lesson once and re-runs each graded cell on every near
    # miss: several minutes for nine lessons, more than the suite's 300 s default per test.
    pytest.mark.timeout(1500),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]

# Answers that are the student's free choice, not a fact to get right: no value is a near miss.
FREE_ANSWERS = {
    ("07-q1-tests", "memo_question"): "the memo's question is the student's own choice",
}

# Mutants that are still right answers, with the reason.
_AT_LEAST = ("the capstone asks for at least N items the memo cites; one item more, or one fewer "
             "above N, is still a right answer")
EQUIVALENT: dict[tuple[str, str, str], str] = {
    ("07-q1-tests", "evidence_ids", "missing first item"): _AT_LEAST,
    ("07-q1-tests", "evidence_ids", "missing last item"): _AT_LEAST,
    ("07-q1-tests", "evidence_ids", "extra item"): _AT_LEAST,
    ("07-q2-tests", "my_checks", "missing first item"): _AT_LEAST,
    ("07-q2-tests", "my_checks", "missing last item"): _AT_LEAST,
    ("07-q2-tests", "my_checks", "extra item (a repeat)"): _AT_LEAST,
}

# Targeted near misses for the weak spots named in issue 8 (section 6): (grade id, variable)
# -> {label: code evaluated in the kernel after the solution ran}.
_TARGETED = {
    ("07-q1-tests", "evidence_ids"): {
        # a source the sources table itself marks unreliable (a paraphrasing-spinner copy)
        "an unreliable source added": (
            "evidence_ids + [sources.loc[sources['reliability_note'].fillna('')"
            ".str.startswith('UNRELIABLE'), 'source_id'].iloc[0]]"),
        "unreliable sources only": (
            "sources.loc[sources['reliability_note'].fillna('').str.startswith('UNRELIABLE'),"
            " 'source_id'].tolist()[:2] + ['clerk-house-14bf84']"),
    },
    ("07-q2-tests", "my_checks"): {
        "two empty checks": ("[claims.not_settled('A claim.', 'No reason.'), "
                             "claims.not_settled('Another claim.', 'No reason.')]"),
    },
    ("06-q5-tests", "package_check"): {
        "the signers instead of every Democrat": "claims.every_package('signers')",
    },
    ("06-q4-tests", "lend_lease_senate"): {
        "a reason with no evidence": (
            "claims.not_settled('Only Republicans voted against the Lend-Lease Act in the "
            "Senate.', 'The Senate vote was too close to call either way.')"),
    },
}

_HARNESS = r'''
import json as _pk_json
import os as _pk_os
from datetime import timedelta as _pk_timedelta
from numbers import Integral as _pk_Integral, Real as _pk_Real

import numpy as _pk_np
import pandas as _pk_pd

from policykit.claims import ClaimCheck as _PkClaimCheck, VERDICTS as _PK_VERDICTS

_pk_os.environ["POLICYKIT_GRADING"] = "1"


def _pk_public(ns):
    for name, value in list(ns.items()):
        if name.startswith("_") or name in ("In", "Out", "exit", "quit", "get_ipython"):
            continue
        yield name, value


def _pk_hashable(x):
    try:
        hash(x)
        return True
    except TypeError:
        return False


# Small vocabularies of policykit's own: positions, party codes and table names.
import policykit as _pk_policykit  # noqa: E402

_PK_VOCABULARIES = [["Yea", "Nay", "Present", "Not Voting"], ["D", "R", "I"],
                    list(_pk_policykit.list_datasets())]


def _pk_domains(ns):
    """Value pools an answer could be drawn from: list/set/tuple values, frame columns and
    policykit's vocabularies."""
    yield from _PK_VOCABULARIES
    for name, value in _pk_public(ns):
        if isinstance(value, _pk_pd.DataFrame):
            for col in value.columns:
                vals = [v for v in value[col].tolist() if _pk_hashable(v)]
                yield vals
        elif isinstance(value, _pk_pd.Series):
            yield [v for v in value.tolist() if _pk_hashable(v)]
            yield [v for v in value.index.tolist() if _pk_hashable(v)]
        elif isinstance(value, (list, set, tuple)):
            yield [v for v in value if _pk_hashable(v)]


def _pk_same(a, b):
    if isinstance(a, (_pk_pd.DataFrame, _pk_pd.Series)):
        return isinstance(b, type(a)) and a.equals(b)
    if isinstance(a, _PkClaimCheck):
        return (isinstance(b, _PkClaimCheck) and a.claim == b.claim and a.verdict == b.verdict
                and a.evidence.equals(b.evidence))
    try:
        return bool(type(a) is type(b) and a == b)
    except Exception:
        return False


def _pk_sibling(value, ns):
    """Another value of the smallest pool holding this one (e.g. another passage id)."""
    best = None
    for pool in _pk_domains(ns):
        try:
            if value not in pool:
                continue
        except Exception:
            continue
        others = sorted({v for v in pool if type(v) is type(value) and v != value}, key=str)
        if others and (best is None or len(set(pool)) < best[0]):
            best = (len(set(pool)), others[0])
    return None if best is None else best[1]


def _pk_extra(items, ns):
    """An item from the smallest pool holding every item of ``items`` and more."""
    items = list(items)
    best = None
    for pool in _pk_domains(ns):
        try:
            if not all(i in pool for i in items):
                continue
        except Exception:
            continue
        extra = [v for v in dict.fromkeys(pool) if v not in items]
        if extra and (best is None or len(set(pool)) < best[0]):
            best = (len(set(pool)), extra[0])
    return None if best is None else best[1]


_PK_CALLS = {}


def _pk_record(fn):
    """Wrap a policykit.claims function so each ClaimCheck remembers the call that made it."""
    def wrapper(*args, **kwargs):
        result = fn(*args, **kwargs)
        if isinstance(result, _PkClaimCheck):
            _PK_CALLS[id(result)] = (result, fn, args, kwargs)
        return result
    wrapper.__name__, wrapper.__doc__, wrapper.__wrapped__ = fn.__name__, fn.__doc__, fn
    return wrapper


import policykit.claims as _pk_claims_module  # noqa: E402

for _pk_name in _pk_claims_module.__all__:
    _pk_fn = getattr(_pk_claims_module, _pk_name)
    if callable(_pk_fn) and not isinstance(_pk_fn, type) and _pk_name != "summary":
        setattr(_pk_claims_module, _pk_name, _pk_record(_pk_fn))


def _pk_check_mutants(value, ns):
    """The same check run on near-miss arguments (a sibling vote key or position, a date a day
    off, a list missing an item...), plus the check with another verdict."""
    out = []
    for verdict in _PK_VERDICTS:
        if verdict != value.verdict:
            out.append((f"verdict {verdict!r}", _PkClaimCheck(
                value.claim, verdict, value.explanation, value.evidence, value.sources)))
    entry = _PK_CALLS.get(id(value))
    if not entry or entry[0] is not value:
        return out
    _, fn, args, kwargs = entry
    free = 2 if fn.__name__ == "not_settled" else 0  # the student's own claim and reason
    slots = [(i, a) for i, a in enumerate(args) if i >= free] + list(kwargs.items())
    for slot, arg in slots:
        for label, m in _pk_mutants(arg, ns)[:3]:
            new_args, new_kwargs = list(args), dict(kwargs)
            if isinstance(slot, int):
                new_args[slot] = m
            else:
                new_kwargs[slot] = m
            try:
                result = fn(*new_args, **new_kwargs)
            except Exception:
                continue  # not a plausible answer: the student would see the error
            where = slot if isinstance(slot, str) else f"argument {slot + 1}"
            out.append((f"{fn.__name__}() with {where}: {label}", result))
    return out


def _pk_iso_date(value):
    import re
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    return _pk_pd.Timestamp(value)


def _pk_mutants(value, ns):
    out = []
    if isinstance(value, (bool, _pk_np.bool_)):
        out.append(("flipped bool", not bool(value)))
    elif isinstance(value, _pk_Integral):
        out += [("count +1", value + 1), ("count -1", value - 1)]
    elif isinstance(value, _pk_Real):
        delta = max(abs(float(value)) * 0.01, 0.01)
        out += [("float +1%", value + delta), ("float -1%", value - delta)]
    elif isinstance(value, _pk_pd.Timestamp):
        out += [("date +1 day", value + _pk_timedelta(days=1)),
                ("date -1 day", value - _pk_timedelta(days=1))]
    elif isinstance(value, str) and _pk_iso_date(value) is not None:
        day = _pk_iso_date(value)
        out += [("date string +1 day", str((day + _pk_timedelta(days=1)).date())),
                ("date string -1 day", str((day - _pk_timedelta(days=1)).date()))]
    elif isinstance(value, str):
        out.append(("string cut short", value[:-1]))
        sibling = _pk_sibling(value, ns)
        out.append(("string swapped for a sibling" if sibling is not None else "string edited",
                    sibling if sibling is not None else value + " (edited)"))
    elif isinstance(value, (list, set)):
        kind = type(value)
        items = list(value)
        if items:
            out.append(("missing first item", kind(items[1:])))
            out.append(("missing last item", kind(items[:-1])))
        extra = _pk_extra(items, ns) if all(_pk_hashable(i) for i in items) else None
        if extra is not None:
            out.append(("extra item", kind(items + [extra])))
        elif items:
            out.append(("extra item (a repeat)", kind(items + [items[0]]) if kind is list
                        else kind(items)))
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            for label, m in _pk_mutants(item, ns)[:1]:
                out.append((f"element {i}: {label}", value[:i] + (m,) + value[i + 1:]))
    elif isinstance(value, dict):
        for key, item in value.items():
            for label, m in _pk_mutants(item, ns)[:2]:
                out.append((f"[{key!r}]: {label}", {**value, key: m}))
            out.append((f"key {key!r} missing", {k: v for k, v in value.items() if k != key}))
    elif isinstance(value, _pk_pd.Series):
        if len(value):
            out.append(("series missing a row", value.iloc[:-1]))
            if _pk_pd.api.types.is_numeric_dtype(value):
                changed = value.copy()
                changed.iloc[0] = changed.iloc[0] + 1
                out.append(("series first value +1", changed))
    elif isinstance(value, _pk_pd.DataFrame):
        if len(value):
            out.append(("frame missing its first row", value.iloc[1:]))
            out.append(("frame missing its last row", value.iloc[:-1]))
        for _name, frame in _pk_public(ns):
            if (isinstance(frame, _pk_pd.DataFrame) and frame is not value
                    and list(frame.columns) == list(value.columns)
                    and len(frame) > len(value) and value.index.isin(frame.index).all()):
                extra = frame.loc[~frame.index.isin(value.index)].iloc[:1]
                out.append(("frame with an extra row", _pk_pd.concat([value, extra])))
                break
    elif isinstance(value, _PkClaimCheck):
        out += _pk_check_mutants(value, ns)
    return [(label, m) for label, m in out if not _pk_same(value, m)]


def _pk_run_test(test_source, ns):
    """Run the test cell; return the exception's name, or None if every test passed."""
    snapshot = dict(ns)
    try:
        exec(compile(test_source, "<test cell>", "exec"), ns)
    except Exception as exc:
        return type(exc).__name__
    finally:
        for key in set(ns) - set(snapshot):
            del ns[key]
        ns.update(snapshot)
    return None


def _pk_mutate(test_source, names, targeted):
    ns = get_ipython().user_ns
    results = []
    baseline = _pk_run_test(test_source, ns)
    for name in names:
        original = ns[name]
        mutants = _pk_mutants(original, ns)
        mutants += [(label, eval(code, ns)) for label, code in targeted.get(name, {}).items()]
        for label, mutant in mutants:
            ns[name] = mutant
            try:
                error = _pk_run_test(test_source, ns)
            finally:
                ns[name] = original
            results.append({"variable": name, "mutant": label, "killed": error is not None,
                            "error": error})
    print(_pk_json.dumps({"baseline": baseline, "results": results}))
'''


def _solution_names(source: str) -> set[str]:
    """Names a solution cell assigns at top level."""
    names = set()
    for node in ast.parse(source).body:
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            targets = [node.target]
        for target in targets:
            for sub in ast.walk(target):
                if isinstance(sub, ast.Name):
                    names.add(sub.id)
    return names


def _read_names(source: str) -> set[str]:
    return {n.id for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Name)}


def _meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def mutate_lesson(path: Path) -> list[dict]:
    """Run one instructor source and mutate every graded question; one row per mutant."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=60, store_widget_state=False,
                            resources={"metadata": {"path": str(path.parent)}})
    rows: list[dict] = []
    answers: set[str] = set()
    os.environ["POLICYKIT_GRADING"] = "1"  # the kernel inherits it: question() re-raises
    with client.setup_kernel():
        harness = nbformat.v4.new_code_cell(_HARNESS)
        client.execute_cell(harness, 0)
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            client.execute_cell(cell, index)  # raises on any error: the source must run
            meta = _meta(cell)
            if meta.get("solution"):
                answers |= _solution_names(cell.source)
            if not (meta.get("grade") and meta.get("grade_id")):
                continue
            grade_id = meta["grade_id"]
            names = sorted(n for n in answers & _read_names(cell.source)
                           if (grade_id, n) not in FREE_ANSWERS)
            targeted = {n: code for (gid, n), code in _TARGETED.items() if gid == grade_id}
            call = nbformat.v4.new_code_cell(
                f"_pk_mutate({cell.source!r}, {names!r}, {targeted!r})")
            client.execute_cell(call, index)
            text = "".join(o.get("text", "") for o in call.outputs if o.output_type == "stream")
            report = json.loads(text.strip().splitlines()[-1])
            assert report["baseline"] is None, f"{grade_id} fails on the model solution"
            assert names, f"{grade_id}: no answer variable found to mutate"
            for row in report["results"]:
                rows.append({"lesson": path.parent.name, "grade_id": grade_id, **row})
            answers = set()
    return rows


@pytest.fixture(scope="module")
def mutants(tmp_path_factory):
    old = os.environ.get("POLICYKIT_GRADING")
    try:
        return [row for path in SOURCES for row in mutate_lesson(path)]
    finally:
        if old is None:
            os.environ.pop("POLICYKIT_GRADING", None)
        else:
            os.environ["POLICYKIT_GRADING"] = old


def _score(rows: list[dict]) -> str:
    killed = sum(r["killed"] for r in rows)
    equivalent = sum((r["grade_id"], r["variable"], r["mutant"]) in EQUIVALENT for r in rows)
    return (f"mutation score: {killed}/{len(rows)} near-miss answers rejected "
            f"({equivalent} accepted on purpose: still right answers, see EQUIVALENT)")


def test_every_autograded_question_is_mutated(mutants):
    graded = {_meta(c)["grade_id"] for p in SOURCES for c in nbformat.read(p, as_version=4).cells
              if _meta(c).get("grade") and c.cell_type == "code"}
    assert graded == {r["grade_id"] for r in mutants}
    assert len(mutants) >= 5 * len(graded)


def test_every_near_miss_is_rejected(mutants, record_property):
    record_property("mutation_score", _score(mutants))
    print("\n" + _score(mutants))
    survivors = [r for r in mutants if not r["killed"]
                 and (r["grade_id"], r["variable"], r["mutant"]) not in EQUIVALENT]
    assert not survivors, _score(mutants) + "; accepted near misses:\n" + "\n".join(
        f"  {r['grade_id']} {r['variable']}: {r['mutant']}" for r in survivors)


def test_targeted_weak_spots_are_mutated(mutants):
    seen = {(r["grade_id"], r["variable"], r["mutant"]) for r in mutants}
    for (grade_id, variable), codes in _TARGETED.items():
        for label in codes:
            assert (grade_id, variable, label) in seen


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    import conftest  # noqa: F401  (the kernel-channel stall fix, jupyter/nbclient#312)

    chosen = [p for p in SOURCES if not sys.argv[1:] or p.parent.name in sys.argv[1:]]
    all_rows = [row for p in chosen for row in mutate_lesson(p)]
    for r in all_rows:
        status = "killed  " if r["killed"] else "SURVIVED"
        print(f"{status} {r['grade_id']:<12} {r['variable']:<28} {r['mutant']}  ({r['error']})")
    print(_score(all_rows))
