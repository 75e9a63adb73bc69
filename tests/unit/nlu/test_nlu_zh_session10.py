"""Mandarin, session 10 (branch zh7): the brief's five known misses as families. The held-out
lines (``data/zh_unseen_session10.yml``, written before the rules) are read as meant; each
rule is tested again on lines of its own, and on the near-misses it must leave alone: a
stranger in a hurry, a job or money gone, somebody who went over there, a refusal after the
new year, 出息 / 出席 / 那个月 (docs/nlu.md, "Session 10, zh7")."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from test_nlu_unseen_zh import call, parser
from test_nlu_unseen_zh_round2 import assert_copies_nothing, assert_reads_as_meant

from core.dialogue import AmountEntity, DateEntity, Outcome, Say
from nlu.bereavement import who_died
from nlu.policy import VerificationMode
from nlu.policy.disclosure import DEBT_WORDS
from nlu.policy.state import Stage
from nlu.text import prepare
from nlu.training_data import normalize
from simulation.spoken.corpus import Utterance, load_corpus

_FILE = Path(__file__).parent / "data" / "zh_unseen_session10.yml"
CORPUS = load_corpus(_FILE)
SPEECH_FILE = Path(__file__).parent / "data" / "zh_unseen_session10_speech.yml"
TODAY = CORPUS.today
# read otherwise: a full name with 过去 (李明已经过去两年了) is left to the classifier, as a full
# name with 走了 is (session 9, en6): 过去 is the recogniser's word, a name makes it no surer
KNOWN_MISSES: frozenset[str] = frozenset({"李明已经过去两年了"})


def _id(u: Utterance) -> str:
    return f"{u.intent}:{u.text}"


def test_the_file_copies_nothing() -> None:
    assert len(CORPUS.utterances) >= 50
    assert_copies_nothing(CORPUS, _FILE, SPEECH_FILE, Path(__file__))


@pytest.mark.parametrize(
    "u",
    [
        pytest.param(u, marks=pytest.mark.xfail(strict=True)) if u.text in KNOWN_MISSES else u
        for u in CORPUS.utterances
        if u.intent != "affirm"  # (the yeses are answers: read by the policy, below)
    ],
    ids=_id,
)
def test_every_line_reads_as_meant_and_invents_nothing(u: Utterance) -> None:
    assert_reads_as_meant(u, TODAY)


@pytest.mark.parametrize("line", [u.text for u in CORPUS.utterances if u.intent == "affirm"])
def test_the_debtor_in_a_hurry_is_verified_and_the_call_goes_on(line: str) -> None:
    state, _ = call(line)
    assert state.verified
    assert state.stage is Stage.ASK_FULL
    state, _ = call(line, mode=VerificationMode.NAME_AND_BIRTH_YEAR)
    assert state.stage is Stage.VERIFY_SECOND  # the second factor is still asked


# --- 1. a yes, then "I'm driving, be quick" -----------------------------------------------------
@pytest.mark.parametrize(
    "line",
    ["是我 开车呢 你说", "我就是 在地铁上 你讲吧", "本人 我在上班 简单说", "是我是我 在吃饭 直说吧",
     "是我我在开车你快说"],
)  # fmt: skip
def test_a_yes_then_the_speakers_own_hurry_verifies(line: str) -> None:
    state, _ = call(line)
    assert state.verified
    assert not state.ended


@pytest.mark.parametrize("mode", [m for m in VerificationMode if m is not VerificationMode.NONE])
@pytest.mark.parametrize(
    "line",
    ["不是我 我在开车 你快说", "他在开车 你快说", "嗯 我在开车 快说", "是我妈 我在开车 快说",
     "你谁啊 我在开车 快说", "是我 他在开车 你说", "对 我在开车 你说", "我在开车 你快说"],
)  # fmt: skip
def test_a_stranger_in_a_hurry_is_not_verified(line: str, mode: VerificationMode) -> None:
    state, out = call(line, line, mode=mode)
    assert not state.verified
    assert not [c.text for c in out if isinstance(c, Say) and DEBT_WORDS.search(c.text)]


@pytest.mark.parametrize("line", ["是我 我在开车 等会再打", "是我 在开车 不方便 晚点打过来"])
def test_a_yes_with_a_request_to_call_later_is_still_a_callback(line: str) -> None:
    state, _ = call(line)
    assert state.outcome is Outcome.CALLBACK_SCHEDULED


@pytest.mark.parametrize("line", ["我在开会 你快说", "开车呢 长话短说"])
def test_after_verification_leave_to_go_on_is_no_callback(line: str) -> None:
    state, _ = call("是我", line)
    assert not state.ended


# --- 2. 人没了 and 过去了 with a time since ----------------------------------------------------
def _died(line: str) -> str | None:
    return who_died(normalize(prepare(line, "zh")), "zh")


@pytest.mark.parametrize(
    "line",
    ["她人已经没了 三年了", "人早没了 前年的事了", "他没了 都快两年了", "他已经没了 你们别再打了",
     "她前年就过去了", "他过去都一年多了", "人已经过去了 去年的事", "老张前年过去了"],
)  # fmt: skip
def test_a_death_said_with_mei_le_or_guo_qu_and_a_time_since(line: str) -> None:
    assert _died(line) == "them"


@pytest.mark.parametrize(
    "line",
    ["他过去了", "他已经过去了", "他刚过去", "他去年过去深圳了", "他过去那边打工两年了",
     "事情都过去两年了", "他过去两年一直在外地", "他去年就过去了 现在在上海", "老王过去了",
     "他钱早就没了", "他工作没了 前年的事", "那笔钱去年就没了", "他人没了影 去年就找不到了",
     "他没了 工作也没了", "这事已经过去两年了", "都过去一年了 你们还打",
     "其他人已经没了", "其他人都过去两年了", "别人去年就过去了", "客人已经走了"],
)  # fmt: skip
def test_no_death_from_going_over_there_or_a_thing_gone(line: str) -> None:
    assert _died(line) is None


# --- 3. a promise after a festival, no day ---------------------------------------------------
@pytest.mark.parametrize(
    "line",
    ["过完春节一定还", "元宵节以后就还上", "节后我转给你", "过了年就还你", "等年过完了 我就还上",
     "春节过完了就还你"],
)  # fmt: skip
def test_a_payment_after_a_festival_is_a_promise_with_no_day(line: str) -> None:
    got = parser().parse(line, "zh", TODAY)
    assert got.intent == "promise_to_pay"
    assert not [e for e in got.entities if isinstance(e, DateEntity)]


@pytest.mark.parametrize(
    "line",
    ["过完年也还不上", "过完年也不还", "去年过完年就还了", "年后还是没钱",
     "过完年先还一半 剩下的分期", "年后再打给我"],
)  # fmt: skip
def test_no_promise_after_a_festival_from_a_refusal_a_payment_made_or_a_plan(line: str) -> None:
    assert parser().parse(line, "zh", TODAY).intent != "promise_to_pay"


def test_after_the_festival_the_bot_asks_which_day() -> None:
    state, _ = call("是我", "过完年再还")
    assert not state.ended
    assert state.promise_date is None


# --- 4. the festival words the recogniser writes by sound ------------------------------------
def _days(line: str, today: date = TODAY) -> list[date]:
    return [
        e.value for e in parser().parse(line, "zh", today).entities if isinstance(e, DateEntity)
    ]


@pytest.mark.parametrize(
    ("line", "day"),
    [("辣月初十还", date(2027, 1, 17)), ("那月十八 转一千", date(2027, 1, 25)),
     ("除稀前还上", date(2027, 2, 5)), ("出夕当天转给你", date(2027, 2, 5))],
)  # fmt: skip
def test_festival_words_heard_by_sound(line: str, day: date) -> None:
    assert _days(line) == [day]


@pytest.mark.parametrize(
    "line",
    ["孩子没出息 周五还两千", "我要出席会议 周五还两千", "那月二十号发工资 那天还你", "那月我没钱"],
)
def test_words_of_the_same_sound_name_no_festival(line: str) -> None:
    days = _days(line)
    assert date(2027, 2, 5) not in days
    assert date(2027, 1, 27) not in days


def test_a_festival_after_guo_le_names_no_day() -> None:
    assert _days("等过了春节再还你") == []
    found = parser().parse("那月二十还你两千", "zh", TODAY).entities
    assert [e.value for e in found if isinstance(e, AmountEntity)] == [2000]


# --- the spoken benchmark's families (``data/zh_unseen_session10_speech.yml``) ---------------
SPEECH = load_corpus(SPEECH_FILE)


def test_the_speech_families_file_copies_nothing() -> None:
    assert len(SPEECH.utterances) >= 35
    assert_copies_nothing(SPEECH, SPEECH_FILE, _FILE, Path(__file__))


@pytest.mark.parametrize("u", SPEECH.utterances, ids=_id)
def test_every_speech_family_line_reads_as_meant(u: Utterance) -> None:
    assert_reads_as_meant(u, SPEECH.today)


@pytest.mark.parametrize(
    ("line", "intent"),
    [("太吵了 等会儿再打给我", "callback_later"), ("信号不好 你晚点再打", "callback_later"),
     ("你说多少钱", "ask_amount"), ("你说啥 我没借过钱", "dispute"),
     ("你说啥 他不在", "third_party")],
)  # fmt: skip
def test_line_trouble_with_other_business_is_that_business(line: str, intent: str) -> None:
    assert parser().parse(line, "zh", TODAY).intent == intent


@pytest.mark.parametrize("line", ["对 你说", "你说吧", "你说的对"])
def test_leave_to_go_on_is_no_line_trouble(line: str) -> None:
    assert parser().parse(line, "zh", TODAY).intent != "out_of_scope"


@pytest.mark.parametrize("mode", [m for m in VerificationMode if m is not VerificationMode.NONE])
@pytest.mark.parametrize("line", ["太吵了 听不清", "你说啥", "信号不好 喂喂"])
def test_line_trouble_at_the_opening_is_asked_again(line: str, mode: VerificationMode) -> None:
    state, out = call(line, mode=mode)
    assert not state.verified
    assert not state.ended
    assert not [c.text for c in out if isinstance(c, Say) and DEBT_WORDS.search(c.text)]


@pytest.mark.parametrize(
    "line", ["他走的时候没说", "他走的那天下雨", "他走的时候 去年", "他走的很急"]
)
def test_zou_de_of_when_he_left_is_no_death(line: str) -> None:
    assert _died(line) is None
