"""The explorers-only notebook behind the README's Voila link runs headless and offline."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parent.parent / "lessons" / "explorers.ipynb"


@pytest.mark.notebooks
@pytest.mark.timeout(180)
def test_explorers_notebook_executes(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert not [o for o in cell.outputs if o.output_type == "error"], cell.source
    shown = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
             if o.output_type == "execute_result"]
    assert len(shown) == 4
    for output in shown:
        assert "application/vnd.jupyter.widget-view+json" in output.data
        html = output.data.get("text/html", "")
        assert html and not re.search(r"<script[^>]+src=[\"']https?://", html)
