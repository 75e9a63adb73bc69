"""End of turn from meaning: whole answers end after a short silence, unfinished ones wait."""

from __future__ import annotations

from datetime import date

import pytest

from core.dialogue import Lang, Parse
from nlu.parser import default_parser
from nlu.turn_end import (
    Completeness,
    QuestionKind,
    TurnEnd,
    TurnEndPolicy,
    completeness,
    decide,
    needs_parse,
    question_kind,
    silence_needed_ms,
    unfinished,
)

TODAY = date(2026, 11, 30)  # a Monday
K = QuestionKind


def _parse(text: str, lang: Lang) -> Parse:
    return default_parser().parse(text, lang, TODAY)


def _judge(kind: QuestionKind, text: str, lang: Lang) -> Completeness:
    return completeness(kind, text, _parse(text, lang), lang)


COMPLETE_EN = [
    (K.YES_NO, "Yes."),
    (K.YES_NO, "yeah that's me"),
    (K.YES_NO, "Speaking."),
    (K.YES_NO, "No."),
    (K.YES_NO, "No, that's not me."),
    (K.YES_NO, "You have the wrong number."),
    (K.YES_NO, "Yes, that's correct."),
    (K.PROMISE, "I can pay three hundred on Friday."),
    (K.PROMISE, "I'll pay $200 next Monday."),
    (K.PROMISE, "I can send 500 dollars tomorrow"),
    (K.AMOUNT, "Two hundred dollars."),
    (K.AMOUNT, "I could do 150."),
    (K.DATE, "Next Friday."),
    (K.DATE, "On December 10th."),
    (K.YEAR, "1985."),
    (K.YEAR, "I was born in 1972"),
    (K.YEAR, "nineteen eighty-four"),
    (K.DIGITS, "4 8 1 2"),
    (K.DIGITS, "It's 4812."),
    (K.DIGITS, "seven three one nine"),
    (K.COUNT, "Six months."),
    (K.COUNT, "12"),
    (K.TIME, "Tomorrow afternoon."),
    (K.TIME, "Call me after 6 pm."),
    (K.TIME, "In the evening, around 7 o'clock."),
    (K.TIME, "Try Friday."),
]

COMPLETE_ZH = [
    (K.YES_NO, "是的"),
    (K.YES_NO, "是我"),
    (K.YES_NO, "对"),
    (K.YES_NO, "不是"),
    (K.YES_NO, "你打错了"),
    (K.PROMISE, "我周五还三百"),
    (K.PROMISE, "下周一还两千块"),
    (K.AMOUNT, "五百块"),
    (K.AMOUNT, "一千元"),
    (K.DATE, "下周五"),
    (K.DATE, "十二月十号"),
    (K.YEAR, "一九八五年"),
    (K.YEAR, "1990年"),
    (K.YEAR, "八五年的"),
    (K.DIGITS, "四八一二"),
    (K.DIGITS, "4812"),
    (K.TIME, "明天下午"),
    (K.TIME, "晚上八点吧"),
    (K.TIME, "下周再打"),
]

INCOMPLETE_EN = [
    (K.PROMISE, "I can pay"),
    (K.PROMISE, "I can pay…"),
    (K.PROMISE, "I can pay... uh"),
    (K.PROMISE, "I can pay, um,"),
    (K.PROMISE, "I could give you"),
    (K.PROMISE, "I'll pay three hundred and"),
    (K.PROMISE, "I'll pay three hundred on"),
    (K.PROMISE, "Maybe around"),
    (K.YES_NO, "Yes, but"),
    (K.YES_NO, "Yeah, I"),
    (K.YES_NO, "No, because"),
    (K.YES_NO, "Well"),
    (K.YES_NO, "Hold on"),
    (K.YES_NO, "uh, let me think"),
    (K.AMOUNT, "It's about"),
    (K.DATE, "By the"),
    (K.YEAR, "I was born in"),
    (K.TIME, "After"),
    (K.TIME, "Maybe you could call me in the"),
    (K.OPEN, "The thing is, you know"),
    (K.OPEN, "I lost my job and"),
    (K.DIGITS, "It's 4 8,"),
]

INCOMPLETE_ZH = [
    (K.PROMISE, "我可以"),
    (K.PROMISE, "我想"),
    (K.PROMISE, "嗯"),
    (K.PROMISE, "我周五还三百，然后"),
    (K.PROMISE, "我可能"),
    (K.YES_NO, "是的，但是"),
    (K.YES_NO, "那个"),
    (K.YES_NO, "对，不过"),
    (K.AMOUNT, "大概"),
    (K.DATE, "如果下周的话"),
    (K.TIME, "等一下"),
    (K.OPEN, "因为我最近失业了，所以"),
    (K.OPEN, "我……"),
]

# words that answer nothing yet, or answer a different question: the usual wait
UNKNOWN = [
    ("en", K.YES_NO, "Who is this?"),
    ("en", K.YES_NO, "Yes this is him but I want to know what this call is about first today"),
    ("en", K.PROMISE, "Three hundred."),
    ("en", K.PROMISE, "On Friday."),
    ("en", K.AMOUNT, "I don't know."),
    ("en", K.DATE, "I'm not sure."),
    ("en", K.YEAR, "Why do you need that?"),
    ("en", K.DIGITS, "4 8 1"),
    ("en", K.DIGITS, "4 8 1 2 9"),
    ("en", K.OPEN, "Yes."),
    ("en", K.TIME, "Not now."),
    ("en", K.YES_NO, ""),
    ("zh", K.YES_NO, "你是谁"),
    ("zh", K.PROMISE, "三百"),
    ("zh", K.YEAR, "为什么要问这个"),
    ("zh", K.OPEN, "是的"),
    ("zh", K.DIGITS, "四八一"),
]


CASES = [
    *[("en", kind, text, Completeness.COMPLETE) for kind, text in COMPLETE_EN],
    *[("zh", kind, text, Completeness.COMPLETE) for kind, text in COMPLETE_ZH],
    *[("en", kind, text, Completeness.INCOMPLETE) for kind, text in INCOMPLETE_EN],
    *[("zh", kind, text, Completeness.INCOMPLETE) for kind, text in INCOMPLETE_ZH],
    *[(lang, kind, text, Completeness.UNKNOWN) for lang, kind, text in UNKNOWN],
]


@pytest.mark.parametrize(("lang", "kind", "text", "expected"), CASES)
def test_how_whole_the_words_are(
    lang: Lang, kind: QuestionKind, text: str, expected: Completeness
) -> None:
    """Whole answers end after a short silence, unfinished ones wait longer, the rest as usual."""
    assert _judge(kind, text, lang) is expected


def test_the_decision_follows_the_silence_so_far() -> None:
    policy = TurnEndPolicy(complete_ms=200, default_ms=600, incomplete_ms=1000)
    yes, pay = _parse("Yes.", "en"), _parse("I can pay", "en")
    assert decide(K.YES_NO, "Yes.", yes, "en", 180, policy) is TurnEnd.WAIT
    assert decide(K.YES_NO, "Yes.", yes, "en", 200, policy) is TurnEnd.END
    assert decide(K.OPEN, "Yes.", yes, "en", 599, policy) is TurnEnd.WAIT
    assert decide(K.OPEN, "Yes.", yes, "en", 600, policy) is TurnEnd.END
    assert decide(K.PROMISE, "I can pay", pay, "en", 800, policy) is TurnEnd.WAIT
    assert decide(K.PROMISE, "I can pay", pay, "en", 1000, policy) is TurnEnd.END
    assert silence_needed_ms(K.YES_NO, "Yes.", None, "en", policy) == 600  # no parse yet


def test_a_policy_must_be_ordered() -> None:
    with pytest.raises(ValueError, match="complete_ms"):
        TurnEndPolicy(complete_ms=700, default_ms=600)
    with pytest.raises(ValueError, match="complete_ms"):
        TurnEndPolicy(complete_ms=0)


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        ("ask_name#0", K.YES_NO),
        ("reprompt.ask_name#1", K.YES_NO),
        ("ask_birth_year#0", K.YEAR),
        ("ask_id_last4#0", K.DIGITS),
        ("state_debt#0", K.PROMISE),
        ("ask_promise_date#0", K.DATE),
        ("reprompt.callback_ask_time#1", K.TIME),
        ("confirm_promise#0", K.YES_NO),
        ("recording_notice#0", K.OPEN),
        (None, K.OPEN),
        ("", K.OPEN),
    ],
)
def test_question_kind_of_a_prompt_key(key: str | None, kind: QuestionKind) -> None:
    assert question_kind(key) is kind


@pytest.mark.parametrize(
    "text", ["That's me", "Yes I can", "yes it is", "I can't pay", "可以", "是啊", "好的"]
)
def test_sentences_that_may_end_there_are_not_unfinished(text: str) -> None:
    lang: Lang = "zh" if not text.isascii() else "en"
    assert not unfinished(text, lang)


@pytest.mark.parametrize(
    ("kind", "text", "needed"),
    [
        (K.YES_NO, "Yes.", True),
        (K.PROMISE, "three hundred on Friday", True),
        (K.TIME, "tomorrow", True),
        (K.YES_NO, "Yes, but", False),  # unfinished: judged on the words alone
        (K.YEAR, "1985", False),
        (K.DIGITS, "4 8 1 2", False),
        (K.OPEN, "Who is this?", False),
        (K.YES_NO, "  ", False),
    ],
)
def test_the_reading_is_asked_for_only_when_the_judgement_needs_it(
    kind: QuestionKind, text: str, needed: bool
) -> None:
    assert needs_parse(kind, text, "en") is needed
    # and without it, the judgement of what needs no reading is the same
    if not needed:
        assert completeness(kind, text, None, "en") is _judge(kind, text, "en")
