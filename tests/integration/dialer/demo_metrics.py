"""``/metrics`` as the demo scraped it after a campaign, checked against what the database
stored: originations = attempts, calls ended by outcome = stored outcomes, calls answered =
calls the IVR started, no call or line still held, the queue drained, the abandonment ratio the
stored one, turn timings in a plausible range, the API's own requests by route template."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from data.models import ContactAttempt

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def samples(text: str) -> Samples:
    out: Samples = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, frozenset(s.labels.items()))] = s.value
    return out


def value(m: Samples, name: str, **labels: str) -> float | None:
    return m.get((name, frozenset(labels.items())))


def total(m: Samples, name: str, **labels: str) -> float:
    want = set(labels.items())
    return sum(v for (n, ls), v in m.items() if n == name and want <= ls)


def assert_metrics_agree(
    scraped: Path, campaign_id: str, rows: Sequence[ContactAttempt], lang: str
) -> None:
    """The metrics of the first campaign the demo ran (nothing else had run in the process)."""
    m = samples(scraped.read_text(encoding="utf-8"))
    outcomes = Counter(str(r.outcome) for r in rows)
    answered = sum(r.answered_at is not None for r in rows)
    assert value(m, "collectbot_originates_total") == len(rows)
    assert value(m, "collectbot_originate_failures_total") == 0
    ended = {
        dict(ls)["outcome"]: v for (n, ls), v in m.items() if n == "collectbot_calls_ended_total"
    }
    assert ended == dict(outcomes)  # one count per stored result, none twice
    assert value(m, "collectbot_calls_started_total") == answered
    assert value(m, "collectbot_calls_in_progress") == 0
    # the per-campaign gauges: the worker's last word when it left the finished campaign
    assert value(m, "collectbot_dialer_lines_in_use", campaign=campaign_id) == 0
    assert value(m, "collectbot_dial_queue_depth", campaign=campaign_id) == 0
    assert value(m, "collectbot_dial_queue_lag_seconds", campaign=campaign_id) == 0
    abandoned = outcomes.get("abandoned", 0)
    assert value(m, "collectbot_abandon_ratio", campaign=campaign_id) == pytest.approx(
        abandoned / answered, abs=1e-4
    )
    assert total(m, "collectbot_guard_refusals_total") == 0  # the call list was due and callable
    # voice-to-voice per debtor turn: some turns, each between 0.1 and 10 s on average
    count = value(m, "collectbot_turn_seconds_count", language=lang, phase="voice_to_voice")
    spent = value(m, "collectbot_turn_seconds_sum", language=lang, phase="voice_to_voice")
    assert count is not None
    assert spent is not None
    assert count >= answered  # every answered debtor in this mix speaks at least once
    assert 0.1 < spent / count < 10
    asr = value(m, "collectbot_speech_seconds_count", stage="asr", language=lang)
    assert asr is not None
    assert asr >= answered
    assert_turn_stages(m, lang)
    # the supervisor's polls, by route template (no campaign id in the label)
    polls = total(
        m, "collectbot_api_request_seconds_count",
        route="/campaigns/{campaign_id}/figures", method="GET", status="200",
    )  # fmt: skip
    assert polls >= 2
    by_id = ("route", campaign_id)
    assert not [ls for (n, ls) in m if n.startswith("collectbot_api") and by_id in ls]
    assert total(m, "collectbot_log_errors_total") == 0


def assert_turn_stages(m: Samples, lang: str) -> None:
    """The processing histogram and the NLU / TTS stages beside voice-to-voice and ASR: one
    processing time per timed turn, never longer than its voice-to-voice (it starts at the
    turn's end, after the caller's last voiced frame), one NLU time per recognised turn, the
    first TTS audio for some, each mean plausible."""
    turns = value(m, "collectbot_turn_seconds_count", language=lang, phase="voice_to_voice")
    v2v = value(m, "collectbot_turn_seconds_sum", language=lang, phase="voice_to_voice")
    count = value(m, "collectbot_turn_seconds_count", language=lang, phase="processing")
    spent = value(m, "collectbot_turn_seconds_sum", language=lang, phase="processing")
    assert turns
    assert v2v is not None
    assert count is not None
    assert spent is not None
    assert count == turns
    # the early decoder transcribes during the end-of-turn silence and the prompts' audio is
    # cached, so on a quiet machine a turn's processing can be a few milliseconds: only its
    # sign and its bound are facts (a 0.05 s floor failed CI on a fast run)
    assert 0 < spent / count <= v2v / turns, (spent / count, v2v / turns)
    asr = value(m, "collectbot_speech_seconds_count", stage="asr", language=lang)
    assert asr
    for stage, most_s in (("nlu", 2.0), ("tts_first_audio", 5.0)):
        n = value(m, "collectbot_speech_seconds_count", stage=stage, language=lang)
        took = value(m, "collectbot_speech_seconds_sum", stage=stage, language=lang)
        assert n is not None, stage
        assert took is not None, stage
        assert (n == asr) if stage == "nlu" else (0 < n <= asr), (stage, n, asr)
        assert 0 < took / n < most_s, (stage, took / n)
