"""Execute one student notebook; meant to run inside the sandbox.

``python -I .../policykit/grading/_runner.py NOTEBOOK PROGRESS --timeout S --max-output BYTES``

(run by its file, not with ``-m``, so that it does not import the policykit package: it needs
only the standard library and jupyter_client, and must not import anything else from policykit)

Runs every code cell in a fresh kernel (errors do not stop the run; a cell running past
``--timeout`` seconds is interrupted), cuts each cell's output to ``--max-output`` bytes with a
note, and appends one JSON line per executed cell to ``PROGRESS``: ``{"index", "outputs",
"status"}``. Progress is written as it happens, so a submission stopped from outside keeps what
it produced before.

A kernel that is still busy ``--interrupt-grace`` seconds after the interrupt (a loop that
ignores SIGINT, or one stuck in C code) is killed, and the cells after it do not run: the run
ends with a ``kernel-dead`` line. An ordinary loop stops at the interrupt within a fraction of a
second, so the grace only decides how long a kernel that will not stop may keep its CPU.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from queue import Empty
from typing import Any

__all__ = ["cap_outputs", "main"]

CUT_NOTE = "[policykit grade: output cut here; {cut:,} more bytes not kept]\n"


def _size(output: dict[str, Any]) -> int:
    return len(json.dumps(output, default=str))


def _text(out: dict[str, Any]) -> str:
    text = out.get("text", "")
    return "".join(text) if isinstance(text, list) else str(text)


def cap_outputs(outputs: list[dict[str, Any]], text_limit: int,
                total_limit: int | None = None) -> tuple[list[dict[str, Any]], int]:
    """Cap one cell's outputs; return what is kept and the number of bytes cut.

    Printed text (streams) is kept up to ``text_limit`` bytes and cut there with a note saying
    how much was dropped - that is where floods come from. Everything together (figures
    included) is kept up to ``total_limit`` bytes (default: four times ``text_limit``); a rich
    output that does not fit is dropped whole, with the same note.

    >>> kept, cut = cap_outputs([{"output_type": "stream", "name": "stdout", "text": "x" * 50}], 10)
    >>> cut, kept[0]["text"].splitlines()[1][:16]
    (40, '[policykit grade')
    """
    total_limit = 4 * text_limit if total_limit is None else total_limit
    kept: list[dict[str, Any]] = []
    text_used = used = cut = 0
    for out in outputs:
        if out.get("output_type") == "stream":
            text = _text(out)
            room = max(min(text_limit - text_used, total_limit - used), 0)
            if len(text) > room:
                cut += len(text) - room
                note = CUT_NOTE.format(cut=len(text) - room)
                out = {**out, "text": text[:room] + ("" if text[:room].endswith("\n") else
                                                     "\n") + note}
                text = out["text"]
            text_used += len(text)
            used += len(text)
            kept.append(out)
            continue
        size = _size(out)
        if used + size > total_limit:
            cut += size
            kept.append({"output_type": "stream", "name": "stdout",
                         "text": CUT_NOTE.format(cut=size)})
            continue
        used += size
        kept.append(out)
    return kept, cut


def _output(msg_type: str, content: dict[str, Any]) -> dict[str, Any]:
    if msg_type == "stream":
        return {"output_type": "stream", "name": content.get("name", "stdout"),
                "text": str(content.get("text", ""))}
    if msg_type == "error":
        return {"output_type": "error", "ename": str(content.get("ename", "")),
                "evalue": str(content.get("evalue", "")),
                "traceback": [str(t) for t in content.get("traceback", [])][:200]}
    out = {"output_type": msg_type, "data": content.get("data", {}),
           "metadata": content.get("metadata", {})}
    if msg_type == "execute_result":
        out["execution_count"] = content.get("execution_count")
    return out


class _Cell:
    """Collects one cell's outputs as they arrive, cutting printed text at the limit."""

    def __init__(self, text_limit: int) -> None:
        self.outputs: list[dict[str, Any]] = []
        self.text_limit = text_limit
        self.text_used = 0
        self.cut = 0

    def add(self, msg_type: str, content: dict[str, Any]) -> None:
        if msg_type == "clear_output":
            self.outputs = []
            return
        out = _output(msg_type, content)
        if msg_type == "stream":
            room = max(self.text_limit - self.text_used, 0)
            text = out["text"]
            if len(text) > room:
                self.cut += len(text) - room
                text = text[:room]
            self.text_used += len(text)
            if not text:
                return
            last = self.outputs[-1] if self.outputs else None
            if last and last["output_type"] == "stream" and last["name"] == out["name"]:
                last["text"] += text
                return
            out["text"] = text
        self.outputs.append(out)


def _run_cell(kc: Any, km: Any, source: str, timeout: float, text_limit: int,
              grace: float = 3) -> tuple[_Cell, str]:
    """Execute one cell; return its outputs and a status.

    The status is 'ok', 'error', 'timeout' (interrupted past ``timeout`` seconds, and stopped),
    'stuck' (still busy ``grace`` seconds after the interrupt; the caller kills the kernel) or
    'dead' (the kernel process ended).
    """
    cell = _Cell(text_limit)
    msg_id = kc.execute(source, store_history=True, allow_stdin=False, stop_on_error=False)
    deadline = time.monotonic() + timeout
    interrupted_at: float | None = None
    status = "ok"
    while True:
        if not km.is_alive():
            return cell, "dead"
        now = time.monotonic()
        if interrupted_at is None and now > deadline:
            km.interrupt_kernel()
            interrupted_at = now
            deadline = now + grace
            status = "timeout"
            cell.outputs.append({"output_type": "error", "ename": "CellTimeoutError",
                                 "evalue": f"the cell ran longer than {timeout:g} s",
                                 "traceback": [f"CellTimeoutError: the cell ran longer than "
                                               f"{timeout:g} s and was interrupted"]})
        elif interrupted_at is not None and now > deadline:
            return cell, "stuck"  # ignores interrupts: give up on this kernel
        try:
            # Wake up at the deadline rather than up to half a second after it.
            msg = kc.get_iopub_msg(timeout=min(0.5, max(deadline - now, 0.01)))
        except Empty:
            continue
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "status" and content.get("execution_state") == "idle":
            break
        if kind in ("stream", "display_data", "execute_result", "error", "clear_output"):
            if kind == "error" and status == "ok":
                status = "error"
            cell.add(kind, content)
    return cell, status


def main(argv: list[str] | None = None) -> int:
    """Run the notebook; return 0 (failures inside the notebook are the student's, not ours)."""
    parser = argparse.ArgumentParser(prog="policykit.grading._runner")
    parser.add_argument("notebook", type=Path)
    parser.add_argument("progress", type=Path)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--max-output", type=int, default=1_000_000,
                        help="bytes of printed text kept per cell")
    parser.add_argument("--max-cell", type=int, default=8_000_000,
                        help="bytes of all outputs (figures included) kept per cell")
    parser.add_argument("--interrupt-grace", type=float, default=3,
                        help="seconds a timed-out cell has to stop after the interrupt before "
                             "its kernel is killed")
    parser.add_argument("--kernel", default="python3")
    args = parser.parse_args(argv)

    from jupyter_client.manager import start_new_kernel

    cells = json.loads(args.notebook.read_text(encoding="utf-8"))["cells"]
    progress = args.progress.open("a", encoding="utf-8")

    def record(line: dict[str, Any]) -> None:
        progress.write(json.dumps(line) + "\n")
        progress.flush()

    km, kc = start_new_kernel(kernel_name=args.kernel, cwd=os.getcwd(),
                              extra_arguments=["--HistoryManager.hist_file=:memory:"])
    try:
        for index, cell in enumerate(cells):
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            if not source.strip():
                continue
            result, status = _run_cell(kc, km, source, args.timeout, args.max_output,
                                       args.interrupt_grace)
            outputs, cut = cap_outputs(result.outputs, args.max_output, args.max_cell)
            cut += result.cut
            if result.cut:
                outputs.append({"output_type": "stream", "name": "stdout",
                                "text": CUT_NOTE.format(cut=result.cut)})
            record({"index": index, "status": status, "cut": cut, "outputs": outputs})
            if status == "dead":
                record({"index": -1, "status": "kernel-dead",
                        "error": f"the kernel stopped answering in cell {index + 1}"})
                break
            if status == "stuck":
                record({"index": -1, "status": "kernel-dead",
                        "error": f"the kernel ignored the interrupt in cell {index + 1} for "
                                 f"{args.interrupt_grace:g} s and was stopped; later cells did "
                                 "not run"})
                break
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        progress.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
