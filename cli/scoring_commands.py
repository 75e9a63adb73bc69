"""CLI wiring for scoring, strategy and compliance (``collectbot scoring|strategy|compliance``)."""

from __future__ import annotations

import json
import sys

import typer

from scoring.compliance import check, load_profiles, parse_request
from scoring.errors import ScoringError
from scoring.settings import ScoringSettings

app = typer.Typer(no_args_is_help=True)
compliance_app = typer.Typer(help="The compliance guard.", no_args_is_help=True)
app.add_typer(compliance_app, name="compliance")


def _fail(message: str) -> typer.Exit:
    typer.echo(f"collectbot: {message}", err=True)
    return typer.Exit(code=2)


@compliance_app.command("check")
def compliance_check() -> None:
    """Read one contact question (JSON) on stdin; print {"allowed": bool, "reasons": [...]}."""
    settings = ScoringSettings()
    try:
        raw = json.loads(sys.stdin.read())
        request = parse_request(raw)
        profiles = load_profiles(settings.compliance_profiles)
        decision = check(request.contact, request.history, request.debtor, request.now, profiles)
    except json.JSONDecodeError as e:
        raise _fail(f"input is not JSON: {e}") from e
    except ScoringError as e:
        raise _fail(str(e)) from e
    typer.echo(json.dumps(decision.as_json()))
