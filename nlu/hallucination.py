"""What a recogniser invents: telling a transcript that is an answer from one that is not.

Whisper, given silence, breath or line noise, writes what its training subtitles said at such
moments ("Thank you.", "you", "Thanks for watching!", "字幕由Amara.org社区提供", "请不吝点赞
订阅 转发 打赏支持明镜与点点栏目"), loops on a syllable ("轻轻轻的", "I'm I'm I'm"), or returns
bare punctuation. ``judge(text, lang)`` sorts a transcript into one of the :class:`Hearing`
kinds by general tests, not by a list of lines seen on our calls:

* ``EMPTY`` / ``PUNCTUATION``: nothing but spaces, punctuation or symbols;
* ``KNOWN_PHRASE``: a whole utterance that is one of the phrases the recogniser is known to
  invent for its language (compared without case, punctuation and spaces), or one carrying the
  vocabulary of video subtitles (subscribe, 字幕, 点赞, 订阅, 栏目...), which no debtor uses;
* ``REPETITION``: one unit (a word; a character in Chinese) or a short sequence of units
  repeated three times or more, covering most of the utterance;
* ``NOISE``: only hesitation sounds (uh, um, hm, 嗯, 啊, 呃), or a single letter;
* ``SPEECH``: anything else.

``is_hallucination`` is True for the first three: such a transcript is never an answer, in any
state. ``REPETITION`` and ``NOISE`` may be a person ("no no no", "嗯"), but they are never
clear enough to confirm who is speaking.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum


class Hearing(StrEnum):
    SPEECH = "speech"
    EMPTY = "empty"
    PUNCTUATION = "punctuation"
    KNOWN_PHRASE = "known_phrase"
    REPETITION = "repetition"
    NOISE = "noise"


def _phrases(joined: str) -> frozenset[str]:
    return frozenset(p.strip() for p in joined.split("|"))


HALLUCINATIONS = frozenset({Hearing.EMPTY, Hearing.PUNCTUATION, Hearing.KNOWN_PHRASE})

# whole utterances Whisper writes for silence or noise (compared by ``_key``)
_KNOWN: dict[str, frozenset[str]] = {
    "en": _phrases(
        "you|thank you|thank you very much|thank you so much|thanks|thanks for watching"
        "|thank you for watching|thanks for listening|thank you for listening"
        "|please subscribe|bye|bye bye|goodbye|see you next time|see you in the next video"
        "|i'll see you next time|the end|so|oh|music|applause|laughter|silence|foreign"
        "|blank audio|inaudible|no audio|sound|beep"
    ),
    "zh": _phrases(
        "谢谢|谢谢观看|感谢观看|谢谢大家|谢谢收看|感谢收看|谢谢收听|感谢收听|下次见|拜拜"
        "|再见|我们下期再见|下期再见|大家好|字幕|中文字幕|音乐|掌声|笑声|你|嗯嗯嗯"
    ),
}
# the vocabulary of subtitles and video channels: a phone answer never contains it
_SUBTITLE_WORDS = re.compile(
    r"subscrib|subtitle|caption|amara|transcri(bed|ption) by|like and share|my channel"
    r"|字幕|点赞|订阅|转发|打赏|栏目|频道|本期|节目|视频|独播|剧场|校对|翻译[:：]|监制"
    r"|amara\.org|明镜",
    re.I,
)
_FILLERS: dict[str, frozenset[str]] = {
    "en": _phrases(
        "uh|um|umm|uhm|hm|hmm|hmmm|mm|mmm|mhm|er|erm|ah|ahh|eh|huh|oh|ooh|uh-huh|mm-hmm|mhmm|uh-uh|hm-hmm"
    ),
    "zh": _phrases("嗯|啊|呃|额|哦|噢|喔|唔|哎|诶|欸|呀|哈|嘿|呵|嗯哼|嗯嗯"),
}
_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[\u3400-\u9fff]|[^\W_]+(?:['\-][^\W_]+)*", re.UNICODE)
MIN_REPEATS = 3
_REPEAT_SHARE = 0.7


def units(text: str) -> list[str]:
    """Words, with every Chinese character a unit of its own; punctuation dropped."""
    return [u.lower() for u in _WORD.findall(text)]


def _key(text: str) -> str:
    return " ".join(units(text)) if not _CJK.search(text) else "".join(units(text))


def _only_symbols(text: str) -> bool:
    return all(unicodedata.category(ch)[0] in "PSZC" for ch in text)


def repeated_share(items: list[str]) -> float:
    """The share of ``items`` covered by the longest run of one unit or one short sequence of
    units (up to 4) repeated ``MIN_REPEATS`` times or more; 0.0 when there is no such run."""
    best = 0
    for period in range(1, min(4, len(items) // MIN_REPEATS) + 1):
        run = period
        for i in range(period, len(items)):
            run = run + 1 if items[i] == items[i - period] else period
            if run >= period * MIN_REPEATS:
                best = max(best, run - run % period)
    return best / len(items) if items else 0.0


def judge(text: str, lang: str) -> Hearing:
    """What kind of transcript ``text`` is (see the module's docstring)."""
    stripped = text.strip()
    if not stripped:
        return Hearing.EMPTY
    if _only_symbols(stripped):
        return Hearing.PUNCTUATION
    items = units(stripped)
    if not items:
        return Hearing.PUNCTUATION
    key = _key(stripped)
    known = _KNOWN.get(lang, frozenset()) | _KNOWN["en"]  # Whisper-zh invents English too
    if key in known or _SUBTITLE_WORDS.search(stripped):
        return Hearing.KNOWN_PHRASE
    fillers = _FILLERS.get(lang, frozenset()) | _FILLERS["en"]
    if all(u in fillers for u in items) or (
        len(items) == 1 and len(items[0]) == 1 and not _CJK.match(items[0])
    ):
        return Hearing.NOISE
    if repeated_share(items) >= _REPEAT_SHARE:
        return Hearing.REPETITION
    return Hearing.SPEECH


def is_hallucination(text: str, lang: str) -> bool:
    """True when ``text`` is something the recogniser made up: never an answer."""
    return judge(text, lang) in HALLUCINATIONS
