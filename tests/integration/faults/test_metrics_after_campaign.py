"""``/metrics`` after a small real campaign: the demo's campaign (supervisor through the API,
one telephony worker, simulated debtors through the sandbox Asterisk, all in one process)
scrapes the API's own ``GET /metrics`` once the worker has left the campaign and keeps the
text. Every family the issue asks for must be there with values that agree with the database:
originations = attempts, calls ended by outcome = stored outcomes, calls answered = calls the
IVR started, no call or line still held, the queue drained, the abandonment ratio the stored
one, turn timings per language in a plausible range, the API's own requests by route template.
Real time, on a private sandbox Asterisk (``fault_rig.private_asterisk``): no shared lock."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from fault_rig import PrivateAsterisk, private_asterisk
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select
from typer.testing import CliRunner

from cli.main import app
from data.db import Database
from data.models import Campaign, ContactAttempt

__all__ = ["private_asterisk"]

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def _samples(text: str) -> Samples:
    out: Samples = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, frozenset(s.labels.items()))] = s.value
    return out


def _value(samples: Samples, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


def _sum(samples: Samples, name: str, **labels: str) -> float:
    want = set(labels.items())
    return sum(v for (n, ls), v in samples.items() if n == name and want <= ls)


def test_metrics_scraped_after_a_real_campaign_agree_with_the_database(
    private_asterisk: PrivateAsterisk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in private_asterisk.env().items():  # the demo's sandbox and ARI: ours
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("COLLECTBOT_HOME", str(tmp_path))
    monkeypatch.delenv("COLLECTBOT_DATABASE_URL", raising=False)
    monkeypatch.delenv("COLLECTBOT_DATA_KEY", raising=False)
    monkeypatch.setenv("DIALER_STATUS_EVERY_S", "1")
    args = ["demo", "--cases", "300", "--seed", "7", "--debtors", "5", "--zh-debtors", "0"]
    result = CliRunner().invoke(app, [*args, "--max-lines", "2", "--no-serve"])
    print(result.output)
    assert result.exit_code == 0, result.output
    scraped = tmp_path / "demo" / "metrics-en.prom"
    assert f"/metrics after the campaign: {scraped}" in result.output.replace("\n", "")
    m = _samples(scraped.read_text(encoding="utf-8"))

    db = Database.connect(f"sqlite:///{tmp_path / 'collectbot.sqlite3'}")
    with db.transaction() as s:
        (cid,) = s.scalars(select(Campaign.id)).all()
        rows = s.scalars(select(ContactAttempt).where(ContactAttempt.campaign_id == cid)).all()
    db.dispose()
    outcomes = Counter(str(r.outcome) for r in rows)
    answered = sum(r.answered_at is not None for r in rows)
    assert len(rows) == 5
    assert answered == 4  # the demo mix's first five: one debtor never answers

    assert _value(m, "collectbot_originates_total") == len(rows)
    assert _value(m, "collectbot_originate_failures_total") == 0
    ended = {
        dict(ls)["outcome"]: v for (n, ls), v in m.items() if n == "collectbot_calls_ended_total"
    }
    assert ended == dict(outcomes)  # one count per stored result, none twice
    assert _value(m, "collectbot_calls_started_total") == answered
    assert _value(m, "collectbot_calls_in_progress") == 0
    # the per-campaign gauges: the worker's last word when it left the finished campaign
    assert _value(m, "collectbot_dialer_lines_in_use", campaign=cid) == 0
    assert _value(m, "collectbot_dial_queue_depth", campaign=cid) == 0
    assert _value(m, "collectbot_dial_queue_lag_seconds", campaign=cid) == 0
    abandoned = outcomes.get("abandoned", 0)
    assert _value(m, "collectbot_abandon_ratio", campaign=cid) == pytest.approx(
        abandoned / answered, abs=1e-4
    )
    assert _sum(m, "collectbot_guard_refusals_total") == 0  # the call list was due and callable
    # voice-to-voice per debtor turn, English: some turns, each between 0.1 and 10 s on average
    count = _value(m, "collectbot_turn_seconds_count", language="en", phase="voice_to_voice")
    total = _value(m, "collectbot_turn_seconds_sum", language="en", phase="voice_to_voice")
    assert count is not None
    assert total is not None
    assert count >= answered  # every answered debtor in this mix speaks at least once
    assert 0.1 < total / count < 10
    asr = _value(m, "collectbot_speech_seconds_count", stage="asr", language="en")
    assert asr is not None
    assert asr >= answered
    # the supervisor's polls, by route template (no campaign id in the label)
    polls = _sum(
        m, "collectbot_api_request_seconds_count",
        route="/campaigns/{campaign_id}/figures", method="GET", status="200",
    )  # fmt: skip
    assert polls >= 2
    assert not [ls for (n, ls) in m if n.startswith("collectbot_api") and ("route", cid) in ls]
    assert _sum(m, "collectbot_log_errors_total") == 0
