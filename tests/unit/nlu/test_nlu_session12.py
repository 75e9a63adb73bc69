"""Session 12 (integrator), found by a held-out set written before any change:

* Whoever answered said the debtor is not there ("he's at work, I'm his wife", 他是我儿子，他现在
  不在家), was asked when to call back, and said nothing more or hung up: the call ended
  ``hung_up`` after the debtor's keypad was offered to them. It is a ``third_party`` call.
* "my dad's not home right now" was read as hardship and asked again; said of the one asked for
  by kin ("my husband is at work") it is a third party, never a yes.
* 我可以先还一半 (half, no day yet) was read as a plan, and the day said next was lost.
* 是，什么事 (a plain yes, then "what is it?") was read as a question back; 张海涛，我是 (the name
  said back first) was asked again.

Today is Sunday 29 Nov 2026 (``test_nlu_mixed_initiative.talk``); the demo debtors are John Smith
and 李明 (3,500 CNY)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from test_nlu_mixed_initiative import talk

from core.dialogue import (
    CallerHungUp,
    DialogueCommand,
    Hangup,
    Lang,
    Outcome,
    Say,
    ScheduleCallback,
    SilenceTimedOut,
    UtteranceHeard,
)
from nlu.asking import reachable_later
from nlu.parser import default_parser
from nlu.policy import DialogueState, Stage, decide
from nlu.policy.disclosure import reveals_debt

YES = {"en": "yes speaking", "zh": "对，是我"}

SAT = date(2026, 12, 5)


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "he's at work right now, I'm his wife"),
        ("en", "my dad's not home right now"),
        ("en", "my husband is at work"),
        ("en", "she's asleep"),
        ("zh", "他是我儿子，他现在不在家"),
        ("zh", "我是他同事，他手机落在我这儿了"),
    ],
)
@pytest.mark.parametrize("then", ["silence", "hang-up"])
def test_a_third_party_who_gives_no_time_ends_as_a_third_party(
    lang: Lang, line: str, then: str
) -> None:
    state, said = talk(lang, line)
    assert state.stage is Stage.THIRD_PARTY_TIME
    event = SilenceTimedOut(8.0) if then == "silence" else CallerHungUp(datetime.now(UTC))
    state, out = decide(state, event)
    assert state.outcome is Outcome.THIRD_PARTY
    assert any(isinstance(c, Hangup) and c.outcome is Outcome.THIRD_PARTY for c in out)
    callbacks = [c for c in out if isinstance(c, ScheduleCallback)]
    assert len(callbacks) == 1
    assert callbacks[0].with_third_party
    spoken = [c.text for c in [*said, *out] if isinstance(c, Say)]
    assert not any(reveals_debt(text) for text in spoken)  # nothing of the debt to them
    assert not any("1" in text and ("press" in text or "按" in text) for text in spoken)


@pytest.mark.parametrize(
    "line",
    [
        "my dad's not home right now",
        "my husband is at work right now",
        "my mom's in the hospital",
        "she's busy at the moment",
        "he's out of town till monday",
        "my son is out, can I take a message",
    ],
)
def test_kin_or_he_not_there_is_reachable_later(line: str) -> None:
    assert reachable_later(line, "en")


@pytest.mark.parametrize(
    "line",
    [
        "my wife is in the hospital, I can't pay right now",  # the debtor's own story
        "he's not here anymore",
        "he moved out last year",
        "my dad's house",
    ],
)
def test_own_story_or_gone_is_not_reachable_later(line: str) -> None:
    assert not reachable_later(line, "en")


@pytest.mark.parametrize("line", ["我可以先还一半", "我只能还一半", "能不能先还一半", "先给你一半"])
def test_half_offered_without_a_day_is_one_payment_whose_day_is_asked(line: str) -> None:
    parse = default_parser().parse(line, "zh", date(2026, 11, 29))
    assert parse.intent == "promise_to_pay"
    state, _ = talk("zh", "对，是我", line, "这周六吧")
    assert state.stage is Stage.CONFIRM_PROMISE
    assert state.promise_amount is not None
    assert state.promise_amount.amount == Decimal("1750")
    assert state.promise_date == SAT


@pytest.mark.parametrize(
    "line", ["我先还一半剩下的下个月", "一半还不上", "我已经还了一半", "分期还一半"]
)
def test_half_with_a_rest_a_no_a_payment_made_or_a_plan_is_not_one_payment(line: str) -> None:
    assert default_parser().parse(line, "zh", date(2026, 11, 29)).intent != "promise_to_pay"


@pytest.mark.parametrize("line", ["是，什么事", "对，干嘛", "是，啥事", "李明，我是", "李明我是",
                                  "李明啊，对", "李明，是我本人"])  # fmt: skip
def test_a_yes_then_what_or_the_name_said_back_first_verifies(line: str) -> None:
    state, said = talk("zh", line)
    assert state.verified, line
    assert any(reveals_debt(c.text) for c in said if isinstance(c, Say))


@pytest.mark.parametrize(
    "line",
    ["是，你哪位", "对，你是谁", "李明？不是我", "李明，我是他老婆", "李明啊，他不在", "李明是吧",
     "李明？", "我是李明的朋友"],
)  # fmt: skip
def test_a_question_of_who_or_another_person_after_the_name_never_verifies(line: str) -> None:
    state, said = talk("zh", line)
    assert not state.verified, line
    assert not any(reveals_debt(c.text) for c in said if isinstance(c, Say))


def test_the_half_rule_needs_the_words_not_the_classifier() -> None:
    """The same line heard as a plan by the classifier is still one payment (the rule is in
    ``nlu.plans.settle_zh``, after the classifier)."""
    from nlu.plans import settle_zh

    today = date(2026, 11, 29)
    assert settle_zh("installment", (), "我只能还一半", today) == "promise_to_pay"
    assert settle_zh("installment", (), "能不能分期", today) == "installment"
    assert settle_zh("installment", (), "我先还一半剩下的下个月", today) == "installment"


@pytest.mark.parametrize(
    ("line", "death"),
    [
        ("he passed, sorry", True),
        ("he passed, I'm his son", True),
        ("she passed, unfortunately", True),
        ("he passed the test", False),
        ("he passed the message on, sorry", False),
    ],
)
def test_passed_then_an_apology_reports_a_death(line: str, death: bool) -> None:
    parse = default_parser().parse(line, "en", date(2026, 11, 29))
    assert (parse.intent == "deceased") is death


# --- mid-call (a third held-out set, written before the fixes) ---------------------------------


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "what loan is this even for?"),
        ("en", "which account is this"),
        ("zh", "这是什么贷款啊"),
        ("zh", "哪笔欠款"),
    ],
)
def test_a_question_of_what_the_debt_is_is_answered_never_a_dispute(lang: Lang, line: str) -> None:
    state, said = talk(lang, YES[lang], line)
    assert state.outcome is None, line
    assert state.stage is Stage.ASK_FULL
    answer = [c for c in said if isinstance(c, Say)][-2].text  # the answer, then the question
    assert "loan" in answer or "贷款" in answer


@pytest.mark.parametrize(
    ("lang", "line"),
    [("en", "what loan is this? I never took out a loan"), ("zh", "什么贷款，我没借过")],
)
def test_a_question_with_a_denial_stays_a_dispute(lang: Lang, line: str) -> None:
    state, _ = talk(lang, YES[lang], line)
    assert state.outcome is Outcome.DISPUTE


@pytest.mark.parametrize(
    ("lang", "ask", "then", "amount"),
    [
        ("en", "what's the least I can pay right now", "ok I'll do that on friday", "100"),
        ("en", "is there a minimum?", "alright, the minimum on friday then", "100"),
        ("zh", "最少要还多少", "那我周五还这么多", "500"),
        ("zh", "最低还款是多少啊", "好，周五还最低的", "500"),
    ],
)
def test_the_minimum_asked_is_said_and_that_much_is_the_minimum(
    lang: Lang, ask: str, then: str, amount: str
) -> None:
    state, said = talk(lang, YES[lang], ask)
    assert state.stage is Stage.PROMISE
    texts = [c.text for c in said if isinstance(c, Say)]
    assert any(("minimum" in t or "smallest" in t or "最低" in t) for t in texts[-2:])
    state, _ = talk(lang, YES[lang], ask, then)
    assert state.stage is Stage.CONFIRM_PROMISE
    assert state.promise_amount is not None
    assert state.promise_amount.amount == Decimal(amount)
    assert state.promise_date == date(2026, 12, 4)


def test_that_without_the_minimum_said_is_no_amount() -> None:
    state, _ = talk("en", YES["en"], "I get paid friday, can I do that then")
    assert state.promise_amount is None or state.promise_amount.amount != Decimal("100")


@pytest.mark.parametrize(
    ("lang", "line", "amount"),
    [
        ("en", "I can pay right now over the phone, a hundred bucks", "100"),
        ("en", "I'll send 200 right away", "200"),
        ("zh", "我现在就可以还五百", "500"),
        ("zh", "马上转一千", "1000"),
    ],
)
def test_now_is_today(lang: Lang, line: str, amount: str) -> None:
    state, _ = talk(lang, YES[lang], line)
    assert state.stage is Stage.CONFIRM_PROMISE
    assert state.promise_date == date(2026, 11, 29)
    assert state.promise_amount is not None
    assert state.promise_amount.amount == Decimal(amount)


@pytest.mark.parametrize(("lang", "line"), [("en", "I can't pay right now"), ("zh", "现在还不了")])
def test_not_now_is_no_day(lang: Lang, line: str) -> None:
    state, _ = talk(lang, YES[lang], line)
    assert state.promise_date is None


def test_the_whole_thing_answers_how_much() -> None:
    state, _ = talk("en", YES["en"], "I get paid friday, can I pay then", "the whole thing")
    assert state.stage is Stage.CONFIRM_PROMISE
    assert state.promise_amount is not None
    assert state.promise_amount.amount == Decimal("1250")


@pytest.mark.parametrize(
    ("lang", "line"),
    [("en", "I filed for bankruptcy last month"), ("en", "I'm in chapter 7"),
     ("en", "talk to my bankruptcy attorney"), ("zh", "我申请了破产"),
     ("zh", "我已经进入破产程序了")],
)  # fmt: skip
def test_a_bankruptcy_goes_to_a_person(lang: Lang, line: str) -> None:
    assert default_parser().parse(line, lang, date(2026, 11, 29)).intent == "request_agent"


@pytest.mark.parametrize(
    ("lang", "line"), [("en", "I'm practically bankrupt"), ("zh", "我都快破产了")]
)
def test_broke_is_not_a_bankruptcy(lang: Lang, line: str) -> None:
    assert default_parser().parse(line, lang, date(2026, 11, 29)).intent != "request_agent"


def test_an_amount_a_month_in_a_hardship_story_is_a_plan() -> None:
    state, said = talk("en", YES["en"], "I'm on disability, I can only manage about fifty a month")
    assert state.stage in (Stage.CONFIRM_PLAN, Stage.OFFER_PLAN)
    assert any("longest plan" in c.text for c in said if isinstance(c, Say))


def test_asking_to_waive_fees_is_answered_with_a_plan() -> None:
    line = "can you waive the late fees if I pay today?"
    assert default_parser().parse(line, "en", date(2026, 11, 29)).intent == "installment"


@pytest.mark.parametrize("line", ["我下午去银行转", "我晚上还一千", "今晚转给你"])
def test_a_part_of_the_day_alone_is_today(line: str) -> None:
    state, _ = talk("zh", YES["zh"], line)
    assert state.promise_date == date(2026, 11, 29)


def _heard_at(
    lang: Lang, state: DialogueState, line: str, asr: float
) -> tuple[DialogueState, list[DialogueCommand]]:
    parse = default_parser().parse(line, lang, state.today).heard_with(asr)
    new, out = decide(state, UtteranceHeard(line, lang, parse))
    return new, list(out)


@pytest.mark.parametrize(
    ("lang", "first", "about", "second"),
    [
        ("zh", "是我。", "我现在就可以还五百。", "对。"),
        ("zh", "是我。", "十五号发工资，到时候还一千五。", "是的。"),
        ("en", "Yes.", "I can pay 200 on friday.", "Yes."),
    ],
)
def test_an_unsure_yes_then_words_about_paying_then_a_yes_verifies(
    lang: Lang, first: str, about: str, second: str
) -> None:
    """Heard at 0.4 (a plain yes the recogniser is unsure of: asked again, not verified), then
    the debt spoken of (held, asked again), then a yes at 0.4: two yeses around words about
    paying verify, and the held words are answered (spoken runs of the held-out set: 是我。 …
    我现在就可以还五百。 … 对。 ended at the keypad)."""
    state, _ = talk(lang)
    state, _ = _heard_at(lang, state, first, 0.4)
    assert not state.verified
    state, _ = _heard_at(lang, state, about, 0.9)
    assert not state.verified
    state, _ = _heard_at(lang, state, second, 0.4)
    assert state.verified
    assert state.promise_amount is not None


@pytest.mark.parametrize(
    ("lang", "first", "about", "second"),
    [
        ("zh", "你找谁？", "我现在就可以还五百。", "对。"),  # no yes first
        ("zh", "是我。", "<noise>", "对。"),
    ],
)
def test_no_first_yes_or_no_words_between_is_no_second_yes(
    lang: Lang, first: str, about: str, second: str
) -> None:
    state, _ = talk(lang)
    state, _ = _heard_at(lang, state, first, 0.4)
    if about == "<noise>":
        state, _ = decide(state, SilenceTimedOut(8.0))
    else:
        state, _ = _heard_at(lang, state, about, 0.9)
    state, _ = _heard_at(lang, state, second, 0.4)
    assert not state.verified
