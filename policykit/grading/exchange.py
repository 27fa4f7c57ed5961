"""nbgrader's exchange for a class on one machine: a submission counts only for its maker.

nbgrader's local exchange is one folder that every account may write into. ``nbgrader submit``
files each submission under the name of the account that made it
(``<student>+<assignment>+<time>+<random>``), but nothing stops an account from filing one
under another student's name, with any time. ``nbgrader collect`` (and Formgrader's *Collect*)
then takes the latest submission per name and only warns when the name and the file's owner
differ: one student could replace another's work with a later, empty copy, or hand work in
under a name that is not theirs.

:class:`OwnerCheckedCollect` collects, for each student, the latest submission made by that
student's own account, and refuses every other one. Each refusal is logged as an error naming
the file, the name it claims and the account that made it; the file stays in the exchange for
the instructor to look into. ``deploy/nbgrader_config.py`` switches it on::

    c.ExchangeFactory.collect = "policykit.grading.exchange.OwnerCheckedCollect"

It needs what nbgrader's own check needs: a Unix machine where each student has an account.
A submission an instructor copies into the exchange for a student is refused too; put it in
the course's ``submitted/<student>/<assignment>/`` folder instead.
"""

from __future__ import annotations

import glob
import os
import pwd
from typing import Any

from nbgrader.exchange.default.collect import ExchangeCollect

__all__ = ["OwnerCheckedCollect"]


def _owner(path: str) -> str:
    """The account name that owns ``path`` (``uid N`` if the id has no account)."""
    uid = os.stat(path).st_uid
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


class OwnerCheckedCollect(ExchangeCollect):
    """``nbgrader collect`` that takes a submission only from the account it is filed under."""

    def init_src(self) -> None:
        super().init_src()  # the course's inbound folder, the due date, nbgrader's choice
        student = self.coursedir.student_id or "*"
        pattern = os.path.join(self.inbound_path, f"{student}+{self.coursedir.assignment_id}+*")
        by_student: dict[str, list[dict[str, Any]]] = {}
        refused: dict[str, set[str]] = {}  # owner -> the names its files claim
        for path in sorted(glob.glob(pattern)):
            record = self._path_to_record(path)
            owner = _owner(path)
            if owner != record["username"]:
                self.log.error(
                    "Refused %s: it is filed under %r but was made by %r. A submission counts "
                    "only for the account that made it; the file stays in %s.",
                    record["filename"], record["username"], owner, self.inbound_path)
                refused.setdefault(owner, set()).add(record["username"])
                continue
            by_student.setdefault(record["username"], []).append(record)
        if not by_student and len(refused) == 1 and len(next(iter(refused.values()))) > 1:
            self.log.error(
                "Every submission was made by the same account, %r: on this server the students "
                "do not have accounts of their own (as in the standard Kubernetes images, where "
                "everyone is 'jovyan'), so who made a file cannot be checked. Remove the line "
                "c.ExchangeFactory.collect = ... from nbgrader_config.py there (see "
                "lessons/README.md, 'A large class on Kubernetes').", next(iter(refused)))
        self.src_records = [self._choose(records) for records in by_student.values()]

    def _choose(self, records: list[dict[str, Any]]) -> dict[str, Any]:
        """A student's latest submission (with ``--before-duedate``: the latest on time, if
        any), as nbgrader chooses among a student's submissions."""
        latest_first = sorted(records, key=lambda r: r["timestamp"], reverse=True)
        if self.duedate is not None and self.before_duedate:
            on_time = [r for r in latest_first if r["timestamp"] <= self.duedate]
            if on_time:
                return on_time[0]
        return latest_first[0]
