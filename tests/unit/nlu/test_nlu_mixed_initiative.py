"""Mixed initiative after verification (issue 9), with the real parser: in every stage the
debtor's strongest intent wins; acknowledgements are not callbacks; "I already paid" asks for
the day and the channel in either order and reads them back."""

from __future__ import annotations

import dataclasses
import functools
from datetime import UTC, date, datetime

import pytest

from core.dialogue import (
    CallAnswered,
    DialogueCommand,
    Lang,
    Outcome,
    RecordAlreadyPaid,
    RecordHardship,
    RecordPromise,
    Say,
    ScheduleCallback,
    UtteranceHeard,
)
from core.money import Money
from nlu.parser import NluParser, default_parser
from nlu.policy import (
    DialogueState,
    Stage,
    VerificationMode,
    decide,
    demo_case,
    load_script,
    paid,
    start,
)
from nlu.policy.common import ask_key

TODAY = date(2026, 11, 29)  # a Sunday: "friday" is 2026-12-04
NOON = {"en": datetime(2026, 11, 29, 17, tzinfo=UTC), "zh": datetime(2026, 11, 29, 4, tzinfo=UTC)}
FRIDAY = date(2026, 12, 4)


@functools.cache
def parser() -> NluParser:
    return default_parser()


def talk(lang: Lang, *lines: str) -> tuple[DialogueState, list[DialogueCommand]]:
    """A verified-by-name call of the demo case; each line heard exactly as written."""
    facts = dataclasses.replace(demo_case(lang), verification=VerificationMode.NAME)
    state = start(facts, load_script(lang), TODAY)
    state, out = decide(state, CallAnswered(NOON[lang]))
    commands = list(out)
    for line in lines:
        event = UtteranceHeard(line, lang, parser().parse(line, lang, state.today).heard_with(1.0))
        state, out = decide(state, event)
        commands += out
    return state, commands


YES = {"en": "yes speaking", "zh": "对，是我"}
# how each stage after verification is reached
TO_STAGE: dict[Lang, dict[Stage, tuple[str, ...]]] = {
    "en": {
        Stage.ASK_FULL: (),
        Stage.PROMISE: ("no, I can't pay all of that",),
        Stage.OFFER_PLAN: ("could I pay it off in monthly installments",),
        Stage.CALLBACK_TIME: ("can you call me back later",),
        Stage.ALREADY_PAID: ("I already paid that",),
        Stage.CONFIRM_PROMISE: ("I can pay 200 dollars tomorrow",),
    },
    "zh": {
        Stage.ASK_FULL: (),
        Stage.PROMISE: ("不行，一次还不了",),
        Stage.OFFER_PLAN: ("能不能分期还",),
        Stage.CALLBACK_TIME: ("晚点再打给我吧",),
        Stage.ALREADY_PAID: ("我已经还了",),
        Stage.CONFIRM_PROMISE: ("我明天还五百",),
    },
}
STAGES = list(TO_STAGE["en"])


def at_stage(lang: Lang, stage: Stage, *lines: str) -> tuple[DialogueState, list[DialogueCommand]]:
    state, commands = talk(lang, YES[lang], *TO_STAGE[lang][stage])
    assert state.stage is stage, (stage, [c.text for c in commands if isinstance(c, Say)])
    state_after, more = talk(lang, YES[lang], *TO_STAGE[lang][stage], *lines)
    return state_after, more[len(commands) :]


PROMISE = {"en": "I can pay $300 on Friday.", "zh": "我这五环三千"}
PROMISED = {"en": 300, "zh": 3000}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("stage", STAGES)
def test_a_promise_with_amount_and_date_is_a_promise_in_every_stage(
    lang: Lang, stage: Stage
) -> None:
    yes = "yes" if lang == "en" else "对"
    state, commands = at_stage(lang, stage, PROMISE[lang], yes)
    (promise,) = [c for c in commands if isinstance(c, RecordPromise)]
    assert promise.amount == Money.of(PROMISED[lang], state.facts.balance.currency)
    assert promise.due == FRIDAY
    assert state.outcome is Outcome.PROMISE_TO_PAY
    assert not [c for c in commands if isinstance(c, ScheduleCallback)]


STRONG: list[tuple[Lang, str, Outcome | Stage]] = [
    ("en", "I don't owe you people anything", Outcome.DISPUTE),
    ("en", "please stop calling me", Outcome.CEASE_REQUESTED),
    ("en", "you've got the wrong number buddy", Outcome.WRONG_NUMBER),
    ("en", "let me talk to a real person", Stage.TRANSFERRING),
    ("en", "I paid it online yesterday", Outcome.ALREADY_PAID),
    ("zh", "这钱我根本没借过", Outcome.DISPUTE),
    ("zh", "别再给我打电话了", Outcome.CEASE_REQUESTED),
    ("zh", "你打错了", Outcome.WRONG_NUMBER),
    ("zh", "给我转人工", Stage.TRANSFERRING),
    ("zh", "我昨天在网上还过了", Outcome.ALREADY_PAID),
]


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize(("lang", "line", "result"), STRONG)
def test_the_strongest_intent_wins_whatever_was_asked(
    lang: Lang, line: str, result: Outcome | Stage, stage: Stage
) -> None:
    state, _ = at_stage(lang, stage, line)
    if isinstance(result, Stage):
        assert state.stage is result
    else:
        assert state.outcome is result


ACKS = [
    ("en", "Alright, I know I'm behind."),
    ("en", "yeah yeah I know"),
    ("en", "I know."),
    ("zh", "我知道"),
    ("zh", "嗯我知道最近手头紧"),
    ("zh", "知道了"),
]


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize(("lang", "line"), ACKS)
def test_an_acknowledgement_keeps_the_question(lang: Lang, line: str, stage: Stage) -> None:
    before, _ = talk(lang, YES[lang], *TO_STAGE[lang][stage])
    state, commands = at_stage(lang, stage, line)
    assert state.outcome is None
    assert state.stage is stage
    assert state.misses == 0  # understood, not a failed answer
    question = ask_key(before)  # the stage's question (after "no": how much could you pay?)
    keys = [c.prompt_key.split("#")[0] for c in commands if isinstance(c, Say)]
    assert keys == ["acknowledged", question]
    assert not [c for c in commands if isinstance(c, ScheduleCallback)]


PAID_ORDERS: list[tuple[Lang, tuple[str, ...], date | None, str | None]] = [
    ("en", ("I already paid that last Tuesday", "online through the website"),
     date(2026, 11, 24), "online"),
    ("en", ("I already paid that last Tuesday", "I'm lying to the website."),
     date(2026, 11, 24), "online"),  # the recogniser's version of "online through the website"
    ("en", ("I paid it already", "through the app", "on wednesday"), date(2026, 11, 25), "app"),
    ("en", ("I paid it already", "I sent it by bank transfer two days ago"),
     date(2026, 11, 27), "bank_transfer"),
    ("en", ("that's already been paid", "I mailed a check", "I don't remember the date"),
     None, "check"),
    ("zh", ("我已经还了", "上周三", "用支付宝还的"), date(2026, 11, 18), "wallet"),
    ("zh", ("我已經還過了", "在APP上還的", "前天"), date(2026, 11, 27), "app"),
    ("zh", ("我上个月20号就通过银行转账还了",), date(2026, 10, 20), "bank_transfer"),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "lines", "paid_on", "channel"), PAID_ORDERS)
def test_already_paid_gets_day_and_channel_in_any_order_and_reads_them_back(
    lang: Lang, lines: tuple[str, ...], paid_on: date | None, channel: str | None
) -> None:
    state, commands = talk(lang, YES[lang], *lines)
    assert state.outcome is Outcome.ALREADY_PAID
    (record,) = [c for c in commands if isinstance(c, RecordAlreadyPaid)]
    assert (record.paid_on, record.channel) == (paid_on, channel)
    keys = [c.prompt_key.split("#")[0] for c in commands if isinstance(c, Say)]
    assert keys[-1] == "paid_close"
    assert keys[-2].startswith("paid_readback")
    assert "payment_to_verify" in state.notes


@pytest.mark.parametrize(
    ("lang", "line", "day"),
    [
        ("en", "friday", FRIDAY),
        ("en", "try me tomorrow", date(2026, 11, 30)),
        ("en", "in a couple of hours", TODAY),
        ("zh", "明天吧", date(2026, 11, 30)),
        ("zh", "晚上再打", TODAY),
    ],
)
def test_the_callback_step_takes_a_day_or_a_time_today(lang: Lang, line: str, day: date) -> None:
    state, commands = at_stage(lang, Stage.CALLBACK_TIME, line)
    (callback,) = [c for c in commands if isinstance(c, ScheduleCallback)]
    assert callback.at is not None
    assert callback.at.date() == day
    assert state.outcome is Outcome.CALLBACK_SCHEDULED


def test_hardship_is_recorded_once_then_the_plan_step_decides() -> None:
    state, _ = at_stage("en", Stage.ASK_FULL, "I lost my job last month")
    assert state.stage is Stage.OFFER_PLAN
    assert state.hardship
    state, more = talk(
        "en", YES["en"], "I lost my job last month", "honestly I'm broke, I have nothing"
    )
    assert len([c for c in more if isinstance(c, RecordHardship)]) == 1
    assert state.stage is Stage.TRANSFERRING  # no plan either: a person takes over


@pytest.mark.parametrize(
    ("lang", "lines", "paid_on", "channel"),
    [
        ("zh", ("我已经还了", "我25号在网银上转的"), date(2026, 11, 25), "online"),
        ("en", ("I already paid", "I sent it through Zelle on Monday"), date(2026, 11, 23),
         "wallet"),
    ],
)  # fmt: skip
def test_a_past_payment_in_the_already_paid_step_is_no_promise(
    lang: Lang, lines: tuple[str, ...], paid_on: date, channel: str
) -> None:
    state, commands = talk(lang, YES[lang], *lines)
    assert state.outcome is Outcome.ALREADY_PAID
    assert [c for c in commands if isinstance(c, RecordAlreadyPaid)] == [
        RecordAlreadyPaid(paid_on, channel)
    ]
    assert not [c for c in commands if isinstance(c, RecordPromise)]


@pytest.mark.parametrize(
    ("lang", "line", "amount", "day"),
    [
        ("en", "No, I can't pay the full 1250 today.", None, None),
        ("en", "I can't pay it all, but I can do 300 on friday", 300, FRIDAY),
        ("en", "I can't pay until friday, then 200", 200, FRIDAY),
        ("en", "No, I couldn't do the whole 1,250 today", None, None),
        ("zh", "今天还不了三千五那么多", None, None),
        ("zh", "一次还不了，但是周五能还一千", 1000, FRIDAY),
        ("zh", "全部还不起，先还五百吧，周五", 500, FRIDAY),
        ("zh", "周五还两千 行不行", 2000, FRIDAY),  # a tag question, no refusal
        ("zh", "能不能周五还一千", 1000, FRIDAY),
        ("zh", "周五不行，全部还不了", None, None),
        # a tag question asks; its 不 refuses nothing
        ("zh", "周五还一千行不行", 1000, FRIDAY),
        ("zh", "周五 还一千 能不能", 1000, FRIDAY),
        ("zh", "我周五先还一千可不可以", 1000, FRIDAY),
    ],
)
def test_a_refused_amount_is_no_promise_and_a_but_clause_is(
    lang: Lang, line: str, amount: int | None, day: date | None
) -> None:
    state, _ = at_stage(lang, Stage.ASK_FULL, line)
    assert state.stage in (Stage.PROMISE, Stage.CONFIRM_PROMISE)
    expected = None if amount is None else Money.of(amount, state.facts.balance.currency)
    assert (state.promise_amount, state.promise_date) == (expected, day)


@pytest.mark.parametrize(
    ("lang", "line", "count"),
    [("en", "Twelve.", 12), ("en", "Six months, please.", 6), ("zh", "分六個月", 6),
     ("zh", "十二期吧。", 12)],
)  # fmt: skip
def test_the_plan_length_as_the_recogniser_prints_it(lang: Lang, line: str, count: int) -> None:
    state, _ = at_stage(lang, Stage.OFFER_PLAN, line)
    assert state.stage is Stage.CONFIRM_PLAN
    assert state.plan_count == count


@pytest.mark.parametrize(("lang", "line"), [("en", "actually go ahead, I can talk now"),
                                            ("zh", "算了现在方便，你说吧")])  # fmt: skip
def test_asked_for_a_callback_time_the_debtor_may_talk_now(lang: Lang, line: str) -> None:
    state, commands = at_stage(lang, Stage.CALLBACK_TIME, line)
    assert state.stage is Stage.ASK_FULL
    assert state.outcome is None
    assert not [c for c in commands if isinstance(c, ScheduleCallback)]


@pytest.mark.parametrize(
    ("text", "lang", "channel"),
    [
        ("用银行卡转账的", "zh", "bank_transfer"), ("银行卡还的", "zh", "card"),
        ("在网银上转的", "zh", "online"), ("微信转给你们的", "zh", "wallet"),
        ("through my bank", "en", "bank_transfer"), ("by bank card", "en", "card"),
        ("i sent a check", "en", "check"), ("check again", "en", None), ("zelle", "en", "wallet"),
        ("autopay took it", "en", "autopay"), ("at the store in cash", "en", "cash"),
        ("I paid over the phone", "en", "phone"), ("I'm lying to the website.", "en", "online"),
        ("on line", "en", "online"), ("在APP上還的", "zh", "app"),
    ],
)  # fmt: skip
def test_payment_channels(text: str, lang: str, channel: str | None) -> None:
    assert paid.channel_of(text, lang) == channel


@pytest.mark.parametrize(
    ("lang", "line", "amount"),
    [
        ("en", "I lost my job last month, but I can do 150 on Friday", 150),
        ("en", "call me friday, I'll have 300 for you then", 300),
        ("zh", "我失业了，不过周五能还一千", 1000),
    ],
)
def test_a_promise_inside_another_intent_still_wins(lang: Lang, line: str, amount: int) -> None:
    for stage in (Stage.ASK_FULL, Stage.PROMISE):
        state, _ = at_stage(lang, stage, line)
        assert state.stage is Stage.CONFIRM_PROMISE
        assert state.promise_amount == Money.of(amount, state.facts.balance.currency)
        assert state.promise_date == FRIDAY
