"""How an answer at the opening reads, before the flow decides on it (``verification``).

Pure text: whether a reply asks back ("yes?", "是我，你是哪位？"), answered first and then asked
("yes it's me, what's this about?"), claims the debtor's name ("this is keisha", 我就是陈静), or
opens with a "yes, it's me" followed by words about the debt that wait for verification
("Yeah, this is John. I already paid that last week."). No state, no bars of the recogniser.
"""

from __future__ import annotations

import re

from core.dialogue import Parse
from nlu.affirmation import negated_en, of_another_en, plain_yes, zh_says_who_by_sound

# the NLU's affirm score a "yes" needs when its words are a plain "yes, that's me"
# (nlu.affirmation, a strict reading of its own; any other yes needs verification's
# AFFIRM_MIN_CONFIDENCE): clear Mandarin answers score low (是的，我就是李明 0.69;
# 是我，怎么了 0.48)
PLAIN_YES_MIN_CONFIDENCE = 0.3

# a reply that asks back ("yes?", "是吗？", "who's this?") confirms nothing
_QUESTION = re.compile(
    r"[?？]|\b(who|what|which|why|how|whom|whose)\b|\band you (?:are|is)\s*$"
    r"|谁|什么|啥|哪位|哪个|哪里|干嘛|干什么|为什么|怎么|吗",
    re.I,
)
# a question about who is calling or who is wanted never confirms anything
_WHO = re.compile(
    r"\b(who|whom|whose|which|your name)\b|谁|哪位|哪个|你是|您是|名字|(?<!事)(?<!情)吗"
    # "yes, and you are?", "right, and you are", "what company", "where are you calling from"
    r"|\band you (?:are|is)\b|\byou are\s*[?？]|\band you\s*[?？]|\bwhat company\b"
    r"|\bwhere (?:are )?you calling from\b|\bcalling from where\b",
    re.I,
)
_CLAUSES = re.compile(r"[,，.。!！;；?？、]+")
# the recogniser marks a Mandarin pause with a space ("嗯 是我 啥事"), not always a comma
_CLAUSES_ZH = re.compile(r"[,，.。!！;；?？、\s]+")
# a Mandarin answer that says who is speaking: "是我", "我就是", "本人"
_ZH_SELF_CLAIM = re.compile(r"是我|我就是|本人")


def asks_back(text: str, lang: str, debtor_name: str | None = None) -> bool:
    """A reply that asks back instead of answering: "yes?", "是吗？", "是我，你是谁？". A plain
    "yes, that's me" followed by a question of its own ("是我，怎么了", "yes it's me, what's
    this about?") has answered first and asks back nothing."""
    answer = _after_greetings(text)
    if not (_QUESTION.search(answer) or _WHO.search(answer)):
        return False  # "喂？是我。": the "?" was the greeting's
    if _WHO.search(text) or _rising_answer(text):
        return True
    clauses = _reply_clauses(text, lang, debtor_name)
    first = clauses[0] if clauses else ""
    return (
        len(clauses) < 2
        or not first.strip()
        or _QUESTION.search(first) is not None
        or not plain_yes(first, lang, debtor_name)
    )


def yes_then_what(text: str, lang: str, debtor_name: str | None = None) -> bool:
    """A plain yes, then a question that is not about who calls: "是，什么事", "对，干嘛",
    "yeah, what is it" (the classifier may read the question alone: ``ask_identity``)."""
    return not asks_back(text, lang, debtor_name) and _yes_then_asked(text, lang, debtor_name)


def answered_then_asked(text: str, lang: str, debtor_name: str | None = None) -> bool:
    """A plain "yes, that's me" followed by a question of its own that is not about who calls:
    "yes it's me what's this about", "yeah this is her, what is it regarding?"."""
    return lang == "en" and _yes_then_asked(text, lang, debtor_name)


def _yes_then_asked(text: str, lang: str, debtor_name: str | None) -> bool:
    """The reply's first clause a plain yes, a later one a question, none about who calls."""
    if _WHO.search(text):
        return False
    clauses = _reply_clauses(text, lang, debtor_name)
    return (
        len(clauses) >= 2
        and _QUESTION.search(clauses[0]) is None
        and any(_QUESTION.search(c) for c in clauses[1:])
        and plain_yes(clauses[0], lang, debtor_name)
    )


# a clause that only greets or hesitates ("喂，", "hello,", "uh,"): the answer starts after it
_GREETING = re.compile(
    r"^\s*(?:喂+|哎+|诶+|嗯+|呃+|啊+|哦+|你好|您好|hello|hi|hey|uh+|um+|er+)\s*$", re.IGNORECASE
)


# a clause with the mark that ends it: "Yes?" -> ("Yes", "?")
_MARKED_CLAUSE = re.compile(r"([^,，.。!！;；?？、]+)([,，.。!！;；?？、]*)")


def _greetings_before(clauses: list[str]) -> int:
    """How many clauses greet or hesitate before the answer ("喂，", "hello,"); never all."""
    lead = 0
    while lead < len(clauses) - 1 and _GREETING.match(clauses[lead]):
        lead += 1
    return lead


def _marked_answer(text: str) -> list[tuple[str, str]]:
    """The reply's clauses with their marks, the greetings before the answer dropped."""
    marked = [(c.strip(), m) for c, m in _MARKED_CLAUSE.findall(text) if c.strip()]
    return marked[_greetings_before([c for c, _ in marked]) :]


def _after_greetings(text: str) -> str:
    return "".join(c + m for c, m in _marked_answer(text))


def _rising_answer(text: str) -> bool:
    """The answer itself is a question ("Yes? Hello?", "是？你说"), or a "hello?" follows it: the
    phone was answered, the question was not heard. Greetings before the answer are skipped."""
    marked = _marked_answer(text)
    if not marked:
        return False
    rest_greets = [m for c, m in marked[1:] if _GREETING.match(c)]
    return (
        "?" in marked[0][1]
        or "？" in marked[0][1]
        or any("?" in m or "？" in m for m in rest_greets)
    )


def _clauses(text: str, lang: str) -> list[str]:
    """The reply's clauses, leading greetings dropped ("喂，对，是我，有什么事？" answers first)."""
    clauses = [c for c in (_CLAUSES_ZH if lang == "zh" else _CLAUSES).split(text) if c.strip()]
    return clauses[_greetings_before(clauses) :]


def _reply_clauses(text: str, lang: str, debtor_name: str | None) -> list[str]:
    """The reply's clauses; with no pause printed ("yes it's me what's this about", "是我啥事"),
    cut where its own question starts."""
    clauses = _clauses(text, lang)
    if len(clauses) >= 2:
        return clauses
    cut = _cut_at_question(text) if lang == "en" else _cut_after_claim(text, debtor_name)
    return cut or clauses


def _cut_at_question(text: str) -> list[str] | None:
    """English ``text`` cut where a question of its own starts, when that question is a clause
    ("what's this about"), not a tone ("yes?") or a lone word ("yeah what")."""
    asked = _QUESTION.search(text)
    if asked is None or asked.group() in ("?", "？"):
        return None
    rest = text[asked.start() :].strip(" ?.")
    return [text[: asked.start()], rest] if len(rest.split()) >= 2 else None


def _cut_after_claim(text: str, debtor_name: str | None) -> list[str] | None:
    """Mandarin ``text`` with no pause, cut after the longest start that is a plain yes saying who
    speaks ("是我|啥事", "对是我|有什么事吗"), when what follows asks something; else None."""
    for cut in range(len(text) - 1, 0, -1):
        head, rest = text[:cut], text[cut:]
        if (
            _ZH_SELF_CLAIM.search(head)
            and _QUESTION.search(head) is None
            and _QUESTION.search(rest) is not None
            and plain_yes(head, "zh", debtor_name)
        ):
            return [head, rest]
    return None


# what a debtor says about the debt itself before verification ("I can pay 200 on Friday", "I
# already paid"): held until verification, then acted on; at the second factor never an attempt
# at the year or the id, whatever digits it holds, when the NLU is this sure of it (a year said
# alone scores out_of_scope, or another intent below 0.3: "I was born in 1983" reads hardship)
_ABOUT_THE_DEBT = frozenset(
    {
        "promise_to_pay", "already_paid", "hardship", "installment", "dispute", "refuse",
        "ask_amount", "ask_payment_method",
    }
)  # fmt: skip
_ABOUT_THE_DEBT_MIN = 0.5


def about_the_debt(parse: Parse) -> bool:
    if parse.intent in ("promise_to_pay", "installment") and parse.amount is not None:
        return True  # "i can send three hundred friday": the amount says it, whatever the score
    return parse.intent in _ABOUT_THE_DEBT and parse.confidence >= _ABOUT_THE_DEBT_MIN


def yes_then_more(text: str, parse: Parse, lang: str, debtor_name: str | None) -> str | None:
    """ "yeah this is john, I already paid that last week", "是我，我周五还两千": a plain "yes,
    that's me" said first (its own clause), then words about the debt: the "yes" clause, which
    is read as the answer (the words about the debt are held), else None."""
    if not about_the_debt(parse) or _WHO.search(text):
        return None
    clauses = _clauses(text, lang)
    said = 0  # "Yes, it's me. I already paid": the run of plain-yes clauses the reply opens with
    while said < len(clauses) - 1 and plain_yes(clauses[said], lang, debtor_name):
        said += 1
    yes = " ".join(clauses[:said])
    if not said or _QUESTION.search(yes) or not _claims_self(yes, lang, debtor_name):
        return None  # a bare "yeah" is no answer: "Negative." was heard "Yeah, I got paid."
    return yes


# words that say who is speaking: a bare "yes" / 对 before other words may answer anything
_SELF_CLAIM_EN = re.compile(r"\b(?:me|him|her|speaking|this is|i am|i'?m|you got)\b", re.I)


# a yes that only answers "am I speaking with ...?" (never how a phone is picked up, as "yes?"
# or "yeah" are): "correct", "that's right", "yes it is"
_ANSWER_YES_EN = re.compile(
    r"^(?:(?:oh|um+|uh+|well|yes|yeah|yep|yup|mhm+|uh huh)\s+)*(?:that'?s |that is |it'?s |it is )?"
    r"(?:correct|right|it is|right here)(?:\s+(?:sir|ma'?am|yes|yeah|sorry))*$"
    r"|^(?:(?:yes|yeah|yep)\s+)+it is$"
)


def _claims_self(yes: str, lang: str, debtor_name: str | None) -> bool:
    if lang == "zh":
        return _ZH_SELF_CLAIM.search(yes) is not None or bool(debtor_name and debtor_name in yes)
    folded = " ".join(re.findall(r"[a-z']+", yes.lower()))
    if re.fullmatch(r"(?:\w+ )*right", folded) and not re.search(r"that'?s|that is", folded):
        return False  # "right, who's calling": "right" alone acknowledges
    return (
        _SELF_CLAIM_EN.search(yes) is not None
        or _ANSWER_YES_EN.match(folded) is not None
        or _names_self(yes, lang, debtor_name)
    )


# what may follow the yes and leave it standing: the caller's situation ("i'm driving though",
# "make it quick", "go ahead", "sorry it's loud here"), said of the speaker, never of anyone else
_ASIDE_EN = re.compile(
    r"\b(?:driv\w*|car|work|office|job|lunch|break|store|shop\w*|busy|quick|fast|minute|second"
    r"|moment|loud|noisy|kids?|baby|screaming|crying|go ahead|go on|listening|shoot|pull over"
    r"|hold on|hang on|bear with|walking|outside|meeting|gym|bus|train|traffic|sorry|though"
    r"|right now|at the moment|talk|speak|hear you)\b"
    # a complaint about the calls: "you people call every damn day", "y'all keep calling"
    r"|\b(?:you|y'?all|you guys|you people)\s+(?:\w+\s+)?(?:call|calling|keep calling|ring)\b"
    r"|\bevery (?:\w+ )?(?:day|week|morning|night)\b|\bnon-?stop\b"
)
# or any words of the speaker's own whereabouts or doing: "i'm at my desk", "i've got a minute"
_OWN_SITUATION_EN = re.compile(r"(?:i'?m|i am|i'?ve|i have|i got|i'?ll|i will|i was|my)\b")
# where a reply said without a pause ends its yes: "yeah yeah it's me | go ahead i'm driving"
_YES_HEAD_EN = re.compile(
    r"^(?:(?:oh|um+|uh+|well|hi|hello|yes|yeah|yep|yup|mhm+|uh huh)\s+)*"
    r"(?:(?:yes|yeah|yep|yup)\s+)?(?:it'?s me|that'?s me|this is (?:him|her|he|she|me)|speaking"
    r"|(?:that'?s |that is )?correct|that'?s right|(?:yes|yeah) it is)\b"
)


def yes_then_aside(text: str, lang: str, debtor_name: str | None) -> str | None:
    """ "yeah yeah it's me go ahead i'm driving though", "yes this is him, i'm at work", "是我
    我在开车 你快说": a plain yes that says who speaks, then only the speaker's own situation (no
    question, negation or word about anyone else, no call later): the yes (the answer), else
    None."""
    if _QUESTION.search(text):
        return None
    if lang == "zh":
        return _yes_then_aside_zh(text, debtor_name)
    if lang != "en":
        return None
    clauses = _clauses(text, lang)
    if len(clauses) < 2:
        head = _YES_HEAD_EN.match(" ".join(re.findall(r"[a-z']+", text.lower())))
        if head is None:
            return None
        folded = " ".join(re.findall(r"[a-z']+", text.lower()))
        clauses = [folded[: head.end()], folded[head.end() :]]
    said = 0
    while said < len(clauses) - 1 and plain_yes(clauses[said], lang, debtor_name):
        said += 1
    yes, rest = " ".join(clauses[:said]), " ".join(clauses[said:]).lower()
    if not said or not rest.strip() or not _claims_self(yes, lang, debtor_name):
        return None
    if negated_en(rest) or of_another_en(rest):
        return None
    return yes if _ASIDE_EN.search(rest) or _OWN_SITUATION_EN.match(rest.strip()) else None


# Mandarin: the speaker's own situation or leave to go on, said after 是我 ("我在开车", "在开会呢",
# "你快说", "长话短说", "有事快说"); never with a negation, another person or a call later
_ASIDE_ZH = re.compile(
    r"开车|开着车|路上|在忙|忙着|开会|上班|工地|干活|外面|吃饭|地铁|公交|快说|快讲|快点|赶紧|简单说"
    r"|长话短说|说重点|直说|直接说|你说|说吧|讲吧|有事|有话"
)
# "是的" / "对的" answer "是李明吗？" itself (as "correct" does), a bare 对 / 嗯 may only listen
_ANSWER_YES_ZH = re.compile(r"^(?:嗯\s*)?(?:是的|对的)(?:[啊呀]|\s)*$")
_NOT_ASIDE_ZH = re.compile(
    r"不|没|别|他|她|人|等|一会|晚点|回头|再打|打给|打过来|过会|待会|以后|明天|改天|下次|回电|再说"
)


def _yes_then_aside_zh(text: str, debtor_name: str | None) -> str | None:
    clauses = _clauses(text, "zh")
    if len(clauses) < 2:  # "是我我在开车你快说": cut after the longest claim that is a plain yes
        cuts = (i for i in range(len(text) - 1, 0, -1) if _ZH_SELF_CLAIM.search(text[:i]))
        cut = next((i for i in cuts if plain_yes(text[:i], "zh", debtor_name)), None)
        clauses = [text[:cut], text[cut:]] if cut else clauses
    said = 0
    while said < len(clauses) - 1 and plain_yes(clauses[said], "zh", debtor_name):
        said += 1
    yes, rest = " ".join(clauses[:said]), clauses[said:]
    if not said or not (_claims_self(yes, "zh", debtor_name) or _ANSWER_YES_ZH.match(yes)):
        return None
    aside = all(_ASIDE_ZH.search(c) and not _NOT_ASIDE_ZH.search(c) for c in rest)
    return yes if aside else None


def claimed_then_asked_who(text: str, lang: str, debtor_name: str | None) -> str | None:
    """ "This is Gloria, who's calling?", "是我，你哪位？", "speaking, who's this": the reply says
    who speaks first (its own clause, no question in it), then only asks who calls: the claim
    (the answer), else None. A bare "yeah, who's this?" or "对，你是谁" claims nobody."""
    if not _WHO.search(text):
        return None
    clauses = _reply_clauses(text, lang, debtor_name)
    asked = next((i for i, c in enumerate(clauses) if _QUESTION.search(c)), len(clauses))
    if not 0 < asked < len(clauses):
        return None
    claim, rest = " ".join(clauses[:asked]), clauses[asked:]  # "对，是我" | "哪位"
    if not all(_WHO.search(c) for c in rest):
        return None  # "this is gloria, who's calling, I already paid": other words too
    if not plain_yes(claim, lang, debtor_name) or not _claims_self(claim, lang, debtor_name):
        return None
    return claim


# a Mandarin claim that cannot be "是谁" mis-heard: the name, 我就是, 本人 (a bare 是我 can)
_ZH_STRONG_CLAIM = re.compile(r"我就是|本人|我是\S")


def claims_strongly(claim: str, lang: str) -> bool:
    """Whether a claim said before "who's calling?" may stand alone, with no second factor
    after it: in Mandarin not a bare 是我 ("是谁？你是哪位？" is heard "是我，你是哪位？")."""
    return lang != "zh" or _ZH_STRONG_CLAIM.search(claim) is not None


def named_after_asking(text: str, lang: str, debtor_name: str | None) -> str | None:
    """ "what the hell do you people want? Yeah, it's Tyrone.": a question of their own (not who
    is calling), then a closing run of plain-yes clauses, the last saying the debtor's own name:
    that run (the answer), else None. A bare "yeah" or "是我" after the question is no answer."""
    if not debtor_name or _WHO.search(text) or not _QUESTION.search(text):
        return None
    clauses = _clauses(text, lang)
    last = clauses[-1] if len(clauses) >= 2 else ""
    if not last or _QUESTION.search(last) or not _names_self(last, lang, debtor_name):
        return None
    if lang == "zh" and debtor_name not in last:
        return None  # 是我 / 本人 alone say who speaks, not the debtor's name
    start = len(clauses) - 1
    while start > 1 and plain_yes(clauses[start - 1], lang, debtor_name):
        start -= 1  # "Yeah," before "it's Tyrone" belongs to the answer
    asked = " ".join(clauses[:start])
    return " ".join(clauses[start:]) if _QUESTION.search(asked) else None


def name_answer(text: str, parse: Parse, lang: str, debtor_name: str | None = None) -> Parse:
    """The parse of an answer to "is this {name}?" as verification reads it. "yes it's me
    what's this about": the words say yes first, while the classifier, hearing the question,
    often says ``ask_identity`` (or nothing): read as a "yes" scored at the bar its words need
    (``PLAIN_YES_MIN_CONFIDENCE``); the recogniser's bar still applies."""
    if parse.intent == "affirm" and parse.confidence < PLAIN_YES_MIN_CONFIDENCE:
        # "我就是刘洋，怎么了" scored 0.25: a yes that says the debtor's full name (a bare 是我
        # scored this low stays no answer)
        if debtor_name and debtor_name in text and _names_self(text, lang, debtor_name):
            return Parse("affirm", PLAIN_YES_MIN_CONFIDENCE, parse.entities, parse.asr_confidence)
        return parse
    if parse.intent not in ("ask_identity", "out_of_scope", "third_party"):
        return parse
    if not _names_self(text, lang, debtor_name) and (
        parse.intent == "third_party" or not answered_then_asked(text, lang, debtor_name)
    ):
        return parse
    return Parse("affirm", PLAIN_YES_MIN_CONFIDENCE, parse.entities, parse.asr_confidence)


def _names_self(text: str, lang: str, debtor_name: str | None) -> bool:
    """ "this is keisha", "keisha speaking", "我就是陈静": the answer is a plain yes that says the
    debtor's own name, or in Mandarin who speaks (是我, 我就是, 本人: the classifier, hearing a
    name it does not know or a yes the recogniser garbled, often calls it a third party or
    nothing)."""
    if not debtor_name or not plain_yes(text, lang, debtor_name):
        return False
    if lang == "zh" and (_ZH_SELF_CLAIM.search(text) or zh_says_who_by_sound(text)):
        # 是我 / 我就是 / 本人 say who speaks, also heard as other characters (安适我说吧)
        return True
    folded = text.lower()
    parts = re.findall(r"[A-Za-z']{2,}", debtor_name.lower()) if lang == "en" else [debtor_name]
    return any(re.search(rf"(?<![a-z']){re.escape(p)}(?![a-z'])", folded) for p in parts)
