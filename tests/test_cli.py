"""The policykit command line."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout

import pandas as pd

import policykit
from policykit.cli import main


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_list():
    code, out, _ = run("list")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == policykit.list_datasets()


def test_describe_and_cite():
    code, out, _ = run("describe", "signatories")
    assert code == 0 and "What this data does not show" in out
    code, out, _ = run("cite")
    assert code == 0 and out.startswith("The policykit authors.")


def test_unknown_dataset_is_exit_2_with_suggestion():
    code, out, err = run("describe", "signers")
    assert code == 2 and out == ""
    assert err.startswith("policykit: error: Unknown dataset 'signers'.")


def test_export_csv_round_trips(tmp_path):
    target = tmp_path / "rc.csv"
    code, _, err = run("export", "rollcalls", "--output", str(target))
    assert code == 0 and "wrote 24 rows" in err
    again = pd.read_csv(target)
    assert again["vote_key"].tolist() == policykit.load_rollcalls()["vote_key"].tolist()


def test_export_json_to_stdout():
    code, out, _ = run("export", "signatories", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 30 and rows[0]["bioguide_id"] == "J000298"


def test_export_never_overwrites_without_force(tmp_path):
    target = tmp_path / "keep.csv"
    target.write_text("precious\n")
    code, _, err = run("export", "events", "--output", str(target))
    assert code == 2 and target.read_text() == "precious\n"
    assert "already exists; nothing was written. Pass --force" in err
    code, _, _ = run("export", "events", "--output", str(target), "--force")
    assert code == 0 and target.read_text().startswith("event_id,")


# --- Issue 7: no tracebacks, atomic no-overwrite, python -m policykit ----------------------------

import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from policykit import cli  # noqa: E402


def run_module(*argv, **kwargs):
    """Run ``python -m policykit`` in a fresh interpreter (bytes out, text err)."""
    return subprocess.run([sys.executable, "-m", "policykit", *argv], capture_output=True,
                          check=False, **kwargs)


def test_python_dash_m_policykit_runs_the_cli():
    result = run_module("list")
    assert result.returncode == 0 and result.stderr == b""
    names = [line.split()[0] for line in result.stdout.decode().splitlines()]
    assert names == policykit.list_datasets()


@pytest.mark.parametrize("argv", [["list"], ["export", "house_votes"], ["cite"]])
def test_broken_pipe_is_quiet(argv):
    read, write = os.pipe()
    os.close(read)  # the reader is gone before anything is written (as with `| head -0`)
    try:
        result = subprocess.run([sys.executable, "-m", "policykit", *argv], stdout=write,
                                stderr=subprocess.PIPE, check=False)
    finally:
        os.close(write)
    assert (result.returncode, result.stderr) == (141, b"")


def test_reader_that_stops_early_gets_no_traceback():
    proc = subprocess.Popen([sys.executable, "-m", "policykit", "export", "house_votes"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()  # like `| head -1`: one line, then close
    proc.stdout.close()
    err = proc.stderr.read()
    proc.stderr.close()
    # 141 when the pipe filled up before the reader left; 0 where the pipe holds the whole
    # export (some kernels give pipes 1 MB). Never a traceback either way.
    assert proc.wait() in (0, 141) and err == b""
    assert first == b"vote_key,bioguide_id,party,state,district,position,sources\n"


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_export_to_a_non_utf8_stdout_writes_utf8(encoding):
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    result = run_module("export", "signatories", env=env)
    assert result.returncode == 0 and result.stderr == b""
    text = result.stdout.decode("utf-8")  # the data stays UTF-8, whatever the terminal
    assert "André Carson" in text and "Nydia M. Velázquez" in text


def test_text_for_people_is_escaped_not_fatal_on_ascii():
    import io

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii", errors="strict")
    with redirect_stdout(stream):
        cli._say("Nydia M. Velázquez\n")
        stream.flush()
    assert raw.getvalue() == b"Nydia M. Vel\\xe1zquez\n"


def test_missing_output_folder(tmp_path):
    target = tmp_path / "nowhere" / "events.csv"
    code, out, err = run("export", "events", "--output", str(target))
    assert (code, out) == (1, "")
    assert err == (f"policykit: error: cannot write {str(target)!r}: the folder "
                   f"{str(target.parent)!r} does not exist; nothing was written. Create it "
                   f"first (mkdir -p {target.parent}), or choose another --output.\n")
    assert not target.parent.exists()


def test_read_only_output_folder(tmp_path, monkeypatch):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    if os.geteuid() == 0:  # root writes anywhere: raise the error a learner would get
        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(cli.tempfile, "mkstemp", refuse)
    target = folder / "events.csv"
    try:
        code, _, err = run("export", "events", "--output", str(target))
    finally:
        folder.chmod(0o755)
    assert code == 1
    assert err == (f"policykit: error: cannot write {str(target)!r} (permission denied); "
                   f"nothing was written. Check that the folder {str(folder)!r} is writable, "
                   "or choose another --output.\n")
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("force", [False, True])
def test_output_that_is_a_folder(tmp_path, force):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "keep.txt").write_text("precious\n")
    code, _, err = run("export", "events", "--output", str(folder), *(["--force"] * force))
    assert code == 2
    assert err == (f"policykit: error: {str(folder)!r} is a folder; nothing was written. "
                   f"--output needs a file name, e.g. {str(folder / 'data.csv')!r}.\n")
    assert sorted(p.name for p in folder.iterdir()) == ["keep.txt"]


def test_no_overwrite_holds_when_the_file_appears_after_the_check(tmp_path, monkeypatch):
    # Another process creates the file between the friendly check and the write.
    target = tmp_path / "events.csv"
    target.write_text("theirs\n")
    monkeypatch.setattr(Path, "exists", lambda self: False)
    monkeypatch.setattr(Path, "is_symlink", lambda self: False)
    code, _, err = run("export", "events", "--output", str(target))
    assert code == 2 and target.read_text() == "theirs\n"
    assert "already exists; nothing was written" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.csv"]  # no temp file left


def test_concurrent_exports_without_force_one_wins(tmp_path):
    target = tmp_path / "votes.csv"
    procs = [subprocess.Popen([sys.executable, "-m", "policykit", "export", "house_votes",
                               "--output", str(target)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) for _ in range(6)]
    results = [(p.wait(), p.stderr.read().decode()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    winners = [err for code, err in results if code == 0]
    losers = [err for code, err in results if code == 2]
    assert len(winners) == 1 and len(losers) == 5, results
    assert winners[0] == f"wrote 6464 rows of 'house_votes' to {target}\n"
    assert all("already exists; nothing was written" in err for err in losers)
    frame = pd.read_csv(target)
    assert len(frame) == 6464  # complete: a reader never sees a half-written file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["votes.csv"]


def test_force_replaces_atomically(tmp_path):
    target = tmp_path / "events.csv"
    target.write_text("old\n")
    code, _, _ = run("export", "events", "--output", str(target), "--force")
    assert code == 0 and target.read_text(encoding="utf-8").startswith("event_id,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.csv"]


def test_subcommands_come_from_one_list(monkeypatch):
    """The hook for new subcommands (e.g. ``grade``): append an adder to cli.COMMANDS."""
    def add_hello(sub):
        p = sub.add_parser("hello", help="say hello")
        p.set_defaults(func=lambda args: print("hello") or 0)

    monkeypatch.setattr(cli, "COMMANDS", [*cli.COMMANDS, add_hello])
    assert run("hello") == (0, "hello\n", "")
    assert run("list")[0] == 0
