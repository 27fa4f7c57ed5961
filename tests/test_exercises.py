"""policykit.exercises.question: unanswered questions are reported in a student's session and
fail under a grader; wrong answers always fail."""

from __future__ import annotations

import pytest

from policykit.errors import InvalidArgumentError, PolicykitError
from policykit.exercises import GRADING_VARIABLES, grading, question

NOT_ANSWERED = "Question 1: not answered yet - write your answer in the cell above.\n"


@pytest.fixture
def student(monkeypatch):
    """A student's own session: no grader variable set."""
    for name in GRADING_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def _unanswered():
    return n_passages  # noqa: F821  (the student has not written it yet)


def test_unanswered_question_is_reported_and_the_notebook_goes_on(student, capsys):
    with question("Question 1"):
        _unanswered()
        raise AssertionError("never reached")  # the block stops at the NameError
    assert capsys.readouterr().out == NOT_ANSWERED


def test_wrong_answer_still_fails_with_its_hint(student, capsys):
    n_passages = 14
    # (pytest's assertion rewriting appends the compared values after the hint)
    with pytest.raises(AssertionError, match=r"^Count every row of `passages`\."), \
            question("Question 1"):
        assert n_passages == 15, "Count every row of `passages`."
    assert capsys.readouterr().out == ""


def test_right_answer_passes_silently(student, capsys):
    n_passages = 15
    with question("Question 1"):
        assert n_passages == 15, "Count every row of `passages`."
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("error", [TypeError("unsupported operand"), KeyError("MO"),
                                   ZeroDivisionError("division by zero")])
def test_other_errors_propagate(student, error, capsys):
    with pytest.raises(type(error)), question("Question 2"):
        raise error
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(("variable", "value"), [("NBGRADER_EXECUTION", "autograde"),
                                                 ("NBGRADER_EXECUTION", "validate"),
                                                 ("POLICYKIT_GRADING", "1")])
def test_graders_see_the_name_error(student, monkeypatch, capsys, variable, value):
    monkeypatch.setenv(variable, value)
    assert grading() is True
    with pytest.raises(NameError, match="n_passages"), question("Question 1"):
        _unanswered()
    assert capsys.readouterr().out == ""


def test_empty_variable_is_not_a_grader(student, monkeypatch):
    monkeypatch.setenv("POLICYKIT_GRADING", "")
    assert grading() is False


def test_grading_variables_are_the_documented_ones():
    # nbgrader 0.9 sets NBGRADER_EXECUTION in autograde (converters/autograde.py) and validate
    # (validator.py); POLICYKIT_GRADING is the project's own grader's variable.
    assert GRADING_VARIABLES == ("NBGRADER_EXECUTION", "POLICYKIT_GRADING")


@pytest.mark.parametrize("name", ["", "   ", None, 1])
def test_bad_question_name(name):
    with pytest.raises(InvalidArgumentError) as info:
        question(name)
    assert isinstance(info.value, PolicykitError)
    assert str(info.value) == (
        f"question() got {name!r} as the question's name. Allowed: a non-empty string such as "
        "'Question 1'. Pass the name the lesson gives the question.")
