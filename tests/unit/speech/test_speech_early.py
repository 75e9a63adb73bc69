"""EarlyTranscriber with the endpointer: decode at the first pause, reuse it at the turn end."""

from __future__ import annotations

import asyncio

from asr.base import RecognitionOptions, Transcript
from asr.early import EarlyTranscriber
from asr.errors import RecognitionError
from asr.fake import FakeRecognizer
from asr.settings import AsrSettings
from asr.vad import Endpointer, SpeechEnded, SpeechPaused
from tts.fake import FakeSynthesizer

RATE = 8000
OPTIONS = RecognitionOptions.of("en")


def _settings() -> AsrSettings:
    return AsrSettings(vad_pause_ms=200, vad_end_silence_ms=600)


async def _turn_end(
    audio: bytes, recognizer: FakeRecognizer
) -> tuple[list[Transcript], list[SpeechPaused], EarlyTranscriber]:
    paused: list[SpeechPaused] = []
    texts: list[Transcript] = []
    async with asyncio.TaskGroup() as tg:
        early = EarlyTranscriber(recognizer, RATE, OPTIONS, tg)

        def on_pause(p: SpeechPaused) -> None:
            paused.append(p)
            early.on_pause(p)

        endpointer = Endpointer(RATE, settings=_settings(), on_pause=on_pause)
        for start in range(0, len(audio), 320):
            for event in endpointer.feed(audio[start : start + 320]):
                if isinstance(event, SpeechEnded):
                    texts.append(await early.transcribe(event))
            await asyncio.sleep(0)
    return texts, paused, early


async def test_pause_then_end_reuses_the_early_decode() -> None:
    speech = await FakeSynthesizer().synthesize("I can pay on Friday.", "en", RATE)
    recognizer = FakeRecognizer(["I can pay on Friday"])
    texts, paused, early = await _turn_end(bytes(8000) + speech + bytes(16000), recognizer)
    assert [t.text for t in texts] == ["I can pay on Friday"]
    assert len(paused) == 1
    assert (early.reused, early.discarded) == (1, 0)
    assert len(recognizer.heard) == 1  # decoded once, at the pause


async def test_speech_after_the_pause_discards_the_early_decode() -> None:
    synth = FakeSynthesizer()
    first = await synth.synthesize("I can pay", "en", RATE)
    second = await synth.synthesize("on Friday.", "en", RATE)
    gap = bytes(RATE * 2 * 350 // 1000)  # longer than the pause, shorter than the end
    recognizer = FakeRecognizer(["I can pay", "I can pay on Friday"])
    texts, paused, early = await _turn_end(first + gap + second + bytes(16000), recognizer)
    assert len(paused) == 2
    assert early.discarded == 1
    assert early.reused == 1
    assert len(texts) == 1
    assert texts[0].text == "I can pay on Friday"
    assert len(recognizer.heard[-1]) > len(first) + len(second)


def test_pause_audio_is_the_audio_of_the_end() -> None:
    speech = asyncio.run(FakeSynthesizer().synthesize("Hello there.", "en", RATE))
    paused: list[SpeechPaused] = []
    endpointer = Endpointer(RATE, settings=_settings(), on_pause=paused.append)
    events = endpointer.feed(bytes(4000) + speech + bytes(16000))
    ended = events[-1]
    assert isinstance(ended, SpeechEnded)
    assert paused[0].offset_ms == ended.offset_ms
    assert paused[0].pcm == ended.pcm


class FailingRecognizer(FakeRecognizer):
    async def transcribe(
        self, pcm: bytes, sample_rate: int, options: RecognitionOptions
    ) -> Transcript:
        raise RecognitionError("engine broke")


async def test_an_early_decode_error_surfaces_at_the_turn_end_not_in_the_task_group() -> None:
    speech = await FakeSynthesizer().synthesize("Hello there.", "en", RATE)
    caught: list[RecognitionError] = []
    async with asyncio.TaskGroup() as tg:  # would raise an ExceptionGroup if the task failed
        early = EarlyTranscriber(FailingRecognizer(), RATE, OPTIONS, tg)
        endpointer = Endpointer(RATE, settings=_settings(), on_pause=early.on_pause)
        for event in endpointer.feed(bytes(4000) + speech + bytes(16000)):
            if isinstance(event, SpeechEnded):
                await asyncio.sleep(0.01)  # the early decode has run and failed by now
                try:
                    await early.transcribe(event)
                except RecognitionError as e:
                    caught.append(e)
    assert [str(e) for e in caught] == ["engine broke"]
    assert early.reused == 1
