"""The scoring, strategy and allocation commands end to end on a SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app

RUNNER = CliRunner()


def run(*args: str) -> str:
    result = RUNNER.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def last_json(output: str) -> dict[str, object]:
    lines = [line for line in output.splitlines() if line.startswith("{")]
    return json.loads(lines[-1])  # type: ignore[no-any-return]


def test_demo_pipeline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLLECTBOT_HOME", str(tmp_path))
    monkeypatch.delenv("COLLECTBOT_DATABASE_URL", raising=False)
    portfolio = tmp_path / "p.csv"
    run("demo-data", "--cases", "400", "--out", str(portfolio), "--seed", "3")
    run("portfolio", "import", str(portfolio))
    simulated = last_json(run("scoring", "simulate", str(portfolio)))
    assert simulated["cases"] == 400
    assert int(simulated["rows_written"]) > 400  # type: ignore[call-overload]
    trained = run("scoring", "train")
    assert "model rm-" in trained
    scored = last_json(run("scoring", "score"))
    assert scored["scored"] == 400
    report = run("scoring", "report", "--evaluate")
    assert '"in_sample": true' in report
    assert '"lift"' in report
    planned = last_json(run("strategy", "plan"))
    assert planned["cases"] == 400
    assert planned["written"] is True
    arms = json.loads(run("strategy", "results").strip().splitlines()[-1])
    assert {a["arm"] for a in arms} == {"champion", "challenger"}
    assigned = last_json(run("allocation", "assign"))
    assert assigned["assigned"] == 0  # no agents in the database yet: all wait
    assert sum(assigned["unassigned"].values()) > 0  # type: ignore[attr-defined]
    assert last_json(run("allocation", "overdue")) == {"reminders": [], "escalations": []}
    assert json.loads(run("allocation", "performance").strip().splitlines()[-1]) == []
