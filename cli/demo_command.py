"""``collectbot demo``: the main job on the embedded defaults, end to end."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cli.context import AppContext
from cli.data_commands import print_summary, write_demo_data
from data.portfolio.importer import import_portfolio
from data.reports import portfolio_summary


def demo(
    cases: Annotated[int, typer.Option(min=1, help="Loans in the demo portfolio")] = 200,
    seed: Annotated[int, typer.Option(help="Random seed")] = 2026,
) -> None:
    """Create the database, generate and import a demo portfolio, print a summary report."""
    ctx = AppContext.build()
    console = Console()
    home = ctx.settings.home
    portfolio = Path(home) / "demo" / "portfolio.csv"
    write_demo_data(cases, seed, portfolio, ctx.clock.now().date())
    console.print(f"[bold]1.[/] demo portfolio of {cases} loans written to {portfolio}")
    summary = import_portfolio(ctx.db, ctx.keyring, portfolio, ctx.clock, actor="demo")
    console.print(f"[bold]2.[/] import: {summary.line()}")
    with ctx.db.transaction() as s:
        report = portfolio_summary(s)
    console.print("[bold]3.[/] report")
    print_summary(report, console)
    url = ctx.db.engine.url.render_as_string(hide_password=True)
    console.print(f"database: {url}")
