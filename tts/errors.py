"""Errors raised by the speech-synthesis adapters; every one derives from :class:`TtsError`."""

from __future__ import annotations

from core.errors import CollectBotError


class TtsError(CollectBotError):
    """Root of every error raised by ``tts``."""


class VoiceNotAvailableError(TtsError):
    """The voice model or espeak-ng voice is not installed."""


class UnsupportedLanguageError(TtsError):
    """The synthesizer has no voice for the requested language."""


class AudioFormatError(TtsError):
    """A requested output format (sample rate) cannot be produced."""


class SynthesisError(TtsError):
    """The engine failed while synthesising; the original error is chained."""
