"""Repository-wide pytest set-up (also loaded for notebooks under lessons/).

Works around an intermittent stall when executing widget notebooks (jupyter/nbclient#312): a
kernel reply sometimes sits unnoticed until the cell timeout. Polling the channel in short
slices, up to the caller's own timeout, removes the stall without changing any result.
"""

from __future__ import annotations

import os
import tempfile
import time
from queue import Empty

from jupyter_client.channels import AsyncZMQSocketChannel

_SLICE = 0.5
_original_get_msg = AsyncZMQSocketChannel.get_msg


async def _get_msg_in_slices(self, timeout=None):
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            raise Empty
        step = _SLICE if remaining is None else min(_SLICE, remaining)
        try:
            return await _original_get_msg(self, timeout=step)
        except Empty:
            continue


AsyncZMQSocketChannel.get_msg = _get_msg_in_slices


def pytest_configure(config):
    # Keep Jupyter's and IPython's state out of $HOME for every kernel the tests start.
    base = tempfile.mkdtemp(prefix="policykit-jupyter-")
    for var, sub in {
        "JUPYTER_CONFIG_DIR": "config",
        "JUPYTER_RUNTIME_DIR": "runtime",
        "IPYTHONDIR": "ipython",
        "JUPYTERLAB_SETTINGS_DIR": "lab-settings",
        "JUPYTERLAB_WORKSPACES_DIR": "lab-workspaces",
    }.items():
        path = os.path.join(base, sub)
        os.makedirs(path, exist_ok=True)
        os.environ.setdefault(var, path)
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
