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


def gives_contact(text: str, lang: Lang) -> bool:
    """The answer to "who handles the affairs?" names someone or a number (see the module)."""
    said = text.strip().lower()
    if lang == "zh":
        if not said or _NONE_ZH.match(said):
            return False
        return bool(_NUMBER_ZH.search(said) or _WHO_ZH.search(said))
    if not said or _NONE_EN.match(said):
        return False
    return bool(_NUMBER_EN.search(said) or _WHO_EN.search(said))
