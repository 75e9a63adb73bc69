"""Issue 9, ver8: at "is this {name}?", after a first answer that was mis-heard or unclear, a
"no" that speaks of paying ("no, I can't pay that right now", 全部还不了, 现在没钱还) is the
debtor talking about a debt the bot has not named: never a wrong number, never a disclosure;
the identity question is asked again. A real "no, wrong number / not me / nobody by that name"
still ends the call as a wrong number."""

from __future__ import annotations

import pytest
from safety_cases import MODES, call_lines, prompt_keys

from core.dialogue import Lang, Outcome, Say
from nlu.policy import VerificationMode
from nlu.policy.disclosure import DEBT_WORDS

# what the recogniser made of the first answer: a name mis-heard, a question back, noise
FIRST_EN = (
    "yes this is Jon Smit",
    "Hello?",
    "uh huh?",
    "Sorry?",
    "mm",
    "yes this is Smith",
    "What?",
)
FIRST_ZH = ("嗯？", "喂？", "我是李敏", "啊？", "轻轻轻的", "我是小李", "喂，喂喂")

PAYING_NO_EN = [
    "no, I can't pay that right now",
    "no I don't have the money",
    "no, not right now, I'm broke",
    "nope, can't afford it this month",
    "no, I get paid on Friday",
    "no, I can't pay the whole thing",
    "no way I can pay all of that",
    "no, money's tight right now",
    "no sorry, I'm out of work, I can't pay",
    "no I don't have it right now",
    "no, I can only do fifty bucks",
    "no, I'll have the money next week",
    "no, I just can't pay anything right now",
    "no, I haven't got the cash",
    "no, my paycheck doesn't come till the fifteenth",
    "not right now, I don't have any money",
    "no, I lost my job and I can't pay",
    "no, I can't afford it",
    "no, I can't make a payment today",
    "nah I don't have that kind of money",
    "no ma'am, I can't pay it all at once",
    "no, I'm short on cash this week",
    "no, I can't, my rent is due",
    "no I don't have money till payday",
    "no, I'm not able to pay right now",
    "not today, I'm broke",
    "no, I can't pay you guys yet",
    "no, I won't have the funds until the first",
    "no, I can't cover that right now",
    "no, I'm behind on everything, I can't pay",
]
PAYING_NO_ZH = [
    "全部还不了",
    "现在没钱还",
    "不行 我现在还不上",
    "没有 我这个月真的没钱",
    "不是 我是说我现在手头紧",
    "不 我一下子拿不出那么多",
    "没钱 还不了",
    "不是不还 是现在没钱",
    "没有没有 等发工资再说",
    "不能全还 能不能少还点",
    "我现在还不起",
    "没有钱啊 怎么还",
    "不行 这个月工资还没发",
    "还不了那么多",
    "没有 手头真的很紧",
    "不 我没办法一次还清",
    "现在真拿不出来那么多钱",
    "不是 我最近失业了 没钱",
    "没钱 过几天吧",
    "不 我下个月才有钱",
    "这钱我现在还不了",
    "没有 我只能先还一部分",
    "不是我不想还 是真没钱",
    "没那么多钱",
    "还不上啊 我也没办法",
    "不行啊 最近生意不好 没钱",
    "不 现在没钱 月底再说",
    "没有 我付不起",
    "不 我交不起这么多",
]
# a real "no": not the debtor, a wrong number, nobody by that name (words of money or not)
STRANGER_NO_EN = [
    "no, wrong number",
    "no, you have the wrong number",
    "no, this isn't him",
    "no, not me",
    "nope, no one by that name here",
    "no, I don't know any John Smith",
    "no, you've got the wrong person",
    "no, wrong number, and I don't owe anybody any money",
    "no, I'm not John, I can't help you",
    "no I don't know who that is",
    "no, there's no John here",
    "no, you got the wrong number, I don't have any money for you",
]
STRANGER_NO_ZH = [
    "不是，打错了",
    "不是我",
    "没有这个人",
    "不是 你打错电话了",
    "我不认识李明",
    "不是 这里没有叫李明的",
    "你找错人了",
    "不是，打错了，我也不欠谁的钱",
    "我不是李明 我也没钱",
    "不是本人 你打错了",
    "没这个人 你打错了吧",
    "号码错了 我不认识他",
]


def _paying(lang: Lang) -> list[tuple[str, str]]:
    firsts, lines = (FIRST_EN, PAYING_NO_EN) if lang == "en" else (FIRST_ZH, PAYING_NO_ZH)
    return [(firsts[i % len(firsts)], line) for i, line in enumerate(lines)]


def _no_debt_words(says: list[Say]) -> list[str]:
    return [s.text for s in says if DEBT_WORDS.search(s.text)]


@pytest.mark.parametrize(("first", "line"), [*_paying("en"), *_paying("zh")])
@pytest.mark.parametrize("mode", [VerificationMode.NAME, VerificationMode.NAME_AND_BIRTH_YEAR])
def test_a_no_about_paying_is_asked_again(first: str, line: str, mode: VerificationMode) -> None:
    lang: Lang = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in line) else "en"
    state, says = call_lines(lang, mode, [first, line])
    assert state.outcome is not Outcome.WRONG_NUMBER, (first, line)
    assert not state.ended
    assert not state.verified
    assert not _no_debt_words(says)
    last = prompt_keys(says)[-1]
    assert last in ("ask_name", "reprompt.ask_name", "keypad_identity"), prompt_keys(says)


@pytest.mark.parametrize("line", [PAYING_NO_EN[0], PAYING_NO_EN[5], PAYING_NO_EN[22]])
def test_a_no_about_paying_as_the_first_answer_is_no_wrong_number(line: str) -> None:
    state, says = call_lines("en", VerificationMode.NAME, [line])
    assert state.outcome is not Outcome.WRONG_NUMBER
    assert not state.verified
    assert not _no_debt_words(says)


@pytest.mark.parametrize(
    ("lang", "line"), [("zh", PAYING_NO_ZH[0]), ("zh", PAYING_NO_ZH[1]), ("en", PAYING_NO_EN[1])]
)
def test_the_debtor_then_says_yes_and_is_verified(lang: Lang, line: str) -> None:
    yes = "对，我就是李明" if lang == "zh" else "yes, this is John Smith"
    first = FIRST_ZH[0] if lang == "zh" else FIRST_EN[0]
    state, says = call_lines(lang, VerificationMode.NAME, [first, line, yes])
    assert state.verified
    keys = prompt_keys(says)
    assert keys.index("verify_first") < keys.index(f"disclosure.{'CN' if lang == 'zh' else 'US'}")


@pytest.mark.parametrize(
    ("lang", "first", "line"),
    [
        *(("en", FIRST_EN[i % len(FIRST_EN)], s) for i, s in enumerate(STRANGER_NO_EN)),
        *(("zh", FIRST_ZH[i % len(FIRST_ZH)], s) for i, s in enumerate(STRANGER_NO_ZH)),
    ],
)
@pytest.mark.parametrize("mode", MODES)
def test_a_real_no_still_ends_as_a_wrong_number(
    lang: Lang, first: str, line: str, mode: VerificationMode
) -> None:
    state, says = call_lines(lang, mode, [first, line])
    assert state.outcome is Outcome.WRONG_NUMBER, (first, line, prompt_keys(says))
    assert not _no_debt_words(says)


# a second round, written after the first fix passed: 7 of these 8 still ended as a wrong number
# ("ain't got it", "the full amount", "more time", "half", "things are tough", 晚几天, 周转)
SECOND_ROUND = [
    ("en", "nah man I ain't got it"), ("en", "no, not the full amount"),
    ("en", "no, I need more time"), ("en", "not all of it, no"), ("en", "no, I can do half maybe"),
    ("en", "no I can't right now, things are tough"), ("zh", "不行 能不能晚几天"),
    ("zh", "不是 这个月周转不开"),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "line"), SECOND_ROUND)
def test_a_no_about_paying_in_other_words_is_asked_again(lang: Lang, line: str) -> None:
    first = "Hello?" if lang == "en" else "嗯？"
    state, says = call_lines(lang, VerificationMode.NAME, [first, line])
    assert state.outcome is not Outcome.WRONG_NUMBER
    assert not state.verified
    assert not _no_debt_words(says)
    assert prompt_keys(says)[-2:] == ["verify_first", "ask_name"]
