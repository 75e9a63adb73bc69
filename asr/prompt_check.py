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

from dataclasses import replace

from asr.agreement import (
    agreement,
    combine,
    edit_distance,
    soft_distance,
    syllable_cost,
    syllables,
)
from asr.base import RecognitionOptions, RecognitionStream, Recognizer, Transcript
from asr.settings import AsrSettings
from asr.stream import BufferedStream

# the check's own decode: no collection words to copy, but it keeps Whisper in simplified script
NEUTRAL_PROMPTS = {"zh": "以下是普通话的句子。"}
MIN_AGREEMENT = 0.3  # below: the prompted decode is taken for an echo of its prompt
__all__ = [
    "MIN_AGREEMENT", "NEUTRAL_PROMPTS", "PromptCheckedRecognizer", "agreement", "checked",
    "edit_distance", "soft_distance", "syllable_cost", "syllables",
]  # fmt: skip


def checked(
    heard: Transcript, plain: Transcript, min_agreement: float, settings: AsrSettings
) -> Transcript:
    """The prompted hearing checked against the neutral one: below ``min_agreement`` the prompt
    put words in (an echo), the neutral text with the lower confidence of the two; above it the
    prompted text, its confidence combined with the neutral decode's as a second opinion
    (``asr.agreement.combine``) when ``settings.second_neutral`` is on."""
    echo = agreement(heard.text, plain.text) < min_agreement
    if not settings.second_neutral:
        return plain if echo else heard
    if echo:
        low = min(heard.confidence or 0.0, plain.confidence or 0.0)
        return replace(plain, confidence=round(low, 4))
    return combine(
        heard,
        plain,
        settings.second_agree,
        raise_from=settings.second_raise_from,
        prefer_first=True,
    )


class PromptCheckedRecognizer:
    """Wraps a recognizer: prompted Mandarin decodes must agree with an unprompted one."""

    def __init__(
        self,
        inner: Recognizer,
        min_agreement: float = MIN_AGREEMENT,
        settings: AsrSettings | None = None,
    ) -> None:
        self._inner = inner
        self._min = min_agreement
        self._settings = settings or AsrSettings()

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
        return checked(heard, plain, self._min, self._settings)

    def start_stream(self, sample_rate: int, options: RecognitionOptions) -> RecognitionStream:
        return BufferedStream(self, sample_rate, options)

    async def warm_up(self) -> None:
        await self._inner.warm_up()
