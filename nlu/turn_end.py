"""End of turn from meaning: how much silence to wait before the debtor's turn is over.

A turn used to end after a fixed 600 ms of silence. When the words so far (an early decode at
the first short pause) already answer the question the bot asked, a yes or a no to a yes/no
question, an amount and a day to "when can you pay and how much?", a year to "what year were
you born?", a time to "when should we call back?", the turn ends after ~200 ms instead. When
they end as an unfinished sentence does ("I can pay… uh", "and", "because", "我想", "然后",
a trailing comma or ellipsis), the wait grows (1,000 ms) so a debtor who pauses to think is not
cut off. Anything else keeps the usual wait. Pure functions, no I/O: the IVR runs the decode
and the timer (``ivr.turn_end``), this module only judges the words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from core.dialogue import Lang, Parse


class QuestionKind(StrEnum):
    """What kind of answer the last prompt asked for."""

    YES_NO = "yes_no"
    PROMISE = "promise"  # how much and when: complete with an amount and a day
    AMOUNT = "amount"
    DATE = "date"
    YEAR = "year"
    DIGITS = "digits"  # the last four digits of an ID
    COUNT = "count"  # how many months
    TIME = "time"  # when to call back
    OPEN = "open"  # no expected form: the silence decides


class Completeness(StrEnum):
    COMPLETE = "complete"
    INCOMPLETE = "incomplete"
    UNKNOWN = "unknown"


class TurnEnd(StrEnum):
    END = "end"
    WAIT = "wait"


@dataclass(frozen=True, slots=True)
class TurnEndPolicy:
    """Silence (ms) that ends a turn whose words are complete / unknown / incomplete."""

    complete_ms: int = 200
    default_ms: int = 600
    incomplete_ms: int = 1000

    def __post_init__(self) -> None:
        if not 0 < self.complete_ms <= self.default_ms <= self.incomplete_ms:
            raise ValueError("need 0 < complete_ms <= default_ms <= incomplete_ms")

    def silence_ms(self, completeness: Completeness) -> int:
        match completeness:
            case Completeness.COMPLETE:
                return self.complete_ms
            case Completeness.INCOMPLETE:
                return self.incomplete_ms
            case _:
                return self.default_ms


# Prompt keys of nlu/scripts/*.yml (variant and "reprompt." stripped) and what they ask for.
_PROMPT_KINDS: dict[str, QuestionKind] = {
    "greeting": QuestionKind.YES_NO,
    "ask_name": QuestionKind.YES_NO,
    "identity_neutral": QuestionKind.YES_NO,
    "identity_brief": QuestionKind.YES_NO,
    "ask_full": QuestionKind.YES_NO,
    "confirm_promise": QuestionKind.YES_NO,
    "confirm_plan": QuestionKind.YES_NO,
    "ask_birth_year": QuestionKind.YEAR,
    "ask_id_last4": QuestionKind.DIGITS,
    "state_debt": QuestionKind.PROMISE,
    "promise_restart": QuestionKind.PROMISE,
    "amount_too_low": QuestionKind.AMOUNT,
    "offer_partial": QuestionKind.AMOUNT,
    "ask_promise_amount": QuestionKind.AMOUNT,
    "ask_promise_date": QuestionKind.DATE,
    "date_too_late": QuestionKind.DATE,
    "already_paid_ask_date": QuestionKind.DATE,
    "offer_plan": QuestionKind.COUNT,
    "ask_plan_count": QuestionKind.COUNT,
    "plan_length_not_allowed": QuestionKind.COUNT,
    "callback_ask_time": QuestionKind.TIME,
    "third_party_ask_time": QuestionKind.TIME,
}


def question_kind(prompt_key: str | None) -> QuestionKind:
    """'reprompt.ask_promise_date#1' -> DATE; an unknown or missing key is OPEN."""
    if not prompt_key:
        return QuestionKind.OPEN
    base = prompt_key.split("#", 1)[0].removeprefix("reprompt.")
    return _PROMPT_KINDS.get(base, QuestionKind.OPEN)


# --- unfinished sentences ---------------------------------------------------------------------

_EN_TRAILING = frozenset((
    "and", "but", "or", "so", "because", "cause", "cuz", "if", "then", "uh", "um", "umm", "uhm",
    "er", "erm", "ah", "hmm", "mm", "like", "the", "a", "an", "to", "on", "by", "at", "for", "of",
    "in", "with", "from", "until", "till", "before", "after", "about", "around", "i", "i'm", "im",
    "i'll", "i'd", "we", "we'll", "my", "your", "our", "it's", "its", "that's", "there's", "just",
    "actually", "well", "probably", "maybe", "also", "plus",
))  # fmt: skip
_EN_TRAILING_PHRASE = re.compile(
    r"(?:\b(?:can|could|will|would|should|might|may|'ll|gonna|going to|want to|wanna|have to|"
    r"need to|able to)\s+(?:pay|give|send|do|make|manage|transfer|try)(?:\s+(?:you|it|them))?"
    r"|\byou know|\bi mean|\blet me (?:see|think|check)|\bhold on|\bwait|\bone (?:second|sec|"
    r"moment|minute)|\bgive me a (?:second|sec|moment|minute))$"
)
_ZH_TRAILING = (
    "嗯", "呃", "额", "唔", "那个", "就是", "然后", "但是", "可是", "不过", "因为", "所以",
    "还有", "和", "跟", "或者", "如果", "要是", "的话", "等一下", "等等", "我想", "我能", "我可以",
    "我会", "我要", "大概", "可能", "差不多", "先", "再", "而且", "等会", "稍等",
)  # fmt: skip
_OPEN_END = re.compile(r"(?:\.\.\.|…|,|，|、|-|—|:|：)$")
_EN_WORDS = re.compile(r"[a-z0-9']+")
_ZH_STRIP = re.compile(r"[\s，。！？、,.!?；;：:\"'“”…~]+")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def unfinished(text: str, lang: Lang) -> bool:
    """The words end as a sentence that is still going does ("I can pay", "然后")."""
    folded = _fold(text)
    if _OPEN_END.search(folded):
        return True
    if lang == "zh":
        bare = _ZH_STRIP.sub("", folded)
        return bool(bare) and bare.endswith(_ZH_TRAILING)
    words = _EN_WORDS.findall(folded)
    if not words:
        return False
    return words[-1] in _EN_TRAILING or bool(_EN_TRAILING_PHRASE.search(" ".join(words)))


# --- answers that are whole -------------------------------------------------------------------

_NO_PARSE = Parse("out_of_scope", 0.0)
_YES_NO_INTENTS = frozenset({"affirm", "deny", "wrong_number"})
_YES_NO_MIN_CONFIDENCE = 0.4
_SHORT_EN_WORDS = 5
_SHORT_ZH_CHARS = 8
_YEAR = re.compile(
    r"\b(?:19|20)\d\d\b|(?:19|20)\d\d年|[一二][九〇零][〇零一二三四五六七八九]{2}|"
    r"[〇零一二三四五六七八九]{2}年|\d\d年|\b(?:nineteen|twenty)[ -](?:oh[ -])?[a-z]+"
)
_EN_DIGIT_WORDS = frozenset(
    ["zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
)
_ZH_DIGITS = set("0123456789〇零一二三四五六七八九幺两")
_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|"
    r"twenty|thirty|thirty-six|twenty-four)\b|[一二三四五六七八九十两]"
)
_EN_TIME = re.compile(
    r"\b\d{1,2}(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.|o'?clock)\b|\b(?:morning|afternoon|evening|"
    r"tonight|tomorrow|weekend|noon|lunch|next week|later today|after \w+|in an hour|"
    r"in (?:a|two|three|\d+) (?:hours?|days?|weeks?)|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)\b"
)
_ZH_TIME = re.compile(
    r"\d+点|[一二三四五六七八九十两]+点|明天|后天|下午|上午|晚上|早上|中午|傍晚|周[一二三四五六日天末]|"
    r"星期|礼拜|下周|下个?月|\d+号|[一二三四五六七八九十]+号|改天|过几天|以后|之后|小时"
)


def _short(text: str, lang: Lang) -> bool:
    if lang == "zh":
        return len(_ZH_STRIP.sub("", _fold(text))) <= _SHORT_ZH_CHARS
    return len(_EN_WORDS.findall(_fold(text))) <= _SHORT_EN_WORDS


def _digit_count(text: str, lang: Lang) -> int:
    folded = _fold(text)
    if lang == "zh":
        return sum(ch in _ZH_DIGITS for ch in folded)
    words = re.findall(r"\d|[a-z]+", folded)
    return sum(w.isdigit() or w in _EN_DIGIT_WORDS for w in words)


def _answers(kind: QuestionKind, text: str, parse: Parse, lang: Lang) -> bool:
    folded = _fold(text)
    match kind:
        case QuestionKind.YES_NO:
            return (
                parse.intent in _YES_NO_INTENTS
                and parse.confidence >= _YES_NO_MIN_CONFIDENCE
                and _short(text, lang)
            )
        case QuestionKind.PROMISE:
            return parse.amount is not None and parse.date is not None
        case QuestionKind.AMOUNT:
            return parse.amount is not None
        case QuestionKind.DATE:
            return parse.date is not None
        case QuestionKind.YEAR:
            return _YEAR.search(folded) is not None
        case QuestionKind.DIGITS:
            return _digit_count(text, lang) == 4
        case QuestionKind.COUNT:
            return _NUMBER.search(folded) is not None and _short(text, lang)
        case QuestionKind.TIME:
            pattern = _ZH_TIME if lang == "zh" else _EN_TIME
            return parse.date is not None or pattern.search(folded) is not None
        case _:
            return False


_NEEDS_PARSE = frozenset(
    {QuestionKind.YES_NO, QuestionKind.PROMISE, QuestionKind.AMOUNT, QuestionKind.DATE,
     QuestionKind.TIME}
)  # fmt: skip


def needs_parse(kind: QuestionKind, text: str, lang: Lang) -> bool:
    """Whether judging ``text`` needs its NLU reading (an intent or entities).

    The reading costs ~20 CPU-ms (the intent classifier); words that are unfinished, and
    questions judged on the words alone (open, year, digits, count), do without it.
    """
    return kind in _NEEDS_PARSE and bool(text.strip()) and not unfinished(text, lang)


def completeness(kind: QuestionKind, text: str, parse: Parse | None, lang: Lang) -> Completeness:
    """Whether ``text`` (what was heard so far, ``parse`` its reading) is a whole answer."""
    if not text.strip():
        return Completeness.UNKNOWN
    if unfinished(text, lang):
        return Completeness.INCOMPLETE
    if (parse is not None or not needs_parse(kind, text, lang)) and _answers(
        kind, text, parse or _NO_PARSE, lang
    ):
        return Completeness.COMPLETE
    return Completeness.UNKNOWN


def silence_needed_ms(
    kind: QuestionKind,
    text: str,
    parse: Parse | None,
    lang: Lang,
    policy: TurnEndPolicy | None = None,
) -> int:
    """The silence after which this turn is over, given the words so far."""
    return (policy or TurnEndPolicy()).silence_ms(completeness(kind, text, parse, lang))


def decide(
    kind: QuestionKind,
    text: str,
    parse: Parse | None,
    lang: Lang,
    silence_ms: int,
    policy: TurnEndPolicy | None = None,
) -> TurnEnd:
    """End the turn now, or wait for more silence (or more words)."""
    needed = silence_needed_ms(kind, text, parse, lang, policy)
    return TurnEnd.END if silence_ms >= needed else TurnEnd.WAIT
