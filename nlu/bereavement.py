"""A death reported on the call: "she passed away last year", 人已经走了, 他走了两年了.

``who_died(text, lang)`` reads a ``normalize``'d utterance and says whose death it reports:

* ``"them"``: the person asked for, by a pronoun, a name or "the person/account holder" (he
  passed away, Harold died in March, 他去年去世了, 人已经走了, 这个人已经去世了);
* ``"kin"``: the speaker's own relative (my husband died, 我老公去世了): said by a relative
  before verification, the debtor; said by the verified debtor, their own loss (hardship);
* None: no death, or the death of someone else (his wife died, 他老婆去世了), of a pet (my dog
  died, 我家狗死了) or of a thing (my phone died, the line went dead), or a figure of speech
  (dying to know, 累死了, 笑死我了).

"Gone" and 走了 are deaths only where the words say so: "he's gone" with a funeral, a
condolence or a time since ("he's gone, the funeral was last week"), never "he's gone to work";
人(已经)走了, 走了两年了, 去年走的 and 走了 with 后事/丧事 are, a bare 他走了 / 他已经走了 is
somebody who left the room (a third party). 不在了 is a death where it ends the clause after a
person (他不在了, 人已经不在了), never 他不在 / 他不在家 / 他现在不在. 没了 of a person ends its
clause or is followed by a time since or "stop calling" (他人已经没了 去年的事: 他 + 人).
过去了 (过世 as the recogniser hears it) is a death only with a time since (他去年就过去了, 他
已经过去了 两年了), never alone (他过去了 "went over there") nor with a place (他过去深圳了).
"""

from __future__ import annotations

import re
from typing import Literal

from core.dialogue import Lang

Died = Literal["them", "kin"]

# --- English ---------------------------------------------------------------------------------
KIN_EN = (
    r"(?:husband|wife|hubby|spouse|partner|fianc[ée]e?|boyfriend|girlfriend|son|daughter|child"
    r"|kid|boy|girl|father|dad|daddy|pop|pa|mother|mom|mum|mama|momma|ma|brother|sister"
    r"|grandfather|grandpa|granddad|grandmother|grandma|granny|nan|uncle|aunt|auntie|cousin"
    r"|nephew|niece|stepfather|stepdad|stepmother|stepmom|father in law|mother in law"
    r"|brother in law|sister in law|son in law|daughter in law|fiance)"
)
_PERSON_EN = (
    r"(?:he|she|they|him|her|them|the (?:person|man|woman|lady|gentleman|guy|gentleman)"
    r"(?: you'?re| you are)? (?:looking for|asking for|calling for|calling about|you want)"
    r"|the (?:account holder|borrower|customer|owner|debtor)|that person|this person"
    r"|[a-z]{3,})"
)
_DEATH_VERB_EN = (
    # (as the recogniser and learners say it: "past away", "pass away", "he die last year")
    r"(?:pass(?:ed|es)? away|past away|passed on|passed(?! away| on| by| the phone| it| that"
    r"| this| the message)"
    r"|(?:already )?die(?=\s+(?:last|already|in|two|three|four|five|six|a few|long|since)\b|$)"
    r"|died(?!\s+(?:laughing|of (?:laughter|embarrassment|boredom|shame)))"
    r"|deceased?|dead(?!\s+(?:tired|to|set"
    r"|wrong|serious|end|beat|broke|on|ass|air|line|weight|center|even|last))"
    r"|no longer (?:with us|alive|living|around(?= rest| god))|not (?:alive|living) any ?more"
    r"|not with us any ?more|killed|with the lord|in heaven|at peace now|gone(?= now)?)"
)
# "she passed" ends there ("he passed, sorry": the comma is gone by then) or says when ("she
# passed last spring"), or the words around it say death ("she passed, the funeral was ..."),
# never "he passed the test"
_PASSED_WHEN_EN = re.compile(
    r"^passed(?:$|\s+(?:last|in|on|a|about|two|three|four|five|six|some|back|recently|just|over"
    r"|earlier|this|away|peacefully|suddenly|unexpectedly"
    r"|sorry|unfortunately|i'?m afraid|i'?m (?:his|her|their)|sir|ma'?am)\b)"
)
# a clause that reports a death: (subject) ('s|is|has|was|had|...) (adverb) verb
_AUX_EN = (
    r"(?:'?s|s| is| was| has| had| have| has been| had been| is now| was just| just| recently"
    r"| actually| unfortunately| sadly| already| unexpectedly| suddenly| been| got| went and"
    r"| is sadly| has sadly| sadly passed| died and)*"
)
_CLAUSE_EN = re.compile(rf"\b(?P<who>(?:(?:my|our|his|her|their|the) )?{_PERSON_EN}){_AUX_EN}\s*"
                        rf"(?P<verb>{_DEATH_VERB_EN})\b")  # fmt: skip
_KIN_SUBJECT_EN = re.compile(rf"^(?:my|our) (?:\w+ )?{KIN_EN}$")
_OTHERS_EN = re.compile(r"^(?:his|her|their|the|your) ")
_THING_OR_PET_EN = re.compile(
    r"\b(?:phone|battery|line|call|signal|car|truck|engine|computer|laptop|tv|radio|dog|cat"
    r"|puppy|kitten|pet|horse|bird|fish|hamster|parrot|plant|plants|debt|account|it|that|this"
    r"|there|what|who|i|we|you|thing|business|conversation|deal|idea|party|market|game|joke"
    r"|cell|mobile|charger|power|internet|wifi|connection|app|lawn|grass|garden|tree"
    # not a subject at all: "i almost died laughing", "the line went dead"
    r"|almost|nearly|went|go|goes|going|literally|practically|basically|could|would|should"
    r"|must|might|have|been|was|were|and|but|then|when|because|just|nearly|totally|half|date"
    r"|deadline|time|day|week|month|year|chance|moment|storm|worst|danger|offer|period|law"
    r"|bill|test|exam|motion|vote|will|gonna|wanna|shall|may|all|everyone|everybody|gotta|can"
    r"|did|does|don't|dont|gonna|wanna|rather|soon|almost)$"
)
# "let him die", "I hope she dies", "you'll see him die": a wish or a threat, not a report
_WISH_EN = re.compile(
    r"\b(?:let|lets|letting|make|made|watch|see|want|wish|hope|gonna|going to|to|will|'ll|can"
    r"|could|would|should|might|may)\s+$"
)
_NEGATED_EN = re.compile(r"\b(?:not|isn'?t|ain'?t|wasn'?t|never|didn'?t|hasn'?t|no)\s+$")
# "gone" is a death only with its context: a funeral, a condolence, a time since
_GONE_CONTEXT_EN = re.compile(
    r"\bfuneral\b|\brest in peace\b|\brip\b|\bgod rest\b|\bburied\b|\bmay (?:he|she) rest\b"
    r"|\b(?:for|about|almost|nearly|over) (?:a|two|three|four|five|six|several|a few|a couple"
    r"|\d+)\s+(?:of\s+)?(?:years?|months?)(?: now)?$|\bheart attack\b|\bcancer\b|\bhospice\b"
)
_GONE_AWAY_EN = re.compile(r"\bgone\s+(?:to|out|for|off|away|home|back|shopping|fishing|up|down"
                           r"|on|over|in|into|with|and|somewhere|already)\b")  # fmt: skip
# the speaker's own plight, said with the loss: "my husband died, I can't pay" (hardship)
_OWN_PLIGHT_EN = re.compile(
    r"\b(?:i|we)\s+(?:\w+\s+)?(?:can'?t|cannot|can not|don'?t have|do not have|won'?t be able"
    r"|am not able|'?m not able|'?m struggling|am struggling|have no|got no|ain'?t got)\b"
    r"|\b(?:behind on|short on|out of work|lost my job|no income|no money|not working|broke"
    r"|keep the lights on|make ends meet|get by|trying to (?:keep|pay|manage|cover|catch up)"
    r"|struggling|afford|tight|hard|rough|tough|difficult|only income|one income)\b"
)
# a widow(er) speaks: "I'm his widow", the estate
_WIDOW_EN = re.compile(r"\b(?:i'?m|i am) (?:his|her|the) (?:widow|widower)\b|\bhis estate\b"
                       r"|\bher estate\b|\bthe estate\b.*\b(?:executor|probate)\b"
                       r"|\bexecutor of (?:his|her|the) estate\b"
                       r"|\b(?:his|her) (?:funeral|memorial|burial)\b"
                       r"|\b(?:funeral|memorial) (?:for|of) (?:him|her)\b")  # fmt: skip
_WE_LOST_EN = re.compile(
    rf"\b(?:we|i)\s+(?:just\s+|recently\s+|sadly\s+)?lost\s+(?P<who>him|her|them|(?:my|our) "
    rf"(?:\w+ )?{KIN_EN})\b(?!\s+(?:number|phone|job|card|keys|wallet|money))"
    r"|\b(?:we|i)\s+buried\s+(?P<buried>him|her|them)\b"
)


def _who_en(text: str) -> Died | None:
    if _WIDOW_EN.search(text):
        return "them"
    lost = _WE_LOST_EN.search(text)
    if lost is not None:
        who = lost.group("who") or lost.group("buried")
        return "kin" if who.startswith(("my", "our")) else "them"
    for m in _CLAUSE_EN.finditer(text):
        who, verb = m.group("who"), m.group("verb")
        if _NEGATED_EN.search(text[: m.start("verb")][-12:]):
            continue
        if verb.endswith("die") and _WISH_EN.search(text[: m.start("who")]):
            continue
        head = who.split()[-1]
        if _THING_OR_PET_EN.search(head) or (_OTHERS_EN.match(who) and not _named_person(who)):
            continue
        if verb == "passed" and not (
            _PASSED_WHEN_EN.match(text[m.start("verb") :]) or _GONE_CONTEXT_EN.search(text)
        ):
            continue
        if verb.startswith("gone") and (
            _GONE_AWAY_EN.search(text[m.start("verb") :]) or not _GONE_CONTEXT_EN.search(text)
        ):
            continue
        if verb in ("killed", "with the lord", "in heaven", "at peace now") and head in (
            "they",
            "them",
        ):
            continue
        return "kin" if _KIN_SUBJECT_EN.match(who) else "them"
    return None


def _named_person(who: str) -> bool:
    """ "the person you're looking for", "the account holder": the one asked for."""
    return bool(re.match(r"^the (?:person|man|woman|lady|guy|gentleman|account holder|borrower"
                         r"|customer|owner|debtor)\b", who))  # fmt: skip


# --- Mandarin --------------------------------------------------------------------------------
KIN_ZH = (
    r"(?:老公|丈夫|爱人|先生|老婆|妻子|媳妇|太太|老伴|爸爸|爸|父亲|老爸|老爷子|妈妈|妈|母亲|老妈|老太太"
    r"|儿子|女儿|孩子|哥哥|哥|弟弟|弟|姐姐|姐|妹妹|妹|爷爷|奶奶|外公|外婆|姥姥|姥爷|公公|婆婆|岳父"
    r"|岳母|叔叔|舅舅|阿姨|姑姑|侄子|外甥|家里人|亲人)"
)
_PERSON_ZH = r"(?:他|她|人|这个人|那个人|此人|本人|借款人|当事人|机主|户主|[\u4e00-\u9fff]{2,3})"
# the words that only ever mean a death (a subject may be left unsaid before them)
_PASSED_ZH = "去世|过世|去逝|过逝|逝世|病逝|离世|过身|往生|不在人世"
# a time gone by, said after the verb: (过去了) 两年了, 都三年了, 一年多了
_DURATION_ZH = r"\s*(?:都|有|快|已经)*[一二两三四五六七八九十几半好多]+(?:个)?(?:年|月)多?了"
_DEATH_ZH = (
    rf"(?:{_PASSED_ZH}|辞世|故去|已故|仙逝|身故|没了命|死了(?!这条心|那条心|心)|死咗|死掉"
    r"|走了(?=\s*(?:[一二两三四五六七八九十几半好多]+(?:个)?(?:年|月|多年|多月)|有|快|都|后事|丧事"
    r"|留下|$))|走的|不在了|不再了(?=[\s啊呀吧。]*$)|没了(?=[\s了啊呀吧。，,]*$|好几|[一二两三四五六七八九十几半]"
    r"|\s+(?:都|已经|有|快|是)*(?:去年|前年|好几年|[一二两三四五六七八九十几半好多]+(?:个)?(?:年|月))"
    r"|\s+(?:你们)?(?:别|不要)(?:再)?打)"
    # 过世 heard 过去: only with a time since (checked by _passed_since), never 他过去深圳了
    rf"|过去(?:了|的)(?=[\s啊呀吧。，,]|$)|过去了?(?={_DURATION_ZH}))"
)
_AUX_ZH = (
    r"(?:已经|早就|早|都|去年|前年|上个月|上月|今年|年初|年底|前几年|前些年|前段时间|前阵子|刚刚|刚"
    r"|也|就|在|是|于|因病|因为|得病|生病|病|出了?车祸|车祸|出了?意外|意外|得了?[\u4e00-\u9fff]{0,3}(?:病|癌|症)"
    r"|\s|[一二两三四五六七八九十\d]+月份?"
    r"|[一二两三四五六七八九十\d]+年前?|几年前|好几年|上半年|下半年|春天|夏天|秋天|冬天)*"
)
_CLAUSE_ZH = re.compile(rf"(?P<who>(?:我家|我们家|我的|我|他的|她的|他|她|你们)?{KIN_ZH}|"
                        rf"{_PERSON_ZH})(?P<rest>{_AUX_ZH}{_DEATH_ZH})")  # fmt: skip
# 人 as the subject of 走了/没了/不在了 is the euphemism itself ("the person is gone")
_PERSON_GONE_ZH = re.compile(
    rf"(?P<kin>(?:我家|我们家|我的|我){KIN_ZH})?(?<![他她个别客工友商])人(?:已经|早就|早|都|也)*"
    r"(?:走了|没了(?!影)|不在了|不再了(?=[\s啊呀吧。]*$))"
)
_OTHER_PEOPLE_ZH = re.compile(r"[他她别客工友商路外]$")
# characters no name is made of here: 这钱我是不会还的 死了这条心吧 names nobody
_NOT_A_NAME_ZH = re.compile(r"[的了是我你还钱不会就都吧呢吗也在有这那个么啊呀]")
# a clause that opens with the death itself, its subject left unsaid: 已经过世了, 去年就去世了
_UNSAID_SUBJECT_ZH = re.compile(rf"(?:^|\s)(?:已经|早就|早|去年|前年|都|就|刚)*(?:{_PASSED_ZH})")
_CAUSE_ZH = re.compile(r"病|癌|症|车祸|意外")
# 走的 heard for 走了 before a time since, or the time said after it (他走的两年多了, 她走的
# 去年秋天): a death; never 走的时候 / 走的那天 (when he left)
_SINCE_AFTER_ZH = re.compile(
    rf"{_DURATION_ZH}|\s*(?:去年|前年|[一二两三四五六七八九十几]+年前|前几年|上个月)"
    r"[\u4e00-\u9fff]{0,2}[\s啊呀吧。]*$"
)
_SAID_DEATH_ZH = re.compile(rf"{_PASSED_ZH}|故去|已故|死了")
# a left room or an errand, not a death: 他已经走了 刚走 / 走了 刚出门 / 走了好久了还没回来
_LEFT_ZH = re.compile(r"刚走|刚出门|出门|出去|还没回|没回来|回来|上班|下班|刚才|一会")
_BARE_LEFT_ZH = re.compile(r"^(?:他|她)(?:已经|刚|都)?走了(?:啊|呀|吧|呢)?$")
_INTENSIFIER_ZH = re.compile(r"(?:累|烦|气|笑|热|冷|饿|困|忙|吓|急|痛|疼|渴|闷|难受|高兴|开心)死")
_NOT_PERSON_ZH = re.compile(r"狗|猫|宠物|鸟|鱼|手机|电话|电|钱|车|工作|信号|网")
# the recogniser's pause inside "his wife" (他 老婆 去年去世了, 他的 爸爸): one word again
_SPLITKIN_ZH = re.compile(rf"(?P<whose>他|她|你们|我们|我)\s*(?P<of>的)?\s*(?={KIN_ZH})")
_OTHERS_ZH = re.compile(r"(?:他的|她的|他|她|你们)" + KIN_ZH)
_OWNKIN_ZH = re.compile(r"^(?:我家|我们家|我的|我)?" + KIN_ZH + r"$")
_OWN_PLIGHT_ZH = re.compile(
    r"还不上|还不起|没钱|没有钱|没能力|没收入|困难|付不起|交不起|拿不出|没工作|失业|揭不开锅|紧张|难熬"
    r"|压力|撑不住|一个人(?:带|养|扛)|手头紧"
)
# 不在了 after a place or "now" is an absence (他不在家了, 他现在不在了)
_ABSENT_ZH = re.compile(r"(?:家|这|这里|这儿|公司|现在|暂时|今天|刚才)不在了")


# 他人已经没了 is 他 + 人已经没了 (他人 "others" does not open a clause before 没了 / 过去)
_HE_PERSON_ZH = re.compile(r"(?P<lead>^|\s)[他她]人(?=\S{0,6}(?:没了(?!影)|过去))")
# 过去 is a death only with a time since (他去年就过去了, 他已经过去了 两年了), and nothing said of
# where to or of a place (他过去深圳了, 他去年过去了 在那边打工)
_PASSED_SINCE_ZH = re.compile(rf"过去了?{_DURATION_ZH}")
_THERE_ZH = re.compile(r"那边|这边|那儿|这儿|那里|这里|外地|现在在|住|干活|工作|找")


def _passed_since(rest: str, after: str) -> bool:
    said = rest + after
    return bool(
        (_SINCE_ZH.search(said) or _PASSED_SINCE_ZH.search(said))
        and not _WENT_TO_ZH.search(said.replace("过去", ""))
        and not _THERE_ZH.search(said)
        and not _LEFT_ZH.search(after)
    )


def _who_zh(text: str) -> tuple[Died, str | None] | None:
    """Whose death, and the name it was said of when only 走 says it (老王去年走了)."""
    text = _SPLITKIN_ZH.sub(lambda m: m.group("whose") + (m.group("of") or ""), text)
    text = _HE_PERSON_ZH.sub(lambda m: m.group("lead") + "人", text)
    if _BARE_LEFT_ZH.match(text.strip()) or _INTENSIFIER_ZH.search(text):
        return None
    unsaid = _UNSAID_SUBJECT_ZH.search(text)  # (他出了车祸，)已经过世了: of the one asked for
    if unsaid is not None and not _OTHERS_ZH.search(text[: unsaid.start()]):
        return "them", None
    person = _PERSON_GONE_ZH.search(text)  # 人已经走了, 我爸人已经走了: whatever follows
    if person is not None and not _LEFT_ZH.search(text[person.end() :]):
        return ("kin" if person.group("kin") else "them"), None
    for m in _CLAUSE_ZH.finditer(text):
        who, rest = m.group("who"), m.group("rest")
        if _NOT_PERSON_ZH.search(who) or _OTHERS_ZH.match(who):
            continue
        if who.endswith("人") and _OTHER_PEOPLE_ZH.search(text[: m.start()] + who[:-1]):
            continue  # 其他人 / 别人 / 客人: not the one asked for
        after = text[m.end() :]
        if "过去" in rest and not _passed_since(rest, after):
            continue
        gone = "走" in rest or "没了" in rest or "不在了" in rest
        if gone and (_LEFT_ZH.search(after) or "刚" in rest):
            continue
        if rest.endswith("走的") and not (
            re.match(r"[\s啊呀吧。]*$", after)
            or _CAUSE_ZH.search(rest)
            or _SINCE_AFTER_ZH.match(after)
        ):
            continue  # 他去年走的时候没说: when he left
        if "不在了" in rest and _ABSENT_ZH.search(text):
            continue
        named = who not in ("他", "她", "人") and not _OWNKIN_ZH.match(who) and "人" not in who
        if named and (_NOT_A_NAME_ZH.search(who) or not _SAID_DEATH_ZH.search(rest)):
            if not _gone_since(who, rest, after):
                continue  # a two- or three-character name: only before a word that says death
            return "them", who
        return ("kin" if _OWNKIN_ZH.match(who) and who not in ("他", "她", "人") else "them"), None
    return None


# how a person is called by name in speech: 老王, 小李, 阿强, 王大爷, 李师傅, 张老师
_CALLED_ZH = re.compile(
    r"^(?:[老小阿][\u4e00-\u9fff]|[\u4e00-\u9fff]{1,2}(?:大爷|大妈|大叔|大婶|大哥|大姐|师傅|阿姨|老师"
    r"|叔|伯|婶|爷|奶))$"
)
# a time since, in years or months (去年, 前年, 三年前, 上个月, 走了两年了): of a name, 走了 is died
_SINCE_ZH = re.compile(
    r"去年|前年|年前|前几年|前些年|年初|年底|上半年|下半年|上个月|个月前|走了\s*[一二两三四五六七八九十几半好多]+"
    r"(?:个)?(?:年|月|多年|多月)"
)
# what a person who left goes to: 去深圳了, 搬家了, 打工, 出国, 回老家, 离职, 调走
_WENT_TO_ZH = re.compile(
    r"去(?![年世逝])[\u4e00-\u9fff]|搬|打工|出国|回老家|离职|辞职|调走|跳槽|上学|当兵"
)


def _gone_since(who: str, rest: str, after: str) -> bool:
    """老王去年走了, 老王走了两年了, 李师傅前年走的, 老王前年过去了: a person called by name, 走
    (or 过去 with a time since) and a time since, nothing said of where to (老王去年走了 去深圳了
    left). A bare 老王走了 / 老王刚走 / 老王过去了 left."""
    return bool(
        _CALLED_ZH.match(who)
        and (("过去" in rest and _passed_since(rest, after)) or "走" in rest)
        and (_SINCE_ZH.search(rest + after) or "过去" in rest)
        and not _WENT_TO_ZH.search((rest + after).replace("过去", ""))
        and not _LEFT_ZH.search(after)
    )


def who_died(text: str, lang: Lang) -> Died | None:
    """Whose death ``text`` (normalized) reports: the one asked for, the speaker's kin, or None."""
    if lang == "en":
        return _who_en(text)
    said = _who_zh(text)
    return None if said is None else said[0]


def gone_by_name(text: str, lang: Lang) -> str | None:
    """The name a death was read of by 走 and a time since alone (老王去年走了 → 老王): the policy
    takes it for the debtor's only when it is how the debtor is called (``_gone_since``)."""
    said = _who_zh(text) if lang == "zh" else None
    return None if said is None else said[1]


def reports_death(text: str, lang: Lang) -> bool:
    """A death of the one asked for or of the speaker's kin, without the speaker's own plight
    ("my husband died, I can't pay" is hardship, whoever says it)."""
    who = who_died(text, lang)
    if who is None:
        return False
    plight = _OWN_PLIGHT_EN if lang == "en" else _OWN_PLIGHT_ZH
    return not (who == "kin" and plight.search(text))
