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
