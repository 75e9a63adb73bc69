"""PromptCache: static prompts rendered once per (script version, prompt key, voice, rate).

Rendered PCM is kept in memory (bounded, least recently used dropped first) and on disk under
``cache_dir`` so a restarted worker does not re-render. Concurrent misses for the same prompt
render it once. The text's digest is part of the key, so a prompt whose wording changed
without a script-version bump is re-rendered rather than played stale.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import os
import tempfile
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from core.logging import get_logger
from tts.base import Synthesizer, VoiceParams

_log = get_logger(__name__)


@dataclass(frozen=True, slots=True)
class PromptKey:
    """What identifies one rendering of a static prompt."""

    script_version: str
    prompt_key: str
    language: str
    voice: str
    rate: float
    pitch: int | None
    sample_rate: int
    text_digest: str

    def file_name(self) -> str:
        raw = "\x1f".join(str(part) for part in dataclasses.astuple(self))
        return hashlib.sha256(raw.encode()).hexdigest()[:40] + ".s16le"


@dataclass(slots=True)
class CacheStats:
    memory_hits: int = 0
    disk_hits: int = 0
    renders: int = 0


class PromptCache:
    """Audio for static prompts: memory first, then disk, then one synthesis."""

    def __init__(
        self, synthesizer: Synthesizer, cache_dir: Path, *, max_memory_bytes: int = 64 << 20
    ) -> None:
        self._synth = synthesizer
        self._dir = cache_dir
        self._max_bytes = max_memory_bytes
        self._memory: OrderedDict[PromptKey, bytes] = OrderedDict()
        self._memory_bytes = 0
        self._locks: dict[PromptKey, asyncio.Lock] = {}
        self.stats = CacheStats()

    def key(
        self,
        *,
        script_version: str,
        prompt_key: str,
        text: str,
        language: str,
        sample_rate: int,
        params: VoiceParams | None = None,
    ) -> PromptKey:
        p = params or VoiceParams()
        return PromptKey(
            script_version=script_version,
            prompt_key=prompt_key,
            language=language,
            voice=self._synth.voice_id(language, params),
            rate=p.rate,
            pitch=p.pitch,
            sample_rate=sample_rate,
            text_digest=hashlib.sha256(text.encode()).hexdigest()[:16],
        )

    async def get(
        self,
        *,
        script_version: str,
        prompt_key: str,
        text: str,
        language: str,
        sample_rate: int,
        params: VoiceParams | None = None,
    ) -> bytes:
        """The prompt's PCM (16-bit mono at ``sample_rate``), rendering it at most once."""
        key = self.key(
            script_version=script_version,
            prompt_key=prompt_key,
            text=text,
            language=language,
            sample_rate=sample_rate,
            params=params,
        )
        cached = self._from_memory(key)
        if cached is not None:
            return cached
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            cached = self._from_memory(key)
            if cached is not None:
                return cached
            pcm = await asyncio.to_thread(self._read_disk, key)
            if pcm is not None:
                self.stats.disk_hits += 1
            else:
                pcm = await self._synth.synthesize(text, language, sample_rate, params)
                self.stats.renders += 1
                await asyncio.to_thread(self._write_disk, key, pcm)
                _log.info("tts.prompt_cache.rendered", prompt_key=prompt_key, bytes=len(pcm))
            self._remember(key, pcm)
        self._locks.pop(key, None)
        return pcm

    async def warm(
        self,
        prompts: Mapping[str, str],
        *,
        script_version: str,
        language: str,
        sample_rate: int,
        params: VoiceParams | None = None,
    ) -> int:
        """Render a script's static prompts (key -> text) before the first call needs them.

        Returns how many were rendered now (the others were already in memory or on disk).
        """
        before = self.stats.renders
        for prompt_key, text in prompts.items():
            await self.get(
                script_version=script_version,
                prompt_key=prompt_key,
                text=text,
                language=language,
                sample_rate=sample_rate,
                params=params,
            )
        return self.stats.renders - before

    def _from_memory(self, key: PromptKey) -> bytes | None:
        pcm = self._memory.get(key)
        if pcm is not None:
            self._memory.move_to_end(key)
            self.stats.memory_hits += 1
        return pcm

    def _remember(self, key: PromptKey, pcm: bytes) -> None:
        if len(pcm) > self._max_bytes:
            return
        self._memory[key] = pcm
        self._memory_bytes += len(pcm)
        while self._memory_bytes > self._max_bytes:
            _, dropped = self._memory.popitem(last=False)
            self._memory_bytes -= len(dropped)

    def _path(self, key: PromptKey) -> Path:
        return self._dir / key.file_name()

    def _read_disk(self, key: PromptKey) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            return None

    def _write_disk(self, key: PromptKey, pcm: bytes) -> None:
        self._dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self._dir, prefix=".prompt.")
        with os.fdopen(fd, "wb") as out:
            out.write(pcm)
        os.replace(tmp, self._path(key))

    def clear_memory(self) -> None:
        self._memory.clear()
        self._memory_bytes = 0
