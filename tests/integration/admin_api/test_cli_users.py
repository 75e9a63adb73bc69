"""`collectbot users add` and the demo's supervisor account: one audited way to store a user."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from admin_api.roles import Role
from admin_api.settings import ApiSettings
from cli.api_commands import save_user
from cli.context import AppContext
from cli.main import app
from data import audit
from data.models import AuditEntry, User


def test_users_add_creates_once_and_a_reset_changes_the_password_both_audited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLLECTBOT_HOME", str(tmp_path))
    monkeypatch.delenv("COLLECTBOT_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLLECTBOT_NEW_PASSWORD", "a long enough password")
    runner = CliRunner()
    first = runner.invoke(app, ["users", "add", "alice", "--role", "supervisor"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(app, ["users", "add", "alice", "--role", "admin"])
    assert again.exit_code == 1
    assert "exists" in again.output

    ctx = AppContext.build()
    with ctx.db.transaction() as s:
        before = s.scalars(select(User).where(User.username == "alice")).one()
        old_hash, user_id = before.password_hash, before.id
    settings = ApiSettings()
    assert save_user(ctx, settings, "alice", Role.ADMIN, "x" * 16, actor="t") is None
    reset = save_user(ctx, settings, "alice", Role.ADMIN, "y" * 16, actor="t", reset_password=True)
    assert reset == user_id
    with ctx.db.transaction() as s:
        user = s.scalars(select(User).where(User.username == "alice")).one()
        actions = [
            (e.actor, e.action)
            for e in s.scalars(select(AuditEntry).where(AuditEntry.subject_id == user_id))
        ]
        assert audit.verify(s).ok
    assert user.role == "supervisor"  # a reset changes the password, not the role
    assert user.password_hash != old_hash
    assert actions == [("cli", "user.create"), ("t", "user.password_reset")]
