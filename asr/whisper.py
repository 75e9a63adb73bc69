"""Whisper through CTranslate2 directly: int8, a fixed 10 s encoder window for short turns.

faster-whisper pads every input to 30 s, so each caller turn costs ~0.7 CPU-s whatever its
length. CTranslate2's Whisper accepts any feature length up to 3000 frames: an utterance under
``whisper_long_threshold_s`` is padded with silence to a ``whisper_window_s`` window (1000
frames for 10 s) before the log-mel, which cuts the cost ~5x with a similar WER; longer
utterances use the full 30 s window, and audio over 30 s is decoded in 30 s pieces.
English uses tiny.en, Mandarin uses Whisper base (multilingual). A domain ``prompt`` is fed as
the previous-text context (Whisper's ``initial_prompt``), which halves the WER on collection
vocabulary; hotwords are appended to it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import math
import re
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path

import ctranslate2
import numpy as np
import tokenizers
from faster_whisper.feature_extractor import FeatureExtractor
from faster_whisper.tokenizer import Tokenizer

from asr import models
from asr.audio import FloatArray, duration_ms, pcm_to_float_at
from asr.base import RecognitionOptions, RecognitionSignals, RecognitionStream, Transcript
from asr.errors import RecognitionError, UnsupportedLanguageError
from asr.executor import pool, run_in
from asr.settings import AsrSettings
from asr.speech_gate import speech_ms
from asr.stream import BufferedStream
from core.logging import get_logger
from nlu.simplified import to_simplified

WHISPER_RATE = 16000
_HOP = 160
_MAX_FRAMES = 3000
_MAX_TOKENS = 448
_log = get_logger(__name__)
_blas_lock = threading.Lock()
_blas_limited = False


@dataclass(frozen=True, slots=True)
class LoadedWhisper:
    """One CTranslate2 Whisper model with its tokenizer and feature extractor (thread-safe)."""

    model: ctranslate2.models.Whisper
    tokenizer: tokenizers.Tokenizer
    features: FeatureExtractor
    multilingual: bool


def _limit_blas_threads() -> None:
    """One OpenBLAS thread: the log-mel matmul otherwise takes the second core from a call."""
    global _blas_limited
    with _blas_lock:
        if _blas_limited:
            return
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=1, user_api="blas")
        _blas_limited = True


_load_lock = threading.Lock()


def load_whisper(
    model_dir: str, inter_threads: int, intra_threads: int, compute_type: str = "int8"
) -> LoadedWhisper:
    """Load a Whisper model once per process (cached by directory, threads and precision)."""
    with _load_lock:  # two calls starting together must not load the model twice
        return _load_whisper(model_dir, inter_threads, intra_threads, compute_type)


@functools.cache
def _load_whisper(
    model_dir: str, inter_threads: int, intra_threads: int, compute_type: str
) -> LoadedWhisper:
    """Load a model once per process (cached by directory, thread layout and precision)."""
    try:
        model = ctranslate2.models.Whisper(
            model_dir,
            device="cpu",
            compute_type=compute_type,
            inter_threads=inter_threads,
            intra_threads=intra_threads,
        )
        tokenizer = tokenizers.Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
    except (RuntimeError, OSError, ValueError) as e:
        raise RecognitionError(f"cannot load Whisper model from {model_dir}") from e
    _log.info("asr.whisper.model_loaded", model_dir=model_dir, multilingual=model.is_multilingual)
    return LoadedWhisper(
        model=model,
        tokenizer=tokenizer,
        features=FeatureExtractor(feature_size=model.n_mels),
        multilingual=bool(model.is_multilingual),
    )


_TAIL = 800  # zeros after the audio: every STFT window (400) that reaches past it sees zeros
_SILENT_LOG = -10.0  # log10 of the power floor: what a frame of padding silence measures


def log_mel(fe: FeatureExtractor, audio: FloatArray, window_s: int) -> FloatArray:
    """The log-mel of the audio padded with silence to ``window_s`` seconds, exactly as
    faster-whisper's ``FeatureExtractor(padded, padding=160)`` computes it, but with the STFT run
    over the audio only: a frame of the padding is the floor value, so the 10 s window of a 2 s
    turn costs 0.2-0.5 CPU-ms instead of 1.8-2.2 (bench/whisper_cost_bench.py)."""
    n_samples = window_s * WHISPER_RATE
    frames = n_samples // _HOP
    used = min(audio.size, n_samples)
    part = np.zeros(min(n_samples, used + _TAIL) + _HOP, dtype=np.float32)
    part[:used] = audio[:used]
    window = np.hanning(fe.n_fft + 1)[:-1].astype(np.float32)
    stft = fe.stft(part, fe.n_fft, fe.hop_length, window=window, return_complex=True)
    power = np.abs(stft.astype(np.complex64)[..., :-1]) ** 2
    log = np.log10(np.clip(fe.mel_filters @ power, a_min=1e-10, a_max=None))
    mel = np.full((log.shape[0], frames), _SILENT_LOG, dtype=np.float32)
    mel[:, : min(frames, log.shape[1])] = log[:, :frames]
    mel = np.maximum(mel, mel.max() - 8.0)
    return np.ascontiguousarray((mel + 4.0) / 4.0, dtype=np.float32)


def _compression_ratio(text: str) -> float:
    """How repetitive a decode is (faster-whisper's check): "I'm I'm I'm ..." scores > 2.4."""
    data = text.encode()
    return len(data) / len(zlib.compress(data)) if data else 0.0


def worst_signals(pieces: list[RecognitionSignals]) -> RecognitionSignals:
    """One utterance's scores from its 30 s pieces: the least confident value of each."""
    return RecognitionSignals(
        avg_logprob=min((p.avg_logprob for p in pieces if p.avg_logprob is not None), default=None),
        no_speech_prob=max(
            (p.no_speech_prob for p in pieces if p.no_speech_prob is not None), default=None
        ),
        compression_ratio=max(
            (p.compression_ratio for p in pieces if p.compression_ratio is not None), default=None
        ),
        content_logprob=min(
            (p.content_logprob for p in pieces if p.content_logprob is not None), default=None
        ),
    )


def whisper_confidence(
    signals: RecognitionSignals, max_compression: float = 2.4, *, speech_found: bool = False
) -> float:
    """One number in 0..1 from Whisper's scores: the mean token probability (exp avg_logprob)
    times the probability that there was speech at all; a looping decode scores 0.

    ``speech_found``: the speech gate (Silero VAD) already found speech in the audio, so
    Whisper's own no-speech guess is not asked again (it is 0.4-0.5 on short Mandarin answers
    such as 对，是我 and would refuse every clear "yes"). The token probability is that of the
    words' own tokens where it was measured (``content_logprob``): on a two-character answer
    the closing "。" (is it "？"?) and the end of text are half the tokens
    (``AsrSettings.whisper_content_confidence_languages``; measured, off: docs/nlu.md,
    "Session 13, zh10")."""
    if signals.compression_ratio is not None and signals.compression_ratio > max_compression:
        return 0.0
    logprob = signals.avg_logprob if signals.content_logprob is None else signals.content_logprob
    token_p = math.exp(min(logprob or 0.0, 0.0))
    speech_p = 1.0 if speech_found else 1.0 - (signals.no_speech_prob or 0.0)
    return round(max(0.0, min(1.0, token_p * speech_p)), 4)


def is_word_token(piece: str) -> bool:
    """A token that carries the words (a letter, digit or hanzi, or a piece of one: a hanzi
    split over two byte tokens decodes to U+FFFD alone), not punctuation or a space."""
    return any(ch.isalnum() or ch == "\ufffd" for ch in piece)


def content_logprob(
    loaded: LoadedWhisper, encoded: ctranslate2.StorageView, prompt: list[int], ids: list[int]
) -> float | None:
    """The mean log-probability of the words' own tokens of a decode (``ids``, the end of text
    left out), read from one forced pass of the decoder over the prompt and ``ids`` on the same
    encoder output (no second encode). The closing mark and the end of text are left
    out: on 是我。 they are half the tokens, and whether the answer ends on "。" or "？" says
    nothing about whether 是我 was said. None: no such token."""
    if not ids:
        return None
    forced = loaded.model.generate(
        encoded,
        [prompt + ids],
        beam_size=1,
        max_length=len(prompt) + len(ids) + 1,
        return_logits_vocab=True,
        suppress_blank=False,
        suppress_tokens=[],
    )[0]
    scores: list[float] = []
    for token, step in zip(ids, forced.logits[0], strict=False):
        if not is_word_token(str(loaded.tokenizer.decode([token]))):
            continue
        x = np.asarray(step, dtype=np.float32).astype(np.float64)
        top = float(x.max())
        scores.append(float(x[token]) - top - math.log(float(np.exp(x - top).sum())))
    return round(sum(scores) / len(scores), 4) if scores else None


_SENTENCE = re.compile(r"(?<=[.!?。！？])\s*")


def _gist(sentence: str) -> str:
    return "".join(ch for ch in sentence.lower() if ch.isalnum())


def drop_repeats(text: str) -> str:
    """Whisper loops on short turns padded with silence ("No. No. No. No"): keep one.

    A sentence equal to the one before it (letters and digits compared) is dropped, and so is
    a trailing fragment that merely starts the previous sentence again.
    """
    kept: list[str] = []
    pieces = [p.strip() for p in _SENTENCE.split(text) if p.strip()]
    for index, sentence in enumerate(pieces):
        gist = _gist(sentence)
        if kept and gist == _gist(kept[-1]):
            continue
        last = index == len(pieces) - 1
        if kept and last and gist and _gist(kept[-1]).startswith(gist):
            continue
        kept.append(sentence)
    joiner = "" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else " "
    return joiner.join(kept)


class WhisperRecognizer:
    """English (tiny.en) and, when its wheels are installed, Mandarin (base) Whisper."""

    def __init__(self, settings: AsrSettings | None = None) -> None:
        self._settings = settings or AsrSettings()
        langs = {"en"}
        if self._settings.whisper_zh_model_dir is not None or models.whisper_base_available():
            langs.add("zh")
        self._languages = frozenset(langs)

    @property
    def languages(self) -> frozenset[str]:
        return self._languages

    def _model_for(self, language: str) -> LoadedWhisper:
        if language not in self._languages:
            raise UnsupportedLanguageError(f"Whisper has no model for {language!r}")
        s = self._settings
        if s.whisper_limit_blas_threads:
            _limit_blas_threads()
        if language == "en":
            path, precision = models.whisper_en_dir(s), "int8"
        else:
            path, precision = models.whisper_zh_dir(s), s.whisper_zh_compute_type
        return load_whisper(str(path), s.whisper_inter_threads, s.whisper_intra_threads, precision)

    def _prompt_tokens(self, loaded: LoadedWhisper, options: RecognitionOptions) -> list[int]:
        tok = Tokenizer(
            loaded.tokenizer,
            loaded.multilingual,
            task="transcribe" if loaded.multilingual else None,
            language=options.language if loaded.multilingual else None,
        )
        context = options.prompt
        if context is None:
            context = self._settings.default_prompt(options.language)
        context = " ".join(p for p in (context, ", ".join(options.hotwords)) if p)
        tokens: list[int] = []
        if context:
            tokens = [tok.sot_prev, *tok.encode(" " + context.strip())[-(_MAX_TOKENS // 2 - 1) :]]
        return [*tokens, *tok.sot_sequence, tok.no_timestamps]

    def _decode_piece(
        self,
        loaded: LoadedWhisper,
        audio: FloatArray,
        prompt: list[int],
        beam: int,
        gated: bool,
        content: bool = False,
    ) -> tuple[str, RecognitionSignals]:
        s = self._settings
        seconds = audio.size / WHISPER_RATE
        window = s.whisper_window_s if seconds < s.whisper_long_threshold_s else 30
        mel = log_mel(loaded.features, audio, window)
        max_new = min(_MAX_TOKENS - len(prompt), int(seconds * 6) + 10)
        encoded = loaded.model.encode(ctranslate2.StorageView.from_array(mel[np.newaxis]))
        result = loaded.model.generate(
            encoded,
            [prompt],
            beam_size=beam,
            max_length=len(prompt) + max_new,
            suppress_blank=True,
            suppress_tokens=[-1],
            return_scores=True,
            return_no_speech_prob=True,
            no_repeat_ngram_size=0,  # with a prompt, 4 forced reworded repeats (measured)
        )[0]
        eot = loaded.tokenizer.token_to_id("<|endoftext|>")
        ids = [t for t in result.sequences_ids[0] if t < eot]
        avg_logprob = float(result.scores[0]) if result.scores else 0.0
        raw = str(loaded.tokenizer.decode(ids)).strip()
        signals = RecognitionSignals(
            avg_logprob=avg_logprob,
            no_speech_prob=float(result.no_speech_prob),
            compression_ratio=_compression_ratio(raw),
        )
        text = drop_repeats(raw)
        unsure = avg_logprob < s.whisper_logprob_threshold
        # with the speech gate on, Silero has already found speech in this audio: Whisper's own
        # no-speech guess (0.4-0.5 on short Mandarin answers like 对，是我 / 不是) is not asked
        doubts_speech = not gated and result.no_speech_prob > (s.whisper_no_speech_threshold)
        if (
            (doubts_speech and unsure)
            or avg_logprob < s.whisper_min_logprob
            or _compression_ratio(text) > s.whisper_compression_ratio_threshold
        ):
            return "", signals
        if content:  # the words' own tokens scored (the closing mark and the end left out)
            lp = content_logprob(loaded, encoded, prompt, ids)
            signals = dataclasses.replace(signals, content_logprob=lp)
        return text, signals

    def transcribe_sync(
        self, pcm: bytes, sample_rate: int, options: RecognitionOptions
    ) -> Transcript:
        """Blocking decode of one utterance (call it from a worker thread)."""
        loaded = self._model_for(options.language)
        audio = pcm_to_float_at(pcm, sample_rate, WHISPER_RATE)
        prompt = self._prompt_tokens(loaded, options)
        s = self._settings
        beam = s.whisper_zh_beam_size if options.language == "zh" else s.whisper_beam_size
        piece = _MAX_FRAMES * _HOP
        in_gate = options.language in s.whisper_speech_gate_languages
        gate = s.whisper_min_speech_ms if in_gate else 0
        content = options.language in s.whisper_content_confidence_languages
        try:
            pieces = [
                self._decode_piece(
                    loaded, audio[start : start + piece], prompt, beam, bool(gate), content
                )
                for start in range(0, max(audio.size, 1), piece)
                if not gate or speech_ms(audio[start : start + piece]) >= gate
            ]
        except RuntimeError as e:
            raise RecognitionError("Whisper decoding failed") from e
        sep = "" if options.language == "zh" else " "
        text = sep.join(t for t, _ in pieces if t)
        if options.language == "zh":
            text = to_simplified(text)
        signals = worst_signals([sig for t, sig in pieces if t] or [sig for _, sig in pieces])
        _log.debug(
            "asr.whisper.decoded",
            language=options.language,
            audio_ms=duration_ms(pcm, sample_rate),
            empty=not text,
            avg_logprob=signals.avg_logprob,
            no_speech_prob=signals.no_speech_prob,
            content_logprob=signals.content_logprob,
            **{"pii.text": text},
        )
        return Transcript(
            text=text,
            language=options.language,
            final=True,
            audio_ms=duration_ms(pcm, sample_rate),
            words=tuple(text.split()),
            confidence=whisper_confidence(
                signals, s.whisper_compression_ratio_threshold, speech_found=bool(gate)
            )
            if text
            else 0.0,
            signals=signals,
        )

    async def transcribe(
        self, pcm: bytes, sample_rate: int, options: RecognitionOptions
    ) -> Transcript:
        workers = pool("asr-whisper", self._settings.whisper_inter_threads)
        return await run_in(workers, self.transcribe_sync, pcm, sample_rate, options)

    def start_stream(self, sample_rate: int, options: RecognitionOptions) -> RecognitionStream:
        if options.language not in self._languages:
            raise UnsupportedLanguageError(f"Whisper has no model for {options.language!r}")
        return BufferedStream(self, sample_rate, options)

    async def warm_up(self) -> None:
        for language in sorted(self._languages):
            await asyncio.to_thread(self._model_for, language)
