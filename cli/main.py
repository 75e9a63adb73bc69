"""The ``collectbot`` command: one Typer app, sub-commands registered from each area."""

from __future__ import annotations

import typer

from cli import (
    api_commands,
    data_commands,
    demo_command,
    nlu_commands,
    sandbox_commands,
    scoring_commands,
    serve_commands,
    simulate_commands,
    speech_commands,
    spoken_commands,
)

app = typer.Typer(
    name="collectbot",
    help="CollectBot: on-premises intelligent loan collection.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

# --- sub-command registrations (one line per area; keep sorted) ---
api_commands.register(app)
data_commands.register(app)
app.command("demo")(demo_command.demo)
nlu_commands.register(app)
spoken_commands.register(nlu_commands.app)
app.add_typer(sandbox_commands.app, name="sandbox")
scoring_commands.register(app)
serve_commands.register(app)
app.add_typer(simulate_commands.app, name="simulate")
app.add_typer(speech_commands.app, name="speech")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
