"""The render cache keeps the recogniser's confidence with each transcript; a record without
it (written before the confidence was stored) or torn is rendered again, never read as None."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest

import simulation.spoken.render as render
from simulation.spoken.channel import ChannelParams
from simulation.spoken.render import Heard, Job, SpokenPipeline
from simulation.spoken.voices import Voice
from tts.base import Synthesizer

VOICE = Voice("espeak", "en", 1.0)


def _pipeline(tmp_path: Path) -> SpokenPipeline:
    """A pipeline over ``tmp_path`` without building engines or reading model files."""
    pipeline = SpokenPipeline.__new__(SpokenPipeline)
    pipeline.language = "en"
    pipeline.channel = ChannelParams()
    pipeline.seed = 0
    pipeline.cache_dir = tmp_path / "spoken"
    pipeline.scoring = ""
    return pipeline


def _job(key: str = "ab" + "0" * 30) -> Job:
    return Job("yes it's me", VOICE, "espeak:en-us", 1, key)


@pytest.mark.parametrize("confidence", [0.73, None])
def test_a_stored_rendering_comes_back_with_its_confidence(
    tmp_path: Path, confidence: float | None
) -> None:
    pipeline = _pipeline(tmp_path)
    pipeline._store(_job(), Heard("yes it's me", confidence))
    hit = pipeline.cached(_job())
    assert hit is not None
    assert hit.cached
    assert (hit.transcript, hit.confidence) == ("yes it's me", confidence)


@pytest.mark.parametrize(
    "record",
    [
        '{"text": "yes", "transcript": "yes"}',  # before the confidence was stored
        '{"text": "yes", "transcript": "yes", "confidence": "high"}',
        '{"text": "yes", "transc',  # torn
        "[1, 2]",
    ],
)
def test_an_old_or_broken_record_is_rendered_again(tmp_path: Path, record: str) -> None:
    pipeline = _pipeline(tmp_path)
    path = pipeline._path(_job().key)
    path.parent.mkdir(parents=True)
    path.write_text(record, encoding="utf-8")
    assert pipeline.cached(_job()) is None


def test_the_record_version_is_part_of_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pipeline = _pipeline(tmp_path)
    pipeline.engines = {"espeak": cast(Synthesizer, _Named())}
    pipeline.recogniser = "model"
    pipeline.voice_settings = ""
    now = pipeline.job("yes", VOICE).key
    assert pipeline.job("yes", VOICE).key == now
    monkeypatch.setattr(render, "RECORD_VERSION", render.RECORD_VERSION - 1)
    assert pipeline.job("yes", VOICE).key != now


class _Named:
    def voice_id(self, language: str, params: object) -> str:
        return f"fake:{language}"
