"""Shared fixtures for policykit's tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import policykit
from policykit import _datapackage

ROOT = Path(__file__).resolve().parent.parent
SHARED_SOURCES = ROOT.parent / "shared" / "sources"


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A private copy of the data files that the loaders read instead of the shipped ones.

    Tests corrupt this copy; the shipped files are never touched.
    """
    target = tmp_path / "data"
    shutil.copytree(_datapackage.data_dir(), target,
                    ignore=shutil.ignore_patterns("scripts", "__pycache__", "*.py"))
    monkeypatch.setattr(_datapackage, "data_dir", lambda: target)
    _datapackage._CACHE.clear()
    _datapackage._SEEN.clear()
    yield target
    _datapackage._CACHE.clear()
    _datapackage._SEEN.clear()


@pytest.fixture(scope="session")
def shared_sources():
    if not SHARED_SOURCES.is_dir():
        pytest.skip(f"the raw sources are not beside this checkout ({SHARED_SOURCES} missing); "
                    "these checks compare the curated tables with them")
    return SHARED_SOURCES


@pytest.fixture(scope="session")
def tables():
    return {name: policykit.load(name) for name in policykit.list_datasets()}
