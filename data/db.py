"""Engines, sessions and migrations for SQLite (default) and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.ext.asyncio import AsyncSession as AsyncSessionT
from sqlalchemy.orm import Session, sessionmaker

from data.crypto import AuditKeys

MIGRATIONS = Path(__file__).parent / "migrations"


# the database did not answer (stopped, restarting, unreachable, out of connections): the work
# is safe to repeat later and nothing was half-written (each unit of work is one transaction)
DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    sa_exc.DisconnectionError,
    sa_exc.TimeoutError,
)


def _normalise(url: str) -> str:
    u = make_url(url)
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    return u.render_as_string(hide_password=False)


def _async_url(url: str) -> str:
    u = make_url(_normalise(url))
    if u.drivername.startswith("sqlite"):
        u = u.set(drivername="sqlite+aiosqlite")
    return u.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def make_engine(url: str) -> Engine:
    url = _normalise(url)
    if url.startswith("sqlite"):
        path = make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def make_async_engine(url: str) -> AsyncEngine:
    aurl = _async_url(url)
    if aurl.startswith("sqlite"):
        engine = create_async_engine(aurl)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(aurl, pool_pre_ping=True, pool_size=10, max_overflow=20)


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", _normalise(url).replace("%", "%%"))
    return cfg


def migrate(url: str, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (idempotent)."""
    command.upgrade(alembic_config(url), revision)


AUDIT_KEYS = "collectbot.audit_keys"  # where a session finds the audit chain's keys


@dataclass
class Database:
    """The system of record: a sync engine for batch work and CLI, async for servers."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @classmethod
    def connect(cls, url: str) -> Database:
        engine = make_engine(url)
        return cls(url, engine, sessionmaker(engine, expire_on_commit=False))

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits at the end, or rolls back on any error."""
        with self.sessions.begin() as session:
            yield session

    def migrate(self) -> None:
        migrate(self.url)

    def use_audit_keys(self, keys: AuditKeys) -> None:
        """Every session of this database signs audit entries with these keys from now on."""
        self.sessions.configure(info={AUDIT_KEYS: keys})

    def _session_info(self) -> dict[str, object]:
        return dict(self.sessions.kw.get("info") or {})

    def async_sessions(self) -> async_sessionmaker[AsyncSessionT]:
        return async_sessionmaker(
            make_async_engine(self.url), expire_on_commit=False, info=self._session_info()
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def dispose(self) -> None:
        self.engine.dispose()
