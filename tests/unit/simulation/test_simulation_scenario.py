"""Scenario files: the shipped examples load, bad files are refused with the reason, the case
facts the dialogue sees, the expectation check, and the call record the IVR sink writes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from core.dialogue import (
    CallAnswered,
    Hangup,
    Outcome,
    RecordPromise,
    Say,
    TransferToAgent,
    UtteranceHeard,
)
from core.money import Money
from ivr.conversation import PolicyConversation
from nlu.policy import VerificationMode
from simulation.scenario import (
    HANGUP,
    SCENARIO_DIR,
    ScenarioError,
    check_expectation,
    load_scenario,
    parse_scenario,
)

MINIMAL = """
language: en
jurisdiction: US
today: 2026-11-29
case: {name: Jane Roe, amount: "99.50", currency: USD, due_date: 2026-11-01,
       days_past_due: 28, verification: name}
debtor: ["Yes.", "<hangup>"]
"""


@pytest.mark.parametrize(
    ("name", "language", "outcome"),
    [
        ("promise_en", "en", Outcome.PROMISE_TO_PAY),
        ("wrong_number_en", "en", Outcome.WRONG_NUMBER),
        ("dispute_en", "en", Outcome.DISPUTE),
        ("promise_zh", "zh", Outcome.PROMISE_TO_PAY),
        ("wrong_number_zh", "zh", Outcome.WRONG_NUMBER),
        ("dispute_zh", "zh", Outcome.DISPUTE),
        ("callback_zh", "zh", Outcome.CALLBACK_SCHEDULED),
        ("stop_calling_zh", "zh", Outcome.CEASE_REQUESTED),
    ],
)
def test_shipped_scenarios_load(name: str, language: str, outcome: Outcome) -> None:
    scenario = load_scenario(Path(name))
    assert scenario == load_scenario(SCENARIO_DIR / f"{name}.yml")
    assert scenario.language == language
    assert scenario.expect is not None
    assert scenario.expect.outcome == outcome
    assert scenario.case_facts().lang == language


@pytest.mark.parametrize("path", sorted(SCENARIO_DIR.glob("*.yml")), ids=lambda p: p.stem)
def test_shipped_scenarios_reach_their_outcome_in_text(path: Path) -> None:
    """The lines as the NLU reads them (no audio): the spoken tests then test only hearing."""
    scenario = load_scenario(path)
    assert scenario.expect is not None
    facts = scenario.case_facts()
    conversation = PolicyConversation(facts, scenario.today)
    commands = list(conversation.decide(CallAnswered(datetime(2026, 11, 29, 3, tzinfo=UTC))))
    for line in scenario.debtor:
        if line == HANGUP or any(isinstance(c, (Hangup, TransferToAgent)) for c in commands):
            break
        parse = conversation.understand(line, facts.lang).heard_with(1.0)
        commands += conversation.decide(UtteranceHeard(line, facts.lang, parse))
    # a hand-over to a person ends the bot's part of the call without a hang-up
    ends = [c.outcome for c in commands if isinstance(c, Hangup)]
    ends += [Outcome.TRANSFERRED for c in commands if isinstance(c, TransferToAgent)]
    assert ends == [scenario.expect.outcome]
    promises = [(c.amount.amount, c.due) for c in commands if isinstance(c, RecordPromise)]
    want = scenario.expect.promise
    assert promises == ([] if want is None else [(want.amount, want.date)])
    if facts.lang == "zh":  # a Mandarin call introduces the bot by its Chinese name
        spoken = "".join(c.text for c in commands if isinstance(c, Say))
        assert "Alex" not in spoken
        assert "Acme" not in spoken


def test_case_facts_follow_the_case() -> None:
    scenario = parse_scenario(MINIMAL)
    facts = scenario.case_facts()
    assert facts.debtor_name == "Jane Roe"
    assert facts.balance == Money.of("99.50", "USD")
    assert facts.days_past_due == 28
    assert facts.verification == VerificationMode.NAME
    assert facts.birth_year is None
    assert facts.limits.min_promise == Money.of("10", "USD")  # a tenth, rounded up
    assert scenario.debtor[-1] == HANGUP
    assert scenario.expect is None


def test_today_override() -> None:
    assert parse_scenario(MINIMAL, today=date(2027, 1, 5)).today == date(2027, 1, 5)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("- just a list", "mapping"),
        ("language: en\n  bad: [", "YAML"),
        (MINIMAL.replace("language: en", "language: fr"), "language"),
        (MINIMAL.replace('amount: "99.50"', "amount: -1"), "amount"),
        (MINIMAL.replace('debtor: ["Yes.", "<hangup>"]', "debtor: []"), "debtor"),
        (MINIMAL.replace("verification: name", "verification: name_and_birth_year"), "birth_year"),
        (MINIMAL.replace("verification: name", "verification: name_and_id_last4"), "id_last4"),
        (
            MINIMAL.replace(
                "verification: name", "verification: name_and_id_last4, id_last4: 12a4"
            ),
            "id_last4",
        ),
        (MINIMAL + "extra: 1\n", "extra"),
    ],
)
def test_bad_scenarios_are_refused_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(ScenarioError, match=reason):
        parse_scenario(text)


def test_the_id_setting_carries_its_four_digits() -> None:
    text = MINIMAL.replace(
        "verification: name", 'verification: name_and_id_last4, id_last4: "0482"'
    )
    facts = parse_scenario(text).case_facts()
    assert facts.verification is VerificationMode.NAME_AND_ID_LAST4
    assert facts.id_last4 == "0482"


def test_missing_file_is_a_scenario_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="cannot read"):
        load_scenario(tmp_path / "nope.yml")


def test_simulate_cli_refuses_a_bad_scenario_before_touching_asterisk(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(MINIMAL.replace("language: en", "language: fr"), encoding="utf-8")
    result = CliRunner().invoke(app, ["simulate", "call", "--scenario", str(bad)])
    assert result.exit_code == 1
    assert "language" in result.output
    result = CliRunner().invoke(app, ["simulate", "call", "--scenario", "promise_en",
                                      "--today", "29.11.2026"])  # fmt: skip
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_expectation_check() -> None:
    expect = load_scenario(Path("promise_en")).expect
    right = (Money.of("300", "USD"), date(2026, 12, 4))
    assert check_expectation(expect, "promise_to_pay", right).met
    wrong_day = check_expectation(expect, "promise_to_pay", (right[0], date(2026, 12, 5)))
    assert not wrong_day.met
    assert "promise" in wrong_day.problems[0]
    assert not check_expectation(expect, "refused", None).met
    assert len(check_expectation(expect, "refused", None).problems) == 2
    assert check_expectation(None, "hung_up", None).met
