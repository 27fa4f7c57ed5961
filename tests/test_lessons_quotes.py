"""Every quotation in the prose of the lessons is copied from the data.

A double-quoted span of four words or more in a markdown cell of a lesson must appear word for
word (line breaks, runs of spaces and blockquote markers aside) in some value of some table of a
case (``policykit.list_cases()``): a letter's passage, a statement, a response, a condition's
evidence, a note. A quote is exact or absent; this catches a retyped apostrophe, a dropped word
or a capital letter added at the start of a sentence.

Three lists, each entry with its reason, say which spans are checked otherwise:

- NOT_QUOTES: spans in quotation marks that quote no one (a claim or a headline the lesson
  makes up for students to check, a verdict's label, a name, the lesson's own question);
- FROM_SOURCE_NOTES: quotations of the raw source notes that no curated table carries; each is
  checked against its raw file when ``../shared/sources`` is present;
- KNOWN_MISQUOTES: quotations of the data that differ from it, left for the owner of the
  lesson to fix. The test fails when one of them is fixed (remove it from the list) and when
  a new one appears.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import policykit

LESSONS = Path(__file__).resolve().parent.parent / "lessons" / "source"
CHECKED = sorted(LESSONS.glob("*/*.ipynb"))
QUOTE = re.compile(r'"([^"]+)"')
BLOCKQUOTE = re.compile(r"^>[ \t]?", re.MULTILINE)
MIN_WORDS = 4

# (lesson, span) -> why the span is not a quotation
NOT_QUOTES = {
    ("01-primary-source", "quoted in the letter"):
        "a label the lesson gives the letter's quoted remarks (their dates were not verified)",
    ("02-who-signed", "the Progressive Caucus letter"):
        "the name the letter is often given, not a quotation of anyone",
    ("03-words-and-votes", "The progressives who urged talks had voted against Ukraine aid."):
        "a made-up post the written question asks students to check",
    ("06-checking-claims", "not settled by the data"):
        "the label of a claim check's verdict (policykit.claims)",
    ("06-checking-claims", "The caucus withdrew the letter on 15 October 2022."):
        "claim A of an exercise: made up, and wrong on purpose",
    ("06-checking-claims", "Forty members of Congress signed the letter."):
        "claim B of an exercise: made up, and wrong on purpose",
    ("06-checking-claims", "Ilhan Omar represents Michigan."):
        "claim C of an exercise: made up, and wrong on purpose",
    ("06-checking-claims", "The Ukraine aid passed the House 361-69 in March 2022."):
        "claim D of an exercise: made up for students to check",
    ("06-checking-claims", "Only Republicans voted against the Lend-Lease Act in the House."):
        "claim E of an exercise: made up for students to check",
    ("06-checking-claims", "Only Republicans voted against the Lend-Lease Act"):
        "a section heading naming claim E; the lesson says it is given as an example",
    ("06-checking-claims", "$13.6 billion passed 361-69"):
        "the claim under check in the lesson's words; the paragraph below says news reports "
        "summed the vote up this way, without quoting them",
    ("06-checking-claims", "361 Yea, 69 Nay"):
        "a tally the question asks students to check, not a quotation",
    ("06-checking-claims", "The bill faced opposition only from a small group of Republicans."):
        "the lesson's own wording of a reported claim, which it says is not quoted",
    ("06-checking-claims", "The letter was released by staff without the chair's approval."):
        "a made-up claim a written question asks students to check",
    ("07-capstone", "not settled by the data"):
        "the label of a claim check's verdict (policykit.claims)",
    ("08-pledges-and-votes", "there was no reason"):
        "what a missing reason must not be read as, in the lesson's words",
    ("08-pledges-and-votes", "The Republicans who vowed to block Ukraine aid kept their word."):
        "a made-up headline the written question asks students to check",
    ("09-two-cases", "Did their votes match their words?"):
        "the lesson's own question",
}

# (lesson, span) -> the raw source file (under ../shared/sources) that holds the quotation
FROM_SOURCE_NOTES = {
    ("01-primary-source",
     "seek a rapid end to the conflict and reiterate this goal as America's chief priority"):
        "letter/letter.json",
}

# (lesson, span) -> what differs from the data
KNOWN_MISQUOTES: dict[tuple[str, str], str] = {}


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
            text = BLOCKQUOTE.sub("", "".join(cell["source"]))
            spans += [_squash(m) for m in QUOTE.findall(text)]
    return [s for s in spans if len(s.split()) >= MIN_WORDS]


def _set_aside(lesson: str, span: str) -> bool:
    key = (lesson, span)
    return key in NOT_QUOTES or key in FROM_SOURCE_NOTES or key in KNOWN_MISQUOTES


def test_every_lesson_is_checked():
    names = [p.parent.name for p in CHECKED]
    assert names[:2] == ["01-primary-source", "02-who-signed"]
    assert {"08-pledges-and-votes", "09-two-cases"} <= set(names)


@pytest.mark.parametrize("path", CHECKED, ids=lambda p: p.parent.name)
def test_quotes_are_copied_exactly(path, record):
    lesson = path.parent.name
    spans = _spans(path)
    if lesson >= "08":
        assert len(spans) >= 5, f"{lesson}: expected quotations in the prose"
    wrong = [s for s in spans if not _set_aside(lesson, s) and s not in record]
    assert not wrong, f"{lesson}: not found word for word in any case's data: {wrong}"


def test_set_aside_spans_are_still_in_the_lessons():
    """An entry of the three lists whose span left its lesson is stale."""
    spans = {(p.parent.name, s) for p in CHECKED for s in _spans(p)}
    listed = set(NOT_QUOTES) | set(FROM_SOURCE_NOTES) | set(KNOWN_MISQUOTES)
    assert listed <= spans, listed - spans


def test_known_misquotes_still_differ(record):
    """A known misquote that now matches the data was fixed: take it off the list."""
    fixed = [span for _, span in KNOWN_MISQUOTES if span in record]
    assert not fixed, fixed


def test_not_quotes_quote_nothing(record):
    """A span set aside as no quotation must not be one the data hold word for word."""
    quoted = [span for _, span in NOT_QUOTES if span in record]
    assert not quoted, quoted


def test_quotes_of_source_notes_are_exact(shared_sources):
    for (lesson, span), rel in FROM_SOURCE_NOTES.items():
        raw = _squash((shared_sources / rel).read_text(encoding="utf-8"))
        assert span in raw, f"{lesson}: {span!r} is not word for word in {rel}"


def test_a_retyped_quote_is_caught(record):
    # The data print a typographic apostrophe in Kirby's words; a straight one is a different
    # quote, and so is a capitalised first word.
    kirby = ("We’re not going to have conversations with Russian leadership without the "
             "Ukrainians being represented.")
    assert kirby in record
    assert kirby.replace("’", "'") not in record
    assert "Unless they are linked to a clear diplomatic strategy" not in record


def test_a_blockquote_marker_is_not_part_of_a_quote():
    text = '> It is consistent with "drafted several months\n> ago" and more.'
    assert [_squash(m) for m in QUOTE.findall(BLOCKQUOTE.sub("", text))] == [
        "drafted several months ago"]
