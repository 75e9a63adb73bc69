"""``collectbot analytics``: segments, best time to call, what a debtor said (mined), early
warning, and the checks on the simulated portfolio."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

import numpy as np
import typer

from analytics import simulated_eval
from analytics.best_time import Table, best_moment, ranked_slots
from analytics.early_warning import KINDS as WARNING_KINDS
from analytics.early_warning import LIST_THRESHOLD as WARNING_LIST_MIN
from analytics.early_warning import warnings
from analytics.mining import mine
from analytics.segments import behaviour_of, segment
from cli.context import AppContext
from cli.qa_commands import nlu_intents
from data import analytics_store as store

app = typer.Typer(help="Segments, best time, mining, early warning.", no_args_is_help=True)
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def register(parent: typer.Typer) -> None:
    parent.add_typer(app, name="analytics")


def _fail(message: str) -> typer.Exit:
    typer.echo(f"collectbot: {message}", err=True)
    return typer.Exit(code=2)


@app.command("segments")
def segments_command(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    seed: Annotated[int, typer.Option()] = 0,
    save: Annotated[bool, typer.Option(help="Store each case's segment (strategy rules)")] = True,
) -> None:
    """Cluster the active cases on behaviour; describe each segment in words and figures."""
    ctx = AppContext.build()
    with ctx.db.transaction() as s:
        records, signals = store.case_inputs(s, ctx.keyring, ctx.clock.now())
        try:
            result = segment([behaviour_of(r, signals[r.case_id]) for r in records], seed=seed)
        except ValueError as e:
            raise _fail(str(e)) from e
        if save:
            names = {seg.id: seg.name for seg in result.segments}
            recovery = {seg.id: seg.recovery_rate for seg in result.segments}
            store.save_segments(s, result.labels, names, ctx.clock.now(), recovery)
    if as_json:
        typer.echo(json.dumps(result.as_dict()))
        return
    typer.echo(f"{result.k} segments ({result.criterion}); stability ARI {result.stability_ari}")
    for seg in result.segments:
        typer.echo(
            f"{seg.id} {seg.share:6.1%} ({seg.size}) recovery {seg.recovery_rate:.1%}, best "
            f"channel {seg.best_channel}: {seg.name}"
        )


def _window(text: str) -> tuple[int, int]:
    try:
        start, end = (int(x) for x in text.split("-"))
    except ValueError as e:
        raise _fail(f"--window wants HH-HH, got {text!r}") from e
    if not 0 <= start < end <= 24:
        raise _fail(f"--window wants HH-HH with start < end, got {text!r}")
    return start, end


@app.command("best-time")
def best_time_command(
    case: Annotated[str, typer.Option("--case", help="Case id")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
    window: Annotated[str, typer.Option(help="Allowed local hours, HH-HH")] = "9-19",
    top: Annotated[int, typer.Option(min=1, max=50)] = 5,
) -> None:
    """P(right-party answer) by weekday x hour for one debtor, shrunk to their segment."""
    start, end = _window(window)
    ctx = AppContext.build()
    with ctx.db.transaction() as s:
        tz = store.timezone_of(s, case)
        if tz is None:
            raise _fail(f"no case {case!r}")
        learned = store.learned_times(s)
    seg = learned.segment_of(case)
    own = learned.own_counts(case)
    table = learned.table(case)
    now = ctx.clock.now().astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    found = best_moment(table, now, lambda t: start <= t.hour < end)
    slots = [
        {"weekday": DAYS[d], "hour": h, "p_right_party": p}
        for d, h, p in ranked_slots(_masked(table, start, end), top)
    ]
    out = {
        "case_id": case,
        "timezone": tz,
        "segment": seg or None,
        "own_attempts": own.n,
        "segment_attempts": learned.segment_counts(seg).n,
        "window_local": f"{start:02d}:00-{end:02d}:00",
        "best_slots": slots,
        "next_best_local": found[0].isoformat(timespec="minutes") if found else None,
        "next_best_p": round(found[1], 4) if found else None,
        "by_hour": {h: round(float(table[:, h].mean()), 4) for h in range(start, end)},
    }
    if as_json:
        typer.echo(json.dumps(out))
        return
    typer.echo(f"case {case} ({tz}, segment {seg or '-'}; {own.n} own calls)")
    for d, h, p in ((x["weekday"], x["hour"], x["p_right_party"]) for x in slots):
        typer.echo(f"  {d} {h:02d}:00  {p:.1%}")
    typer.echo(f"next best: {out['next_best_local']} local")


def _masked(table: Table, start: int, end: int) -> Table:
    """The table with the hours outside the window ruled out."""
    masked = np.array(table, dtype=np.float64)
    masked[:, :start] = -1.0
    masked[:, end:] = -1.0
    return masked


@app.command("mine")
def mine_command(
    case: Annotated[str, typer.Option("--case", help="Case id")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
    nlu: Annotated[bool, typer.Option(help="Add the NLU's intents to the words")] = False,
) -> None:
    """What one debtor's words say (willingness, attitude, reasons, promises), explained."""
    ctx = AppContext.build()
    with ctx.db.transaction() as s:
        words = store.debtor_words(s, ctx.keyring, [case]).get(case, [])
    found = mine(case, words, intent_of=nlu_intents() if nlu else None)
    out = {
        "case_id": case,
        "lines": found.lines,
        "willingness": found.willingness,
        "attitude": found.attitude,
        "attitude_shares": found.attitude_shares,
        "reasons": list(found.reasons),
        "promises_stated": found.promises_stated,
        "hedged_promises": found.hedged_promises,
        "explained": found.explain(),
    }
    typer.echo(json.dumps(out, ensure_ascii=False, indent=None if as_json else 2))


@app.command("early-warning")
def early_warning_command(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    days: Annotated[int, typer.Option(min=1, max=30)] = 7,
    threshold: Annotated[float, typer.Option(min=0.0, max=1.0)] = 0.5,
    top: Annotated[int, typer.Option(min=1)] = 20,
    save: Annotated[bool, typer.Option(help="Store the warnings (agents' list, strategy)")] = True,
) -> None:
    """Cases likely to roll to the next DPD bucket or break a promise within ``days``."""
    ctx = AppContext.build()
    with ctx.db.transaction() as s:
        records, signals = store.case_inputs(s, ctx.keyring, ctx.clock.now())
        found = warnings(records, store.scores(s), signals, days=days, threshold=threshold)
        if save:
            store.save_warnings(s, found, ctx.clock.now())
    rows = [
        {"case_id": w.case_id, "kind": w.kind, "probability": w.probability,
         "due": w.due.isoformat(), "reasons": list(w.reasons)}
        for w in found
    ]  # fmt: skip
    kinds = {k: sum(1 for w in found if w.kind == k) for k in ("roll", "broken_promise")}
    if as_json:
        typer.echo(json.dumps({"warnings": len(found), "by_kind": kinds, "top": rows[:top]}))
        return
    typer.echo(f"{len(found)} warnings within {days} days: {kinds}")
    for r in rows[:top]:
        typer.echo(f"  {r['case_id']} {r['kind']:15} {r['probability']:.0%}  {r['reasons']}")


@app.command("warnings")
def warnings_command(
    kind: Annotated[
        str | None, typer.Option(help="roll, broken_promise or segment_drift (default: all)")
    ] = None,
    agent: Annotated[str | None, typer.Option(help="Only the cases of this agent id")] = None,
    min_score: Annotated[float, typer.Option(min=0.0, max=1.0)] = WARNING_LIST_MIN,
    limit: Annotated[int, typer.Option(min=1, max=5000)] = 50,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List the stored early warnings (the last ``early-warning`` run) and the cases that
    drifted to a worse segment (the last ``segments`` run), highest first."""
    if kind not in (None, *WARNING_KINDS):
        raise _fail(f"--kind wants one of {', '.join(WARNING_KINDS)}, got {kind!r}")
    ctx = AppContext.build()
    with ctx.db.transaction() as s:
        found = store.listed_warnings(
            s, kind=kind, agent_id=agent, min_score=min_score, limit=limit
        )
    rows = [
        {"case_id": w.case_id, "kind": w.kind, "score": w.score, "reasons": list(w.reasons),
         "at": w.at.isoformat() if w.at else None, "segment": w.segment, "agent_id": w.agent_id}
        for w in found
    ]  # fmt: skip
    if as_json:
        typer.echo(json.dumps({"count": len(rows), "warnings": rows}, ensure_ascii=False))
        return
    typer.echo(f"{len(found)} warnings")
    for w in found:
        typer.echo(f"  {w.case_id} {w.kind:15} {w.score:.2f}  {'; '.join(w.reasons)}")


@app.command("simulated")
def simulated_command(
    cases: Annotated[int, typer.Option(min=200)] = 2000,
    seed: Annotated[int, typer.Option()] = 2026,
) -> None:
    """Segments and the best-time lift on a simulated portfolio (hidden profiles known)."""
    as_of = AppContext.build().clock.now().date()
    sims = simulated_eval.simulated_portfolio(cases, seed, as_of)
    seg = simulated_eval.segments_of(sims, seed)
    out = {
        "segments": seg.as_dict(),
        "best_time_segment_prior": simulated_eval.best_time_lift(sims, seg.labels).as_dict(),
        "best_time_portfolio_prior": simulated_eval.best_time_lift(sims, {}).as_dict(),
        "as_of": as_of.isoformat(),
        "generated": datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    typer.echo(json.dumps(out))
