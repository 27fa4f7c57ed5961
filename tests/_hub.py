"""Helpers for the class-cycle tests: local accounts, a venv they can use, the exchange.

nbgrader's exchange names a student by the OS account that runs ``nbgrader fetch_assignment`` /
``submit`` (``nbgrader.utils.get_username``), so these tests create one local account per
student and run each step as that account with ``runuser``. Root's own interpreter (under
``/root``) is out of those accounts' reach, so they get a virtual environment built from
Debian's ``/usr/bin/python3`` with this package (and JupyterHub) installed, cached in
``/opt/policykit-test-venv-<key>`` between runs. On a fresh machine (CI) it is made of hard
links to the test environment's installed files (when on one file system) and the wheel of this
checkout (tests/_wheel.py), with no pip of its own: 9 CPU-seconds, 53 s on a machine at load 12
(copies and ensurepip took 29 and 166 s). tests/test_exchange.py and tests/test_hub.py both wait
for it; the hub test installs its proxy first.

Everything needs root (``useradd``, ``runuser``); a missing prerequisite skips the test with
its reason locally and fails it where ``POLICYKIT_REQUIRE_BROWSER=1`` (CI).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.metadata
import os
import pwd
import shutil
import subprocess
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path

import _wheel
import pytest

ROOT = Path(__file__).resolve().parents[1]
SYSTEM_PYTHON = Path("/usr/bin/python3")
CACHE = Path(os.environ.get("POLICYKIT_TEST_CACHE", "/opt"))
COURSE_ID = "policykit"


def require(condition: bool, reason: str) -> None:
    """Skip with ``reason`` when ``condition`` is false; fail instead in CI."""
    if condition:
        return
    if os.environ.get("POLICYKIT_REQUIRE_BROWSER") == "1" or os.environ.get("CI"):
        pytest.fail(reason + " (CI must run this test, so this is a failure.)")
    print(f"SKIPPED: {reason}")
    pytest.skip(reason)


def require_accounts() -> None:
    """The test can create local accounts and run commands as them."""
    require(hasattr(os, "geteuid") and os.geteuid() == 0,
            "creating local accounts for the students needs root (nbgrader's exchange names "
            "students by their OS account)")
    for tool in ("useradd", "runuser"):
        require(shutil.which(tool) is not None, f"{tool!r} is not installed")
    require(SYSTEM_PYTHON.exists(), f"{SYSTEM_PYTHON} (Debian's python3) is not installed")
    probe = subprocess.run([str(SYSTEM_PYTHON), "-c", "import ensurepip, venv"],
                           capture_output=True, check=False)
    require(probe.returncode == 0,
            "Debian's python3 cannot create virtual environments: apt-get install python3-venv")


@contextlib.contextmanager
def locked(name: str, timeout: float = 900) -> Iterator[None]:
    """Hold an exclusive lock shared by every process on this machine (accounts, caches)."""
    path = Path(tempfile.gettempdir()) / f"policykit-{name}.lock"
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(str(path.relative_to(ROOT)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def hub_version() -> str:
    """The JupyterHub the accounts' venv gets: the test environment's, so hub and servers agree."""
    try:
        return importlib.metadata.version("jupyterhub")
    except importlib.metadata.PackageNotFoundError:
        return ""


def _pip(python: Path, *args: str) -> None:
    """``pip install args`` into ``python``'s venv, with this environment's pip (``--python``):
    the venv itself has no pip (bootstrapping one costs more than the rest of a fresh build)."""
    import sys

    proc = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install",
                           "--quiet", *args],
                          capture_output=True, text=True, cwd=tempfile.gettempdir(), check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"pip install {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")


def _closure(requirements: list[str]
             ) -> dict[str, tuple[importlib.metadata.Distribution, list[str]]] | None:
    """The installed distributions satisfying ``requirements`` and theirs, or None if any lacks.

    Markers are evaluated for this interpreter (and each requested extra); a requirement that
    is not installed, or installed at a version outside its specifier, gives None. Each
    distribution comes with the requirements (markers dropped) that asked for it.
    """
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    found: dict[str, tuple[importlib.metadata.Distribution, list[str]]] = {}
    done: set[tuple[str, str]] = set()
    todo = [(Requirement(r), "") for r in requirements]
    while todo:
        req, extra = todo.pop()
        if req.marker is not None and not req.marker.evaluate({"extra": extra}):
            continue
        name = canonicalize_name(req.name)
        if name == "policykit-edu":
            continue  # the package itself is installed from the checkout
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            return None
        if req.specifier and not req.specifier.contains(dist.version, prereleases=True):
            return None
        if dist.files is None:
            return None
        asked = found.setdefault(name, (dist, []))[1]
        asked.append(f"{req.name}{req.specifier}")
        for wanted in ["", *sorted(req.extras)]:
            if (name, wanted) in done:
                continue
            done.add((name, wanted))
            todo += [(Requirement(r), wanted) for r in dist.requires or []]
    return found


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link to ``source`` where the file system allows it (most of the venv's ~700 MB
    need not be written again), else a copy. Nothing writes into these files in place: pip
    replaces files, and the accounts cannot write to the venv."""
    if target.exists() and os.path.samefile(source, target):
        return  # linked already (bytecode is linked with its module and listed in RECORD)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _link_bytecode(source: Path, target: Path) -> None:
    """Link the compiled bytecode of ``source`` beside ``target`` too, when it exists.

    RECORD lists bytecode only for pip installs (uv's --compile-bytecode leaves it out), and
    the accounts cannot write into the venv, so without this every command of theirs would
    compile each module it imports, every time. Bytecode is valid for the link: it records
    the source's size and mtime, which a hard link or copy2 keeps, and the Python minor
    version is checked to be the same.
    """
    cache = source.parent / "__pycache__"
    for pyc in cache.glob(f"{source.stem}.*.pyc"):
        if pyc.stem.split(".")[0] != source.stem:
            continue
        linked = target.parent / "__pycache__" / pyc.name
        if not linked.exists():
            linked.parent.mkdir(exist_ok=True)
            _link_or_copy(pyc, linked)


def _copy_installed(requirements: list[str], venv: Path) -> bool:
    """Copy the test environment's installed ``requirements`` (with theirs) into ``venv``.

    Much faster than pip installing them again (~200 s on a fresh machine). Each
    distribution's files are copied as its RECORD lists them (modules, scripts, Jupyter's
    data and config); scripts get ``venv``'s interpreter. Returns False (nothing copied) when
    the Python minor versions differ or a requirement is not installed here: pip then. A
    distribution whose Requires-Python excludes ``venv``'s Python is pip installed instead.
    """
    import sys

    probe = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "import platform, sys, sysconfig; print(sys.version_info[:2]);"
                            "print(sysconfig.get_path('purelib'));"
                            "print(platform.python_version())"],
                           capture_output=True, text=True, check=True)
    version, purelib, full = probe.stdout.split("\n")[:3]
    if version != str(sys.version_info[:2]):
        return False
    found = _closure(requirements)
    if found is None:
        return False
    from packaging.specifiers import SpecifierSet

    # A distribution this Python cannot run (e.g. Requires-Python >=3.11.5 on Debian's 3.11.2)
    # is left to pip, asked for with the same requirements.
    dists, later = [], []
    for dist, asked in found.values():
        if SpecifierSet(dist.metadata["Requires-Python"] or "").contains(full, prereleases=True):
            dists.append(dist)
        else:
            later += asked
    site = Path(purelib)
    here_python = Path(sys.prefix) / "bin"
    # What the new venv already has makes way for the copy (nothing, as it is made without
    # pip; a venv made with ensurepip would have pip and setuptools).
    present = {p.name.split("-")[0].lower().replace("_", "-") for p in site.glob("*.dist-info")}
    clash = [d.metadata["Name"] for d in dists
             if d.metadata["Name"].lower().replace("_", "-") in present]
    if clash:
        subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"),
                        "uninstall", "--yes", "--quiet", *clash], check=True,
                       capture_output=True)
    for dist in dists:
        for file in dist.files or []:
            source = Path(dist.locate_file(file)).resolve()
            if not source.is_file():
                continue
            target = Path(os.path.normpath(site / file))
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.parent == venv / "bin":
                first, _, rest = source.read_bytes().partition(b"\n")
                if first.startswith(b"#!") and str(here_python).encode() in first:
                    target.write_bytes(b"#!" + str(venv / "bin" / "python").encode()
                                       + b"\n" + rest)
                    target.chmod(0o755)
                    continue
            _link_or_copy(source, target)
            if source.suffix == ".py":
                _link_bytecode(source, target)
    if later:
        _pip(venv / "bin" / "python", *later)
    return True


def user_venv() -> Path:
    """A venv every account can run, with ``policykit-edu[lab]`` and JupyterHub; built once.

    Its folder is keyed by the package's runtime and ``lab`` requirements and the JupyterHub
    version and the test extra's jsonschema pin (other edits of pyproject.toml do not rebuild
    it); the package itself is
    reinstalled (without its dependencies) whenever its sources or data change.
    """
    hub = hub_version()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    # The test extra's jsonschema pin too: it halves the start of every nbgrader command.
    pins = [r for r in project["optional-dependencies"]["test"] if r.startswith("jsonschema")]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["lab"], hub, *pins]
    key = hashlib.sha256("\n".join(wanted).encode()).hexdigest()[:12]
    venv = CACHE / f"policykit-test-venv-{key}"
    sources = [p for p in (ROOT / "policykit").rglob("*") if p.is_file()
               and "__pycache__" not in p.parts]
    sources += [p for p in (ROOT / "datasets").rglob("*") if p.is_file()
                and "__pycache__" not in p.parts]
    stamp = venv / ".policykit-sources"
    want = _digest(sources)
    with locked("user-venv"):
        python = venv / "bin" / "python"
        if not (venv / ".complete").exists():
            shutil.rmtree(venv, ignore_errors=True)
            subprocess.run([str(SYSTEM_PYTHON), "-m", "venv", "--without-pip", str(venv)],
                           check=True)
            requirements = [*project["dependencies"], *project["optional-dependencies"]["lab"],
                            f"jupyterhub=={hub}" if hub else "jupyterhub", *pins]
            if _copy_installed(requirements, venv):
                # The dependencies are copies of the test environment's (same Python minor
                # version, every requirement satisfied); the package itself is installed.
                _pip(python, "--no-deps", str(_wheel.wheel()))
            else:
                _pip(python, f"{ROOT}[lab]", f"jupyterhub=={hub}" if hub else "jupyterhub",
                     *pins)
            subprocess.run(["chmod", "-R", "a+rX", str(venv)], check=True)
            stamp.write_text(want)
            (venv / ".complete").write_text(key)
        if stamp.read_text() != want:
            _pip(python, "--no-deps", "--force-reinstall", str(_wheel.wheel()))
            # Only what pip wrote needs opening to the accounts (a whole-venv walk costs ~1 s).
            subprocess.run(["chmod", "-R", "a+rX", str(venv / "bin"), *map(str, (
                venv / "lib").glob("python3*/site-packages/policykit*"))], check=True)
            stamp.write_text(want)
    return venv


#: The account the guide's JupyterHub commands make (``useradd ... bob``, ``chmod 700
#: /home/bob``, ``passwd bob``); the tests run those lines for each of their accounts.
GUIDE_ACCOUNT = "bob"


def ensure_account(name: str) -> Path:
    """Account ``name``, made as the guide makes one (lessons/README.md's JupyterHub section:
    its ``useradd`` line if the account is missing), with a fresh home each run made private
    by the guide's ``chmod 700`` line. Returns the home."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        run_guide_command("useradd ", {GUIDE_ACCOUNT: name}, ROOT)
    entry = pwd.getpwnam(name)
    home = Path(entry.pw_dir)
    # A fresh home each run: what an earlier run fetched or submitted must not leak in.
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    os.chown(home, entry.pw_uid, entry.pw_gid)
    run_guide_command("chmod 700 /home/", {f"/home/{GUIDE_ACCOUNT}": str(home)}, ROOT)
    return home


def chown_tree(path: Path, name: str) -> None:
    entry = pwd.getpwnam(name)
    subprocess.run(["chown", "-R", f"{entry.pw_uid}:{entry.pw_gid}", str(path)], check=True)


def account_env(name: str, venv: Path, **extra: str) -> dict[str, str]:
    """A clean environment for ``name``: its home, the shared venv first on PATH."""
    home = pwd.getpwnam(name).pw_dir
    env = {"HOME": home, "USER": name, "LOGNAME": name, "LANG": "C.UTF-8",
           "PATH": f"{venv / 'bin'}:/usr/local/bin:/usr/bin:/bin", "PYTHONWARNINGS": "ignore"}
    env.update(extra)
    return env


def run_as(name: str, args: list[str], *, cwd: Path, env: dict[str, str],
           timeout: float = 180, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``args`` as account ``name`` (``runuser -u NAME -- ...``); output captured."""
    runuser = shutil.which("runuser") or "/usr/sbin/runuser"
    proc = subprocess.run([runuser, "-u", name, "--", *args], cwd=cwd, env=env, text=True,
                          capture_output=True, timeout=timeout, check=False)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(args)} as {name} failed ({proc.returncode}):\n"
                             f"{proc.stdout}\n{proc.stderr}")
    return proc


def shared_dir(prefix: str) -> Path:
    """A temporary folder every account can enter (pytest's tmp_path is root-only)."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    path.chmod(0o755)
    return path


CHP_VERSION = "5.3.0"


def chp() -> Path:
    """npm's configurable-http-proxy (JupyterHub's proxy), installed once into a cache folder."""
    folder = CACHE / f"policykit-chp-{CHP_VERSION}"
    command = folder / "node_modules" / ".bin" / "configurable-http-proxy"
    with locked("chp"):
        if not command.exists():
            npm = shutil.which("npm")
            require(npm is not None and shutil.which("node") is not None,
                    "Node.js and npm are needed for JupyterHub's proxy: apt-get install npm")
            proc = subprocess.run([npm, "install", "--prefix", str(folder), "--no-audit",
                                   "--no-fund", "--loglevel=error",
                                   f"configurable-http-proxy@{CHP_VERSION}"],
                                  capture_output=True, text=True, check=False,
                                  cwd=tempfile.gettempdir(), timeout=300)
            if proc.returncode != 0:
                raise RuntimeError(f"npm install configurable-http-proxy failed:\n"
                                   f"{proc.stdout}\n{proc.stderr}")
    return command


def set_password(name: str, password: str) -> None:
    """The guide's ``passwd bob`` for ``name``, the new password typed twice on its input."""
    run_guide_command("passwd ", {GUIDE_ACCOUNT: name}, ROOT, input=f"{password}\n{password}\n")


def processes_of(names: list[str]) -> list[int]:
    """Process ids run by these accounts (what the hub started for them)."""
    uids = {pwd.getpwnam(n).pw_uid for n in names}
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if entry.stat().st_uid in uids:
                    found.append(int(entry.name))
    return found


def stop_processes(pids: list[int]) -> None:
    """End the given processes (by id): TERM, then KILL whatever is left after 10 s."""
    import signal
    import time

    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in pids):
        time.sleep(0.2)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def guide_commands() -> list[str]:
    """The shell lines of the ``bash`` block in lessons/README.md's JupyterHub section."""
    text = (ROOT / "lessons" / "README.md").read_text(encoding="utf-8")
    section = text.split("## Running the course on JupyterHub", 1)[1].split("\n## ", 1)[0]
    block = section.split("```bash\n", 1)[1].split("```", 1)[0]
    return [line.strip() for line in block.splitlines() if line.strip()]


#: The start of every line of the guide's JupyterHub commands, each run by a test here:
#: the exchange and global config (tests/test_exchange.py, tests/test_hub.py), an account
#: (:func:`ensure_account`, :func:`set_password`) and the hub itself (tests/test_hub.py).
GUIDE_LINES = ("mkdir -p /srv/", "mkdir -p /etc/jupyter ", "useradd ", "chmod 700 /home/",
               "passwd ", "install -d ", "POLICYKIT_INSTRUCTORS=")
#: The instructor's account in the guide's commands.
GUIDE_INSTRUCTOR = "alice"


def give_course_folder(exchange: Path, instructor: str) -> Path:
    """The guide's ``install -d -o alice ... /srv/nbgrader/exchange/policykit``, for the test's
    exchange and instructor: the course's folder in the exchange, the instructor's from the
    start. Returns it."""
    run_guide_command("install -d ", {GUIDE_INSTRUCTOR: instructor,
                                      "/srv/nbgrader/exchange": str(exchange)}, ROOT)
    return exchange / "policykit"


def run_guide_command(prefix: str, replacements: dict[str, str], cwd: Path,
                      input: str | None = None) -> str:
    """Run the guide's command starting with ``prefix`` (as root), words replaced, with
    ``input`` on its standard input."""
    [command] = [c for c in guide_commands() if c.startswith(prefix)]
    for old, new in replacements.items():
        command = command.replace(old, new)
    proc = subprocess.run(["bash", "-c", command], cwd=cwd, capture_output=True, text=True,
                          timeout=60, input=input, check=False)
    if proc.returncode != 0:
        raise AssertionError(f"the guide's {command!r} failed ({proc.returncode}):\n"
                             f"{proc.stdout}{proc.stderr}")
    return command
