"""A day the hinted hearing lost, taken from the neutral hearing of the same audio.

Every prompted Mandarin turn is decoded twice (``asr.prompt_check``): with the question's hint
and with a neutral prompt. Where the date is the answer, the two often differ on the day alone:
"今天下午我就还三百元" heard "请天下午我就还三百元" with the hint and "今天下午我就环300人" without
it; "我11月28号就还了" heard "我是一月二十八号就还乱" and "我11月28号就还乱". When the hearing
kept names no day and the other hearing does, the other's day words are put in place of the
stretch of the kept hearing they align with (toneless syllables, ``difflib``), the rest of the
kept words untouched (its amount stays: "三百元", not "300人"). Never at verification or at a
read-back (``OWN_WORDS``: a yes is always the first decode's words), never when the kept
hearing names a day of its own (an echo of the hint's 下周/月底 is ``prompt_check``'s business),
and never when the stretch replaced is longer than the day put in plus ``MAX_EXTRA`` (the
hearings do not line up there). No decode: < 1 ms of Python per turn.
"""

from __future__ import annotations

import difflib
from dataclasses import replace

from asr.base import Transcript
from nlu.dates_zh import day_spans
from nlu.simplified import to_simplified
from nlu.sounds_zh import syllable

OWN_WORDS = frozenset({"verify", "confirm"})
MAX_EXTRA = 2  # characters the replaced stretch may exceed the lent day by


def _sound(ch: str) -> str:
    return "huan" if ch in "还還" else syllable(ch)  # 还 heard 环/缓 lines up with it


def _aligned(heard: str, plain: str, start: int, end: int) -> tuple[int, int]:
    """The stretch of ``heard`` that lines up with ``plain[start:end]``, by syllables."""
    ops = difflib.SequenceMatcher(
        None, [_sound(c) for c in heard], [_sound(c) for c in plain], autojunk=False
    ).get_opcodes()
    first, last = len(heard), len(heard)
    for tag, i1, _, j1, j2 in ops:
        if j1 <= start < j2 or (start == j1 == j2):
            first = i1 + (start - j1) if tag == "equal" else i1
            break
    for tag, i1, i2, j1, j2 in ops:
        if j1 < end <= j2:
            last = i1 + (end - j1) if tag == "equal" else i2
            break
    return first, max(first, last)


def with_neutral_day(kept: Transcript, plain: Transcript, stage: str | None) -> Transcript:
    """``kept`` with the day of ``plain`` put in where ``kept`` names none (module docstring)."""
    if kept.language != "zh" or stage in OWN_WORDS or kept.is_empty or plain.is_empty:
        return kept
    heard, other = to_simplified(kept.text), to_simplified(plain.text)
    lent = day_spans(other)
    if day_spans(heard) or not lent:
        return kept
    start, end = lent[0]
    first, last = _aligned(heard, other, start, end)
    if last - first > end - start + MAX_EXTRA:
        return kept
    text = heard[:first] + other[start:end] + heard[last:]
    return replace(kept, text=text, words=())
