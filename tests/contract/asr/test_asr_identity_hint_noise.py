"""The identity question's hint never answers it (issue 9, asr6): nobody speaking, heard with
the context a live call gives the answer to "is this {name}?", is never a "yes".

Whisper copies its prompt on audio that holds no speech, and a verification hint holds the
answers it expects (是的，是本人 / the English domain prompt's "Yes"): a copy in the transcript
of line noise would verify a stranger. 24 seeded line-noise clips (-35 to -18 dBFS, 1 to 2.8 s,
the telephone channel) and plain silence go through the live recogniser (Whisper, the Mandarin
prompt check, the English second opinion; ``simulation.spoken.evaluate.line_noise``) with the
shipped hint, and with the hint that names the debtor (``hint_for(name=...)``, measured by
``bench/first_answer.py --name-hint``): the policy, verifying by name alone, takes none of them.
"""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from asr.hints import hint_for
from asr.second_opinion import product_recognizer
from core.dialogue import Lang
from nlu.parser import default_parser
from nlu.policy import demo_case
from simulation.spoken.corpus import Corpus
from simulation.spoken.evaluate import line_noise, policy_verifies
from simulation.spoken.render import SYNTH_RATE, asr_settings

TODAY = date(2026, 12, 7)
CLIPS = 24


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("named", [False, True])
def test_line_noise_heard_at_the_identity_question_never_verifies(lang: Lang, named: bool) -> None:
    name = demo_case(lang).debtor_name if named else None
    corpus = Corpus(lang, TODAY, ())
    heard = line_noise(corpus, default_parser(), CLIPS, seed=1000, name=name)
    assert len(heard) == CLIPS
    assert [o.transcript for o in heard if o.policy_verified] == []
    assert [o.transcript for o in heard if o.transcript.strip()] == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_silence_heard_at_the_identity_question_is_nothing(lang: Lang) -> None:
    recogniser = product_recognizer(asr_settings())
    options = hint_for("verify", lang).options()
    got = asyncio.run(recogniser.transcribe(bytes(SYNTH_RATE * 2 * 2), SYNTH_RATE, options))
    parse = default_parser().parse(got.text, lang, TODAY).heard_with(got.confidence)
    assert not policy_verifies(lang, TODAY, got.text, parse)
    assert got.text.strip() == ""
