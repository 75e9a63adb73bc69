"""The nlu CLI commands end to end (real parser, cached heads)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cli.main import app

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
