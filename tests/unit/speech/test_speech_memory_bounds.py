"""Bounded engine memory (docs/operations.md, "Session 9: bounded memory"): Piper's
onnxruntime session grows its arena by what is asked and plans no memory pattern per shape,
and a worker renders each script's longest clause before its first call."""

from __future__ import annotations

import string
from pathlib import Path
from typing import cast

import pytest

from asr.fake import FakeRecognizer
from dialer.wiring import Speech
from nlu.parser import NluParser
from nlu.policy import load_script
from tts import piper
from tts.base import VoiceParams
from tts.errors import SynthesisError
from tts.fake import FakeSynthesizer
from tts.normalize import normalize, split_clauses
from tts.prompt_speech import LONGEST_VALUE, longest_clause
from tts.settings import PiperArena, TtsSettings

ENV_ALLOCATORS = "session.use_env_allocators"


def test_piper_sessions_plan_no_memory_pattern_per_shape_by_default() -> None:
    settings = TtsSettings()
    assert (settings.piper_arena, settings.piper_mem_pattern) == ("power_of_two", False)
    options = piper.session_options(2, settings.piper_arena, settings.piper_mem_pattern)
    assert options.enable_cpu_mem_arena
    assert not options.enable_mem_pattern
    assert options.intra_op_num_threads == 2
    with pytest.raises(RuntimeError):  # onnxruntime: no such entry, its own arena
        options.get_session_config_entry(ENV_ALLOCATORS)


def test_the_other_piper_memory_settings_are_what_they_say() -> None:
    same = piper.session_options(1, "same_as_requested", True)
    assert same.get_session_config_entry(ENV_ALLOCATORS) == "1"  # the arena registered once
    assert same.enable_mem_pattern
    assert not piper.session_options(1, "off", False).enable_cpu_mem_arena


def test_the_synthesizer_loads_its_voice_with_the_configured_memory_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    loaded: list[tuple[str, int, PiperArena, bool]] = []

    def load(path: str, threads: int, arena: PiperArena, pattern: bool) -> object:
        loaded.append((path, threads, arena, pattern))
        raise SynthesisError("stop here")  # the settings are what this test is about

    monkeypatch.setattr(piper, "load_piper", load)
    voice = tmp_path / "v.onnx"
    settings = TtsSettings(piper_voice_en=voice, piper_arena="off", piper_mem_pattern=True)
    with pytest.raises(SynthesisError):
        piper.PiperSynthesizer(settings)._render_sync("ok", "en", VoiceParams())
    assert loaded == [(str(voice), 1, "off", True)]


def _filled(template: str, value: str) -> str:
    parsed = string.Formatter().parse(template)
    return "".join(lit + (value if f is not None else "") for lit, f, _, _ in parsed)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_longest_clause_is_one_clause_no_real_prompt_exceeds(lang: str) -> None:
    prompts = load_script(lang).prompts
    longest = longest_clause(prompts, lang)
    assert split_clauses(longest, lang) == [longest]  # one synthesis
    assert normalize(LONGEST_VALUE[lang], lang) in longest
    real = ["John Smith", "$1,250.00", "12", "Acme Lending"] if lang == "en" else ["李明", "3500元"]
    for value in real:
        for variants in prompts.values():
            for template in variants:
                text = normalize(_filled(template, value), lang)
                assert all(len(c) <= len(longest) for c in split_clauses(text, lang))


def test_longest_clause_picks_the_longest_filled_clause_not_the_longest_template() -> None:
    templates = {
        "a": ["Hello there, this is a fairly long greeting without any field at all."],
        "b": ["Pay {amount} today, please."],
    }
    assert longest_clause(templates, "en") == (
        "Pay ninety-nine thousand nine hundred ninety-nine dollars and ninety-nine cents today,"
        " please."  # a short tail stays with its clause, as the engines cut
    )
    assert longest_clause({}, "en") == ""


async def test_a_worker_renders_each_languages_longest_clause_before_its_first_call() -> None:
    en, zh, ko = FakeSynthesizer(), FakeSynthesizer(), FakeSynthesizer()
    speech = Speech(FakeRecognizer(), {"en": en, "zh": zh, "ko": ko}, cast(NluParser, object()))
    await speech.warm_longest()  # "ko" has no script: skipped, not fatal
    for lang, synth in (("en", en), ("zh", zh)):
        assert synth.rendered == [longest_clause(load_script(lang).prompts, lang)]
    assert ko.rendered == []
