"""``collectbot qa``: score finished calls (a pass over the calls not scored yet, once or as a
worker loop) and the QA report per script version and language."""

from __future__ import annotations

import functools
import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
import yaml

from analytics.catalog import PromptCatalog
from analytics.qa import IntentOf, QaRules, assess
from analytics.qa_report import report
from analytics.settings import AnalyticsSettings
from cli.context import AppContext
from core.dialogue import Lang
from core.logging import get_logger
from data import qa_store
from nlu.policy.script import load_script

app = typer.Typer(help="Call QA: scores, findings, the report.", no_args_is_help=True)
log = get_logger(__name__)


def register(parent: typer.Typer) -> None:
    parent.add_typer(app, name="qa")


def _fail(message: str) -> typer.Exit:
    typer.echo(f"collectbot: {message}", err=True)
    return typer.Exit(code=2)


def load_rules(path: Path | None) -> QaRules:
    if path is None:
        return QaRules()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return QaRules.from_mapping(raw)
    except (OSError, yaml.YAMLError, ValueError, TypeError) as e:
        raise _fail(f"QA rules {path}: {e}") from e


@functools.cache
def catalog(lang: Lang) -> PromptCatalog:
    return PromptCatalog(load_script(lang))


def nlu_intents() -> IntentOf | None:
    """The NLU's intent for a debtor line (None when the classifier cannot be built)."""
    try:
        from nlu.parser import default_parser

        parser = default_parser()
    except Exception as e:  # the QA still runs on its keyword rules
        log.warning("qa.nlu_unavailable", error=type(e).__name__)
        return None
    today = datetime.now(UTC).date()
    return lambda text, lang: parser.parse(text, lang, today).intent


def score_pending(ctx: AppContext, rules: QaRules, intent_of: IntentOf | None, batch: int) -> int:
    """Score up to ``batch`` calls not scored yet; how many were scored."""
    with ctx.db.transaction() as s:
        calls = qa_store.unscored_calls(s, ctx.keyring, batch)
        for call in calls:
            result = assess(call, catalog(call.lang), rules, intent_of)
            qa_store.save(s, call, result, ctx.clock.now())
    log.info("qa.scored", calls=len(calls))
    return len(calls)


@app.command("run")
def qa_run(
    rules_file: Annotated[Path | None, typer.Option("--rules", help="QA rules YAML")] = None,
    batch: Annotated[int, typer.Option(min=1, max=5000)] = 500,
    loop: Annotated[float, typer.Option(help="Seconds between passes (0: one pass)")] = 0.0,
    nlu: Annotated[bool, typer.Option(help="Use the NLU to spot requests for a person")] = True,
) -> None:
    """Score every finished call that has no QA row yet (the worker entry with --loop)."""
    ctx = AppContext.build()
    rules = load_rules(rules_file or AnalyticsSettings().qa_rules)
    intent_of = nlu_intents() if nlu else None
    while True:
        total = 0
        while (done := score_pending(ctx, rules, intent_of, batch)) > 0:
            total += done
        typer.echo(json.dumps({"scored": total}))
        if loop <= 0:
            return
        time.sleep(loop)


def _day(text: str | None, default: datetime) -> datetime:
    if text is None:
        return default
    try:
        return datetime.fromisoformat(text).replace(tzinfo=UTC)
    except ValueError as e:
        raise _fail(f"not a date: {text!r}") from e


@app.command("report")
def qa_report(
    start: Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD (UTC)")] = None,
    end: Annotated[str | None, typer.Option("--to", help="YYYY-MM-DD (UTC), exclusive")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Share of calls with each finding, per script version and language."""
    ctx = AppContext.build()
    now = ctx.clock.now()
    upper = _day(end, now + timedelta(seconds=1))
    lower = _day(start, upper - timedelta(days=30))
    with ctx.db.transaction() as s:
        rows = [r.as_dict() for r in report(qa_store.scored(s, lower, upper))]
    if as_json:
        typer.echo(json.dumps({"from": lower.isoformat(), "to": upper.isoformat(), "rows": rows}))
        return
    typer.echo(f"QA {lower:%Y-%m-%d} .. {upper:%Y-%m-%d}")
    for r in rows:
        typer.echo(
            f"{r['script_version']} {r['language']}: {r['calls']} calls, mean score "
            f"{r['mean_score']}, clean {r['clean_share']:.0%}"
        )
        for code, share in r["finding_shares"].items():  # type: ignore[attr-defined]
            typer.echo(f"    {code:28} {share:.1%}")
