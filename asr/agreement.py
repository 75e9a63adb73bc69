"""How far two hearings of the same audio agree, and one hearing made of two.

Mandarin hearings are compared by toneless pinyin syllables (near homophones count most of a
match: the telephone band and Whisper base confuse zh/z, l/n, an/ang), English ones by words
(case and punctuation folded). Used by the prompt check (``asr.prompt_check``: a prompted decode
against a neutral one) and the second opinion (``asr.second_opinion``: a second model).
Two Mandarin hearings that differ only in how often a word was said or in a closing particle
(对对 / 对对对 / 对对的, 是啊是啊 / 是啊) say the same thing (``said_alike``): the decoders
disagree on repetitions far more often than on words (session 11, zh8).

``combine``: two decodes that agree (``AsrSettings.second_agree``) are two witnesses, the
confidence becomes ``1 - (1 - a)(1 - b)`` (unless the first heard under ``second_raise_from``:
both models hear a hum as "Yeah." alike); two that disagree never raise it: the lower of the
two, and the text of the surer decode (``prefer_first``: the first's). A first hearing that is
empty (noise) stays empty whatever the second decode makes of the noise.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import replace

from pypinyin import lazy_pinyin

from asr.base import RecognitionSignals, Transcript
from nlu.numbers import EN_NUMBER_RE, en_words_to_decimal

_HANZI = re.compile(r"[\u4e00-\u9fff]+")


def syllables(text: str) -> list[str]:
    """Toneless pinyin of the hanzi in ``text`` (traditional and simplified read alike; 还 /
    還 always as huan, so "repay" heard as 環 or 缓 agrees with it)."""
    hanzi = "".join(_HANZI.findall(text)).replace("還", "环").replace("还", "环")
    return lazy_pinyin(hanzi)


def edit_distance(a: Sequence[str], b: Sequence[str]) -> int:
    """Levenshtein distance between two sequences (characters, syllables)."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        diagonal, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            diagonal, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, diagonal + (x != y))
    return row[len(b)]


_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x",
             "r", "z", "c", "s", "y", "w")  # fmt: skip
# initials the telephone band and Whisper base confuse (zh/z, ch/c, sh/s, l/n, h/f)
_NEAR_INITIAL = {"zh": "z", "ch": "c", "sh": "s", "l": "n", "h": "f"}


@functools.lru_cache(maxsize=8192)
def _parts(syllable: str) -> tuple[str, str]:
    """(initial, final) of a toneless syllable, each folded to its near-homophone class."""
    initial = next((i for i in _INITIALS if syllable.startswith(i)), "")
    final = syllable[len(initial) :]
    if final.endswith("ng") and final != "ong":
        final = final[:-1]  # an/ang, en/eng, in/ing
    return _NEAR_INITIAL.get(initial, initial), final


def syllable_cost(a: str, b: str) -> float:
    """0 for the same syllable, 0.25 for a near homophone (si/shi, huan/huang), 0.6 when only
    the initial or only the final agrees (qian/xian, hou/pu is 1), 1 otherwise."""
    if a == b:
        return 0.0
    (ia, fa), (ib, fb) = _parts(a), _parts(b)
    if ia == ib and fa == fb:
        return 0.25
    return 0.6 if ia == ib or fa == fb else 1.0


def soft_distance(a: Sequence[str], b: Sequence[str]) -> float:
    """Levenshtein distance between syllable sequences with ``syllable_cost`` substitutions."""
    row = [float(j) for j in range(len(b) + 1)]
    for i, x in enumerate(a, 1):
        diagonal, row[0] = row[0], float(i)
        for j, y in enumerate(b, 1):
            cost = diagonal + syllable_cost(x, y)
            diagonal, row[j] = row[j], min(row[j] + 1.0, row[j - 1] + 1.0, cost)
    return row[len(b)]


def agreement(prompted: str, plain: str) -> float:
    """1 - soft syllable distance / syllables of ``prompted`` (1.0: the same syllables): the
    unprompted decode of a real answer is often a near homophone of it (后天还四千 heard as
    普天皇室先生 shares tian, huan~huang, si~shi, qian~xian), an echo shares next to nothing."""
    a, b = syllables(prompted), syllables(plain)
    return 1.0 - soft_distance(a, b) / len(a) if a else 1.0


# closing particles that change no answer (吗/呢/吧/了 do: a question, a guess, "by the way")
_CLOSING = "的啊呀哈哦喔嘛"


def _collapsed(hanzi: str) -> str:
    """``hanzi`` with each unit (one or two characters) said again right after itself kept
    once: 对对对 -> 对, 是的是的 -> 是的, 是我是我 -> 是我; 对不对 stays."""
    for period in (1, 2):
        i = period
        while i + period <= len(hanzi):
            if hanzi[i : i + period] == hanzi[i - period : i]:
                hanzi = hanzi[:i] + hanzi[i + period :]
            else:
                i += 1
    return hanzi


def said_alike(first: str, second: str) -> bool:
    """Do two Mandarin hearings differ only in repetitions and closing particles (对对 / 对对对的,
    是啊是啊 / 是啊)? Compared by toneless syllables; nothing heard is never alike."""
    a = _collapsed("".join(_HANZI.findall(first))).rstrip(_CLOSING)
    b = _collapsed("".join(_HANZI.findall(second))).rstrip(_CLOSING)
    return bool(a) and bool(b) and syllables(a) == syllables(b)


_WORD = re.compile(r"[a-z0-9']+")


_DOLLARS = re.compile(r"\$\s?(\d[\d,]*(?:\.\d+)?)")


def _number(match: re.Match[str]) -> str:
    value = en_words_to_decimal(match.group(0))
    return match.group(0) if value is None else f" {value.normalize():f} "


def words(text: str) -> list[str]:
    """English words, case and punctuation folded and numbers as digits ("$300", "three
    hundred dollars" and "300 bucks" are all 300 dollars)."""
    text = _DOLLARS.sub(r"\1 dollars", text.lower().replace("\u2019", "'"))
    text = EN_NUMBER_RE.sub(_number, re.sub(r"\bbucks\b", "dollars", text))
    return _WORD.findall(text)


def hearing_agreement(first: str, second: str, language: str) -> float:
    """How far two hearings of the same audio say the same thing, 0..1 (1.0: the same words;
    Mandarin: the same syllables, near homophones counting most of a match)."""
    if language == "zh":
        return 1.0 if said_alike(first, second) else max(0.0, agreement(first, second))
    a, b = words(first), words(second)
    if not a and not b:
        return 1.0
    return 1.0 - edit_distance(a, b) / max(len(a), len(b))


def combine(
    first: Transcript,
    second: Transcript | None,
    agree_at: float,
    *,
    raise_from: float = 0.0,
    prefer_first: bool = False,
    alone_from: float | None = None,
) -> Transcript:
    """One hearing from two decodes of the same audio (see the module doc); ``second`` None:
    no second decode, the first hearing as it is. A first hearing under ``raise_from`` is not
    raised by agreement (both models hear a hum or a filler as "Yeah." alike: measured), but
    takes the second's confidence when that one, hearing the same words, is at ``alone_from``
    or over (None: never)."""
    if second is None or first.is_empty:
        return first
    a, b = first.confidence or 0.0, second.confidence or 0.0
    agreed = 0.0 if second.is_empty else hearing_agreement(first.text, second.text, first.language)
    chosen = first
    if agreed >= agree_at:
        confidence = round(1.0 - (1.0 - a) * (1.0 - b), 4) if a >= raise_from else a
        if a < raise_from and alone_from is not None and b >= alone_from:
            confidence = round(b, 4)
    else:
        confidence = round(min(a, b), 4)
        if b > a and not second.is_empty and not prefer_first:
            chosen = second
    signals = replace(
        first.signals or RecognitionSignals(), agreement=round(agreed, 4), second_confidence=b
    )
    return replace(
        chosen,
        language=first.language,
        audio_ms=first.audio_ms,
        confidence=confidence,
        signals=signals,
    )
