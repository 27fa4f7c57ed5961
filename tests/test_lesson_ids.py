"""Every row id cited in a lesson resolves to a row of the data.

Row ids are derived from content (``r20221025-pocan-9a54``, ``e20221025-letter-…``,
``s20221025-wit-…``, ``p-we-urge-4ced``, ``d20220728-ac82``; sources ``jpost-3506b7``), so a
lesson that cites one keeps pointing at the same row when rows are added. The old positional
ids (``r13``, ``e17``, ``p09``, ``wit-2``) no longer exist and must not be cited.

Lessons on the second case (``policykit.case("gop_letters_2023")``) cite that case's rows and
sources (``r20240423-sanders-0447``, ``d-for-these-1f83``, ``anews-tr-dd5df4``), so an id
resolves if it is a row of the table it names in any case.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import policykit

LESSONS = Path(__file__).resolve().parent.parent / "lessons" / "source"
NOTEBOOKS = sorted(LESSONS.glob("*/*.ipynb"))

# id pattern -> (table, id column)
ROW_IDS = {
    # a response dated to the month only has a six-digit date (``r202310-gosar-622e``)
    r"\br20\d{4}(?:\d{2})?(?:-[a-z0-9]+)+-[0-9a-f]{4}\b": ("responses", "response_id"),
    r"\be20\d{6}(?:-[a-z0-9]+)+-[0-9a-f]{4}\b": ("events", "event_id"),
    r"\bs20\d{6}-(?:cla|wit)-[0-9a-f]{4}\b": ("statements", "statement_id"),
    r"\bd20\d{6}-[0-9a-f]{4}\b": ("letter_drafts", "draft_id"),
    r"\bd(?:-[a-z]+)+-[0-9a-f]{4}\b": ("letter_drafts", "draft_id"),  # case 2's drafts
    r"\bp(?:-[a-z0-9]+)+-[0-9a-f]{4}\b": ("letter_passages", "passage_id"),
    r"\bc(?:-[a-z0-9]+)+-[0-9a-f]{4}\b": ("condition_evidence", "evidence_id"),  # case 2
}
OLD_IDS = r"\b(?:r|e|p)\d{2}\b|\b(?:wit|cla)-\d\b|[\"'`]d[12][\"'`]"
# Source ids as cited in prose: `[jpost-3506b7]` or `jpost-3506b7` in backticks.
SOURCE_IDS = r"[\[`]([a-z0-9]+(?:-[a-z0-9]+)*-[0-9a-f]{6})[\]`]"


def _cells(path: Path) -> list[tuple[int, str]]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [(i, "".join(c["source"])) for i, c in enumerate(nb["cells"])]


def _ids_of_every_case(table: str, column: str) -> set[str]:
    """The ids in ``table`` of every case that has it."""
    ids: set[str] = set()
    for case_id in policykit.list_cases():
        case = policykit.case(case_id)
        if table in case.list_datasets():
            ids |= set(case.load(table)[column])
    return ids


def test_lessons_are_found():
    assert len(NOTEBOOKS) >= 9


def test_every_case_is_searched():
    # The second case's ids resolve (and the first case's alone would not hold them).
    assert "r20240423-sanders-0447" in _ids_of_every_case("responses", "response_id")
    assert "r20240423-sanders-0447" not in set(policykit.load_responses()["response_id"])
    assert "anews-tr-dd5df4" in _ids_of_every_case("sources", "source_id")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.parent.name)
def test_cited_row_ids_resolve(path):
    tables = {t: _ids_of_every_case(t, col) for t, col in ROW_IDS.values()}
    sources = _ids_of_every_case("sources", "source_id")
    unresolved = []
    for i, text in _cells(path):
        for pattern, (table, _) in ROW_IDS.items():
            unresolved += [(i, table, m) for m in re.findall(pattern, text)
                           if m not in tables[table]]
        unresolved += [(i, "sources", m) for m in re.findall(SOURCE_IDS, text)
                       if m not in sources]
    assert not unresolved, unresolved


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.parent.name)
def test_no_positional_ids_left(path):
    old = [(i, m) for i, text in _cells(path) for m in re.findall(OLD_IDS, text)]
    assert not old, f"positional ids (see /tmp/pk/id_map.json for the new ones): {old}"
