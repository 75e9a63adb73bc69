"""A speaker correcting themselves in one breath: of two days or two amounts said, the one taken
back is dropped and the other stands. One rule for both languages, each with its own words;
used by ``nlu.dates`` (days) and ``nlu.entities`` (amounts), so "周五 不对 周六", "两千 不对
一千八", "Friday, actually make that Saturday" and "two hundred, no wait, one fifty" read the
same way.

- A correction mark between the two: the first is withdrawn, the later one stands. Mandarin: 不对,
  说错了, 我是说, 应该是, 哦不, 不不, 改成, 算了, a clause opening with 还是 ... (下个月中旬……不对，
  下个月十号; 我月底还五千 算了 还是四千吧). English: no / nah / no no (before a pause, a day or a
  figure: never "no problem", "no later than", "I have no money"), wait, sorry (not "sorry if /
  I'm / for / to"), I mean, actually, make it / that, scratch that, correction, hang on, change
  that, or rather, or let's say, instead ("two hundred... or let's say a hundred"). Not across
  "and" / "then" / "plus" / "the rest": "a hundred now and no, two hundred in January" is two
  figures. Not farther apart than a short clause (eight English words).
- "not" / 不是 right before the later one withdraws that one instead ("Tuesday, not Monday";
  下周五，不是这周五; 一千 不是两千); 不是 said alone between pauses is a Mandarin correction mark
  (两千 不是 一千八: the recogniser prints a pause as a space or a comma).
- "not" / 不是 right before the first, another said after it: the first is withdrawn ("not on
  Friday, on Saturday"; 不是周五 是周六; 不是三百 是五百).
- A fallback withdraws nothing: the first is the promise ("Friday, or Monday if that doesn't
  work"; 周五，不行的话下周一).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar


@dataclass(frozen=True, slots=True)
class _Marks:
    taken_back: re.Pattern[str]  # a mark in the gap withdraws the first
    says_not: re.Pattern[str]  # the gap ends by negating the later one
    not_this: re.Pattern[str]  # the text before the first ends by negating it
    keeps_both: re.Pattern[str] | None = None  # a gap that adds, never corrects
    max_words: int | None = None


_NO_EN = (
    r"no+(?:\s+no+)*(?=\s*(?:[,.!;:?…-]|$|wait|sorry|hang|hold|actually|i mean|make|let|it'?s"
    r"|it was|on\b|the\b|not\b|uh\b|um\b|er\b|ah\b))"
)
_EN = _Marks(
    taken_back=re.compile(
        rf"\b(?:{_NO_EN}|nah|nope|no way|wait(?!\s+(?:till|until|for|to)\b)|hang on|hold on"
        r"|sorry(?!\s+(?:if|i'?m|for|to|about|that|but)\b)|oops|my bad|i mean|i meant"
        r"|actually|make (?:it|that)|scratch that|correction|change (?:it|that)"
        r"|rather(?! than)|(?:or )?let'?s say|or say|instead)\b"
    ),
    says_not=re.compile(r"\bnot(?:\s+(?:on|the|by|until|till|for))?\s*$"),
    not_this=re.compile(r"(?:^|[\s,.;:!?])not(?:\s+(?:on|the|by|until|till|for))?\s*$"),
    keeps_both=re.compile(r"\b(?:and|then|plus|another|the rest|after that|also)\b"),
    max_words=8,
)
_ZH = _Marks(
    taken_back=re.compile(
        r"不对|说错了?|我是说|应该是|[哦噢喔]不|不不|改成|改到|不行(?!的话)|不是(?!的话)|算了"
        r"|(?:^|[\s，,。.、])还是"
    ),
    says_not=re.compile(r"不是$"),
    # 不是 right before a day or an amount, said as the start of a clause (不是周五; 我说的不是三百)
    not_this=re.compile(r"(?:^|[\s，,。.、我的])不是\s*$"),
)
_MARKS = {"en": _EN, "zh": _ZH}


class Spanned(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=Spanned)


def taken_back(text: str, found: Sequence[S], lang: str) -> list[S]:
    """``found`` (in order, from ``text``) without the ones the speaker took back."""
    cuts = withdrawn(text, found, lang)
    return [f for i, f in enumerate(found) if i not in cuts]


def withdrawn(text: str, found: Sequence[S], lang: str) -> dict[int, tuple[int, int]]:
    """The index of each one of ``found`` taken back, with the span of ``text`` that takes it
    back: from it to the one said instead ("two hundred, no wait, " of "... one fifty"), or
    from the "not" to its end (", not Monday" of "Tuesday, not Monday")."""
    marks = _MARKS.get(lang)
    cuts: dict[int, tuple[int, int]] = {}
    if marks is None:
        return cuts
    for i in range(len(found) - 1):
        first, later = found[i], found[i + 1]
        gap = text[first.end : later.start]
        origin = found[i - 1].end if i else 0
        before = text[origin : first.start]
        negated = marks.says_not.search(gap)
        mark = _mark(marks, gap[: negated.start()] if negated else gap)
        if (not_this := marks.not_this.search(before)) and not mark and not negated:
            cuts[i] = (origin + not_this.start(), later.start)
            continue
        if negated:
            cuts[i + 1] = (first.end + negated.start(), later.end)
        if mark:
            cuts[i] = (first.start, later.start)
    return cuts


def without(
    text: str, spans: Sequence[tuple[int, int]], keep: Sequence[tuple[int, int]] = ()
) -> str:
    """``text`` with ``spans`` (which may overlap) cut out, but for the ``keep`` spans in them."""
    kept = [True] * len(text)
    for start, end in spans:
        kept[start:end] = [False] * (end - start)
    for start, end in keep:
        kept[start:end] = [True] * (end - start)
    return "".join(c for c, keep in zip(text, kept, strict=True) if keep)


def _mark(marks: _Marks, gap: str) -> bool:
    if marks.max_words is not None and len(gap.split()) > marks.max_words:
        return False
    if marks.keeps_both is not None and marks.keeps_both.search(gap):
        return False
    return marks.taken_back.search(gap) is not None
