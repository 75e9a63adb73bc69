"""Errors raised by the speech-recognition adapters; every one derives from :class:`AsrError`."""

from __future__ import annotations

from core.errors import CollectBotError


class AsrError(CollectBotError):
    """Root of every error raised by ``asr``."""


class ModelNotAvailableError(AsrError):
    """A recognition model is not installed or its files are incomplete."""


class UnsupportedLanguageError(AsrError):
    """The recognizer has no model for the requested language."""


class AudioFormatError(AsrError):
    """The audio given is not 16-bit mono PCM at a supported rate."""


class RecognitionError(AsrError):
    """The engine failed while decoding; the original error is chained."""


class StreamClosedError(AsrError):
    """Audio was fed to a recognition stream that was already finished or closed."""
