"""The ``collectbot`` command: one Typer app whose sub-commands load on first use.

Each area's commands live in their own module, and most of those import heavy libraries (pandas,
scikit-learn, SQLAlchemy, FastAPI, the speech engines). ``collectbot --help`` lists every command
from the table below without importing any of them; a command's module is imported only when that
command runs (or its own ``--help`` is asked for). ``tests/unit/cli`` keeps the table in step with
what the modules register.
"""

from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Callable
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from core.errors import ConfigurationError
from core.logging import configure_logging

Mount = Callable[[typer.Typer], None]


def _registers(module: str) -> Mount:
    """The module registers its commands itself (``register(app)``)."""
    return lambda app: importlib.import_module(module).register(app)


def _group(module: str, name: str) -> Mount:
    """The module's ``app`` is one command group."""
    return lambda app: app.add_typer(importlib.import_module(module).app, name=name)


def _command(module: str, attribute: str, name: str) -> Mount:
    """The module's function ``attribute`` is one command."""
    return lambda app: app.command(name)(getattr(importlib.import_module(module), attribute))


@functools.cache
def _nlu_group() -> Any:
    """The ``nlu`` group with the spoken commands added (once per process: it is a module's app)."""
    nlu = importlib.import_module("cli.nlu_commands")
    importlib.import_module("cli.spoken_commands").register(nlu.app)
    return nlu


def _nlu(app: typer.Typer) -> None:
    _nlu_group().register(app)


# What each module mounts, and the commands it mounts: name -> (mount, one-line help).
MOUNTS: dict[str, Mount] = {
    "analytics": _registers("cli.analytics_commands"),
    "api": _registers("cli.api_commands"),
    "backup": _group("cli.backup_commands", "backup"),
    "data": _registers("cli.data_commands"),
    "demo": _command("cli.demo_command", "demo", "demo"),
    "nlu": _nlu,
    "qa": _registers("cli.qa_commands"),
    "reports": _registers("cli.reports_commands"),
    "recordings": _group("cli.recordings_commands", "recordings"),
    "sandbox": _group("cli.sandbox_commands", "sandbox"),
    "scoring": _registers("cli.scoring_commands"),
    "serve": _registers("cli.serve_commands"),
    "simulate": _group("cli.simulate_commands", "simulate"),
    "speech": _group("cli.speech_commands", "speech"),
}
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("demo", "Run the demo: portfolio → model → strategy → campaigns → calls → reports."),
    "serve": (
        "serve",
        "Run the admin API, the IVR and the dialer in one process.",
    ),
    "worker": ("serve", "Run an extra IVR + dialer worker that joins the same Redis and database."),
    "serve-api": ("api", "Run the admin API (OpenAPI docs at /docs in development)."),
    "users": ("api", "Users of the admin API (create the first admin here)."),
    "chat": ("nlu", "Talk to the real policy on the terminal: you are the debtor."),
    "simulate": ("simulate", "Simulated debtors through the real Asterisk."),
    "sandbox": ("sandbox", "The Asterisk 22 sandbox (Debian chroot, loopback ports)."),
    "portfolio": ("data", "Portfolio files."),
    "payments": ("data", "Payment feeds."),
    "demo-data": (
        "data",
        "Write a synthetic portfolio and its hidden behaviour profiles.",
    ),
    "summary": ("data", "Print the portfolio summary (counts and sums only)."),
    "keys": ("data", "Data encryption keys."),
    "audit": ("data", "The audit log."),
    "db": ("data", "The database."),
    "backup": ("backup", "Encrypted backups (SQLite or PostgreSQL)."),
    "recordings": ("recordings", "Call recordings (encrypted at rest)."),
    "scoring": ("scoring", "The repayment model."),
    "strategy": ("scoring", "Collection strategy and next actions."),
    "compliance": ("scoring", "The compliance guard."),
    "allocation": ("scoring", "Cases for agents: assignment and performance."),
    "nlu": ("nlu", "Understanding debtor utterances."),
    "qa": ("qa", "Call QA: scores, findings, the report."),
    "analytics": ("analytics", "Segments, best time, mining, early warning."),
    "reports": ("reports", "Scheduled reports: PDF and XLSX."),
    "speech": ("speech", "Speech: synthesise, transcribe, prepare the models."),
}


def load_mount(mount: str) -> TyperGroup:
    """The group holding every command that ``MOUNTS[mount]`` registers (imports its module)."""
    holder = typer.Typer()
    holder.callback()(lambda: None)  # a callback keeps even a single command inside a group
    MOUNTS[mount](holder)
    group = typer.main.get_command(holder)
    assert isinstance(group, TyperGroup)
    return group


class _LazyCommand(TyperCommand):
    """Stands in for a command in the listing; running it loads and runs the real one."""

    def __init__(self, name: str, mount: str, short_help: str) -> None:
        super().__init__(name, short_help=short_help, help=short_help, add_help_option=False)
        self.mount = mount

    def real(self, ctx: typer.Context) -> TyperCommand | TyperGroup:
        assert self.name is not None
        command = load_mount(self.mount).get_command(ctx, self.name)
        if not isinstance(command, TyperCommand | TyperGroup):
            raise RuntimeError(f"{self.mount!r} no longer registers {self.name!r}")
        return command

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: Any = None,
        **extra: Any,
    ) -> Any:
        real = self.real(parent)
        return real.make_context(info_name, args, parent=parent, **extra)


class LazyGroup(TyperGroup):
    """Lists the commands from the table; hands out stand-ins that load the real one when run."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return None
        mount, short_help = COMMANDS[cmd_name]
        return _LazyCommand(cmd_name, mount, short_help)


app = typer.Typer(
    name="collectbot",
    help="CollectBot: on-premises intelligent loan collection.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=LazyGroup,
)


@app.callback()
def _logging() -> None:
    """Every command logs JSON lines without personal data (``pii.*`` keys dropped) until its
    own wiring configures logging from its settings (AppContext honours COLLECTBOT_LOG_PII)."""
    configure_logging()


def main() -> None:
    from data.errors import KeyringError  # here: keeps --help free of the data layer

    try:
        app()
    except (ConfigurationError, KeyringError) as e:  # unsafe or missing settings: no traceback
        print(f"collectbot: {e}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
