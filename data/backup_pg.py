"""Encrypted backups of PostgreSQL: ``pg_dump`` sealed as it streams, restored by ``pg_restore``.

``create`` opens a REPEATABLE READ transaction, exports its snapshot, reads the audit head in
it and runs ``pg_dump --snapshot`` on the same snapshot: the dump and the recorded head are the
same instant while the API keeps writing. The dump (custom format) is piped straight into the
sealed file (``data.backup``'s format): no plain copy ever touches the disk.

``restore`` creates the target database (it must not exist), pipes the decrypted dump into
``pg_restore``, then checks the audit chain, its head and a decryptable sample; a restore that
fails any of it drops the database again. ``verify`` restores into a scratch database on the
same server, checks it and drops it. The password (if any) goes to the tools through
``PGPASSWORD``, never on a command line.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import IO

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from data.backup import CHUNK, BackupError, BackupReport, check_database, opened, seal_into
from data.backup import sealing as _sealing
from data.crypto import AuditKeys, Keyring

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
TIMEOUT_S = 3600.0


def is_postgres(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """The libpq URL of a SQLAlchemy URL (no password in it) and the tools' environment."""
    u = make_url(url)
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = str(u.password)
    plain = u.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _pieces(stream: IO[bytes]) -> Iterator[bytes]:
    while piece := stream.read(CHUNK):
        yield piece


def _failed(tool: str, code: int, err: IO[bytes]) -> BackupError:
    err.seek(0)
    tail = err.read()[-600:].decode("utf-8", "replace").strip()
    return BackupError(f"{tool} failed (exit {code}): {tail}")


def create(
    url: str, keyring: Keyring, out: Path, now: datetime, *, pg_dump: str = "pg_dump"
) -> BackupReport:
    """Seal a consistent ``pg_dump`` of the database at ``url`` into ``out``."""
    conninfo, env = _libpq(url)
    engine = create_engine(url, isolation_level="REPEATABLE READ")
    try:
        with engine.connect() as conn, tempfile.TemporaryFile() as err:
            snapshot = str(conn.execute(text("SELECT pg_export_snapshot()")).scalar_one())
            head = conn.execute(text("SELECT seq, last_hash FROM audit_head")).one()
            seq, last_hash = int(head.seq), str(head.last_hash)
            debtors = int(conn.execute(text("SELECT count(*) FROM debtors")).scalar_one())
            header: dict[str, object] = {"engine": "postgresql", "created_at": now.isoformat(),
                                         "audit_seq": seq, "audit_hash": last_hash}  # fmt: skip
            cmd = [pg_dump, "--format=custom", "--no-owner", "--no-privileges",
                   f"--snapshot={snapshot}", f"--dbname={conninfo}"]  # fmt: skip
            with _sealing(out) as f:
                proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=env)
                assert proc.stdout is not None
                try:
                    seal_into(f, _pieces(proc.stdout), keyring, header)
                finally:
                    proc.stdout.close()
                    code = proc.wait(TIMEOUT_S)
                if code != 0:
                    raise _failed("pg_dump", code, err)
            conn.rollback()
    finally:
        engine.dispose()
    return BackupReport(keyring.active.kid, now.isoformat(), seq, seq, debtors, "postgresql")


def _server_admin(url: str) -> str:
    return make_url(url).set(database="postgres").render_as_string(hide_password=False)


def database_name(url: str) -> str:
    name = make_url(url).database or ""
    if not _NAME.fullmatch(name):
        raise BackupError(f"refusing the database name {name!r} (letters, digits, _ only)")
    return name


def _create_db(url: str) -> None:
    name = database_name(url)
    admin = create_engine(_server_admin(url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
            if exists.first() is not None:
                raise BackupError(f"database {name} exists: restore into a new database")
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()


def drop_db(url: str) -> None:
    name = database_name(url)
    admin = create_engine(_server_admin(url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def _pg_restore(path: Path, keyring: Keyring, url: str, tool: str) -> dict[str, object]:
    conninfo, env = _libpq(url)
    cmd = [tool, "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={conninfo}"]
    with opened(path, keyring) as reader, tempfile.TemporaryFile() as err:
        if reader.header.get("engine") != "postgresql":
            raise BackupError("this is not a PostgreSQL backup")
        proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=err, env=env
        )
        assert proc.stdin is not None
        cut = False
        try:
            for piece in reader.read():
                proc.stdin.write(piece)
        except BrokenPipeError:
            cut = True  # pg_restore stopped early: its exit code and output tell why
        except BaseException:
            proc.kill()
            raise
        finally:
            with suppress(BrokenPipeError):
                proc.stdin.close()
            code = proc.wait(TIMEOUT_S)
        if code != 0 or cut:
            raise _failed("pg_restore", code, err)
        return reader.header


@contextmanager
def _restored(path: Path, keyring: Keyring, url: str, tool: str) -> Iterator[dict[str, object]]:
    _create_db(url)
    try:
        yield _pg_restore(path, keyring, url, tool)
    except BaseException:
        drop_db(url)
        raise


def restore(
    path: Path, keyring: Keyring, keys: AuditKeys, target_url: str, *, tool: str = "pg_restore"
) -> BackupReport:
    """Restore into the new database ``target_url`` and check it; dropped again on failure."""
    with _restored(path, keyring, target_url, tool) as header:
        return check_database(target_url, header, keyring, keys)


def verify(
    path: Path, keyring: Keyring, keys: AuditKeys, server_url: str, *, tool: str = "pg_restore"
) -> BackupReport:
    """Restore into a scratch database on the server of ``server_url``, check it, drop it."""
    base = (make_url(server_url).database or "collectbot")[:40]
    scratch = make_url(server_url).set(database=f"{base}_verify_{uuid.uuid4().hex[:8]}")
    url = scratch.render_as_string(hide_password=False)
    try:
        return restore(path, keyring, keys, url, tool=tool)
    finally:
        drop_db(url)
