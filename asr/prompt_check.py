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

Agreement alone let echoes through that share sounds with the real words ("嗯嗯是我有什么事"
heard "本人请问有什么训练": the tail agrees) or with a garbled neutral hearing ("给我转人工" heard
"请问您哪天能还款："). ``hint_echo`` looks for the pieces of a copy: at least ``ECHO_CHARS``
characters, over ``ECHO_SHARE`` of the hearing, that sit in two hint characters in a row (请问,
本人, 下周) and for which the neutral hearing has no sound (same or near-homophone syllable); a
hearing that ends on the prompt's list punctuation (：；、) needs ``ECHO_CHARS_MARKED``.
Answer words the hint steered (不认识, 是本人, 你找谁 heard 你早睡) are in the neutral hearing
by sound and stay; so does a right hearing that merely ends on "：". The same test keeps a
name in the verification hint (``asr.hints.hint_for(name=...)``) out of a stranger's mouth.
When the neutral hearing itself prints its prompt (以下是普通话的句子, 13 renderings in the
bench cache), nothing was heard.
Measured with ``bench/stage_echo.py``; no extra decode (<1 ms of Python per turn).
Where the hearing kept names no day and the neutral one does, ``asr.day_opinion`` lends the
neutral day (not at verification or read-back).
"""

from __future__ import annotations

import math
import re
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
from asr.day_opinion import with_neutral_day
from asr.settings import AsrSettings
from asr.stream import BufferedStream

# the check's own decode: no collection words to copy, but it keeps Whisper in simplified script
NEUTRAL_PROMPTS = {"zh": "以下是普通话的句子。"}
MIN_AGREEMENT = 0.3  # below: the prompted decode is taken for an echo of its prompt
# hint characters in the prompted hearing that the neutral hearing has no sound for: this many
# (and this share of the hearing) are the hint copied, not steered
ECHO_CHARS = 3
ECHO_SHARE = 0.3
ECHO_CHARS_MARKED = 2  # ... when the hearing ends on the prompt's list punctuation
COPIED_RUN = 5  # this many prompt characters in a row: the prompt printed, not the audio
_HANZI = re.compile(r"[\u4e00-\u9fff]")
_PROMPT_MARKS = ("：", ":", "；", "、")  # the prompts' list punctuation: a speaker never ends on it
__all__ = [
    "COPIED_RUN", "ECHO_CHARS", "ECHO_CHARS_MARKED", "ECHO_SHARE", "MIN_AGREEMENT",
    "NEUTRAL_PROMPTS", "PromptCheckedRecognizer", "agreement", "checked", "copies",
    "edit_distance", "hint_echo", "soft_distance", "syllable_cost", "syllables",
]  # fmt: skip


def _hanzi(text: str) -> str:
    return "".join(_HANZI.findall(text))


def _copied(text: str, hint: str, digits: bool) -> str:
    """The characters of ``text`` that sit in a pair of hint characters in a row (请问, 本人,
    下周): the pieces a copy is made of; a lone hint character is a sound the hint spelled.
    ``digits``: the neutral hearing printed numbers as digits, so numerals are left out."""
    pairs = {hint[i : i + 2] for i in range(len(hint) - 1)}
    skip = _NUMERALS if digits else frozenset()
    return "".join(
        ch
        for i, ch in enumerate(text)
        if ch not in skip and (text[i : i + 2] in pairs or text[max(0, i - 1) : i + 1] in pairs)
    )


def _unheard(chars: str, plain: str) -> int:
    """How many of ``chars`` have no syllable in the neutral hearing ``plain`` near their own
    (the same or a near homophone: 还/环, 找/早 count as heard)."""
    heard = set(syllables(plain))
    return sum(1 for s in syllables(chars) if all(syllable_cost(s, h) > NEAR for h in heard))


NEAR = 0.25  # syllable_cost of a near homophone
_NUMERALS = frozenset("零一二三四五六七八九十百千万两")


def hint_echo(heard: str, prompt: str, plain: str) -> bool:
    """Does the prompted hearing copy its prompt? ``ECHO_CHARS`` of its characters, and over
    ``ECHO_SHARE`` of them, are pieces of the hint (two hint characters in a row) that the
    neutral hearing of the same audio has no sound for ("本人请问有什么训练" for 嗯嗯是我有什么
    事); ending on the prompt's list punctuation ("请问您哪天能还款：") lowers the count to
    ``ECHO_CHARS_MARKED``. The hint's answer words heard alike without it (不认识, 是本人, 你找谁
    heard 你早睡) are no echo: the hint steered between sounds that were there."""
    text, hint = _hanzi(heard), _hanzi(prompt)
    if not text or not hint:
        return False
    least = ECHO_CHARS_MARKED if heard.rstrip().endswith(_PROMPT_MARKS) else ECHO_CHARS
    unheard = _unheard(_copied(text, hint, any(ch.isdigit() for ch in plain)), plain)
    return unheard >= least and unheard / len(text) > ECHO_SHARE


def copies(text: str, prompt: str, run: int = COPIED_RUN) -> bool:
    """Does ``text`` carry ``run`` characters in a row of ``prompt`` (以下是普通 of the neutral
    prompt: Whisper printed its prompt, not the audio)?"""
    said, source = _hanzi(text), _hanzi(prompt)
    return bool(source) and any(said[i : i + run] in source for i in range(len(said) - run + 1))


def checked(
    heard: Transcript,
    plain: Transcript,
    min_agreement: float,
    settings: AsrSettings,
    prompt: str = "",
) -> Transcript:
    """The prompted hearing checked against the neutral one: below ``min_agreement``, or when it
    copies its ``prompt`` (``hint_echo``), the prompt put words in (an echo): the neutral text
    with the lower confidence of the two; otherwise the prompted text, its confidence combined
    with the neutral decode's as a second opinion (``asr.agreement.combine``) when
    ``settings.second_neutral`` is on. An echo whose neutral hearing copies the neutral prompt
    is nothing heard (empty, confidence 0). A hearing of one character (对, 是) is never raised
    by agreement: a stranger's "嗯？" was heard "对。" by both decodes (0.34 / 0.25, zh8)."""
    echo = agreement(heard.text, plain.text) < min_agreement or hint_echo(
        heard.text, prompt, plain.text
    )
    if echo and copies(plain.text, NEUTRAL_PROMPTS.get(plain.language, "")):
        # the neutral hearing copies its own prompt (以下是普通话的句子): neither hearing is
        # what was said; nothing heard, so the question is asked again
        return replace(plain, text="", words=(), confidence=0.0)
    if not settings.second_neutral:
        return plain if echo else heard
    if echo:
        low = min(heard.confidence or 0.0, plain.confidence or 0.0)
        return replace(plain, confidence=round(low, 4))
    one_sound = len(_hanzi(heard.text)) == 1  # 对, 是: two decoders hear a grunt alike
    return combine(
        heard,
        plain,
        settings.second_agree,
        raise_from=math.inf if one_sound else settings.second_raise_from,
        prefer_first=True,
        alone_from=settings.second_alone_from,
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
        context = options.prompt
        if context is None:  # Whisper's context is then the domain prompt
            context = self._settings.default_prompt(options.language) or ""
        context += "".join(options.hotwords)
        kept = checked(heard, plain, self._min, self._settings, context)
        return with_neutral_day(kept, plain, options.stage)  # a day only the neutral one heard

    def start_stream(self, sample_rate: int, options: RecognitionOptions) -> RecognitionStream:
        return BufferedStream(self, sample_rate, options)

    async def warm_up(self) -> None:
        await self._inner.warm_up()
