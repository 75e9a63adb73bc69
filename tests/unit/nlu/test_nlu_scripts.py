"""Scripts are data: both languages complete, every template renders, amounts/dates spoken."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from core.money import Money
from nlu.errors import ScriptError
from nlu.policy import load_script, speak_date, speak_money
from nlu.policy.script import parse_script, zh_number
from nlu.policy.state import ASK_PROMPT

POLICY = Path(__file__).resolve().parents[3] / "nlu" / "policy"


def test_both_scripts_have_the_same_prompts() -> None:
    assert set(load_script("en").prompts) == set(load_script("zh").prompts)


# keys the policy passes through variables or helpers rather than as a literal say(...) argument
INDIRECT = {
    "hold_back",
    "ask_birth_year", "ask_id_last4", "ask_promise_amount", "ask_promise_date", "keypad_offer",
    "keypad_offer_digits", "transfer_requested", "transfer_negotiation", "disclosure.US",
    "disclosure.CN", "dispute_ack.US", "dispute_ack.CN", "third_party_close", "callback_close",
    "abuse_end", "goodbye_no_response", "verify_failed_end", "promise_thanks", "plan_thanks",
    "paid_close", "refuse_close", "cease_ack", "wrong_number", "transfer_failed", "state_debt",
    "payment_methods", "identity_verified", "machine_message.US", "machine_message.CN",
}  # fmt: skip


def test_every_prompt_the_policy_uses_exists() -> None:
    source = "".join(p.read_text(encoding="utf-8") for p in POLICY.glob("*.py"))
    used = set(re.findall(r'say\(\s*\w+,\s*"([a-z_]+)"', source)) | INDIRECT
    asked = {*ASK_PROMPT.values(), "ask_birth_year", "ask_id_last4", "ask_promise_amount",
             "ask_promise_date"}  # fmt: skip
    assert len(used) > 20
    for lang in ("en", "zh"):
        script = load_script(lang)
        missing = [k for k in used | asked if not script.has(k)]
        missing += [k for k in asked if not script.has("reprompt." + k)]
        assert not missing, (lang, missing)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_variant_renders_with_the_documented_variables(lang: str) -> None:
    values = dict.fromkeys(
        [
            "debtor_name",
            "agent_name",
            "company",
            "product",
            "amount",
            "days_overdue",
            "min_amount",
            "latest_date",
            "plan_lengths",
            "payment_methods",
            "promise_amount",
            "promise_date",
            "plan_count",
            "installment_amount",
            "first_due",
            "callback_contact",
            "callback_phone",
            "paid_date",
            "paid_channel",
        ],
        "X",
    )
    script = load_script("zh" if lang == "zh" else "en")
    for key, variants in script.prompts.items():
        for i in range(len(variants)):
            say = script.say(key, i, interruptible=True, **values)
            assert "{" not in say.text
            assert say.prompt_key == f"{key}#{i}"


def test_missing_prompt_or_variable_is_an_error() -> None:
    script = parse_script("lang: en\nprompts:\n  hi: 'Hello {debtor_name}'\n")
    with pytest.raises(ScriptError):
        script.say("nope")
    with pytest.raises(ScriptError):
        script.say("hi")
    assert script.say("hi", debtor_name="Ann", other="x").variables == (("debtor_name", "Ann"),)


@pytest.mark.parametrize(
    ("money", "lang", "spoken"),
    [
        (Money.of(Decimal("1250"), "USD"), "en", "1,250 dollars"),
        (Money.of(Decimal("1250.50"), "USD"), "en", "1,250 dollars and 50 cents"),
        (Money.of(Decimal("1"), "USD"), "en", "1 dollar"),
        (Money.of(Decimal("3500"), "CNY"), "zh", "三千五百元"),
        (Money.of(Decimal("10050"), "CNY"), "zh", "一万零五十元"),
        (Money.of(Decimal("15"), "CNY"), "zh", "十五元"),
        (Money.of(Decimal("6940.51"), "CNY"), "zh", "六千九百四十元五角一分"),
        (Money.of(Decimal("2313.05"), "CNY"), "zh", "两千三百一十三元五分"),
    ],
)
def test_amounts_are_spoken_naturally(money: Money, lang: str, spoken: str) -> None:
    assert speak_money(money, "zh" if lang == "zh" else "en") == spoken


def test_dates_are_spoken_naturally() -> None:
    assert speak_date(date(2026, 12, 4), "en") == "Friday, December 4th"
    assert speak_date(date(2026, 12, 22), "en") == "Tuesday, December 22nd"
    assert speak_date(date(2026, 12, 4), "zh") == "12月4号星期五"


def test_zh_numbers() -> None:
    assert [zh_number(n) for n in (0, 10, 105, 2000, 25000, 100000)] == [
        "零", "十", "一百零五", "两千", "两万五千", "十万"
    ]  # fmt: skip
