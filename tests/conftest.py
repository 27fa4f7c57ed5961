"""Shared fixtures for policykit's tests."""

from __future__ import annotations

import os
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


# --- parallel runs (pytest-xdist): which tests stay together, and the longest first -----------
#
# `python3 tasks.py test` runs `pytest -n N --dist loadgroup --no-loadscope-reorder`. Under it:
# - a test that uses a module- or class-scoped fixture (a graded course, a running server) is
#   grouped with the rest of its module, so that fixture is built once, on one worker; every
#   other test is scheduled on its own;
# - the work units go out longest first (tests/durations.json, seconds per test id from an
#   earlier run; an unknown test counts as DEFAULT_SECONDS), so no long test starts last.
# Refresh the table after adding slow tests: POLICYKIT_RECORD_DURATIONS=tests/durations.json
# python3 tasks.py test (only tests of 1 s or more are kept; tests not run keep their value).

DURATIONS = Path(__file__).with_name("durations.json")
DEFAULT_SECONDS = 0.2
_SHARED_SCOPES = {"module", "class", "package"}


def _expected_seconds() -> dict[str, float]:
    import json

    try:
        return {str(k): float(v) for k, v in json.loads(DURATIONS.read_text()).items()}
    except (OSError, ValueError, AttributeError):
        return {}


def _shares_a_fixture(item: pytest.Item) -> bool:
    """Whether ``item`` uses a fixture kept for its module or class (built once per worker)."""
    info = getattr(item, "_fixtureinfo", None)
    defs = getattr(info, "name2fixturedefs", {}) or {}
    return any(fixturedefs and fixturedefs[-1].scope in _SHARED_SCOPES
               for fixturedefs in defs.values())


def _module_id(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0]


def _unit(item: pytest.Item) -> str:
    """The work unit of ``item``: its module if it shares a module/class fixture, else itself."""
    return _module_id(item) if _shares_a_fixture(item) else item.nodeid


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the xdist_group marks
def pytest_collection_modifyitems(config, items):
    if getattr(config, "workerinput", None) is None:  # a plain run: nothing to distribute
        return
    for item in items:
        if _shares_a_fixture(item):
            item.add_marker(pytest.mark.xdist_group(_module_id(item)))


@pytest.hookimpl(tryfirst=True)  # after -k/-m deselection, before xdist sends the ids
def pytest_collection_finish(session):
    if getattr(session.config, "workerinput", None) is None:
        return
    seconds = _expected_seconds()
    cost: dict[str, float] = {}
    first: dict[str, int] = {}
    units = []
    for index, item in enumerate(session.items):
        unit = _unit(item)
        units.append(unit)
        nodeid = item.nodeid.split("@", 1)[0]
        cost[unit] = cost.get(unit, 0.0) + seconds.get(nodeid, DEFAULT_SECONDS)
        first.setdefault(unit, index)
    order = sorted(range(len(session.items)),
                   key=lambda i: (-cost[units[i]], first[units[i]], i))
    session.items[:] = [session.items[i] for i in order]


_RECORDED: dict[str, float] = {}


def pytest_runtest_logreport(report):
    if os.environ.get("POLICYKIT_RECORD_DURATIONS"):
        nodeid = report.nodeid.split("@", 1)[0]  # loadgroup appends @<group>
        _RECORDED[nodeid] = _RECORDED.get(nodeid, 0.0) + report.duration


def pytest_sessionfinish(session):
    target = os.environ.get("POLICYKIT_RECORD_DURATIONS")
    if not target or getattr(session.config, "workerinput", None) is not None or not _RECORDED:
        return
    import json

    path = Path(target)
    try:
        table = json.loads(path.read_text())
    except (OSError, ValueError):
        table = {}
    for nodeid, spent in _RECORDED.items():  # only tests of a second or more are listed
        if spent >= 1.0:
            table[nodeid] = round(spent, 2)
        else:
            table.pop(nodeid, None)
    ordered = dict(sorted(table.items(), key=lambda kv: (-kv[1], kv[0])))
    path.write_text(json.dumps(ordered, indent=1) + "\n")
