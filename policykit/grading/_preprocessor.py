"""The nbgrader preprocessor that replaces nbgrader's ``Execute`` in ``policykit grade``.

nbgrader still does everything around it (copying submissions, restoring locked cells from the
gradebook, scoring test cells from their outputs, late penalties, the gradebook itself); this
step only changes how the notebook is run:

1. the student's cells run in a fresh kernel inside the sandbox, with every autograded test cell
   replaced by a one-line export of the answer values it needs (the kernel never sees a test);
2. the judge, a fresh sandboxed interpreter that never ran student code, re-runs the locked
   setup cells it needs and then each test against those plain values;
3. each test cell gets the judge's verdict as its output (nothing for a pass, an error for a
   failure), which nbgrader's ``SaveAutoGrades`` turns into the score.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Float, Integer

from . import _flags
from ._cells import is_autograded_test, meta, plan
from ._export import MIME
from ._sandbox import WORKDIR, command

__all__ = ["REPORTS", "DropUnknownCells", "SandboxedExecute"]

#: Reports of the notebooks graded in this process, in order (read by :func:`grade`).
REPORTS: list[dict[str, Any]] = []

#: The notebook runner, started by its file: as ``-m policykit.grading._runner`` it would first
#: import the policykit package (pandas and all, ~0.5 s of CPU) in a process that needs none of it.
_RUNNER = Path(__file__).resolve().with_name("_runner.py")

_EXPORT = '__import__("policykit.grading._export", fromlist=["emit"]).emit(globals(), {names!r})'


def _limit_files(max_bytes: int) -> Any:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


class DropUnknownCells(NbGraderPreprocessor):
    """Treat cells whose nbgrader id the gradebook does not know as the student's own cells.

    A student who renames a test cell's ``grade_id`` otherwise makes nbgrader 0.9's
    ``OverwriteCells`` fail for the whole submission (a ``KeyError`` while re-adding the
    "missing" original). Stripping the unknown metadata lets nbgrader restore the original cell,
    so the renamed copy is graded as nothing; :class:`SandboxedExecute` flags the rename.
    """

    def preprocess(self, nb: Any, resources: dict) -> tuple[Any, dict]:
        from nbgrader.api import Gradebook, MissingEntry

        info = resources["nbgrader"]
        try:
            with Gradebook(info["db_url"]) as gb:
                known = {c.name for c in gb.find_notebook(info["notebook"],
                                                          info["assignment"]).source_cells}
        except MissingEntry:
            return nb, resources
        for cell in nb.cells:
            if "nbgrader" in cell.metadata and meta(cell).get("grade_id") not in known:
                del cell.metadata["nbgrader"]
        return nb, resources


class SandboxedExecute(NbGraderPreprocessor):
    """Run a submission isolated and judge its answers in a fresh interpreter."""

    sandbox = Bool(True, help="Run the student's kernel and the judge inside bubblewrap."
                   ).tag(config=True)
    timeout = Integer(60, help="Seconds a cell may run before it is interrupted."
                      ).tag(config=True)
    interrupt_grace = Float(3, help="Seconds an interrupted cell has to stop before its kernel "
                            "is killed (a loop that ignores the interrupt); the notebook's "
                            "later cells then do not run and score 0.").tag(config=True)
    notebook_timeout = Integer(600, help="Seconds a whole notebook may run before it is "
                               "stopped (what ran until then is still graded).").tag(config=True)
    max_output = Integer(1_000_000, help="Bytes of printed text kept per cell (the rest is "
                         "cut, with a note).").tag(config=True)
    max_cell = Integer(8_000_000, help="Bytes of all outputs, figures included, kept per "
                       "cell.").tag(config=True)
    max_file_bytes = Integer(200_000_000, help="Largest file the submission may write."
                             ).tag(config=True)

    # -- helpers -------------------------------------------------------------------------
    def _coursedir(self) -> Any:
        from nbgrader.coursedir import CourseDirectory

        return CourseDirectory(config=self.config)

    def _source_cells(self, coursedir: Any, assignment: str, notebook: str) -> list[dict]:
        path = Path(coursedir.format_path(coursedir.source_directory, ".", assignment),
                    f"{notebook}.ipynb")
        if not path.exists():
            return []
        return [dict(c) for c in nbformat.read(path, as_version=4).cells]

    def _submitted_cells(self, coursedir: Any, student: str, assignment: str,
                         notebook: str) -> list[dict] | None:
        path = Path(coursedir.format_path(coursedir.submitted_directory, student, assignment),
                    f"{notebook}.ipynb")
        try:
            return [dict(c) for c in nbformat.read(path, as_version=4).cells]
        except Exception:
            return None

    def _start(self, argv: list[str], scratch: Path | None, hide: list[Path], *,
               env: dict | None = None, stdin: bool = False) -> tuple[Any, Any, Any]:
        cmd, kwargs = command(argv, scratch=scratch, hide=hide, sandbox=self.sandbox, env=env)
        # Closed by _finish.
        out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()  # noqa: SIM115
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                                stdout=out, stderr=err,
                                preexec_fn=_limit_files(self.max_file_bytes), **kwargs)
        return proc, out, err

    @staticmethod
    def _finish(started: tuple[Any, Any, Any], timeout: float, stdin: str | None = None
                ) -> tuple[int | None, str, str]:
        proc, out, err = started
        try:
            if stdin is not None:
                proc.stdin.write(stdin.encode())
                proc.stdin.close()
            proc.wait(timeout=timeout)
            code: int | None = proc.returncode
        except (subprocess.TimeoutExpired, BrokenPipeError):
            _kill(proc)
            code = None
        with out, err:
            out.seek(0)
            err.seek(0)
            return (code, out.read(20_000_000).decode("utf-8", "replace"),
                    err.read()[-4000:].decode("utf-8", "replace"))

    # -- the step ------------------------------------------------------------------------
    def preprocess(self, nb: Any, resources: dict) -> tuple[Any, dict]:
        info = resources["nbgrader"]
        student, assignment, notebook = info["student"], info["assignment"], info["notebook"]
        workdir = Path(resources.get("metadata", {}).get("path") or ".")
        coursedir = self._coursedir()
        course_root = Path(coursedir.root).resolve()
        started = time.monotonic()
        flags: list[tuple[str, str]] = []

        # What the submission looked like before nbgrader restored the locked cells.
        gradebook_tests = {meta(c)["grade_id"]: c.source for c in nb.cells
                           if is_autograded_test(c)}
        known_ids = {meta(c).get("grade_id") for c in nb.cells if meta(c).get("grade_id")}
        submitted = self._submitted_cells(coursedir, student, assignment, notebook)
        if submitted is None:
            flags.append(("unreadable", "the submitted notebook could not be read"))
        else:
            flags += _flags.test_cell_changes(submitted, gradebook_tests, known_ids)
            for index, cell in enumerate(submitted):
                m = meta(cell)
                if cell.get("cell_type") == "code" and (m.get("solution") or not m):
                    flags += [(code, f"cell {index + 1}: {what}")
                              for code, what in _flags.scan_code(str(cell.get("source", "")))]

        setup, answers = plan(nb.cells, self._source_cells(coursedir, assignment, notebook))
        # The judge starts now, importing and running the setup cells while the kernel works.
        judge = self._start([sys.executable, "-I", "-m", "policykit.grading._judge"], None,
                            [course_root], env={"POLICYKIT_GRADING": "1"}, stdin=True)
        request = {"setup": [nb.cells[i].source for i in setup],
                   "tests": [{"grade_id": meta(nb.cells[i])["grade_id"],
                              "source": nb.cells[i].source} for i in answers]}
        try:
            judge[0].stdin.write((json.dumps(request) + "\n").encode())
            judge[0].stdin.flush()
        except BrokenPipeError:
            pass

        # 1. The student's kernel, in the sandbox, with tests swapped for exports.
        scratch = Path(tempfile.mkdtemp(prefix="policykit-grade-"))
        try:
            _copy_student_files(workdir, scratch)
            (scratch / ".policykit").mkdir(exist_ok=True)
            (scratch / ".home").mkdir(exist_ok=True)
            kernel_nb = copy.deepcopy(nb)
            for index, cell in enumerate(kernel_nb.cells):
                if cell.cell_type == "code":
                    cell.outputs = []
                    cell.execution_count = None
                if index in answers:
                    cell.source = _EXPORT.format(names=answers[index])
            nbformat.write(kernel_nb, scratch / ".policykit" / "notebook.ipynb")
            argv = [sys.executable, "-I", str(_RUNNER),
                    f"{WORKDIR}/.policykit/notebook.ipynb", f"{WORKDIR}/.policykit/progress.jsonl",
                    "--timeout", str(self.timeout), "--interrupt-grace",
                    str(self.interrupt_grace), "--max-output", str(self.max_output),
                    "--max-cell", str(self.max_cell)]
            runner = self._start(argv, scratch, [course_root], env={"HOME": f"{WORKDIR}/.home",
                                          "IPYTHONDIR": f"{WORKDIR}/.home/.ipython",
                                          "JUPYTER_CONFIG_DIR": f"{WORKDIR}/.home/.jupyter",
                                          "JUPYTER_RUNTIME_DIR": f"{WORKDIR}/.home/.runtime",
                                          "JUPYTER_DATA_DIR": f"{WORKDIR}/.home/.data"})
            code, _, err = self._finish(runner, self.notebook_timeout)
            progress = _read_progress(scratch / ".policykit" / "progress.jsonl")
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        if code is None:
            flags.append(("notebook-timeout", f"stopped after {self.notebook_timeout} s; cells "
                          "that had not run score 0"))
        elif code != 0:
            flags.append(("runner-error", f"the notebook runner exited {code}: {err[-300:]}"))
        for line in progress.values():
            if line.get("cut"):
                flags.append(("output-cut", f"cell {line['index'] + 1}: {line['cut']:,} bytes "
                              "of output cut"))
            for out in line.get("outputs", []):
                if out.get("output_type") == "error" and out.get("ename") == "CellTimeoutError":
                    flags.append(("cell-timeout", f"cell {line['index'] + 1} ran past "
                                  f"{self.timeout} s and was interrupted"))
        if -1 in progress:
            flags.append(("kernel-error", str(progress[-1].get("error", ""))[:300]))

        # 2. The judge: fresh interpreter, instructor code only, answers as plain data.
        exported: dict[str, dict] = {}
        for index, names in answers.items():
            grade_id = meta(nb.cells[index])["grade_id"]
            exported[grade_id] = _exported_values(progress.get(index), names)
        code, out, err = self._finish(judge, max(120, self.timeout * 2),
                                      stdin=json.dumps({"answers": exported}) + "\n")
        try:
            verdict = json.loads(out.strip().splitlines()[-1])
        except (ValueError, IndexError, RecursionError):
            verdict = {"results": {}, "setup_errors": [f"the judge failed (exit {code}): "
                                                       f"{err[-500:]}"]}
            self.log.error("policykit grade: the judge failed for %s/%s: %s", student,
                           notebook, err[-500:])
        for problem in verdict.get("setup_errors", []):
            flags.append(("judge-setup", problem))

        # 3. Outputs: the student's own for their cells, the verdict for each test cell.
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            cell.execution_count = None
            if index in answers:
                result = verdict.get("results", {}).get(meta(cell)["grade_id"])
                cell.outputs = _verdict_outputs(result)
                for item in (result or {}).get("ungradable", []):
                    flags.append(("not-plain", f"answer {item} in {meta(cell)['grade_id']!r}"))
            else:
                cell.outputs = [nbformat.from_dict(o) for o in
                                progress.get(index, {}).get("outputs", [])]

        report = {"student": student, "assignment": assignment, "notebook": notebook,
                  "flags": [{"code": c, "detail": d} for c, d in flags],
                  "tests": verdict.get("results", {}),
                  "seconds": round(time.monotonic() - started, 2), "sandbox": self.sandbox}
        REPORTS.append(report)
        _write_report(course_root, report)
        for code_, detail in flags:
            self.log.warning("flag [%s] %s/%s: %s", code_, student, notebook, detail)
        return nb, resources


def _kill(proc: subprocess.Popen) -> None:
    import signal

    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        proc.kill()
    proc.wait()


def _copy_student_files(workdir: Path, scratch: Path) -> None:
    """The student's own folder (their notebooks and files), without following links out."""
    if not workdir.is_dir():
        return
    for item in workdir.iterdir():
        if item.is_symlink():
            continue
        target = scratch / item.name
        if item.is_dir():
            shutil.copytree(item, target, symlinks=True)
        elif item.is_file():
            shutil.copy2(item, target)


def _read_progress(path: Path) -> dict[int, dict]:
    lines: dict[int, dict] = {}
    if not path.exists():
        return lines
    with path.open(encoding="utf-8", errors="replace") as handle:
        for raw in handle:
            try:
                line = json.loads(raw)
                index = int(line["index"])
            except (ValueError, KeyError, TypeError, RecursionError):  # forged or cut lines
                continue
            lines.setdefault(index, line)  # the runner's first line for a cell wins
    return lines


def _exported_values(line: dict | None, names: list[str]) -> dict[str, Any]:
    if not line:
        return {}
    for out in line.get("outputs", []):
        payload = out.get("data", {}).get(MIME) if isinstance(out.get("data"), dict) else None
        if isinstance(payload, dict):
            return {k: v for k, v in payload.items() if k in names}
    return {}


def _verdict_outputs(result: dict | None) -> list[Any]:
    if result is None:
        result = {"passed": False, "ename": "GradingError",
                  "message": "GradingError: this test could not be run."}
    if result.get("passed"):
        return []
    message = str(result.get("message") or "a test failed")
    return [nbformat.v4.new_output("error", ename=str(result.get("ename") or "Error"),
                                   evalue=message, traceback=message.splitlines())]


def _write_report(course_root: Path, report: dict) -> None:
    folder = course_root / "reports" / report["assignment"] / report["student"]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{report['notebook']}.json").write_text(json.dumps(report, indent=1),
                                                          encoding="utf-8")
    except OSError:
        pass
