"""``collectbot simulate call --transcript-only``: scenarios on text, through the real NLU and
policy, no Asterisk. The issue-9 failures rephrased, the shipped scenarios, the CLI."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from core.dialogue import Outcome, RecordAlreadyPaid, ScheduleCallback
from simulation.scenario import SCENARIO_DIR, load_scenario, parse_scenario
from simulation.simulate import SimulationReport
from simulation.simulate_text import simulate_transcript

# debt words that must not be said to someone not verified
DEBT_WORDS = ("debt", "owe", "balance", "overdue", "past due", "欠款", "逾期", "还款", "催收")


def run(text: str) -> dict[str, object]:
    return simulate_transcript(parse_scenario(text)).to_json()


def report(text: str) -> SimulationReport:
    return simulate_transcript(parse_scenario(text))


def bot_said(text: str) -> list[str]:
    return [line.text for line in report(text).result.transcript if line.speaker == "bot"]


def case(lang: str, name: str, verification: str = "name") -> str:
    money = '"1100.00", currency: USD' if lang == "en" else '"4800", currency: CNY'
    place = "US" if lang == "en" else "CN"
    return (
        f"language: {lang}\njurisdiction: {place}\ntoday: 2026-11-29\n"
        f"case: {{name: {name}, amount: {money}, due_date: 2026-10-01, days_past_due: 59, "
        f"birth_year: 1984, verification: {verification}}}\n"
    )


def lines(*said: str) -> str:
    return "debtor:\n" + "".join(f"  - {json.dumps(s, ensure_ascii=False)}\n" for s in said)


# the four failures, in other words
ACK_THEN_PROMISE = case("en", "Tom Becker") + lines(
    "yeah that's me", "Okay, I know, I know I'm late.", "I could pay you $300 this Friday.", "yes"
)
PAID_LAST_TUESDAY = case("en", "Tom Becker") + lines(
    "yes", "I already paid it last Tuesday.", "I'm lying to the website."
)
STRANGER_ZH = case("zh", "周杰") + lines("轻轻轻的", "这里没有叫周杰的，你打错了")
STRANGER_EN = case("en", "Daniel Moss") + lines("Yes.", "there's nobody called daniel here")


def test_an_acknowledgement_then_a_promise_is_a_promise() -> None:
    out = run(ACK_THEN_PROMISE)
    assert out["outcome"] == Outcome.PROMISE_TO_PAY
    assert out["promise"] == {"amount": "300.00", "currency": "USD", "date": "2026-12-04"}
    assert not [
        r for r in report(ACK_THEN_PROMISE).result.records if isinstance(r, ScheduleCallback)
    ]


def test_already_paid_last_tuesday_through_the_website() -> None:
    call = report(PAID_LAST_TUESDAY)
    assert call.result.outcome is Outcome.ALREADY_PAID
    (paid,) = [r for r in call.result.records if isinstance(r, RecordAlreadyPaid)]
    assert paid == RecordAlreadyPaid(date(2026, 11, 24), "online")
    said = bot_said(PAID_LAST_TUESDAY)
    assert any("online" in s and "November 24th" in s for s in said)  # read back


@pytest.mark.parametrize("scenario", [STRANGER_ZH, STRANGER_EN])
def test_a_stranger_ends_as_a_wrong_number(scenario: str) -> None:
    assert run(scenario)["outcome"] == Outcome.WRONG_NUMBER


def test_a_hallucinated_first_answer_discloses_nothing() -> None:
    said = bot_said(STRANGER_ZH)
    assert not [s for s in said if any(w in s for w in DEBT_WORDS)]


SHIPPED = sorted(p.stem for p in SCENARIO_DIR.glob("*.yml"))


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_scenario_meets_its_expectation_on_text(name: str) -> None:
    out = simulate_transcript(load_scenario(Path(name))).to_json()
    assert out["expect_met"], out["expect_problems"]


@pytest.mark.parametrize(
    ("said", "outcome"),
    [
        (lines("yes", "<silence>", "<silence>", "<silence>", "<silence>"), Outcome.HUNG_UP),
        (lines("yes", "<hangup>"), Outcome.HUNG_UP),
        (lines("yes", "let me speak to a human"), Outcome.TRANSFERRED),
        (lines("yes"), Outcome.HUNG_UP),  # lines used up: the debtor stays silent
    ],
)
def test_silence_hang_up_and_transfer_markers(said: str, outcome: Outcome) -> None:
    assert run(case("en", "Ann Lee") + said)["outcome"] == outcome


def test_the_json_has_the_spoken_calls_keys() -> None:
    out = run(ACK_THEN_PROMISE)
    assert set(out) >= {"outcome", "promise", "records", "transcript", "debtor_turns",
                        "voice_to_voice_ms", "processing_ms", "recording", "end_reason",
                        "expect_met", "expect_problems"}  # fmt: skip
    assert out["records"] == [
        {"record": "RecordPromise", "amount": {"amount": "300.00", "currency": "USD"},
         "due": "2026-12-04"}
    ]  # fmt: skip
    assert out["voice_to_voice_ms"] == [None] * 4  # one per spoken line: nothing was timed
    assert out["processing_ms"] == []
    assert out["recording"] is None
    turns = report(ACK_THEN_PROMISE).turns
    assert [t.line for t in turns][:2] == ["yeah that's me", "Okay, I know, I know I'm late."]


def test_cli_runs_a_scenario_on_text(tmp_path: Path) -> None:
    path = tmp_path / "ack.yml"
    path.write_text(
        ACK_THEN_PROMISE + 'expect: {outcome: promise_to_pay, promise: {amount: "300", date: '
        "2026-12-04}}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app, ["simulate", "call", "--scenario", str(path), "--transcript-only", "--check"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["expect_met"] is True


def test_cli_refuses_a_bad_file_and_a_case_id(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("language: en\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["simulate", "call", "--scenario", str(bad), "--transcript-only"]
    )
    assert result.exit_code == 1
    assert "bad.yml" in result.output
    result = CliRunner().invoke(
        app,
        ["simulate", "call", "--scenario", "promise_en", "--transcript-only", "--case", "L1"],
    )
    assert result.exit_code != 0
