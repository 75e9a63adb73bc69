"""``collectbot demo``: the main job on the embedded defaults, end to end."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cli import scoring_commands
from cli.context import AppContext
from cli.data_commands import print_summary, write_demo_data
from data.portfolio.importer import import_portfolio
from data.reports import portfolio_summary


def demo(
    cases: Annotated[int, typer.Option(min=50, help="Loans in the demo portfolio")] = 2000,
    seed: Annotated[int, typer.Option(help="Random seed")] = 2026,
) -> None:
    """Portfolio → import → simulated history → model → scores → strategy plan → report."""
    ctx = AppContext.build()
    console = Console()
    portfolio = Path(ctx.settings.home) / "demo" / "portfolio.csv"
    write_demo_data(cases, seed, portfolio, ctx.clock.now().date())
    console.rule("1. demo portfolio")
    console.print(f"{cases} loans written to {portfolio} (hidden behaviour profiles beside it)")
    console.rule("2. import")
    summary = import_portfolio(ctx.db, ctx.keyring, portfolio, ctx.clock, actor="demo")
    console.print(summary.line())
    console.rule("3. simulated contact and payment history (from the hidden profiles)")
    scoring_commands.scoring_simulate(portfolio, seed=seed)
    console.rule("4. repayment model: train, then score every case")
    scoring_commands.scoring_train(synthetic=0, seed=seed)
    scoring_commands.scoring_score()
    console.rule("5. strategy: next action for every case, after the compliance guard")
    scoring_commands.strategy_plan(day=None, dry_run=False)
    console.rule("6. portfolio report")
    with ctx.db.transaction() as s:
        report = portfolio_summary(s)
    print_summary(report, console)
    console.print(f"database: {ctx.db.engine.url.render_as_string(hide_password=True)}")
