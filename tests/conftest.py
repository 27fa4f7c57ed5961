"""Shared fixtures for policykit's tests."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import _shared
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
# `python3 tasks.py test` runs `pytest -n N --dist loadgroup`. Under it (this file's scheduler;
# xdist's own loadgroup no longer groups anything under pytest 9.2, pytest-xdist#1386):
# - a test that uses a module- or class-scoped fixture (a graded course, a running server) runs
#   with the rest of its module, so that fixture is built once, on one worker (a parametrized
#   one, e.g. one course per lesson, gives one such unit per parameter); tests marked
#   ``xdist_group(name)`` run together; every other test is scheduled on its own;
# - the work units go out longest first (tests/durations.json, seconds per test id from an
#   earlier run; an unknown test counts as DEFAULT_SECONDS), so no long test starts last.
# The workers tell the scheduler each test's unit through a file in a folder of this run.
# Refresh the table after adding slow tests: POLICYKIT_RECORD_DURATIONS=tests/durations.json
# python3 tasks.py test (only tests of 1 s or more are kept; tests not run keep their value).

DURATIONS = Path(__file__).with_name("durations.json")
DEFAULT_SECONDS = 0.2
_SHARED_SCOPES = {"module", "class", "package"}
_UNITS_KEY = "policykit_units"


def _expected_seconds() -> dict[str, float]:
    try:
        return {str(k): float(v) for k, v in json.loads(DURATIONS.read_text()).items()}
    except (OSError, ValueError, AttributeError):
        return {}


def _shared_fixtures(item: pytest.Item) -> list[str]:
    """The fixtures ``item`` uses that are kept for its module or class (built once per
    worker), each with its parameter when it has one (e.g. ``graded=01-primary-source``)."""
    info = getattr(item, "_fixtureinfo", None)
    defs = getattr(info, "name2fixturedefs", {}) or {}
    callspec = getattr(item, "callspec", None)
    shared = []
    for name, fixturedefs in defs.items():
        if fixturedefs and fixturedefs[-1].scope in _SHARED_SCOPES:
            param = callspec.params.get(name, None) if callspec is not None else None
            shared.append(name if param is None else f"{name}={param}")
    return sorted(shared)


def _unit(item: pytest.Item) -> str:
    """The work unit of ``item``: its xdist_group; else its module, when it shares a module or
    class fixture (one unit per parameter of a parametrized one: a fixture per lesson makes
    one unit per lesson); else the test itself."""
    groups = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                     for m in item.iter_markers("xdist_group")})
    if groups:
        return "group:" + "_".join(groups)
    shared = _shared_fixtures(item)
    if not shared:
        return item.nodeid
    params = [name for name in shared if "=" in name]
    module = item.nodeid.split("::", 1)[0]
    return f"{module}[{','.join(params)}]" if params else module


def pytest_configure(config):
    if getattr(config, "workerinput", None) is not None:
        return  # a worker: the controller made the folders, and the environment names them
    # Shared builds of this run (tests/_shared.py): one folder, seen by every worker.
    config.policykit_run_dir = tempfile.mkdtemp(prefix="policykit-run-")
    os.environ[_shared.RUN_DIR_VAR] = config.policykit_run_dir
    if config.getoption("dist", "no") != "no":
        config.policykit_units = Path(tempfile.mkdtemp(prefix="policykit-xdist-")) / "units.json"


def pytest_unconfigure(config):
    units = getattr(config, "policykit_units", None)
    if units is not None:
        shutil.rmtree(units.parent, ignore_errors=True)
    run_dir = getattr(config, "policykit_run_dir", None)
    if run_dir is not None:
        shutil.rmtree(run_dir, ignore_errors=True)
        os.environ.pop(_shared.RUN_DIR_VAR, None)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    units = getattr(node.config, "policykit_units", None)
    if units is not None:
        node.workerinput[_UNITS_KEY] = str(units)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    units = getattr(config, "policykit_units", None)
    if units is None or config.getoption("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class UnitScheduling(LoadScopeScheduling):
        """xdist's loadscope over the workers' units, in the workers' (longest-first) order."""

        _units: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self._units is None:
                try:
                    self._units = json.loads(units.read_text())
                except (OSError, ValueError):
                    return nodeid
            return self._units.get(nodeid, nodeid)

    config.option.loadscopereorder = False  # keep the longest-first order of the workers
    return UnitScheduling(config, log)


@pytest.hookimpl(tryfirst=True)  # after -k/-m deselection, before xdist sends the ids
def pytest_collection_finish(session):
    workerinput = getattr(session.config, "workerinput", None)
    if workerinput is None or _UNITS_KEY not in workerinput:
        return
    seconds = _expected_seconds()
    units = [_unit(item) for item in session.items]
    cost: dict[str, float] = {}
    first: dict[str, int] = {}
    for index, (item, unit) in enumerate(zip(session.items, units, strict=True)):
        cost[unit] = cost.get(unit, 0.0) + seconds.get(item.nodeid, DEFAULT_SECONDS)
        first.setdefault(unit, index)
    order = sorted(range(len(units)), key=lambda i: (-cost[units[i]], first[units[i]], i))
    session.items[:] = [session.items[i] for i in order]
    target = Path(workerinput[_UNITS_KEY])
    partial = target.with_name(f"{target.name}.{workerinput.get('workerid', 'w')}")
    partial.write_text(json.dumps({item.nodeid: unit
                                   for item, unit in zip(session.items,
                                                         [units[i] for i in order],
                                                         strict=True)}))
    os.replace(partial, target)  # every worker collects the same tests: same content


_RECORDED: dict[str, float] = {}


def pytest_runtest_logreport(report):
    if os.environ.get("POLICYKIT_RECORD_DURATIONS"):
        _RECORDED[report.nodeid] = _RECORDED.get(report.nodeid, 0.0) + report.duration


def pytest_sessionfinish(session):
    target = os.environ.get("POLICYKIT_RECORD_DURATIONS")
    if not target or getattr(session.config, "workerinput", None) is not None or not _RECORDED:
        return

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
