"""A table of bad inputs across the API, the command line and the data files (issue 7).

Each row is one bad input and the exact outcome it must have: the exception type (exactly, not
a subclass) and the whole message, or the exit status and the whole stderr. One test function
runs every row, so adding a case is adding a row.

How to add cases
----------------
Append to ``CASES`` (in this file, in the section for your area) an instance of one of:

``Raises(id, call, error, message)``
    ``call()`` (no arguments) must raise exactly ``error`` with ``str(exc) == message``.
``Cli(id, argv, status, stderr, stdout="")``
    ``policykit.cli.main(argv)`` run in-process must return (or exit with) ``status`` and write
    exactly ``stderr`` and ``stdout``.
``DamagedFile(id, damage, dataset, error, message)``
    ``damage(folder)`` edits a private copy of the data package, then
    ``policykit.load(dataset)`` must raise exactly ``error`` with ``message``.

or any frozen dataclass with an ``id`` and a ``check(self, env: Env)`` method for another kind
(explorer models, grading runs). Strings are formatted with ``env.fields``: ``{tmp}`` (a fresh
temporary folder), ``{data}`` (the data copy, for DamagedFile), ``{restore}`` (the repair hint
printed for that copy) and ``{datasets}`` (the allowed dataset names as the messages list them).
Write the expected text by hand from what the message must say; never paste the output of the
code under test without checking every word of it.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import policykit
from policykit import _datapackage, analysis, claims
from policykit.cli import main
from policykit.errors import (
    BadValueError,
    CaseNotFoundError,
    ChecksumMismatchError,
    DataIntegrityError,
    DataPackageError,
    DatasetNotFoundError,
    InvalidArgumentError,
    MalformedFileError,
    MissingRoleError,
    SchemaMismatchError,
    UnreadableFileError,
)

# --- The case kinds -----------------------------------------------------------------------------


@dataclass
class Env:
    """What a case may use: a temporary folder, and on request a private data copy."""

    tmp: Path
    request: pytest.FixtureRequest
    fields: dict[str, str] = field(default_factory=dict)

    def data_copy(self) -> Path:
        folder = self.request.getfixturevalue("data_copy")
        version = policykit.__version__
        self.fields.update(data=str(folder), restore=(
            f"Restore it with 'pip install --force-reinstall --no-deps policykit-edu=={version}'."))
        return folder


@dataclass(frozen=True)
class Raises:
    id: str
    call: Callable[[], object]
    error: type[BaseException]
    message: str

    def check(self, env: Env) -> None:
        with pytest.raises(BaseException) as info:
            self.call()
        assert type(info.value) is self.error, repr(info.value)
        assert str(info.value) == self.message.format(**env.fields)


@dataclass(frozen=True)
class Cli:
    id: str
    argv: tuple[str, ...]
    status: int
    stderr: str
    stdout: str = ""

    def check(self, env: Env) -> None:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            try:
                status = main([a.format(**env.fields) for a in self.argv])
            except SystemExit as exc:  # argparse rejects the command line itself
                status = exc.code
        assert (status, err.getvalue(), out.getvalue()) == (
            self.status, self.stderr.format(**env.fields), self.stdout.format(**env.fields))


@dataclass(frozen=True)
class DamagedFile:
    id: str
    damage: Callable[[Path], Any]
    dataset: str
    error: type[BaseException]
    message: str

    def check(self, env: Env) -> None:
        folder = env.data_copy()
        self.damage(folder)
        with pytest.raises(BaseException) as info:
            policykit.load(self.dataset)
        assert type(info.value) is self.error, repr(info.value)
        assert str(info.value) == self.message.format(**env.fields)


@dataclass(frozen=True)
class GradeCli(Cli):
    """``policykit grade`` run in a course folder prepared as ``setup`` says (in ``{tmp}``)."""

    setup: str = "none"

    def __init__(self, id, setup, argv, status, stderr):
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "setup", setup)
        object.__setattr__(self, "argv", argv)
        object.__setattr__(self, "status", status)
        object.__setattr__(self, "stderr", stderr)
        object.__setattr__(self, "stdout", "")

    def check(self, env: Env) -> None:
        from policykit.grading import _sandbox

        course = Path(tempfile.mkdtemp(prefix="policykit-bad-grade-"))
        env.fields["course"] = str(course)
        _grading_course(course, self.setup)
        old = os.getcwd()
        os.chdir(course)
        try:
            if self.setup == "course-no-bwrap":
                with pytest.MonkeyPatch.context() as mp:
                    mp.setattr(_sandbox.shutil, "which", lambda name: None)
                    _sandbox._bwrap.cache_clear()
                    try:
                        super().check(env)
                    finally:
                        _sandbox._bwrap.cache_clear()
            else:
                super().check(env)
        finally:
            os.chdir(old)
            shutil.rmtree(course, ignore_errors=True)


def _grading_course(root: Path, setup: str) -> None:
    """A minimal nbgrader course: ``ps1`` with a submission from alice (no notebooks needed)."""
    (root / "notes.txt").write_text("not a course\n")
    if setup == "none":
        return
    (root / "nbgrader_config.py").write_text("c = get_config()\n")
    (root / "source" / "ps1").mkdir(parents=True)
    if setup != "empty-course":
        (root / "submitted" / "alice" / "ps1").mkdir(parents=True)


_GRADE_COURSE: list[Path] = []


def _grade_in_course(assignment: object) -> object:
    from policykit.grading import grade

    return grade(assignment, course=_GRADE_COURSE[0])


# --- Helpers for the rows ----------------------------------------------------------------------

DATE_ALLOWED = ("Allowed: a string such as '2022-10-24' or '24 Oct 2022', a datetime.date, or a "
                "datetime without a time zone.")
KEY_HELP = ("Keys look like 'h145-117.2022' (House roll 145) or 's191-117.2022' (Senate roll "
            "191).")
ALL_24 = "See policykit.load_rollcalls()[['vote_key', 'label']] for all 24."
SEE_DATASETS = "See policykit.list_datasets() for what each one holds."
SEE_CASES = "See policykit.list_cases() for the cases, or pass the path of a case folder."
POSITIONS = "Allowed: 'Yea', 'Nay', 'Present', 'Not Voting'."
SPELT = "Positions are spelt as in the House Clerk's record ('Yea', 'Nay', ...)."
PARTIES = "Allowed: 'D', 'R', 'I', 'Democrats', 'Republicans', 'Independents'."
STATES = ("Allowed: a two-letter code such as 'MN' or a state's name such as 'Minnesota'.")
SIGNER_STATES = "See policykit.load_signatories()['state'] for the signers' states."
CLAIM_DATE = "Pass the date the claim gives, e.g. '2022-10-25'."


def date_error(what: str, value: str, reason: str, hint: str, next_step: str) -> str:
    hint = f" Did you mean {hint!r}?" if hint else ""
    return (f"{what} must be a date like '2022-10-24' or '24 Oct 2022'; got {value}, which "
            f"{reason}. {DATE_ALLOWED}{hint} {next_step}")


def whole(what: str, value: str, hint: int | None = None) -> str:
    hint_text = f" Did you mean {hint}?" if hint is not None else ""
    return (f"{what} must be a whole number of 0 or more; got {value}. Allowed: 0, 1, 2, ..."
            f"{hint_text} Pass e.g. {what}=30.")


def _members_65():
    return analysis.member_positions("h65-117.2022")


def _write(name: str, content: str | bytes) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return damage


def _edit_descriptor(edit: Callable[[dict], None]) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        path = folder / "datapackage.json"
        package = json.loads(path.read_text(encoding="utf-8"))
        edit(package)
        path.write_text(json.dumps(package), encoding="utf-8")
    return damage


def _resource(package: dict, name: str) -> dict:
    return next(r for r in package["resources"] if r["name"] == name)


def _replace(name: str, old: str, new: str) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        path = folder / f"{name}.csv"
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}.csv: the case needs updating"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return damage


def _re_encode(name: str, encoding: str) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        path = folder / f"{name}.csv"
        path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
    return damage


def _cut_at(name: str, needle: bytes) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        path = folder / f"{name}.csv"
        data = path.read_bytes()
        path.write_bytes(data[:data.index(needle)])
    return damage


def _folder_instead(name: str) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        (folder / name).unlink()
        (folder / name).mkdir()
    return damage


# --- The rows ----------------------------------------------------------------------------------

CASES: list[Any] = [
    # Datasets by name -------------------------------------------------------------------------
    Raises("load-unknown-name", lambda: policykit.load("rollcall"), DatasetNotFoundError,
           "Unknown dataset 'rollcall'. Allowed: {datasets}. Did you mean 'rollcalls'? "
           + SEE_DATASETS),
    Raises("load-int-name", lambda: policykit.load(3), DatasetNotFoundError,
           "Unknown dataset 3 (an int, not a string). Allowed: {datasets}. " + SEE_DATASETS),
    Raises("load-none-name", lambda: policykit.load(None), DatasetNotFoundError,
           "Unknown dataset None (a NoneType, not a string). Allowed: {datasets}. "
           + SEE_DATASETS),
    Raises("describe-wrong-case", lambda: policykit.describe("Signatories"),
           DatasetNotFoundError,
           "Unknown dataset 'Signatories'. Allowed: {datasets}. Did you mean 'signatories'? "
           + SEE_DATASETS),
    Raises("cite-near-name", lambda: policykit.cite("member"), DatasetNotFoundError,
           "Unknown dataset 'member'. Allowed: {datasets}. Did you mean 'members'? "
           + SEE_DATASETS),
    # Cases by id or folder ---------------------------------------------------------------------
    Raises("case-unknown-id", lambda: policykit.case("cpc_letter_2021"), CaseNotFoundError,
           "Unknown case 'cpc_letter_2021'. Allowed: {cases}. Did you mean 'cpc_letter_2022'? "
           + SEE_CASES),
    Raises("case-int-id", lambda: policykit.case(2022), CaseNotFoundError,
           "Unknown case 2022 (an int, not a string). Allowed: {cases}. " + SEE_CASES),
    Raises("case-folder-missing", lambda: policykit.case("/nonexistent/my_case"),
           CaseNotFoundError,
           "The case folder '/nonexistent/my_case' does not exist. Allowed: a folder holding a "
           "datapackage.json with a 'policykit' property, or a shipped case id: {cases}. Check "
           "the path, or see policykit.list_cases()."),
    Raises("case-dataset-unknown", lambda: policykit.case("cpc_letter_2022").load("rollcall"),
           DatasetNotFoundError,
           "Unknown dataset 'rollcall'. Allowed: {datasets}. Did you mean 'rollcalls'? See "
           "policykit.case('cpc_letter_2022').list_datasets() for what each one holds."),
    Raises("case-role-missing", lambda: policykit.case().role("bills"), MissingRoleError,
           "The case 'cpc_letter_2022' has no role 'bills'. It has: {roles}. Pick a case "
           "that has one (policykit.list_cases()), or add it to the 'roles' of the case's "
           "'policykit' property (datasets/cpc_letter_2022/case.json) and rebuild the case."),
    Raises("case-votes-without-chamber", lambda: policykit.case().table("votes"),
           InvalidArgumentError,
           "Unknown chamber None (a NoneType, not a string). Allowed: 'House', 'Senate'. Pass "
           "chamber= one of the chambers case 'cpc_letter_2022' has votes for."),
    # Roll-call keys ----------------------------------------------------------------------------
    Raises("tally-short-key", lambda: policykit.tally("h65"), InvalidArgumentError,
           f"Unknown roll call 'h65'. {KEY_HELP} Did you mean 'h65-117.2022'? {ALL_24}"),
    Raises("tally-int-key", lambda: policykit.tally(145), InvalidArgumentError,
           f"Unknown roll call 145 (an int, not a string). {KEY_HELP} Did you mean "
           f"'h145-117.2022'? {ALL_24}"),
    Raises("tally-numpy-int-key", lambda: policykit.tally(np.int64(191)), InvalidArgumentError,
           f"Unknown roll call np.int64(191) (an int64, not a string). {KEY_HELP} Did you mean "
           f"'s191-117.2022'? {ALL_24}"),
    Raises("tally-upper-case-key", lambda: policykit.tally("H145-117.2022"),
           InvalidArgumentError,
           f"Unknown roll call 'H145-117.2022'. {KEY_HELP} Did you mean 'h145-117.2022'? "
           f"{ALL_24}"),
    Raises("party-breakdown-senate-split", lambda: policykit.party_breakdown(
        "s191-117.2022", split_signers=True), InvalidArgumentError,
        "split_signers=True needs a House roll call; 's191-117.2022' is a Senate vote (the "
        "letter's signers sit in the House). Use split_signers=False."),
    Raises("member-positions-senate", lambda: analysis.member_positions("s191-117.2022"),
           InvalidArgumentError,
           "member_positions() needs a House roll call; 's191-117.2022' is a Senate vote. Use "
           "policykit.load_senate_votes() for senators."),
    Raises("contrast-empty", lambda: policykit.contrast([]), InvalidArgumentError,
           "contrast() needs at least one House roll call; got an empty selection. See "
           "policykit.analysis.vote_keys('House')."),
    Raises("contrast-senate-key", lambda: policykit.contrast(["h65-117.2022", "s78-117.2022"]),
           InvalidArgumentError,
           "contrast() compares the letter's signers, who sit in the House; 's78-117.2022' is a "
           "Senate vote. Pick House keys (they start with 'h')."),
    # Choices -------------------------------------------------------------------------------------
    Raises("vote-keys-lower-case-chamber", lambda: analysis.vote_keys("house"),
           InvalidArgumentError,
           "Unknown chamber 'house'. Allowed: 'House', 'Senate'. Did you mean 'House'? Pass one "
           "of them, or leave chamber out to include all."),
    Raises("vote-keys-unknown-tier", lambda: analysis.vote_keys(tiers=["gold"]),
           InvalidArgumentError,
           "Unknown tier 'gold'. Allowed: 'core', 'optional', 'related'. Pass one of them, or "
           "leave tier out to include all."),
    Raises("vote-keys-tier-as-string-typo", lambda: analysis.vote_keys(tiers="cor"),
           InvalidArgumentError,
           "Unknown tier 'cor'. Allowed: 'core', 'optional', 'related'. Did you mean 'core'? "
           "Pass one of them, or leave tier out to include all."),
    Raises("filter-members-party", lambda: analysis.filter_members(_members_65(), party="Dem"),
           InvalidArgumentError,
           "Unknown party 'Dem'. Allowed: 'D', 'R', 'I'. Pass one of them, or leave party out "
           "to include all."),
    Raises("filter-members-signers", lambda: analysis.filter_members(_members_65(),
                                                                     signers="yes"),
           InvalidArgumentError,
           "Unknown signers filter 'yes'. Allowed: 'all', 'signers', 'non-signers'. Pass one of "
           "them, or leave signers filter out to include all."),
    Raises("signer-grid-sort", lambda: analysis.signer_grid(sort_by="nay"),
           InvalidArgumentError,
           "Unknown sort order 'nay'. Allowed: 'name', 'state', 'ideology', 'nays'. Did you "
           "mean 'nays'? Pass one of them, or leave sort order out to include all."),
    Raises("signer-grid-sort-not-a-string", lambda: analysis.signer_grid(sort_by=1),
           InvalidArgumentError,
           "Unknown sort order 1 (an int, not a string). Allowed: 'name', 'state', 'ideology', "
           "'nays'. Pass one of them, or leave sort order out to include all."),
    Raises("party-breakdown-flag-as-text", lambda: policykit.party_breakdown(
        "h65-117.2022", split_signers="no"), InvalidArgumentError,
        "split_signers must be True or False; got 'no'. Allowed: True, False. Pass "
        "split_signers=True to split the Democrats, or leave it out."),
    Raises("contrast-int-key", lambda: policykit.contrast(65), InvalidArgumentError,
           f"Unknown roll call 65 (an int, not a string). {KEY_HELP} Did you mean "
           f"'h65-117.2022'? {ALL_24}"),
    Raises("vote-keys-tier-not-a-string", lambda: analysis.vote_keys(tiers=1),
           InvalidArgumentError,
           "Unknown tier 1 (an int, not a string). Allowed: 'core', 'optional', 'related'. "
           "Pass one of them, or leave tier out to include all."),
    # Frames from other helpers ---------------------------------------------------------------
    Raises("filter-members-not-a-frame", lambda: analysis.filter_members([1, 2]),
           InvalidArgumentError,
           "frame must be a DataFrame from policykit.analysis.member_positions(); got a list. "
           "Allowed: a pandas DataFrame with the columns 'party', 'state', 'signer'. Pass e.g. "
           "member_positions('h65-117.2022')."),
    Raises("position-counts-wrong-frame", lambda: analysis.position_counts(
        policykit.load_signatories()), InvalidArgumentError,
        "frame must be a DataFrame from policykit.analysis.member_positions(); got a DataFrame "
        "without 'position'. Allowed: a pandas DataFrame with the column 'position'. Pass e.g. "
        "member_positions('h65-117.2022')."),
    Raises("position-counts-renamed-column", lambda: analysis.position_counts(
        pd.DataFrame({"positions": ["Yea"]})), InvalidArgumentError,
        "frame must be a DataFrame from policykit.analysis.member_positions(); got a DataFrame "
        "without 'position' (did you mean 'positions'?). Allowed: a pandas DataFrame with the "
        "column 'position'. Pass e.g. member_positions('h65-117.2022')."),
    Raises("filter-timeline-not-a-frame", lambda: analysis.filter_timeline("timeline"),
           InvalidArgumentError,
           "frame must be a DataFrame from policykit.analysis.timeline(); got a str. Allowed: a "
           "pandas DataFrame with the columns 'date', 'kind', 'lane'. Pass e.g. timeline()."),
    # Phrases -------------------------------------------------------------------------------------
    Raises("find-passages-blank", lambda: analysis.find_passages("  "), InvalidArgumentError,
           "find_passages() needs a non-empty phrase to search for; got '  '. Try e.g. "
           "find_passages('ceasefire')."),
    Raises("find-passages-number", lambda: analysis.find_passages(5), InvalidArgumentError,
           "find_passages() needs a non-empty phrase to search for; got 5. Try e.g. "
           "find_passages('ceasefire')."),
    Raises("find-in-record-number", lambda: analysis.find_in_record(5), InvalidArgumentError,
           "phrase must be a string; got int 5. Try e.g. find_in_record('diplomacy')."),
    # Dates ---------------------------------------------------------------------------------------
    Raises("timeline-int-date", lambda: analysis.timeline(as_known_on=20221024),
           InvalidArgumentError,
           date_error("as_known_on", "20221024", "is a number, not a date", "2022-10-24",
                      "Pass None to see everything.")),
    Raises("timeline-float-date", lambda: analysis.timeline(as_known_on=2022.5),
           InvalidArgumentError,
           date_error("as_known_on", "2022.5", "is a number, not a date", "",
                      "Pass None to see everything.")),
    Raises("timeline-bool-date", lambda: analysis.timeline(as_known_on=True),
           InvalidArgumentError,
           date_error("as_known_on", "True", "is a boolean, not a date", "",
                      "Pass None to see everything.")),
    Raises("timeline-words", lambda: analysis.timeline(as_known_on="last Tuesday"),
           InvalidArgumentError,
           date_error("as_known_on", "'last Tuesday'", "is not a date policykit can read", "",
                      "Pass None to see everything.")),
    Raises("timeline-no-year", lambda: analysis.timeline(as_known_on="October 24"),
           InvalidArgumentError,
           date_error("as_known_on", "'October 24'", "has no year", "2022-10-24",
                      "Pass None to see everything.")),
    Raises("timeline-day-month-swapped", lambda: analysis.timeline(as_known_on="2022-24-10"),
           InvalidArgumentError,
           date_error("as_known_on", "'2022-24-10'", "is not a real date (year-month-day)",
                      "2022-10-24", "Pass None to see everything.")),
    Raises("timeline-nat", lambda: analysis.timeline(as_known_on=pd.NaT), InvalidArgumentError,
           date_error("as_known_on", "NaT", "is missing (NaT)", "",
                      "Pass None to see everything.")),
    Raises("timeline-tz-aware", lambda: analysis.timeline(
        as_known_on=pd.Timestamp("2022-10-24 22:00", tz="UTC")), InvalidArgumentError,
        date_error("as_known_on", "Timestamp('2022-10-24 22:00:00+0000', tz='UTC')",
                   "carries a time zone (UTC)", "2022-10-24", "Pass None to see everything.")),
    Raises("filter-timeline-float-start", lambda: analysis.filter_timeline(
        analysis.timeline(), start=1.5), InvalidArgumentError,
        date_error("start", "1.5", "is a number, not a date", "", "Pass None for no bound.")),
    Raises("filter-timeline-list-end", lambda: analysis.filter_timeline(
        analysis.timeline(), end=["2022-10-24"]), InvalidArgumentError,
        date_error("end", "['2022-10-24']", "is a list, not a date", "",
                   "Pass None for no bound.")),
    # Claims --------------------------------------------------------------------------------------
    Raises("vote-totals-nothing-claimed", lambda: claims.vote_totals("h65-117.2022"),
           InvalidArgumentError,
           "vote_totals() needs the reported totals; got neither yea nor nay. Allowed: whole "
           "numbers. Pass e.g. vote_totals('h65-117.2022', yea=361, nay=69)."),
    Raises("vote-totals-float", lambda: claims.vote_totals("h65-117.2022", yea=361.0),
           InvalidArgumentError, whole("yea", "361.0", 361)),
    Raises("vote-totals-text", lambda: claims.vote_totals("h65-117.2022", nay="69"),
           InvalidArgumentError, whole("nay", "'69'", 69)),
    Raises("vote-totals-negative", lambda: claims.vote_totals("h65-117.2022", yea=-1),
           InvalidArgumentError, whole("yea", "-1")),
    Raises("vote-totals-numpy-bool", lambda: claims.vote_totals("h65-117.2022",
                                                               yea=np.bool_(True)),
           InvalidArgumentError, whole("yea", "np.True_")),
    Raises("signer-count-bool", lambda: claims.signer_count(True), InvalidArgumentError,
           whole("n", "True")),
    Raises("signer-count-numpy-float", lambda: claims.signer_count(np.float64(30.0)),
           InvalidArgumentError, whole("n", "np.float64(30.0)", 30)),
    Raises("signers-voted-position", lambda: claims.signers_voted("h145-117.2022", "yes"),
           InvalidArgumentError,
           f"Unknown position 'yes'. {POSITIONS} Did you mean 'Yea'? {SPELT}"),
    Raises("signers-voted-senate", lambda: claims.signers_voted("s191-117.2022"),
           InvalidArgumentError,
           "signers_voted() is about the letter's signers, who sit in the House; "
           "'s191-117.2022' is a Senate vote. Allowed: House keys, which start with 'h'. See "
           "policykit.analysis.vote_keys('House')."),
    Raises("signers-voted-count-float", lambda: claims.signers_voted("h65-117.2022", "Nay",
                                                                     count=13.5),
           InvalidArgumentError, whole("count", "13.5")),
    Raises("only-party-unknown-party", lambda: claims.only_party_voted("h65-117.2022", "Nay",
                                                                       "Greens"),
           InvalidArgumentError,
           f"Unknown party 'Greens'. {PARTIES} Use 'D', 'R' or 'I' (or the party's name)."),
    Raises("only-party-typo", lambda: claims.only_party_voted("h65-117.2022", "Nay",
                                                              "Republcans"),
           InvalidArgumentError,
           f"Unknown party 'Republcans'. {PARTIES} Did you mean 'Republicans'? Use 'D', 'R' or "
           "'I' (or the party's name)."),
    Raises("signer-state-typo", lambda: claims.signer_state("Omar", "Minesota"),
           InvalidArgumentError,
           f"Unknown state 'Minesota'. {STATES} Did you mean 'Minnesota'? {SIGNER_STATES}"),
    Raises("signer-state-number", lambda: claims.signer_state("Omar", 27), InvalidArgumentError,
           f"Unknown state 27 (an int, not a string). {STATES} {SIGNER_STATES}"),
    Raises("event-date-int", lambda: claims.event_date("withdrawal", 20221025),
           InvalidArgumentError,
           date_error("date", "20221025", "is a number, not a date", "2022-10-25", CLAIM_DATE)),
    Raises("event-date-tz-aware", lambda: claims.event_date(
        "withdrawal", pd.Timestamp("2022-10-25", tz="Europe/Kyiv")), InvalidArgumentError,
        date_error("date", "Timestamp('2022-10-25 00:00:00+0300', tz='Europe/Kyiv')",
                   "carries a time zone (EEST)", "2022-10-25", CLAIM_DATE)),
    Raises("event-date-slashes", lambda: claims.event_date("withdrawal", "25/10/2022"),
           InvalidArgumentError,
           date_error("date", "'25/10/2022'", "is not a date policykit can read", "",
                      CLAIM_DATE)),
    Raises("event-date-no-year", lambda: claims.event_date("withdrawal", "Oct 25"),
           InvalidArgumentError,
           date_error("date", "'Oct 25'", "has no year", "2022-10-25", CLAIM_DATE)),
    Raises("event-date-impossible", lambda: claims.event_date("withdrawal", "31 Sep 2022"),
           InvalidArgumentError,
           date_error("date", "'31 Sep 2022'", "is not a real date", "", CLAIM_DATE)),
    # Command line ------------------------------------------------------------------------------
    Cli("cli-describe-unknown", ("describe", "signers"), 2,
        "policykit: error: Unknown dataset 'signers'. Allowed: {datasets}. Did you mean "
        f"'signatories'? {SEE_DATASETS}\n"),
    Cli("cli-cite-unknown", ("cite", "vote"), 2,
        f"policykit: error: Unknown dataset 'vote'. Allowed: {{datasets}}. {SEE_DATASETS}\n"),
    Cli("cli-no-command", (), 2,
        "usage: policykit [-h] COMMAND ...\n"
        "policykit: error: the following arguments are required: COMMAND\n"),
    Cli("cli-export-bad-format", ("export", "events", "--format", "xml"), 2,
        "usage: policykit export [-h] [--format {{csv,json}}] [--output OUTPUT] [--force]\n"
        "                        [--case ID]\n"
        "                        name\n"
        "policykit export: error: argument --format: invalid choice: 'xml' (choose from 'csv', "
        "'json')\n"),
    Cli("cli-export-missing-folder", ("export", "events", "-o", "{tmp}/missing/events.csv"), 1,
        "policykit: error: cannot write '{tmp}/missing/events.csv': the folder "
        "'{tmp}/missing' does not exist; nothing was written. Create it first (mkdir -p "
        "{tmp}/missing), or choose another --output.\n"),
    Cli("cli-export-to-folder", ("export", "events", "-o", "{tmp}"), 2,
        "policykit: error: '{tmp}' is a folder; nothing was written. --output needs a file "
        "name, e.g. '{tmp}/data.csv'.\n"),
    Cli("cli-export-to-folder-force", ("export", "events", "-o", "{tmp}", "--force"), 2,
        "policykit: error: '{tmp}' is a folder; nothing was written. --output needs a file "
        "name, e.g. '{tmp}/data.csv'.\n"),
    Cli("cli-export-unknown-dataset", ("export", "rollcall", "-o", "{tmp}/x.csv"), 2,
        "policykit: error: Unknown dataset 'rollcall'. Allowed: {datasets}. Did you mean "
        f"'rollcalls'? {SEE_DATASETS}\n"),
    Cli("cli-unknown-case", ("list", "--case", "cpc_letter"), 2,
        "policykit: error: Unknown case 'cpc_letter'. Allowed: {cases}. Did you mean "
        f"'cpc_letter_2022'? {SEE_CASES}\n"),
    Cli("cli-case-folder-without-descriptor", ("describe", "events", "--case", "{tmp}/"), 2,
        "policykit: error: The folder '{tmp}/' has no datapackage.json, so it is not a "
        "policykit case. Allowed: a folder holding a datapackage.json with a 'policykit' "
        "property, or a shipped case id: {cases}. Build the case first (see datasets/README.md), "
        "or check the path.\n"),
    # Damaged data files --------------------------------------------------------------------------
    DamagedFile("descriptor-missing", lambda d: (d / "datapackage.json").unlink(), "events",
                DataPackageError,
                "The data package descriptor 'datapackage.json' in {data} is damaged: the file "
                "is missing. policykit cannot load any table without it. {restore}"),
    DamagedFile("descriptor-not-json", _write("datapackage.json", '{"resources": ['),
                "members", DataPackageError,
                "The data package descriptor 'datapackage.json' in {data} is damaged: it is not "
                "valid JSON (Expecting value at line 1, column 16). policykit cannot load any "
                "table without it. {restore}"),
    DamagedFile("descriptor-hash-missing", _edit_descriptor(
        lambda p: _resource(p, "rollcalls").pop("hash")), "members", DataPackageError,
        "The data package descriptor 'datapackage.json' in {data} is damaged: the resource "
        "'rollcalls' has no 'hash'. Each resource needs: name, path, schema, hash, bytes, title, "
        "description, unit, caveats, licenses, sources. policykit cannot load any table without "
        "it. {restore}"),
    DamagedFile("descriptor-resource-missing", _edit_descriptor(
        lambda p: p["resources"].remove(_resource(p, "signatories"))), "members",
        DataPackageError,
        "The data package descriptor 'datapackage.json' in {data} is damaged: the resource "
        "'signatories' is missing. Expected resources: {table_names}. policykit cannot load any "
        "table without it. {restore}"),
    DamagedFile("descriptor-path-changed", _edit_descriptor(
        lambda p: _resource(p, "events").update(path="/etc/passwd")), "events",
        DataPackageError,
        "The data package descriptor 'datapackage.json' in {data} is damaged: the path of "
        "resource 'events' is '/etc/passwd'. policykit ships it as 'events.csv'. policykit "
        "cannot load any table without it. {restore}"),
    DamagedFile("case-role-missing-from-descriptor", _edit_descriptor(
        lambda p: p["policykit"]["roles"].pop("rollcalls")), "events", DataPackageError,
        "The data package descriptor 'datapackage.json' in {data} is damaged: the 'policykit' "
        "property has no role 'rollcalls'. Required roles: rollcalls, votes, sources. policykit "
        "cannot load any table without it. {restore}"),
    DamagedFile("case-role-names-unknown-table", _edit_descriptor(
        lambda p: p["policykit"]["roles"]["votes"]["House"].update(resource="house_vote")),
        "events", DataPackageError,
        "The data package descriptor 'datapackage.json' in {data} is damaged: the role 'votes' "
        "(House) in the 'policykit' property names the resource 'house_vote', which is not in "
        "'resources'. Allowed: {table_names}. Did you mean 'house_votes'? policykit cannot "
        "load any table without it. {restore}"),
    DamagedFile("file-missing", lambda d: (d / "events.csv").unlink(), "events",
                DataIntegrityError,
                "The data file 'events.csv' (dataset 'events') is missing from {data}. "
                "{restore}"),
    DamagedFile("file-is-a-folder", _folder_instead("events.csv"), "events",
                UnreadableFileError,
                "The data file 'events.csv' (dataset 'events') in {data} cannot be read: it is a "
                "folder, not a file. policykit needs to read it as a file. Check its "
                "permissions, or r{restore_tail}"),
    DamagedFile("file-utf16", _re_encode("members", "utf-16"), "members", MalformedFileError,
                "'members.csv' (dataset 'members') is not UTF-8 text: it has been re-encoded as "
                "UTF-16. policykit reads UTF-8 CSV with {members_width} fields per row. "
                "{restore}"),
    DamagedFile("file-truncated-in-quotes", _cut_at("letter_passages", b"proactive diplomatic"),
                "letter_passages", MalformedFileError,
                "'letter_passages.csv' (dataset 'letter_passages') is not valid CSV: the row "
                "starting on line {push_line} ends inside a quoted field (the file looks "
                "truncated). policykit reads UTF-8 CSV with {passages_width} fields per row. "
                "{restore}"),
    DamagedFile("cell-not-an-integer", _replace("rollcalls", ",361,69,", ",3x1,69,"),
                "rollcalls", BadValueError,
                "Bad value in 'rollcalls.csv' (dataset 'rollcalls'), column 'yea', row 2 (line "
                "3): '3x1' is not an integer. {restore}"),
    DamagedFile("column-renamed", _replace("signatories", "bioguide_id,name,", "bioguide,name,"),
                "signatories", SchemaMismatchError,
                "'signatories.csv' (dataset 'signatories') does not match its schema: column "
                "'bioguide_id' is missing (renamed to 'bioguide'?). Expected columns: "
                "{signatories_columns}. {restore}"),
    DamagedFile("edit-that-fits-the-schema", _replace(
        "rollcalls", "Supporting the people of Ukraine", "Supporting Ukraine"), "rollcalls",
        ChecksumMismatchError,
        "'rollcalls.csv' (dataset 'rollcalls') has been changed: its sha256 checksum does not "
        "match the one recorded in datapackage.json, although every value still fits the "
        "schema. {restore}"),
    # Grading (policykit grade) -----------------------------------------------------------------
    *[GradeCli(*row) for row in (
        ("grade-not-a-course", "none", ("grade", "ps1", "--course", "{course}"), 2,
         "policykit: error: No nbgrader_config.py in '{course}' ({course}): policykit grade "
         "runs from an nbgrader course folder. Change to the course folder (for this package, "
         "'lessons/') or pass --course DIR.\n"),
        ("grade-course-is-a-file", "none", ("grade", "ps1", "--course", "{course}/notes.txt"), 2,
         "policykit: error: No nbgrader_config.py in '{course}/notes.txt' ({course}/notes.txt): "
         "policykit grade runs from an nbgrader course folder. Change to the course folder (for "
         "this package, 'lessons/') or pass --course DIR.\n"),
        ("grade-unknown-assignment", "course", ("grade", "ps01", "--course", "{course}"), 2,
         "policykit: error: Unknown assignment 'ps01': no folder source/ps01 in {course}. "
         "Assignments: ps1. Did you mean 'ps1'? Run 'nbgrader generate_assignment NAME' for a "
         "new one.\n"),
        ("grade-empty-assignment", "course", ("grade", "", "--course", "{course}"), 2,
         "policykit: error: Unknown assignment '': no folder source/ in {course}. Assignments: "
         "ps1. Run 'nbgrader generate_assignment NAME' for a new one.\n"),
        ("grade-unknown-student", "course",
         ("grade", "ps1", "--course", "{course}", "--student", "alise", "--no-sandbox"), 2,
         "policykit: error: No submission of 'ps1' from 'alise' in {course}/submitted. Students "
         "with one: alice. Did you mean 'alice'? Collect first ('nbgrader collect ps1') or "
         "check the name.\n"),
        ("grade-no-submissions", "empty-course", ("grade", "ps1", "--course", "{course}",
                                                  "--no-sandbox"), 2,
         "policykit: error: No submissions of 'ps1' under {course}/submitted. Collect them first "
         "('nbgrader collect ps1'), or copy them to submitted/<student>/ps1/.\n"),
        ("grade-timeout-zero", "course", ("grade", "ps1", "--timeout", "0"), 2,
         "usage: policykit grade [-h] [--course COURSE] [--student NAME]\n"
         "                       [--timeout TIMEOUT] [--jobs N] [--no-sandbox]\n"
         "                       assignment\n"
         "policykit grade: error: argument --timeout: '0' is not a whole number of seconds "
         "above 0\n"),
        ("grade-timeout-word", "course", ("grade", "ps1", "--timeout", "soon"), 2,
         "usage: policykit grade [-h] [--course COURSE] [--student NAME]\n"
         "                       [--timeout TIMEOUT] [--jobs N] [--no-sandbox]\n"
         "                       assignment\n"
         "policykit grade: error: argument --timeout: 'soon' is not a whole number of seconds "
         "above 0\n"),
        ("grade-jobs-zero", "course", ("grade", "ps1", "--jobs", "0"), 2,
         "usage: policykit grade [-h] [--course COURSE] [--student NAME]\n"
         "                       [--timeout TIMEOUT] [--jobs N] [--no-sandbox]\n"
         "                       assignment\n"
         "policykit grade: error: argument --jobs/-j: '0' is not a whole number above 0\n"),
        ("grade-no-assignment", "none", ("grade",), 2,
         "usage: policykit grade [-h] [--course COURSE] [--student NAME]\n"
         "                       [--timeout TIMEOUT] [--jobs N] [--no-sandbox]\n"
         "                       assignment\n"
         "policykit grade: error: the following arguments are required: assignment\n"),
        ("grade-without-bubblewrap", "course-no-bwrap", ("grade", "ps1", "--course", "{course}"), 2,
         "policykit: error: policykit grade runs every submission in a bubblewrap sandbox, but "
         "the 'bwrap' command was not found on PATH. Install bubblewrap (Debian/Ubuntu: "
         "'apt-get install bubblewrap'; Fedora: 'dnf install bubblewrap'), or pass --no-sandbox "
         "to grade without isolation (only for submissions you trust).\n"),
    )],
    Raises("grade-assignment-not-a-string", lambda: _grade_in_course(3), InvalidArgumentError,
           "The assignment must be given by name (a string); got int 3. Assignments in "
           "{grade_course}: ps1."),
]


# --- The one test ------------------------------------------------------------------------------

def _prepare_grade_course() -> Path:
    if _GRADE_COURSE:
        return _GRADE_COURSE[0]
    root = Path(tempfile.mkdtemp(prefix="policykit-bad-grade-"))
    _grading_course(root, "course")
    _GRADE_COURSE[:] = [root]
    return root


def _fields(tmp: Path) -> dict[str, str]:
    names = policykit.list_datasets()
    fields = {f["name"] for f in _datapackage.resource("signatories")["schema"]["fields"]}
    assert "bioguide_id" in fields
    shipped = _datapackage.data_dir()
    passages = (shipped / "letter_passages.csv").read_bytes()
    header = {n: (shipped / f"{n}.csv").read_text(encoding="utf-8").split("\n", 1)[0]
              for n in ("members", "letter_passages", "signatories")}
    version = policykit.__version__
    return {
        "tmp": str(tmp),
        "grade_course": str(_prepare_grade_course()),
        "datasets": ", ".join(repr(n) for n in names),
        "cases": ", ".join(repr(c) for c in policykit.list_cases()),
        "roles": ", ".join(repr(r) for r in policykit.case().config["roles"]),
        "table_names": ", ".join(names),
        "members_width": str(header["members"].count(",") + 1),
        "passages_width": str(header["letter_passages"].count(",") + 1),
        "signatories_columns": header["signatories"].replace(",", ", "),
        "push_line": str(passages[:passages.index(b"proactive diplomatic")].count(b"\n") + 1),
        "restore_tail": ("estore it with 'pip install --force-reinstall --no-deps "
                         f"policykit-edu=={version}'."),
    }


def test_there_are_enough_cases():
    assert len(CASES) >= 45
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids)), "case ids must be unique"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case, tmp_path, request):
    work = tmp_path / "work"
    work.mkdir()
    env = Env(tmp=work, request=request, fields=_fields(work))
    case.check(env)
    # Nothing a rejected command might have written is left behind.
    if isinstance(case, Cli):
        assert [p.name for p in work.iterdir()] == [], "a rejected command wrote a file"
    shutil.rmtree(work, ignore_errors=True)
