"""The migrations and the models agree, on SQLite and PostgreSQL, and run down and up again."""

from __future__ import annotations

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from data.db import Database, alembic_config, migrate


def test_single_head() -> None:
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert len(heads) == 1, f"migrations have several heads: {heads}"


def test_models_match_migrations_and_downgrade_roundtrips(db: Database) -> None:
    cfg = alembic_config(db.url)
    command.check(cfg)  # raises when a model has changes no migration carries
    before = sorted(inspect(db.engine).get_table_names())
    db.dispose()
    command.downgrade(cfg, "base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    db.dispose()
    migrate(db.url)
    assert sorted(inspect(db.engine).get_table_names()) == before
