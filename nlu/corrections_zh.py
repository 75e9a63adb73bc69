"""A Mandarin speaker correcting themselves in one breath: of two days or two amounts said, the
one taken back is dropped and the other stands. Shared by ``nlu.dates_zh`` (days) and
``nlu.entities`` (amounts), so "周五 不对 周六" and "两千 不对 一千八" read the same way.

- A correction mark between the two (不对, 说错了, 我是说, 应该是, 哦不, 不不, 改成, 算了, a
  clause opening with 还是 ...): the first is withdrawn, the later one stands
  (下个月中旬……不对，下个月十号; 两千五 哦不 两千吧; 我月底还五千 算了 还是四千吧).
- 不是 right before the later one, with no pause between, withdraws that one instead (下周五，
  不是这周五; 一千 不是两千); 不是 said alone between pauses is a correction mark (这周五，不是，
  下周五; 两千 不是 一千八: the recogniser prints a pause as a space or a comma).
- 不是 right before the first, another said after it: the first is withdrawn (不是周五 是周六;
  不是三百 是五百).
- A fallback (周五，不行的话下周一) withdraws nothing: the first is the promise.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol, TypeVar

_TAKEN_BACK = re.compile(
    r"不对|说错了?|我是说|应该是|[哦噢喔]不|不不|改成|改到|不行(?!的话)|不是(?!的话)|算了"
    r"|(?:^|[\s，,。.、])还是"
)
_SAYS_NOT = re.compile(r"不是$")
# 不是 right before a day or an amount, said as the start of a clause (不是周五; 我说的不是三百)
_NOT_THIS = re.compile(r"(?:^|[\s，,。.、我的])不是\s*$")


class Spanned(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=Spanned)


def taken_back(text: str, found: Sequence[S]) -> list[S]:
    """``found`` (in order, from ``text``) without the ones the speaker took back."""
    dropped: set[int] = set()
    for i in range(len(found) - 1):
        gap = text[found[i].end : found[i + 1].start]
        before = text[found[i - 1].end if i else 0 : found[i].start]
        if _NOT_THIS.search(before) and _TAKEN_BACK.search(gap) is None:
            dropped.add(i)
        elif _TAKEN_BACK.search(gap) is not None:
            dropped.add(i + 1 if _SAYS_NOT.search(gap) else i)
    return [f for i, f in enumerate(found) if i not in dropped]
