"""The collection dialogue, branch by branch, in English and Mandarin (no classifier needed:
each turn carries the intent a parser would give, with entities extracted from the text)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.dialogue import (
    AskDTMF,
    CallAnswered,
    CallerHungUp,
    DialogueCommand,
    DialogueEvent,
    DtmfReceived,
    Hangup,
    Intent,
    Lang,
    Outcome,
    Parse,
    RecordAlreadyPaid,
    RecordCease,
    RecordDispute,
    RecordHardship,
    RecordPaymentPlan,
    RecordPromise,
    Say,
    ScheduleCallback,
    SilenceTimedOut,
    TransferFailed,
    TransferToAgent,
    UtteranceHeard,
)
from core.money import Money
from nlu.entities import extract_entities
from nlu.policy import DialogueState, decide, demo_case, load_script, start
from nlu.policy.common import spoken_digits

TODAY = date(2026, 11, 29)  # Sunday
NOON = datetime(2026, 11, 29, 14, 0, tzinfo=UTC)  # 09:00 New York, 22:00 Shanghai
LANGS = ["en", "zh"]

# what each language's debtor says for each step
SAYS: dict[str, dict[str, str]] = {
    "en": {
        "yes": "yes speaking", "no": "no", "year": "1985", "bad_year": "1990",
        "wrong": "wrong number", "third": "he's at work", "tomorrow": "tomorrow",
        "p300fri": "300 on friday", "p50": "50 on friday", "late": "300 on the 28th",
        "six": "six months", "five": "five months", "yesterday_app": "yesterday through the app",
        "stop": "stop calling me", "abuse": "fuck off", "dispute": "i don't owe this",
    },
    "zh": {
        "yes": "是我", "no": "不是", "year": "一九八八", "bad_year": "一九九零",
        "wrong": "打错了", "third": "我是他老婆", "tomorrow": "明天",
        "p300fri": "周五还五百块", "p50": "周五还五十", "late": "28号还五百",
        "six": "分六个月", "five": "五个月", "yesterday_app": "昨天在app上还的",
        "stop": "别再打了", "abuse": "傻逼", "dispute": "我没借过钱",
    },
}  # fmt: skip
SECRETS = {
    "en": ["1,250", "debt", "Acme", "loan", "past due", "balance", "collect"],
    "zh": ["三千五", "欠款", "逾期", "安信", "贷款", "还款", "催收"],
}


def heard(lang: str, key_or_text: str, intent: Intent) -> UtteranceHeard:
    text = SAYS[lang].get(key_or_text, key_or_text)
    lang_: Lang = "zh" if lang == "zh" else "en"
    entities = extract_entities(text, lang, TODAY)
    return UtteranceHeard(text, lang_, Parse(intent, 0.9, entities, asr_confidence=0.9))


def run(lang: str, *events: DialogueEvent) -> tuple[DialogueState, list[DialogueCommand]]:
    lang_: Lang = "zh" if lang == "zh" else "en"
    state = start(demo_case(lang_), load_script(lang_), TODAY)
    out: list[DialogueCommand] = []
    for event in (CallAnswered(NOON), *events):
        state, commands = decide(state, event)
        out.extend(commands)
    return state, out


def verified(lang: str) -> tuple[UtteranceHeard, UtteranceHeard]:
    return heard(lang, "yes", "affirm"), heard(lang, "year", "out_of_scope")


def says(commands: list[DialogueCommand]) -> list[Say]:
    return [c for c in commands if isinstance(c, Say)]


def keys(commands: list[DialogueCommand]) -> list[str]:
    return [s.prompt_key.split("#")[0] for s in says(commands)]


def of(kind: type, commands: list[DialogueCommand]) -> list[DialogueCommand]:
    return [c for c in commands if isinstance(c, kind)]


def assert_no_disclosure(lang: str, commands: list[DialogueCommand]) -> None:
    for say in says(commands):
        for secret in SECRETS[lang]:
            assert secret.lower() not in say.text.lower(), (secret, say.text)


def last_hangup(commands: list[DialogueCommand]) -> Hangup:
    hangups = of(Hangup, commands)
    assert len(hangups) == 1
    assert commands[-1] is hangups[0]
    return hangups[0]  # type: ignore[return-value]


# --- opening and right-party verification ---------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("step", "intent"), [("wrong", "wrong_number"), ("no", "deny")])
def test_wrong_number_never_hears_of_a_debt(lang: str, step: str, intent: Intent) -> None:
    state, commands = run(lang, heard(lang, step, intent))
    assert state.outcome is Outcome.WRONG_NUMBER
    assert keys(commands) == ["greeting", "wrong_number"]
    assert_no_disclosure(lang, commands)
    assert last_hangup(commands).outcome is Outcome.WRONG_NUMBER


@pytest.mark.parametrize("lang", LANGS)
def test_third_party_is_only_asked_for_a_good_time(lang: str) -> None:
    state, commands = run(
        lang, heard(lang, "third", "third_party"), heard(lang, "tomorrow", "callback_later")
    )
    assert state.outcome is Outcome.THIRD_PARTY
    assert keys(commands) == ["greeting", "third_party_ask_time", "third_party_close"]
    assert_no_disclosure(lang, commands)
    (callback,) = of(ScheduleCallback, commands)
    assert isinstance(callback, ScheduleCallback)
    assert callback.with_third_party
    assert callback.at is not None
    assert callback.at.date() == date(2026, 11, 30)
    assert callback.at.hour == 18
    assert callback.at.utcoffset() is not None


@pytest.mark.parametrize("lang", LANGS)
def test_identity_question_before_verification_stays_neutral(lang: str) -> None:
    state, commands = run(lang, heard(lang, "who is this", "ask_identity"))
    assert keys(commands) == ["greeting", "identity_neutral", "ask_name"]
    assert_no_disclosure(lang, commands)
    assert not state.verified


@pytest.mark.parametrize("lang", LANGS)
def test_debt_questions_before_verification_are_deferred(lang: str) -> None:
    _, commands = run(lang, heard(lang, "how much", "ask_amount"))
    assert keys(commands) == ["greeting", "verify_first", "ask_name"]
    assert_no_disclosure(lang, commands)


@pytest.mark.parametrize("lang", LANGS)
def test_failed_second_factor_ends_without_disclosure(lang: str) -> None:
    state, commands = run(
        lang,
        heard(lang, "yes", "affirm"),
        heard(lang, "bad_year", "out_of_scope"),
        heard(lang, "bad_year", "out_of_scope"),
    )
    assert keys(commands) == ["greeting", "ask_birth_year", "verify_retry", "verify_failed_end"]
    assert state.outcome is Outcome.THIRD_PARTY
    assert "verification_failed" in state.notes
    assert_no_disclosure(lang, commands)


@pytest.mark.parametrize(("lang", "jurisdiction_key"), [("en", "US"), ("zh", "CN")])
def test_disclosure_recording_notice_and_debt_after_verification(
    lang: str, jurisdiction_key: str
) -> None:
    state, commands = run(lang, *verified(lang))
    assert keys(commands)[2:] == [
        f"disclosure.{jurisdiction_key}",
        "recording_notice",
        "state_debt",
        "ask_full",
    ]
    debt = says(commands)[4].text
    assert ("1,250 dollars" in debt and "45 days" in debt) if lang == "en" else "三千五百元" in debt
    assert state.verified
    assert state.disclosed
    notice = says(commands)[3]
    assert notice.is_static
    assert not notice.interruptible
    if lang == "en":
        assert "attempt to collect a debt" in says(commands)[2].text


# --- negotiation ladder ----------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_full_payment_promise(lang: str) -> None:
    state, commands = run(
        lang,
        *verified(lang),
        heard(lang, "I'll pay it", "promise_to_pay"),
        heard(lang, "tomorrow", "promise_to_pay"),
        heard(lang, "yes", "affirm"),
    )
    (promise,) = of(RecordPromise, commands)
    assert promise == RecordPromise(
        demo_case("zh" if lang == "zh" else "en").balance, date(2026, 11, 30)
    )
    assert state.outcome is Outcome.PROMISE_TO_PAY
    assert keys(commands)[-3:] == ["ask_promise_date", "confirm_promise", "promise_thanks"]


@pytest.mark.parametrize("lang", LANGS)
def test_yes_to_the_full_amount_today_is_the_full_amount_today(lang: str) -> None:
    # the question is "could you pay the full amount today?": its yes names the day too
    state, commands = run(
        lang, *verified(lang), heard(lang, "yes", "affirm"), heard(lang, "yes", "affirm")
    )
    (promise,) = of(RecordPromise, commands)
    balance = demo_case("zh" if lang == "zh" else "en").balance
    assert promise == RecordPromise(balance, state.today)
    assert keys(commands)[-2:] == ["confirm_promise", "promise_thanks"]


@pytest.mark.parametrize("lang", LANGS)
def test_partial_promise_is_read_back_and_confirmed(lang: str) -> None:
    state, commands = run(
        lang,
        *verified(lang),
        heard(lang, "no", "deny"),
        heard(lang, "p300fri", "promise_to_pay"),
    )
    assert keys(commands)[-2:] == ["offer_partial", "confirm_promise"]
    readback = says(commands)[-1].text
    assert (
        ("300 dollars" in readback and "December 4th" in readback)
        if lang == "en"
        else ("五百元" in readback and "12月4号" in readback)
    )
    state, more = decide(state, heard(lang, "yes", "affirm"))
    (promise,) = of(RecordPromise, more)
    assert isinstance(promise, RecordPromise)
    assert promise.due == date(2026, 12, 4)
    assert promise.amount.amount == Decimal(300 if lang == "en" else 500)
    assert state.outcome is Outcome.PROMISE_TO_PAY


@pytest.mark.parametrize("lang", LANGS)
def test_amount_below_minimum_and_late_date_are_asked_again(lang: str) -> None:
    state, commands = run(lang, *verified(lang), heard(lang, "p50", "promise_to_pay"))
    assert keys(commands)[-2:] == ["amount_too_low", "ask_promise_amount"]
    assert state.promise_amount is None
    assert state.promise_date == date(2026, 12, 4)
    state, commands = run(lang, *verified(lang), heard(lang, "late", "promise_to_pay"))
    assert keys(commands)[-2:] == ["date_too_late", "ask_promise_date"]
    assert state.promise_date is None
    assert state.promise_amount is not None


@pytest.mark.parametrize(
    ("lang", "text", "amount"),
    [
        ("en", "2000 on friday", "1250.00"),  # over the balance: the whole balance
        ("en", "5 million on friday", None),  # a mis-hearing: asked again
        ("zh", "周五还五千", "3500.00"),
        ("zh", "周五还一千二亿", None),  # 一千二 heard 一千二亿 on the telephone line
    ],
)
def test_an_amount_far_above_the_balance_is_asked_again_not_read_back(
    lang: str, text: str, amount: str | None
) -> None:
    state, commands = run(lang, *verified(lang), heard(lang, text, "promise_to_pay"))
    if amount is None:
        assert state.promise_amount is None
        assert keys(commands)[-1] == "ask_promise_amount"
    else:
        assert state.promise_amount is not None
        assert str(state.promise_amount.amount) == amount
        assert keys(commands)[-1] == "confirm_promise"
    assert state.promise_date == date(2026, 12, 4)


@pytest.mark.parametrize("lang", LANGS)
def test_denied_readback_starts_the_promise_again(lang: str) -> None:
    state, commands = run(
        lang, *verified(lang), heard(lang, "p300fri", "promise_to_pay"), heard(lang, "no", "deny")
    )
    assert keys(commands)[-1:] == ["promise_restart"]
    assert state.promise_amount is None
    assert state.promise_date is None
    assert not of(RecordPromise, commands)


@pytest.mark.parametrize("lang", LANGS)
def test_payment_plan_within_limits(lang: str) -> None:
    state, commands = run(
        lang,
        *verified(lang),
        heard(lang, "can i pay in installments", "installment"),
        heard(lang, "five", "installment"),
        heard(lang, "six", "installment"),
        heard(lang, "yes", "affirm"),
    )
    assert keys(commands)[-4:] == [
        "offer_plan", "plan_length_not_allowed", "confirm_plan", "plan_thanks"
    ]  # fmt: skip
    (plan,) = of(RecordPaymentPlan, commands)
    assert isinstance(plan, RecordPaymentPlan)
    assert len(plan.installments) == 6
    assert plan.total == demo_case("zh" if lang == "zh" else "en").balance
    assert plan.installments[0].due == date(2026, 12, 6)
    assert state.outcome is Outcome.PAYMENT_PLAN


@pytest.mark.parametrize("lang", LANGS)
def test_refusing_the_plan_hands_over_to_an_agent(lang: str) -> None:
    state, commands = run(
        lang,
        *verified(lang),
        heard(lang, "no", "deny"),  # not the full amount
        heard(lang, "no", "deny"),  # not even a partial promise -> plan
        heard(lang, "no", "deny"),  # no plan -> agent
    )
    assert keys(commands)[-3:] == ["offer_partial", "offer_plan", "transfer_negotiation"]
    (transfer,) = of(TransferToAgent, commands)
    assert isinstance(transfer, TransferToAgent)
    assert transfer.reason == "negotiation_exhausted"
    assert "verified=True" in transfer.summary
    state, _more = decide(state, CallerHungUp())
    assert state.outcome is Outcome.TRANSFERRED


# --- asides -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_hardship_gets_empathy_and_a_plan(lang: str) -> None:
    state, commands = run(lang, *verified(lang), heard(lang, "i lost my job", "hardship"))
    assert keys(commands)[-2:] == ["hardship_empathy", "offer_plan"]
    assert of(RecordHardship, commands)
    assert state.hardship


@pytest.mark.parametrize(("lang", "jurisdiction_key"), [("en", "US"), ("zh", "CN")])
def test_dispute_stops_collection(lang: str, jurisdiction_key: str) -> None:
    _state, commands = run(lang, *verified(lang), heard(lang, "dispute", "dispute"))
    (dispute,) = of(RecordDispute, commands)
    assert isinstance(dispute, RecordDispute)
    assert dispute.reason == SAYS[lang]["dispute"]
    assert keys(commands)[-1] == f"dispute_ack.{jurisdiction_key}"
    assert last_hangup(commands).outcome is Outcome.DISPUTE


@pytest.mark.parametrize("lang", LANGS)
def test_already_paid_asks_date_and_channel_and_marks_for_verification(lang: str) -> None:
    state, commands = run(
        lang,
        *verified(lang),
        heard(lang, "i already paid", "already_paid"),
        heard(lang, "yesterday_app", "already_paid"),
    )
    # the day and the channel are read back before the close (issue 9)
    assert keys(commands)[-3:] == ["already_paid_ask", "paid_readback", "paid_close"]
    (paid,) = of(RecordAlreadyPaid, commands)
    assert paid == RecordAlreadyPaid(date(2026, 11, 28), "app")
    assert state.outcome is Outcome.ALREADY_PAID
    assert "payment_to_verify" in state.notes


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("verify_first", [False, True])
def test_stop_calling_is_recorded_at_any_stage(lang: str, verify_first: bool) -> None:
    before = verified(lang) if verify_first else ()
    _state, commands = run(lang, *before, heard(lang, "stop", "stop_calling"))
    (cease,) = of(RecordCease, commands)
    assert isinstance(cease, RecordCease)
    assert cease.said == SAYS[lang]["stop"]
    # an unverified person hears a neutral acknowledgement ("cease_ack" names "this account")
    assert keys(commands)[-1] == ("cease_ack" if verify_first else "cease_ack_unverified")
    assert last_hangup(commands).outcome is Outcome.CEASE_REQUESTED
    if not verify_first:
        assert_no_disclosure(lang, commands)


@pytest.mark.parametrize("lang", LANGS)
def test_callback_later_captures_a_time(lang: str) -> None:
    state, commands = run(
        lang,
        *verified(lang),
        heard(lang, "i'm busy", "callback_later"),
        heard(lang, "tomorrow", "callback_later"),
    )
    assert keys(commands)[-2:] == ["callback_ask_time", "callback_close"]
    (callback,) = of(ScheduleCallback, commands)
    assert isinstance(callback, ScheduleCallback)
    assert callback.at is not None
    assert callback.at.date() == date(2026, 11, 30)
    assert not callback.with_third_party
    assert state.outcome is Outcome.CALLBACK_SCHEDULED


@pytest.mark.parametrize("lang", LANGS)
def test_refusal_is_recorded_and_closed_politely(lang: str) -> None:
    state, commands = run(lang, *verified(lang), heard(lang, "i won't pay", "refuse"))
    assert keys(commands)[-1] == "refuse_close"
    assert state.outcome is Outcome.REFUSED
    assert "refused" in state.notes


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("intent", "answer"),
    [
        ("ask_amount", "state_debt"),
        ("ask_payment_method", "payment_methods"),
        ("ask_identity", "identity_verified"),
    ],
)
def test_questions_are_answered_then_the_dialogue_resumes(
    lang: str, intent: Intent, answer: str
) -> None:
    state, commands = run(
        lang,
        *verified(lang),
        heard(lang, "p50", "promise_to_pay"),
        heard(lang, "a question please", intent),
    )
    assert keys(commands)[-2:] == [answer, "ask_promise_amount"]
    assert state.promise_date == date(2026, 12, 4)  # the slot already filled is kept


@pytest.mark.parametrize("lang", LANGS)
def test_agent_request_transfers_and_a_failed_transfer_schedules_a_callback(lang: str) -> None:
    state, commands = run(lang, *verified(lang), heard(lang, "agent", "request_agent"))
    (transfer,) = of(TransferToAgent, commands)
    assert isinstance(transfer, TransferToAgent)
    assert transfer.reason == "requested_by_debtor"
    state, more = decide(state, TransferFailed("no agent"))
    assert of(ScheduleCallback, more)
    assert state.outcome is Outcome.CALLBACK_SCHEDULED


# --- silence, no match, keypad, abuse ----------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_silence_reprompts_twice_with_rephrases_then_offers_the_keypad(lang: str) -> None:
    state, commands = run(
        lang,
        *verified(lang),
        SilenceTimedOut(5),
        heard(lang, "blah", "out_of_scope"),
        SilenceTimedOut(5),
    )
    prompts = [s.prompt_key for s in says(commands)][-3:]
    assert prompts == ["reprompt.ask_full#0", "reprompt.ask_full#1", "keypad_offer#0"]
    assert isinstance(commands[-1], AskDTMF)
    state, more = decide(state, DtmfReceived("1"))  # 1 = yes: full payment, today
    assert keys(more) == ["confirm_promise"]
    assert state.promise_date == state.today
    assert state.misses == 0


@pytest.mark.parametrize("lang", LANGS)
def test_the_keypad_offer_promises_no_person_when_the_campaign_takes_no_transfers(
    lang: str,
) -> None:
    lang_: Lang = "zh" if lang == "zh" else "en"
    facts = replace(demo_case(lang_), agents_take_transfers=False)
    state = start(facts, load_script(lang_), TODAY)
    said: list[DialogueCommand] = []
    events = (CallAnswered(NOON), *verified(lang), SilenceTimedOut(5), SilenceTimedOut(5))
    for event in (*events, SilenceTimedOut(5)):
        state, commands = decide(state, event)
        said.extend(commands)
    offer = says(said)[-1]
    assert offer.prompt_key == "keypad_offer_no_agent#0"
    assert "0" not in offer.text
    assert isinstance(said[-1], AskDTMF)


@pytest.mark.parametrize("lang", LANGS)
def test_no_response_after_the_keypad_offer_ends_the_call(lang: str) -> None:
    # at the name question the close says nothing of why we called: Outcome.UNVERIFIED
    state, commands = run(lang, *(SilenceTimedOut(5) for _ in range(4)))
    assert keys(commands)[-2:] == ["keypad_identity", "unverified_close"]
    assert state.outcome is Outcome.UNVERIFIED
    assert_no_disclosure(lang, commands)


@pytest.mark.parametrize("lang", LANGS)
def test_keypad_zero_reaches_an_agent(lang: str) -> None:
    _, commands = run(lang, *(SilenceTimedOut(5) for _ in range(3)), DtmfReceived("0"))
    assert of(TransferToAgent, commands)


@pytest.mark.parametrize("lang", LANGS)
def test_abusive_language_is_warned_once_then_the_call_ends(lang: str) -> None:
    state, commands = run(lang, *verified(lang), heard(lang, "abuse", "out_of_scope"))
    assert keys(commands)[-2:] == ["abuse_warning", "ask_full"]
    assert state.outcome is None
    state, more = decide(state, heard(lang, "abuse", "out_of_scope"))
    assert keys(more) == ["abuse_end"]
    assert state.outcome is Outcome.REFUSED


@pytest.mark.parametrize("lang", LANGS)
def test_caller_hangup_and_nothing_after_the_end(lang: str) -> None:
    state, _commands = run(lang, CallerHungUp())
    assert state.outcome is Outcome.HUNG_UP
    assert decide(state, heard(lang, "yes", "affirm")) == (state, [])


def test_money_in_commands_is_decimal_with_currency() -> None:
    _, commands = run(
        "en",
        *verified("en"),
        heard("en", "p300fri", "promise_to_pay"),
        heard("en", "yes", "affirm"),
    )
    (promise,) = of(RecordPromise, commands)
    assert isinstance(promise, RecordPromise)
    assert promise.amount == Money.of("300", "USD")


@pytest.mark.parametrize("lang", LANGS)
def test_an_unsure_guess_never_ends_the_call(lang: str) -> None:
    """Refuse / wrong number / third party / "no" to the name end the call: a classifier guess
    below 0.5 gets a re-prompt instead."""
    lang_: Lang = "zh" if lang == "zh" else "en"
    unsure = UtteranceHeard("hmm", lang_, Parse("refuse", 0.3))
    state, commands = run(lang, *verified(lang), unsure)
    assert state.outcome is None
    assert keys(commands)[-1] == "reprompt.ask_full"
    unsure_no = UtteranceHeard("hmm", lang_, Parse("deny", 0.3))
    state, commands = run(lang, unsure_no)
    assert state.outcome is None
    assert keys(commands) == ["greeting", "reprompt.ask_name"]
    sure_no = UtteranceHeard("no", lang_, Parse("deny", 0.8))
    state, _ = run(lang, sure_no)
    assert state.outcome is Outcome.WRONG_NUMBER


@pytest.mark.parametrize(
    ("lang", "text"), [("en", "stop fucking calling me"), ("zh", "傻逼别再打了")]
)
def test_a_cease_request_wins_over_abusive_language(lang: str, text: str) -> None:
    state, commands = run(lang, heard(lang, text, "stop_calling"))
    assert of(RecordCease, commands)
    assert state.outcome is Outcome.CEASE_REQUESTED


_ANY_INTENT = st.sampled_from(
    ["affirm", "deny", "ask_identity", "third_party", "promise_to_pay", "already_paid",
     "hardship", "installment", "dispute", "callback_later", "refuse", "ask_amount",
     "ask_payment_method", "out_of_scope"]
)  # fmt: skip
_TEXTS = st.sampled_from(["1985", "1988", "1990", "tomorrow", "300 on friday", "嗯", "明天", ""])


@settings(max_examples=200, deadline=None)
@given(
    lang=st.sampled_from(LANGS),
    turns=st.lists(st.tuples(_ANY_INTENT, _TEXTS, st.booleans()), max_size=8),
)
def test_nothing_about_the_debt_is_said_before_verification(
    lang: str, turns: list[tuple[Intent, str, bool]]
) -> None:
    """Whatever a caller says, no prompt before right-party verification mentions the debt."""
    lang_: Lang = "zh" if lang == "zh" else "en"
    state = start(demo_case(lang_), load_script(lang_), TODAY)
    state, commands = decide(state, CallAnswered(NOON))
    for intent, text, silent in turns:
        if state.verified or state.ended:
            break
        assert_no_disclosure(lang, commands)
        parse = Parse(intent, 0.9, extract_entities(text, lang, TODAY))
        event: DialogueEvent = SilenceTimedOut(5) if silent else UtteranceHeard(text, lang_, parse)
        state, commands = decide(state, event)
    if not state.verified:
        assert_no_disclosure(lang, commands)
        assert not of(RecordPromise, commands)


@pytest.mark.parametrize(
    ("text", "lang", "digits"),
    [
        ("1985", "en", "1985"),
        ("Nineteen eighty five.", "en", "1985"),  # Whisper's punctuation and capitals
        ("nineteen eighty-five", "en", "1985"),
        ("it's nineteen eighty five, yes", "en", "1985"),
        ("one two three four", "en", "1234"),
        # a two-digit year: one number, never the tens and the unit side by side ("8003")
        ("eighty three", "en", "83"),
        ("Eighty-three.", "en", "83"),
        ("i was born in seventy one", "en", "71"),
        ("twenty five", "en", "25"),
        ("ninety", "en", "90"),
        # a year said in pairs stays four digits
        ("nineteen ninety", "en", "1990"),
        ("twenty oh five", "en", "2005"),
        ("twenty twelve", "en", "2012"),
        ("nineteen oh three", "en", "1903"),
        ("八三年的", "zh", "83"),
        ("一九八五", "zh", "1985"),
        ("我是1988年出生的", "zh", "1988"),
    ],
)
def test_spoken_digits_for_verification(text: str, lang: str, digits: str) -> None:
    assert spoken_digits(text, lang) == digits
