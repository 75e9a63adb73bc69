"""CLI: ``collectbot nlu parse|train|eval`` and ``collectbot chat`` (wiring only)."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict, is_dataclass
from datetime import UTC, date, datetime
from datetime import time as dtime
from typing import Annotated, Literal

import typer

from cli.context import AppContext
from core.clock import SystemClock
from core.dialogue import (
    LANGS,
    AmountEntity,
    CallAnswered,
    CallerHungUp,
    DialogueCommand,
    DialogueEvent,
    DtmfReceived,
    Hangup,
    Lang,
    Parse,
    Say,
    SilenceTimedOut,
    UtteranceHeard,
)
from data.case_facts import UnknownCase, case_facts
from nlu.classifier import IntentClassifier
from nlu.evaluation import evaluate_entities, evaluate_intents
from nlu.parser import NluParser
from nlu.policy import (
    CaseFacts,
    decide,
    demo_case,
    load_script,
    start,
)
from nlu.settings import NluSettings
from nlu.training_data import load_split

app = typer.Typer(help="Understanding debtor utterances.", no_args_is_help=True)
LangOption = Annotated[Literal["en", "zh"], typer.Option("--lang", help="en or zh")]
TodayOption = Annotated[
    str | None, typer.Option("--today", help="YYYY-MM-DD (default: today, UTC)")
]


def _today(value: str | None) -> date:
    return date.fromisoformat(value) if value else SystemClock().now().date()


def _parser() -> NluParser:
    settings = NluSettings()
    return NluParser(IntentClassifier.build(settings), threshold=settings.threshold)


def parse_json(text: str, result: Parse) -> dict[str, object]:
    entities: list[dict[str, object]] = []
    for e in result.entities:
        if isinstance(e, AmountEntity):
            value = str(e.value.quantize(e.value.__class__("0.01")))
            entities.append({"type": "amount", "value": value, "currency": e.currency})
        else:
            entities.append({"type": "date", "value": e.value.isoformat()})
    return {
        "text": text,
        "intent": result.intent,
        "confidence": result.confidence,
        "entities": entities,
    }


@app.command("parse")
def parse_cmd(lang: LangOption = "en", today: TodayOption = None) -> None:
    """Read one utterance per line on stdin; print one JSON object per line."""
    parser, day = _parser(), _today(today)
    for line in sys.stdin:
        text = line.rstrip("\n")
        if text.strip():
            result = parser.parse(text, lang, day)
            typer.echo(json.dumps(parse_json(text, result), ensure_ascii=False))


@app.command("train")
def train_cmd() -> None:
    """Train (or load from the cache) the intent heads for every language."""
    started = time.perf_counter()
    classifier = IntentClassifier.build(NluSettings())
    elapsed = time.perf_counter() - started
    typer.echo(
        f"backend={classifier.backend} languages={','.join(classifier.languages)} "
        f"seconds={elapsed:.1f}"
    )


@app.command("eval")
def eval_cmd(lang: Annotated[str, typer.Option("--lang", help="en, zh or all")] = "all") -> None:
    """Per-intent precision/recall and entity accuracy on the held-out split."""
    parser = _parser()
    langs: tuple[Lang, ...] = LANGS if lang == "all" else (("zh",) if lang == "zh" else ("en",))
    for code in langs:
        report = evaluate_intents(parser, load_split(code, "test"), code)
        typer.echo(
            f"[{code}] intent accuracy {report.accuracy:.3f} on {report.total} "
            f"held-out utterances ({parser.classifier.backend})"
        )
        typer.echo(f"  {'intent':<20}{'precision':>10}{'recall':>8}{'n':>4}")
        for s in report.scores:
            typer.echo(f"  {s.intent:<20}{s.precision:>10.2f}{s.recall:>8.2f}{s.support:>4}")
        for text, gold, got in report.errors:
            typer.echo(f"  miss: {text!r} {gold} -> {got}")
        hard = evaluate_intents(parser, load_split(code, "test_hard"), code)
        typer.echo(
            f"[{code}] intent accuracy {hard.accuracy:.3f} on {hard.total} hard "
            "held-out utterances (paraphrases, slips)"
        )
        for text, gold, got in hard.errors:
            typer.echo(f"  miss: {text!r} {gold} -> {got}")
        for split, label in (("test", "held-out"), ("test_hard", "hard held-out")):
            ent = evaluate_entities(code, split)
            typer.echo(
                f"[{code}] amount accuracy {ent.amount_accuracy:.3f}, date accuracy "
                f"{ent.date_accuracy:.3f} on {ent.total} {label} utterances"
            )
            for line in ent.errors:
                typer.echo(f"  miss: {line}")


def _command_json(command: DialogueCommand) -> dict[str, object]:
    body = asdict(command) if is_dataclass(command) else {}
    return {"command": type(command).__name__, **json.loads(json.dumps(body, default=str))}


def load_case_facts(case_id: str, lang: Lang, company: str) -> CaseFacts:
    """CaseFacts for a stored case (decrypting only what the dialogue needs)."""
    ctx = AppContext.build()
    try:
        return case_facts(ctx.db, ctx.keyring, case_id, lang, company)
    except UnknownCase as e:
        raise typer.BadParameter(f"no case {case_id!r}", param_hint="--case") from e


def chat(
    lang: LangOption = "en",
    demo: Annotated[bool, typer.Option("--demo", help="Use the built-in demo case")] = False,
    case: Annotated[str | None, typer.Option("--case", help="A stored case id")] = None,
    company: Annotated[str, typer.Option(help="Company name for --case")] = "Acme Lending",
    today: TodayOption = None,
) -> None:
    """Talk to the real policy on the terminal: you are the debtor. Empty line = silence,
    "#1" = keypad digits, Ctrl-D = hang up. Ends with the recorded outcome as JSON."""
    if demo and case:
        raise typer.BadParameter("give either --demo or --case, not both")
    parser, day = _parser(), _today(today)
    facts = load_case_facts(case, lang, company) if case else demo_case(lang)
    state = start(facts, load_script(lang), day)
    now = datetime.combine(day, dtime(12, 0), tzinfo=UTC)
    records: list[dict[str, object]] = []
    event: DialogueEvent = CallAnswered(now)
    while True:
        state, commands = decide(state, event)
        for command in commands:
            if isinstance(command, Say):
                typer.echo(f"bot> {command.text}")
            elif not isinstance(command, Hangup):
                records.append(_command_json(command))
                typer.echo(f"     [{type(command).__name__}]", err=True)
        if state.ended:
            break
        event = _next_event(lang, parser, day)
    outcome = {"outcome": state.outcome, "records": records, "notes": list(state.notes)}
    typer.echo(json.dumps(outcome, ensure_ascii=False, default=str))


def _next_event(lang: Lang, parser: NluParser, day: date) -> DialogueEvent:
    try:
        line = input("you> ")
    except EOFError:
        typer.echo("")
        return CallerHungUp()
    text = line.strip()
    if not text:
        return SilenceTimedOut(5.0)
    if text.startswith("#"):
        return DtmfReceived(text[1:])
    # typed text is exactly what was "said": the recogniser's confidence is 1.0
    return UtteranceHeard(text, lang, parser.parse(text, lang, day).heard_with(1.0))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="nlu")
    root.command("chat")(chat)
