"""``collectbot demo``: the main job on the embedded defaults, end to end."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.console import Console

from cli import demo_campaign, demo_console, scoring_commands
from cli.context import AppContext
from cli.data_commands import print_summary, write_demo_data
from core.dialogue import Lang
from data.portfolio.importer import import_portfolio
from data.reports import portfolio_summary
from data.settings import DataSettings

CLOCK_OFFSET = "COLLECTBOT_CLOCK_OFFSET_S"
LOG_FILE = "COLLECTBOT_LOG_FILE"
# US and Chinese debtors are never inside contact hours at the same instant (09:00-19:00 local
# from Honolulu to New York is 19:00-24:00 UTC; 09:00-19:00 in Shanghai is 01:00-11:00 UTC):
# each language's campaign runs at its own hour of the demo clock, English first.
CALLING_TIME_UTC = time(19, 0)  # 14:00 New York (15:00 in summer) … 09:00 Honolulu
CALLING_TIME_ZH = time(10, 0)  # in Asia/Shanghai = 02:00 UTC (China has no summer time)
ZH_ZONE = ZoneInfo("Asia/Shanghai")


def legal_hours_offset(now: datetime) -> float:
    """Seconds from ``now`` to the next 19:00 UTC, when debtors in every US time zone are
    inside the default strategy's contact hours (09:00-19:00 local) and the legal ones."""
    target = datetime.combine(now.date(), CALLING_TIME_UTC, tzinfo=UTC)
    if target <= now:
        target += timedelta(days=1)
    return (target - now).total_seconds()


def seconds_to_china_hours(now: datetime) -> float:
    """Seconds from ``now`` to the next 10:00 in Shanghai, when Chinese debtors are inside the
    default strategy's contact hours (09:00-19:00 local) and the legal ones (08:00-22:00)."""
    local = now.astimezone(ZH_ZONE)
    target = datetime.combine(local.date(), CALLING_TIME_ZH, tzinfo=ZH_ZONE)
    if target <= local:
        target += timedelta(days=1)
    return (target - local).total_seconds()


@contextlib.contextmanager
def _demo_clock(enabled: bool) -> Iterator[None]:
    """With calls, the demo's "now" is moved to legal calling hours for the whole run (and
    moved on by ``_shift_clock`` for the next language's campaign); restored afterwards."""
    before = os.environ.get(CLOCK_OFFSET)
    if enabled and before is None:
        os.environ[CLOCK_OFFSET] = str(legal_hours_offset(datetime.now(UTC)))
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(CLOCK_OFFSET, None)
        else:
            os.environ[CLOCK_OFFSET] = before


@contextlib.contextmanager
def _demo_log() -> Iterator[Path]:
    """The terminal shows the demo's progress and tables; its JSON log lines go to
    ``<home>/demo/demo.log`` (or wherever ``COLLECTBOT_LOG_FILE`` already points)."""
    before = os.environ.get(LOG_FILE)
    path = Path(before) if before else DataSettings().home / "demo" / "demo.log"
    os.environ[LOG_FILE] = str(path)
    try:
        yield path.resolve()
    finally:
        if before is None:
            os.environ.pop(LOG_FILE, None)


def _china_clock(ctx: AppContext) -> AppContext:
    """The demo's context with its clock moved on (forward) to Chinese calling hours."""
    ahead = seconds_to_china_hours(ctx.clock.now())
    os.environ[CLOCK_OFFSET] = str(float(os.environ.get(CLOCK_OFFSET) or 0) + ahead)
    return AppContext.build()


def demo(
    cases: Annotated[int, typer.Option(min=50, help="Loans in the demo portfolio")] = 2000,
    seed: Annotated[int, typer.Option(help="Random seed")] = 2026,
    calls: Annotated[
        bool, typer.Option(help="Run the campaign of simulated calls through Asterisk")
    ] = True,
    debtors: Annotated[
        int, typer.Option(min=1, max=20, help="Simulated US debtors called in English")
    ] = 20,
    zh_debtors: Annotated[
        int, typer.Option(min=0, max=20, help="Simulated Chinese debtors called in Mandarin")
    ] = 10,
    max_lines: Annotated[int, typer.Option(min=1, max=10, help="Calls at once")] = 8,
    serve: Annotated[
        bool, typer.Option(help="Serve the web console at the end until Ctrl-C (in a terminal)")
    ] = True,
) -> None:
    """Portfolio → import → history → model → scores → strategy plan → campaigns through the
    admin API calling simulated debtors via Asterisk (US debtors in English, then Chinese
    debtors in Mandarin, each inside their contact hours) → campaign reports → the web
    console's address and a supervisor login (served until Ctrl-C in a terminal)."""
    with _demo_log() as log_path:
        with _demo_clock(calls):
            counts: dict[Lang, int] = {"en": debtors, "zh": zh_debtors}
            Console().print(f"log lines go to {log_path}")
            _demo(cases, seed, calls=calls, debtors=counts, max_lines=max_lines)
        demo_console.console_part(Console(), serve=serve, after=_next_steps(log_path, calls))


def _next_steps(log_path: Path, calls: bool) -> list[str]:
    """Where to look once the demo is over (printed last, before the console is served)."""
    demo_dir = DataSettings().home.resolve() / "demo"
    steps = [f"the run's log (JSON lines): {log_path}"]
    if calls:
        steps += [
            f"the call recordings (WAV): {demo_dir / 'recordings'}",
            f"the API's /metrics after each campaign: {demo_dir}/metrics-<lang>.prom",
        ]
    steps.append("one Mandarin call, spoken: collectbot simulate call --scenario promise_zh")
    return steps


def _demo(cases: int, seed: int, *, calls: bool, debtors: dict[Lang, int], max_lines: int) -> None:
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


def campaign_part(
    ctx: AppContext, console: Console, *, debtors: dict[Lang, int], max_lines: int
) -> None:
    console.rule("7. Redis and the Asterisk sandbox")
    demo_campaign.start_redis()
    demo_campaign.ensure_sandbox(console)
    runs: list[demo_campaign.CampaignRun] = []
    outcomes: dict[str, str] = {}
    for lang, count in debtors.items():
        if not count:
            continue
        if lang == "zh":
            ctx = _china_clock(ctx)
        who = f"{count} simulated {demo_campaign.JURISDICTION[lang]} debtors in {lang}"
        console.rule(f"8{lang}. a campaign over {who}, set up through the admin API")
        console.print(f"demo clock: {ctx.clock.now():%Y-%m-%d %H:%M} UTC")
        behaviours = demo_campaign.call_list(ctx, count, lang)
        if not behaviours:
            console.print(f"[yellow]no {lang} case is due for a bot call now; skipped[/]")
            continue
        run = asyncio.run(
            demo_campaign.run_campaign(ctx, console, behaviours, max_lines=max_lines, lang=lang)
        )
        console.rule(f"9{lang}. campaign report")
        demo_campaign.print_report(console, run)
        if run.metrics is not None:
            console.print(f"the API's /metrics after the campaign: {run.metrics.resolve()}")
        outcomes |= demo_campaign.stored_outcomes(ctx, run.campaign_id)
        runs.append(run)
    calls = [call for run in runs for call in run.calls]
    misses = demo_campaign.print_calls(console, calls, outcomes)
    folder = Path(ctx.settings.home) / "demo" / "recordings"
    recordings = sum(len(run.recordings) for run in runs)
    console.print(f"{recordings} call recordings (WAV, 8 kHz) in {folder.resolve()}")
    if misses:
        console.print(
            f"[yellow]{misses} call(s) ended differently from the debtor's behaviour"
            " (speech recognition heard something else); see the transcripts[/]"
        )
