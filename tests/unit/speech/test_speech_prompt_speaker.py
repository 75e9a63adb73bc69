"""PromptSpeaker: static prompts and the static parts of templated ones come from the cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.dialogue import Say
from nlu.policy import load_script
from tts.base import VoiceParams
from tts.cache import PromptCache
from tts.fake import FakeSynthesizer
from tts.prompt_speech import PromptSpeaker, Segment, script_version, segments, template_segments

RATE = 8000


def _say(template: str, key: str = "p#0", lang: str = "en", **values: str) -> Say:
    used = tuple(sorted(values.items()))
    return Say(template.format_map(values), key, lang, used)  # type: ignore[arg-type]


def test_a_prompt_without_variables_is_one_static_segment() -> None:
    text = "This call is recorded for quality and compliance. Thank you."
    assert segments(text) == [Segment(text, True)]


def test_variables_make_their_clauses_dynamic() -> None:
    say = _say(
        "Thank you, {name}. This is an attempt to collect a debt, and any information "
        "obtained will be used for that purpose.",
        name="Keisha Brown",
    )
    assert segments(say.text, say.variables) == [
        Segment("Thank you,", True),
        Segment("Keisha Brown.", False),
        Segment(
            "This is an attempt to collect a debt, and any information obtained will be used "
            "for that purpose.",
            True,
        ),
    ]


def test_a_value_with_punctuation_is_never_cut_or_cached() -> None:
    say = _say(
        "Let me read that back: {amount} on {day}. Is that correct?",
        amount="300 dollars",
        day="Friday, December 4th",
    )
    got = segments(say.text, say.variables)
    assert got == [
        Segment("Let me read that back:", True),
        Segment("300 dollars on Friday, December 4th.", False),
        Segment("Is that correct?", True),
    ]
    assert all("Friday" not in s.text for s in got if s.static)


def test_mandarin_clauses_are_cut_without_spaces() -> None:
    say = _say("{name}您好，这里是还款提醒。请问您方便吗？", lang="zh", name="张三")
    assert segments(say.text, say.variables) == [
        Segment("张三您好，", False),
        Segment("这里是还款提醒。请问您方便吗？", True),
    ]


def test_a_value_that_is_also_static_wording_keeps_that_wording_out_of_the_cache() -> None:
    say = _say("Thank you, {name}. Thank you for your time.", name="Thank")
    assert [s.static for s in segments(say.text, say.variables)] == [False]


def test_every_bundled_prompt_splits_back_into_its_text() -> None:
    for lang in ("en", "zh"):
        for variants in load_script(lang).prompts.values():
            for template in variants:
                parts = template_segments(template)
                joiner = "" if lang == "zh" else " "
                rebuilt = joiner.join(p.text for p in parts).replace("\x02", "{")
                assert rebuilt.replace("\x03", "}") == " ".join(template.split()).strip()


def test_the_script_version_changes_with_the_wording() -> None:
    a = script_version({"greeting": ("Hello.",)})
    assert a == script_version({"greeting": ("Hello.",)})
    assert a != script_version({"greeting": ("Hello there.",)})


@pytest.fixture
def speaker(tmp_path: Path) -> tuple[PromptSpeaker, FakeSynthesizer, PromptCache]:
    synth = FakeSynthesizer()
    cache = PromptCache(synth, tmp_path)
    return PromptSpeaker(synth, cache, "v1"), synth, cache


async def _audio(speaker: PromptSpeaker, say: Say, params: VoiceParams | None = None) -> bytes:
    return b"".join([c.pcm async for c in speaker.stream(say, RATE, params)])


async def test_the_second_call_synthesises_only_the_names(
    speaker: tuple[PromptSpeaker, FakeSynthesizer, PromptCache],
) -> None:
    spk, synth, cache = speaker
    template = "Thank you, {name}. This is an attempt to collect a debt."
    first = await _audio(spk, _say(template, name="Keisha Brown"))
    synth.rendered.clear()
    second = await _audio(spk, _say(template, name="Li Wei"))
    assert synth.rendered == ["Li Wei."]
    assert cache.stats.renders == 2
    assert len(first) != len(second)  # a different name, different audio


async def test_cached_audio_is_what_the_engine_says(
    speaker: tuple[PromptSpeaker, FakeSynthesizer, PromptCache],
) -> None:
    spk, synth, _ = speaker
    say = _say("Thank you, {name}. This is an attempt to collect a debt.", name="Li Wei")
    direct = b"".join([c.pcm async for c in synth.stream("Thank you,", "en", RATE)])
    direct += b"".join([c.pcm async for c in synth.stream("Li Wei.", "en", RATE)])
    direct += await synth.synthesize("This is an attempt to collect a debt.", "en", RATE)
    assert await _audio(spk, say) == direct
    assert await _audio(spk, say) == direct  # from the cache now


async def test_the_rate_is_part_of_the_key(
    speaker: tuple[PromptSpeaker, FakeSynthesizer, PromptCache],
) -> None:
    spk, _, cache = speaker
    say = _say("This call is recorded.")
    slow = await _audio(spk, say, VoiceParams(rate=0.5))
    normal = await _audio(spk, say)
    assert len(slow) > len(normal)
    assert cache.stats.renders == 2


async def test_chunks_are_numbered_in_order(
    speaker: tuple[PromptSpeaker, FakeSynthesizer, PromptCache],
) -> None:
    spk, _, _ = speaker
    say = _say("Hello, {name}, how are you today? This is a reminder.", name="Li Wei")
    chunks = [c async for c in spk.stream(say, RATE)]
    assert [c.index for c in chunks] == list(range(len(chunks)))
    assert spk.stats.static_segments == 2
    assert spk.stats.dynamic_segments == 1


async def test_warming_a_script_renders_its_static_segments_once(
    speaker: tuple[PromptSpeaker, FakeSynthesizer, PromptCache],
) -> None:
    spk, synth, cache = speaker
    prompts = {
        "greeting": ("Hello, this is {agent}, a virtual assistant. May I speak with {name}?",),
        "recording_notice": ("This call is recorded.",),
    }
    assert await spk.warm(prompts, "en", RATE) == 3
    assert await spk.warm(prompts, "en", RATE) == 0
    synth.rendered.clear()
    say = _say(prompts["greeting"][0], agent="Ava", name="Li Wei")
    await _audio(spk, say)
    assert synth.rendered == ["this is Ava,", "May I speak with Li Wei?"]
    assert cache.stats.renders == 3
