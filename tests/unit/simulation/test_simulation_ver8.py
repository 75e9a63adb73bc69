"""``simulate call --transcript-only`` on the ver8 dialogues: a "no" about paying after a mis-heard
or unclear first answer is the debtor (never a wrong number, nothing of the debt before the
yes), a real "no" is a wrong number, both languages and every verification setting."""

from __future__ import annotations

import json

import pytest

from core.dialogue import Outcome
from simulation.scenario import SCENARIO_DIR, load_scenario, parse_scenario
from simulation.simulate import SimulationReport
from simulation.simulate_text import simulate_transcript

DEBT_WORDS = ("debt", "owe", "balance", "overdue", "past due", "欠款", "逾期", "还款", "催收")


def _case(lang: str, name: str, verification: str) -> str:
    money = '"700.00", currency: USD' if lang == "en" else '"5200", currency: CNY'
    place = "US" if lang == "en" else "CN"
    return (
        f"language: {lang}\njurisdiction: {place}\ntoday: 2026-12-07\n"
        f"case: {{name: {name}, amount: {money}, due_date: 2026-10-01, days_past_due: 67, "
        f"birth_year: 1984, id_last4: '1357', verification: {verification}}}\n"
    )


def _run(lang: str, name: str, verification: str, *said: str) -> SimulationReport:
    lines = "debtor:\n" + "".join(f"  - {json.dumps(s, ensure_ascii=False)}\n" for s in said)
    return simulate_transcript(parse_scenario(_case(lang, name, verification) + lines))


def _before_verified(report: SimulationReport) -> list[str]:
    """What the bot said before the disclosure (all of it when never verified)."""
    said: list[str] = []
    for line in report.result.transcript:
        if line.speaker == "bot" and (
            "attempt to collect" in line.text or "受出借方委托" in line.text
        ):
            break
        if line.speaker == "bot":
            said.append(line.text)
    return said


@pytest.mark.parametrize("name", ["misheard_name_then_cant_pay_en", "unclear_then_cant_pay_all_zh"])
def test_the_shipped_scenarios_end_as_a_promise(name: str) -> None:
    report = simulate_transcript(load_scenario(SCENARIO_DIR / f"{name}.yml"))
    assert report.result.outcome is Outcome.PROMISE_TO_PAY
    assert not [t for t in _before_verified(report) if any(w in t.lower() for w in DEBT_WORDS)]


PAYING_CALLS = [
    ("en", "Keisha Ward", ["uh huh?", "no I don't have the money", "<silence>"]),
    ("en", "Ravi Menon", ["Sorry?", "nope, I can't pay the whole thing", "<silence>"]),
    ("en", "Dwayne Carter", ["yes this is Dwight", "no, not till my paycheck on the 15th"]),
    ("zh", "张伟", ["喂？", "现在没钱还", "<silence>"]),
    ("zh", "刘洋", ["我是刘杨？", "不行 我一下子拿不出那么多", "<silence>"]),
    ("zh", "陈静", ["啊？", "全部还不了 只能先还一部分", "<silence>"]),
]


@pytest.mark.parametrize(("lang", "name", "said"), PAYING_CALLS)
@pytest.mark.parametrize("verification", ["name", "name_and_birth_year", "name_and_id_last4"])
def test_a_no_about_paying_is_never_a_wrong_number(
    lang: str, name: str, said: list[str], verification: str
) -> None:
    report = _run(lang, name, verification, *said)
    assert report.result.outcome is not Outcome.WRONG_NUMBER
    bot = [line.text for line in report.result.transcript if line.speaker == "bot"]
    assert not [t for t in bot if any(w in t.lower() for w in DEBT_WORDS)]


@pytest.mark.parametrize(
    ("lang", "name", "said"),
    [
        ("en", "Keisha Ward", ["uh huh?", "no, wrong number, and I don't owe anybody anything"]),
        ("en", "Ravi Menon", ["Sorry?", "no, there's no Ravi here"]),
        ("zh", "张伟", ["喂？", "不是，打错了，我也不欠谁的钱"]),
        ("zh", "刘洋", ["我是刘杨？", "我不是刘洋 我也没钱"]),
    ],
)
def test_a_real_no_is_a_wrong_number(lang: str, name: str, said: list[str]) -> None:
    report = _run(lang, name, "name", *said)
    assert report.result.outcome is Outcome.WRONG_NUMBER
    bot = [line.text for line in report.result.transcript if line.speaker == "bot"]
    assert not [t for t in bot if any(w in t.lower() for w in DEBT_WORDS)]
