"""A second decode of the same audio where a wrong hearing costs the most, and the two combined.

The bot asks a real debtor "is this {name}?" again whenever the recogniser is unsure of a
"yes", and an amount or a date misheard is a wrong promise. On those turns a second,
independent decode of the same audio is cheap evidence: two decoders that print the same words
are rarely both wrong, two that disagree say the audio is unclear.

- **Gate** (``gated_by_stage``, ``gated_by_hearing``): the second decode runs on the answer to
  the verification question (``RecognitionOptions.stage``, known when the turn starts: both
  decodes run concurrently, so the turn waits for the slower one only), and on any other turn
  (but a confirmation) whose first hearing is under ``ASR_SECOND_BELOW`` or carries a number
  (decoded after the first: those turns are rarer and their wait is the second decode's).
- **Combine** (``combine``): the hearings agree when their words (English: case and punctuation
  folded) or syllables (Mandarin: toneless pinyin) match to at least ``ASR_SECOND_AGREE``
  (``asr.agreement.combine``). Agreement raises the confidence to ``1 - (1 - a)(1 - b)`` (two
  independent witnesses; not for a first hearing under ``ASR_SECOND_RAISE_FROM``); disagreement
  never raises it: the lower of the two, and the words of the surer decode (``ASR_SECOND_TEXT``),
  but never at verification or confirmation (``OWN_WORDS``). A first hearing that is empty
  (noise, no words) stays empty whatever the second decode makes of the noise.

English: the first decode is tiny.en, the second Whisper base (multilingual, shipped for
Mandarin) told the language is English: another model, another training run, ~0.13 CPU-s per
turn. Mandarin: ``asr.prompt_check`` already decodes every prompted turn a second time with a
neutral prompt (its echo check); that decode is the second opinion there (no extra CPU).
Measured in docs/nlu.md ("A second opinion") and docs/performance.md.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace

from asr import models
from asr.agreement import combine
from asr.base import (
    RecognitionOptions,
    RecognitionStream,
    Recognizer,
    Transcript,
)
from asr.prompt_check import PromptCheckedRecognizer
from asr.settings import AsrSettings
from asr.stream import BufferedStream
from asr.whisper import WhisperRecognizer
from core.logging import get_logger

_log = get_logger(__name__)
# a number said or printed: digits, English number words, Mandarin numerals and day words
_NUMBER_EN = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fifteen|"
    r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|grand|bucks?|"
    r"dollars?|monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|week|month|"
    r"first|second|third|\w+teenth|\w+tieth)\b",
    re.I,
)
# the answers whose words are always the first decode's: a yes to "is this {name}?" or to "shall
# I record ...?" is never made of the second decoder's words ("Who?" heard "Two." by tiny.en and
# "Yeah." by base, measured)
OWN_WORDS = frozenset({"verify", "confirm"})
_NUMBER_ZH = re.compile(r"[\d零一二三四五六七八九十百千万两块元号日周礼拜月天]")


def carries_number(text: str, language: str) -> bool:
    """Does the hearing seem to carry an amount or a date (digits, number or day words)?"""
    return bool((_NUMBER_ZH if language == "zh" else _NUMBER_EN).search(text))


def gated_by_stage(options: RecognitionOptions, settings: AsrSettings) -> bool:
    """Known before decoding: the caller answers a question where a wrong "yes" costs most."""
    return (
        options.language in settings.second_languages
        and options.stage is not None
        and options.stage in settings.second_stages
    )


def gated_by_hearing(first: Transcript, options: RecognitionOptions, settings: AsrSettings) -> bool:
    """Known after the first decode: it is unsure, or it heard a number (never an empty one, and
    never at a stage whose answers keep their first words: nothing there to change)."""
    if first.is_empty or options.language not in settings.second_languages:
        return False
    if options.stage in OWN_WORDS:
        return False
    unsure = first.confidence is None or first.confidence < settings.second_below
    return unsure or (settings.second_numbers and carries_number(first.text, options.language))


def settle(
    first: Transcript, second: Transcript, options: RecognitionOptions, settings: AsrSettings
) -> Transcript:
    """The two hearings of a gated turn as one (``asr.agreement.combine`` with the settings)."""
    keep_first = settings.second_text == "first" or options.stage in OWN_WORDS
    return combine(
        first,
        second,
        settings.second_agree,
        raise_from=settings.second_raise_from,
        prefer_first=keep_first,
        alone_from=settings.second_alone_from,
    )


def second_options(options: RecognitionOptions) -> RecognitionOptions:
    """The second decode hears with the language's domain prompt, not a stage hint."""
    return replace(options, prompt=None, hotwords=())


def second_decoder(settings: AsrSettings | None = None) -> WhisperRecognizer:
    """The English second decoder: Whisper base (multilingual) decoding English."""
    s = settings or AsrSettings()
    return WhisperRecognizer(
        s.model_copy(update={"whisper_en_model_dir": models.whisper_zh_dir(s)})
    )


class SecondOpinionRecognizer:
    """Wraps the product's recognizer: a second decode on gated turns, the two combined."""

    def __init__(
        self,
        first: Recognizer,
        second: Recognizer | None = None,
        settings: AsrSettings | None = None,
    ) -> None:
        self._settings = settings or AsrSettings()
        self._first = first
        self._second = second if second is not None else second_decoder(self._settings)

    @property
    def languages(self) -> frozenset[str]:
        return self._first.languages

    async def transcribe(
        self, pcm: bytes, sample_rate: int, options: RecognitionOptions
    ) -> Transcript:
        s = self._settings
        other = second_options(options)
        if gated_by_stage(options, s):
            first, second = await asyncio.gather(
                self._first.transcribe(pcm, sample_rate, options),
                self._second.transcribe(pcm, sample_rate, other),
            )
        else:
            first = await self._first.transcribe(pcm, sample_rate, options)
            if not gated_by_hearing(first, options, s):
                return first
            second = await self._second.transcribe(pcm, sample_rate, other)
        heard = settle(first, second, options, s)
        _log.info(
            "asr.second_opinion.combined",
            language=options.language,
            stage=options.stage,
            first_confidence=first.confidence,
            second_confidence=second.confidence,
            confidence=heard.confidence,
            agreement=heard.signals.agreement if heard.signals else None,
        )
        return heard

    def start_stream(self, sample_rate: int, options: RecognitionOptions) -> RecognitionStream:
        return BufferedStream(self, sample_rate, options)

    async def warm_up(self) -> None:
        await self._first.warm_up()
        await self._second.warm_up()


def product_recognizer(settings: AsrSettings | None = None) -> SecondOpinionRecognizer:
    """The recogniser of a live call: Whisper, its Mandarin prompt check (whose neutral decode is
    the Mandarin second opinion), and the English second decode on gated turns."""
    s = settings or AsrSettings()
    checked = PromptCheckedRecognizer(WhisperRecognizer(s), settings=s)
    return SecondOpinionRecognizer(checked, second_decoder(s), s)
