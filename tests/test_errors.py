"""Bad input and damaged data give clear, exact messages, and lose nothing."""

from __future__ import annotations

import pytest

import policykit
from policykit.analysis import contrast, find_passages, party_breakdown, tally, timeline
from policykit.errors import (
    BadValueError,
    ChecksumMismatchError,
    DataIntegrityError,
    DatasetNotFoundError,
    InvalidArgumentError,
    PolicykitError,
    SchemaMismatchError,
)

AVAILABLE = ("members, signatories, rollcalls, house_votes, senate_votes, letter_passages, "
             "letter_drafts, statements, responses, events, sources")
RESTORE = "Restore it with 'pip install --force-reinstall --no-deps policykit-edu==0.1.0'."


def test_unknown_dataset_suggests_closest():
    with pytest.raises(DatasetNotFoundError) as info:
        policykit.load("rollcall")
    assert str(info.value) == (
        f"Unknown dataset 'rollcall'. Available: {AVAILABLE}. Did you mean 'rollcalls'? "
        "See policykit.list_datasets() for what each one holds.")
    assert isinstance(info.value, PolicykitError) and isinstance(info.value, LookupError)


def test_dataset_name_must_be_a_string():
    with pytest.raises(DatasetNotFoundError) as info:
        policykit.describe(3)
    assert str(info.value) == (
        f"Dataset names are strings; got int 3. Available: {AVAILABLE}. "
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
    _damage(data_copy, "events", "e01,2022-02-24", "e01,2022-24-02")
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
                    "'python datasets/scripts/build.py').")


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
    assert str(info.value) == (f"as_known_on must be a date like '2022-10-24'; got {bad!r}. "
                               "Pass None to see everything.")


def test_vote_keys_bad_chamber():
    with pytest.raises(InvalidArgumentError) as info:
        policykit.analysis.vote_keys("house")
    assert str(info.value) == ("Unknown chamber 'house'. Allowed: 'House', 'Senate'. "
                               "Did you mean 'House'? Pass one of them, or leave chamber out "
                               "to include all.")
