"""``collectbot sandbox build|start|stop|status``: the development/test Asterisk (wiring only)."""

from __future__ import annotations

import dataclasses
import json

import typer

from core.logging import configure_logging
from simulation.sandbox import build, ensure_running, start, status, stop
from simulation.sandbox.settings import SandboxError

app = typer.Typer(
    help="The Asterisk 22 sandbox (Debian chroot, loopback ports).", no_args_is_help=True
)


def _fail(e: SandboxError) -> typer.Exit:
    typer.echo(f"sandbox: {e}", err=True)
    return typer.Exit(1)


@app.command("build")
def build_cmd() -> None:
    """Build (or restore) the chroot; a no-op when it is already built."""
    configure_logging()
    try:
        typer.echo(str(build().dir))
    except SandboxError as e:
        raise _fail(e) from e


@app.command("start")
def start_cmd(
    build_first: bool = typer.Option(True, "--build/--no-build", help="Build first if needed"),
) -> None:
    """Start Asterisk (refuses busy ports) and wait until ARI answers."""
    configure_logging()
    try:
        state = ensure_running() if build_first else start()
    except SandboxError as e:
        raise _fail(e) from e
    typer.echo(json.dumps(dataclasses.asdict(state), default=str))


@app.command("stop")
def stop_cmd() -> None:
    """Stop the sandbox Asterisk (only its own PID)."""
    configure_logging()
    try:
        typer.echo("stopped" if stop() else "not running")
    except SandboxError as e:
        raise _fail(e) from e


@app.command("status")
def status_cmd() -> None:
    """Print whether the sandbox is built, running and answering ARI (JSON)."""
    typer.echo(json.dumps(dataclasses.asdict(status()), default=str))
