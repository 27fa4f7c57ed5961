"""policykit.grading.exchange.OwnerCheckedCollect: which submissions ``nbgrader collect`` takes.

In a temporary exchange, as whichever account runs the tests: submissions filed under this
account's own name are the student's; those filed under another name (here ``someone-else``)
were made by this account, so they are forgeries and must be refused, whatever their time.
tests/test_exchange.py runs the same class through the guide's config with real student
accounts (a student filing submissions under a classmate's name and under a made-up one).
"""

from __future__ import annotations

import getpass
import logging
from datetime import UTC, datetime

import _shared
import pytest

pytestmark = _shared.NBGRADER_WARNINGS

ME = getpass.getuser()
DUE = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
FORMAT = "%Y-%m-%d %H:%M:%S.%f UTC"


def _file(inbound, name: str, when: datetime, tag: str) -> str:
    folder = inbound / f"{name}+lesson+{when.strftime(FORMAT)}+{tag}"
    folder.mkdir(parents=True)
    (folder / "lesson.ipynb").write_text(tag, encoding="utf-8")
    return folder.name


@pytest.fixture
def collect(tmp_path, caplog):
    """A collect of assignment ``lesson`` (due :data:`DUE`) over a temporary exchange."""
    from nbgrader.api import Gradebook
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    from policykit.grading.exchange import OwnerCheckedCollect

    course = tmp_path / "course"
    course.mkdir()
    _shared.empty_gradebook("policykit", course)
    with _shared.scripts_on_path(), Gradebook(f"sqlite:///{course / 'gradebook.db'}",
                                              "policykit") as gb:
        gb.update_or_create_assignment("lesson", duedate=DUE.replace(tzinfo=None))
    config = Config()
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.course_id = "policykit"
    config.CourseDirectory.assignment_id = "lesson"
    config.Exchange.root = str(tmp_path / "exchange")
    inbound = tmp_path / "exchange" / "policykit" / "inbound"
    inbound.mkdir(parents=True)

    def make(before_duedate: bool = False):
        app = OwnerCheckedCollect(coursedir=CourseDirectory(config=config),
                                  authenticator=Authenticator(config=config), config=config)
        app.before_duedate = before_duedate
        app.log = logging.getLogger("test-collect")
        return app

    caplog.set_level(logging.INFO, logger="test-collect")
    return make, inbound, course


def _chosen(app) -> list[str]:
    app.init_src()
    return sorted(r["filename"] for r in app.src_records)


def test_a_submission_filed_under_another_name_is_refused(collect, caplog):
    make, inbound, _ = collect
    own = _file(inbound, ME, datetime(2026, 3, 1, tzinfo=UTC), "own")
    forged = _file(inbound, "someone-else", datetime(2026, 3, 1, tzinfo=UTC), "forged")
    assert _chosen(make()) == [own]
    assert (f"Refused {forged}: it is filed under 'someone-else' but was made by {ME!r}."
            in caplog.text)
    assert (inbound / forged).is_dir(), "a refused file stays in the exchange"


def test_the_latest_own_submission_is_taken(collect, caplog):
    make, inbound, _ = collect
    _file(inbound, ME, datetime(2026, 3, 1, tzinfo=UTC), "first")
    latest = _file(inbound, ME, datetime(2026, 3, 3, tzinfo=UTC), "late")
    assert _chosen(make()) == [latest]
    assert "Refused" not in caplog.text


def test_before_the_due_date_takes_the_latest_on_time(collect):
    make, inbound, _ = collect
    on_time = _file(inbound, ME, datetime(2026, 3, 1, tzinfo=UTC), "on-time")
    late = _file(inbound, ME, datetime(2026, 3, 3, tzinfo=UTC), "late")
    assert _chosen(make(before_duedate=True)) == [on_time]
    assert _chosen(make()) == [late]


def test_collect_copies_only_the_students_own_work(collect):
    make, inbound, course = collect
    _file(inbound, ME, datetime(2026, 3, 1, tzinfo=UTC), "own")
    _file(inbound, "someone-else", datetime(2026, 3, 1, tzinfo=UTC), "forged")
    app = make()
    with _shared.scripts_on_path():
        app.start()
    submitted = course / "submitted"
    assert sorted(p.name for p in submitted.iterdir()) == [ME]
    assert (submitted / ME / "lesson" / "lesson.ipynb").read_text(encoding="utf-8") == "own"


def test_one_account_for_everyone_is_explained(collect, caplog):
    # Standard Kubernetes images: every student's server runs as the same account, so every
    # file is made by it and no submission can be told apart.
    make, inbound, _ = collect
    for name in ("alice", "bob"):
        _file(inbound, name, datetime(2026, 3, 1, tzinfo=UTC), name)
    assert _chosen(make()) == []
    assert f"Every submission was made by the same account, {ME!r}" in caplog.text
    assert "Remove the line c.ExchangeFactory.collect" in caplog.text
