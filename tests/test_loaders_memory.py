"""A frame a learner changes in place never changes what policykit loads or computes next.

Issue 7: from the second load on, a returned frame shared its arrays with the loader's cache, so
``h['position'].values[:] = 'Nay'`` made every later load, tally and claim check wrong. The
expected counts come from the House Clerk's roll-call pages, not from policykit's output.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import policykit
from policykit import _datapackage, claims

NAMES = policykit.list_datasets()


@pytest.fixture
def fresh_cache():
    """Start and end with an empty loader cache, so the cached path is exercised."""
    _datapackage._CACHE.clear()
    _datapackage._SEEN.clear()
    yield
    _datapackage._CACHE.clear()
    _datapackage._SEEN.clear()


def _vandalise(frame: pd.DataFrame) -> list[str]:
    """Overwrite every column in place through ``.values``; return the columns that changed."""
    changed = []
    for column in frame.columns:
        values = frame[column].values
        before = frame[column].copy()
        try:
            values[:] = values[-1]
        except (ValueError, TypeError):  # read-only or immutable buffers refuse the write
            continue
        if not frame[column].equals(before):
            changed.append(column)
    return changed


def test_issue_example_tally_and_claim_survive_an_in_place_edit(fresh_cache):
    for _ in range(3):  # the first load is not cached, the later ones are
        h = policykit.load_house_votes()
        h["position"].values[:] = "Nay"
        assert (h["position"] == "Nay").all()  # the edit itself took effect
    counts = policykit.tally("h65-117.2022")
    # clerk.house.gov/evs/2022/roll065.xml: 361 Yea, 69 Nay, 3 not voting.
    assert (counts["Yea"], counts["Nay"], counts["Not Voting"]) == (361, 69, 3)
    # H.R. 7691 (roll 145): all 219 voting Democrats, so every signer, voted Yea.
    assert claims.signers_voted("h145-117.2022").verdict == "supported"
    assert len(policykit.load_house_votes().query("position == 'Nay'")) < 1000


@pytest.mark.parametrize("name", NAMES)
def test_in_place_edits_never_reach_a_later_load(fresh_cache, name):
    pristine = policykit.load(name)
    for _ in range(2):
        _vandalise(policykit.load(name))
    pd.testing.assert_frame_equal(policykit.load(name), pristine)


def test_the_vandal_really_writes(fresh_cache):
    # Guard against a test that cannot fail: the in-place writes do change the loaded frame.
    policykit.load("house_votes")
    frame = policykit.load("house_votes")  # served from the cache
    assert "position" in _vandalise(frame)


def _buffers(array: object) -> list[np.ndarray]:
    """The numpy buffers behind a column's array (codes, data, mask), for shares_memory."""
    found = []
    for attr in ("_ndarray", "_codes", "_data", "_mask"):
        value = getattr(array, attr, None)
        if isinstance(value, np.ndarray):
            found.append(value)
    if isinstance(array, np.ndarray):
        found.append(array)
    return found


@pytest.mark.parametrize("name", NAMES)
def test_cached_loads_share_no_buffer(fresh_cache, name):
    first, second, third = (policykit.load(name) for _ in range(3))
    cached = _datapackage._CACHE[(str(_datapackage.data_dir()), name)][1]
    for column in first.columns:
        arrays = [f[column].array for f in (second, third, cached)]
        for i, a in enumerate(arrays):
            for b in arrays[i + 1:]:
                for x in _buffers(a):
                    for y in _buffers(b):
                        assert not np.shares_memory(x, y), (name, column)
