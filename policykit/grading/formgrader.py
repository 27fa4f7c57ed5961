"""Formgrader shows a submission as inert text: a student's notebook never runs in the
instructor's browser.

nbgrader's Formgrader shows each autograded notebook as a page of the instructor's own Jupyter
server. It renders the student's Markdown (the written answers the instructor grades by hand)
and the outputs of the student's code as HTML, without sanitizing either. A student who writes
``<img src=x onerror="...">`` in an answer, or whose code displays HTML with a script, runs
JavaScript in the instructor's session when the instructor opens that submission: it could call
the server's API as the instructor, run code in their account, change grades or read every
other student's work.

:class:`SafeSubmissionView` is an nbconvert preprocessor for those pages only. It is nbconvert's
own :class:`~nbconvert.preprocessors.SanitizeHTML` (bleach): HTML in Markdown and raw cells is
shown escaped, as text (the instructor sees what was tried); HTML outputs keep only harmless
tags; JavaScript, SVG and widget outputs are removed. An HTML output that carries a script (an
explorer's interactive figure, with plotly.js) is replaced by a one-line note instead of showing
its code as text; the student's feedback page still shows the figure. The course's
``nbgrader_config.py`` switches it on::

    c.HTMLExporter.preprocessors = ["policykit.grading.formgrader.SafeSubmissionView"]

Every other page nbgrader writes with HTMLExporter (feedback pages, which a student reads about
their own notebook) is left as it was: the preprocessor acts only on the pages Formgrader renders
for grading (their resources carry Formgrader's ``submission_id`` and ``notebook_path``).
"""

from __future__ import annotations

from typing import Any

from nbconvert.preprocessors.sanitize import SanitizeHTML
from nbformat import NotebookNode

__all__ = ["NOT_SHOWN", "SafeSubmissionView"]

#: What replaces an HTML output that carries a script, on a Formgrader page.
NOT_SHOWN = ("[An interactive output (HTML with a script) is not shown here, so that nothing "
             "from a submission runs in the grader's browser. The student's feedback page "
             "shows it.]")

#: Resources only Formgrader's submission page passes to the exporter (nbgrader 0.9's
#: SubmissionHandler); feedback pages and other exports have neither.
_FORMGRADER_KEYS = frozenset({"submission_id", "notebook_path"})


def _is_formgrader_page(resources: dict[str, Any] | None) -> bool:
    return bool(resources) and set(resources) >= _FORMGRADER_KEYS


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


class SafeSubmissionView(SanitizeHTML):
    """Sanitize a submission for Formgrader's grading page (see the module docstring)."""

    def preprocess(self, nb, resources):
        if not _is_formgrader_page(resources):
            return nb, resources
        return super().preprocess(nb, resources)

    def sanitize_code_outputs(self, outputs):
        for output in outputs:
            data = output.get("data") if output.get("output_type") in (
                "display_data", "execute_result") else None
            if data and "<script" in _text(data.get("text/html", "")).lower():
                output["data"] = NotebookNode({"text/plain": NOT_SHOWN})
        return super().sanitize_code_outputs(outputs)
