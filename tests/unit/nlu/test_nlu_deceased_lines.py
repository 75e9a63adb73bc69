"""Held-out lines for a debtor reported dead (session 9, en5), written before the rules:
death reports in both languages, ASR-like forms, and near-misses that are not one."""

from __future__ import annotations

from datetime import date

import pytest

from core.dialogue import Lang
from nlu.bereavement import who_died
from nlu.parser import parse

TODAY = date(2026, 12, 7)

# the one asked for has died ("them"), said by whoever answered
DEATH_EN = [
    "she passed away last year",
    "oh, Harold died in March",
    "he's deceased",
    "he is deceased sir",
    "um he passed away about two years ago",
    "she passed last spring",
    "I'm sorry, he's no longer with us",
    "we lost him last spring",
    "we lost her to cancer in june",
    "he's dead",
    "hes dead man",
    "she's been dead for three years",
    "he died",
    "he died a while back",
    "harold passed on in january",
    "my husband passed away in october",
    "my mother died last month, she's the one you want",
    "my dad passed away two weeks ago",
    "he's gone, the funeral was last week",
    "she's gone now, rest in peace",
    "we buried him in may",
    "he was killed in a car accident last year",
    "uh the person you're looking for is deceased",
    "the account holder passed away",
    "i'm his widow, he died in august",
    "he's not alive anymore",
    "she is no longer living",
    "he passed",
    "yeah no she died",
    "hes passed away",
    "he is with the lord now",
]
DEATH_ZH = [
    "他去年去世了",
    "人已经走了",
    "他走了两年了",
    "她已经过世了",
    "我老公去年过世了",
    "我爸三月份去世的",
    "他不在了",
    "人已经不在了",
    "他已经不在人世了",
    "人没了",
    "他人没了好几个月了",
    "他过身咗",
    "他已经往生了",
    "他已故",
    "他死了",
    "他去年就死了",
    "我妈上个月走了",
    "她病逝了",
    "他前年就去世了你们还打",
    "她走了一年多了",
    "这个人已经去世了",
    "王芳已经去世了",
    "人走了 后事都办完了",
    "我丈夫已经去世了",
    "他出车祸死了",
    "他已经离世了",
    "他刚去世 我们在办丧事",
]
# not a report that the one asked for died
NOT_DEATH_EN = [
    "he's gone to work",
    "he's gone out",
    "she's gone to the store",
    "he left",
    "he left already",
    "he's gone for the day",
    "my phone died",
    "my battery is dead",
    "the line went dead",
    "my dog died",
    "my cat passed away",
    "i almost died laughing",
    "i'm dying to know who this is",
    "he passed the phone to me",
    "she passed her exam",
    "he's not dead, he's just not here",
    "he's at a funeral today",
    "his wife died last year",
    "her father passed away",
    "he's dead tired, call later",
    "that debt is dead to me",
    "the car died on the highway",
    "he's gone for the weekend",
    "he went out",
    "she's not here",
    "who?",
    "Thank you.",
]
NOT_DEATH_ZH = [
    "他走了",
    "他走了 刚出门",
    "他已经走了 刚走",
    "他出去了",
    "他不在",
    "他不在家",
    "他现在不在",
    "他刚走",
    "累死了",
    "烦死了",
    "笑死我了",
    "手机没电了",
    "钱没了",
    "我家狗死了",
    "他老婆去世了",
    "他爸爸过世了",
    "他上班去了",
    "他去外地了",
    "他走了好久了 还没回来",
    "你找谁",
    "字幕由Amara.org社区提供",
    "他不在这住了",
    "他没了工作",
    "气死我了",
    "他出差了",
]

# a second round, written after the first rules and measured before the fixes (docs/nlu.md)
ROUND2_DEATH_EN = [
    "sorry to tell you but marcus passed away in the summer",
    "she died of covid",
    "uh he's passed on",
    "my wife is deceased",
    "my son was killed last year",
    "he passed away in his sleep",
    "we had the funeral for him on saturday",
    "she's dead she died in april",
    "he died three weeks ago so",
    "my brother passed",
    "oh no honey he's passed",
    "the gentleman you're asking for passed away",
    "yeah he died back in twenty twenty",
    "she's no longer with us unfortunately",
    "i'm sorry my father died",
    "he passed away recently",
    "my grandmother passed away last week she was 90",
]
ROUND2_NOT_DEATH_EN = [
    "he's gone to the shops",
    "she just left",
    "he passed by earlier",
    "i'm dead serious",
    "my phone's about to die",
    "he's out",
    "she's gone for lunch",
    "the engine died",
    "my plants died",
    "he's gone fishing",
    "i thought i would die",
    "she passed the message on",
    "he's not home right now",
    "my hamster died",
    "his mother passed away last week",
]
ROUND2_DEATH_ZH = [
    "他已经去世三年了",
    "她得癌症走了",
    "我爱人前年过世了",
    "人早就不在了",
    "他已经死了好几年了",
    "我父亲去年病逝了",
    "他过世了 你们别打了",
    "人都走了两年了还打什么",
    "他已经没了",
    "我老伴走了快一年了",
    "她出了意外 已经不在了",
    "张伟上个月去世了",
    "他年初走的",
]
ROUND2_NOT_DEATH_ZH = [
    "他走了半小时了",
    "他出门了",
    "他去上班了",
    "热死了",
    "他今天不在",
    "我手机快没电了",
    "他去年走的时候没说",
    "他搬走了",
    "他老爸走了",
    "困死了",
    "他刚刚走了",
    "饿死了",
    "他去外地打工了",
    "他不在这边",
]


@pytest.mark.parametrize("text", [*DEATH_EN, *ROUND2_DEATH_EN])
def test_english_death_reports_are_deceased(text: str) -> None:
    assert parse(text, "en", TODAY).intent == "deceased", text


@pytest.mark.parametrize("text", [*DEATH_ZH, *ROUND2_DEATH_ZH])
def test_mandarin_death_reports_are_deceased(text: str) -> None:
    assert parse(text, "zh", TODAY).intent == "deceased", text


NEAR_MISSES = [
    *(("en", t) for t in [*NOT_DEATH_EN, *ROUND2_NOT_DEATH_EN]),
    *(("zh", t) for t in [*NOT_DEATH_ZH, *ROUND2_NOT_DEATH_ZH]),
]


@pytest.mark.parametrize(("lang", "text"), NEAR_MISSES)
def test_near_misses_are_not_deceased(lang: Lang, text: str) -> None:
    assert parse(text, lang, TODAY).intent != "deceased", text


@pytest.mark.parametrize(
    ("lang", "text", "who"),
    [
        ("en", "my husband died", "kin"),
        ("en", "my mom passed away last year", "kin"),
        ("en", "he passed away", "them"),
        ("en", "Harold died in March", "them"),
        ("en", "my dog died", None),
        ("en", "his wife died", None),
        ("zh", "我老公去世了", "kin"),
        ("zh", "他去世了", "them"),
        ("zh", "我家狗死了", None),
        ("zh", "他老婆过世了", None),
    ],
)
def test_who_died(lang: Lang, text: str, who: str | None) -> None:
    assert who_died(text.lower(), lang) == who


def test_own_loss_with_hardship_is_not_a_death_report() -> None:
    """ "my husband died, I can't pay" is the speaker's own hardship, not the debtor's death."""
    assert parse("my husband died and i can't pay right now", "en", TODAY).intent != "deceased"
    assert parse("我老公去世了 我现在还不上", "zh", TODAY).intent != "deceased"


# as the recogniser or a learner says it (7 of these 13 reports were missed before the rule
# learned the forms: docs/nlu.md)
ASR_DEATH = [
    ("en", "he past away last year"),
    ("en", "she passed a way in june"),
    ("en", "he pass away two years ago"),
    ("en", "my husband already die"),
    ("en", "he die last year"),
    ("en", "she is decease"),
    ("zh", "他去年过逝了"),
    ("zh", "他已经去逝了"),
    ("zh", "人已经不再了"),
    ("zh", "他死咗啦"),
    ("zh", "佢过身咗"),
    ("zh", "他已经仙逝了"),
    ("zh", "他去年就没了"),
]
ASR_NOT_DEATH = [
    ("en", "he diet last year"),
    ("en", "he passed out"),
    ("en", "she passed by"),
    ("en", "he's past due"),
    ("en", "i'm about to die of hunger lol"),
    ("zh", "他已经过时了"),
    ("zh", "他走咗"),
]


@pytest.mark.parametrize(("lang", "text"), ASR_DEATH)
def test_recogniser_and_learner_forms_are_deceased(lang: Lang, text: str) -> None:
    assert parse(text, lang, TODAY).intent == "deceased", text


@pytest.mark.parametrize(("lang", "text"), ASR_NOT_DEATH)
def test_recogniser_and_learner_near_misses_are_not(lang: Lang, text: str) -> None:
    assert parse(text, lang, TODAY).intent != "deceased", text
