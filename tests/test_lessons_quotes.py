"""Every quotation in the prose of the case-2 and cross-case lessons is copied from the data.

A double-quoted span of four words or more in a markdown cell of lessons 08 and later must
appear word for word (line breaks and runs of spaces aside) in some value of some table of a
case (``policykit.list_cases()``): a letter's passage, a statement, a response, a condition's
evidence, a note. A quote is exact or absent; this catches a retyped apostrophe, a dropped word
or a capital letter added at the start of a sentence. Spans that are not quotations (a claim or
a headline the lesson makes up for students to check, a question) are listed in NOT_QUOTES with
the reason. Lessons 01-07 predate this check and are not covered by it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import policykit

LESSONS = Path(__file__).resolve().parent.parent / "lessons" / "source"
CHECKED = sorted(p for p in LESSONS.glob("*/*.ipynb") if p.parent.name[:2] >= "08")
QUOTE = re.compile(r'"([^"]+)"')
MIN_WORDS = 4

# (lesson, span) -> why the span is not a quotation
NOT_QUOTES = {
    ("08-pledges-and-votes", "there was no reason"):
        "what a missing reason must not be read as, in the lesson's words",
    ("08-pledges-and-votes", "The Republicans who vowed to block Ukraine aid kept their word."):
        "a made-up headline the written question asks students to check",
    ("09-two-cases", "Did their votes match their words?"):
        "the lesson's own question",
}


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def record() -> str:
    """Every distinct value of every table of every case, one per line, spaces squashed."""
    values: set[str] = set()
    for case_id in policykit.list_cases():
        case = policykit.case(case_id)
        for table in case.list_datasets():
            frame = case.load(table)
            for column in frame.columns:
                values |= {_squash(str(v)) for v in frame[column].dropna().unique()}
    return "\n".join(sorted(values))


def _spans(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    spans = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"])
            spans += [_squash(m) for m in QUOTE.findall(text)]
    return [s for s in spans if len(s.split()) >= MIN_WORDS]


def test_case_two_lessons_are_checked():
    assert [p.parent.name for p in CHECKED][:2] == ["08-pledges-and-votes", "09-two-cases"]


@pytest.mark.parametrize("path", CHECKED, ids=lambda p: p.parent.name)
def test_quotes_are_copied_exactly(path, record):
    spans = _spans(path)
    assert len(spans) >= 5, f"{path.parent.name}: expected quotations in the prose"
    lesson = path.parent.name
    wrong = [s for s in spans if (lesson, s) not in NOT_QUOTES and s not in record]
    assert not wrong, f"{lesson}: not found word for word in any case's data: {wrong}"


def test_not_quotes_are_still_in_the_lessons():
    """An entry of NOT_QUOTES whose span left the lesson is stale."""
    spans = {(p.parent.name, s) for p in CHECKED for s in _spans(p)}
    assert set(NOT_QUOTES) <= spans, set(NOT_QUOTES) - spans


def test_a_retyped_quote_is_caught(record):
    # The data print a typographic apostrophe in Kirby's words; a straight one is a different
    # quote, and so is a capitalised first word.
    kirby = ("We’re not going to have conversations with Russian leadership without the "
             "Ukrainians being represented.")
    assert kirby in record
    assert kirby.replace("’", "'") not in record
    assert "Unless they are linked to a clear diplomatic strategy" not in record
