"""CLI: portfolio and payment import, demo data, keys, audit, database, summary report."""

from __future__ import annotations

import csv
import json
import secrets
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from cli.context import AppContext
from data import audit, audit_checkpoint
from data.crypto import new_key_spec
from data.errors import KeyringError
from data.keys import rotate
from data.portfolio.importer import ImportSummary, import_portfolio
from data.portfolio.payments import import_payments
from data.portfolio.reader import FileUnusable
from data.portfolio.rejects import open_private
from data.recordings import reseal_all
from data.reports import PortfolioSummary, portfolio_summary
from scoring.synthetic.portfolio import generate

portfolio_app = typer.Typer(help="Portfolio files.", no_args_is_help=True)
payments_app = typer.Typer(help="Payment feeds.", no_args_is_help=True)
keys_app = typer.Typer(help="Data encryption keys.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit log.", no_args_is_help=True)
db_app = typer.Typer(help="The database.", no_args_is_help=True)
err = Console(stderr=True)


def _run_import(ctx: AppContext, file: Path, batch_size: int) -> ImportSummary:
    if not sys.stderr.isatty():
        return import_portfolio(ctx.db, ctx.keyring, file, ctx.clock, batch_size=batch_size)
    columns = (
        *Progress.get_default_columns()[:1],
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(f"importing {file.name}", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return import_portfolio(
            ctx.db, ctx.keyring, file, ctx.clock, batch_size=batch_size, progress=progress
        )


@portfolio_app.command("import")
def portfolio_import(
    file: Path,
    batch_size: Annotated[int, typer.Option(min=1, max=50_000)] = 4000,
) -> None:
    """Import a portfolio (CSV or JSON Lines). Exit 0 all stored, 1 some rejected, 2 unusable."""
    ctx = AppContext.build()
    try:
        summary = _run_import(ctx, file, batch_size)
    except FileUnusable as e:
        typer.echo(f"collectbot: {e}", err=True)
        raise typer.Exit(2) from e
    typer.echo(summary.line())
    raise typer.Exit(summary.exit_code)


@payments_app.command("import")
def payments_import(file: Path) -> None:
    """Apply a payment feed (loan_id, amount, currency, paid_at, reference); idempotent."""
    ctx = AppContext.build()
    try:
        summary = import_payments(ctx.db, file, ctx.clock)
    except FileUnusable as e:
        typer.echo(f"collectbot: {e}", err=True)
        raise typer.Exit(2) from e
    typer.echo(summary.line())
    raise typer.Exit(summary.exit_code)


def write_demo_data(cases: int, seed: int, out: Path, as_of: date) -> Path:
    """Write the portfolio CSV and, beside it, the hidden behaviour profiles (JSON Lines)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    profiles = out.with_name(out.stem + ".profiles.jsonl")
    with (
        out.open("w", newline="", encoding="utf-8") as f,
        profiles.open("w", encoding="utf-8") as p,
    ):
        writer: csv.DictWriter[str] | None = None
        for case in generate(cases, seed, as_of=as_of):
            if writer is None:
                writer = csv.DictWriter(f, fieldnames=list(case.row))
                writer.writeheader()
            writer.writerow(case.row)
            p.write(json.dumps(asdict(case.profile), ensure_ascii=False) + "\n")
    return profiles


def demo_data(
    cases: Annotated[int, typer.Option(min=1, help="How many loans")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same file)")] = 1,
    out: Annotated[Path, typer.Option(help="Portfolio CSV to write")] = Path(
        "var/demo-portfolio.csv"
    ),
    as_of: Annotated[str | None, typer.Option(help="Portfolio date, YYYY-MM-DD")] = None,
) -> None:
    """Write a realistic synthetic portfolio and its hidden behaviour profiles."""
    day = date.fromisoformat(as_of) if as_of else AppContext.build().clock.now().date()
    profiles = write_demo_data(cases, seed, out, day)
    typer.echo(f"wrote {cases} cases to {out} and behaviour profiles to {profiles}")


@keys_app.command("new")
def keys_new() -> None:
    """Print a new key entry 'kid:base64' to put first in COLLECTBOT_DATA_KEY."""
    typer.echo(new_key_spec())


@keys_app.command("secret")
def keys_secret() -> None:
    """Print a random secret (256 bits, URL-safe) for API_JWT_SECRET, API_WEBHOOK_SECRET …"""
    typer.echo(secrets.token_urlsafe(32))


@keys_app.command("rotate")
def keys_rotate() -> None:
    """Re-encrypt all personal data (and the call recordings) under the first key of
    COLLECTBOT_DATA_KEY. Stops half-way? Run it again: only what is under an older key moves."""
    ctx = AppContext.build()
    try:
        report = rotate(ctx.db, ctx.keyring)
        recordings = reseal_all(ctx.db, ctx.recordings)
    except KeyringError as e:
        typer.echo(f"collectbot: {e}", err=True)
        raise typer.Exit(2) from e
    with ctx.db.transaction() as s:
        audit.append(
            s,
            at=ctx.clock.now(),
            actor="cli",
            action="keys.rotate",
            subject_type="keyring",
            subject_id=ctx.keyring.active.kid,
            details={"rows": report.rows, "recordings": recordings},
        )
    typer.echo(
        f"re-encrypted {report.rows} rows and {recordings} recordings under key "
        f"{ctx.keyring.active.kid}"
    )


@audit_app.command("verify")
def audit_verify(
    checkpoint: Annotated[
        list[Path] | None,
        typer.Option(help="a file of `audit checkpoint`: the log must still hold its entry"),
    ] = None,
) -> None:
    """Check the audit log's chain (and checkpoints); exit 1 when it was tampered with."""
    ctx = AppContext.build()
    keys = ctx.keyring.audit_keys(ctx.settings.audit_legacy_until)
    with ctx.db.transaction() as s:
        report = audit.verify(s, keys=keys)
        problems = list(report.problems)
        for path in checkpoint or []:
            problems += [f"{path.name}: {p}" for p in audit_checkpoint.check(s, _load(path), keys)]
    for problem in problems:
        typer.echo(f"TAMPERED: {problem}")
    state = "intact" if not problems else "BROKEN"
    typer.echo(
        f"audit log: {report.entries} entries ({report.keyed} keyed, {report.legacy} legacy "
        f"unkeyed), {state}"
    )
    raise typer.Exit(0 if not problems else 1)


def _load(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise typer.BadParameter(f"{path}: not a checkpoint file ({e})") from e
    return data if isinstance(data, dict) else {}


@audit_app.command("checkpoint")
def audit_checkpoint_cmd(
    out: Annotated[Path | None, typer.Option(help="write here (0600) instead of stdout")] = None,
) -> None:
    """Sign the audit log's last entry; keep the file outside the database's reach."""
    ctx = AppContext.build()
    keys = ctx.keyring.audit_keys()
    with ctx.db.transaction() as s:
        audit.append(s, at=ctx.clock.now(), actor="cli", action="audit.checkpoint",
                     subject_type="audit_log")  # fmt: skip
    with ctx.db.transaction() as s:
        text = json.dumps(audit_checkpoint.make(s, keys, ctx.clock.now()), indent=2)
    if out is None:
        typer.echo(text)
        return
    with open_private(out) as f:
        f.write(text + "\n")
    typer.echo(f"checkpoint written to {out}")


@db_app.command("migrate")
def db_migrate() -> None:
    """Create or upgrade the database schema."""
    ctx = AppContext.build()
    typer.echo(
        f"database at {ctx.db.engine.url.render_as_string(hide_password=True)} is up to date"
    )


def print_summary(summary: PortfolioSummary, console: Console) -> None:
    console.print(
        f"[bold]Portfolio[/]: {summary.cases} cases, {summary.debtors} debtors, "
        f"{summary.phones} phones; "
        + ", ".join(f"{v:,} {k} outstanding" for k, v in sorted(summary.outstanding.items()))
    )
    for title, data in (
        ("by product", summary.by_product),
        ("by days past due", summary.by_bucket),
        ("by status", summary.by_status),
        ("by language", summary.by_language),
        ("by jurisdiction", summary.by_jurisdiction),
    ):
        table = Table(title=title, title_justify="left")
        table.add_column("group")
        table.add_column("cases", justify="right")
        for key, count in sorted(data.items()):
            table.add_row(key, str(count))
        console.print(table)


def report_summary(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Print the portfolio summary (counts and sums only)."""
    ctx = AppContext.build()
    with ctx.db.transaction() as s:
        summary = portfolio_summary(s)
    if as_json:
        typer.echo(json.dumps(asdict(summary), default=str))
    else:
        print_summary(summary, Console())


def register(app: typer.Typer) -> None:
    app.add_typer(portfolio_app, name="portfolio")
    app.add_typer(payments_app, name="payments")
    app.add_typer(keys_app, name="keys")
    app.add_typer(audit_app, name="audit")
    app.add_typer(db_app, name="db")
    app.command("demo-data")(demo_data)
    app.command("summary")(report_summary)
