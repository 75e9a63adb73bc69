"""``collectbot recordings purge``: the retention of call recordings (wiring only).

Recordings are sealed at rest (``data.recordings``) and heard only through the API's audited
endpoint; ``keys rotate`` re-encrypts them. The API process also purges on a schedule
(``API_RECORDINGS_PURGE_INTERVAL``); this command is the same rule, for cron or by hand.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from cli.context import AppContext
from data.recordings import purge_expired
from dialer.recording_archive import RecordingArchive, SweepReport, archive_pending
from ivr.ari import AriClient
from ivr.settings import AriSettings

app = typer.Typer(help="Call recordings (encrypted at rest).", no_args_is_help=True)


@app.command("purge")
def purge(
    older_than_days: Annotated[
        int | None,
        typer.Option(min=1, help="days kept (default: COLLECTBOT_RECORDING_RETENTION_DAYS)"),
    ] = None,
) -> None:
    """Delete the recordings of calls older than the retention; every deletion audited."""
    ctx = AppContext.build()
    days = older_than_days or ctx.settings.recording_retention_days
    report = purge_expired(
        ctx.db, ctx.recordings, now=ctx.clock.now(), retention_days=days, actor="cli"
    )
    typer.echo(
        f"deleted {report.deleted} recordings older than {days} days "
        f"({report.missing} already gone, {report.unsealed} not archived: left alone)"
    )


async def _sweep(ctx: AppContext) -> SweepReport:
    async with AriClient(AriSettings()) as ari:
        return await archive_pending(RecordingArchive(ari, ctx.recordings, ctx.clock), ctx.db)


@app.command("archive")
def archive() -> None:
    """Move the recordings still on the PBX (a failed or skipped archive) into the vault."""
    ctx = AppContext.build()
    report = asyncio.run(_sweep(ctx))
    typer.echo(f"archived {report.archived} recordings ({report.failed} could not be fetched)")
    if report.failed:
        raise typer.Exit(1)
