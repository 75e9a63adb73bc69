"""`collectbot demo` with its campaign (what `make demo` runs, smaller): the supervisor's
campaign goes through the admin API, the dialer calls simulated debtors through the sandbox
Asterisk, and the report, the outcomes and the recordings come out. Real time; run under
``flock /tmp/collectbot-sandbox.lock``."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from dialer_sandbox import asterisk
from sqlalchemy import select
from typer.testing import CliRunner

from cli.main import app
from data.db import Database
from data.models import AuditEntry, Campaign, ContactAttempt, User
from ivr.settings import AriSettings

__all__ = ["asterisk"]


def test_demo_runs_a_campaign_of_simulated_calls_through_the_api(
    asterisk: AriSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLLECTBOT_HOME", str(tmp_path))
    monkeypatch.delenv("COLLECTBOT_DATABASE_URL", raising=False)
    monkeypatch.delenv("COLLECTBOT_DATA_KEY", raising=False)
    args = ["demo", "--cases", "300", "--seed", "7", "--debtors", "5", "--max-lines", "3"]
    result = CliRunner().invoke(app, args)
    print(result.output)
    assert result.exit_code == 0, result.output
    recordings = sorted((tmp_path / "demo" / "recordings").glob("call-*.wav"))
    assert f"{len(recordings)} call recordings" in result.output

    db = Database.connect(f"sqlite:///{tmp_path / 'collectbot.sqlite3'}")
    with db.transaction() as s:
        campaign = s.scalars(select(Campaign)).one()
        assert campaign.created_by is not None
        username = campaign.created_by.removeprefix("user:")
        supervisor = s.scalars(select(User).where(User.username == username)).one()
        attempts = s.scalars(
            select(ContactAttempt).where(ContactAttempt.campaign_id == campaign.id)
        ).all()
        by_them = select(AuditEntry.action).where(AuditEntry.actor == campaign.created_by)
        actions = set(s.scalars(by_them))
    db.dispose()
    assert supervisor.role == "supervisor"  # set up through the API, not behind its back
    assert campaign.status == "finished"
    assert len(attempts) == 5
    wanted = ["dispute", "no_answer", "promise_to_pay", "transferred", "wrong_number"]
    got = sorted(str(a.outcome) for a in attempts)
    # the exact outcome of every spoken call is asserted by test_dialer_spoken_campaign.py;
    # here one spoken call may be misheard on a loaded machine, and the demo must say so
    misses = sum((Counter(wanted) - Counter(got)).values())
    assert "no_answer" in got
    assert misses <= 1, got
    assert ("ended differently" in result.output) == (misses > 0)
    answered = [a for a in attempts if a.answered_at is not None]
    assert len(recordings) == len(answered) == 4
    assert all(path.stat().st_size > 8000 for path in recordings)
    assert {"campaign.create", "campaign.start"} <= actions
