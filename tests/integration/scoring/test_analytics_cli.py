"""The analytics commands on a small demo database (portfolio, simulated history, a model that
reads mined words, scores): segments, best time, early warnings listed, the QA report and the
daily report run, each exiting 0 with the figures it promises."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from data.crypto import new_key_spec

runner = CliRunner()


def ok(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (args, result.output)
    return result.stdout


def last_json(text: str) -> dict[str, object]:
    line = next(x for x in reversed(text.strip().splitlines()) if x.startswith("{"))
    found: dict[str, object] = json.loads(line)
    return found


@pytest.fixture
def demo_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COLLECTBOT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ANALYTICS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COLLECTBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("COLLECTBOT_DATA_KEY", new_key_spec())
    csv = tmp_path / "p.csv"
    ok("demo-data", "--cases", "300", "--seed", "5", "--out", str(csv))
    ok("portfolio", "import", str(csv))
    ok("scoring", "simulate", str(csv), "--seed", "5")
    trained = ok("scoring", "train", "--synthetic", "400", "--seed", "5")
    assert "13 talk figures" in trained  # the simulated debtors' words are in the model
    scored = last_json(ok("scoring", "score"))
    assert scored["scored"] == 300  # none of these debtors has words: scored all the same
    return tmp_path


def test_the_analytics_commands_work_on_a_demo_database(demo_db: Path) -> None:
    seg = last_json(ok("analytics", "segments", "--json"))
    assert 2 <= int(seg["k"]) <= 8  # type: ignore[call-overload]
    segments = seg["segments"]
    assert isinstance(segments, list)
    assert sum(s["size"] for s in segments) == 300
    case = "L00000001"
    best = last_json(ok("analytics", "best-time", "--case", case, "--json"))
    assert best["case_id"] == case
    assert best["segment"] in {s["id"] for s in segments}
    slots = best["best_slots"]
    assert isinstance(slots, list)
    assert all(9 <= s["hour"] < 19 for s in slots)
    ok("analytics", "early-warning", "--json")
    listed = last_json(ok("analytics", "warnings", "--json", "--limit", "500"))
    warnings = listed["warnings"]
    assert isinstance(warnings, list)
    assert listed["count"] == len(warnings) > 0
    scores = [w["score"] for w in warnings]
    assert scores == sorted(scores, reverse=True)
    qa = ok("qa", "report", "--json")
    assert json.loads(qa.strip().splitlines()[-1]) is not None
    report = last_json(ok("reports", "run", "--schedule", "daily"))
    files = report["files"]
    assert isinstance(files, list)
    assert {Path(f).suffix for f in files} == {".pdf", ".xlsx"}
    assert all(Path(f).stat().st_size > 1000 for f in files)
