"""Model location: configured paths are checked, missing models are reported, never fetched."""

from __future__ import annotations

from pathlib import Path

import pytest

from asr import models
from asr.base import RecognitionOptions
from asr.errors import ModelNotAvailableError, UnsupportedLanguageError
from asr.settings import AsrSettings
from asr.vosk import VoskRecognizer
from asr.whisper import WhisperRecognizer
from tts.errors import VoiceNotAvailableError
from tts.espeak import EspeakSynthesizer
from tts.settings import TtsSettings


def test_bundled_models_are_found() -> None:
    settings = AsrSettings()
    assert (models.whisper_en_dir(settings) / "model.bin").is_file()
    assert (models.vosk_dir(settings, "ko") / "am" / "final.mdl").is_file()
    assert models.whisper_base_available()


def test_a_configured_directory_without_a_model_is_refused(tmp_path: Path) -> None:
    settings = AsrSettings(whisper_en_model_dir=tmp_path, whisper_zh_model_dir=tmp_path)
    with pytest.raises(ModelNotAvailableError, match=r"model\.bin"):
        models.whisper_en_dir(settings)
    with pytest.raises(ModelNotAvailableError):
        models.whisper_zh_dir(settings)


def test_vosk_languages_follow_configuration(tmp_path: Path) -> None:
    settings = AsrSettings(vosk_model_dirs={"en": tmp_path})
    assert models.vosk_languages(settings) == frozenset({"en", "ko"})
    with pytest.raises(ModelNotAvailableError):
        models.vosk_dir(settings, "en")  # configured, but no model there
    with pytest.raises(ModelNotAvailableError):
        models.vosk_dir(settings, "fr")
    with pytest.raises(UnsupportedLanguageError):
        VoskRecognizer(settings).start_stream(8000, RecognitionOptions.of("fr"))


def test_whisper_languages() -> None:
    assert WhisperRecognizer().languages == frozenset({"en", "zh"})


def test_espeak_must_be_installed() -> None:
    with pytest.raises(VoiceNotAvailableError, match="espeak-ng"):
        EspeakSynthesizer(TtsSettings(espeak_binary="no-such-espeak-binary"))
