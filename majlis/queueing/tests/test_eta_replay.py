"""`majlis eta_replay`: the event log in, one estimate per arrival out, no database."""

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from majlis.queueing.eta import ReplayPredictor

LOG = """time,event,ticket,value
0,agents,,2
0,arrive,A,
0,start,A,
5,arrive,B,
5,start,B,
30,arrive,C,
40,arrive,D,
50,abandon,D,
400,finish,A,
400,start,C,
410,arrive,E,
700,finish,B,
700,start,E,
"""


def run(path: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("eta_replay", path, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def expected_rows(text: str) -> list[list[str]]:
    predictor = ReplayPredictor()
    rows = []
    for row in list(csv.reader(io.StringIO(text)))[1:]:
        estimate = predictor.feed(float(row[0]), row[1], row[2], int(row[3] or 0))
        if estimate is not None:
            rows.append([row[2], f"{estimate:.1f}"])
    return rows


def test_it_prints_one_estimate_per_arrival_and_nothing_else(tmp_path: Path):
    log = tmp_path / "events.csv"
    log.write_text(LOG)
    out, err = run(str(log))
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["ticket", "predicted_wait_seconds"]
    assert [r[0] for r in rows[1:]] == ["A", "B", "C", "D", "E"]
    assert rows[1:] == expected_rows(LOG)
    assert rows[1][1] == rows[2][1] == "0.0"  # two agents free
    assert 0 < float(rows[3][1]) < float(rows[4][1])  # C waits, D is behind C
    assert err == ""


def test_it_reads_standard_input(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    log = tmp_path / "events.csv"
    log.write_text(LOG)
    monkeypatch.setattr(sys, "stdin", io.StringIO(LOG))
    assert run("-")[0] == run(str(log))[0]


def test_it_leaves_the_estimate_empty_with_no_agent_on_duty(tmp_path: Path):
    log = tmp_path / "events.csv"
    log.write_text("time,event,ticket,value\n0,arrive,A,\n1,agents,,1\n2,arrive,B,\n")
    out, err = run(str(log))
    lines = out.splitlines()[1:]
    assert lines[0] == "A,"
    # A still waits (no start logged yet) and takes the agent who came on: B waits for a call.
    assert lines[1].startswith("B,")
    assert float(lines[1][2:]) > 60.0
    assert "no agent on duty" in err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "line 1: the header must be time,event,ticket,value"),
        ("ticket,time,event,value\n", "line 1: the header must be"),
        ("time,event,ticket,value\n0,arrive,A,\n1,leave,A,\n", "line 3: unknown event 'leave'"),
        ("time,event,ticket,value\n0,arrive,A\n", "line 2: expected 4 fields"),
        ("time,event,ticket,value\nsoon,arrive,A,\n", "line 2: time 'soon' is not a number"),
        ("time,event,ticket,value\nnan,arrive,A,\n", "line 2: time 'nan' is not a finite"),
        ("time,event,ticket,value\n0,agents,,two\n", "line 2: agents needs a whole number"),
        ("time,event,ticket,value\n0,arrive,,\n", "line 2: arrive needs a ticket"),
        ("time,event,ticket,value\n9,arrive,A,\n\n3,arrive,B,\n", "line 4: time 3.0 is earlier"),
    ],
)
def test_it_refuses_bad_input_with_the_line_number(tmp_path: Path, text: str, message: str):
    log = tmp_path / "events.csv"
    log.write_text(text)
    out = io.StringIO()
    with pytest.raises(CommandError, match=message):
        call_command("eta_replay", str(log), stdout=out, stderr=io.StringIO())
    assert out.getvalue() == ""


def test_it_says_when_the_file_cannot_be_read(tmp_path: Path):
    with pytest.raises(CommandError, match="cannot read"):
        run(str(tmp_path / "missing.csv"))


def test_it_runs_with_no_database_reachable(tmp_path: Path):
    log = tmp_path / "events.csv"
    log.write_text(LOG)
    majlis = Path(sys.executable).parent / "majlis"
    env = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}
    done = subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        [str(majlis), "eta_replay", str(log)], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert list(csv.reader(io.StringIO(done.stdout)))[1:] == expected_rows(LOG)
    log.write_text(LOG.replace("abandon", "vanish"))
    failed = subprocess.run(  # noqa: S603
        [str(majlis), "eta_replay", str(log)], capture_output=True, text=True, env=env, check=False
    )
    assert failed.returncode != 0
    assert "line 9: unknown event 'vanish'" in failed.stderr
    assert failed.stdout == ""
