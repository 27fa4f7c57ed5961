"""nbgrader configuration for the policykit course (the course root is this folder).

Run nbgrader commands from this folder (``cd lessons``), or pass ``--CourseDirectory.root``.
"""

from pathlib import Path

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

HERE = Path(__file__).resolve().parent

c.CourseDirectory.course_id = "policykit"
c.CourseDirectory.root = str(HERE)
# The gradebook lives next to this file and is never committed (see .gitignore).
c.CourseDirectory.db_url = f"sqlite:///{HERE / 'gradebook.db'}"

# Lessons run in seconds; a minute per cell still catches a student's infinite loop.
c.ExecutePreprocessor.timeout = 60
# Do not save widget state into autograded notebooks: feedback pages then show each explorer's
# static text/html view (a plotly figure with plotly.js embedded) instead of an empty widget
# placeholder that would need the widget JavaScript from a CDN.
c.ExecutePreprocessor.store_widget_state = False
# What replaces a solution in the student version. nbgrader's default stub raises
# NotImplementedError, which stops Run All at the first question, so the explorers and figures
# further down never appear. This stub does nothing: the question's visible tests (run inside
# policykit.exercises.question) then print "Question N: not answered yet ..." and the notebook
# goes on. Under `nbgrader autograde` / `validate` (NBGRADER_EXECUTION is set) the same tests
# raise, and the hidden tests fail on the missing answer, so an unanswered question scores 0.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\npass"}
# Every lesson runs on the standard Python 3 kernel.
c.ExecutePreprocessor.kernel_name = "python3"


# --- Feedback pages never show hidden tests or their expected values ----------------------------
# nbgrader's autograde restores each test cell to the instructor's version, hidden tests included,
# and its feedback pages would print that source as it is. HideHiddenTests (below) runs before a
# page is written: it removes the hidden region from every test cell's source, as the student
# version has it, and cuts any error output that shows a hidden line to its last line (IPython
# prints a few lines of context around the failing one, so even a failing *visible* test would
# show the hidden lines after it). A failure *in* a hidden test reads "AssertionError: a hidden
# test failed." (a NameError keeps its message: it names only the student's own variable).
# Scores are read from the gradebook first (GetGrades), so they are unchanged. To show hidden
# tests in feedback after all, delete the GenerateFeedback.preprocessors line.
import re as _re  # noqa: E402

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor, Preprocessor  # noqa: E402
from nbgrader.preprocessors import GetGrades  # noqa: E402
from traitlets import Bool  # noqa: E402

_ANSI = _re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_ARROW = _re.compile(r"^-*>\s*\d+\s(.*)$", _re.MULTILINE)  # IPython's "----> 7 code" line


def _split_hidden(source):
    """(the source as the student version has it, the stripped lines of its hidden tests),
    split as nbgrader's ClearHiddenTests splits them."""
    kept, hidden, inside = [], [], False
    for line in source.split("\n"):
        if "BEGIN HIDDEN TESTS" in line:
            inside = True
        elif "END HIDDEN TESTS" in line:
            inside = False
        elif inside:
            hidden.append(line.strip())
        else:
            kept.append(line)
    return "\n".join(kept), {line for line in hidden if line}


class HideHiddenTests(Preprocessor):
    """Test cells lose their hidden tests, and error outputs any trace of them."""

    enabled = Bool(True).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or not cell.metadata.get("nbgrader", {}).get("grade"):
            return cell, resources
        cell.source, hidden = _split_hidden(cell.source)
        for out in cell.get("outputs", []) if hidden else []:
            if out.get("output_type") != "error":
                continue
            text = _ANSI.sub("", "\n".join(out.get("traceback", [])))
            failed_in_hidden = any(code.strip() in hidden for code in _ARROW.findall(text))
            shows_hidden = "HIDDEN TESTS" in text or any(line in text for line in hidden)
            if not (failed_in_hidden or shows_hidden):
                continue
            if failed_in_hidden and out.get("ename") != "NameError":
                out["evalue"] = "a hidden test failed."
            out["traceback"] = [f"{out.get('ename')}: {out.get('evalue')}"]
        return cell, resources


c.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]


# --- Formgrader shows a submission as text: nothing a student wrote runs in your browser -------
# nbgrader's Formgrader renders a student's Markdown and HTML outputs unsanitized on a page of
# your own Jupyter server, so a written answer holding <img src=x onerror="..."> would run
# JavaScript as you. This nbconvert preprocessor (bleach, via nbconvert's SanitizeHTML) shows
# such HTML escaped on Formgrader's pages only; feedback pages are unchanged. To see submissions
# as nbgrader renders them (trusted students only), delete this line.
c.HTMLExporter.preprocessors = ["policykit.grading.formgrader.SafeSubmissionView"]


# --- No "checksum has changed!" for test cells a student left alone (nbgrader #1961) -----------
# The gradebook keeps each test cell with its hidden tests; the student version has them removed.
# nbgrader's OverwriteCells compares the two, so `nbgrader autograde` warns "Attribute 'checksum'
# for cell ... has changed!" for every test cell with hidden tests, in every submission. This
# step first puts the hidden tests back into each locked cell whose source is exactly the
# released one; the warning is then left for cells a student really changed (OverwriteCells
# still restores those). `policykit grade` keeps nbgrader's log off the screen and reports edited
# test cells itself ([test-cell-edited]).
class RestoreReleasedTestCells(Preprocessor):
    """Locked cells identical to their released version get the gradebook's full source."""

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook, MissingEntry

        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gb:
            for cell in nb.cells:
                grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
                try:
                    source = gb.find_source_cell(grade_id, info["notebook"], info["assignment"])
                except MissingEntry:
                    continue
                if (source.locked and source.cell_type == cell.cell_type
                        and cell.source == _split_hidden(source.source)[0]):
                    cell.source = source.source
        return nb, resources


c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput", "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec", RestoreReleasedTestCells,
    "nbgrader.preprocessors.OverwriteCells", "nbgrader.preprocessors.CheckCellMetadata",
]
