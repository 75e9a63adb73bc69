"""`collectbot demo` (what `make demo` runs) on a fresh home folder, small portfolio."""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from admin_api.security import Passwords
from cli import demo_campaign
from cli.context import AppContext
from cli.demo_command import CLOCK_OFFSET, _china_clock, legal_hours_offset, seconds_to_china_hours
from cli.main import app
from data.db import Database
from data.models import Case, Debtor, ModelVersion, User
from simulation.personas import Behaviour


def test_demo_runs_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLLECTBOT_HOME", str(tmp_path))
    monkeypatch.delenv("COLLECTBOT_DATABASE_URL", raising=False)
    monkeypatch.delenv("COLLECTBOT_DATA_KEY", raising=False)
    args = ["demo", "--cases", "400", "--seed", "7", "--no-calls", "--no-serve"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "400 stored" in result.output
    assert "Portfolio: 400 cases" in result.output
    assert "console: http://127.0.0.1:8080/" in result.output
    login = re.search(r"supervisor login: (\S+) / (\S+)", result.output)
    assert login, result.output
    # the terminal shows progress and tables; the JSON log lines went to the demo's log file
    log_file = tmp_path / "demo" / "demo.log"
    assert f"log lines go to {log_file}" in result.output.replace("\n", "")
    assert '"event"' not in result.output
    events = [json.loads(line)["event"] for line in log_file.read_text().splitlines()]
    assert "portfolio.imported" in events
    assert "COLLECTBOT_LOG_FILE" not in os.environ  # restored after the run
    # it ends with where to look next (whitespace aside: the terminal wraps long lines)
    flat = re.sub(r"\s", "", result.output)
    assert re.sub(r"\s", "", f"the run's log (JSON lines): {log_file}") in flat
    assert "collectbotsimulatecall--scenariopromise_zh" in flat
    assert "recordings(WAV)" not in flat  # no calls, no recordings to point at
    db = Database.connect(f"sqlite:///{tmp_path / 'collectbot.sqlite3'}")
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(ModelVersion)) == 1
        tiers = s.scalar(select(func.count()).select_from(Case).where(Case.risk_tier.is_not(None)))
        planned = s.scalar(
            select(func.count()).select_from(Case).where(Case.next_action.is_not(None))
        )
        user = s.scalars(select(User).where(User.username == login.group(1))).one()
        assert (user.role, user.active) == ("supervisor", True)
    db.dispose()
    assert tiers == 400
    assert planned == 400
    ok = Passwords().verify(user.password_hash, login.group(2))
    assert ok, "the printed password is the supervisor's"


@pytest.mark.parametrize(
    ("now", "hours"),
    [
        (datetime(2026, 12, 6, 19, 0, tzinfo=UTC), 7.0),  # US calling time -> 10:00 Shanghai
        (datetime(2026, 12, 7, 1, 30, tzinfo=UTC), 0.5),
        (datetime(2026, 12, 7, 2, 0, tzinfo=UTC), 24.0),  # never backwards: the next day
    ],
)
def test_china_calling_time_is_the_next_ten_oclock_in_shanghai(now: datetime, hours: float) -> None:
    assert seconds_to_china_hours(now) == hours * 3600


def test_each_language_is_called_inside_its_own_debtors_hours(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """US and Chinese debtors are never inside contact hours at once: at the demo's US calling
    time no Chinese case is due, and after the clock moves on to 10:00 in Shanghai Chinese
    cases of every behaviour are due, each inside the law's and the strategy's hours."""
    monkeypatch.setenv("COLLECTBOT_HOME", str(tmp_path))
    monkeypatch.delenv("COLLECTBOT_DATABASE_URL", raising=False)
    monkeypatch.delenv("COLLECTBOT_DATA_KEY", raising=False)
    monkeypatch.setenv(CLOCK_OFFSET, str(legal_hours_offset(datetime.now(UTC))))
    result = CliRunner().invoke(app, ["demo", "--cases", "300", "--seed", "7", "--no-calls"])
    assert result.exit_code == 0, result.output
    us = AppContext.build()
    assert len(demo_campaign.call_list(us, 20, "en")) == 20
    assert demo_campaign.call_list(us, 20, "zh") == {}
    cn = _china_clock(us)
    assert cn.clock.now() > us.clock.now()
    local = cn.clock.now().astimezone(ZoneInfo("Asia/Shanghai"))
    assert time(9) <= local.time() < time(19)
    due = demo_campaign.call_list(cn, 20, "zh")
    assert set(due.values()) == set(Behaviour)  # a Mandarin persona for every behaviour
    with cn.db.transaction() as s:
        debtors = s.scalars(
            select(Debtor).join(Case, Case.debtor_id == Debtor.id).where(Case.id.in_(due))
        ).all()
    assert {(d.language, d.jurisdiction, d.timezone) for d in debtors} == {
        ("zh", "CN", "Asia/Shanghai")
    }
    cn.db.dispose()
    us.db.dispose()
