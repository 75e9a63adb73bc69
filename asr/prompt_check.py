"""A prompt may steer Whisper between sounds that were said, never put words in a caller's mouth.

Whisper reads its prompt as the preceding conversation; on audio that is speech but no answer
(reversed or foreign speech, a TV in the room) it copies the prompt: measured with the
Mandarin stage hints, "不认识，本人不认识" and "他不在家" at verification, "下周五、月底" at the
promise question, and with the plain domain prompt "已经还了，打错了，不要再打了". A decode with
a prompt is therefore checked against a decode of the same audio with a neutral prompt (no
collection words; it only keeps the script simplified): the two must agree on enough syllables
(toneless pinyin, so 周/州 and 还/环 agree; near homophones such as si/shi, an/ang count most of a
match), or the neutral transcript is returned. Measured (bench/zh_decoding_bench.py, 38 debtor
lines, 7 speech-like non-answers under every stage hint): every echo agreed on <= 0.16, real
answers mostly on 0.6-1.0; with exact syllables only, two real answers fell below 0.2 and came
back as their worse neutral transcript (CER 16.6 % against 14.3 % with the soft match, no echo
let through either way). Costs a second decode (~0.13 CPU-s) per prompted utterance that was
not empty.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import replace

from pypinyin import lazy_pinyin

from asr.base import RecognitionOptions, RecognitionStream, Recognizer, Transcript
from asr.stream import BufferedStream

_HANZI = re.compile(r"[\u4e00-\u9fff]+")
# the check's own decode: no collection words to copy, but it keeps Whisper in simplified script
NEUTRAL_PROMPTS = {"zh": "以下是普通话的句子。"}


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


class PromptCheckedRecognizer:
    """Wraps a recognizer: prompted Mandarin decodes must agree with an unprompted one."""

    def __init__(self, inner: Recognizer, min_agreement: float = 0.3) -> None:
        self._inner = inner
        self._min = min_agreement

    @property
    def languages(self) -> frozenset[str]:
        return self._inner.languages

    async def transcribe(
        self, pcm: bytes, sample_rate: int, options: RecognitionOptions
    ) -> Transcript:
        heard = await self._inner.transcribe(pcm, sample_rate, options)
        neutral = NEUTRAL_PROMPTS.get(options.language)
        if heard.is_empty or neutral is None or options.prompt in ("", neutral):
            return heard
        plain_options = replace(options, prompt=neutral, hotwords=())
        plain = await self._inner.transcribe(pcm, sample_rate, plain_options)
        if agreement(heard.text, plain.text) >= self._min:
            return heard
        return plain

    def start_stream(self, sample_rate: int, options: RecognitionOptions) -> RecognitionStream:
        return BufferedStream(self, sample_rate, options)

    async def warm_up(self) -> None:
        await self._inner.warm_up()
