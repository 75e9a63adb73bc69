"""PromptSpeaker: a ``Say`` spoken from the prompt cache where its words are static.

A script prompt is a template; the ``Say`` it renders carries its text and the variables it
used. :func:`segments` cuts the text at sentence and clause ends that fall outside every
variable's value, and merges neighbouring pieces that are alike, so "Thank you, {name}. This
is an attempt to collect a debt." becomes "Thank you," (static), "John Smith." (dynamic) and
"This is an attempt to collect a debt." (static). Static segments come from the
:class:`~tts.cache.PromptCache` (rendered once per script version, voice, rate and sample
rate, shared by every call of the process, bounded in memory, kept on disk); dynamic ones are
synthesised as before. The engines already render clause by clause, so the cut costs nothing
in prosody. A segment is static only when it contains no variable's value: a debtor's name or
amount never lands in the cache. Pure text logic here; the audio is the cache's and engine's.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import string
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from nlu.errors import ScriptError
from nlu.policy import load_script
from tts.base import SpeechChunk, Synthesizer, VoiceParams
from tts.cache import PromptCache
from tts.normalize import normalize, split_clauses
from tts.settings import TtsSettings

# where a clause may end: after sentence or clause punctuation (Latin: followed by space)
_CUT = re.compile(r"(?<=[.!?;,:])\s+|(?<=[。！？；，、：])")
_SEGMENT_KEY = "segment"
# the longest a field's value reads: a consumer loan's largest amount (75 characters in English)
LONGEST_VALUE = {"en": "$99,999.99", "zh": "99999.99元"}


class SayLike(Protocol):
    """What of ``core.dialogue.Say`` the speaker reads."""

    @property
    def text(self) -> str: ...

    @property
    def lang(self) -> str: ...

    @property
    def variables(self) -> tuple[tuple[str, str], ...]: ...


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of clauses of one prompt; ``static`` when none of it came from a variable."""

    text: str
    static: bool


def _spans(text: str, values: Sequence[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for value in {v for v in values if v.strip()}:
        start = text.find(value)
        while start >= 0:
            spans.append((start, start + len(value)))
            start = text.find(value, start + 1)
    return sorted(spans)


def segments(text: str, variables: Sequence[tuple[str, str]] = ()) -> list[Segment]:
    """The prompt's static and dynamic runs, in order (see the module's docstring)."""
    spans = _spans(text, [value for _, value in variables])
    inside = [False] * (len(text) + 1)
    for start, end in spans:
        for i in range(start, end + 1):
            inside[i] = True
    cuts = [m.start() for m in _CUT.finditer(text) if not inside[m.start()]]
    bounds = [0, *cuts, len(text)]
    runs: list[tuple[int, int, bool]] = []  # contiguous runs of alike pieces: begin, end, static
    for begin, end in itertools.pairwise(bounds):
        if not text[begin:end].strip():
            continue
        static = not any(s < end and begin < e for s, e in spans)
        if runs and runs[-1][2] == static:
            runs[-1] = (runs[-1][0], end, static)
        else:
            runs.append((begin, end, static))
    return [Segment(text[begin:end].strip(), static) for begin, end, static in runs]


def script_version(templates: Mapping[str, Sequence[str]]) -> str:
    """A digest of a script's prompt templates: a new wording is a new version."""
    digest = hashlib.sha256()
    for key in sorted(templates):
        digest.update(key.encode() + b"\x1e" + "\x1f".join(templates[key]).encode() + b"\x1d")
    return digest.hexdigest()[:16]


def template_segments(template: str) -> list[Segment]:
    """The segments of a template, its fields standing in for any value."""
    fields = sorted({f for _, f, _, _ in string.Formatter().parse(template) if f})
    values = {f: f"\x02{f}\x03" for f in fields}
    return segments(template.format_map(values), list(values.items()))


def longest_clause(templates: Mapping[str, Sequence[str]], language: str) -> str:
    """The longest clause an engine can be asked to render for these templates: every field
    filled with :data:`LONGEST_VALUE`, normalised and cut as the engines cut (one clause is one
    synthesis, and an engine's memory grows with the longest it has rendered)."""
    value = LONGEST_VALUE.get(language, LONGEST_VALUE["en"])
    texts = (
        "".join(literal + (value if field is not None else "") for literal, field, _, _ in parsed)
        for variants in templates.values()
        for template in variants
        for parsed in [list(string.Formatter().parse(template))]
    )
    clauses = (c for t in texts for c in split_clauses(normalize(t, language), language))
    return max(clauses, key=len, default="")


@dataclass(slots=True)
class SpeakerStats:
    static_segments: int = 0
    dynamic_segments: int = 0


class PromptSpeaker:
    """Speaks ``Say`` commands: static segments from the cache, the rest synthesised."""

    def __init__(self, synthesizer: Synthesizer, cache: PromptCache, script_version: str) -> None:
        self._synth = synthesizer
        self._cache = cache
        self.script_version = script_version
        self.stats = SpeakerStats()

    async def stream(
        self, say: SayLike, sample_rate: int, params: VoiceParams | None = None
    ) -> AsyncIterator[SpeechChunk]:
        """One chunk per static segment, the engine's chunks for the dynamic ones, in order."""
        index = 0
        for segment in segments(say.text, say.variables):
            if segment.static:
                self.stats.static_segments += 1
                pcm = await self._cached(segment.text, say.lang, sample_rate, params)
                yield SpeechChunk(pcm, sample_rate, segment.text, index)
                index += 1
                continue
            self.stats.dynamic_segments += 1
            async for chunk in self._synth.stream(segment.text, say.lang, sample_rate, params):
                yield SpeechChunk(chunk.pcm, sample_rate, chunk.text, index)
                index += 1

    async def _cached(
        self, text: str, language: str, sample_rate: int, params: VoiceParams | None
    ) -> bytes:
        return await self._cache.get(
            script_version=self.script_version,
            prompt_key=_SEGMENT_KEY,
            text=text,
            language=language,
            sample_rate=sample_rate,
            params=params,
        )

    async def warm(
        self,
        templates: Mapping[str, Sequence[str]],
        language: str,
        sample_rate: int,
        params: VoiceParams | None = None,
    ) -> int:
        """Render every static segment of a script's templates now (start-up).

        Returns how many segments were rendered (the others were in memory or on disk).
        """
        before = self._cache.stats.renders
        texts = {
            segment.text
            for variants in templates.values()
            for template in variants
            for segment in template_segments(template)
            if segment.static
        }
        for text in sorted(texts):
            await self._cached(text, language, sample_rate, params)
        return self._cache.stats.renders - before


def prompt_speakers(
    voices: Mapping[str, Synthesizer], settings: TtsSettings | None = None
) -> dict[str, PromptSpeaker]:
    """One ``PromptSpeaker`` per language's voice, one ``PromptCache`` per synthesiser (cache
    keys carry the voice, rate and script version)."""
    s = settings or TtsSettings()
    caches: dict[int, PromptCache] = {}
    speakers: dict[str, PromptSpeaker] = {}
    for lang, synth in voices.items():
        cache = caches.setdefault(
            id(synth), PromptCache(synth, s.cache_dir, max_memory_bytes=s.cache_memory_bytes)
        )
        try:
            version = script_version(load_script(lang).prompts)
        except ScriptError:
            continue  # no script in this language: no prompt to cache
        speakers[lang] = PromptSpeaker(synth, cache, version)
    return speakers
