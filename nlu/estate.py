"""After a death is reported the caller asks, once, who handles the deceased's affairs (a family
member, an executor) a letter could be addressed to. ``gives_contact(text, lang)`` says whether
the answer gives one: a phone number (six digits or more, said as figures or words), a relative
or a role (his son, my daughter, the executor, a lawyer; 他儿子, 律师), the speaker themselves
(me, I do, I'm the executor; 我, 我来处理) or a name (you can write to Mary Jenkins; 找王强).
"No", "I don't know", "nobody", 没有, 不知道, 不清楚 give none; neither does a question back.
Pure: what is recorded is the answer as said (``RecordEstateContact``), read by a person."""

from __future__ import annotations

import re

from core.dialogue import Lang
from nlu.bereavement import KIN_EN, KIN_ZH
from nlu.given_names import names_said_en
from nlu.hallucination import is_hallucination

_NONE_EN = re.compile(
    r"^(?:(?:uh|um|er|well|oh|sorry|no|nah|nope)[\s,.!]*)*"
    r"(?:no(?:body| one|ne)?|nah|nope|not really"
    r"|i (?:don'?t|do not) know|not sure|i'?m not sure|no idea|none|there'?s no ?one|there isn'?t"
    r"|nobody really|i (?:don'?t|do not) think so|no thanks?(?: you)?|not that i know(?: of)?)"
    r"(?:[\s,.!]+(?:sorry|really|thanks|thank you|i'?m afraid|not really))*[\s,.!]*$"
)
_DIGIT_WORDS_EN = r"(?:\d|zero|oh|one|two|three|four|five|six|seven|eight|nine|double)"
_NUMBER_EN = re.compile(rf"(?:{_DIGIT_WORDS_EN}[\s,.-]*){{6,}}")
_WHO_EN = re.compile(
    rf"\b(?:{KIN_EN}|grand(?:son|daughter|child)|kids|children|family|executor|executrix"
    r"|lawyer|attorney|solicitor|probate|estate|(?:it'?s|that'?s|that would be|that'd be|to|just"
    r"|only) me|myself|i do|i am|i'?m (?:the|his|her|handling"
    r"|dealing|taking care|looking after)|i'?ll (?:handle|deal|take care|be)|i handle|i'?m handling"
    r"|write to|send it to|address it to|speak (?:to|with)|talk (?:to|with)|contact)\b"
)
_NONE_ZH = re.compile(
    r"^[\s，,。.!！嗯啊呃哦]*(?:没有人?|没人|不知道|不清楚|不晓得|不了解|没有吧|不用了?|算了|不方便)"
    r"[\s，,。.!！啊吧呢了]*$"
)
_NUMBER_ZH = re.compile(r"(?:[\d零一二两三四五六七八九幺洞][\s,，-]*){6,}")
_WHO_ZH = re.compile(
    rf"{KIN_ZH}|侄|孙|家属|律师|遗嘱|执行人"
    r"|我来|我处理|我负责|我是他|我是她|找我|寄给我|联系我|就是我|我自己|电话|手机|号码|姓|叫"
)


# the speaker themselves, hedged: "i guess me", "probably me", "id say me", "me i suppose"
_ME_EN = re.compile(
    r"^(?:(?:uh|um|er|well|oh|yeah|yes|so|probably|maybe|i guess|i suppose|i think|i'?d say"
    r"|id say|it'?s|its|that'?s|thats|that'?d be|that would be|just|only)[\s,.!]+)*me"
    r"(?:[\s,.!]+(?:i guess|i suppose|i think|probably|really|honestly|now|i'?m afraid))*[\s,.!]*$"
)
# a title and a name: "the lawyer, Mr. Patel", "mister okafor", "try dr nwosu"
_TITLED_EN = re.compile(r"\b(?:mr|mrs|ms|miss|mister|missus|dr|doctor)\b\.?\s+([a-z][a-z'-]+)")
# who to ask for: "call frank", "ask for pete", "try kevin walsh" (not "call back", "call again")
_ASK_FOR_EN = re.compile(
    r"\b(?:try|ask for|call|ring|get hold of)\s+(?!(?:me|us|him|her|them|it|back|again|later"
    r"|here|this|that|the|a|an|no|any|anymore|every|at|on|in|about|when|if|now|today)\b)[a-z]{2,}"
)


def gives_contact(text: str, lang: Lang, deceased: str | None = None) -> bool:
    """The answer to "who handles the affairs?" names someone or a number (see the module); in
    English a name said alone counts (``nlu.given_names``), not the deceased's own."""
    said = text.strip().lower()
    if is_hallucination(text, lang):  # "Thank you.", 字幕由Amara.org社区提供: no one said it
        return False
    if lang == "zh":
        if not said or _NONE_ZH.match(said):
            return False
        return bool(_NUMBER_ZH.search(said) or _WHO_ZH.search(said))
    if not said or _NONE_EN.match(said):
        return False
    if _NUMBER_EN.search(said) or _WHO_EN.search(said) or _ME_EN.match(said):
        return True
    theirs = {p.lower() for p in re.findall(r"[A-Za-z']{2,}", deceased or "")}
    titled = _TITLED_EN.search(said)
    if titled and titled.group(1) not in theirs:
        return True
    if _ASK_FOR_EN.search(said) and not re.search(r"\b(?:don'?t|do not|never|stop)\b", said):
        return True
    return any(n.lower() not in theirs for n in names_said_en(text))
