"""``collectbot simulate call --scenario FILE.yml``: one simulated call through the sandbox
Asterisk with the real models and the real NLU policy (wiring only); prints JSON."""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer

from cli.context import AppContext
from core.clock import SystemClock
from core.logging import configure_logging
from dialer.call_end import CallEnding
from ivr.errors import IvrError
from ivr.settings import AriSettings
from simulation.sandbox import ensure_running
from simulation.sandbox.settings import SandboxError, SandboxSettings
from simulation.scenario import Scenario, load_scenario
from simulation.simulate import SimulationOptions, SimulationReport, default_speech, simulate_call
from simulation.simulate_text import simulate_transcript

app = typer.Typer(help="Simulated debtors through the real Asterisk.", no_args_is_help=True)


def _today(value: str | None) -> date | None:
    try:
        return None if value is None else date.fromisoformat(value)
    except ValueError as e:
        raise typer.BadParameter("expected YYYY-MM-DD", param_hint="--today") from e


async def _run(scenario: Scenario, case: str | None) -> SimulationReport:
    ctx = AppContext.build()
    ending = CallEnding(ctx.db.async_sessions(), ctx.keyring, ctx.clock) if case else None
    options = SimulationOptions(
        case_id=case or "simulated", recordings_dir=ctx.settings.home.resolve() / "recordings"
    )
    return await simulate_call(
        scenario,
        ari=AriSettings(),
        speech=await default_speech(scenario.language),
        clock=SystemClock(),
        options=options,
        on_result=ending.sink_for(case) if ending and case else None,
    )


@app.command("call")
def call(
    scenario: Annotated[Path, typer.Option(help="Scenario YAML (or a shipped name: promise_en)")],
    today: Annotated[str | None, typer.Option(help="Override the scenario's today")] = None,
    case: Annotated[
        str | None, typer.Option(help="A stored case id: write the call to the database")
    ] = None,
    check: Annotated[bool, typer.Option(help="Exit 1 when the expectation is not met")] = False,
    transcript_only: Annotated[
        bool,
        typer.Option(
            "--transcript-only",
            help="Feed the lines to the NLU + policy as heard text: no Asterisk, no audio",
        ),
    ] = False,
) -> None:
    """Run one simulated call and print outcome, promise, transcript, latencies, recording."""
    configure_logging(level="WARNING")
    try:
        loaded = load_scenario(scenario, today=_today(today))  # a bad file fails before Asterisk
        if transcript_only:
            if case:
                raise typer.BadParameter("--case needs a spoken call", param_hint="--case")
            report = simulate_transcript(loaded)
        else:
            ensure_running(SandboxSettings(), AriSettings())
            report = asyncio.run(_run(loaded, case))
    except (IvrError, SandboxError) as e:
        typer.echo(f"simulate: {e}", err=True)
        raise typer.Exit(1) from e
    out = report.to_json()
    typer.echo(json.dumps(out, ensure_ascii=False, indent=2, default=_default))
    if check and not out["expect_met"]:
        raise typer.Exit(1)


def _default(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime | date) else str(value)
