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

