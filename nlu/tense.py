"""Which parts of an utterance speak of a payment already made ("I paid it on Monday").

A date said in such a part is the past: a repeating day ("on Monday", "the 15th", 周一) is its
latest occurrence up to today, not the coming one (``nlu.entities``). An utterance is cut into
parts at punctuation, conjunctions ("and", "but", 但是, 然后) and where a new clause of the
speaker starts ("i paid half on monday i can do the rest friday"); a part is past when it says a
payment was made (paid, sent, mailed, transferred, took care of; 还了, 已经还, 还过) and nothing
in it looks ahead (will, 'll, gonna, can, next; 会, 要, 能, 下). "I get paid on Friday" is about
wages, not a payment made.
"""

from __future__ import annotations

import re

from nlu.rules import PAID_ZH

_SPLIT_EN = re.compile(
    r"[,.;!?]+|\b(?:and|but|then|so|because|cause|plus|though|although|when)\b"
    r"|(?<=\w )(?=(?:i|we|i'?ll|i'?m|i'?ve|i'?d)\b)",
    re.I,
)
_PAST_EN = re.compile(
    r"\b(?<!get )(?<!gets )(?<!getting )(?<!got )(?<!be )(?<!being )(?<!am )(?<!'m )"
    r"(?:paid|payed)\b"
    r"|\b(?:sent|mailed|transferred|wired|deposited|settled|cleared|took care of"
    r"|(?:made|did) (?:the |a |my |that )?(?:payment|transfer)|went (?:out|through)|came out"
    r"|was (?:paid|sent|taken|debited|deducted|withdrawn|processed|drafted|charged)"
    r"|(?:took|pulled|withdrew|drafted|debited|deducted|charged) (?:it|the money|the payment"
    r"|that|the amount)\b"
    r"|put (?:it|the payment|the money) through"
    # learners' English: "already pay", "payment is already done"
    r"|already (?:pay|done|send|transfer|finish(?:ed)?|complete(?:d)?|make (?:the |a )?payment)"
    r"|(?:payment|it|that)(?:'s| is| was| has been)? (?:already )?(?:done|completed|cleared))\b",
    re.I,
)
_AHEAD_EN = re.compile(
    r"\b(?:will|gonna|going to|can|could|would|should|might|plan(?:ning)? to|want to|try(?:ing)? to"
    r"|promise|let me|next|tomorrow)\b|'ll\b",
    re.I,
)
_SPLIT_ZH = re.compile(r"[,，.。;；!！?？、\s]+|但是|不过|然后|可是")
# the already-paid claim's words (nlu.rules), and any pay verb done (了/过) in a part of its own
_PAST_ZH = re.compile(
    rf"{PAID_ZH.pattern}|(?:还|付|交|转|缴)(?:款|账|钱)?(?:了|过(?![去来]))|打过去了|转过去了"
    r"|(?:打|转|汇|存)(?:到|给|进|入)[^,，.。!！?？]{0,8}?了|(?:扣|划)(?:款|走|掉)?了"
    r"|(?:还|付|交|转|缴)(?:款|账|钱)?的(?!话)"
)
_AHEAD_ZH = re.compile(
    r"会|要|能|可以|打算|准备|争取|保证|再|下(?:个|個)?(?:周|星期|礼拜|月)|明天|后天"
)


def past_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` spans of ``text`` that speak of a payment already made. A part
    with no verb of its own ("on monday, i paid it") takes the tense of the next part that has
    one, else of the one before."""
    split, past, ahead = (
        (_SPLIT_ZH, _PAST_ZH, _AHEAD_ZH) if lang == "zh" else (_SPLIT_EN, _PAST_EN, _AHEAD_EN)
    )
    parts: list[tuple[int, int, bool | None]] = []
    start = 0
    for cut in [*split.finditer(text), None]:
        end = len(text) if cut is None else cut.start()
        part = text[start:end]
        tense = False if ahead.search(part) else (True if past.search(part) else None)
        parts.append((start, end, tense))
        start = len(text) if cut is None else cut.end()
    spans = []
    for index, (begin, end, tense) in enumerate(parts):
        if tense is None:
            after = [t for _, _, t in parts[index + 1 :] if t is not None]
            before = [t for _, _, t in parts[:index] if t is not None]
            tense = after[0] if after else (before[-1] if before else False)
        if tense:
            spans.append((begin, end))
    return spans


def in_past(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)
