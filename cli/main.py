"""The ``collectbot`` command: one Typer app, sub-commands registered from each area."""

from __future__ import annotations

import sys

import typer

from cli import (
    api_commands,
    backup_commands,
    data_commands,
    demo_command,
    nlu_commands,
    recordings_commands,
    sandbox_commands,
    scoring_commands,
    serve_commands,
    simulate_commands,
    speech_commands,
    spoken_commands,
)
from core.errors import ConfigurationError
from core.logging import configure_logging
from data.errors import KeyringError

app = typer.Typer(
    name="collectbot",
    help="CollectBot: on-premises intelligent loan collection.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _logging() -> None:
    """Every command logs JSON lines without personal data (``pii.*`` keys dropped) until its
    own wiring configures logging from its settings (AppContext honours COLLECTBOT_LOG_PII)."""
    configure_logging()


# --- sub-command registrations (one line per area; keep sorted) ---
api_commands.register(app)
app.add_typer(backup_commands.app, name="backup")
data_commands.register(app)
app.command("demo")(demo_command.demo)
nlu_commands.register(app)
app.add_typer(recordings_commands.app, name="recordings")
spoken_commands.register(nlu_commands.app)
app.add_typer(sandbox_commands.app, name="sandbox")
scoring_commands.register(app)
serve_commands.register(app)
app.add_typer(simulate_commands.app, name="simulate")
app.add_typer(speech_commands.app, name="speech")


def main() -> None:
    try:
        app()
    except (ConfigurationError, KeyringError) as e:  # unsafe or missing settings: no traceback
        print(f"collectbot: {e}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
