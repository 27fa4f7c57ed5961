"""Bad input and damaged data give clear, exact messages, and lose nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import policykit
from policykit import _datapackage
from policykit.analysis import contrast, find_passages, party_breakdown, tally, timeline
from policykit.errors import (
    BadValueError,
    ChecksumMismatchError,
    DataIntegrityError,
    DataPackageError,
    DatasetNotFoundError,
    InvalidArgumentError,
    MalformedFileError,
    PolicykitError,
    SchemaMismatchError,
    UnreadableFileError,
)

AVAILABLE = ("members, signatories, rollcalls, house_votes, senate_votes, letter_passages, "
             "letter_drafts, statements, responses, organizations, events, sources")
ALLOWED = ", ".join(repr(n) for n in AVAILABLE.split(", "))
RESTORE = "Restore it with 'pip install --force-reinstall --no-deps policykit-edu==0.1.0'."


def test_unknown_dataset_suggests_closest():
    with pytest.raises(DatasetNotFoundError) as info:
        policykit.load("rollcall")
    assert str(info.value) == (
        f"Unknown dataset 'rollcall'. Allowed: {ALLOWED}. Did you mean 'rollcalls'? "
        "See policykit.list_datasets() for what each one holds.")
    assert isinstance(info.value, PolicykitError) and isinstance(info.value, LookupError)


def test_dataset_name_must_be_a_string():
    with pytest.raises(DatasetNotFoundError) as info:
        policykit.describe(3)
    assert str(info.value) == (
        f"Unknown dataset 3 (an int, not a string). Allowed: {ALLOWED}. "
        "See policykit.list_datasets() for what each one holds.")


def _damage(data_copy, name, old, new):
    path = data_copy / f"{name}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_bad_integer_names_file_column_and_row(data_copy):
    _damage(data_copy, "rollcalls", ",361,69,", ",3x1,69,")
    with pytest.raises(BadValueError) as info:
        policykit.load("rollcalls")
    assert str(info.value) == (
        "Bad value in 'rollcalls.csv' (dataset 'rollcalls'), column 'yea', row 2 (line 3): "
        f"'3x1' is not an integer. {RESTORE}")


def test_value_outside_allowed_set(data_copy):
    _damage(data_copy, "house_votes", ",Yea,", ",Yes,")
    with pytest.raises(BadValueError) as info:
        policykit.load_house_votes()
    assert str(info.value) == (
        "Bad value in 'house_votes.csv' (dataset 'house_votes'), column 'position', row 1 "
        "(line 2): 'Yes' is not an allowed value (allowed: 'Yea', 'Nay', 'Present', "
        f"'Not Voting'; did you mean 'Yea'?). {RESTORE}")


def test_bad_date(data_copy):
    _damage(data_copy, "events", "invasion,2022-02-24", "invasion,2022-24-02")
    with pytest.raises(BadValueError) as info:
        policykit.load("events")
    assert str(info.value) == (
        "Bad value in 'events.csv' (dataset 'events'), column 'date', row 1 (line 2): "
        f"'2022-24-02' is not a date (YYYY-MM-DD). {RESTORE}")


def test_missing_required_value(data_copy):
    _damage(data_copy, "signatories", "\nJ000298,", "\n,")
    with pytest.raises(BadValueError, match=r"column 'bioguide_id', row 1 \(line 2\): the cell "
                       r"is empty but the column is required"):
        policykit.load("signatories")


def test_renamed_column(data_copy):
    _damage(data_copy, "rollcalls", ",yea,", ",yeas,")
    with pytest.raises(SchemaMismatchError) as info:
        policykit.load("rollcalls")
    message = str(info.value)
    assert message.startswith("'rollcalls.csv' (dataset 'rollcalls') does not match its "
                              "schema: column 'yea' is missing (renamed to 'yeas'?). "
                              "Expected columns: vote_key, chamber, ")
    assert message.endswith(RESTORE)


def test_edit_that_fits_the_schema_is_still_caught(data_copy):
    _damage(data_copy, "rollcalls", "Supporting the people of Ukraine", "Supporting Ukraine")
    with pytest.raises(ChecksumMismatchError) as info:
        policykit.load("rollcalls")
    assert str(info.value) == (
        "'rollcalls.csv' (dataset 'rollcalls') has been changed: its sha256 checksum does not "
        "match the one recorded in datapackage.json, although every value still fits the "
        f"schema. {RESTORE}")


def test_missing_file(data_copy):
    (data_copy / "events.csv").unlink()
    with pytest.raises(DataIntegrityError) as info:
        policykit.load("events")
    assert str(info.value) == (
        f"The data file 'events.csv' (dataset 'events') is missing from {data_copy}. {RESTORE}")


def test_damage_is_reported_not_repaired(data_copy):
    path = _damage(data_copy, "rollcalls", ",361,69,", ",3x1,69,")
    before = path.read_bytes()
    with pytest.raises(BadValueError):
        policykit.load("rollcalls")
    assert path.read_bytes() == before


def test_checkout_hint_points_at_git(tmp_path, monkeypatch):
    from policykit import _datapackage

    (tmp_path / ".git").mkdir()
    (tmp_path / "datasets").mkdir()
    hint = _datapackage._restore_hint(tmp_path / "datasets" / "events.csv")
    assert hint == ("Restore it with 'git checkout -- datasets/events.csv' (or rebuild with "
                    "'python datasets/build/build.py').")



# --- A damaged datapackage.json ----------------------------------------------------------------

def _descriptor_error(data_copy, problem, allowed=""):
    allowed = f" {allowed}" if allowed else ""
    return (f"The data package descriptor 'datapackage.json' in {data_copy} is damaged: "
            f"{problem}.{allowed} policykit cannot load any table without it. {RESTORE}")


def _edit_descriptor(data_copy, edit):
    path = data_copy / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    edit(package)
    path.write_text(json.dumps(package), encoding="utf-8")


def _events(package):
    return next(r for r in package["resources"] if r["name"] == "events")


TABLES = AVAILABLE
KEYS = "name, path, schema, hash, bytes, title, description, unit, caveats, licenses, sources"


def _drop_events(package):
    package["resources"].remove(_events(package))


@pytest.mark.parametrize(("damage", "problem", "allowed"), [
    (lambda d: (d / "datapackage.json").unlink(), "the file is missing", ""),
    (lambda d: (d / "datapackage.json").write_text("{ not json", encoding="utf-8"),
     "it is not valid JSON (Expecting property name enclosed in double quotes at line 1, "
     "column 3)", ""),
    (lambda d: (d / "datapackage.json").write_text("", encoding="utf-8"),
     "it is not valid JSON (Expecting value at line 1, column 1)", ""),
    (lambda d: (d / "datapackage.json").write_bytes(b'{"title": "caf\xe9"}'),
     "it is not UTF-8 text (byte 0xe9 at offset 14)", ""),
    (lambda d: (d / "datapackage.json").write_text("[]", encoding="utf-8"),
     "it holds a JSON list, not an object", ""),
    (lambda d: _edit_descriptor(d, _drop_events),
     "the resource 'events' is missing", f"Expected resources: {TABLES}."),
    (lambda d: _edit_descriptor(d, lambda p: _events(p).update(name="event")),
     "the resource 'events' is missing (renamed to 'event'?)", f"Expected resources: {TABLES}."),
    (lambda d: _edit_descriptor(d, lambda p: _events(p).pop("hash")),
     "the resource 'events' has no 'hash'", f"Each resource needs: {KEYS}."),
    (lambda d: _edit_descriptor(d, lambda p: _events(p).update(hash="")),
     "the hash of resource 'events' is ''",
     "Allowed: 'sha256:' followed by 64 lowercase hex digits."),
    (lambda d: _edit_descriptor(d, lambda p: _events(p).update(path="../events.csv")),
     "the path of resource 'events' is '../events.csv'", "policykit ships it as 'events.csv'."),
    (lambda d: _edit_descriptor(d, lambda p: p.pop("resources")),
     "the key 'resources' is missing", "Required keys: title, version, sources, resources."),
], ids=["missing", "invalid-json", "empty", "not-utf8", "not-an-object", "resource-missing",
        "resource-renamed", "hash-missing", "hash-empty", "path-changed", "no-resources"])
def test_damaged_descriptor_names_the_file_and_the_fix(data_copy, damage, problem, allowed):
    damage(data_copy)
    for use in (lambda: policykit.load("events"), policykit.list_datasets,
                lambda: policykit.describe("members")):
        with pytest.raises(DataPackageError) as info:
            use()
        assert str(info.value) == _descriptor_error(data_copy, problem, allowed)
        assert isinstance(info.value, DataIntegrityError)


def test_a_repaired_descriptor_is_read_again(data_copy):
    path = data_copy / "datapackage.json"
    good = path.read_bytes()
    path.write_text("{", encoding="utf-8")
    with pytest.raises(DataPackageError):
        policykit.load("events")
    path.write_bytes(good)
    assert len(policykit.load("events")) > 0


@pytest.mark.parametrize("text", ["{ not json", ""])
def test_import_succeeds_with_a_damaged_descriptor(tmp_path, text):
    """``import policykit`` works; the clear error comes when the data is used."""
    import shutil
    import subprocess
    import sys

    root = Path(policykit.__file__).parent
    tree = tmp_path / "tree"
    shutil.copytree(root, tree / "policykit", ignore=shutil.ignore_patterns("__pycache__"))
    case = tree / "policykit" / "_data" / _datapackage.data_dir().name
    shutil.copytree(_datapackage.data_dir(), case,
                    ignore=shutil.ignore_patterns("scripts", "__pycache__"))
    (case / "datapackage.json").write_text(text, encoding="utf-8")
    code = ("import policykit\nprint(policykit.__file__)\ntry:\n    policykit.load_events()\n"
            "except policykit.errors.DataPackageError as e:\n    print(type(e).__name__)\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=tree, capture_output=True,
                            text=True, check=False, env={"PYTHONPATH": str(tree), "PATH": ""})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(tree / "policykit" / "__init__.py"), "DataPackageError"]


# --- Data files that are no longer UTF-8 CSV, or cannot be read ---------------------------------

def _line_of(path, needle):
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def test_file_truncated_inside_a_quoted_field(data_copy):
    path = data_copy / "letter_passages.csv"
    data = path.read_bytes()
    cut = data.index(b"proactive diplomatic push")  # inside the quoted text of a passage
    line = data[:cut].count(b"\n") + 1
    path.write_bytes(data[:cut])
    with pytest.raises(MalformedFileError) as info:
        policykit.load("letter_passages")
    width = len(_datapackage.resource("letter_passages")["schema"]["fields"])
    assert str(info.value) == (
        f"'letter_passages.csv' (dataset 'letter_passages') is not valid CSV: the row starting "
        f"on line {line} ends inside a quoted field (the file looks truncated). policykit reads "
        f"UTF-8 CSV with {width} fields per row. {RESTORE}")


def test_file_truncated_inside_a_row(data_copy):
    path = data_copy / "rollcalls.csv"
    data = path.read_bytes()
    assert data.split(b"\n", 1)[0].count(b",") + 1 == 42  # the header names 42 columns
    cut = data.index(b"h145-117.2022,House,117,2,145,") + len(b"h145-117.2022,House,117,2,145,")
    path.write_bytes(data[:cut])
    with pytest.raises(MalformedFileError) as info:
        policykit.load("rollcalls")
    assert str(info.value) == (
        f"'rollcalls.csv' (dataset 'rollcalls') is not valid CSV: the row on line "
        f"{_line_of(path, 'h145-117.2022')} has 6 fields, expected 42 (the file looks truncated "
        f"or edited). policykit reads UTF-8 CSV with 42 fields per row. {RESTORE}")


@pytest.mark.parametrize(("encoding", "label"), [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"),
                                                 ("utf-8-sig", "UTF-8 with a byte-order mark")])
def test_file_re_encoded(data_copy, encoding, label):
    path = data_copy / "signatories.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
    with pytest.raises(MalformedFileError) as info:
        policykit.load("signatories")
    assert str(info.value) == (
        f"'signatories.csv' (dataset 'signatories') is not UTF-8 text: it has been re-encoded "
        f"as {label}. policykit reads UTF-8 CSV with 12 fields per row. {RESTORE}")


def test_file_re_encoded_as_latin1(data_copy):
    path = data_copy / "signatories.csv"
    line = _line_of(path, "André Carson")  # the first non-ASCII character of the file: é
    assert path.read_text(encoding="utf-8").split("é")[0].isascii()
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    with pytest.raises(MalformedFileError) as info:
        policykit.load("signatories")
    assert str(info.value) == (
        f"'signatories.csv' (dataset 'signatories') is not UTF-8 text: byte 0xe9 on line {line} "
        "cannot be decoded (the file looks re-encoded, e.g. as Latin-1). policykit reads UTF-8 "
        f"CSV with 12 fields per row. {RESTORE}")


def test_unreadable_file(data_copy, monkeypatch):
    import os

    path = data_copy / "events.csv"
    path.chmod(0)
    if os.geteuid() == 0:
        # root reads any file whatever its mode: let the OS error a learner would get be raised
        real = Path.read_bytes

        def read_bytes(self):
            if self == path:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(UnreadableFileError) as info:
        policykit.load("events")
    path.chmod(0o644)
    assert str(info.value) == (
        f"The data file 'events.csv' (dataset 'events') in {data_copy} cannot be read: "
        "permission denied. policykit needs to read it as a file. Check its permissions, or "
        "restore it with 'pip install --force-reinstall --no-deps policykit-edu==0.1.0'.")


def test_folder_in_place_of_a_file(data_copy):
    (data_copy / "events.csv").unlink()
    (data_copy / "events.csv").mkdir()
    with pytest.raises(UnreadableFileError) as info:
        policykit.load("events")
    assert str(info.value) == (
        f"The data file 'events.csv' (dataset 'events') in {data_copy} cannot be read: it is a "
        "folder, not a file. policykit needs to read it as a file. Check its permissions, or "
        "restore it with 'pip install --force-reinstall --no-deps policykit-edu==0.1.0'.")


# --- Arguments of the analysis helpers --------------------------------------------------------

def test_unknown_vote_key_suggests_full_key():
    with pytest.raises(InvalidArgumentError) as info:
        tally("h65")
    assert str(info.value) == (
        "Unknown roll call 'h65'. Keys look like 'h145-117.2022' (House roll 145) or "
        "'s191-117.2022' (Senate roll 191). Did you mean 'h65-117.2022'? See "
        "policykit.load_rollcalls()[['vote_key', 'label']] for all 24.")
    assert isinstance(info.value, ValueError)


def test_split_signers_needs_house_vote():
    with pytest.raises(InvalidArgumentError) as info:
        party_breakdown("s191-117.2022", split_signers=True)
    assert str(info.value) == (
        "split_signers=True needs a House roll call; 's191-117.2022' is a Senate vote (the "
        "letter's signers sit in the House). Use split_signers=False.")


def test_contrast_rejects_empty_and_senate():
    with pytest.raises(InvalidArgumentError, match="got an empty selection"):
        contrast([])
    with pytest.raises(InvalidArgumentError, match=r"'s78-117\.2022' is a Senate vote"):
        contrast(["h65-117.2022", "s78-117.2022"])


def test_find_passages_needs_a_phrase():
    with pytest.raises(InvalidArgumentError) as info:
        find_passages("  ")
    assert str(info.value) == ("find_passages() needs a non-empty phrase to search for; got "
                               "'  '. Try e.g. find_passages('ceasefire').")


@pytest.mark.parametrize("bad", ["last Tuesday", "", "NaT"])
def test_timeline_bad_date(bad):
    with pytest.raises(InvalidArgumentError) as info:
        timeline(as_known_on=bad)
    reason = {"last Tuesday": "is not a date policykit can read", "": "is empty",
              "NaT": "is not a date policykit can read"}[bad]
    assert str(info.value) == (
        f"as_known_on must be a date like '2022-10-24' or '24 Oct 2022'; got {bad!r}, which "
        f"{reason}. Allowed: a string such as '2022-10-24' or '24 Oct 2022', a datetime.date, "
        "or a datetime without a time zone. Pass None to see everything.")


def test_vote_keys_bad_chamber():
    with pytest.raises(InvalidArgumentError) as info:
        policykit.analysis.vote_keys("house")
    assert str(info.value) == ("Unknown chamber 'house'. Allowed: 'House', 'Senate'. "
                               "Did you mean 'House'? Pass one of them, or leave chamber out "
                               "to include all.")


# --- One argument layer: the same value is read the same way everywhere ------------------------

def test_numpy_integers_are_whole_numbers():
    import numpy as np

    from policykit import claims

    counts = policykit.tally("h65-117.2022")  # numpy integers
    # clerk.house.gov/evs/2022/roll065.xml: passed 361-69.
    assert claims.vote_totals("h65-117.2022", yea=counts["Yea"], nay=counts["Nay"]).verdict == (
        "supported")
    assert claims.signer_count(np.int32(30)).verdict == "supported"  # the letter had 30 signers
    assert claims.signers_voted("h65-117.2022", "Nay", count=np.uint8(13)).verdict == "supported"


@pytest.mark.parametrize("day", ["2022-10-25", "25 Oct 2022", "25 October 2022", "Oct 25, 2022",
                                 "October 25, 2022"])
def test_date_spellings_are_read_alike_everywhere(day):
    import datetime as dt

    from policykit import claims

    # The caucus withdrew the letter on 25 October 2022 (its dated statement in statements.csv).
    assert claims.event_date("withdrawal", day).verdict == "supported"
    assert claims.event_date("withdrawal", dt.datetime(2022, 10, 25, 18, 30)).verdict == (
        "supported")
    known = timeline(as_known_on=day)
    assert known.equals(timeline(as_known_on=dt.date(2022, 10, 25)))
    window = policykit.analysis.filter_timeline(timeline(), start=day, end=day)
    assert "statement" in set(window["kind"])


def test_timezone_aware_date_is_rejected_not_misjudged():
    import pandas as pd

    from policykit import claims

    aware = pd.Timestamp("2022-10-25", tz="America/New_York")
    with pytest.raises(InvalidArgumentError) as info:
        claims.event_date("withdrawal", aware)
    assert str(info.value) == (
        f"date must be a date like '2022-10-24' or '24 Oct 2022'; got {aware!r}, which carries "
        "a time zone (EDT). Allowed: a string such as '2022-10-24' or '24 Oct 2022', a "
        "datetime.date, or a datetime without a time zone. Did you mean '2022-10-25'? Pass the "
        "date the claim gives, e.g. '2022-10-25'.")


def test_integer_date_is_rejected_not_an_empty_timeline():
    with pytest.raises(InvalidArgumentError) as info:
        timeline(as_known_on=20221024)
    assert str(info.value) == (
        "as_known_on must be a date like '2022-10-24' or '24 Oct 2022'; got 20221024, which is "
        "a number, not a date. Allowed: a string such as '2022-10-24' or '24 Oct 2022', a "
        "datetime.date, or a datetime without a time zone. Did you mean '2022-10-24'? Pass None "
        "to see everything.")
