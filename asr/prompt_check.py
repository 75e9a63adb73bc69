"""A prompt may steer Whisper between sounds that were said, never put words in a caller's mouth.

Whisper reads its prompt as the preceding conversation; on audio that is speech but no answer
(reversed or foreign speech, a TV in the room) it copies the prompt: measured with the
Mandarin stage hints, "不认识，本人不认识" and "他不在家" at verification, "下周五、月底" at the
promise question, and with the plain domain prompt "已经还了，打错了，不要再打了". A decode with
a prompt is therefore checked against a decode of the same audio with a neutral prompt (no
collection words; it only keeps the script simplified): the two must agree on most syllables
(toneless pinyin, so 周/州 and 还/环 agree), or the neutral transcript is returned. Measured
(bench/zh_speech_bench.py): every echo agreed on <= 0.27 of its syllables, real answers mostly
on 0.6-1.0 (a few short ones lower: they come back as the neutral transcript). Costs a second
decode (~0.13 CPU-s) per prompted utterance that was not empty.
"""

from __future__ import annotations

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


def agreement(prompted: str, plain: str) -> float:
    """1 - syllable edit distance / syllables of ``prompted`` (1.0: the same syllables)."""
    a, b = syllables(prompted), syllables(plain)
    return 1.0 - edit_distance(a, b) / len(a) if a else 1.0


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
