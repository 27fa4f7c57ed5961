"""The instructor's nbgrader settings: the course folder is ``~/lessons`` (a clone's lessons/).

JupyterLab's Formgrader reads nbgrader settings from the server's working directory (the home
folder on a hub) and the Jupyter config path, not from the course folder; this file loads the
course's own ``nbgrader_config.py`` so that Formgrader, the command line and ``policykit grade``
use the same course root, gradebook and timeouts. POLICYKIT_COURSE names another folder. Every
autograde run from here is sandboxed (last lines).
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

course = Path(os.path.expanduser(os.environ.get("POLICYKIT_COURSE", "~/lessons")))
if (course / "nbgrader_config.py").is_file():
    load_subconfig(str(course / "nbgrader_config.py"))  # noqa: F821  (traitlets provides it)

# Formgrader's Autograde button and `nbgrader autograde` in the instructor's terminal grade as
# `policykit grade` does: each submission in the sandbox (bubblewrap), its tests judged in a
# fresh interpreter. Plain nbgrader would run every student's code with the instructor's rights,
# next to the gradebook and every other student's work.
from policykit.grading import sandboxed_autograde  # noqa: E402

sandboxed_autograde(c)
