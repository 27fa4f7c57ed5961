"""Helpers for the lessons' visible tests: tell an unanswered question from a wrong answer.

A lesson's visible tests run inside :func:`question`. In a student's own session, a test that
finds the answer not written yet (a ``NameError``: the variable does not exist) prints one line
and lets the notebook go on, so *Run All* reaches every explorer and figure below it. A wrong
answer still raises its ``AssertionError`` with the hint, as before.

When a notebook is graded nothing is swallowed: nbgrader sets ``NBGRADER_EXECUTION`` in the
kernel's environment (``autograde`` or ``validate``), and a grader of our own can set
``POLICYKIT_GRADING``; with either set, :func:`question` re-raises, so the test cell fails and
the question scores 0. Hidden tests sit outside the ``with`` block, so they fail on an
unanswered question whatever the environment.

>>> with question("Question 1"):
...     n_passages_not_written_yet  # noqa: F821
Question 1: not answered yet - write your answer in the cell above.
"""

from __future__ import annotations

import os
from types import TracebackType

from .errors import InvalidArgumentError

__all__ = ["GRADING_VARIABLES", "grading", "question"]

#: Environment variables that mark a graded run (a non-empty value counts as set).
GRADING_VARIABLES = ("NBGRADER_EXECUTION", "POLICYKIT_GRADING")


def grading() -> bool:
    """Whether the notebook runs under a grader (see :data:`GRADING_VARIABLES`).

    Returns
    -------
    bool
        True when ``NBGRADER_EXECUTION`` or ``POLICYKIT_GRADING`` is set to a non-empty value.
    """
    return any(os.environ.get(name) for name in GRADING_VARIABLES)


class question:  # used like a function: ``with question("Question 1"):``
    """Context manager around a question's visible tests.

    Parameters
    ----------
    name : str
        How the lesson names the question, e.g. ``"Question 1"``.

    Notes
    -----
    Only a ``NameError`` raised inside the block is reported as "not answered yet", and only
    outside a graded run. Every other exception (a failed ``assert`` with its hint, a
    ``TypeError`` from an answer of the wrong type) propagates unchanged.

    Examples
    --------
    >>> with question("Question 2"):
    ...     assert 1 + 1 == 2, "never shown"
    >>> with question("Question 3"):
    ...     assert 1 + 1 == 3, "Add the two numbers again."
    Traceback (most recent call last):
    AssertionError: Add the two numbers again.
    """

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        if not isinstance(name, str) or not name.strip():
            msg = (f"question() got {name!r} as the question's name. Allowed: a non-empty "
                   "string such as 'Question 1'. Pass the name the lesson gives the question.")
            raise InvalidArgumentError(msg)
        self.name = name

    def __enter__(self) -> question:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> bool:
        if exc_type is None or not issubclass(exc_type, NameError) or grading():
            return False
        print(f"{self.name}: not answered yet - write your answer in the cell above.")
        return True
