"""``collectbot backup create|verify|restore``: encrypted SQLite backups (wiring only)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.context import AppContext
from data import audit, backup
from data.backup import BackupError, BackupReport

app = typer.Typer(help="Encrypted backups of the SQLite database.", no_args_is_help=True)


def _done(what: str, report: BackupReport) -> None:
    typer.echo(
        f"{what}: key {report.kid}, taken {report.created_at}, {report.audit_entries} audit "
        f"entries, {report.debtors} debtors"
    )


@app.command("create")
def create(out: Path) -> None:
    """Copy the database (online, consistent) into OUT, encrypted with the active data key."""
    ctx = AppContext.build()
    try:
        report = backup.create(
            ctx.settings.resolved_database_url(), ctx.keyring, out, ctx.clock.now()
        )
    except BackupError as e:
        typer.echo(f"collectbot: {e}", err=True)
        raise typer.Exit(2) from e
    with ctx.db.transaction() as s:
        audit.append(s, at=ctx.clock.now(), actor="cli", action="backup.create",
                     subject_type="backup", details={"audit_seq": report.audit_seq})  # fmt: skip
    _done(f"backup written to {out}", report)


@app.command("verify")
def verify(file: Path) -> None:
    """Decrypt FILE aside and check it: integrity, audit chain and head, a decryptable sample."""
    ctx = AppContext.build()
    keys = ctx.keyring.audit_keys(ctx.settings.audit_legacy_until)
    try:
        report = backup.verify(file, ctx.keyring, keys)
    except BackupError as e:
        typer.echo(f"BROKEN: {e}")
        raise typer.Exit(1) from e
    _done(f"{file}: intact", report)


@app.command("restore")
def restore(
    file: Path,
    to: Annotated[Path | None, typer.Option(help="database file (default: the configured)")] = None,
) -> None:
    """Verify FILE, then put it in place of a database file that does not exist (yet)."""
    ctx = AppContext.build()
    target = to or backup.sqlite_path(ctx.settings.resolved_database_url())
    keys = ctx.keyring.audit_keys(ctx.settings.audit_legacy_until)
    try:
        report = backup.restore(file, ctx.keyring, keys, target)
    except BackupError as e:
        typer.echo(f"collectbot: {e}", err=True)
        raise typer.Exit(2) from e
    _done(f"restored to {target}", report)
