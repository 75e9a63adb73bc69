"""Mandarin debtor lines, round 3 (``data/zh_unseen_round3.yml``, held out: never training data,
written and measured on main before this round's rules; 东北话, 四川话, Cantonese-influenced
Mandarin, elderly, terse and angry speakers): every line through the real parser (intent, the
amount and the date said, and none where none is said), the verification answers through the
policy, and the file copies no line of the project's other Mandarin text."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_nlu_unseen_zh import call  # a call heard exactly, on Wednesday 2 Dec 2026
from test_nlu_unseen_zh_round2 import (
    NON_ANSWERS,
    assert_copies_nothing,
    assert_reads_as_meant,
    lines,
)

from core.dialogue import Say
from nlu.policy import VerificationMode
from nlu.policy.disclosure import DEBT_WORDS
from simulation.spoken.corpus import Utterance, load_corpus

_FILE = Path(__file__).parent / "data" / "zh_unseen_round3.yml"
CORPUS = load_corpus(_FILE)
# read otherwise, and known (docs/nlu.md, "Mandarin round 3"): a
# promise with the day last (明儿) and no pay verb, an English weekday (friday), 前儿个 (a lunar
# day whose 十五 was read as an amount is read since zh6: nlu.festivals_zh), northern sayings of
# having no money (兜里比脸都干净) and of refusing (爱找谁找谁), 几个钱 for how much, an elderly
# speaker's age read as an amount, 今天 in chat read as a day, and asking for a job read as
# asking who calls
KNOWN_MISSES: frozenset[str] = frozenset({
    "我微信转你们八百 明儿", "okay okay 我friday还两千",
    "我前儿个就在微信上还了", "整不了啊 兜里比脸都干净", "我都七十多了 就靠那点退休金 哪有钱还啊",
    "一毛钱都没有 爱找谁找谁", "我这还差几个钱没还清啊", "到今天利息滚到多少了", "今天天气真好",
    "请问你们那里招人吗",
})  # fmt: skip


def test_the_file_is_large_covers_every_intent_and_copies_nothing() -> None:
    assert len(CORPUS.utterances) >= 150
    assert len({u.intent for u in CORPUS.utterances}) == 18
    assert_copies_nothing(CORPUS, _FILE, Path(__file__))


@pytest.mark.parametrize("u", lines(CORPUS, KNOWN_MISSES), ids=lambda u: f"{u.intent}:{u.text}")
def test_every_line_reads_as_meant_and_invents_nothing(u: Utterance) -> None:
    assert_reads_as_meant(u, CORPUS.today, paid_day=True)


# yeses the policy does not take at once (safe: asked again, then the keypad): 四川 嘛/撒
# closing the yes, 咋了 before it, 是嘞 (Cantonese 系 for 是 is read since the integrator's
# Cantonese words, nlu.text.mandarin_words, written without this file)
SLOW_YES: frozenset[str] = frozenset({
    "要得 是我嘛 你说嘛", "是我撒 啥子事", "咋了 是我啊", "是嘞",
})  # fmt: skip


@pytest.mark.parametrize(
    "line",
    [
        pytest.param(u.text, marks=pytest.mark.xfail(strict=True)) if u.text in SLOW_YES else u.text
        for u in CORPUS.utterances
        if u.intent == "affirm"
    ],
)
def test_the_debtor_saying_yes_in_their_own_words_verifies_at_once(line: str) -> None:
    state, _ = call(line)
    assert state.verified


@pytest.mark.parametrize("mode", [m for m in VerificationMode if m is not VerificationMode.NONE])
@pytest.mark.parametrize("line", [u.text for u in CORPUS.utterances if u.intent in NON_ANSWERS])
def test_no_non_answer_verifies_or_hears_a_debt_word(line: str, mode: VerificationMode) -> None:
    state, said = call(line, line, mode=mode)
    assert not state.verified
    assert not [c.text for c in said if isinstance(c, Say) and DEBT_WORDS.search(c.text)]
