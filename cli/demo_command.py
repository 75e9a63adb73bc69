"""``collectbot demo``: the main job on the embedded defaults, end to end."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cli import demo_campaign, scoring_commands
from cli.context import AppContext
from cli.data_commands import print_summary, write_demo_data
from data.portfolio.importer import import_portfolio
from data.reports import portfolio_summary

CLOCK_OFFSET = "COLLECTBOT_CLOCK_OFFSET_S"
CALLING_TIME_UTC = time(19, 0)  # 14:00 New York (15:00 in summer) … 09:00 Honolulu


def legal_hours_offset(now: datetime) -> float:
    """Seconds from ``now`` to the next 19:00 UTC, when debtors in every US time zone are
    inside the default strategy's contact hours (09:00-19:00 local) and the legal ones."""
    target = datetime.combine(now.date(), CALLING_TIME_UTC, tzinfo=UTC)
    if target <= now:
        target += timedelta(days=1)
    return (target - now).total_seconds()


@contextlib.contextmanager
def _demo_clock(enabled: bool) -> Iterator[None]:
    """With calls, the demo's "now" is moved to legal calling hours for the whole run."""
    before = os.environ.get(CLOCK_OFFSET)
    if enabled and before is None:
        os.environ[CLOCK_OFFSET] = str(legal_hours_offset(datetime.now(UTC)))
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(CLOCK_OFFSET, None)


def demo(
    cases: Annotated[int, typer.Option(min=50, help="Loans in the demo portfolio")] = 2000,
    seed: Annotated[int, typer.Option(help="Random seed")] = 2026,
    calls: Annotated[
        bool, typer.Option(help="Run the campaign of simulated calls through Asterisk")
    ] = True,
    debtors: Annotated[int, typer.Option(min=1, max=20, help="Simulated debtors called")] = 20,
    max_lines: Annotated[int, typer.Option(min=1, max=10, help="Calls at once")] = 4,
) -> None:
    """Portfolio → import → history → model → scores → strategy plan → a campaign through the
    admin API calling simulated debtors via Asterisk → campaign report."""
    with _demo_clock(calls):
        _demo(cases, seed, calls=calls, debtors=debtors, max_lines=max_lines)


def _demo(cases: int, seed: int, *, calls: bool, debtors: int, max_lines: int) -> None:
    ctx = AppContext.build()
    console = Console()
    if calls:
        console.print(
            f"demo clock: {ctx.clock.now():%Y-%m-%d %H:%M} UTC (moved to the US debtors' calling"
            " hours; the calls are simulated)"
        )
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
    if calls:
        campaign_part(ctx, console, debtors=debtors, max_lines=max_lines)


def campaign_part(ctx: AppContext, console: Console, *, debtors: int, max_lines: int) -> None:
    console.rule("7. Redis and the Asterisk sandbox")
    demo_campaign.start_redis()
    demo_campaign.ensure_sandbox(console)
    console.rule(f"8. a campaign over {debtors} simulated debtors, set up through the admin API")
    behaviours = demo_campaign.call_list(ctx, debtors)
    run = asyncio.run(demo_campaign.run_campaign(ctx, console, behaviours, max_lines=max_lines))
    console.rule("9. campaign report")
    demo_campaign.print_report(console, run)
    misses = demo_campaign.print_calls(
        console, run.calls, demo_campaign.stored_outcomes(ctx, run.campaign_id)
    )
    folder = Path(ctx.settings.home) / "demo" / "recordings"
    console.print(f"{len(run.recordings)} call recordings (WAV, 8 kHz) in {folder.resolve()}")
    if misses:
        console.print(
            f"[yellow]{misses} call(s) ended differently from the debtor's behaviour"
            " (speech recognition heard something else); see the transcripts[/]"
        )
