"""``collectbot reports``: the scheduled reports (PDF + XLSX to a folder, e-mail if SMTP is
configured), one run now or the scheduler's pass (a worker entry with ``--loop``)."""

from __future__ import annotations

import json
import smtplib
import time
from datetime import UTC, datetime
from datetime import time as dtime
from pathlib import Path
from typing import Annotated, Literal

import typer

from analytics.schedule import Kind, Run, due, latest, run_for
from analytics.settings import AnalyticsSettings
from cli.context import AppContext
from core.logging import get_logger
from data import report_files

app = typer.Typer(help="Scheduled reports: PDF and XLSX.", no_args_is_help=True)
log = get_logger(__name__)
STATE = ".schedule.json"


def register(parent: typer.Typer) -> None:
    parent.add_typer(app, name="reports")


def _state(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _remember(folder: Path, run: Run) -> None:
    state = _state(folder) | {run.kind: run.scheduled.isoformat()}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / STATE).write_text(json.dumps(state, indent=1), encoding="utf-8")


def make(ctx: AppContext, settings: AnalyticsSettings, run: Run) -> dict[str, object]:
    with ctx.db.transaction() as s:
        tables = report_files.gather(s, run, settings)
    paths = report_files.write(tables, run, settings.folder(), ctx.clock.now())
    try:
        mailed = report_files.mail(paths, run, settings)
    except (OSError, smtplib.SMTPException) as e:  # the files are delivered all the same
        log.error("reports.mail_failed", run=run.label, error=type(e).__name__)
        mailed = False
    _remember(settings.folder(), run)
    log.info("reports.delivered", run=run.label, files=len(paths), mailed=mailed)
    return {"run": run.label, "files": [str(p) for p in paths], "mailed": mailed}


@app.command("run")
def reports_run(
    schedule: Annotated[Literal["daily", "weekly"], typer.Option(help="daily or weekly")],
    day: Annotated[
        str | None, typer.Option("--date", help="Run as scheduled on this UTC date")
    ] = None,
) -> None:
    """Make one report now (the latest scheduled period, or that of --date)."""
    ctx = AppContext.build()
    settings = AnalyticsSettings()
    kind: Kind = schedule
    if day:
        try:
            at = datetime.combine(datetime.fromisoformat(day).date(), dtime(23, 59), tzinfo=UTC)
        except ValueError as e:
            raise typer.BadParameter(f"not a date: {day!r}", param_hint="--date") from e
    else:
        at = ctx.clock.now()
    moment = latest(kind, at, settings.daily_hour, settings.weekly_weekday)
    typer.echo(json.dumps(make(ctx, settings, run_for(kind, moment))))


@app.command("schedule")
def reports_schedule(
    loop: Annotated[float, typer.Option(help="Seconds between checks (0: one pass)")] = 0.0,
) -> None:
    """Make the runs that are due (a missed run is caught up once); the worker with --loop."""
    ctx = AppContext.build()
    settings = AnalyticsSettings()
    while True:
        done = []
        state = _state(settings.folder())
        for kind in ("daily", "weekly"):
            last = datetime.fromisoformat(state[kind]) if kind in state else None
            run = due(kind, last, ctx.clock.now(), settings.daily_hour, settings.weekly_weekday)
            if run is not None:
                done.append(make(ctx, settings, run))
        typer.echo(json.dumps({"made": done}))
        if loop <= 0:
            return
        time.sleep(loop)
