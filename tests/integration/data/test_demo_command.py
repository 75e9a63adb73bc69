"""`collectbot demo` (what `make demo` runs) on a fresh home folder, small portfolio."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from cli.main import app
from data.db import Database
from data.models import Case, ModelVersion


def test_demo_runs_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLLECTBOT_HOME", str(tmp_path))
    monkeypatch.delenv("COLLECTBOT_DATABASE_URL", raising=False)
    monkeypatch.delenv("COLLECTBOT_DATA_KEY", raising=False)
    result = CliRunner().invoke(app, ["demo", "--cases", "400", "--seed", "7", "--no-calls"])
    assert result.exit_code == 0, result.output
    assert "400 stored" in result.output
    assert "Portfolio: 400 cases" in result.output
    db = Database.connect(f"sqlite:///{tmp_path / 'collectbot.sqlite3'}")
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(ModelVersion)) == 1
        tiers = s.scalar(select(func.count()).select_from(Case).where(Case.risk_tier.is_not(None)))
        planned = s.scalar(
            select(func.count()).select_from(Case).where(Case.next_action.is_not(None))
        )
    db.dispose()
    assert tiers == 400
    assert planned == 400
