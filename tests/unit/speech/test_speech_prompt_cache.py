"""PromptCache with a fake Synthesizer: one render per key, memory then disk, single flight."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tts.base import SpeechChunk, Synthesizer, VoiceParams
from tts.cache import PromptCache


class FakeSynthesizer:
    """Deterministic PCM derived from the text and parameters; counts the renders."""

    name = "fake"
    languages = frozenset({"en", "zh"})

    def __init__(self, delay: float = 0.0) -> None:
        self.calls: list[tuple[str, str, int, VoiceParams | None]] = []
        self._delay = delay

    def voice_id(self, language: str, params: VoiceParams | None = None) -> str:
        return f"fake:{(params or VoiceParams()).voice or language}"

    async def stream(
        self, text: str, language: str, sample_rate: int, params: VoiceParams | None = None
    ) -> AsyncIterator[SpeechChunk]:
        self.calls.append((text, language, sample_rate, params))
        await asyncio.sleep(self._delay)
        rate = (params or VoiceParams()).rate
        pcm = hashlib.sha256(f"{text}{rate}".encode()).digest() * (sample_rate // 100)
        yield SpeechChunk(pcm, sample_rate, text, 0)

    async def synthesize(
        self, text: str, language: str, sample_rate: int, params: VoiceParams | None = None
    ) -> bytes:
        return b"".join([c.pcm async for c in self.stream(text, language, sample_rate, params)])

    async def warm_up(self) -> None:
        return None


async def _get(cache: PromptCache, text: str = "Hello.", **kw: object) -> bytes:
    args: dict[str, object] = {
        "script_version": "v1",
        "prompt_key": "greeting",
        "text": text,
        "language": "en",
        "sample_rate": 8000,
    }
    args.update(kw)
    return await cache.get(**args)  # type: ignore[arg-type]


def test_fake_is_a_synthesizer() -> None:
    assert isinstance(FakeSynthesizer(), Synthesizer)


async def test_renders_once_then_serves_from_memory(tmp_path: Path) -> None:
    synth = FakeSynthesizer()
    cache = PromptCache(synth, tmp_path)
    first = await _get(cache)
    second = await _get(cache)
    assert first == second
    assert len(synth.calls) == 1
    assert (cache.stats.renders, cache.stats.memory_hits, cache.stats.disk_hits) == (1, 1, 0)


async def test_concurrent_misses_render_once(tmp_path: Path) -> None:
    synth = FakeSynthesizer(delay=0.05)
    cache = PromptCache(synth, tmp_path)
    results = await asyncio.gather(*(_get(cache) for _ in range(5)))
    assert len(set(results)) == 1
    assert len(synth.calls) == 1


async def test_key_parts_each_make_a_new_rendering(tmp_path: Path) -> None:
    synth = FakeSynthesizer()
    cache = PromptCache(synth, tmp_path)
    await _get(cache)
    await _get(cache, script_version="v2")
    await _get(cache, prompt_key="bye")
    await _get(cache, params=VoiceParams(rate=1.2))
    await _get(cache, params=VoiceParams(voice="other"))
    await _get(cache, sample_rate=16000)
    await _get(cache, text="Hello again.")
    assert len(synth.calls) == 7


async def test_disk_survives_a_new_cache(tmp_path: Path) -> None:
    first = PromptCache(FakeSynthesizer(), tmp_path)
    pcm = await _get(first)
    synth = FakeSynthesizer()
    second = PromptCache(synth, tmp_path)
    assert await _get(second) == pcm
    assert synth.calls == []
    assert second.stats.disk_hits == 1
    assert len(await asyncio.to_thread(lambda: list(tmp_path.glob("*.s16le")))) == 1


async def test_memory_is_bounded(tmp_path: Path) -> None:
    synth = FakeSynthesizer()
    one = len(await FakeSynthesizer().synthesize("a", "en", 8000))
    cache = PromptCache(synth, tmp_path, max_memory_bytes=one * 2)
    for key in ("a", "b", "c"):
        await _get(cache, text=key, prompt_key=key)
    await _get(cache, text="a", prompt_key="a")
    assert cache.stats.disk_hits == 1  # "a" was evicted from memory, read back from disk
    assert len(synth.calls) == 3


def test_voice_params_are_validated() -> None:
    with pytest.raises(ValueError, match="rate"):
        VoiceParams(rate=0.1)
    with pytest.raises(ValueError, match="pitch"):
        VoiceParams(pitch=120)


async def test_warm_renders_a_script_once(tmp_path: Path) -> None:
    synth = FakeSynthesizer()
    cache = PromptCache(synth, tmp_path)
    script = {"greeting": "Hello.", "disclosure": "This is a debt collector.", "bye": "Goodbye."}
    for rendered in (3, 0):
        assert await cache.warm(script, script_version="v3", language="en", sample_rate=8000) == (
            rendered
        )
    assert await _get(cache, "Goodbye.", prompt_key="bye", script_version="v3") == (
        await synth.synthesize("Goodbye.", "en", 8000)
    )
    assert len(synth.calls) == 4  # three renders by warm, one direct call above
