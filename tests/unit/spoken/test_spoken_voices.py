"""Voices are discovered in the tts package: every engine that can be built, fakes excluded."""

from __future__ import annotations

import pytest

from simulation.spoken import voices
from simulation.spoken.voices import Voice, available_synthesizers, synthesizer_classes, voices_for
from tts.fake import FakeSynthesizer


def test_discovery_finds_the_shipped_engines_and_not_the_fake() -> None:
    names = {cls.__name__ for cls in synthesizer_classes()}
    assert {"PiperSynthesizer", "EspeakSynthesizer"} <= names
    assert not any(name.startswith(("Fake", "Clause")) for name in names)


def test_every_engine_of_a_language_at_every_rate() -> None:
    engines, _ = available_synthesizers()
    english = voices_for("en", (0.9, 1.1), engines)
    assert {v.engine for v in english} >= {"piper", "espeak"}
    assert {v.rate for v in english} == {0.9, 1.1}
    assert all(v.language == "en" for v in english)
    assert "piper" not in {v.engine for v in voices_for("zh", (1.0,), engines)}


def test_voices_for_asks_each_engine_for_its_languages() -> None:
    fake = FakeSynthesizer()
    voices = voices_for("zh", (1.0,), {"fake": fake})
    expected = [Voice("fake", "zh", 1.0)] if "zh" in fake.languages else []
    assert voices == expected
    assert voices_for("xx", (1.0,), {"fake": fake}) == []
    assert Voice("piper", "en", 1.2).label == "piper@1.2"


def test_a_rate_out_of_range_is_refused_before_any_rendering() -> None:
    with pytest.raises(ValueError, match="outside"):
        voices_for("en", (1.0, 9.0), {"fake": FakeSynthesizer()})


def test_an_engine_that_cannot_be_built_is_skipped_with_its_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class BrokenSynthesizer:
        def __init__(self, settings: object) -> None:
            raise ImportError("no runtime for this voice")

    monkeypatch.setattr(voices, "synthesizer_classes", lambda: [BrokenSynthesizer])
    engines, skipped = voices.available_synthesizers()
    assert engines == {}
    assert skipped == {"BrokenSynthesizer": "ImportError: no runtime for this voice"}


def test_tts_settings_changed_by_the_environment_change_the_cache_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from simulation.spoken.render import SpokenPipeline

    plain = SpokenPipeline("en").job("I can pay on Friday.", Voice("espeak", "en", 1.0))
    monkeypatch.setenv("TTS_ESPEAK_WORDS_PER_MINUTE", "200")
    faster = SpokenPipeline("en").job("I can pay on Friday.", Voice("espeak", "en", 1.0))
    assert faster.key != plain.key
    monkeypatch.delenv("TTS_ESPEAK_WORDS_PER_MINUTE")
    assert SpokenPipeline("en").job("I can pay on Friday.", Voice("espeak", "en", 1.0)) == plain


@pytest.mark.parametrize(
    ("variable", "value"), [("ASR_WHISPER_BEAM_SIZE", "3"), ("ASR_PROMPT_EN", "Hello.")]
)
def test_recogniser_settings_change_the_cache_key(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    from simulation.spoken.render import SpokenPipeline

    voice = Voice("piper", "en", 1.0)
    plain = SpokenPipeline("en").job("Who is this?", voice)
    monkeypatch.setenv(variable, value)
    assert SpokenPipeline("en").job("Who is this?", voice).key != plain.key
    monkeypatch.setenv("ASR_WHISPER_INTER_THREADS", "2")  # threads do not change a transcript
    monkeypatch.delenv(variable)
    assert SpokenPipeline("en").job("Who is this?", voice).key == plain.key


def test_a_stage_hint_is_a_rendering_of_its_own_from_the_same_audio() -> None:
    from simulation.spoken.render import SpokenPipeline

    voice = Voice("piper", "en", 1.0)
    pipeline = SpokenPipeline("en")
    plain = pipeline.job("Who is this?", voice)
    hinted = pipeline.job("Who is this?", voice, "Am I speaking with Daniel? Yes. Who is this?")
    assert hinted.key != plain.key
    assert hinted.seed == plain.seed  # the same line noise and packet loss: only the hint differs
    assert pipeline.job("Who is this?", voice, None) == plain


def test_stage_hints_follow_the_question_a_line_answers() -> None:
    from simulation.spoken.corpus import Utterance
    from simulation.spoken.stage_hints import prompt_of

    yes, promise = Utterance("Yeah, that's me.", "affirm"), Utterance("Friday.", "promise_to_pay")
    hint = prompt_of([yes, promise], "en")
    assert "speaking with" in (hint(yes.text) or "")
    assert "make a payment" in (hint(promise.text) or "")
    assert hint("never said") is None
