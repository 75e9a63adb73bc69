"""Every shipped voice of a language, found in the ``tts`` package rather than listed here.

Each module of ``tts`` is imported and each class named ``*Synthesizer`` (but not the test
fakes) that can be built from ``TtsSettings`` is asked which languages it speaks: an engine
added later (a Mandarin neural voice, a customer's Piper voice) is picked up without a change
here. An engine whose models are missing is skipped, with the reason kept for the report.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import dataclass

import tts
from tts.base import Synthesizer, VoiceParams
from tts.errors import TtsError
from tts.settings import TtsSettings

_SKIPPED_MODULES = frozenset({"fake", "base", "cache", "streaming", "settings", "errors"})


@dataclass(frozen=True, slots=True)
class Voice:
    """One engine speaking one language at one rate."""

    engine: str
    language: str
    rate: float

    def params(self) -> VoiceParams:
        return VoiceParams(rate=self.rate)

    @property
    def label(self) -> str:
        return f"{self.engine}@{self.rate:g}"


def synthesizer_classes() -> list[type]:
    """Classes in the ``tts`` package that look like engines (sorted by name, fakes excluded)."""
    found: dict[str, type] = {}
    for module_info in pkgutil.iter_modules(tts.__path__):
        if module_info.name in _SKIPPED_MODULES:
            continue
        try:
            module = importlib.import_module(f"tts.{module_info.name}")
        except ImportError:
            continue  # an engine whose runtime is not installed
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if (
                name.endswith("Synthesizer")
                and not name.startswith(("Fake", "Clause"))
                and cls.__module__ == module.__name__
                and not inspect.isabstract(cls)
            ):
                found[name] = cls
    return [found[name] for name in sorted(found)]


def available_synthesizers(
    settings: TtsSettings | None = None,
) -> tuple[dict[str, Synthesizer], dict[str, str]]:
    """Engines that can be built here, by engine name, and the reasons the others cannot."""
    engines: dict[str, Synthesizer] = {}
    skipped: dict[str, str] = {}
    for cls in synthesizer_classes():
        try:
            engine = cls(settings or TtsSettings())
        except (TtsError, OSError, RuntimeError, ValueError, TypeError, ImportError) as e:
            skipped[cls.__name__] = f"{type(e).__name__}: {e}"  # models or runtime missing
            continue
        if isinstance(engine, Synthesizer):
            engines[engine.name] = engine
    return engines, skipped


def voices_for(
    language: str, rates: tuple[float, ...], engines: dict[str, Synthesizer]
) -> list[Voice]:
    """Every engine that speaks ``language``, at every rate (refused when out of range)."""
    for rate in rates:
        VoiceParams(rate=rate)  # raises ValueError with the allowed range
    return [
        Voice(name, language, rate)
        for name in sorted(engines)
        if language in engines[name].languages
        for rate in rates
    ]
