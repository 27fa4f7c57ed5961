"""No library code line names a case (issue 11): the measure and the check.

The tokens that name a case are collected from every shipped case's data by
``benchmarks/case_neutral.py`` (table names that are not role names, people's names, roll-call
keys, event keys, ISO dates of rows); every ``policykit/**/*.py`` file is read with
``tokenize``. Code lines (string literals and names outside docstrings and comments) must not
hold any of them. Docstrings (the default case's documentation) and comments are counted and
printed, not failed on.

``ALLOWED`` lists the code lines that still name a case while other parts of the library are
being refactored (key: file and stripped line text, so unrelated edits do not move it). It
shrinks as they land; the goal is an empty list.
"""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load_measure():
    path = ROOT / "benchmarks" / "case_neutral.py"
    spec = importlib.util.spec_from_file_location("policykit_case_neutral", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


measure = _load_measure()

# Code lines that still name a case (file: stripped text). Empty since 2026-12-02 04:10 UTC,
# when the analysis, claims, figures and explorer refactors had landed (issue 11); a line may
# be added here only with a dated reason, and removed as soon as it is fixed.
ALLOWED: set[str] = set()


@pytest.fixture(scope="module")
def tokens():
    return measure.collect()


@pytest.fixture(scope="module")
def hits(tokens):
    return measure.scan(tokens)


def test_every_shipped_case_is_scanned():
    folders = {p.name for p in measure.case_folders()}
    import policykit

    assert folders == set(policykit.list_cases())


def test_tokens_come_from_each_cases_data(tokens):
    # Case 1: the letter's lead signer and its date (shared sources' README); its
    # non-generic tables.
    assert "Pramila Jayapal" in tokens.substrings
    assert "Jayapal" in tokens.words
    assert "2022-10-24" in tokens.substrings
    assert "signatories" in tokens.whole  # the table of the signers role: code says "signers"
    assert "letter_passages" in tokens.words
    assert "cpc_letter_2022" in tokens.words and "gop_letters_2023" in tokens.words  # case ids
    # Case 2: House roll 151 and Senate roll 154 were held on 2024-04-20 and 2024-04-23, the
    # April letter was sent on 2023-04-20 (case 2 README).
    for day in ("2024-04-20", "2024-04-23", "2023-04-20"):
        assert day in tokens.substrings
    # Role names are generic vocabulary, not a case's name.
    for generic in ("members", "rollcalls", "events", "sources", "votes"):
        assert generic not in tokens.whole and generic not in tokens.words
    # A last name that is also an English word (Sen. Mike Rounds, Rep. Don Bacon) is not
    # taken for a name on its own; the full name still is.
    assert "Rounds" not in tokens.words and "Bacon" not in tokens.words
    assert "Mike Rounds" in tokens.substrings


def test_the_scanner_tells_code_from_docstrings_and_comments(tmp_path, tokens):
    source = textwrap.dedent('''
        """Module docstring about Pramila Jayapal's letter of 2022-10-24."""

        LOADERS = {"house_votes": 1}  # comment naming Jayapal


        def f(jayapal: int) -> str:
            """Docstring: 'h145-117.2022'."""
            label = (
                "a label with Pramila Jayapal "
                "and nothing else"
            )
            return "letters" + "the letters" + label
        ''')
    library = tmp_path / "policykit"
    library.mkdir()
    (library / "mod.py").write_text(source, encoding="utf-8")
    measure_root = measure.ROOT
    measure.ROOT = tmp_path
    try:
        found = measure.scan(tokens, library)
    finally:
        measure.ROOT = measure_root
    kinds = {(h.line, h.kind) for h in found}
    assert kinds == {(2, "docstring"), (4, "code"), (4, "comment"), (7, "code"),
                     (8, "docstring"), (10, "code")}
    assert {h.line: h.found for h in found if h.kind == "code"} == {
        4: ["house_votes"], 7: ["jayapal"], 10: ["Jayapal", "Pramila Jayapal"]}
    # Line 13: "letters" is case 2's table name only as a whole literal, if no case declares
    # a "letters" role; "the letters" is prose.
    import json

    declared = {role for folder in measure.case_folders() for role in json.loads(
        (folder / "datapackage.json").read_text(encoding="utf-8"))["policykit"]["roles"]}
    assert ("letters" in tokens.whole) == ("letters" not in declared)


def test_no_library_code_line_names_a_case(hits):
    code = [h for h in hits if h.kind == "code"]
    table = measure.counts(hits)
    print(f"\ncode lines naming a case: {len(code)} (allowed for now: {len(ALLOWED)}); "
          f"docstring lines: {sum(r['docstring'] for r in table.values())}; "
          f"comment lines: {sum(r['comment'] for r in table.values())}")
    for path, row in sorted(table.items()):
        print(f"  {path}: {row}")
    offenders = [f"{h.path}:{h.line}: {h.text.strip()}  <- {', '.join(h.found)}"
                 for h in code if h.key not in ALLOWED]
    assert offenders == [], "library code names a case:\n" + "\n".join(offenders)
    stale = ALLOWED - {h.key for h in code}
    if stale:
        print("allowed lines that no longer name a case (remove them):", *sorted(stale),
              sep="\n  ")
