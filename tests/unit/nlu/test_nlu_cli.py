"""The nlu CLI commands end to end (real parser, cached heads)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from data.crypto import new_key_spec
from nlu.settings import NluSettings

runner = CliRunner()


def test_nlu_parse_prints_one_json_object_per_line() -> None:
    result = runner.invoke(
        app,
        ["nlu", "parse", "--lang", "en", "--today", "2026-11-29"],
        input="i can pay $200 on friday\n\nstop calling me\n",
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 2
    assert lines[0]["intent"] == "promise_to_pay"
    assert lines[0]["entities"] == [
        {"type": "amount", "value": "200.00", "currency": "USD"},
        {"type": "date", "value": "2026-12-04"},
    ]
    assert lines[1]["intent"] == "stop_calling"


def test_chat_demo_runs_a_whole_call_and_prints_the_outcome() -> None:
    result = runner.invoke(
        app,
        ["chat", "--lang", "zh", "--demo", "--today", "2026-11-29"],
        input="是我\n一九八八\n周五还五百块\n对\n",
    )
    assert result.exit_code == 0, result.output
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["outcome"] == "promise_to_pay"
    (record,) = outcome["records"]
    assert record["command"] == "RecordPromise"
    assert record["due"] == "2026-12-04"
    assert "bot> 您好" in result.stdout


def test_chat_with_a_stored_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--case reads the debtor and loan from a real (SQLite) database through the data layer."""
    monkeypatch.setenv("NLU_HOME", str(NluSettings().home.resolve()))  # keep the trained heads
    monkeypatch.setenv("COLLECTBOT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COLLECTBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'chat.sqlite3'}")
    monkeypatch.setenv("COLLECTBOT_DATA_KEY", new_key_spec())
    csv_path = tmp_path / "p.csv"
    made = runner.invoke(
        app, ["demo-data", "--cases", "3", "--seed", "3", "--out", str(csv_path),
              "--as-of", "2026-11-29"],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    assert runner.invoke(app, ["portfolio", "import", str(csv_path)]).exit_code == 0
    with csv_path.open(encoding="utf-8") as f:
        row = next(csv.DictReader(f))
    lang = row["language"]
    yes = "是" if lang == "zh" else "yes"
    result = runner.invoke(
        app,
        ["chat", "--lang", lang, "--case", row["loan_id"], "--today", "2026-11-29"],
        input=f"{yes}\n{row['birth_date'][:4]}\n",  # verified, then hangs up (EOF)
    )
    assert result.exit_code == 0, result.output
    assert row["name"] in result.stdout
    assert json.loads(result.stdout.strip().splitlines()[-1])["outcome"] == "hung_up"
    stated = next(line for line in result.stdout.splitlines() if "30" in line or "逾期" in line)
    assert stated.startswith("bot>")
    missing = runner.invoke(app, ["chat", "--case", "nope", "--today", "2026-11-29"])
    assert missing.exit_code != 0
