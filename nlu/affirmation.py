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

from nlu.text_en import with_g

_EN_YES = re.compile(
    r"^(?:(?:oh|um+|uh+|well|hi|hello|mhm+|mm+ ?hmm+|i think)\s+)?"
    r"(?:yes|yeah|yea|yep|yup|ya|speaking|correct|right|sure|indeed|uh huh|mm+ ?hmm+|mhm+"
    r"|that'?s me|that is me|it'?s me|it is me|this is (?:he|she|him|her|me)|this (?:him|her)"
    r"|this is|i am|i'?m|you(?:'?ve)? (?:got|found) (?:him|her|me)"
    # a dropped "is" before the name ("yeah this marcus"): only the debtor's name passes below
    r"|this(?=\s+[a-z])"
    r"|you(?:'?re| are)? talk(?:ing|in) to (?:him|her|me))\b"
)
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
    r"|stepmom|stepdad|stepson|stepdaughter|grandmother|grandfather|godmother|caregiver)\b"
)
_EN_SELF = re.compile(r"\b(?:this is|i am|i'?m)\s+(?!he\b|she\b|him\b|her\b|me\b)(\w+)")
# the same with the "is" dropped, at the start only ("yeah this marcus", not "what's this about")
_EN_THIS_NAME = re.compile(
    r"^(?:(?:oh|um+|uh+|well|hi|hello|yes|yeah|yep|yup|ya|mhm+)\s+)*this\s+"
    r"(?!is\b|he\b|she\b|him\b|her\b|me\b)(\w+)"
)

# a Mandarin "yes" is a run of these words (fillers and particles around them), nothing else
_ZH_YES_WORDS = ("对头", "是的", "是我", "是啊", "是呀", "是本人", "对的", "对", "是", "没错", "嗯",
                 "本人", "就是我", "我就是本人", "我是本人", "我就是他本人", "我就是她本人",
                 "我就是他", "我就是她", "我就是", "好的")  # fmt: skip
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
    r"^(?:(?:oh|um+|uh+|well|hi|hello|yes|yeah|yep|yup|ya)\s+)*"
    r"(?P<frame>it'?s\s+|it is\s+|this is\s+)?(?P<name>[a-z']+(?:\s+(?!speaking$|here$)[a-z']+)?)"
    r"(?P<tail>\s+(?:speaking|here|on the line))?$"
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


def _en(text: str, name: str | None) -> bool:
    words = " ".join(re.findall(r"[a-z']+", text))
    if not words:
        return False
    if "?" not in text and _en_names_self(words, name):
        return True
    if not _EN_YES.match(words):
        return False
    # "this is her" / "you got him" name the one asked for, not somebody else
    others = re.sub(
        r"\b(?:this is|this|it'?s|you(?:'?ve)? (?:got|found)|you(?:'?re| are)? talk(?:ing|in) to)"
        r" (?:him|her)\b",
        "",
        words,
    )
    if _EN_NEGATION.search(words) or _EN_OTHER.search(others) or _EN_UNDERSTOOD.search(words):
        return False
    said = _EN_SELF.search(words) or _EN_THIS_NAME.match(words)
    if said is None:
        return True
    given = {part.lower() for part in re.findall(r"[A-Za-z']+", name or "")}
    return said.group(1) in given


def _en_names_self(words: str, name: str | None) -> bool:
    """ "keisha speaking", "it's keisha", "yeah keisha here", "this is keisha ward": the whole
    answer is the debtor's own name in a frame that says who is speaking (never "keisha?")."""
    given = {part.lower() for part in re.findall(r"[A-Za-z']+", name or "") if len(part) > 1}
    said = _EN_NAMED.match(words)
    if not given or said is None:
        return False
    named = said.group("name").split()
    framed = said.group("frame") is not None or said.group("tail") is not None
    return framed and all(word in given for word in named)


def _zh(text: str, name: str | None) -> bool:
    clauses = [_PUNCT.sub("", c) for c in _CLAUSE.split(text)]
    clauses = [c for c in clauses if _strip_fillers(c)]  # "喂，", "嗯，" lead in
    if not clauses or not _zh_yes_clause(clauses[0], _PUNCT.sub("", name or "")):
        return False
    rest = "".join(clauses[1:])
    return not (_ZH_NEGATION.search(rest) or _ZH_OTHER.search(rest))


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
    elif said_yes and rest and _names_the_debtor(rest.rstrip("".join(_ZH_PARTICLES)), name):
        rest = rest.removeprefix(name).removesuffix("本人")  # "我就是陈静", "对，是陈静本人"
    for tail in _ZH_GO_AHEAD:
        rest = rest.removesuffix(tail)
    return said_yes and not rest.strip("".join(_ZH_PARTICLES))


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
