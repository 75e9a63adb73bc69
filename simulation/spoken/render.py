"""Text -> voice -> telephone line -> recogniser, cached by content hash, on a process pool.

A :class:`Rendering` is one utterance spoken by one voice at one rate through one line and
heard by the product's recogniser. Its transcript is cached in ``<cache>/spoken/<key>.json``
where the key hashes everything that changes the result (text, language, voice identity and
rate, channel parameters, seed, recogniser model and decoding settings, the record format), so
a re-run redoes only what changed. Each record keeps the recogniser's confidence next to the
transcript (the policy weighs evidence by it). The NLU is not part of the key: transcripts are
parsed afresh by the caller.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from multiprocessing import get_context
from pathlib import Path

from asr import models
from asr.base import RecognitionOptions
from asr.prompt_check import NEUTRAL_PROMPTS
from asr.second_opinion import second_decoder, second_options
from asr.settings import AsrSettings
from asr.whisper import WhisperRecognizer
from core.logging import configure_logging
from simulation.spoken.channel import ChannelParams, TelephoneChannel
from simulation.spoken.voices import Voice, available_synthesizers
from tts.base import Synthesizer
from tts.settings import TtsSettings

SYNTH_RATE = 16000
# bump when a record gains a field: older records are then rendered again (2: confidence)
RECORD_VERSION = 2
ProgressFn = Callable[[int, int, int], None]


def cache_root() -> Path:
    """``$COLLECTBOT_HOME/cache`` when set, else ``~/.cache/collectbot``."""
    home = os.environ.get("COLLECTBOT_HOME")
    return Path(home) / "cache" if home else Path.home() / ".cache" / "collectbot"


def tts_settings() -> TtsSettings:
    """Piper without sampling noise: the same text and rate always give the same audio."""
    return TtsSettings(piper_noise_scale=0.0, piper_noise_w_scale=0.0, piper_workers=1)


def asr_settings() -> AsrSettings:
    """The product's recogniser settings, one decoding thread per worker process."""
    return AsrSettings(whisper_inter_threads=1, whisper_intra_threads=1)


def recogniser_identity(language: str, settings: AsrSettings) -> str:
    """Model file and every decoding setting that can change a transcript."""
    folder = (
        models.whisper_en_dir(settings) if language == "en" else models.whisper_zh_dir(settings)
    )
    model = folder / "model.bin"
    decoding = settings.model_dump(
        mode="json",
        exclude={
            "cache_dir", "whisper_inter_threads", "vosk_workers",
            *(name for name in AsrSettings.model_fields if name.startswith("second_")),
            *_SCORING,
        },
    )  # fmt: skip
    return json.dumps(
        {"model": folder.name, "size": model.stat().st_size, "settings": decoding}, sort_keys=True
    )


# settings that change a hearing's confidence, never its words: in the cache key, not in the
# line-noise seed (the audio of a line stays the one every earlier run heard)
_SCORING = ("whisper_content_confidence_languages",)


def scoring_identity(settings: AsrSettings) -> str:
    """The settings in ``_SCORING`` that differ from their defaults, for the cache key ("": all
    at their defaults, so the renderings cached before they existed keep their keys)."""
    changed = {
        name
        for name in _SCORING
        if getattr(settings, name) != AsrSettings.model_fields[name].default
    }
    return (
        json.dumps(settings.model_dump(mode="json", include=changed), sort_keys=True)
        if changed
        else ""
    )


_LOCATIONS = {"cache_dir", "voices_dir", "model_cache_dir", "piper_workers", "piper_threads"}
_FIXED = {"piper_noise_scale", "piper_noise_w_scale"}


def voice_overrides(settings: TtsSettings) -> str:
    """TTS settings changed from their defaults by the environment (``TTS_*``) that can change
    the audio, e.g. espeak-ng's words per minute; empty when there are none."""
    changed = settings.model_dump(mode="json", exclude_defaults=True, exclude=_LOCATIONS | _FIXED)
    return json.dumps(changed, sort_keys=True) if changed else ""


@dataclass(frozen=True, slots=True)
class Rendering:
    """One utterance through one voice and the line; ``transcript`` is what was heard and
    ``confidence`` the recogniser's belief in it (None: the recogniser gave none)."""

    text: str
    voice: Voice
    transcript: str
    key: str
    confidence: float | None = None
    cached: bool = False


@dataclass(frozen=True, slots=True)
class Heard:
    """What the recogniser returned for one rendering."""

    text: str
    confidence: float | None


@dataclass(frozen=True, slots=True)
class Job:
    text: str
    voice: Voice
    voice_id: str
    seed: int
    key: str
    prompt: str | None = None  # the recogniser's context; None: the domain prompt
    second: bool = False  # heard by the second decoder (asr.second_opinion), not the first


def _digest(parts: list[object]) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:32]


class SpokenPipeline:
    """Renders utterances through every voice of a language; thread-unsafe, one per run."""

    def __init__(
        self,
        language: str,
        channel: ChannelParams | None = None,
        seed: int = 0,
        cache_dir: Path | None = None,
    ) -> None:
        self.language = language
        self.channel = channel or ChannelParams()
        self.seed = seed
        self.cache_dir = (cache_dir or cache_root()) / "spoken"
        self.engines, self.skipped = available_synthesizers(tts_settings())
        self.recogniser = recogniser_identity(language, asr_settings())
        self.scoring = scoring_identity(asr_settings())
        self.voice_settings = voice_overrides(tts_settings())

    def job(self, text: str, voice: Voice, prompt: str | None = None, second: bool = False) -> Job:
        engine = self.engines[voice.engine]
        voice_id = engine.voice_id(self.language, voice.params())
        parts: list[object] = [
            text, self.language, voice_id, voice.rate, self.channel.key, self.seed,
            self.recogniser, RECORD_VERSION,
        ]  # fmt: skip
        if self.voice_settings:
            parts.append(self.voice_settings)
        key = _digest(parts)
        seed = int(key[:8], 16) ^ self.seed  # the same audio with or without a stage hint
        if self.scoring:  # a confidence setting off its default: renderings of their own
            parts.append(self.scoring)
            key = _digest(parts)
        if prompt is not None:  # heard with a stage hint: a rendering of its own
            key = _digest([*parts, {"prompt": prompt}])
        if second:  # the same audio heard by the second decoder
            key = _digest([*parts, {"second": second_identity(self.language)}])
        return Job(text, voice, voice_id, seed, key, prompt, second)

    def _path(self, key: str) -> Path:
        return self.cache_dir / key[:2] / f"{key}.json"

    def cached(self, job: Job) -> Rendering | None:
        """The job's rendering when the cache holds it (None: not yet rendered)."""
        path = self._path(job.key)
        if not path.is_file():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            transcript, confidence = str(data["transcript"]), data["confidence"]
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a torn or older file: redo it
        if confidence is not None and not isinstance(confidence, float | int):
            return None
        conf = None if confidence is None else float(confidence)
        return Rendering(job.text, job.voice, transcript, job.key, conf, cached=True)

    def _store(self, job: Job, heard: Heard) -> None:
        path = self._path(job.key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        record = {
            "text": job.text,
            "voice": job.voice_id,
            "rate": job.voice.rate,
            "transcript": heard.text,
            "confidence": heard.confidence,
        }
        tmp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)

    def run(
        self,
        texts: Sequence[str],
        voices: Sequence[Voice],
        workers: int = 2,
        progress: ProgressFn | None = None,
        prompt_of: Callable[[str], str | None] | None = None,
        second: bool = False,
    ) -> list[Rendering]:
        """Every text through every voice, in input order (text-major); ``prompt_of`` gives the
        recogniser's context for a text (a stage hint), None the domain prompt; ``second``:
        heard by the second decoder instead (``asr.second_opinion``)."""
        jobs = [
            self.job(text, voice, prompt_of(text) if prompt_of else None, second)
            for text in texts
            for voice in voices
        ]
        results: dict[str, Rendering] = {}
        todo: list[Job] = []
        for job in jobs:
            hit = self.cached(job)
            if hit is None:
                todo.append(job)
            else:
                results[job.key] = hit
        cached = len(results)
        if progress:
            progress(len(results), len(jobs), cached)
        if todo:

            def step(done: int) -> None:
                if progress:
                    progress(done + cached, len(jobs), cached)

            self._compute(todo, workers, results, step)
        return [results[job.key] for job in jobs]

    def _compute(
        self,
        todo: list[Job],
        workers: int,
        results: dict[str, Rendering],
        progress: Callable[[int], None],
    ) -> None:
        ctx = get_context("spawn")  # no forked model state or threads
        args = (self.language, self.channel)
        with ProcessPoolExecutor(workers, ctx, initializer=_init_worker, initargs=args) as pool:
            futures: dict[Future[Heard], Job] = {
                pool.submit(_work, job.text, job.voice, job.seed, job.prompt, job.second): job
                for job in todo
            }
            for done, future in enumerate(as_completed(futures), start=1):
                job = futures[future]
                heard = future.result()
                self._store(job, heard)
                results[job.key] = Rendering(
                    job.text, job.voice, heard.text, job.key, heard.confidence
                )
                progress(done)


# --- worker process -------------------------------------------------------------------------


@dataclass(slots=True)
class _WorkerState:
    language: str
    channel: TelephoneChannel
    engines: dict[str, Synthesizer]
    recogniser: WhisperRecognizer
    loop: asyncio.AbstractEventLoop
    second: WhisperRecognizer | None = None


_state: _WorkerState | None = None


def _init_worker(language: str, channel: ChannelParams) -> None:
    global _state
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    configure_logging(level="WARNING")
    engines, _ = available_synthesizers(tts_settings())
    _state = _WorkerState(
        language,
        TelephoneChannel(channel),
        engines,
        WhisperRecognizer(asr_settings()),
        asyncio.new_event_loop(),
    )


def render_once(
    text: str,
    voice: Voice,
    seed: int,
    state_engines: dict[str, Synthesizer],
    line: TelephoneChannel,
    recogniser: WhisperRecognizer,
    loop: asyncio.AbstractEventLoop,
    prompt: str | None = None,
    second: WhisperRecognizer | None = None,
) -> Heard:
    """Speak, transmit, recognise one utterance (blocking); ``second``: heard by this second
    decoder with the options a live second decode uses (``second_hearing_options``)."""
    engine = state_engines[voice.engine]
    pcm = loop.run_until_complete(
        engine.synthesize(text, voice.language, SYNTH_RATE, voice.params())
    )
    heard = line.transmit(pcm, SYNTH_RATE, seed)
    options = RecognitionOptions.of(voice.language, prompt)
    if second is not None:
        options = second_hearing_options(options)
    transcript = (second or recogniser).transcribe_sync(heard.pcm, heard.rate, options)
    return Heard(transcript.text, transcript.confidence)


def second_hearing_options(options: RecognitionOptions) -> RecognitionOptions:
    """What the live second decode hears with: English ``asr.second_opinion.second_options``
    (Whisper base, the domain prompt); Mandarin the neutral prompt of ``asr.prompt_check``."""
    neutral = NEUTRAL_PROMPTS.get(options.language)
    if options.language == "zh" and neutral is not None:
        return replace(options, prompt=neutral, hotwords=())
    return second_options(options)


def second_identity(language: str) -> str:
    """Everything that can change a second hearing (its model, settings and prompt)."""
    settings = asr_settings()
    if language == "zh":
        return json.dumps({"neutral": NEUTRAL_PROMPTS["zh"]}, ensure_ascii=False)
    base = models.whisper_zh_dir(settings) / "model.bin"
    return json.dumps({"second": "whisper-base", "size": base.stat().st_size, "v": 1})


def _work(
    text: str, voice: Voice, seed: int, prompt: str | None = None, second: bool = False
) -> Heard:
    if _state is None:
        raise RuntimeError("worker not initialised")
    s = _state
    decoder = None
    if second:
        if s.second is None:
            s.second = second_decoder(asr_settings()) if s.language == "en" else s.recogniser
        decoder = s.second
    return render_once(
        text, voice, seed, s.engines, s.channel, s.recogniser, s.loop, prompt, decoder
    )


def timed(label: str) -> ProgressFn:
    """A progress printer: a line every 5 % (and at the end) with the elapsed time."""
    start = time.perf_counter()
    last = [-1]

    def report(done: int, total: int, cached: int) -> None:
        step = max(1, total // 20)
        if done == total or done // step != last[0]:
            last[0] = done // step
            elapsed = time.perf_counter() - start
            print(f"  {label}: {done}/{total} ({cached} cached) {elapsed:.0f} s", flush=True)

    return report
