"""The spoken benchmark end to end on three utterances with the real models (Piper, the
simulated line, Whisper tiny.en, the NLU): figures come out, and a re-run is served from the
content-hash cache with the same transcripts."""

from __future__ import annotations

from pathlib import Path

from nlu.parser import default_parser
from simulation.spoken.corpus import parse_corpus
from simulation.spoken.evaluate import run_benchmark
from simulation.spoken.metrics import figures
from simulation.spoken.render import SpokenPipeline
from simulation.spoken.voices import Voice

CORPUS = """
lang: en
today: 2026-12-02
utterances:
  ask_identity: ["Sorry, who am I speaking with?"]
  promise_to_pay:
    - {text: "I can pay two hundred dollars on Friday.", amount: 200, date: 2026-12-04}
  stop_calling: ["Please stop calling this number."]
"""


def test_three_utterances_through_voice_line_and_recogniser(tmp_path: Path) -> None:
    corpus = parse_corpus(CORPUS)
    pipeline = SpokenPipeline("en", seed=3, cache_dir=tmp_path)
    voices = [Voice("piper", "en", 1.0)]
    result = run_benchmark(corpus, corpus.utterances, voices, pipeline, default_parser(), 1)
    assert len(result.spoken) == 3
    assert all(o.transcript for o in result.spoken)
    f = figures(result.spoken, "en")
    assert f.error_rate < 0.35
    assert f.intent >= 2 / 3
    assert f.false_affirm[0] == 0.0
    # each line's first hearing and its second (asr.second_opinion), cached apart
    assert len(list((tmp_path / "spoken").rglob("*.json"))) == 6

    texts = [u.text for u in corpus.utterances]
    again = pipeline.run(texts, voices, workers=1)
    assert all(r.cached for r in again)
    assert all(r.cached for r in pipeline.run(texts, voices, workers=1, second=True))
    # the verification answer keeps the first decode's words, whatever the second heard
    assert again[0].transcript == result.spoken[0].transcript
