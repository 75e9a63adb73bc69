"""The worker's prompt cache (``IVR_PROMPT_CACHE``): one ``PromptSpeaker`` per language's
voice, the scripts' static segments rendered at start and kept on disk for the next start, and
the sessions the worker makes speaking through it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import cast

from asr.fake import FakeRecognizer
from core.clock import FixedClock
from core.dialogue import Lang
from dialer.wiring import SessionMaker, Speech, prompt_speakers
from ivr.ari import AriClient, Channel
from ivr.settings import AriSettings, IvrSettings
from nlu.parser import NluParser
from nlu.policy import CaseFacts, demo_case, load_script
from tts.fake import FakeSynthesizer
from tts.prompt_speech import template_segments
from tts.settings import TtsSettings

NOW = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
PARSER = cast(NluParser, object())  # not used


def _load(case_id: str, lang: Lang) -> CaseFacts:
    return demo_case(lang)


def _files(folder: Path) -> int:
    return len(list(folder.iterdir()))


def _static_segments(lang: Lang) -> set[str]:
    prompts = load_script(lang).prompts
    return {
        s.text for variants in prompts.values() for t in variants for s in template_segments(t)
        if s.static
    }  # fmt: skip


async def test_the_scripts_static_segments_are_rendered_once_and_found_on_disk_next_start(
    tmp_path: Path,
) -> None:
    settings = TtsSettings(cache_dir=tmp_path)
    synth = FakeSynthesizer()
    speech = Speech(
        FakeRecognizer(), {"en": synth}, PARSER, prompt_speakers({"en": synth}, settings)
    )
    await speech.warm_prompts()
    files = _files(tmp_path)
    assert files == len(_static_segments("en")) > 20
    rendered = len(synth.rendered)
    again = FakeSynthesizer()
    restarted = Speech(
        FakeRecognizer(), {"en": again}, PARSER, prompt_speakers({"en": again}, settings)
    )
    await restarted.warm_prompts()
    assert again.rendered == []  # a restarted worker reads them from disk
    assert _files(tmp_path) == files
    assert rendered > 0


def test_one_speaker_per_language_and_one_cache_per_voice(tmp_path: Path) -> None:
    shared = FakeSynthesizer()
    speakers = prompt_speakers({"en": shared, "zh": shared}, TtsSettings(cache_dir=tmp_path))
    assert set(speakers) == {"en", "zh"}
    assert speakers["en"].script_version != speakers["zh"].script_version  # their own scripts


async def test_the_worker_sessions_speak_through_their_languages_prompt_speaker(
    tmp_path: Path,
) -> None:
    voices = {"en": FakeSynthesizer(), "zh": FakeSynthesizer()}
    speech = Speech(
        FakeRecognizer(), voices, PARSER, prompt_speakers(voices, TtsSettings(cache_dir=tmp_path))
    )
    async with AriClient(AriSettings()) as ari:
        on = SessionMaker(ari, speech, FixedClock(NOW), IvrSettings(), _load)
        off = SessionMaker(ari, speech, FixedClock(NOW), IvrSettings(prompt_cache=False), _load)
        channel = Channel("ch-1", "PJSIP/x", "Up")
        zh = on(channel, ("outbound", "L-1", "zh"), lambda _: None)
        plain = off(channel, ("outbound", "L-1", "zh"), lambda _: None)
    assert zh._speaker._prompts is speech.prompts["zh"]
    assert plain._speaker._prompts is None
