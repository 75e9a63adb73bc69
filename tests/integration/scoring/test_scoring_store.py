"""Scoring through the database: simulated history in, scores, tiers and next actions out."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import select

from cli.data_commands import write_demo_data
from core.clock import FixedClock
from data import scoring_store as store
from data.crypto import Keyring
from data.db import Database, alembic_config
from data.models import Case, ContactAttempt, Debtor
from data.portfolio.importer import import_portfolio
from scoring.compliance import Channel, Contact, HistoryEntry, check
from scoring.compliance import Debtor as GuardDebtor
from scoring.model.repayment import score, train
from scoring.strategy import load_strategy, plan
from scoring.synthetic.history import case_from_json, simulate


def _load_demo(
    db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path, cases: int
) -> int:
    path = tmp_path / "p.csv"
    today = clock.now().date()
    write_demo_data(cases, 21, path, today)
    import_portfolio(db, keyring, path, clock)
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with path.with_name("p.profiles.jsonl").open(encoding="utf-8") as f:
        profiles = [json.loads(line) for line in f]
    sims = [simulate(case_from_json(r, p), 4) for r, p in zip(rows, profiles, strict=True)]
    with db.transaction() as s:
        return store.insert_history(s, sims, clock.now())


def test_one_migration_head() -> None:
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert len(heads) == 1, heads


def test_train_score_and_plan_through_the_database(
    db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    written = _load_demo(db, keyring, clock, tmp_path, 600)
    assert written > 600
    today = clock.now().date()
    with db.transaction() as s:
        past = store.case_records(s, today - timedelta(days=30))
    labels = store.outcomes(past)
    assert len(past) == 600
    assert 0.2 < sum(o.paid for o in labels) / len(labels) < 0.9
    # nothing on or after the cut-off is a feature: the label window is in the future of as_of
    assert all(p.paid_at.date() >= date(2000, 1, 1) for r in past for p in r.payments)
    model = train(past, labels, seed=2)
    assert model.metrics.auc > 0.7
    with db.transaction() as s:
        store.save_model(s, model, clock.now())
    with db.transaction() as s:
        again = store.active_model(s)
        assert again is not None
        assert again.version == model.version
        assert again.data_hash == model.data_hash
        versions = store.model_versions(s)
        assert [v.active for v in versions] == [True]
        assert versions[0].metrics["auc"] == round(model.metrics.auc, 4)
        current = store.case_records(s, today)
        scores = score(again, current)
        assert store.write_scores(s, scores, clock.now()) == 600
    with db.transaction() as s:
        stored = {c.id: c for c in s.scalars(select(Case))}
    for sc in scores[:50]:
        case = stored[sc.case_id]
        assert case.risk_tier == sc.tier.value
        assert case.score == sc.probability
        assert case.reason_codes is not None
        assert len(case.reason_codes) == 3
    _plan_and_check(db, clock)


def _plan_and_check(db: Database, clock: FixedClock) -> None:
    strategy = load_strategy()
    now = clock.now()
    with db.transaction() as s:
        frame = store.plan_frame(s)
        planned = plan(frame, strategy, now)
        assert store.write_plan(s, planned, now) == len(frame)
    with db.transaction() as s:
        cases = {c.id: c for c in s.scalars(select(Case))}
        debtors = {d.id: d for d in s.scalars(select(Debtor))}
        attempts = list(s.scalars(select(ContactAttempt)))
    by_debtor: dict[str, list[HistoryEntry]] = {}
    for a in attempts:
        entry = HistoryEntry(
            Channel(a.channel), a.started_at, a.case_id, a.connected, a.conversation
        )
        by_debtor.setdefault(cases[a.case_id].debtor_id, []).append(entry)
    checked = 0
    for case in cases.values():
        action = case.next_action
        assert action is not None
        assert case.strategy_arm in ("champion", "challenger")
        if action["blocked"]:
            assert case.next_action_at is None
            continue
        d = debtors[case.debtor_id]
        debtor = GuardDebtor.of(d.jurisdiction, d.timezone, flags=d.flags())
        assert case.next_action_at is not None
        assert case.next_action_at >= now
        contact = Contact(Channel(action["channel"]), case.id, "+10000000000")
        decision = check(contact, by_debtor.get(d.id, []), debtor, case.next_action_at)
        assert decision.allowed, (case.id, decision.reasons)
        checked += 1
    assert checked > 500
    with db.transaction() as s:
        arms = {r["arm"]: r for r in store.arm_results(s, now - timedelta(days=30))}
    assert set(arms) == {"champion", "challenger"}
    assert sum(r["cases"] for r in arms.values()) == 600
    assert arms["champion"]["paying_cases"] > 0
