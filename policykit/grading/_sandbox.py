"""Run a command in a bubblewrap sandbox: read-only system, one writable folder, no network.

The sandbox sees only the operating system (``/usr``, ``/etc`` ...), this Python and its
installed packages (policykit's code and data included), and one scratch folder mounted at
:data:`WORKDIR`. It does not see the course folder, other students' files, the gradebook,
``$HOME`` or the host's ``/tmp``; it has its own process tree and network namespace (loopback
only, so a kernel can still talk to its client inside) and dies with the grader.

Without bubblewrap, :func:`command` raises :class:`SandboxUnavailableError` naming the package
to install; ``sandbox=False`` runs the command directly (trusted submissions only).
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

from ..errors import PolicykitError

__all__ = ["WORKDIR", "SandboxUnavailableError", "command", "environment", "readable_paths"]

#: Where the scratch folder appears inside the sandbox.
WORKDIR = "/grading"
_INSTALL = ("Install bubblewrap (Debian/Ubuntu: 'apt-get install bubblewrap'; Fedora: "
            "'dnf install bubblewrap'), or pass --no-sandbox to grade without isolation "
            "(only for submissions you trust).")


class SandboxUnavailableError(PolicykitError):
    """Grading asked for a sandbox and bubblewrap is missing or cannot run here."""


@cache
def _bwrap() -> str:
    path = shutil.which("bwrap")
    if path is None:
        msg = ("policykit grade runs every submission in a bubblewrap sandbox, but the 'bwrap' "
               f"command was not found on PATH. {_INSTALL}")
        raise SandboxUnavailableError(msg)
    probe = subprocess.run([path, "--ro-bind", "/", "/", "--unshare-all", "true"],
                           capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        msg = (f"bubblewrap ({path}) is installed but cannot create a sandbox here: "
               f"{probe.stderr.strip() or 'exit ' + str(probe.returncode)}. Enable "
               "unprivileged user namespaces (or run as root), or pass --no-sandbox to grade "
               "without isolation (only for submissions you trust).")
        raise SandboxUnavailableError(msg)
    return path


def _inside(path: Path, roots: Sequence[Path]) -> bool:
    return any(path == r or r in path.parents for r in roots)


@cache
def readable_paths() -> tuple[Path, ...]:
    """Folders the sandbox mounts read-only: this Python, its packages and policykit."""
    import policykit
    from policykit._datapackage import data_root  # every case's folder, not only the default

    candidates = [sys.base_prefix, sys.prefix, sys.exec_prefix,
                  *site.getsitepackages(), sysconfig.get_paths()["stdlib"],
                  Path(policykit.__file__).parent, data_root()]
    resolved: list[Path] = []
    for item in candidates:
        path = Path(item).resolve()
        if path.is_dir() and not _inside(path, resolved):
            resolved = [p for p in resolved if not _inside(p, [path])] + [path]
    return tuple(sorted(resolved))


def environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The whole environment a sandboxed process gets (nothing inherited by accident)."""
    home = f"{WORKDIR}/home"
    env = {
        "HOME": home,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/bin", "/bin"]),
        "LANG": "C.UTF-8",
        "PYTHONNOUSERSITE": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONIOENCODING": "utf-8",
        "JUPYTER_CONFIG_DIR": f"{home}/.jupyter",
        "JUPYTER_RUNTIME_DIR": f"{home}/.runtime",
        "JUPYTER_DATA_DIR": f"{home}/.jupyter-data",
        "JUPYTER_PLATFORM_DIRS": "1",
        "IPYTHONDIR": f"{home}/.ipython",
        "MPLBACKEND": "Agg",
        "OPENBLAS_NUM_THREADS": "1",
        "NBGRADER_EXECUTION": "autograde",
    }
    for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):  # set on some CPUs; keep as found
        if key in os.environ:
            env[key] = os.environ[key]
    env.update(extra or {})
    return env


def _system_mounts() -> list[str]:
    args: list[str] = []
    for name in ("/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        path = Path(name)
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), name]
        elif path.is_dir():
            args += ["--ro-bind", name, name]
    return args


def _outside(value: str, scratch: Path | None) -> str:
    """``value`` with a leading :data:`WORKDIR` turned into ``scratch`` (for running unsandboxed).

    Only a path that starts with it changes: ``/srv/grading/venv/bin/python`` stays as it is.
    """
    if scratch is None or not (value == WORKDIR or value.startswith(f"{WORKDIR}/")):
        return value
    return str(scratch) + value[len(WORKDIR):]


def command(argv: Sequence[str], *, scratch: Path | None, hide: Sequence[Path] = (),
            sandbox: bool = True, env: Mapping[str, str] | None = None) -> tuple[list[str], dict]:
    """Return ``(argv, popen_kwargs)`` that run ``argv`` isolated.

    Parameters
    ----------
    argv
        The command, with paths as the sandbox sees them (``scratch`` appears at
        :data:`WORKDIR`).
    scratch
        The only writable folder (``None``: nothing writable but a private ``/tmp``).
    hide
        Folders to hide even if they lie inside a readable path (the course folder).
    sandbox
        False runs ``argv`` directly, with ``scratch`` as working folder (no isolation).
    env
        Extra environment variables.
    """
    full_env = environment(env)
    if not sandbox:
        workdir = str(scratch) if scratch is not None else tempfile.gettempdir()
        real = [_outside(a, scratch) for a in argv]
        full_env = {k: _outside(v, scratch) for k, v in full_env.items()}
        full_env["PATH"] = os.environ.get("PATH", full_env["PATH"])
        return real, {"cwd": workdir, "env": full_env, "start_new_session": True}
    # Order matters: later mounts cover earlier ones. The private /tmp comes first, so that a
    # Python or checkout that lives under /tmp (a CI clone, say) is mounted on top of it.
    bwrap = [_bwrap(), *_system_mounts(), "--proc", "/proc", "--dev", "/dev",
             "--tmpfs", "/tmp", "--tmpfs", "/var/tmp"]
    for path in readable_paths():
        bwrap += ["--ro-bind", str(path), str(path)]
    for path in hide:
        if _inside(Path(path).resolve(), list(readable_paths())):
            bwrap += ["--tmpfs", str(Path(path).resolve())]
    if scratch is not None:
        bwrap += ["--bind", str(scratch), WORKDIR, "--chdir", WORKDIR]
    else:
        bwrap += ["--dir", WORKDIR, "--chdir", WORKDIR]
    bwrap += ["--unshare-all", "--die-with-parent", "--new-session", "--clearenv"]
    for key, value in full_env.items():
        bwrap += ["--setenv", key, value]
    return [*bwrap, *argv], {"start_new_session": True, "env": {}}
