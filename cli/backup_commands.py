"""``collectbot backup create|verify|restore|schedule``: encrypted backups of SQLite or
PostgreSQL (wiring only; see data.backup, data.backup_pg, data.backup_schedule)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from cli.context import AppContext
from data import audit, backup, backup_pg, backup_schedule
from data.backup import BackupError, BackupReport

app = typer.Typer(help="Encrypted backups (SQLite or PostgreSQL).", no_args_is_help=True)


def _done(what: str, report: BackupReport) -> None:
    typer.echo(
        f"{what}: {report.engine}, key {report.kid}, taken {report.created_at}, "
        f"{report.audit_entries} audit entries, {report.debtors} debtors"
    )


def _audit(ctx: AppContext, report: BackupReport, detail: dict[str, object]) -> None:
    with ctx.db.transaction() as s:
        details = {"audit_seq": report.audit_seq, "engine": report.engine, **detail}
        audit.append(s, at=ctx.clock.now(), actor="cli", action="backup.create",
                     subject_type="backup", details=details)  # fmt: skip


@app.command("create")
def create(out: Path) -> None:
    """Copy the database (consistent, while in use) into OUT, encrypted with the active key."""
    ctx = AppContext.build()
    url = ctx.settings.resolved_database_url()
    make = backup_pg.create if backup_pg.is_postgres(url) else backup.create
    try:
        report = make(url, ctx.keyring, out, ctx.clock.now())
    except BackupError as e:
        typer.echo(f"collectbot: {e}", err=True)
        raise typer.Exit(2) from e
    _audit(ctx, report, {})
    _done(f"backup written to {out}", report)


@app.command("verify")
def verify(file: Path) -> None:
    """Decrypt FILE aside and check it: integrity, audit chain and head, a decryptable sample.
    A PostgreSQL backup is restored into a scratch database on the configured server."""
    ctx = AppContext.build()
    keys = ctx.keyring.audit_keys(ctx.settings.audit_legacy_until)
    try:
        if backup.engine_of(file, ctx.keyring) == "postgresql":
            url = ctx.settings.resolved_database_url()
            report = backup_pg.verify(file, ctx.keyring, keys, url)
        else:
            report = backup.verify(file, ctx.keyring, keys)
    except BackupError as e:
        typer.echo(f"BROKEN: {e}")
        raise typer.Exit(1) from e
    _done(f"{file}: intact", report)


@app.command("restore")
def restore(
    file: Path,
    to: Annotated[
        Path | None, typer.Option(help="SQLite: database file (default: configured)")
    ] = None,
    to_url: Annotated[
        str | None, typer.Option(help="PostgreSQL: URL of a database to create and restore into")
    ] = None,
) -> None:
    """Verify FILE and restore it into a database that does not exist (yet)."""
    ctx = AppContext.build()
    keys = ctx.keyring.audit_keys(ctx.settings.audit_legacy_until)
    try:
        if backup.engine_of(file, ctx.keyring) == "postgresql":
            if not to_url:
                raise BackupError("a PostgreSQL backup needs --to-url (a new database's URL)")
            report = backup_pg.restore(file, ctx.keyring, keys, to_url)
            where = f"database {backup_pg.database_name(to_url)}"
        else:
            target = to or backup.sqlite_path(ctx.settings.resolved_database_url())
            report, where = backup.restore(file, ctx.keyring, keys, target), str(target)
    except BackupError as e:
        typer.echo(f"collectbot: {e}", err=True)
        raise typer.Exit(2) from e
    _done(f"restored to {where}", report)


@app.command("schedule")
def schedule(
    once: Annotated[bool, typer.Option(help="one backup, then exit (systemd timer, cron)")] = False,
) -> None:
    """Back up into COLLECTBOT_BACKUP_DIR every COLLECTBOT_BACKUP_INTERVAL_HOURS, keeping the
    newest COLLECTBOT_BACKUP_KEEP; ``--once`` for a timer."""
    ctx = AppContext.build()
    settings = ctx.settings
    while True:
        try:
            done = backup_schedule.take(settings.resolved_database_url(), ctx.keyring,
                                        settings.resolved_backup_dir(), ctx.clock.now(),
                                        settings.backup_keep)  # fmt: skip
        except BackupError as e:
            typer.echo(f"collectbot: {e}", err=True)
            if once:
                raise typer.Exit(2) from e
        else:
            _audit(ctx, done.report, {"scheduled": True, "removed": len(done.removed)})
            _done(f"backup written to {done.path} ({len(done.removed)} old removed)", done.report)
        if once:
            return
        time.sleep(settings.backup_interval_hours * 3600)
