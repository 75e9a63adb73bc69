"""CLI wiring for scoring, strategy and compliance (``collectbot scoring|strategy|compliance``)."""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import typer

from analytics import mining_benchmark
from cli.context import AppContext
from data import allocation_store as allocation
from data import analytics_store as words
from data import scoring_store as store
from data.campaign_strategies import plan_cases
from data.simulated_history import insert_history
from scoring.allocation import auto_assign, league, overdue
from scoring.compliance import check, load_profiles, parse_request
from scoring.errors import ScoringError
from scoring.model.benchmark import cross_validate
from scoring.model.datasets import german, sba
from scoring.model.metrics import Report, report
from scoring.model.repayment import TierCutoffs, data_hash, score, train
from scoring.settings import ScoringSettings
from scoring.strategy import load_strategy
from scoring.synthetic.history import case_from_json, simulate
from scoring.synthetic.portfolio import generate

app = typer.Typer(no_args_is_help=True)
compliance_app = typer.Typer(help="The compliance guard.", no_args_is_help=True)
scoring_app = typer.Typer(help="The repayment model.", no_args_is_help=True)
strategy_app = typer.Typer(help="Collection strategy and next actions.", no_args_is_help=True)
app.add_typer(compliance_app, name="compliance")
app.add_typer(scoring_app, name="scoring")
app.add_typer(strategy_app, name="strategy")
allocation_app = typer.Typer(
    help="Cases for agents: assignment and performance.", no_args_is_help=True
)
app.add_typer(allocation_app, name="allocation")


def register(parent: typer.Typer) -> None:
    parent.add_typer(app)


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


def _print_report(report: Report) -> None:
    typer.echo(json.dumps(report.as_dict(), indent=2))


@scoring_app.command("simulate")
def scoring_simulate(
    portfolio: Annotated[Path, typer.Argument(help="Demo portfolio CSV (from demo-data)")],
    seed: Annotated[int, typer.Option(help="Random seed")] = 0,
) -> None:
    """Write simulated past contacts, promises and payments of an imported demo portfolio."""
    profiles = portfolio.with_name(portfolio.stem + ".profiles.jsonl")
    ctx = AppContext.build()
    try:
        with portfolio.open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        with profiles.open(encoding="utf-8") as f:
            behaviour = [json.loads(line) for line in f if line.strip()]
    except OSError as e:
        raise _fail(f"cannot read the demo portfolio and its profiles: {e}") from e
    sims = [
        simulate(case_from_json(row, prof), seed) for row, prof in zip(rows, behaviour, strict=True)
    ]
    with ctx.db.transaction() as session:
        written = insert_history(session, sims, ctx.clock.now())
    typer.echo(json.dumps({"cases": len(sims), "rows_written": written}))


@scoring_app.command("train")
def scoring_train(
    synthetic: Annotated[
        int, typer.Option(help="Train on N simulated cases instead of the database")
    ] = 0,
    seed: Annotated[int, typer.Option(help="Random seed")] = 0,
) -> None:
    """Train the repayment model, store it as the active version, print its test metrics."""
    ctx = AppContext.build()
    today = ctx.clock.now().date()
    try:
        if synthetic:
            sims = [simulate(c, seed) for c in generate(synthetic, seed, as_of=today)]
            records = mining_benchmark.talking_records(sims, seed)
            labels = [s.outcome for s in sims]
        else:
            with ctx.db.transaction() as session:
                records = words.model_records(session, ctx.keyring, today - timedelta(days=30))
            labels = store.outcomes(records)
        model = train(records, labels, seed)
    except ScoringError as e:
        raise _fail(f"{e} (try --synthetic 5000 on a new installation)") from e
    with ctx.db.transaction() as session:
        store.save_model(session, model, ctx.clock.now())
    typer.echo(
        f"model {model.version}: {model.trained_rows} cases, data {model.data_hash[:16]}, "
        f"{len(model.talk)} talk figures"
    )
    _print_report(model.metrics)


@scoring_app.command("score")
def scoring_score() -> None:
    """Score every active case with the active model; write score, tier and reasons to cases."""
    ctx = AppContext.build()
    settings = ScoringSettings()
    try:
        cutoffs = TierCutoffs(settings.tier_low_from, settings.tier_high_below)
    except ScoringError as e:
        raise _fail(str(e)) from e
    with ctx.db.transaction() as session:
        model = store.active_model(session)
        if model is None:
            raise _fail("no model yet: run 'collectbot scoring train' first")
        records = words.model_records(session, ctx.keyring, ctx.clock.now().date())
        scores = score(model, records, cutoffs)
        store.write_scores(session, scores, ctx.clock.now())
    tiers = {t: sum(1 for s in scores if s.tier.value == t) for t in ("low", "medium", "high")}
    typer.echo(json.dumps({"model": model.version, "scored": len(scores), "tiers": tiers}))


@scoring_app.command("report")
def scoring_report(
    evaluate: Annotated[
        bool,
        typer.Option(help="Also score the cases as of 30 days ago and compare with what happened"),
    ] = False,
) -> None:
    """AUC, KS, calibration and lift by decile of the active model (held-out test fold)."""
    ctx = AppContext.build()
    with ctx.db.transaction() as session:
        versions = store.model_versions(session)
        model = store.active_model(session)
        past = words.model_records(
            session, ctx.keyring, ctx.clock.now().date() - timedelta(days=30)
        )
    active = next((v for v in versions if v.active), None)
    if active is None or model is None:
        raise _fail("no model yet: run 'collectbot scoring train' first")
    typer.echo(f"model {active.id} trained {active.created_at:%Y-%m-%d %H:%M} UTC")
    typer.echo(f"{active.trained_rows} cases, data hash {active.data_hash}")
    typer.echo(json.dumps({"test_fold": active.metrics}, indent=2))
    if evaluate:
        labels = store.outcomes(past)
        scores = score(model, past)
        paid = [o.paid for o in labels]
        measured = report(paid, [s.probability for s in scores])
        in_sample = data_hash(past, labels) == model.data_hash  # trained on this very window
        result = {"last_30_days": measured.as_dict(), "in_sample": in_sample}
        typer.echo(json.dumps(result, indent=2))


@scoring_app.command("benchmark")
def scoring_benchmark(
    dataset: Annotated[str, typer.Option(help="germancredit, sba or simulated")] = "germancredit",
    sample: Annotated[int, typer.Option(help="sba: rows drawn at random (0 = all)")] = 100_000,
    folds: Annotated[int, typer.Option(min=2)] = 5,
    seed: Annotated[int, typer.Option()] = 0,
    cases: Annotated[int, typer.Option(min=200, help="simulated: portfolio size")] = 4000,
) -> None:
    """Stratified k-fold CV of the model's LightGBM settings on public credit data, or (
    ``simulated``) on the simulated portfolio with and without the features mined from what
    the debtors said (AUC of both)."""
    folder = ScoringSettings().datasets_dir
    try:
        if dataset == "simulated":
            as_of = AppContext.build().clock.now().date()
            typer.echo(json.dumps(mining_benchmark.run(cases, seed, folds, as_of).as_dict()))
            return
        if dataset == "germancredit":
            data = german(folder)
        elif dataset == "sba":
            data = sba(folder, sample, seed)
        else:
            raise _fail(f"unknown dataset {dataset!r} (germancredit, sba or simulated)")
        typer.echo(cross_validate(data, folds, seed).line())
    except ScoringError as e:
        raise _fail(str(e)) from e


@strategy_app.command("validate")
def strategy_validate(file: Path) -> None:
    """Check a strategy YAML file; print its errors or a summary."""
    try:
        s = load_strategy(file)
    except ScoringError as e:
        raise _fail(str(e)) from e
    typer.echo(
        f"{file}: valid strategy {s.name!r}: {len(s.treatments)} treatments, "
        f"{len(s.champion)} champion and {len(s.challenger)} challenger rules, "
        f"challenger share {s.challenger_share}"
    )


@strategy_app.command("plan")
def strategy_plan(
    day: Annotated[
        str | None, typer.Option("--date", help="Plan from this local date (YYYY-MM-DD)")
    ] = None,
    dry_run: Annotated[bool, typer.Option(help="Print the summary, write nothing")] = False,
) -> None:
    """Compute every active case's next action (after the compliance guard) and store it; the
    cases of a campaign that names an uploaded strategy are planned with that one."""
    ctx = AppContext.build()
    settings = ScoringSettings()
    try:
        strategy = load_strategy(settings.strategy_file)
        profiles = dict(load_profiles(settings.compliance_profiles))
        start = date.fromisoformat(day) if day else ctx.clock.now()
    except (ScoringError, ValueError) as e:
        raise _fail(str(e)) from e
    with ctx.db.transaction() as session:
        frame = store.plan_frame(session, profiles)
        planned = plan_cases(session, frame, strategy, start, profiles)
        if not dry_run:
            store.write_plan(session, planned, ctx.clock.now())
    summary = {
        "cases": len(planned),
        "blocked": int(planned["blocked"].sum()),
        "arms": planned["arm"].value_counts().to_dict(),
        "treatments": planned["treatment"].value_counts().to_dict(),
        "channels": planned["channel"].value_counts().to_dict(),
        "written": not dry_run,
    }
    typer.echo(json.dumps(summary, default=str))


@strategy_app.command("results")
def strategy_results(
    days: Annotated[int, typer.Option(help="Payments in the last N days")] = 30,
) -> None:
    """Champion vs challenger: cases, paying cases and amount collected per arm."""
    ctx = AppContext.build()
    with ctx.db.transaction() as session:
        rows = store.arm_results(session, ctx.clock.now() - timedelta(days=days))
    typer.echo(json.dumps(rows))


@allocation_app.command("assign")
def allocation_assign(
    days: Annotated[int, typer.Option(help="Past performance window in days")] = 90,
) -> None:
    """Assign every unowned case whose next step is an agent call (skills, capacity, results)."""
    ctx = AppContext.build()
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        past = league(allocation.activities(session, now - timedelta(days=days), now))
        rates = {p.agent_id: float(p.recovery_rate) for p in past}
        done, left, _ = auto_assign(
            allocation.needs(session), allocation.agents(session, rates), now
        )
        allocation.write_assignments(session, ctx.keyring, done)
    reasons = {r: sum(1 for u in left if u.reason == r) for r in {u.reason for u in left}}
    typer.echo(json.dumps({"assigned": len(done), "unassigned": reasons}))


@allocation_app.command("overdue")
def allocation_overdue(
    escalate_hours: Annotated[int, typer.Option(help="Escalate after this many hours")] = 24,
) -> None:
    """Reminders for overdue agent follow-ups; escalations when still overdue."""
    ctx = AppContext.build()
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        reminders, escalations = overdue(
            allocation.follow_ups(session),
            allocation.agents(session),
            now,
            escalate_after=timedelta(hours=escalate_hours),
        )
    typer.echo(
        json.dumps(
            {
                "reminders": [asdict(r) for r in reminders],
                "escalations": [asdict(e) for e in escalations],
            }
        )
    )


@allocation_app.command("performance")
def allocation_performance(
    days: Annotated[int, typer.Option(help="Period: the last N days")] = 30,
) -> None:
    """Recovery rate, amount collected, promises kept rate and contacts per hour per agent."""
    ctx = AppContext.build()
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        rows = league(allocation.activities(session, now - timedelta(days=days), now))
    typer.echo(json.dumps([asdict(r) for r in rows], default=str))
