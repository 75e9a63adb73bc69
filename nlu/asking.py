"""Readings of an answer that are questions or absences, not intents of their own:

* a question of what the debt is ("what loan is this even for?", 这是什么贷款): answered with
  the debt's details, never a dispute (``asks_what_debt``);
* the one asked for is there, only not now ("try him later", "my dad's not home", 他现在不在):
  a third party, never a wrong number nor a yes (``reachable_later``);
* the debtor suspects the caller ("is this a scam?", "y'all a bill collector?"): a question of
  who calls (``suspects_caller``).
"""

from __future__ import annotations

import re

from nlu.rules import moved_away

# a question of what the debt is, no word of denial ("what loan is this even for?", 这是什么贷款):
# answered with the debt's details, never recorded as a dispute
_WHAT_DEBT = {
    "en": re.compile(
        r"\b(?:what|which)(?: kind of| sort of)? (?:loan|debt|account|bill|balance|card"
        r"|credit card|money|amount|company|lender)\b(?=\s*$|\s+(?:is|was|are) (?:this|that|it)\b"
        r"|\s+(?:are|were) you (?:talking|calling) about\b|\s+(?:even|exactly|again)\b"
        r"|\s+(?:for|about|from|regarding)\b)"
        r"|\bwhat(?:'s| is) (?:this|that|the) (?:loan|debt|account|bill|balance)\b"
        r"|\bwhat (?:is|was) (?:this|that|it) (?:for|from|about)\b"
    ),
    "zh": re.compile(
        r"(?:什么|哪个|哪笔|哪一笔|啥|哪家的?)(?:贷款|借款|欠款|钱|账(?![户号])|款|债)"
        r"|(?:贷款|欠款|借款|这笔钱|这笔账|这笔款)是(?:什么|哪|啥)"
    ),
}
_DENIAL = {
    "en": re.compile(r"\b(?:not|never|no|dont|didnt|cant|aint|isnt|wasnt)\b|n't\b"),
    "zh": re.compile(r"不|没|冒"),
}


def asks_what_debt(text: str, lang: str) -> bool:
    """ "what loan is this even for?", 这是什么贷款啊: a question of what the debt is."""
    said = text.lower()
    pattern, denial = _WHAT_DEBT.get(lang), _DENIAL.get(lang)
    return bool(pattern and denial and pattern.search(said) and not denial.search(said))


# who answers for the one asked for: "my dad's not home", "my husband is at work"
_KIN = (
    "dad", "father", "mom", "mum", "mother", "husband", "wife", "son", "daughter", "brother",
    "sister", "boyfriend", "girlfriend", "partner", "fianc[eé]e?", "roommate", "grandpa", "grandma",
    "grandfather", "grandmother", "uncle", "aunt", "nephew", "niece", "cousin", "boss", "tenant",
    "landlord",
)  # fmt: skip
_KIN_EN = rf"my (?:{'|'.join(_KIN)})"
# who the speaker may be to the one asked for: the kin, and those near him
_RELATION_WORDS_EN = "|".join(
    (*_KIN, "neighbou?r", "friend", "kid", "child", "stepdad", "stepmom", "ex")
)
# the one asked for can be reached another time: "try him some other time", "she ain't around
# right now", 他现在不在, 等他回来再打 (a third party, never a wrong number)
_REACHABLE_EN = re.compile(
    r"\b(?:try|call|reach|catch)\s+(?:him|her|them)\b.{0,30}\b(?:later|tomorrow|tonight|again"
    r"|another time|some ?other time|in an? (?:hour|bit|while)|after|next week|this evening)\b"
    rf"|\b(?:he|she|{_KIN_EN})(?:'s| is| ain'?t| isn'?t| is not|'s not| not)\s+(?:around|here|home"
    r"|in|back|available)\b(?:\s+(?:right now|now|yet|today|at the moment))?"
    r"(?!.*\b(?:anymore|no more|any more)\b)"
    rf"|\b(?:he|she|{_KIN_EN})(?:'s| is)\s+(?:(?:still |just )?(?:at work|at school|out|away|asleep"
    r"|sleeping|working|busy|driving|in the (?:shower|hospital|bathroom)|in a meeting"
    r"|on (?:a|the) (?:trip|road|other line)|out of (?:town|the country))\b)(?!.*\b(?:anymore"
    r"|no more|any more|for good|moved)\b)"
)
_REACHABLE_ZH = re.compile(
    r"(?:他|她)(?:现在|暂时|这会儿?)?不在(?!这住)|等(?:他|她)回来|(?:他|她)回来(?:再|后)"
    # away for now (他出去了, 她在上班, 他正在开车, 他出差了) or whose kin speaks (他是我老公)
    r"|(?:他|她)(?:现在|这会儿?|刚才?)?(?:正在|正|在|去)?(?:出去|出门|上班|开会|睡觉|睡了|洗澡"
    r"|开车|出差|外地|医院|住院|上课|干活|忙)"
    r"|^[嗯哦啊喂]*(?:他|她)是我(?:的)?(?:爸爸?|妈妈?|老公|老婆|爱人|媳妇|对象|丈夫|妻子|儿子|女儿"
    r"|闺女|孩子|哥哥?|弟弟?|姐姐?|妹妹?|同事|朋友|室友|老板)"
)


_OWN_MONEY = {
    "en": re.compile(
        r"\b(?:i|i'?m|i'?ll|i'?ve|we|my)\b.{0,40}\b(?:pay|paid|money|afford|loan|debt"
        r"|owe|bills?|broke|payment)\b"
    ),
    "zh": re.compile(r"我.{0,12}(?:还|钱|付|贷款|欠)"),
}
_NEVER = re.compile(r"(?!)")


def reachable_later(text: str, lang: str, debtor_name: str | None = None) -> bool:
    """Whether the answer says the one asked for is there, only not now, or (Mandarin) that the
    one who answers is his kin (``third_party``; English kin: ``speaks_as_relation``); in
    Mandarin he may be named (海涛出去了, 张海涛是我老公)."""
    folded = text.lower()
    if lang == "zh" and debtor_name:
        folded = _named_as_him_zh(folded, debtor_name)
    if moved_away(folded, lang) or _OWN_MONEY.get(lang, _NEVER).search(folded):
        return False  # "my wife is in the hospital, I can't pay": the debtor's own story
    return (_REACHABLE_ZH if lang == "zh" else _REACHABLE_EN).search(folded) is not None


def _named_as_him_zh(text: str, name: str) -> str:
    """``text`` with the debtor named (张海涛, 海涛, 张先生, 阿涛) said as 他: the name stands for
    the one asked for (a single-character given name alone is too common a character)."""
    forms = [name, f"{name[0]}先生", f"{name[0]}女士", f"{name[0]}总"]
    if len(name) >= 3:
        forms.append(name[1:])
    if len(name) in (2, 3):
        forms += [f"阿{name[-1]}", f"小{name[-1]}", f"{name[-1]}哥", f"{name[-1]}姐"]
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, "他")
    return text


# the debtor suspects the caller, a question about who calls: "how do I know you're not a
# scam?", "is this one of those fraud calls?", "y'all a bill collector?", "am I talking to a
# real person?" (checked after the legal-weight rules: "is this a scam? I never had that loan"
# disputes)
_SUSPECTS_CALLER_EN = re.compile(
    r"\b(?:is this|is that|is it|are you|this is|sounds like|you (?:a|an|some))\s+(?:just\s+)?"
    r"(?:a |an |one of (?:those|them) |some (?:kind|sort) of |some )?(?:scam|fraud|fake|phishing"
    r"|robo|spam|con\b|prank)"
    r"|\bhow (?:do|can|would|should|am) (?:i|we) (?:supposed to )?(?:know|tell|be sure|trust)\b"
    r".{0,30}\b(?:scam|legit|real|who you|you'?re|you are|this is)"
    r"|\b(?:are you|y'?all|you guys|you)\s+(?:a |an |some |with a |from a |from the )?(?:bill|debt)"
    r" collect(?:or|ors|ion|ing)\b"
    r"|\b(?:am i|are we) (?:speaking|talking) (?:to|with) an? (?:real|actual|live) (?:human|person)"
    r"|\bare you an? (?:real person|human|robot|bot|machine|computer|recording)\b"
)


def suspects_caller(text: str, lang: str) -> bool:
    """Whether an English utterance asks who calls out of suspicion (``ask_identity``)."""
    return lang == "en" and bool(_SUSPECTS_CALLER_EN.search(text))


# the one who answers says who they are to the one asked for: "well, I'm his wife, I pay all the
# bills", "this is her mother, what's it about", "he's my dad": a third party whatever else they
# say or ask (never "I'm his" + a name's part: "I'm Thomas")
_RELATION_EN = re.compile(
    r"\b(?:i'?m|i am|this is|it'?s|you'?re talking to|you'?ve got)\s+(?:just\s+)?(?:his|her|their)"
    rf"\s+(?:(?:\w+)\s+)?(?:{_RELATION_WORDS_EN})\b(?!'s)"
    rf"|\b(?:he|she)(?:'s| is)\s+{_KIN_EN}\b"  # "he's my dad"
)
# a stranger: "no, I don't know him", "I don't know who that is" opening the answer
_KNOWS_NOBODY_EN = re.compile(
    r"^(?:(?:no|nope|nah|um|uh|sorry|well|who)[\s,.!?]+)*i (?:don'?t|do not|dont) know"
    r" (?:him|her|them|who (?:that|this) is|anyone|anybody|nobody|no one|that (?:person|name|guy"
    r"|lady|woman|man)|any(?:one|body)? (?:by|named|called) (?:that|this))\b"
)


def speaks_as_relation(text: str, lang: str) -> bool:
    """Whether the answer says who the speaker is to the one asked for (English)."""
    folded = text.lower()  # "this is his mom, he moved out": the number no longer reaches him
    return lang == "en" and _RELATION_EN.search(folded) is not None and not moved_away(folded, lang)


def knows_nobody(text: str, lang: str) -> bool:
    """Whether the answer opens with not knowing the one asked for (English)."""
    return lang == "en" and _KNOWS_NOBODY_EN.search(text.lower().strip()) is not None
